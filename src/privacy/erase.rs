//! The right to erasure as a stage: a requests file's bytes read into typed, normalized identifiers, rows
//! matched against them (every spelling of an identifier matches), and the receipt that names requests by token.

use anyhow::Result;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

use super::token::{token_input, Protector, NORMALIZATION_VERSION, TOKEN_VERSION};
use crate::error::StewardError;
use crate::fields;
use crate::schema::{FieldKind, Schema};

/// What a request identifies people by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Email,
    Phone,
    ResidentId,
    Id,
    /// Digits that may be a phone number or a customer id: matched as both.
    PhoneOrId,
}

/// One identifier of the requests file.
#[derive(Debug, Clone)]
pub struct Request {
    /// Line of the request in the requests file (1-based).
    pub line: usize,
    pub kind: RequestKind,
    /// Keyed token of the identifier: what the receipt shows instead of the value.
    pub token: String,
}

/// Where each normalized identifier points: request indexes.
#[derive(Debug, Default)]
struct Index {
    email: HashMap<String, Vec<usize>>,
    phone: HashMap<String, Vec<usize>>,
    /// National digits of phone requests that could not be read as full numbers: matched as the tail of a
    /// row's number.
    phone_tail: Vec<(String, usize)>,
    id: HashMap<String, Vec<usize>>,
    cn_id: HashMap<String, Vec<usize>>,
}

/// The requests of one requests file, in file order, with the index rows are matched against.
#[derive(Debug)]
pub struct Requests {
    pub list: Vec<Request>,
    index: Index,
}

impl Requests {
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Never true for a plan that succeeded: a requests file without identifiers is refused.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

fn looks_like_cn_id(v: &str) -> bool {
    let c: Vec<char> = v.chars().collect();
    (c.len() == 18
        && c[..17].iter().all(|d| d.is_ascii_digit())
        && (c[17].is_ascii_digit() || c[17] == 'X' || c[17] == 'x'))
        || (c.len() == 15 && c.iter().all(|d| d.is_ascii_digit()))
}

fn looks_like_phone(v: &str) -> bool {
    let digits = v.chars().filter(|c| c.is_ascii_digit()).count();
    digits >= 7
        && v.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

fn add(map: &mut HashMap<String, Vec<usize>>, k: String, i: usize) {
    if !k.is_empty() {
        map.entry(k).or_default().push(i);
    }
}

/// A request line's kind and value: typed by its prefix (`email:`, `phone:`...), else by its shape.
fn classify(raw: &str) -> (RequestKind, String) {
    match raw.split_once(':') {
        Some((t, v))
            if !v.trim().is_empty()
                && matches!(
                    t.trim().to_ascii_lowercase().as_str(),
                    "email" | "phone" | "mobile" | "id" | "customer_id" | "resident_id" | "cn_id"
                ) =>
        {
            let k = match t.trim().to_ascii_lowercase().as_str() {
                "email" => RequestKind::Email,
                "phone" | "mobile" => RequestKind::Phone,
                "resident_id" | "cn_id" => RequestKind::ResidentId,
                _ => RequestKind::Id,
            };
            (k, v.trim().to_string())
        }
        _ => {
            let k = if raw.contains('@') {
                RequestKind::Email
            } else if looks_like_cn_id(raw) {
                RequestKind::ResidentId
            } else if looks_like_phone(raw) {
                RequestKind::PhoneOrId
            } else {
                RequestKind::Id
            };
            (k, raw.to_string())
        }
    }
}

/// Read a requests file's bytes (`origin` names it in errors): one identifier a line, `#` comments and blank
/// lines skipped. Phone numbers without a country code are read in `region`; tokens come from `prot`.
pub fn plan_requests(
    text: &[u8],
    origin: &str,
    region: Option<&str>,
    prot: &Protector,
) -> Result<Requests> {
    let text = std::str::from_utf8(text).map_err(|e| {
        StewardError::data(format!(
            "{origin}: the requests file is not UTF-8 text (byte {})",
            e.valid_up_to()
        ))
    })?;
    let mut list = Vec::new();
    let mut idx = Index::default();
    for (n, line) in text.lines().enumerate() {
        let raw = fields::text::clean_text(line);
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let (kind, value) = classify(&raw);
        let i = list.len();
        let token_kind = match kind {
            RequestKind::Email => FieldKind::Email,
            RequestKind::Phone | RequestKind::PhoneOrId => FieldKind::Phone,
            RequestKind::ResidentId => FieldKind::CnId,
            RequestKind::Id => FieldKind::Id,
        };
        match kind {
            RequestKind::Email => add(
                &mut idx.email,
                token_input(FieldKind::Email, &value, None).into_owned(),
                i,
            ),
            RequestKind::ResidentId => {
                add(
                    &mut idx.cn_id,
                    token_input(FieldKind::CnId, &value, None).into_owned(),
                    i,
                );
                add(
                    &mut idx.id,
                    token_input(FieldKind::Id, &value, None).into_owned(),
                    i,
                );
            }
            RequestKind::Id => add(
                &mut idx.id,
                token_input(FieldKind::Id, &value, None).into_owned(),
                i,
            ),
            RequestKind::Phone | RequestKind::PhoneOrId => {
                let n = token_input(FieldKind::Phone, &value, region).into_owned();
                if n.starts_with('+') {
                    add(&mut idx.phone, n, i);
                } else {
                    let d: String = n.chars().filter(|c| c.is_ascii_digit()).collect();
                    let d = d.trim_start_matches('0').to_string();
                    if d.len() >= 7 {
                        idx.phone_tail.push((d, i));
                    }
                }
                if kind == RequestKind::PhoneOrId {
                    add(
                        &mut idx.id,
                        token_input(FieldKind::Id, &value, None).into_owned(),
                        i,
                    );
                }
            }
        }
        let token = prot.token(token_kind, &value, region);
        list.push(Request {
            line: n + 1,
            kind,
            token,
        });
    }
    if list.is_empty() {
        return Err(
            StewardError::data(format!("{origin}: no identifiers in the requests file")).into(),
        );
    }
    Ok(Requests { list, index: idx })
}

/// Which columns of a row hold identifiers requests can match, by position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchColumns {
    pub email: Vec<usize>,
    pub phone: Vec<usize>,
    pub id: Vec<usize>,
    pub cn_id: Vec<usize>,
    /// The row's country, for reading its phone numbers (the first country column).
    pub country: Option<usize>,
}

impl MatchColumns {
    /// The columns of `fields` (schema field names, in row order) by kind; an error when none can match.
    pub fn of(fields: &[String], schema: &Schema) -> Result<MatchColumns> {
        let kind_cols = |k: FieldKind| -> Vec<usize> {
            fields
                .iter()
                .enumerate()
                .filter(|(_, c)| schema.field(c).is_some_and(|f| f.kind == k))
                .map(|(i, _)| i)
                .collect()
        };
        let cols = MatchColumns {
            email: kind_cols(FieldKind::Email),
            phone: kind_cols(FieldKind::Phone),
            id: kind_cols(FieldKind::Id),
            cn_id: kind_cols(FieldKind::CnId),
            country: kind_cols(FieldKind::Country).first().copied(),
        };
        if cols.email.is_empty()
            && cols.phone.is_empty()
            && cols.id.is_empty()
            && cols.cn_id.is_empty()
        {
            return Err(StewardError::usage(
                "the input has no email, phone, id or resident ID column to match requests against (map one with --map)",
            )
            .into());
        }
        Ok(cols)
    }
}

/// Says for a row which requests it matches.
pub struct Matcher<'a> {
    requests: &'a Requests,
    columns: MatchColumns,
    /// Region for phone numbers of rows without a usable country.
    region: Option<String>,
    hits: Vec<usize>,
}

impl<'a> Matcher<'a> {
    pub fn new(requests: &'a Requests, columns: MatchColumns, region: Option<String>) -> Self {
        Matcher {
            requests,
            columns,
            region,
            hits: Vec::new(),
        }
    }

    /// Indexes (into `Requests::list`) of the requests the row matches, ascending and each once; empty when it
    /// matches none. `get` gives the row's value of a column (empty when absent).
    pub fn matches<'r>(&mut self, get: impl Fn(usize) -> &'r str) -> &[usize] {
        let index = &self.requests.index;
        let cols = &self.columns;
        let hits = &mut self.hits;
        hits.clear();
        for &c in &cols.email {
            if let Some(v) = index
                .email
                .get(token_input(FieldKind::Email, get(c), None).as_ref())
            {
                hits.extend(v);
            }
        }
        if !cols.phone.is_empty() {
            let row_region = cols
                .country
                .map(|c| fields::country::check_country(get(c)).value)
                .filter(|c| c.len() == 2)
                .or_else(|| self.region.clone());
            for &c in &cols.phone {
                let raw = get(c);
                if raw.trim().is_empty() {
                    continue;
                }
                let n = token_input(FieldKind::Phone, raw, row_region.as_deref());
                if let Some(v) = index.phone.get(n.as_ref()) {
                    hits.extend(v);
                }
                if !index.phone_tail.is_empty() {
                    let d: String = n.chars().filter(|c| c.is_ascii_digit()).collect();
                    for (tail, i) in &index.phone_tail {
                        if d.ends_with(tail.as_str()) {
                            hits.push(*i);
                        }
                    }
                }
            }
        }
        for &c in &cols.id {
            if let Some(v) = index
                .id
                .get(token_input(FieldKind::Id, get(c), None).as_ref())
            {
                hits.extend(v);
            }
        }
        for &c in &cols.cn_id {
            let raw = get(c);
            if raw.trim().is_empty() {
                continue;
            }
            if let Some(v) = index
                .cn_id
                .get(token_input(FieldKind::CnId, raw, None).as_ref())
            {
                hits.extend(v);
            }
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    }
}

/// What was read from one input file and how many of its rows were erased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReceipt {
    pub file: String,
    pub sha256: Option<String>,
    pub rows_in: u64,
    pub rows_removed: u64,
}

/// Counts of an erasure as rows pass: per file, and per request per file.
#[derive(Debug, Clone)]
pub struct Tally {
    by_request: Vec<BTreeMap<String, u64>>,
    pub files: Vec<FileReceipt>,
    pub rows_in: u64,
    pub rows_out: u64,
}

impl Tally {
    pub fn new(requests: &Requests) -> Self {
        Tally {
            by_request: vec![BTreeMap::new(); requests.len()],
            files: Vec::new(),
            rows_in: 0,
            rows_out: 0,
        }
    }

    /// The rows counted next come from this file.
    pub fn start_file(&mut self, file: String, sha256: Option<String>) {
        self.files.push(FileReceipt {
            file,
            sha256,
            rows_in: 0,
            rows_removed: 0,
        });
    }

    /// Count a row of the current file with the requests it matched; true when it is kept (matched none).
    pub fn row(&mut self, hits: &[usize]) -> bool {
        let file = self
            .files
            .last_mut()
            .expect("Tally::start_file before Tally::row");
        file.rows_in += 1;
        self.rows_in += 1;
        if hits.is_empty() {
            self.rows_out += 1;
            return true;
        }
        for &h in hits {
            *self.by_request[h].entry(file.file.clone()).or_default() += 1;
        }
        file.rows_removed += 1;
        false
    }
}

/// What the erasure of one request removed.
#[derive(Debug, Clone, Serialize)]
pub struct RequestReceipt {
    /// Line of the request in the requests file.
    pub line: usize,
    pub kind: RequestKind,
    /// Keyed token of the identifier: the receipt holds no personal data.
    pub token: String,
    pub rows_removed: u64,
    pub by_file: BTreeMap<String, u64>,
}

/// Where the receipt's tokens and output come from: the key, its domain, the output and when.
#[derive(Debug, Clone)]
pub struct ReceiptContext {
    pub created: String,
    pub key_id: String,
    pub domain: String,
    pub output: String,
    pub output_sha256: Option<String>,
}

/// The erasure receipt: tokens and counts only, so it can be shown to the person and an auditor.
#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub tool: &'static str,
    pub version: &'static str,
    pub created: String,
    pub key_id: String,
    pub domain: String,
    pub token_version: &'static str,
    pub normalization_version: &'static str,
    pub inputs: Vec<FileReceipt>,
    pub output: String,
    pub output_sha256: Option<String>,
    pub rows_in: u64,
    pub rows_out: u64,
    pub rows_removed: u64,
    pub requests: Vec<RequestReceipt>,
    pub requests_without_match: u64,
}

impl Receipt {
    pub fn new(ctx: ReceiptContext, requests: &Requests, tally: Tally) -> Receipt {
        let reqs: Vec<RequestReceipt> = requests
            .list
            .iter()
            .zip(tally.by_request)
            .map(|(r, by)| RequestReceipt {
                line: r.line,
                kind: r.kind,
                token: r.token.clone(),
                rows_removed: by.values().sum(),
                by_file: by,
            })
            .collect();
        let unmatched = reqs.iter().filter(|r| r.rows_removed == 0).count() as u64;
        Receipt {
            tool: "steward",
            version: env!("CARGO_PKG_VERSION"),
            created: ctx.created,
            key_id: ctx.key_id,
            domain: ctx.domain,
            token_version: TOKEN_VERSION,
            normalization_version: NORMALIZATION_VERSION,
            inputs: tally.files,
            output: ctx.output,
            output_sha256: ctx.output_sha256,
            rows_in: tally.rows_in,
            rows_out: tally.rows_out,
            rows_removed: tally.rows_in - tally.rows_out,
            requests: reqs,
            requests_without_match: unmatched,
        }
    }

    /// Lines (in the requests file) of the requests that matched no row.
    pub fn unmatched_lines(&self) -> impl Iterator<Item = usize> + '_ {
        self.requests
            .iter()
            .filter(|r| r.rows_removed == 0)
            .map(|r| r.line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::key::Key;

    fn protector_key() -> Key {
        Key::for_tests(&[0x11; 32])
    }

    fn plan(text: &str, region: Option<&str>) -> Result<Requests> {
        let key = protector_key();
        plan_requests(
            text.as_bytes(),
            "req.txt",
            region,
            &Protector::new(&key, "default"),
        )
    }

    /// Columns of the rows below: id, email, phone, resident_id, country.
    fn columns() -> MatchColumns {
        let fields: Vec<String> = ["id", "email", "phone", "resident_id", "country"]
            .map(String::from)
            .to_vec();
        MatchColumns::of(&fields, &Schema::builtin()).unwrap()
    }

    fn hits(m: &mut Matcher, row: [&str; 5]) -> Vec<usize> {
        m.matches(|c| row[c]).to_vec()
    }

    #[test]
    fn requests_are_typed_and_normalized() {
        let text = "# comment\nZhang.Wei@Example.com\n+86 138 1234 5678\n00123\n11010519491231002x\nphone: 020 1234 5678\n";
        let reqs = plan(text, None).unwrap();
        let kinds: Vec<RequestKind> = reqs.list.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                RequestKind::Email,
                RequestKind::PhoneOrId,
                RequestKind::Id,
                RequestKind::ResidentId,
                RequestKind::Phone
            ]
        );
        let lines: Vec<usize> = reqs.list.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6]);
        let idx = &reqs.index;
        assert!(idx.email.contains_key("zhang.wei@example.com"));
        assert!(idx.phone.contains_key("+8613812345678"));
        assert!(idx.id.contains_key("00123"));
        assert!(idx.cn_id.contains_key("11010519491231002X"));
        // Without a region, a national number is matched by its digits at the end of a row's number.
        assert_eq!(idx.phone_tail, [("2012345678".to_string(), 4)]);
        assert!(reqs.list.iter().all(|r| !r.token.contains("zhang")));
    }

    #[test]
    fn prefixes_type_a_request_and_an_empty_value_is_not_a_prefix() {
        let reqs = plan(
            "EMAIL: a@x.com\nmobile: 138 1234 5678\ncustomer_id: 42\ncn_id: 110105199006213431\nid: 13812345678\nid:\n",
            Some("CN"),
        )
        .unwrap();
        let kinds: Vec<RequestKind> = reqs.list.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                RequestKind::Email,
                RequestKind::Phone,
                RequestKind::Id,
                RequestKind::ResidentId,
                RequestKind::Id,
                // `id:` with nothing after it is an identifier of its own, not an empty typed one.
                RequestKind::Id,
            ]
        );
        assert!(reqs.index.phone.contains_key("+8613812345678"));
        // A typed phone is not an id, and a typed id is not a phone.
        assert_eq!(reqs.index.phone.len(), 1);
        let mut ids: Vec<&str> = reqs.index.id.keys().map(|k| k.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["110105199006213431", "13812345678", "42", "id:"]);
    }

    #[test]
    fn the_same_identifier_gives_the_same_token_in_every_spelling() {
        let reqs = plan(
            "+86 138 1234 5678\n13812345678\n１３８１２３４５６７８\nA@X.com\na@x.com\n",
            Some("CN"),
        )
        .unwrap();
        let t: Vec<&str> = reqs.list.iter().map(|r| r.token.as_str()).collect();
        assert_eq!(t[0], t[1]);
        assert_eq!(t[1], t[2]);
        assert_eq!(t[3], t[4]);
        assert_ne!(t[0], t[3]);
        assert!(t.iter().all(|t| !t.is_empty() && !t.contains("138")));
    }

    #[test]
    fn a_file_without_identifiers_or_not_utf8_is_refused_naming_it() {
        let e = plan("\n# nothing\n   \n", None).unwrap_err().to_string();
        assert_eq!(e, "req.txt: no identifiers in the requests file");
        let key = protector_key();
        let e = plan_requests(
            b"a@x.com\n\xff\n",
            "req.txt",
            None,
            &Protector::new(&key, "default"),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(e, "req.txt: the requests file is not UTF-8 text (byte 8)");
    }

    #[test]
    fn rows_match_their_requests_in_any_spelling() {
        let reqs = plan(
            "wei.zhang@126.com\n+86 138 1234 5678\n１５９２３１１５６５４\n50010319750602796x\n10030\nnobody@x.com\n",
            Some("CN"),
        )
        .unwrap();
        let mut m = Matcher::new(&reqs, columns(), Some("CN".into()));
        assert_eq!(hits(&mut m, ["1", "Wei.Zhang@126.COM", "", "", ""]), [0]);
        assert_eq!(
            hits(&mut m, ["2", "", "0086-138-1234-5678", "", "中国"]),
            [1]
        );
        assert_eq!(hits(&mut m, ["3", "", "159 2311 5654", "", ""]), [2]);
        assert_eq!(hits(&mut m, ["4", "", "", "50010319750602796X", ""]), [3]);
        // Digits that may be a phone or an id match the id column.
        assert_eq!(hits(&mut m, ["10030", "", "", "", ""]), [4]);
        // One row matching two requests names each once.
        assert_eq!(
            hits(
                &mut m,
                ["10030", "wei.zhang@126.com", "13812345678", "", "CN"]
            ),
            [0, 1, 4]
        );
        assert!(hits(
            &mut m,
            [
                "5",
                "someone@x.com",
                "13900000000",
                "110105199006213431",
                ""
            ]
        )
        .is_empty());
        assert!(hits(&mut m, ["", "", "", "", ""]).is_empty());
    }

    #[test]
    fn a_row_country_decides_how_its_phone_is_read() {
        // A UK number written nationally: with the row's country it is the request's number.
        let reqs = plan("+44 20 7946 0398\n", None).unwrap();
        let mut m = Matcher::new(&reqs, columns(), None);
        assert_eq!(
            hits(&mut m, ["1", "", "020 7946 0398", "", "United Kingdom"]),
            [0]
        );
        assert!(hits(&mut m, ["1", "", "020 7946 0398", "", "FR"]).is_empty());
    }

    #[test]
    fn a_national_request_without_region_matches_the_end_of_a_number() {
        let reqs = plan("phone: 020 1234 5678\n", None).unwrap();
        let mut m = Matcher::new(&reqs, columns(), Some("CN".into()));
        assert_eq!(hits(&mut m, ["1", "", "+86 20 1234 5678", "", ""]), [0]);
        assert!(hits(&mut m, ["1", "", "+86 20 1234 5679", "", ""]).is_empty());
    }

    #[test]
    fn an_input_without_identifier_columns_is_refused() {
        let fields: Vec<String> = ["name", "city"].map(String::from).to_vec();
        let e = MatchColumns::of(&fields, &Schema::builtin()).unwrap_err();
        assert!(e
            .to_string()
            .contains("no email, phone, id or resident ID column"));
        let cols = columns();
        assert_eq!(
            (cols.id, cols.email, cols.phone, cols.cn_id, cols.country),
            (vec![0], vec![1], vec![2], vec![3], Some(4))
        );
    }

    #[test]
    fn the_receipt_counts_per_request_per_file_and_names_no_value() {
        let reqs = plan("a@x.com\nb@x.com\nc@x.com\n", None).unwrap();
        let mut t = Tally::new(&reqs);
        t.start_file("one.csv".into(), Some("aa".into()));
        assert!(!t.row(&[0]));
        assert!(t.row(&[]));
        assert!(!t.row(&[0, 1]));
        t.start_file("two.csv".into(), None);
        assert!(!t.row(&[0]));
        assert!(t.row(&[]));
        let r = Receipt::new(
            ReceiptContext {
                created: "2026-01-01T00:00:00+00:00".into(),
                key_id: "kid_1".into(),
                domain: "default".into(),
                output: "out.csv".into(),
                output_sha256: None,
            },
            &reqs,
            t,
        );
        assert_eq!((r.rows_in, r.rows_out, r.rows_removed), (5, 2, 3));
        assert_eq!(
            r.inputs,
            [
                FileReceipt {
                    file: "one.csv".into(),
                    sha256: Some("aa".into()),
                    rows_in: 3,
                    rows_removed: 2
                },
                FileReceipt {
                    file: "two.csv".into(),
                    sha256: None,
                    rows_in: 2,
                    rows_removed: 1
                },
            ]
        );
        let by: Vec<(u64, Vec<(&str, u64)>)> = r
            .requests
            .iter()
            .map(|q| {
                (
                    q.rows_removed,
                    q.by_file.iter().map(|(f, n)| (f.as_str(), *n)).collect(),
                )
            })
            .collect();
        assert_eq!(
            by,
            [
                (3, vec![("one.csv", 2), ("two.csv", 1)]),
                (1, vec![("one.csv", 1)]),
                (0, vec![])
            ]
        );
        assert_eq!(r.requests_without_match, 1);
        assert_eq!(r.unmatched_lines().collect::<Vec<_>>(), [3]);
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("a@x.com") && !json.contains("b@x.com"));
    }
}

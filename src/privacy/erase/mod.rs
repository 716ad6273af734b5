//! The right to erasure as a stage: a requests file's bytes read into typed, normalized identifiers; each
//! row of a source judged against them (removed when an identifier column matches, kept with the identifier
//! redacted when it is only written inside free text); and the receipt that names requests by token.

pub mod columns;
pub mod receipt;
pub mod scan;

use anyhow::Result;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

use super::token::{token_input, Protector};
use crate::error::StewardError;
use crate::fields::{self, Normalization};
use crate::io::rewrite::{RecordAction, RecordJudge, Redaction};
use crate::schema::{header_key, FieldKind, Schema};
use columns::{looks_like_cn_id, looks_like_phone};
pub use columns::{ColumnRole, IdKind};
pub use receipt::{FileReceipt, Receipt, ReceiptContext, RequestReceipt, Tally};
use scan::{digits_of, SpanKind};

/// How requests and rows are read to match them: always the current normalization, which reads more
/// spellings as one identifier (`user@xn--mnchen-3ya.de` is `user@münchen.de`): a person is found however
/// they were written. The receipt's tokens follow the protector's normalization, to join with data
/// tokenized under it.
const MATCHING: Normalization = Normalization::CURRENT;

/// What replaces an identifier found inside free text of a kept row.
pub const REDACTED: &str = "[erased]";

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
    /// Phone requests written with their country code, as E.164.
    phone: HashMap<String, Vec<usize>>,
    /// Phone requests written nationally (`07400 074871`): read in each row's own country.
    national: Vec<(String, usize)>,
    id: HashMap<String, Vec<usize>>,
    cn_id: HashMap<String, Vec<usize>>,
    /// The last seven digits of every phone request: a number in free text is read only when they match.
    phone_suffix: HashSet<String>,
    /// Seven digits of every phone and resident ID request (the end of a phone, the start of an ID): text
    /// is searched for numbers only when it holds one of them.
    number_keys: HashSet<String>,
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

fn add(map: &mut HashMap<String, Vec<usize>>, k: String, i: usize) {
    if !k.is_empty() {
        map.entry(k).or_default().push(i);
    }
}

fn suffix7(digits: &str) -> &str {
    &digits[digits.len().saturating_sub(7)..]
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

/// The identifier kind a requests-file header names (a schema field or one of its aliases: `email`, `手机`,
/// `customer_id`, `身份证号`); `None` for any other header.
fn header_kind(schema: &Schema, header: &str) -> Option<IdKind> {
    let k = header_key(header);
    if k.is_empty() {
        return None;
    }
    schema
        .fields
        .iter()
        .find(|f| header_key(&f.name) == k || f.aliases.iter().any(|a| header_key(a) == k))
        .and_then(|f| IdKind::of_field(f.kind))
}

/// The first line of a requests file as a header: the kind of each of its columns, when at least one names
/// an identifier kind and none looks like an identifier itself.
fn header_of(schema: &Schema, line: &str) -> Option<(u8, Vec<Option<IdKind>>)> {
    let delimiter = [b',', b'\t', b';']
        .into_iter()
        .find(|d| line.as_bytes().contains(d))
        .unwrap_or(b',');
    let cells: Vec<&str> = line
        .split(delimiter as char)
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    if cells
        .iter()
        .any(|c| c.contains('@') || digits_of(c).len() >= 5)
    {
        return None;
    }
    let kinds: Vec<Option<IdKind>> = cells.iter().map(|c| header_kind(schema, c)).collect();
    kinds
        .iter()
        .any(Option::is_some)
        .then_some((delimiter, kinds))
}

/// Read a requests file's bytes (`origin` names it in errors): one identifier a line, `#` comments and blank
/// lines skipped; or, when its first line is a header naming identifier kinds (`email`, `phone`, `id`, `手机`:
/// the schema's field names and aliases), one or more columns of identifiers of those kinds. Tokens come
/// from `prot`, phone numbers written without a country code read in `region` for their token.
pub fn plan_requests(
    text: &[u8],
    origin: &str,
    schema: &Schema,
    region: Option<&str>,
    prot: &Protector,
) -> Result<Requests> {
    let text = std::str::from_utf8(text).map_err(|e| {
        StewardError::data(format!(
            "{origin}: the requests file is not UTF-8 text (byte {})",
            e.valid_up_to()
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut list = Vec::new();
    let mut idx = Index::default();
    let mut push = |line: usize, kind: RequestKind, value: &str| {
        let i = list.len();
        plan_one(&mut idx, kind, value, i);
        let token_kind = match kind {
            RequestKind::Email => FieldKind::Email,
            RequestKind::Phone | RequestKind::PhoneOrId => FieldKind::Phone,
            RequestKind::ResidentId => FieldKind::CnId,
            RequestKind::Id => FieldKind::Id,
        };
        list.push(Request {
            line,
            kind,
            token: prot.token(token_kind, value, region),
        });
    };
    let mut content = text
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, fields::text::clean_text(l)))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .peekable();
    let header = content.peek().and_then(|(_, l)| header_of(schema, l));
    match header {
        None => {
            for (n, raw) in content {
                let (kind, value) = classify(&raw);
                push(n, kind, &value);
            }
        }
        Some((delimiter, kinds)) => {
            let header_line = content.next().map(|(n, _)| n).unwrap_or(1);
            let start: usize = text
                .split_inclusive('\n')
                .take(header_line)
                .map(str::len)
                .sum();
            let mut rdr = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .has_headers(false)
                .flexible(true)
                .comment(Some(b'#'))
                .from_reader(&text.as_bytes()[start..]);
            let mut rec = csv::StringRecord::new();
            loop {
                match rdr.read_record(&mut rec) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => {
                        return Err(StewardError::data(format!(
                            "{origin}: malformed requests: {e}"
                        ))
                        .into())
                    }
                }
                let line = header_line + rec.position().map(|p| p.line() as usize).unwrap_or(1);
                for (cell, kind) in rec.iter().zip(&kinds) {
                    let value = fields::text::clean_text(cell);
                    let Some(kind) = kind else { continue };
                    if value.is_empty() {
                        continue;
                    }
                    let kind = match kind {
                        IdKind::Email => RequestKind::Email,
                        IdKind::Phone => RequestKind::Phone,
                        IdKind::Id => RequestKind::Id,
                        IdKind::ResidentId => RequestKind::ResidentId,
                    };
                    push(line, kind, &value);
                }
            }
        }
    }
    if list.is_empty() {
        return Err(
            StewardError::data(format!("{origin}: no identifiers in the requests file")).into(),
        );
    }
    Ok(Requests { list, index: idx })
}

/// Index one request's value under every form a row may match it by.
fn plan_one(idx: &mut Index, kind: RequestKind, value: &str, i: usize) {
    match kind {
        RequestKind::Email => add(
            &mut idx.email,
            token_input(FieldKind::Email, value, None, MATCHING).into_owned(),
            i,
        ),
        RequestKind::ResidentId => {
            let d = digits_of(value);
            if d.len() >= 7 {
                idx.number_keys.insert(d[..7].to_string());
            }
            add(
                &mut idx.cn_id,
                token_input(FieldKind::CnId, value, None, MATCHING).into_owned(),
                i,
            );
            add(
                &mut idx.id,
                token_input(FieldKind::Id, value, None, MATCHING).into_owned(),
                i,
            );
        }
        RequestKind::Id => add(
            &mut idx.id,
            token_input(FieldKind::Id, value, None, MATCHING).into_owned(),
            i,
        ),
        RequestKind::Phone | RequestKind::PhoneOrId => {
            // Read without a region: only a number with its country code is complete on its own.
            let n = token_input(FieldKind::Phone, value, None, MATCHING).into_owned();
            if n.starts_with('+') {
                idx.phone_suffix.insert(suffix7(&n).to_string());
                idx.number_keys.insert(suffix7(&n).to_string());
                add(&mut idx.phone, n, i);
            } else {
                let d = digits_of(value);
                if d.trim_start_matches('0').len() >= 6 {
                    idx.phone_suffix.insert(suffix7(&d).to_string());
                    idx.number_keys.insert(suffix7(&d).to_string());
                    idx.national.push((value.to_string(), i));
                }
            }
            if kind == RequestKind::PhoneOrId {
                add(
                    &mut idx.id,
                    token_input(FieldKind::Id, value, None, MATCHING).into_owned(),
                    i,
                );
            }
        }
    }
}

/// National phone requests as read in one region: E.164 numbers, and the digits of those the region cannot
/// read (matched as the end of a row's number).
#[derive(Debug, Default)]
struct RegionIndex {
    exact: HashMap<String, Vec<usize>>,
    tails: Vec<(String, usize)>,
}

/// Says for a value which requests it matches: in identifier columns the whole value, in free text every
/// identifier written inside it.
pub struct Matcher<'a> {
    requests: &'a Requests,
    /// Region for phone numbers of rows without a usable country (`--default-region`).
    region: Option<String>,
    /// National requests read in each region met so far (`""` for rows without one).
    by_region: HashMap<String, RegionIndex>,
    /// Country column values already read, with the region each gives.
    countries: HashMap<String, Option<String>>,
    /// Country calling codes already looked up, with their region.
    codes: HashMap<u16, Option<String>>,
}

/// An identifier found inside a value: its text there, its kind, and the requests it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub text: String,
    pub kind: IdKind,
    pub requests: Vec<usize>,
}

impl<'a> Matcher<'a> {
    pub fn new(requests: &'a Requests, region: Option<String>) -> Self {
        Matcher {
            requests,
            region,
            by_region: HashMap::new(),
            countries: HashMap::new(),
            codes: HashMap::new(),
        }
    }

    /// The region a row's phone numbers are read in: its country (a country column's value), else the default.
    pub fn row_region(&mut self, country: Option<&str>) -> Option<String> {
        let Some(c) = country else {
            return self.region.clone();
        };
        // Lists hold a few countries: each spelling is read once.
        if let Some(r) = self.countries.get(c) {
            return r.clone();
        }
        let r = Some(fields::country::check_country(c).value)
            .filter(|c| c.len() == 2)
            .or_else(|| self.region.clone());
        if self.countries.len() < 10_000 {
            self.countries.insert(c.to_string(), r.clone());
        }
        r
    }

    fn national_in(&mut self, region: Option<&str>) -> &RegionIndex {
        let key = region.unwrap_or("").to_string();
        let requests = self.requests;
        let national = &requests.index.national;
        self.by_region.entry(key).or_insert_with(|| {
            let mut r = RegionIndex::default();
            for (value, i) in national {
                let n = match region {
                    Some(_) => token_input(FieldKind::Phone, value, region, MATCHING).into_owned(),
                    None => String::new(),
                };
                if n.starts_with('+') {
                    add(&mut r.exact, n, *i);
                } else {
                    let d = digits_of(value).trim_start_matches('0').to_string();
                    r.tails.push((d, *i));
                }
            }
            r
        })
    }

    /// The region of an E.164 number's country code (the main one where a code is shared, as +1 by the US).
    fn region_of_number(&mut self, e164: &str) -> Option<String> {
        let d = e164.strip_prefix('+')?.as_bytes();
        for len in 1..=3.min(d.len()) {
            let Ok(code) = std::str::from_utf8(&d[..len]).unwrap_or("").parse::<u16>() else {
                return None;
            };
            if let Some(r) = self.codes.get(&code) {
                if r.is_some() {
                    return r.clone();
                }
                continue;
            }
            let r = phonenumber::metadata::DATABASE
                .by_code(&code)
                .and_then(|m| {
                    m.iter()
                        .find(|m| m.is_main_country_for_code())
                        .or(m.first())
                        .map(|m| m.id().to_string())
                });
            self.codes.insert(code, r.clone());
            if r.is_some() {
                return r;
            }
        }
        None
    }

    /// Requests a phone number (as written in a row of `region`) matches, added to `hits`.
    fn phone_hits(&mut self, raw: &str, region: Option<&str>, hits: &mut Vec<usize>) {
        let n = token_input(FieldKind::Phone, raw, region, MATCHING);
        if let Some(v) = self.requests.index.phone.get(n.as_ref()) {
            hits.extend(v);
        }
        if self.requests.index.national.is_empty() {
            return;
        }
        let n = n.into_owned();
        // A number written with its country code says its own country: a national request is read there.
        let own = if n.starts_with('+') {
            self.region_of_number(&n)
        } else {
            None
        };
        let r = self.national_in(own.as_deref().or(region));
        if let Some(v) = r.exact.get(&n) {
            hits.extend(v);
        }
        if !r.tails.is_empty() {
            let d = digits_of(&n);
            for (tail, i) in &r.tails {
                if d.ends_with(tail.as_str()) {
                    hits.push(*i);
                }
            }
        }
    }

    /// Requests a whole value of an identifier column of `kind` matches, added to `hits`.
    pub fn value_hits(
        &mut self,
        kind: IdKind,
        raw: &str,
        region: Option<&str>,
        hits: &mut Vec<usize>,
    ) {
        let requests = self.requests;
        let index = &requests.index;
        let map = match kind {
            IdKind::Email => &index.email,
            IdKind::Id => &index.id,
            IdKind::ResidentId => &index.cn_id,
            IdKind::Phone => {
                return self.phone_hits(raw, region, hits);
            }
        };
        if map.is_empty() {
            return;
        }
        let fk = match kind {
            IdKind::Email => FieldKind::Email,
            IdKind::Id => FieldKind::Id,
            _ => FieldKind::CnId,
        };
        if let Some(v) = map.get(token_input(fk, raw, None, MATCHING).as_ref()) {
            hits.extend(v);
        }
    }

    /// Identifiers of requests written inside `text` (emails, phone numbers, resident IDs; customer ids are
    /// matched only in id columns, a short number in prose being anything).
    pub fn text_hits(&mut self, text: &str, region: Option<&str>, found: &mut Vec<Found>) {
        let requests = self.requests;
        let index = &requests.index;
        if !index.email.is_empty() && text.contains('@') {
            let mut spans = Vec::new();
            scan::email_spans(text, &mut spans);
            for (s, e) in spans {
                if let Some(v) = index
                    .email
                    .get(token_input(FieldKind::Email, &text[s..e], None, MATCHING).as_ref())
                {
                    found.push(Found {
                        text: text[s..e].to_string(),
                        kind: IdKind::Email,
                        requests: v.clone(),
                    });
                }
            }
        }
        let phones = !index.phone_suffix.is_empty();
        let ids = !index.cn_id.is_empty();
        if !(phones || ids) || scan::digit_count(text) < 7 {
            return;
        }
        // Any number of a request written here has seven digits in a row (separators aside) that one of
        // the requests has: most text with digits (dates, amounts, order numbers) stops at this test.
        let d = digits_of(text);
        if !(0..=d.len() - 7).any(|i| index.number_keys.contains(&d[i..i + 7])) {
            return;
        }
        let mut spans = Vec::new();
        scan::number_spans(text, &mut spans);
        let mut taken_until = 0usize;
        for (kind, s, e) in spans {
            let span = &text[s..e];
            let mut hits = Vec::new();
            match kind {
                SpanKind::ResidentId if ids => {
                    if let Some(v) = index
                        .cn_id
                        .get(token_input(FieldKind::CnId, span, None, MATCHING).as_ref())
                    {
                        hits.extend(v);
                    }
                }
                SpanKind::Phone if phones && s >= taken_until => {
                    let d = digits_of(span);
                    if index.phone_suffix.contains(suffix7(&d)) {
                        self.phone_hits(span, region, &mut hits);
                    }
                }
                _ => {}
            }
            if !hits.is_empty() {
                hits.sort_unstable();
                hits.dedup();
                taken_until = e;
                found.push(Found {
                    text: span.to_string(),
                    kind: if kind == SpanKind::ResidentId {
                        IdKind::ResidentId
                    } else {
                        IdKind::Phone
                    },
                    requests: hits,
                });
            }
        }
    }
}

/// Judges the rows of one source: learns its columns from the first rows, then removes, redacts or keeps.
pub struct SourceEraser<'s, 'r> {
    matcher: &'s mut Matcher<'r>,
    tally: &'s mut Tally,
    headers: Vec<String>,
    mapped: Vec<Option<FieldKind>>,
    country: Option<usize>,
    sample: Vec<Vec<String>>,
    roles: Option<Vec<ColumnRole>>,
    hits: Vec<usize>,
    kinds: Vec<IdKind>,
    found: Vec<Found>,
}

impl<'s, 'r> SourceEraser<'s, 'r> {
    /// `headers` as the source names its columns; `mapped` the schema kind of each mapped column. The tally's
    /// current file is this source.
    pub fn new(
        matcher: &'s mut Matcher<'r>,
        tally: &'s mut Tally,
        headers: Vec<String>,
        mapped: Vec<Option<FieldKind>>,
    ) -> Self {
        let country = mapped.iter().position(|k| *k == Some(FieldKind::Country));
        SourceEraser {
            matcher,
            tally,
            headers,
            mapped,
            country,
            sample: Vec::new(),
            roles: None,
            hits: Vec::new(),
            kinds: Vec::new(),
            found: Vec::new(),
        }
    }

    /// The columns' roles, learned from the sample on first use.
    fn roles(&mut self) -> &[ColumnRole] {
        if self.roles.is_none() {
            let roles = columns::classify(&self.mapped, &self.sample);
            let file = self.tally.file();
            for (c, role) in roles.iter().enumerate() {
                if let ColumnRole::Identifier { kind, inferred } = role {
                    let name = self.headers.get(c).cloned().unwrap_or_default();
                    let how = if *inferred {
                        format!("{} (by values)", kind.as_str())
                    } else {
                        kind.as_str().to_string()
                    };
                    file.identifier_columns.insert(name, how);
                }
            }
            self.sample = Vec::new();
            self.roles = Some(roles);
        }
        self.roles.as_deref().unwrap_or(&[])
    }

    /// Whether the source has a column that identifies people (so that a match there can remove a row).
    pub fn has_identifier_column(&mut self) -> bool {
        self.roles()
            .iter()
            .any(|r| matches!(r, ColumnRole::Identifier { .. }))
    }
}

impl RecordJudge for SourceEraser<'_, '_> {
    fn sample(&mut self, fields: &[&str]) -> bool {
        self.sample
            .push(fields.iter().map(|s| s.to_string()).collect());
        self.sample.len() < columns::SAMPLE_ROWS
    }

    fn judge(&mut self, _row: u64, fields: &[&str]) -> Result<RecordAction> {
        self.roles();
        let roles = self.roles.take().unwrap_or_default();
        let region = self
            .matcher
            .row_region(self.country.and_then(|c| fields.get(c).copied()));
        let region = region.as_deref();
        self.hits.clear();
        self.kinds.clear();
        let mut redactions: Vec<(usize, Found)> = Vec::new();
        for (c, v) in fields.iter().enumerate() {
            if v.trim().is_empty() {
                continue;
            }
            match roles.get(c).copied().unwrap_or(ColumnRole::Text) {
                ColumnRole::Identifier { kind, .. } => {
                    let before = self.hits.len();
                    self.matcher.value_hits(kind, v, region, &mut self.hits);
                    // A list in one cell ("a@x.com; b@y.com"): each identifier inside counts.
                    if self.hits.len() == before
                        && kind != IdKind::Id
                        && v.trim().contains([',', ';', '/', ' ', '\n'])
                    {
                        self.found.clear();
                        self.matcher.text_hits(v, region, &mut self.found);
                        for f in &self.found {
                            self.hits.extend(&f.requests);
                        }
                    }
                    if self.hits.len() > before && !self.kinds.contains(&kind) {
                        self.kinds.push(kind);
                    }
                }
                ColumnRole::Text => {
                    self.found.clear();
                    self.matcher.text_hits(v, region, &mut self.found);
                    redactions.extend(self.found.drain(..).map(|f| (c, f)));
                }
            }
        }
        self.roles = Some(roles);
        if !self.hits.is_empty() {
            self.hits.sort_unstable();
            self.hits.dedup();
            self.tally.remove(&self.hits, &self.kinds);
            return Ok(RecordAction::Remove);
        }
        self.tally.keep();
        if redactions.is_empty() {
            return Ok(RecordAction::Keep);
        }
        let mut out = Vec::with_capacity(redactions.len());
        for (c, f) in redactions {
            let column = self.headers.get(c).cloned().unwrap_or_default();
            self.tally.redact(&column, &f);
            out.push(Redaction {
                col: c,
                found: f.text,
            });
        }
        Ok(RecordAction::Redact(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::key::Key;

    fn plan(text: &str, region: Option<&str>) -> Result<Requests> {
        let key = Key::for_tests(&[0x11; 32]);
        plan_requests(
            text.as_bytes(),
            "req.txt",
            &Schema::builtin(),
            region,
            &Protector::new(&key, "default", Normalization::CURRENT),
        )
    }

    fn kinds(r: &Requests) -> Vec<RequestKind> {
        r.list.iter().map(|r| r.kind).collect()
    }

    /// Requests a row matches, as `judge` sees it: columns id, email, phone, resident_id, country, notes.
    fn judge(reqs: &Requests, region: Option<&str>, row: [&str; 6]) -> (RecordAction, Tally) {
        let mut m = Matcher::new(reqs, region.map(String::from));
        let mut t = Tally::new(reqs);
        t.start_file("f.csv".into(), None, "out.csv".into());
        let headers = ["id", "email", "phone", "resident_id", "country", "notes"]
            .map(String::from)
            .to_vec();
        let schema = Schema::builtin();
        let mapped = headers
            .iter()
            .map(|h| schema.field(h).map(|f| f.kind))
            .collect();
        let action = {
            let mut e = SourceEraser::new(&mut m, &mut t, headers, mapped);
            e.judge(2, &row).unwrap()
        };
        (action, t)
    }

    #[test]
    fn requests_are_typed_and_normalized() {
        let text = "# comment\nZhang.Wei@Example.com\n+86 138 1234 5678\n00123\n11010519491231002x\nphone: 020 1234 5678\n";
        let reqs = plan(text, None).unwrap();
        assert_eq!(
            kinds(&reqs),
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
        assert_eq!(idx.national, [("020 1234 5678".to_string(), 4)]);
        assert!(reqs.list.iter().all(|r| !r.token.contains("zhang")));
    }

    #[test]
    fn a_header_line_names_the_kind_of_its_column() {
        for (header, kind) in [
            ("email", RequestKind::Email),
            ("phone", RequestKind::Phone),
            ("mobile", RequestKind::Phone),
            ("手机", RequestKind::Phone),
            ("邮箱", RequestKind::Email),
            ("customer_id", RequestKind::Id),
            ("id", RequestKind::Id),
            ("身份证号", RequestKind::ResidentId),
        ] {
            let reqs = plan(&format!("{header}\n13812345678\n"), Some("CN")).unwrap();
            assert_eq!(kinds(&reqs), [kind], "{header}");
            assert_eq!(reqs.list[0].line, 2);
        }
        // Several columns: every cell is a request of its column's kind; other columns are ignored.
        let reqs = plan(
            "name,email,phone\nZhang Wei,a@x.com,+44 7400 074871\n\"Li, Na\",,020 1234 5678\n",
            None,
        )
        .unwrap();
        assert_eq!(
            kinds(&reqs),
            [RequestKind::Email, RequestKind::Phone, RequestKind::Phone]
        );
        let lines: Vec<usize> = reqs.list.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 2, 3]);
        // CRLF line ends, a comment above the header.
        let reqs = plan("# from the DPO\r\nemail\r\na@x.com\r\n", None).unwrap();
        assert_eq!(kinds(&reqs), [RequestKind::Email]);
        assert_eq!(reqs.list[0].line, 3);
        // A first line that is an identifier is not a header.
        assert_eq!(plan("a@x.com\n", None).unwrap().len(), 1);
    }

    #[test]
    fn prefixes_type_a_request_and_an_empty_value_is_not_a_prefix() {
        let reqs = plan(
            "EMAIL: a@x.com\nmobile: +86 138 1234 5678\ncustomer_id: 42\ncn_id: 110105199006213431\nid: 13812345678\nid:\n",
            Some("CN"),
        )
        .unwrap();
        assert_eq!(
            kinds(&reqs),
            [
                RequestKind::Email,
                RequestKind::Phone,
                RequestKind::Id,
                RequestKind::ResidentId,
                RequestKind::Id,
                RequestKind::Id,
            ]
        );
        assert_eq!(reqs.index.phone.len(), 1);
        let mut ids: Vec<&str> = reqs.index.id.keys().map(|k| k.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["110105199006213431", "13812345678", "42", "id:"]);
    }

    #[test]
    fn a_file_without_identifiers_or_not_utf8_is_refused_naming_it() {
        let e = plan("\n# nothing\n   \n", None).unwrap_err().to_string();
        assert_eq!(e, "req.txt: no identifiers in the requests file");
        let key = Key::for_tests(&[0x11; 32]);
        let e = plan_requests(
            b"a@x.com\n\xff\n",
            "req.txt",
            &Schema::builtin(),
            None,
            &Protector::new(&key, "default", Normalization::CURRENT),
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
        let removed = |row| judge(&reqs, Some("CN"), row).0 == RecordAction::Remove;
        assert!(removed(["1", "Wei.Zhang@126.COM", "", "", "", ""]));
        assert!(removed(["2", "", "0086-138-1234-5678", "", "中国", ""]));
        assert!(removed(["3", "", "159 2311 5654", "", "", ""]));
        assert!(removed(["4", "", "", "50010319750602796X", "", ""]));
        assert!(removed(["10030", "", "", "", "", ""]));
        let (_, t) = judge(
            &reqs,
            Some("CN"),
            ["10030", "wei.zhang@126.com", "13812345678", "", "CN", ""],
        );
        let hit: Vec<usize> = (0..6).filter(|&i| !t.by_request[i].is_empty()).collect();
        assert_eq!(hit, [0, 1, 4]);
        assert_eq!(
            t.removed_by_kind.keys().copied().collect::<Vec<_>>(),
            [IdKind::Email, IdKind::Phone, IdKind::Id]
        );
        assert_eq!(
            judge(
                &reqs,
                Some("CN"),
                [
                    "5",
                    "someone@x.com",
                    "13900000000",
                    "110105199006213431",
                    "",
                    ""
                ]
            )
            .0,
            RecordAction::Keep
        );
    }

    #[test]
    fn a_national_number_is_read_in_the_row_own_country() {
        // --default-region US must not stop a UK number written nationally from matching a UK customer.
        let reqs = plan("07400 074871\n", Some("US")).unwrap();
        let (a, _) = judge(&reqs, Some("US"), ["1", "", "+44 7400 074871", "", "", ""]);
        assert_eq!(a, RecordAction::Remove);
        let (a, _) = judge(
            &reqs,
            Some("US"),
            ["1", "", "07400 074871", "", "United Kingdom", ""],
        );
        assert_eq!(a, RecordAction::Remove);
        let (a, _) = judge(&reqs, Some("US"), ["1", "", "07400 074871", "", "GB", ""]);
        assert_eq!(a, RecordAction::Remove);
        let (a, _) = judge(&reqs, Some("US"), ["1", "", "+44 7400 074872", "", "", ""]);
        assert_eq!(a, RecordAction::Keep);
        let reqs = plan("+44 20 7946 0398\n", None).unwrap();
        let (a, _) = judge(
            &reqs,
            None,
            ["1", "", "020 7946 0398", "", "United Kingdom", ""],
        );
        assert_eq!(a, RecordAction::Remove);
        let (a, _) = judge(&reqs, None, ["1", "", "020 7946 0398", "", "FR", ""]);
        assert_eq!(a, RecordAction::Keep);
    }

    #[test]
    fn an_identifier_in_free_text_is_redacted_and_the_row_kept() {
        let reqs = plan("a@x.com\n+44 7400 074871\n", None).unwrap();
        let (a, t) = judge(
            &reqs,
            None,
            [
                "7",
                "b@y.com",
                "",
                "",
                "GB",
                "referred by A@X.com, call 07400 074871",
            ],
        );
        assert_eq!(
            a,
            RecordAction::Redact(vec![
                Redaction {
                    col: 5,
                    found: "A@X.com".into()
                },
                Redaction {
                    col: 5,
                    found: "07400 074871".into()
                },
            ])
        );
        assert_eq!(t.rows_out, 1);
        assert_eq!(t.files[0].values_redacted, 2);
        assert_eq!(t.files[0].redacted_by_column["notes"], 2);
        assert_eq!(t.redacted_by_kind[&IdKind::Email], 1);
        assert_eq!(t.redacted_by_kind[&IdKind::Phone], 1);
    }

    #[test]
    fn the_receipt_counts_and_names_no_value() {
        let reqs = plan("a@x.com\nb@x.com\nc@x.com\n", None).unwrap();
        let mut t = Tally::new(&reqs);
        t.start_file("one.csv".into(), Some("aa".into()), "one-out.csv".into());
        t.remove(&[0], &[IdKind::Email]);
        t.keep();
        t.remove(&[0, 1], &[IdKind::Email]);
        t.start_file("two.csv".into(), None, "two-out.csv".into());
        t.remove(&[0], &[IdKind::Email]);
        t.keep();
        let r = Receipt::new(
            ReceiptContext {
                created: "2026-01-01T00:00:00+00:00".into(),
                key_id: "kid_1".into(),
                domain: "default".into(),
                normalization: Normalization::CURRENT,
                mode: "copy",
            },
            &reqs,
            t,
        );
        assert_eq!((r.rows_in, r.rows_out, r.rows_removed), (5, 2, 3));
        assert_eq!(r.rows_removed_by_kind[&IdKind::Email], 3);
        let by: Vec<u64> = r.requests.iter().map(|q| q.rows_removed).collect();
        assert_eq!(by, [3, 1, 0]);
        assert_eq!(r.requests_without_match, 1);
        assert_eq!(r.unmatched_lines().collect::<Vec<_>>(), [3]);
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("a@x.com") && !json.contains("b@x.com"));
    }
}

//! `steward erase`: the right to erasure. Every row matching a requested identifier (after normalization,
//! so every spelling matches) is removed; a receipt records what was removed from which file, naming each
//! request only by its keyed token.

use anyhow::Result;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{open_all, read_options, Ui};
use crate::cli::EraseArgs;
use crate::error::StewardError;
use crate::fields;
use crate::io::write::{
    check_output_path, input_identities, AtomicFile, DatasetWriter, Destination, WriteOptions,
};
use crate::io::Item;
use crate::privacy::key::Key;
use crate::privacy::token::{token_input, Protector, NORMALIZATION_VERSION, TOKEN_VERSION};
use crate::schema::{FieldKind, Schema};
use crate::table::plan_import;

/// What a request identifies people by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum RequestKind {
    Email,
    Phone,
    ResidentId,
    Id,
    /// Digits that may be a phone number or a customer id: matched as both.
    PhoneOrId,
}

struct Request {
    line: usize,
    kind: RequestKind,
    token: String,
}

/// Where each normalized identifier points: request indexes.
#[derive(Default)]
struct Index {
    email: HashMap<String, Vec<usize>>,
    phone: HashMap<String, Vec<usize>>,
    /// National digits of phone requests that could not be read as full numbers: matched as the tail of a
    /// row's number.
    phone_tail: Vec<(String, usize)>,
    id: HashMap<String, Vec<usize>>,
    cn_id: HashMap<String, Vec<usize>>,
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

fn parse_requests(
    text: &str,
    origin: &str,
    region: Option<&str>,
    prot: &Protector,
) -> Result<(Vec<Request>, Index)> {
    let mut reqs = Vec::new();
    let mut idx = Index::default();
    for (n, line) in text.lines().enumerate() {
        let raw = fields::text::clean_text(line);
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let (kind, value) = match raw.split_once(':') {
            Some((t, v))
                if !v.trim().is_empty()
                    && matches!(
                        t.trim().to_ascii_lowercase().as_str(),
                        "email"
                            | "phone"
                            | "mobile"
                            | "id"
                            | "customer_id"
                            | "resident_id"
                            | "cn_id"
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
                } else if looks_like_cn_id(&raw) {
                    RequestKind::ResidentId
                } else if looks_like_phone(&raw) {
                    RequestKind::PhoneOrId
                } else {
                    RequestKind::Id
                };
                (k, raw.clone())
            }
        };
        let i = reqs.len();
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
        reqs.push(Request {
            line: n + 1,
            kind,
            token,
        });
    }
    if reqs.is_empty() {
        return Err(
            StewardError::data(format!("{origin}: no identifiers in the requests file")).into(),
        );
    }
    Ok((reqs, idx))
}

#[derive(Serialize)]
struct RequestReceipt {
    /// Line of the request in the requests file.
    line: usize,
    kind: RequestKind,
    /// Keyed token of the identifier: the receipt holds no personal data.
    token: String,
    rows_removed: u64,
    by_file: BTreeMap<String, u64>,
}

#[derive(Serialize)]
struct FileReceipt {
    file: String,
    sha256: Option<String>,
    rows_in: u64,
    rows_removed: u64,
}

#[derive(Serialize)]
struct Receipt {
    tool: &'static str,
    version: &'static str,
    created: String,
    key_id: String,
    domain: String,
    token_version: &'static str,
    normalization_version: &'static str,
    inputs: Vec<FileReceipt>,
    output: String,
    output_sha256: Option<String>,
    rows_in: u64,
    rows_out: u64,
    rows_removed: u64,
    requests: Vec<RequestReceipt>,
    requests_without_match: u64,
}

pub fn run(args: &EraseArgs, ui: Ui) -> Result<()> {
    crate::fields::phone::warm_up();
    let started = chrono::Local::now();
    let opts = read_options(&args.input, false)?;
    let schema = Schema::load_or_builtin(args.schema.schema.as_deref())?;
    let key = Key::required(
        args.key.key_file.as_deref(),
        "erase (its receipt names requests by keyed token)",
    )?;
    let domain = args.key.domain.clone().unwrap_or_else(|| "default".into());
    let prot = Protector::new(&key, &domain);
    let region = super::region_code(args.default_region.as_deref())?;
    let origin = args.requests.display().to_string();
    crate::io::write::note_read(std::path::Path::new(&args.requests));
    let text = std::fs::read(&args.requests)
        .map_err(|e| StewardError::no_input(format!("{origin}: cannot read the requests: {e}")))?;
    let text = String::from_utf8(text).map_err(|e| {
        StewardError::data(format!(
            "{origin}: the requests file is not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let (requests, index) = parse_requests(&text, &origin, region.as_deref(), &prot)?;

    let (paths, sources) = open_all(&args.sources, &opts)?;
    let mut inputs = input_identities(&paths);
    if let Some(id) = crate::io::write::FileIdentity::of(&args.requests) {
        inputs.push((origin.clone(), id));
    }
    check_output_path(Path::new(&args.receipt), args.force, &inputs)?;
    if args.receipt == args.output {
        return Err(StewardError::usage("--receipt must differ from the output").into());
    }
    let plan = plan_import(&schema, &sources, &args.schema.maps)?;
    let kind_cols = |k: FieldKind| -> Vec<usize> {
        plan.columns[..plan.mapped_fields]
            .iter()
            .enumerate()
            .filter(|(_, c)| schema.field(c).is_some_and(|f| f.kind == k))
            .map(|(i, _)| i)
            .collect()
    };
    let email_cols = kind_cols(FieldKind::Email);
    let phone_cols = kind_cols(FieldKind::Phone);
    let id_cols = kind_cols(FieldKind::Id);
    let cn_cols = kind_cols(FieldKind::CnId);
    let country_col = kind_cols(FieldKind::Country).first().copied();
    if email_cols.is_empty() && phone_cols.is_empty() && id_cols.is_empty() && cn_cols.is_empty() {
        return Err(StewardError::usage(
            "the input has no email, phone, id or resident ID column to match requests against (map one with --map)",
        )
        .into());
    }

    // One source keeps its own columns; several are written as one table with _source and _row.
    let single = sources.len() == 1;
    let out_columns: Vec<String> = if single {
        sources[0].info.headers.clone()
    } else {
        plan.columns.clone()
    };
    let format = super::data_format(&args.output, &args.data, &args.report, ui)?;
    let dest = Destination::open(&args.output, args.force, &inputs)?;
    let mut integer_columns = vec![false; out_columns.len()];
    if !single {
        integer_columns[out_columns.len() - 1] = true;
    }
    let mut writer = DatasetWriter::new(
        dest,
        &out_columns,
        WriteOptions {
            format,
            formula_guard: !args.no_formula_guard,
            integer_columns,
        },
    )?;

    let mut removed_by: Vec<BTreeMap<String, u64>> = vec![BTreeMap::new(); requests.len()];
    let mut files: Vec<FileReceipt> = Vec::new();
    let mut hits: Vec<usize> = Vec::new();
    let mut cells: Vec<String> = vec![String::new(); plan.columns.len()];
    let (mut rows_in, mut rows_out) = (0u64, 0u64);
    for (si, src) in sources.iter().enumerate() {
        let proj = &plan.projections[si];
        let mut file = FileReceipt {
            file: src.info.label.clone(),
            sha256: if src.info.path == "-" {
                None
            } else {
                crate::report::sha256_file(Path::new(&src.info.path))
            },
            rows_in: 0,
            rows_removed: 0,
        };
        src.for_each(|item| {
            let Item::Row(r) = item else {
                // Strict reading: a malformed row is an error before this point.
                return Ok(());
            };
            file.rows_in += 1;
            rows_in += 1;
            let get = |c: usize| -> &str {
                proj[c]
                    .and_then(|i| r.fields.get(i))
                    .map(|s| &**s)
                    .unwrap_or("")
            };
            hits.clear();
            for &c in &email_cols {
                if let Some(v) = index
                    .email
                    .get(token_input(FieldKind::Email, get(c), None).as_ref())
                {
                    hits.extend(v);
                }
            }
            if !phone_cols.is_empty() {
                let row_region = country_col
                    .map(|c| fields::country::check_country(get(c)).value)
                    .filter(|c| c.len() == 2)
                    .or_else(|| region.clone());
                for &c in &phone_cols {
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
            for &c in &id_cols {
                if let Some(v) = index
                    .id
                    .get(token_input(FieldKind::Id, get(c), None).as_ref())
                {
                    hits.extend(v);
                }
            }
            for &c in &cn_cols {
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
            if !hits.is_empty() {
                hits.sort_unstable();
                hits.dedup();
                for &h in &hits {
                    *removed_by[h].entry(src.info.label.clone()).or_default() += 1;
                }
                file.rows_removed += 1;
                return Ok(());
            }
            rows_out += 1;
            if single {
                writer.write_row(r.fields)
            } else {
                for (o, cell) in cells.iter_mut().enumerate().take(proj.len()) {
                    cell.clear();
                    cell.push_str(get(o));
                }
                let n = cells.len();
                cells[n - 2] = src.info.label.clone();
                cells[n - 1] = r.row.to_string();
                writer.write_row(&cells)
            }
        })?;
        files.push(file);
    }
    writer.finish()?;

    let output_sha256 = if args.output == "-" {
        None
    } else {
        crate::report::sha256_file(Path::new(&args.output))
    };
    let req_receipts: Vec<RequestReceipt> = requests
        .iter()
        .zip(removed_by)
        .map(|(r, by)| RequestReceipt {
            line: r.line,
            kind: r.kind,
            token: r.token.clone(),
            rows_removed: by.values().sum(),
            by_file: by,
        })
        .collect();
    let unmatched = req_receipts.iter().filter(|r| r.rows_removed == 0).count() as u64;
    let receipt = Receipt {
        tool: "steward",
        version: env!("CARGO_PKG_VERSION"),
        created: chrono::Local::now().to_rfc3339(),
        key_id: key.id(),
        domain,
        token_version: TOKEN_VERSION,
        normalization_version: NORMALIZATION_VERSION,
        inputs: files,
        output: args.output.clone(),
        output_sha256,
        rows_in,
        rows_out,
        rows_removed: rows_in - rows_out,
        requests: req_receipts,
        requests_without_match: unmatched,
    };
    // Tokens and counts only: a receipt can be shown to the person and an auditor.
    let mut f = AtomicFile::create(Path::new(&args.receipt))?;
    f.make_shareable();
    serde_json::to_writer_pretty(f.file(), &receipt)?;
    f.commit()?;
    crate::report::write_manifest(
        "erase",
        started,
        &super::read_inputs(&paths, &sources),
        &[
            ("output", args.output.as_str()),
            ("receipt", args.receipt.as_str()),
        ],
        serde_json::json!({"rows_in": rows_in, "rows_out": rows_out, "rows_removed": receipt.rows_removed, "requests": requests.len()}),
        Some(key.id()),
    )?;
    if args.report.is_json() {
        let summary = serde_json::json!({
            "rows_in": rows_in,
            "rows_out": rows_out,
            "rows_removed": receipt.rows_removed,
            "requests": requests.len(),
            "requests_without_match": unmatched,
            "output": args.output,
            "receipt": args.receipt,
            "key_id": receipt.key_id,
        });
        return super::emit_json(&summary, args.output == "-");
    }
    ui.say(format!(
        "erased {} row(s) for {} request(s): {} in = {} written + {} erased",
        receipt.rows_removed,
        requests.len(),
        rows_in,
        rows_out,
        receipt.rows_removed
    ));
    for line in super::source_lines(&super::source_summaries(&sources)) {
        ui.say(line);
    }
    if unmatched > 0 {
        ui.say(format!(
            "{unmatched} request(s) matched no row (see the receipt; lines {})",
            receipt
                .requests
                .iter()
                .filter(|r| r.rows_removed == 0)
                .take(10)
                .map(|r| r.line.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    ui.say(format!(
        "receipt: {} (requests named by keyed token only)",
        args.receipt
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_typed_and_normalized() {
        let key = Key::for_tests(&[0x11; 32]);
        let p = Protector::new(&key, "default");
        let text = "# comment\nZhang.Wei@Example.com\n+86 138 1234 5678\n00123\n11010519491231002x\nphone: 020 1234 5678\n";
        let (reqs, idx) = parse_requests(text, "t", None, &p).unwrap();
        let kinds: Vec<RequestKind> = reqs.iter().map(|r| r.kind).collect();
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
        assert!(idx.email.contains_key("zhang.wei@example.com"));
        assert!(idx.phone.contains_key("+8613812345678"));
        assert!(idx.id.contains_key("00123"));
        assert!(idx.cn_id.contains_key("11010519491231002X"));
        assert!(reqs.iter().all(|r| !r.token.contains("zhang")));
        assert!(parse_requests("\n# nothing\n", "t", None, &p).is_err());
    }
}

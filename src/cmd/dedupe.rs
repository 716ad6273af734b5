//! `steward dedupe`: find records of the same customer, cluster them and write golden records, with the
//! pairs, a review file, a merge map and explanations; link two lists; match new records into existing
//! golden records with stable ids.

use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

use super::{emit_json, open_all, read_options, Progress, Ui};
use crate::cli::{DedupeArgs, ReportFormat};
use crate::dedupe::{
    self, explain, level_names, BlockingRule, Column, Config, FieldKind as MK, Input, KeyPart,
    Label, Mode, Outcome,
};
use crate::error::StewardError;
use crate::io::write::{
    input_identities, DatasetWriter, Destination, FileIdentity, OutputFormat, WriteOptions,
};
use crate::schema::{FieldKind, Schema};
use crate::table::{load_table_counted, Loaded, Table, TextColumn, ROW_COLUMN, SOURCE_COLUMN};

impl Column for TextColumn {
    fn len(&self) -> usize {
        TextColumn::len(self)
    }
    fn get(&self, row: usize) -> &str {
        TextColumn::get(self, row)
    }
}

/// Two tables' columns of one field, one after the other (old then new, or A then B).
struct Stacked<'a> {
    first: Option<&'a TextColumn>,
    first_len: usize,
    second: Option<&'a TextColumn>,
    second_len: usize,
}

impl Column for Stacked<'_> {
    fn len(&self) -> usize {
        self.first_len + self.second_len
    }
    fn get(&self, row: usize) -> &str {
        if row < self.first_len {
            self.first.map(|c| c.get(row)).unwrap_or("")
        } else {
            self.second
                .map(|c| c.get(row - self.first_len))
                .unwrap_or("")
        }
    }
}

/// The `[dedupe]` section of a schema.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    threshold: Option<f64>,
    review_lower: Option<f64>,
    max_block: Option<usize>,
    /// Blocking keys: parts joined by `+` (a field name, `field:N` for a prefix, name_sorted, family_soundex,
    /// given_soundex, family_initial, given_initial, sorted_initials, any_name_soundex, any_name_initial,
    /// birth_year, birth_date).
    blocking: Option<Vec<String>>,
    /// Field -> rule (most_recent, most_complete, most_frequent, longest, source:NAME).
    #[serde(default)]
    survivorship: BTreeMap<String, String>,
    /// Date field that says which record is most recent [default: updated_at, last_purchase_date, signup_date].
    recency_field: Option<String>,
    /// Fields not compared.
    #[serde(default)]
    ignore: Vec<String>,
}

fn settings(schema: &Schema) -> Result<Settings> {
    match schema.sections.get("dedupe") {
        None => Ok(Settings::default()),
        Some(v) => v.clone().try_into().map_err(|e: toml::de::Error| {
            StewardError::data(format!(
                "schema [dedupe]: {}",
                e.message().lines().next().unwrap_or("invalid")
            ))
            .into()
        }),
    }
}

/// Which engine kind a table column is matched as, if any.
fn match_kind(schema: &Schema, column: &str) -> Option<MK> {
    match column {
        "name" => return Some(MK::FullName),
        "given_name" => return Some(MK::GivenName),
        "family_name" => return Some(MK::FamilyName),
        "birth_date" => return Some(MK::Date),
        "gender" => return Some(MK::Gender),
        "city" => return Some(MK::City),
        "province" => return Some(MK::Province),
        _ => {}
    }
    match schema.field(column) {
        Some(f) => match f.kind {
            FieldKind::Id => Some(MK::Id),
            FieldKind::Email => Some(MK::Email),
            FieldKind::Phone => Some(MK::Phone),
            FieldKind::CnId => Some(MK::CnId),
            FieldKind::Address => Some(MK::Address),
            FieldKind::Postcode => Some(MK::Postcode),
            FieldKind::Country => Some(MK::Country),
            _ => None,
        },
        // An unmapped second address line is still evidence.
        None if column.to_lowercase().contains("address") => Some(MK::Text),
        None => None,
    }
}

fn parse_rule(spec: &str, fields: &[String]) -> Result<BlockingRule> {
    let mut parts = Vec::new();
    for p in spec.split('+').map(str::trim) {
        let part = match p {
            "name_sorted" => KeyPart::NameSorted,
            "family_soundex" => KeyPart::FamilySoundex,
            "given_soundex" => KeyPart::GivenSoundex,
            "family_initial" => KeyPart::FamilyInitial,
            "given_initial" => KeyPart::GivenInitial,
            "sorted_initials" => KeyPart::SortedInitials,
            "any_name_soundex" => KeyPart::AnyNameSoundex,
            "any_name_initial" => KeyPart::AnyNameInitial,
            "birth_year" => KeyPart::BirthYear,
            "birth_date" => KeyPart::BirthDate,
            other => {
                let (name, n) = match other.split_once(':') {
                    Some((f, n)) => (
                        f,
                        Some(n.parse::<usize>().map_err(|_| {
                            StewardError::data(format!("schema [dedupe] blocking {spec:?}: {n:?} is not a number of characters"))
                        })?),
                    ),
                    None => (other, None),
                };
                if !fields.iter().any(|f| f == name) {
                    return Err(StewardError::data(format!(
                        "schema [dedupe] blocking {spec:?}: no compared field {name:?} (fields: {})",
                        fields.join(", ")
                    ))
                    .into());
                }
                match n {
                    Some(n) => KeyPart::FieldPrefix(name.to_string(), n),
                    None => KeyPart::Field(name.to_string()),
                }
            }
        };
        parts.push(part);
    }
    Ok(BlockingRule {
        name: spec.to_string(),
        parts,
    })
}

/// A survivorship rule.
#[derive(Debug, Clone, PartialEq)]
enum Survive {
    MostRecent,
    MostComplete,
    MostFrequent,
    Longest,
    Source(String),
}

fn parse_survive(s: &str) -> Result<Survive> {
    Ok(match s.trim() {
        "most_recent" | "recent" => Survive::MostRecent,
        "most_complete" | "complete" => Survive::MostComplete,
        "most_frequent" | "frequent" => Survive::MostFrequent,
        "longest" => Survive::Longest,
        other => match other.strip_prefix("source:") {
            Some(src) if !src.is_empty() => Survive::Source(src.to_string()),
            _ => {
                return Err(StewardError::data(format!(
                    "schema [dedupe] survivorship {other:?}: use most_recent, most_complete, most_frequent, longest or source:NAME"
                ))
                .into())
            }
        },
    })
}

#[derive(Serialize, Default)]
pub(crate) struct Report {
    rows_in: u64,
    rows_rejected: u64,
    /// Golden records written (one per cluster).
    golden_records: u64,
    /// Rows folded into another row's golden record.
    rows_merged: u64,
    clusters_with_duplicates: u64,
    largest_cluster: u64,
    /// Clusters the chaining guard split or could not verify: worth a look.
    clusters_flagged: u64,
    candidate_pairs: u64,
    accepted_pairs: u64,
    review_pairs: u64,
    labels_used: u64,
    /// With labels: labelled matches, and how many of them blocking made candidate pairs.
    #[serde(skip_serializing_if = "Option::is_none")]
    blocking_reached: Option<(u64, u64)>,
    threshold: f64,
    review_lower: f64,
    /// Seconds per stage.
    timings: Vec<(String, f64)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    incremental: Option<IncrementalReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<LinkReport>,
}

#[derive(Serialize)]
struct IncrementalReport {
    golden_before: u64,
    new_rows: u64,
    new_rows_matched: u64,
    golden_changed: Vec<String>,
    golden_added: u64,
}

#[derive(Serialize)]
struct LinkReport {
    rows_a: u64,
    rows_b: u64,
    rows_b_matched: u64,
}

/// The matching view of one or two loaded tables.
struct Matching<'a> {
    names: Vec<String>,
    kinds: Vec<MK>,
    columns: Vec<Stacked<'a>>,
}

/// Dates compared as ISO dates, whatever their spelling (`19560409`, `1956/4/9`, `1956年4月9日`); values that
/// are not dates stay as they are. Distinct values are few, so each is parsed once.
fn iso_dates(col: &TextColumn) -> Result<TextColumn> {
    let opts = crate::fields::date::DateOptions {
        day_first: false,
        today: chrono::NaiveDate::MAX,
        birth: false,
        future_ok: true,
    };
    let mut memo: HashMap<&str, String> = HashMap::new();
    let mut out = TextColumn::with_capacity(col.len());
    for v in col.iter() {
        let n = memo.entry(v).or_insert_with(|| {
            let c = crate::fields::date::check_date(v, &opts);
            if !c
                .issues
                .iter()
                .any(|i| i.level == crate::fields::Level::Error)
            {
                c.value
            } else if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) {
                // An impossible date (19560431) still compares digit by digit with its correct twin.
                format!("{}-{}-{}", &v[..4], &v[4..6], &v[6..])
            } else {
                v.to_string()
            }
        });
        out.push(n)?;
    }
    Ok(out)
}

/// Normalized copies of the columns matching needs normalized, per table: dates as ISO dates, and the
/// address with its house number when an export keeps that in a column of its own.
fn normalized_columns(schema: &Schema, t: &Table) -> Result<Vec<(String, TextColumn)>> {
    let mut out: Vec<(String, TextColumn)> = t
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| match_kind(schema, c) == Some(MK::Date))
        .map(|(i, c)| Ok((c.clone(), iso_dates(&t.data[i])?)))
        .collect::<Result<_>>()?;
    let number = t.columns.iter().position(|c| {
        let k = crate::schema::header_key(c);
        [
            "streetnumber",
            "streetno",
            "housenumber",
            "houseno",
            "门牌号",
            "门牌",
        ]
        .contains(&k.as_str())
    });
    if let (Some(nc), Some(ac)) = (number, t.column_index("address")) {
        let mut col = TextColumn::with_capacity(t.len());
        for r in 0..t.len() {
            let (n, a) = (t.get(r, nc).trim(), t.get(r, ac).trim());
            if n.is_empty() || a.is_empty() {
                col.push(a)?;
            } else {
                col.push(&format!("{n} {a}"))?;
            }
        }
        out.push(("address".to_string(), col));
    }
    Ok(out)
}

fn matching_columns<'a>(
    schema: &Schema,
    set: &Settings,
    first: (&'a Table, &'a [(String, TextColumn)]),
    second: Option<(&'a Table, &'a [(String, TextColumn)])>,
) -> Matching<'a> {
    let mut names: Vec<String> = Vec::new();
    for c in first
        .0
        .columns
        .iter()
        .chain(second.iter().flat_map(|t| t.0.columns.iter()))
    {
        if c == SOURCE_COLUMN || c == ROW_COLUMN || names.contains(c) || set.ignore.contains(c) {
            continue;
        }
        if match_kind(schema, c).is_some() {
            names.push(c.clone());
        }
    }
    let kinds = names
        .iter()
        .map(|n| match_kind(schema, n).expect("kept columns have a kind"))
        .collect();
    let pick =
        |(t, norm): (&'a Table, &'a [(String, TextColumn)]), n: &str| -> Option<&'a TextColumn> {
            norm.iter()
                .find(|(c, _)| c == n)
                .map(|(_, col)| col)
                .or_else(|| t.column_index(n).map(|i| &t.data[i]))
        };
    let columns = names
        .iter()
        .map(|n| Stacked {
            first: pick(first, n),
            first_len: first.0.len(),
            second: second.and_then(|s| pick(s, n)),
            second_len: second.map(|s| s.0.len()).unwrap_or(0),
        })
        .collect();
    Matching {
        names,
        kinds,
        columns,
    }
}

fn config_for(m: &Matching, set: &Settings, args: &DedupeArgs, mode: Mode) -> Result<Config> {
    let fields: Vec<(String, MK)> = m
        .names
        .iter()
        .cloned()
        .zip(m.kinds.iter().copied())
        .collect();
    let mut cfg = Config::auto(&fields);
    cfg.mode = mode;
    if let Some(b) = &set.blocking {
        cfg.blocking = b
            .iter()
            .map(|r| parse_rule(r, &m.names))
            .collect::<Result<_>>()?;
    }
    if let Some(mb) = set.max_block {
        cfg.max_block = mb.max(2);
    }
    cfg.threshold = args.threshold.or(set.threshold).unwrap_or(cfg.threshold);
    cfg.review_lower = args
        .review_lower
        .or(set.review_lower)
        .unwrap_or(cfg.review_lower);
    for (what, p) in [
        ("threshold", cfg.threshold),
        ("review lower bound", cfg.review_lower),
    ] {
        if !(0.0..=1.0).contains(&p) || p.is_nan() {
            return Err(StewardError::usage(format!(
                "the {what} is a probability between 0 and 1, found {p}"
            ))
            .into());
        }
    }
    if cfg.review_lower > cfg.threshold {
        cfg.review_lower = cfg.threshold;
    }
    // u needs enough random pairs to see rare agreements; a small list has few distinct pairs to see.
    let rows = m.columns.first().map(|c| c.len()).unwrap_or(0) as u64;
    cfg.u_samples = (rows * 60).clamp(250_000, cfg.u_samples.max(250_000));
    Ok(cfg)
}

fn load(
    paths: &[String],
    args: &DedupeArgs,
    schema: &Schema,
    progress: &Progress,
) -> Result<(Vec<String>, Loaded)> {
    let opts = read_options(&args.input, args.lenient)?;
    let (paths, sources) = open_all(paths, &opts)?;
    progress.stage("reading");
    let loaded = load_table_counted(schema, &sources, &args.schema.maps, &mut |n| {
        progress.set_rows(n)
    })?;
    Ok((paths, loaded))
}

/// The row label people use: the id field when there is one, else `source:row`.
fn record_label(t: &Table, id_col: Option<usize>, r: usize) -> String {
    match id_col.map(|c| t.get(r, c).trim()) {
        Some(id) if !id.is_empty() => id.to_string(),
        _ => format!(
            "{}:{}",
            t.get(r, t.columns.len() - 2),
            t.get(r, t.columns.len() - 1)
        ),
    }
}

fn writer_for(
    path: &str,
    force: bool,
    inputs: &[(String, FileIdentity)],
    columns: &[String],
    format: Option<OutputFormat>,
    guard: bool,
) -> Result<DatasetWriter> {
    let format = format
        .or_else(|| OutputFormat::from_path(Path::new(path)))
        .unwrap_or(OutputFormat::Csv);
    DatasetWriter::new(
        Destination::open(path, force, inputs)?,
        columns,
        WriteOptions {
            format,
            formula_guard: guard,
            integer_columns: vec![],
        },
    )
}

/// Choose, per cluster, the record each field's value comes from.
struct Survivor<'a> {
    table: &'a Table,
    rules: Vec<Survive>,
    /// Per row: an ISO date saying how recent it is ("" when unknown).
    recency: Vec<String>,
    completeness: Vec<u16>,
    source_col: usize,
}

impl<'a> Survivor<'a> {
    fn new(table: &'a Table, schema: &Schema, set: &Settings) -> Result<Survivor<'a>> {
        let recency_col = match &set.recency_field {
            Some(f) => Some(table.column_index(f).ok_or_else(|| {
                StewardError::data(format!(
                    "schema [dedupe] recency_field {f:?}: no such column"
                ))
            })?),
            None => ["updated_at", "last_purchase_date", "signup_date"]
                .iter()
                .find_map(|f| table.column_index(f)),
        };
        let opts = crate::fields::date::DateOptions {
            day_first: false,
            today: chrono::NaiveDate::MAX,
            birth: false,
            future_ok: true,
        };
        let mut memo: HashMap<&str, String> = HashMap::new();
        let recency = (0..table.len())
            .map(|r| match recency_col {
                None => String::new(),
                Some(c) => {
                    let v = table.get(r, c);
                    memo.entry(v)
                        .or_insert_with(|| {
                            let d = crate::fields::date::check_date(v, &opts);
                            if d.issues
                                .iter()
                                .any(|i| i.level == crate::fields::Level::Error)
                            {
                                String::new()
                            } else {
                                d.value
                            }
                        })
                        .clone()
                }
            })
            .collect();
        let n = table.columns.len();
        let completeness = (0..table.len())
            .map(|r| {
                (0..n - 2)
                    .filter(|&c| !table.get(r, c).trim().is_empty())
                    .count() as u16
            })
            .collect();
        let mut rules = Vec::new();
        for c in &table.columns {
            let rule = match set.survivorship.get(c) {
                Some(s) => parse_survive(s)?,
                None if recency_col.is_some() => Survive::MostRecent,
                None => Survive::MostComplete,
            };
            rules.push(rule);
        }
        for f in set.survivorship.keys() {
            if table.column_index(f).is_none() && schema.field(f).is_none() {
                return Err(StewardError::data(format!(
                    "schema [dedupe] survivorship: no column {f:?}"
                ))
                .into());
            }
        }
        Ok(Survivor {
            table,
            rules,
            recency,
            completeness,
            source_col: n - 2,
        })
    }

    /// The base record of a cluster: most recent, then most complete, then first.
    fn base(&self, members: &[usize]) -> usize {
        *members
            .iter()
            .max_by(|&&a, &&b| {
                self.recency[a]
                    .cmp(&self.recency[b])
                    .then(self.completeness[a].cmp(&self.completeness[b]))
                    .then(b.cmp(&a))
            })
            .expect("clusters have members")
    }

    fn pick(&self, col: usize, members: &[usize], base: usize) -> usize {
        let t = self.table;
        let filled: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&r| !t.get(r, col).trim().is_empty())
            .collect();
        if filled.is_empty() || filled.contains(&base) && self.rules[col] == Survive::MostRecent {
            return if filled.is_empty() {
                base
            } else {
                self.best_recent(&filled, base)
            };
        }
        let complete = |v: &[usize]| -> usize {
            *v.iter()
                .max_by(|&&a, &&b| {
                    self.completeness[a]
                        .cmp(&self.completeness[b])
                        .then(b.cmp(&a))
                })
                .expect("non-empty")
        };
        match &self.rules[col] {
            Survive::MostRecent => self.best_recent(&filled, base),
            Survive::MostComplete => {
                if filled.contains(&base) {
                    base
                } else {
                    complete(&filled)
                }
            }
            Survive::Longest => *filled
                .iter()
                .max_by(|&&a, &&b| {
                    t.get(a, col)
                        .chars()
                        .count()
                        .cmp(&t.get(b, col).chars().count())
                        .then(b.cmp(&a))
                })
                .expect("non-empty"),
            Survive::MostFrequent => {
                let mut counts: HashMap<String, usize> = HashMap::new();
                for &r in &filled {
                    *counts
                        .entry(t.get(r, col).trim().to_lowercase())
                        .or_default() += 1;
                }
                *filled
                    .iter()
                    .max_by(|&&a, &&b| {
                        let ca = counts[&t.get(a, col).trim().to_lowercase()];
                        let cb = counts[&t.get(b, col).trim().to_lowercase()];
                        ca.cmp(&cb)
                            .then((a == base).cmp(&(b == base)))
                            .then(b.cmp(&a))
                    })
                    .expect("non-empty")
            }
            Survive::Source(name) => {
                let preferred: Vec<usize> = filled
                    .iter()
                    .copied()
                    .filter(|&r| t.get(r, self.source_col).contains(name.as_str()))
                    .collect();
                if preferred.is_empty() {
                    if filled.contains(&base) {
                        base
                    } else {
                        complete(&filled)
                    }
                } else {
                    complete(&preferred)
                }
            }
        }
    }

    fn best_recent(&self, filled: &[usize], base: usize) -> usize {
        *filled
            .iter()
            .max_by(|&&a, &&b| {
                self.recency[a]
                    .cmp(&self.recency[b])
                    .then((a == base).cmp(&(b == base)))
                    .then(self.completeness[a].cmp(&self.completeness[b]))
                    .then(b.cmp(&a))
            })
            .expect("non-empty")
    }

    /// The golden values of a cluster (every column but _source/_row), its base record and the lineage of
    /// values taken from other members.
    fn golden(&self, members: &[usize]) -> (Vec<String>, usize, String) {
        let n = self.table.columns.len() - 2;
        if let [only] = members {
            // Most clusters are single records: their golden record is the record.
            let values = (0..n)
                .map(|c| self.table.get(*only, c).to_string())
                .collect();
            return (values, *only, String::new());
        }
        let base = self.base(members);
        let mut values = Vec::with_capacity(n);
        let mut lineage = Vec::new();
        for c in 0..n {
            let r = self.pick(c, members, base);
            values.push(self.table.get(r, c).to_string());
            if r != base {
                lineage.push(format!(
                    "{}={}:{}",
                    self.table.columns[c],
                    self.table.get(r, n),
                    self.table.get(r, n + 1)
                ));
            }
        }
        (values, base, lineage.join("; "))
    }
}

/// Read a filled-in review file: pairs with a decision.
fn read_labels(path: &str, t: &Table) -> Result<Vec<Label>> {
    let opts = crate::io::ReadOptions::default();
    let sources = crate::io::open_source(path, &opts)?;
    let src = sources
        .first()
        .ok_or_else(|| StewardError::data(format!("{path}: no sheet with labels")))?;
    let h = &src.info.headers;
    let col = |name: &str| h.iter().position(|c| c.trim() == name);
    let (Some(sa), Some(ra), Some(sb), Some(rb), Some(d)) = (
        col("_source_a"),
        col("_row_a"),
        col("_source_b"),
        col("_row_b"),
        col("decision"),
    ) else {
        return Err(StewardError::data(format!(
            "{path}: a labels file has the columns of a review file: _source_a, _row_a, _source_b, _row_b, decision"
        ))
        .into());
    };
    let n = t.columns.len();
    let mut at: HashMap<(&str, &str), usize> = HashMap::new();
    for r in 0..t.len() {
        at.insert((t.get(r, n - 2), t.get(r, n - 1)), r);
    }
    let mut labels = Vec::new();
    let mut unknown = 0usize;
    src.for_each(|item| {
        if let crate::io::Item::Row(r) = item {
            let f = |i: usize| r.fields.get(i).map(|s| s.trim()).unwrap_or("");
            let decision = f(d).to_lowercase();
            let is_match = match decision.as_str() {
                "" => return Ok(()),
                "match" | "yes" | "y" | "1" | "true" | "same" | "是" | "相同" | "同一人" => {
                    true
                }
                "not a match" | "no match" | "no" | "n" | "0" | "false" | "different" | "否"
                | "不同" | "not match" | "distinct" => false,
                other => {
                    return Err(StewardError::data(format!(
                        "{path}: row {}: decision {other:?} is neither match nor not a match",
                        r.row
                    ))
                    .into())
                }
            };
            let row_a = f(ra).trim_start_matches('\'');
            let row_b = f(rb).trim_start_matches('\'');
            match (at.get(&(f(sa), row_a)), at.get(&(f(sb), row_b))) {
                (Some(&a), Some(&b)) if a != b => labels.push(Label { a, b, is_match }),
                _ => unknown += 1,
            }
        }
        Ok(())
    })?;
    if unknown > 0 && labels.is_empty() {
        return Err(StewardError::data(format!(
            "{path}: none of the {unknown} decided pair(s) names rows of this input (_source and _row must match)"
        ))
        .into());
    }
    Ok(labels)
}

/// Find a row by record id, or by `_row` (with `source:row` to pick a source).
fn find_row(t: &Table, id_col: Option<usize>, key: &str) -> Result<usize> {
    let key = key.trim();
    if let Some(c) = id_col {
        if let Some(r) = (0..t.len()).find(|&r| t.get(r, c).trim() == key) {
            return Ok(r);
        }
    }
    let n = t.columns.len();
    let (src, row) = match key.rsplit_once(':') {
        Some((s, r)) => (Some(s), r),
        None => (None, key),
    };
    (0..t.len())
        .find(|&r| t.get(r, n - 1) == row && src.is_none_or(|s| t.get(r, n - 2) == s))
        .ok_or_else(|| {
            StewardError::usage(format!("--explain: no record with id or row {key:?}")).into()
        })
}

pub fn run(args: &DedupeArgs, ui: Ui) -> Result<()> {
    let started = chrono::Local::now();
    let schema = Schema::load_or_builtin(args.schema.schema.as_deref())?;
    let set = settings(&schema)?;
    if args.link && args.against.is_some() {
        return Err(
            StewardError::usage("--link and --against do different things: use one").into(),
        );
    }
    if args.explain.is_empty() && args.output.is_none() {
        return Err(StewardError::usage(
            "dedupe needs -o OUT (golden records), or --explain ID1 ID2",
        )
        .into());
    }
    if let Some(out) = &args.output {
        super::data_format(out, &args.data, &args.report, ui)?;
    }
    if !args.explain.is_empty() && args.output.is_some() {
        // The explanation goes to stdout: it must not mix with the data, nor be a second JSON document.
        if args.output.as_deref() == Some("-") {
            return Err(StewardError::usage(
                "--explain prints to stdout: write the golden records (-o) to a file",
            )
            .into());
        }
        if args.report.is_json() {
            return Err(StewardError::usage(
                "--explain with -o and --format json: run --explain on its own for its JSON",
            )
            .into());
        }
    }
    let t0 = Instant::now();
    if args.link {
        return link(args, &schema, &set, ui);
    }
    if let Some(g) = &args.against {
        return incremental(args, g, &schema, &set, ui);
    }
    let progress = ui.progress("reading");
    let (paths, loaded) = load(&args.sources, args, &schema, &progress)?;
    let read_secs = t0.elapsed().as_secs_f64();
    let inputs = input_identities(&paths);
    progress.stage("matching");
    let deduped = dedupe_table(args, &schema, &loaded.table, &inputs)?;
    progress.finish();
    if let Some(report) = deduped {
        let mut report = report;
        report.rows_in = loaded.counts.rows_in;
        report.rows_rejected = loaded.counts.rows_rejected;
        report.timings.insert(0, ("read".to_string(), read_secs));
        let outs = [
            ("golden", &args.output),
            ("clusters", &args.clusters),
            ("pairs", &args.pairs),
            ("merge_map", &args.merge_map),
            ("review", &args.review),
        ];
        write_manifest(started, &paths, &outs, &report)?;
        finish_report(args, ui, &report)?;
    }
    Ok(())
}

/// Deduplicate a loaded table and write the outputs the arguments ask for; `None` when only `--explain` was
/// asked. Used by `steward dedupe` and by `steward clean` (on the valid, normalized rows).
pub(crate) fn dedupe_table(
    args: &DedupeArgs,
    schema: &Schema,
    t: &Table,
    inputs: &[(String, FileIdentity)],
) -> Result<Option<Report>> {
    let set = settings(schema)?;
    let schema = schema.clone();
    let norm = normalized_columns(&schema, t)?;
    let m = matching_columns(&schema, &set, (t, &norm), None);
    let cfg = config_for(&m, &set, args, Mode::Dedupe)?;
    let input = Input {
        fields: m
            .names
            .iter()
            .zip(&m.kinds)
            .zip(&m.columns)
            .map(|((n, k), c)| (n.clone(), *k, c as &dyn Column))
            .collect(),
        source: None,
    };
    let labels = match &args.labels {
        Some(p) => read_labels(p, t)?,
        None => Vec::new(),
    };
    if t.is_empty() {
        return Err(
            StewardError::data("the input has no data rows: nothing to deduplicate").into(),
        );
    }
    let outcome = dedupe::run(&input, &cfg, &labels);
    let id_col = t.column_index("id");

    if args.explain.len() == 2 {
        let a = find_row(t, id_col, &args.explain[0])?;
        let b = find_row(t, id_col, &args.explain[1])?;
        let e = explain(&input, &cfg, &outcome.model, a, b);
        print_explanation(
            args,
            &e,
            t,
            id_col,
            outcome.cluster[a] == outcome.cluster[b],
            cfg.threshold,
        )?;
        if args.output.is_none() {
            return Ok(None);
        }
    }
    let mut report = Report {
        rows_in: t.len() as u64,
        candidate_pairs: outcome.candidate_pairs,
        threshold: cfg.threshold,
        review_lower: cfg.review_lower,
        labels_used: labels.len() as u64,
        blocking_reached: (outcome.labelled_matches > 0)
            .then_some((outcome.labelled_reached, outcome.labelled_matches)),
        ..Report::default()
    };
    report
        .timings
        .extend(outcome.timings.iter().map(|(n, s)| (n.to_string(), *s)));
    let tw = Instant::now();
    write_outputs(
        args,
        &schema,
        &set,
        t,
        id_col,
        &input,
        &cfg,
        &outcome,
        inputs,
        &mut report,
    )?;
    report
        .timings
        .push(("survive+write".to_string(), tw.elapsed().as_secs_f64()));
    Ok(Some(report))
}

#[allow(clippy::too_many_arguments)]
fn write_outputs(
    args: &DedupeArgs,
    schema: &Schema,
    set: &Settings,
    t: &Table,
    id_col: Option<usize>,
    input: &Input,
    cfg: &Config,
    outcome: &Outcome,
    inputs: &[(String, FileIdentity)],
    report: &mut Report,
) -> Result<()> {
    let guard = !args.no_formula_guard;
    let n = t.len();
    let ncl = outcome
        .cluster
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); ncl];
    for (r, &c) in outcome.cluster.iter().enumerate() {
        members[c as usize].push(r);
    }
    // Golden ids in order of first appearance.
    let mut order: Vec<usize> = (0..ncl).collect();
    order.sort_by_key(|&c| members[c].first().copied().unwrap_or(usize::MAX));
    let mut golden_id = vec![String::new(); ncl];
    for (i, &c) in order.iter().enumerate() {
        golden_id[c] = format!("G{:07}", i + 1);
    }
    // Best probability of each row to another member of its cluster.
    let mut best = vec![0f64; n];
    let mut accepted = 0u64;
    let mut review: Vec<&crate::dedupe::ScoredPair> = Vec::new();
    for p in &outcome.pairs {
        let (a, b) = (p.a as usize, p.b as usize);
        if p.prob >= cfg.threshold {
            accepted += 1;
        } else if p.prob >= cfg.review_lower {
            review.push(p);
        }
        if outcome.cluster[a] == outcome.cluster[b] {
            best[a] = best[a].max(p.prob);
            best[b] = best[b].max(p.prob);
        }
    }
    report.accepted_pairs = accepted;
    report.review_pairs = review.len() as u64;
    report.golden_records = ncl as u64;
    report.rows_merged = n as u64 - ncl as u64;
    report.clusters_with_duplicates = members.iter().filter(|m| m.len() > 1).count() as u64;
    report.largest_cluster = members.iter().map(|m| m.len()).max().unwrap_or(0) as u64;
    report.clusters_flagged = outcome.flagged_clusters.len() as u64;

    if let Some(out) = &args.output {
        let surv = Survivor::new(t, schema, set)?;
        let mut cols: Vec<String> = vec!["golden_id".into(), "cluster_size".into()];
        cols.extend(t.columns[..t.columns.len() - 2].iter().cloned());
        cols.extend(["_source".into(), "_row".into(), "_lineage".into()]);
        let mut w = writer_for(
            out,
            args.force,
            inputs,
            &cols,
            args.data.given(&args.report),
            guard,
        )?;
        for &c in &order {
            let (values, base, lineage) = surv.golden(&members[c]);
            let mut row = vec![golden_id[c].clone(), members[c].len().to_string()];
            row.extend(values);
            row.push(t.get(base, t.columns.len() - 2).to_string());
            row.push(t.get(base, t.columns.len() - 1).to_string());
            row.push(lineage);
            w.write_row(&row)?;
        }
        w.finish()?;
    }
    if let Some(path) = &args.clusters {
        let mut cols = t.columns.clone();
        cols.extend([
            "golden_id".into(),
            "cluster_id".into(),
            "cluster_size".into(),
            "match_probability".into(),
        ]);
        let mut w = writer_for(path, args.force, inputs, &cols, None, guard)?;
        let mut row: Vec<std::borrow::Cow<str>> = Vec::with_capacity(cols.len());
        for (r, &best_r) in best.iter().enumerate() {
            let c = outcome.cluster[r] as usize;
            row.clear();
            row.extend(
                t.data
                    .iter()
                    .map(|col| std::borrow::Cow::Borrowed(col.get(r))),
            );
            row.push(golden_id[c].as_str().into());
            row.push(c.to_string().into());
            row.push(members[c].len().to_string().into());
            row.push(if members[c].len() > 1 {
                format!("{best_r:.4}").into()
            } else {
                "".into()
            });
            w.write_row(&row)?;
        }
        w.finish()?;
    }
    if let Some(path) = &args.merge_map {
        let cols: Vec<String> = ["_source", "_row", "record_id", "golden_id", "cluster_size"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut w = writer_for(path, args.force, inputs, &cols, None, guard)?;
        let nc = t.columns.len();
        for r in 0..n {
            let c = outcome.cluster[r] as usize;
            w.write_row(&[
                t.get(r, nc - 2).to_string(),
                t.get(r, nc - 1).to_string(),
                record_label(t, id_col, r),
                golden_id[c].clone(),
                members[c].len().to_string(),
            ])?;
        }
        w.finish()?;
    }
    if let Some(path) = &args.pairs {
        write_pairs(
            path,
            args,
            t,
            id_col,
            input,
            cfg,
            outcome,
            inputs,
            &outcome.pairs.iter().collect::<Vec<_>>(),
            false,
        )?;
    }
    if let Some(path) = &args.review {
        review.sort_by(|a, b| b.prob.total_cmp(&a.prob));
        write_pairs(
            path, args, t, id_col, input, cfg, outcome, inputs, &review, true,
        )?;
    }
    Ok(())
}

/// Pairs with their breakdown; as a review file, with both records side by side and a decision column.
#[allow(clippy::too_many_arguments)]
fn write_pairs(
    path: &str,
    args: &DedupeArgs,
    t: &Table,
    id_col: Option<usize>,
    input: &Input,
    cfg: &Config,
    outcome: &Outcome,
    inputs: &[(String, FileIdentity)],
    pairs: &[&crate::dedupe::ScoredPair],
    review: bool,
) -> Result<()> {
    let nc = t.columns.len();
    let mut cols: Vec<String> = [
        "id_a",
        "id_b",
        "_source_a",
        "_row_a",
        "_source_b",
        "_row_b",
        "match_probability",
        "match_weight",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if review {
        cols.push("decision".into());
        for (name, _, _) in &input.fields {
            cols.push(format!("{name}_a"));
            cols.push(format!("{name}_b"));
        }
    }
    for c in &cfg.comparisons {
        cols.push(format!("{}_level", c.name));
        cols.push(format!("{}_weight", c.name));
    }
    let mut w = writer_for(
        path,
        args.force,
        inputs,
        &cols,
        None,
        !args.no_formula_guard,
    )?;
    for p in pairs {
        let (a, b) = (p.a as usize, p.b as usize);
        let mut row = vec![
            record_label(t, id_col, a),
            record_label(t, id_col, b),
            t.get(a, nc - 2).to_string(),
            t.get(a, nc - 1).to_string(),
            t.get(b, nc - 2).to_string(),
            t.get(b, nc - 1).to_string(),
            format!("{:.6}", p.prob),
            if p.weight.is_finite() {
                format!("{:.2}", p.weight)
            } else {
                "label".into()
            },
        ];
        if review {
            row.push(String::new());
            for (_, _, col) in &input.fields {
                row.push(col.get(a).to_string());
                row.push(col.get(b).to_string());
            }
        }
        let weights = if p.levels.len() == outcome.model.comparisons.len() {
            outcome.model.contributions(&p.levels)
        } else {
            vec![0.0; p.levels.len()]
        };
        for (i, c) in cfg.comparisons.iter().enumerate() {
            let l = p.levels.get(i).copied().unwrap_or(0);
            row.push(
                level_names(c.kind)
                    .get(l as usize)
                    .unwrap_or(&"?")
                    .to_string(),
            );
            row.push(format!("{:.2}", weights.get(i).copied().unwrap_or(0.0)));
        }
        w.write_row(&row)?;
    }
    w.finish()?;
    Ok(())
}

fn print_explanation(
    args: &DedupeArgs,
    e: &crate::dedupe::Explanation,
    t: &Table,
    id_col: Option<usize>,
    same_cluster: bool,
    threshold: f64,
) -> Result<()> {
    if args.report.summary() == ReportFormat::Json {
        #[derive(Serialize)]
        struct Out<'a> {
            record_a: String,
            record_b: String,
            same_cluster: bool,
            threshold: f64,
            #[serde(flatten)]
            explanation: &'a crate::dedupe::Explanation,
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&Out {
                record_a: record_label(t, id_col, e.a),
                record_b: record_label(t, id_col, e.b),
                same_cluster,
                threshold,
                explanation: e,
            })?
        );
        return Ok(());
    }
    if e.shared_blocking_keys.is_empty() {
        println!(
            "{} vs {}: never compared (no blocking key in common); had they been, match probability {:.4} \
             (total weight {:.2} bits; accepted at {threshold}) -> {}",
            record_label(t, id_col, e.a),
            record_label(t, id_col, e.b),
            e.probability,
            e.total_weight,
            if same_cluster { "same customer (one cluster, through other records)" } else { "different clusters" }
        );
    } else {
        println!(
            "{} vs {}: match probability {:.4} (total weight {:.2} bits; accepted at {threshold}) -> {}",
            record_label(t, id_col, e.a),
            record_label(t, id_col, e.b),
            e.probability,
            e.total_weight,
            if same_cluster { "same customer (one cluster)" } else { "different clusters" }
        );
    }
    println!(
        "  {:<16} {:>8}  prior (share of candidate pairs that match)",
        "prior",
        format!("{:+.2}", e.prior_weight)
    );
    for it in &e.items {
        println!(
            "  {:<16} {:>8}  {:<14} {:?} vs {:?}",
            it.comparison,
            format!("{:+.2}", it.weight),
            it.level_name,
            it.value_a,
            it.value_b
        );
    }
    for (g, w) in &e.guards {
        println!("  {:<16} {:>8}  {g}", "guard", format!("{w:+.2}"));
    }
    Ok(())
}

/// The manifest beside the main output of a dedupe run: the outputs this mode wrote, in order.
fn write_manifest(
    started: chrono::DateTime<chrono::Local>,
    inputs: &[String],
    outputs: &[(&str, &Option<String>)],
    report: &Report,
) -> Result<()> {
    let outs: Vec<(&str, &str)> = outputs
        .iter()
        .filter_map(|(name, p)| p.as_deref().map(|p| (*name, p)))
        .collect();
    crate::report::write_manifest(
        "dedupe",
        started,
        inputs,
        &outs,
        serde_json::to_value(report)?,
        None,
    )?;
    Ok(())
}

fn finish_report(args: &DedupeArgs, ui: Ui, r: &Report) -> Result<()> {
    if args.report.summary() == ReportFormat::Json {
        let outputs = [
            &args.output,
            &args.clusters,
            &args.pairs,
            &args.merge_map,
            &args.review,
        ];
        return emit_json(r, super::any_on_stdout(outputs.map(|o| o.as_deref())));
    }
    if let Some(i) = &r.incremental {
        ui.say(format!(
            "{} new rows in = {} matched existing golden records + {} new golden records + {} merged among new rows",
            i.new_rows,
            i.new_rows_matched,
            i.golden_added,
            i.new_rows - i.new_rows_matched - i.golden_added.min(i.new_rows - i.new_rows_matched)
        ));
    } else if let Some(l) = &r.link {
        ui.say(format!(
            "linked {} of {} rows of B to A ({} rows in A); {} rows in = {} + {}",
            l.rows_b_matched, l.rows_b, l.rows_a, r.rows_in, l.rows_a, l.rows_b
        ));
    } else {
        ui.say(format!(
            "{} rows in = {} golden records + {} rows merged{}",
            r.rows_in,
            r.golden_records,
            r.rows_merged,
            if r.rows_rejected > 0 {
                format!(" + {} rejected", r.rows_rejected)
            } else {
                String::new()
            }
        ));
        ui.say(format!(
            "{} clusters with duplicates (largest {}); {} candidate pairs, {} accepted at p >= {}, {} to review (p >= {})",
            r.clusters_with_duplicates, r.largest_cluster, r.candidate_pairs, r.accepted_pairs, r.threshold, r.review_pairs, r.review_lower
        ));
    }
    if r.clusters_flagged > 0 {
        ui.say(format!(
            "{} cluster(s) were split or flagged by the chaining guard (members that did not all match one another)",
            r.clusters_flagged
        ));
    }
    if let Some(i) = &r.incremental {
        ui.say(format!(
            "incremental: {} golden records before; {} new rows, {} matched existing customers; {} golden record(s) changed, {} added",
            i.golden_before,
            i.new_rows,
            i.new_rows_matched,
            i.golden_changed.len(),
            i.golden_added
        ));
    }
    if r.labels_used > 0 {
        ui.say(format!(
            "labels: {} decided pair(s) obeyed and used to refine the weights",
            r.labels_used
        ));
    }
    if let Some((reached, matches)) = r.blocking_reached {
        ui.say(format!(
            "blocking reached {reached} of {matches} labelled matches ({:.1} %)",
            100.0 * reached as f64 / matches as f64
        ));
    }
    ui.say(format!(
        "time: {}",
        r.timings
            .iter()
            .map(|(n, s)| format!("{n} {s:.2}s"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok(())
}

fn stacked_input<'a>(m: &'a Matching<'a>, source: Vec<u8>) -> Input<'a> {
    Input {
        fields: m
            .names
            .iter()
            .zip(&m.kinds)
            .zip(&m.columns)
            .map(|((n, k), c)| (n.clone(), *k, c as &dyn Column))
            .collect(),
        source: Some(source),
    }
}

/// `--link A B`: for each row of B, the best match in A.
fn link(args: &DedupeArgs, schema: &Schema, set: &Settings, ui: Ui) -> Result<()> {
    let started = chrono::Local::now();
    if args.sources.len() != 2 {
        return Err(
            StewardError::usage("--link takes exactly two lists: A (the reference) and B").into(),
        );
    }
    let t0 = Instant::now();
    let progress = ui.progress("reading");
    let (pa, la) = load(&args.sources[..1], args, schema, &progress)?;
    let (pb, lb) = load(&args.sources[1..], args, schema, &progress)?;
    let (ta, tb) = (&la.table, &lb.table);
    let (na_norm, nb_norm) = (
        normalized_columns(schema, ta)?,
        normalized_columns(schema, tb)?,
    );
    let m = matching_columns(schema, set, (ta, &na_norm), Some((tb, &nb_norm)));
    let cfg = config_for(&m, set, args, Mode::Link)?;
    let mut src = vec![0u8; ta.len()];
    src.extend(std::iter::repeat_n(1u8, tb.len()));
    let input = stacked_input(&m, src);
    let read_secs = t0.elapsed().as_secs_f64();
    progress.stage("matching");
    let outcome = dedupe::run(&input, &cfg, &[]);
    progress.finish();
    let na = ta.len();
    let mut best: Vec<Option<(usize, f64)>> = vec![None; tb.len()];
    for p in &outcome.pairs {
        if p.prob < cfg.threshold {
            continue;
        }
        let (x, y) = (p.a as usize, p.b as usize);
        let (a, b) = if x < na { (x, y - na) } else { (y, x - na) };
        if best[b].is_none_or(|(_, q)| p.prob > q) {
            best[b] = Some((a, p.prob));
        }
    }
    let mut inputs = input_identities(&pa);
    inputs.extend(input_identities(&pb));
    let ida = ta.column_index("id");
    let mut cols = tb.columns.clone();
    cols.extend([
        "match_id".into(),
        "match_source".into(),
        "match_row".into(),
        "match_probability".into(),
    ]);
    let out = args.output.as_deref().unwrap_or("-");
    let mut w = writer_for(
        out,
        args.force,
        &inputs,
        &cols,
        args.data.given(&args.report),
        !args.no_formula_guard,
    )?;
    let nca = ta.columns.len();
    for (r, b) in best.iter().enumerate() {
        let mut row: Vec<String> = tb.row(r).iter().map(|s| s.to_string()).collect();
        match b {
            Some((a, p)) => {
                row.push(record_label(ta, ida, *a));
                row.push(ta.get(*a, nca - 2).to_string());
                row.push(ta.get(*a, nca - 1).to_string());
                row.push(format!("{p:.4}"));
            }
            None => row.extend([String::new(), String::new(), String::new(), String::new()]),
        }
        w.write_row(&row)?;
    }
    w.finish()?;
    let mut report = Report {
        rows_in: la.counts.rows_in + lb.counts.rows_in,
        rows_rejected: la.counts.rows_rejected + lb.counts.rows_rejected,
        candidate_pairs: outcome.candidate_pairs,
        threshold: cfg.threshold,
        review_lower: cfg.review_lower,
        timings: vec![("read".into(), read_secs)],
        link: Some(LinkReport {
            rows_a: ta.len() as u64,
            rows_b: tb.len() as u64,
            rows_b_matched: best.iter().filter(|b| b.is_some()).count() as u64,
        }),
        ..Report::default()
    };
    report
        .timings
        .extend(outcome.timings.iter().map(|(n, s)| (n.to_string(), *s)));
    let all: Vec<String> = pa.iter().chain(&pb).cloned().collect();
    write_manifest(started, &all, &[("links", &args.output)], &report)?;
    finish_report(args, ui, &report)
}

/// `--against GOLDEN`: new rows matched into existing golden records; existing golden ids never change,
/// new customers get new ids after the largest existing one.
fn incremental(
    args: &DedupeArgs,
    golden_path: &str,
    schema: &Schema,
    set: &Settings,
    ui: Ui,
) -> Result<()> {
    let started = chrono::Local::now();
    let t0 = Instant::now();
    let progress = ui.progress("reading");
    let (pg, lg) = load(&[golden_path.to_string()], args, schema, &progress)?;
    let (pn, ln) = load(&args.sources, args, schema, &progress)?;
    let (tg, tn) = (&lg.table, &ln.table);
    let gid_col = tg.column_index("golden_id").ok_or_else(|| {
        StewardError::data(format!(
            "{golden_path}: no golden_id column: --against takes golden records written by `steward dedupe -o`"
        ))
    })?;
    let (ng_norm, nn_norm) = (
        normalized_columns(schema, tg)?,
        normalized_columns(schema, tn)?,
    );
    let m = matching_columns(schema, set, (tg, &ng_norm), Some((tn, &nn_norm)));
    let cfg = config_for(&m, set, args, Mode::Incremental)?;
    let ng = tg.len();
    let mut src = vec![0u8; ng];
    src.extend(std::iter::repeat_n(1u8, tn.len()));
    let input = stacked_input(&m, src);
    let read_secs = t0.elapsed().as_secs_f64();
    progress.stage("matching");
    let outcome = dedupe::run(&input, &cfg, &[]);
    progress.finish();

    // Union accepted pairs, strongest first, never joining two existing golden records.
    let total = ng + tn.len();
    let mut parent: Vec<usize> = (0..total).collect();
    let mut old: Vec<Option<usize>> = (0..total).map(|r| (r < ng).then_some(r)).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut accepted: Vec<&crate::dedupe::ScoredPair> = outcome
        .pairs
        .iter()
        .filter(|p| p.prob >= cfg.threshold)
        .collect();
    accepted.sort_by(|a, b| b.prob.total_cmp(&a.prob));
    for p in &accepted {
        let (ra, rb) = (
            find(&mut parent, p.a as usize),
            find(&mut parent, p.b as usize),
        );
        if ra == rb || (old[ra].is_some() && old[rb].is_some()) {
            continue;
        }
        parent[rb] = ra;
        if old[ra].is_none() {
            old[ra] = old[rb];
        }
    }
    // Existing ids stay; new groups get ids after the largest existing number.
    let max_id = (0..ng)
        .filter_map(|r| {
            tg.get(r, gid_col)
                .trim()
                .trim_start_matches('G')
                .parse::<u64>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    let mut next = max_id;
    let mut id_of_root: HashMap<usize, String> = HashMap::new();
    let mut row_gid: Vec<String> = Vec::with_capacity(total);
    let mut changed: Vec<String> = Vec::new();
    let mut matched = 0u64;
    for r in 0..total {
        let root = find(&mut parent, r);
        let gid = match old[root] {
            Some(g) => tg.get(g, gid_col).trim().to_string(),
            None => id_of_root
                .entry(root)
                .or_insert_with(|| {
                    next += 1;
                    format!("G{next:07}")
                })
                .clone(),
        };
        if r >= ng && old[root].is_some() {
            matched += 1;
            if !changed.contains(&gid) {
                changed.push(gid.clone());
            }
        }
        row_gid.push(gid);
    }
    changed.sort();
    let added = id_of_root.len() as u64;

    // The updated golden records: each existing one with its new members, then the new customers.
    let mut combined = Table::new(tg.columns[..tg.columns.len() - 2].to_vec());
    for c in tn.columns.iter().take(tn.columns.len() - 2) {
        if combined.column_index(c).is_none() {
            combined.columns.push(c.clone());
            combined.data.push(TextColumn::default());
        }
    }
    combined
        .columns
        .extend([SOURCE_COLUMN.to_string(), ROW_COLUMN.to_string()]);
    combined
        .data
        .extend([TextColumn::default(), TextColumn::default()]);
    for (tab, label) in [(tg, true), (tn, false)] {
        for r in 0..tab.len() {
            let row: Vec<String> = combined
                .columns
                .iter()
                .map(|c| {
                    if label && c == SOURCE_COLUMN {
                        format!("{golden_path} (golden)")
                    } else {
                        tab.column_index(c)
                            .map(|i| tab.get(r, i).to_string())
                            .unwrap_or_default()
                    }
                })
                .collect();
            combined.push_row(&row)?;
        }
    }
    let surv = Survivor::new(&combined, schema, set)?;
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (r, g) in row_gid.iter().enumerate() {
        groups.entry(g.clone()).or_default().push(r);
    }
    let mut inputs = input_identities(&pg);
    inputs.extend(input_identities(&pn));
    let skip: Vec<&str> = vec!["golden_id", "cluster_size", "_lineage"];
    let value_cols: Vec<usize> = (0..combined.columns.len() - 2)
        .filter(|&c| !skip.contains(&combined.columns[c].as_str()))
        .collect();
    let mut cols: Vec<String> = vec!["golden_id".into(), "cluster_size".into()];
    cols.extend(value_cols.iter().map(|&c| combined.columns[c].clone()));
    cols.extend(["_source".into(), "_row".into(), "_lineage".into()]);
    if let Some(out) = &args.output {
        let mut w = writer_for(
            out,
            args.force,
            &inputs,
            &cols,
            args.data.given(&args.report),
            !args.no_formula_guard,
        )?;
        let size_col = tg.column_index("cluster_size");
        for (gid, members) in &groups {
            let (values, base, lineage) = surv.golden(members);
            // cluster_size counts every record ever merged: the old size plus new members.
            let old_size: usize = members
                .iter()
                .filter(|&&r| r < ng)
                .map(|&r| {
                    size_col
                        .and_then(|c| tg.get(r, c).trim().parse().ok())
                        .unwrap_or(1)
                })
                .sum();
            let size = old_size + members.iter().filter(|&&r| r >= ng).count();
            let mut row = vec![gid.clone(), size.to_string()];
            row.extend(value_cols.iter().map(|&c| values[c].clone()));
            let nc = combined.columns.len();
            row.push(combined.get(base, nc - 2).to_string());
            row.push(combined.get(base, nc - 1).to_string());
            row.push(lineage);
            w.write_row(&row)?;
        }
        w.finish()?;
    }
    if let Some(path) = &args.merge_map {
        let mcols: Vec<String> = ["_source", "_row", "record_id", "golden_id", "status"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut w = writer_for(
            path,
            args.force,
            &inputs,
            &mcols,
            None,
            !args.no_formula_guard,
        )?;
        let id_col = tn.column_index("id");
        let nc = tn.columns.len();
        for r in 0..tn.len() {
            let root = find(&mut parent, ng + r);
            w.write_row(&[
                tn.get(r, nc - 2).to_string(),
                tn.get(r, nc - 1).to_string(),
                record_label(tn, id_col, r),
                row_gid[ng + r].clone(),
                if old[root].is_some() {
                    "matched existing".to_string()
                } else {
                    "new customer".to_string()
                },
            ])?;
        }
        w.finish()?;
    }
    let report = Report {
        rows_in: ln.counts.rows_in,
        rows_rejected: ln.counts.rows_rejected,
        golden_records: groups.len() as u64,
        rows_merged: tn.len() as u64 - added.min(tn.len() as u64),
        candidate_pairs: outcome.candidate_pairs,
        accepted_pairs: accepted.len() as u64,
        threshold: cfg.threshold,
        review_lower: cfg.review_lower,
        timings: std::iter::once(("read".to_string(), read_secs))
            .chain(outcome.timings.iter().map(|(n, s)| (n.to_string(), *s)))
            .collect(),
        incremental: Some(IncrementalReport {
            golden_before: ng as u64,
            new_rows: tn.len() as u64,
            new_rows_matched: matched,
            golden_changed: changed,
            golden_added: added,
        }),
        ..Report::default()
    };
    let all: Vec<String> = pg.iter().chain(&pn).cloned().collect();
    let outs = [("golden", &args.output), ("merge_map", &args.merge_map)];
    write_manifest(started, &all, &outs, &report)?;
    finish_report(args, ui, &report)
}

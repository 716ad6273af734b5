//! The data-quality profile of a table: per column fill, validity (the same field checks as `validate`),
//! distinct and top values (personal ones masked), value shapes, ranges; stale records and a duplicate estimate.

use anyhow::Result;
use foldhash::HashMap;
use foldhash::HashMapExt;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

use crate::privacy::mask::mask_value;
use crate::schema::{FieldKind, PrivacyClass, Schema};
use crate::table::{ImportCounts, Table, ROW_COLUMN, SOURCE_COLUMN};
use crate::validate::{check_table, CheckOptions, Outcome};

/// What the profile counts from.
#[derive(Debug, Clone)]
pub struct ProfileOptions {
    /// Dates are checked, and staleness counted, as of this date.
    pub as_of: chrono::NaiveDate,
    /// A record whose updated_at (else last purchase) is older than this is stale.
    pub stale_after_days: i64,
    /// Region for phone numbers of rows without a country (ISO 3166-1 alpha-2).
    pub default_region: Option<String>,
    /// How many top values and patterns per column.
    pub top: usize,
    /// Show top values of personal fields unmasked.
    pub unmask: bool,
}

#[derive(Serialize, Clone)]
pub struct Count {
    pub value: String,
    pub count: u64,
}

#[derive(Serialize)]
pub struct ColumnProfile {
    pub column: String,
    pub field: Option<String>,
    pub kind: Option<&'static str>,
    pub rows: u64,
    pub filled: u64,
    pub completeness: f64,
    /// Share of filled values that pass the field's checks (schema fields only).
    pub validity: Option<f64>,
    pub invalid: Option<u64>,
    pub distinct: u64,
    /// Distinct values / filled values.
    pub uniqueness: f64,
    pub top_values: Vec<Count>,
    pub patterns: Vec<Count>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
}

#[derive(Serialize)]
pub struct Profile {
    pub rows_in: u64,
    pub rows_profiled: u64,
    pub rows_rejected: u64,
    pub as_of: String,
    pub stale_after_days: i64,
    /// Records whose updated_at (else last purchase) is older than the staleness span.
    pub stale_records: Option<u64>,
    /// Records sharing a normalized email, phone or resident ID with an earlier record (a lower bound on
    /// duplicates; `steward dedupe` finds fuzzy ones too).
    pub duplicate_estimate: u64,
    pub columns: Vec<ColumnProfile>,
}

/// The shape of a value: 9 a digit, A/a a letter, 中 a CJK character; letter runs collapse to `A+`/`a+`/`中+`.
pub fn pattern(v: &str) -> String {
    let mut out = String::new();
    let mut last: Option<char> = None;
    let mut run = 0usize;
    let class = |c: char| -> char {
        if c.is_ascii_digit() {
            '9'
        } else if c.is_uppercase() {
            'A'
        } else if c.is_lowercase() {
            'a'
        } else if ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c) {
            '中'
        } else {
            c
        }
    };
    for c in v.chars().take(64) {
        let k = class(c);
        let letter = matches!(k, 'A' | 'a' | '中');
        if letter && last == Some(k) {
            run += 1;
            if run == 2 {
                out.push('+');
            }
            continue;
        }
        out.push(k);
        last = Some(k);
        run = 1;
    }
    out
}

/// Distinct values whose shapes are counted per column.
const PATTERN_SAMPLE: usize = 100_000;

fn top(counts: HashMap<&str, u64>, n: usize) -> (u64, Vec<(String, u64)>) {
    let distinct = counts.len() as u64;
    let mut v: Vec<(&str, u64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    (
        distinct,
        v.into_iter()
            .take(n)
            .map(|(k, c)| (k.to_string(), c))
            .collect(),
    )
}

fn iso_days(v: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(v.get(..10)?, "%Y-%m-%d").ok()
}

/// A profile and what it was computed from: the table normalized in place by the field checks, and their outcome.
pub struct Profiled {
    pub profile: Profile,
    pub normalized: Table,
    pub outcome: Outcome,
}

/// Profile a loaded table (`counts` from loading it). The raw values give fill, distinct and top values and
/// patterns; then the table is normalized in place for validity, ranges, staleness and duplicates.
pub fn profile_table(
    schema: &Schema,
    mut norm: Table,
    counts: &ImportCounts,
    opts: &ProfileOptions,
) -> Result<Profiled> {
    let as_of = opts.as_of;
    let stale_days = opts.stale_after_days;
    let n = norm.len() as u64;
    let data_cols: Vec<usize> = (0..norm.columns.len())
        .filter(|&c| norm.columns[c] != SOURCE_COLUMN && norm.columns[c] != ROW_COLUMN)
        .collect();
    // First the raw values (what people typed): fill, distinct values, top values, patterns.
    type RawStats = (u64, u64, Vec<(String, u64)>, Vec<(String, u64)>);
    let raw_stats: Vec<RawStats> = data_cols
        .par_iter()
        .map(|&c| {
            let mut values: HashMap<&str, u64> = HashMap::new();
            let mut shapes: HashMap<String, u64> = HashMap::new();
            let mut filled = 0u64;
            for v in norm.data[c].iter() {
                if v.trim().is_empty() {
                    continue;
                }
                filled += 1;
                *values.entry(v).or_default() += 1;
            }
            // Patterns from the distinct values, weighted by their counts; a column of many distinct values
            // (ids, emails) is sampled: its first PATTERN_SAMPLE distinct values show its shapes well enough.
            for (v, k) in values.iter().take(PATTERN_SAMPLE) {
                *shapes.entry(pattern(v)).or_default() += k;
            }
            let (distinct, top_values) = top(values, opts.top);
            let (_, patterns) = top(
                shapes.iter().map(|(k, v)| (k.as_str(), *v)).collect(),
                opts.top,
            );
            (filled, distinct, top_values, patterns)
        })
        .collect();
    // Then normalize in place (the same checks as validate) for validity, ranges, staleness and duplicates.
    let check = CheckOptions {
        default_region: opts.default_region.clone(),
        day_first: false,
        today: as_of,
        stale_after_days: None,
        normalization: crate::fields::Normalization::CURRENT,
    };
    let outcome = check_table(schema, &mut norm, &check, false)?;
    let stats: HashMap<&str, &crate::validate::FieldStats> = outcome
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f))
        .collect();
    let columns: Vec<ColumnProfile> = data_cols
        .par_iter()
        .zip(raw_stats)
        .map(|(&c, (filled, distinct, top_values, patterns))| {
            let name = &norm.columns[c];
            let field = schema.field(name);
            let personal = field.is_some_and(|f| f.privacy == PrivacyClass::Direct);
            let shown = |v: String| match field {
                Some(f) if personal && !opts.unmask => mask_value(f.kind, &v),
                _ => v,
            };
            let (mut min, mut max) = (None, None);
            if let Some(f) = field {
                if matches!(
                    f.kind,
                    FieldKind::Date
                        | FieldKind::Datetime
                        | FieldKind::Money
                        | FieldKind::Integer
                        | FieldKind::Number
                ) {
                    let nc = norm
                        .column_index(name)
                        .expect("normalized table has the same columns");
                    let dates = matches!(f.kind, FieldKind::Date | FieldKind::Datetime);
                    let mut lo: Option<(f64, &str)> = None;
                    let mut hi: Option<(f64, &str)> = None;
                    for v in norm.data[nc].iter() {
                        let x = if dates {
                            iso_days(v).map(|d| chrono::Datelike::num_days_from_ce(&d) as f64)
                        } else {
                            v.parse::<f64>().ok().filter(|x| x.is_finite())
                        };
                        if let Some(x) = x {
                            if lo.is_none_or(|(l, _)| x < l) {
                                lo = Some((x, v));
                            }
                            if hi.is_none_or(|(h, _)| x > h) {
                                hi = Some((x, v));
                            }
                        }
                    }
                    min = lo.map(|(_, v)| v.to_string());
                    max = hi.map(|(_, v)| v.to_string());
                }
            }
            let st = stats.get(name.as_str());
            ColumnProfile {
                column: name.clone(),
                field: field.map(|f| f.name.clone()),
                kind: field.map(|f| f.kind.as_str()),
                rows: n,
                filled,
                completeness: if n == 0 {
                    0.0
                } else {
                    filled as f64 / n as f64
                },
                // `checked` counts the values present (and required ones missing); `missing` the empty ones.
                validity: st.map(|s| {
                    if s.checked == 0 {
                        1.0
                    } else {
                        s.valid as f64 / s.checked as f64
                    }
                }),
                invalid: st.map(|s| s.invalid),
                distinct,
                uniqueness: if filled == 0 {
                    0.0
                } else {
                    distinct as f64 / filled as f64
                },
                top_values: top_values
                    .into_iter()
                    .map(|(v, count)| Count {
                        value: shown(v),
                        count,
                    })
                    .collect(),
                patterns: patterns
                    .into_iter()
                    .map(|(value, count)| Count { value, count })
                    .collect(),
                min,
                max,
            }
        })
        .collect();
    // Stale records.
    let stale_col = ["updated_at", "last_purchase_date"]
        .iter()
        .find_map(|f| norm.column_index(f));
    let stale_records = stale_col.map(|c| {
        norm.data[c]
            .iter()
            .filter(|v| iso_days(v).is_some_and(|d| (as_of - d).num_days() > stale_days))
            .count() as u64
    });
    // Duplicate estimate: a normalized identifier seen before.
    let id_cols: Vec<usize> = norm
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            schema.field(c).is_some_and(|f| {
                matches!(
                    f.kind,
                    FieldKind::Email | FieldKind::Phone | FieldKind::CnId
                )
            })
        })
        .map(|(i, _)| i)
        .collect();
    let mut seen: std::collections::HashSet<u64> =
        std::collections::HashSet::with_capacity(norm.len() * 2);
    let mut dup = 0u64;
    for r in 0..norm.len() {
        let mut hit = false;
        for &c in &id_cols {
            let v = norm.get(r, c).trim();
            if v.is_empty() {
                continue;
            }
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            c.hash(&mut h);
            for b in v.bytes() {
                h.write_u8(b.to_ascii_lowercase());
            }
            if !seen.insert(h.finish()) {
                hit = true;
            }
        }
        if hit {
            dup += 1;
        }
    }
    let profile = Profile {
        rows_in: counts.rows_in,
        rows_profiled: n,
        rows_rejected: counts.rows_rejected,
        as_of: as_of.to_string(),
        stale_after_days: stale_days,
        stale_records,
        duplicate_estimate: dup,
        columns,
    };
    Ok(Profiled {
        profile,
        normalized: norm,
        outcome,
    })
}

impl Profiled {
    /// The report the HTML page renders: everything `profile --format json` has (top values of personal fields
    /// masked as there), the field counts and histograms, and the sources with their notes.
    pub fn report(
        &self,
        sources: Vec<Value>,
        notes: Vec<Value>,
        started: chrono::DateTime<chrono::Local>,
    ) -> Value {
        let profile = &self.profile;
        let fields = super::figures::report_fields(&self.outcome.fields);
        let hist = super::figures::histograms(&self.normalized);
        let rows_valid = self.outcome.row_has_error.iter().filter(|e| !**e).count() as u64;
        let mut p = serde_json::to_value(profile).unwrap_or(Value::Null);
        p["rows_with_errors"] = json!(profile.rows_profiled - rows_valid);
        json!({
            "tool": "steward",
            "version": env!("CARGO_PKG_VERSION"),
            "command": "profile",
            "title": "Data-quality profile",
            "started": started.to_rfc3339(),
            "as_of": profile.as_of,
            "rows_in": profile.rows_in,
            "rows_out": profile.rows_profiled,
            "rows_rejected": profile.rows_rejected,
            "rows_merged": 0,
            "status": "contains personal data (values masked)",
            "sources": sources,
            "notes": notes,
            "validation": {"fields": fields, "rows_valid": rows_valid},
            "histograms": hist,
            "profile": p,
        })
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn summary_line(p: &Profile) -> String {
    format!(
        "{} rows in = {} profiled + {} rejected; stale records: {}; duplicate estimate (shared email, phone or resident ID): {}",
        p.rows_in,
        p.rows_profiled,
        p.rows_rejected,
        p.stale_records.map(|s| s.to_string()).unwrap_or_else(|| "n/a (no updated_at or last purchase)".into()),
        p.duplicate_estimate
    )
}

pub fn human(p: &Profile) -> String {
    let mut s = format!("{}\n\n", summary_line(p));
    s.push_str(&format!(
        "  {:<20} {:<18} {:>8} {:>8} {:>9} {:>10}  {}\n",
        "column", "field", "complete", "valid", "distinct", "uniqueness", "top patterns"
    ));
    for c in &p.columns {
        s.push_str(&format!(
            "  {:<20} {:<18} {:>8} {:>8} {:>9} {:>10}  {}\n",
            c.column,
            c.field.as_deref().unwrap_or("-"),
            pct(c.completeness),
            c.validity.map(pct).unwrap_or_else(|| "-".into()),
            c.distinct,
            pct(c.uniqueness),
            c.patterns
                .iter()
                .take(3)
                .map(|p| format!("{} ({})", p.value, p.count))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if c.min.is_some() {
            s.push_str(&format!(
                "  {:<20} range {} .. {}\n",
                "",
                c.min.as_deref().unwrap_or(""),
                c.max.as_deref().unwrap_or("")
            ));
        }
    }
    s
}

pub fn markdown(p: &Profile) -> String {
    let esc = |v: &str| v.replace('|', "\\|").replace('\n', " ");
    let mut s = format!("# Data-quality profile\n\n{}\n\n", summary_line(p));
    s.push_str("| column | field | completeness | validity | distinct | uniqueness | top values | patterns | min | max |\n");
    s.push_str("|---|---|---:|---:|---:|---:|---|---|---|---|\n");
    for c in &p.columns {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            esc(&c.column),
            c.field.as_deref().unwrap_or(""),
            pct(c.completeness),
            c.validity.map(pct).unwrap_or_default(),
            c.distinct,
            pct(c.uniqueness),
            esc(&c
                .top_values
                .iter()
                .map(|t| format!("{} ({})", t.value, t.count))
                .collect::<Vec<_>>()
                .join(", ")),
            esc(&c
                .patterns
                .iter()
                .map(|t| format!("`{}` ({})", t.value, t.count))
                .collect::<Vec<_>>()
                .join(", ")),
            esc(c.min.as_deref().unwrap_or("")),
            esc(c.max.as_deref().unwrap_or("")),
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn patterns() {
        assert_eq!(super::pattern("John Smith"), "Aa+ Aa+");
        assert_eq!(super::pattern("555-0132"), "999-9999");
        assert_eq!(super::pattern("张伟"), "中+");
        assert_eq!(super::pattern("SW1A 1AA"), "A+9A 9A+");
    }
}

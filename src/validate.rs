//! Validation and normalization of a whole table against the schema: each value checked by its field kind,
//! then the schema's rules (required, unique, pattern, range, length, values), cross-field rules and staleness.
//! Pure: rows in, normalized rows and findings out. Rows are checked on every core.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

use crate::fields::{self, Checked, Issue, Level};
use crate::schema::{Field, FieldKind, Schema, Severity};
use crate::table::{ROW_COLUMN, SOURCE_COLUMN};

/// One problem in one cell (or row), as written to the findings file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    /// Index of the row in the table (0-based), for joining back; not written out.
    #[serde(skip)]
    pub row_index: usize,
    #[serde(rename = "_source")]
    pub source: String,
    #[serde(rename = "_row")]
    pub row: String,
    pub record_id: String,
    pub field: String,
    pub rule: String,
    pub severity: Severity,
    pub value: String,
    pub message: String,
    pub suggestion: String,
}

/// One change normalization made to a cell.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    #[serde(skip)]
    pub row_index: usize,
    #[serde(rename = "_source")]
    pub source: String,
    #[serde(rename = "_row")]
    pub row: String,
    pub field: String,
    pub before: String,
    pub after: String,
    pub rule: String,
}

/// Settings a run gives the checks.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Region for phone numbers whose row has no country (ISO 3166-1 alpha-2).
    pub default_region: Option<String>,
    /// Read 05/03/2024 as 5 March.
    pub day_first: bool,
    /// The date checks count from (future dates, ages, staleness).
    pub today: NaiveDate,
    /// Flag records whose updated_at or last purchase is older than this many days.
    pub stale_after_days: Option<i64>,
}

/// Per-field counts for the summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FieldStats {
    pub field: String,
    pub checked: u64,
    pub valid: u64,
    pub invalid: u64,
    pub missing: u64,
    pub warnings: u64,
}

/// The outcome of checking a table.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The table with every field value normalized (same rows, same order).
    pub rows: Vec<Vec<String>>,
    pub findings: Vec<Finding>,
    pub changes: Vec<Change>,
    /// Whether each row has at least one error.
    pub row_has_error: Vec<bool>,
    pub fields: Vec<FieldStats>,
}

/// A schema field bound to its column in the table.
struct Bound<'a> {
    field: &'a Field,
    col: usize,
    pattern: Option<regex::Regex>,
}

fn level_to_severity(field: &Field, rule: &str, level: Level) -> Severity {
    if let Some(s) = field.rule_severity.get(rule) {
        return *s;
    }
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
    }
}

/// Check one value by its field kind.
fn check_kind(field: &Field, raw: &str, country: Option<&str>, opts: &CheckOptions) -> Checked {
    match field.kind {
        FieldKind::Id => Checked {
            value: fields::text::clean_text(raw),
            issues: vec![],
        },
        FieldKind::Text | FieldKind::Address => fields::text::check_text(raw),
        FieldKind::Name => fields::name::check_name(raw),
        FieldKind::Email => fields::email::check_email(raw),
        FieldKind::Phone => {
            fields::phone::check_phone(raw, country.or(opts.default_region.as_deref()))
        }
        FieldKind::CnId => fields::cn_id::check_cn_id(raw, opts.today).0,
        FieldKind::Date => fields::date::check_date(raw, &date_options(field, opts)),
        FieldKind::Datetime => fields::date::check_datetime(raw, &date_options(field, opts)),
        FieldKind::Enum => {
            let gender_like = field.name == "gender"
                || (!field.values.is_empty()
                    && field
                        .values
                        .iter()
                        .all(|v| ["male", "female", "other", "unknown"].contains(&v.as_str())));
            if gender_like {
                fields::enums::check_gender(raw)
            } else {
                fields::enums::check_enum(raw, &field.values)
            }
        }
        FieldKind::Boolean => fields::enums::check_boolean(raw),
        FieldKind::Country => fields::country::check_country(raw),
        FieldKind::Postcode => fields::postcode::check_postcode(raw, country),
        FieldKind::Money | FieldKind::Number => fields::number::check_money(raw, false),
        FieldKind::Integer => fields::number::check_integer(raw),
    }
}

fn date_options(field: &Field, opts: &CheckOptions) -> fields::date::DateOptions {
    fields::date::DateOptions {
        day_first: opts.day_first,
        today: opts.today,
        birth: field.name == "birth_date" || field.name.contains("birth"),
        future_ok: false,
    }
}

/// Row-level context computed before the fields: the row's country.
fn row_country(bound: &[Bound], row: &[String], schema: &Schema) -> Option<String> {
    let b = bound.iter().find(|b| b.field.kind == FieldKind::Country)?;
    let raw = row.get(b.col)?;
    if schema.is_missing(raw) {
        return None;
    }
    let c = fields::country::check_country(raw);
    c.issues.is_empty().then_some(c.value)
}

struct RowResult {
    values: Vec<(usize, String)>,
    findings: Vec<Finding>,
    changes: Vec<Change>,
    has_error: bool,
    /// Per bound field: 0 valid, 1 invalid, 2 missing; plus whether it had warnings.
    status: Vec<(u8, bool)>,
}

fn check_row(
    schema: &Schema,
    bound: &[Bound],
    row_index: usize,
    row: &[String],
    ctx: &TableContext,
    opts: &CheckOptions,
) -> RowResult {
    let source = ctx
        .source_col
        .and_then(|c| row.get(c))
        .cloned()
        .unwrap_or_default();
    let row_no = ctx
        .row_col
        .and_then(|c| row.get(c))
        .cloned()
        .unwrap_or_default();
    let record_id = ctx
        .id_col
        .and_then(|c| row.get(c))
        .cloned()
        .unwrap_or_default();
    let country = row_country(bound, row, schema);
    let mut out = RowResult {
        values: Vec::with_capacity(bound.len()),
        findings: Vec::new(),
        changes: Vec::new(),
        has_error: false,
        status: Vec::with_capacity(bound.len()),
    };
    let push = |out: &mut RowResult,
                field: &Field,
                rule: &str,
                sev: Severity,
                value: &str,
                message: String,
                suggestion: Option<String>| {
        if sev == Severity::Error {
            out.has_error = true;
        }
        out.findings.push(Finding {
            row_index,
            source: source.clone(),
            row: row_no.clone(),
            record_id: record_id.clone(),
            field: field.name.clone(),
            rule: rule.to_string(),
            severity: sev,
            value: value.to_string(),
            message,
            suggestion: suggestion.unwrap_or_default(),
        });
    };
    let mut normalized: HashMap<&str, String> = HashMap::new();
    let mut cn_info: Option<fields::cn_id::CnIdInfo> = None;
    for b in bound {
        let f = b.field;
        let raw = row.get(b.col).map(|s| s.as_str()).unwrap_or("");
        if schema.is_missing(raw) {
            if f.required {
                push(
                    &mut out,
                    f,
                    "missing-cell",
                    f.severity_of("required"),
                    raw,
                    format!("{} is required but empty", f.name),
                    None,
                );
                out.status.push((1, false));
            } else {
                out.status.push((2, false));
            }
            if !raw.is_empty() {
                // A missing-value marker ("NULL", "N/A") becomes empty, and the change is recorded.
                out.changes.push(Change {
                    row_index,
                    source: source.clone(),
                    row: row_no.clone(),
                    field: f.name.clone(),
                    before: raw.to_string(),
                    after: String::new(),
                    rule: "missing-value".to_string(),
                });
                out.values.push((b.col, String::new()));
            }
            continue;
        }
        let checked = check_kind(f, raw, country.as_deref(), opts);
        let mut invalid = false;
        let mut warned = false;
        for Issue {
            rule,
            level,
            message,
            suggestion,
        } in &checked.issues
        {
            let sev = level_to_severity(f, rule, *level);
            if sev == Severity::Error {
                invalid = true;
            } else {
                warned = true;
            }
            push(
                &mut out,
                f,
                rule,
                sev,
                raw,
                message.clone(),
                suggestion.clone(),
            );
        }
        let value = checked.value;
        // Schema rules on the normalized value.
        for (rule_key, message) in constraint_violations(f, b.pattern.as_ref(), &value) {
            let sev = f.severity_of(rule_key);
            invalid |= sev == Severity::Error;
            push(&mut out, f, "constraint-error", sev, raw, message, None);
        }
        if f.kind == FieldKind::CnId && !invalid {
            cn_info = fields::cn_id::check_cn_id(raw, opts.today).1;
        }
        if value != raw {
            out.changes.push(Change {
                row_index,
                source: source.clone(),
                row: row_no.clone(),
                field: f.name.clone(),
                before: raw.to_string(),
                after: value.clone(),
                rule: format!("normalize-{}", f.kind.as_str()),
            });
        }
        out.status.push((u8::from(invalid), warned));
        normalized.insert(f.name.as_str(), value.clone());
        out.values.push((b.col, value));
    }

    // Cross-field rules.
    let date_of = |name: &str| -> Option<NaiveDate> {
        normalized
            .get(name)
            .and_then(|v| NaiveDate::parse_from_str(v.get(..10).unwrap_or(v), "%Y-%m-%d").ok())
    };
    if let (Some(info), Some(b)) = (
        &cn_info,
        bound.iter().find(|b| b.field.kind == FieldKind::CnId),
    ) {
        let gender = normalized.get("gender").map(|s| s.as_str());
        for Issue {
            rule,
            level,
            message,
            suggestion,
        } in fields::cn_id::cross_check(info, date_of("birth_date"), gender)
        {
            let sev = level_to_severity(b.field, rule, level);
            let raw = row.get(b.col).cloned().unwrap_or_default();
            push(&mut out, b.field, rule, sev, &raw, message, suggestion);
        }
    }
    if let (Some(signup), Some(last)) = (date_of("signup_date"), date_of("last_purchase_date")) {
        if last < signup {
            if let Some(b) = bound.iter().find(|b| b.field.name == "last_purchase_date") {
                let raw = row.get(b.col).cloned().unwrap_or_default();
                push(
                    &mut out,
                    b.field,
                    "purchase-before-signup",
                    Severity::Warning,
                    &raw,
                    format!("last purchase {last} is before signup {signup}"),
                    None,
                );
            }
        }
    }
    if let Some(days) = opts.stale_after_days {
        let newest = [date_of("updated_at"), date_of("last_purchase_date")]
            .into_iter()
            .flatten()
            .max();
        if let Some(d) = newest {
            if (opts.today - d).num_days() > days {
                if let Some(b) = bound
                    .iter()
                    .find(|b| b.field.name == "updated_at" || b.field.name == "last_purchase_date")
                {
                    let raw = row.get(b.col).cloned().unwrap_or_default();
                    push(
                        &mut out,
                        b.field,
                        "stale-record",
                        Severity::Warning,
                        &raw,
                        format!(
                            "last updated or active {d}, more than {days} days before {}",
                            opts.today
                        ),
                        Some("review or refresh this record".to_string()),
                    );
                }
            }
        }
    }
    out
}

/// The schema rules a normalized value breaks, as (rule key for severities, message).
fn constraint_violations(
    f: &Field,
    pattern: Option<&regex::Regex>,
    value: &str,
) -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    if let Some(re) = pattern {
        if !re.is_match(value) {
            v.push((
                "pattern",
                format!("does not match the pattern {}", re.as_str()),
            ));
        }
    }
    let len = value.chars().count();
    if let Some(min) = f.min_length.filter(|m| len < *m) {
        v.push((
            "min_length",
            format!("is {len} characters long, shorter than {min}"),
        ));
    }
    if let Some(max) = f.max_length.filter(|m| len > *m) {
        v.push((
            "max_length",
            format!("is {len} characters long, longer than {max}"),
        ));
    }
    if let Some(n) = fields::number::parse_number(value) {
        if let Some(min) = f.min.filter(|m| n < *m) {
            v.push(("min", format!("{n} is below the minimum {min}")));
        }
        if let Some(max) = f.max.filter(|m| n > *m) {
            v.push(("max", format!("{n} is above the maximum {max}")));
        }
    }
    if !f.values.is_empty() && f.kind != FieldKind::Enum && !f.values.iter().any(|a| a == value) {
        v.push((
            "values",
            format!("is not one of the allowed values ({})", f.values.join(", ")),
        ));
    }
    if !f.countries.is_empty()
        && f.kind == FieldKind::Country
        && !f.countries.iter().any(|c| c == value)
    {
        v.push((
            "countries",
            format!(
                "country {value} is not allowed ({})",
                f.countries.join(", ")
            ),
        ));
    }
    v
}

struct TableContext {
    source_col: Option<usize>,
    row_col: Option<usize>,
    id_col: Option<usize>,
}

/// Check and normalize every row of a table whose columns are named after schema fields.
pub fn check_table(
    schema: &Schema,
    columns: &[String],
    rows: Vec<Vec<String>>,
    opts: &CheckOptions,
) -> anyhow::Result<Outcome> {
    let mut bound = Vec::new();
    for f in &schema.fields {
        if let Some(col) = columns.iter().position(|c| c == &f.name) {
            let pattern = match &f.pattern {
                None => None,
                Some(p) => Some(regex::Regex::new(&format!("^(?:{p})$")).map_err(|e| {
                    crate::error::StewardError::data(format!(
                        "schema field {}: bad pattern {p:?}: {e}",
                        f.name
                    ))
                })?),
            };
            bound.push(Bound {
                field: f,
                col,
                pattern,
            });
        }
    }
    let ctx = TableContext {
        source_col: columns.iter().position(|c| c == SOURCE_COLUMN),
        row_col: columns.iter().position(|c| c == ROW_COLUMN),
        id_col: schema
            .fields
            .iter()
            .find(|f| f.kind == FieldKind::Id)
            .and_then(|f| columns.iter().position(|c| c == &f.name)),
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = rows.len().div_ceil(threads).max(1024);
    let results: Vec<Vec<RowResult>> = std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .enumerate()
            .map(|(ci, part)| {
                let (bound, ctx) = (&bound, &ctx);
                s.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(i, r)| check_row(schema, bound, ci * chunk + i, r, ctx, opts))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("check thread"))
            .collect()
    });
    let mut outcome = Outcome {
        fields: bound
            .iter()
            .map(|b| FieldStats {
                field: b.field.name.clone(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let mut rows = rows;
    for (i, r) in results.into_iter().flatten().enumerate() {
        for (col, v) in r.values {
            rows[i][col] = v;
        }
        for (bi, (status, warned)) in r.status.iter().enumerate() {
            let s = &mut outcome.fields[bi];
            match status {
                0 => {
                    s.checked += 1;
                    s.valid += 1;
                }
                1 => {
                    s.checked += 1;
                    s.invalid += 1;
                }
                _ => s.missing += 1,
            }
            if *warned {
                s.warnings += 1;
            }
        }
        outcome.findings.extend(r.findings);
        outcome.changes.extend(r.changes);
        outcome.row_has_error.push(r.has_error);
    }
    // Uniqueness, on normalized values: every duplicate listed with the rows it shares the value with.
    for b in bound.iter().filter(|b| b.field.unique) {
        let mut seen: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            let v = r[b.col].as_str();
            if !schema.is_missing(v) {
                seen.entry(v).or_default().push(i);
            }
        }
        let sev = b.field.severity_of("unique");
        let mut dupes: Vec<(usize, String)> = Vec::new();
        for (v, idx) in seen.iter().filter(|(_, idx)| idx.len() > 1) {
            let rows_list: Vec<String> = idx
                .iter()
                .map(|&i| {
                    ctx.row_col
                        .map(|c| rows[i][c].clone())
                        .unwrap_or_else(|| (i + 1).to_string())
                })
                .collect();
            for &i in idx {
                dupes.push((
                    i,
                    format!(
                        "{} {v:?} appears {} times (rows {})",
                        b.field.name,
                        idx.len(),
                        rows_list.join(", ")
                    ),
                ));
            }
        }
        dupes.sort();
        for (i, msg) in dupes {
            if sev == Severity::Error {
                outcome.row_has_error[i] = true;
            }
            let r = &rows[i];
            outcome.findings.push(Finding {
                row_index: i,
                source: ctx.source_col.map(|c| r[c].clone()).unwrap_or_default(),
                row: ctx.row_col.map(|c| r[c].clone()).unwrap_or_default(),
                record_id: ctx.id_col.map(|c| r[c].clone()).unwrap_or_default(),
                field: b.field.name.clone(),
                rule: "unique-error".to_string(),
                severity: sev,
                value: r[b.col].clone(),
                message: msg,
                suggestion: String::new(),
            });
        }
    }
    outcome.findings.sort_by_key(|f| f.row_index);
    outcome.rows = rows;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_report_each_broken_rule() {
        let mut f = Field::new("code", FieldKind::Text);
        f.min_length = Some(3);
        f.values = vec!["AB".into(), "ABC".into()];
        let re = regex::Regex::new("^(?:[A-Z]+)$").unwrap();
        let v = constraint_violations(&f, Some(&re), "ab");
        let keys: Vec<&str> = v.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, vec!["pattern", "min_length", "values"]);
        assert!(constraint_violations(&f, Some(&re), "ABC").is_empty());
        let mut n = Field::new("spend", FieldKind::Money);
        n.min = Some(0.0);
        n.max = Some(100.0);
        assert_eq!(constraint_violations(&n, None, "-1")[0].0, "min");
        assert_eq!(constraint_violations(&n, None, "101")[0].0, "max");
        assert!(constraint_violations(&n, None, "50").is_empty());
    }
}

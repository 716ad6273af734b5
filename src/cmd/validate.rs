//! `steward validate` and `steward normalize`: check every row against the schema, report per field, write
//! findings, rejects and changes, and set the exit code from the policy so a scheduled job can stop a bad feed.

use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

use super::{open_all, read_options, Ui};
use crate::cli::{FailOn, NormalizeArgs, ReportFormat, ValidateArgs, ValidationArgs};
use crate::error::{ExitCode, StewardError};
use crate::io::write::{
    check_output_path, input_identities, write_csv_file, DatasetWriter, Destination, OutputFormat,
    WriteOptions,
};
use crate::privacy::mask::mask_value;
use crate::schema::{Schema, Severity};
use crate::table::load_table;
use crate::validate::{check_table, CheckOptions, FieldStats, Finding, Outcome};

#[derive(Serialize)]
struct Reason {
    rule: String,
    severity: Severity,
    count: u64,
    example: String,
}

#[derive(Serialize)]
struct FieldSummary {
    #[serde(flatten)]
    stats: FieldStats,
    reasons: Vec<Reason>,
}

#[derive(Serialize)]
struct Summary {
    rows_in: u64,
    rows_valid: u64,
    rows_rejected: u64,
    /// Rows that could not be read at all (malformed CSV under --lenient); part of rows_rejected.
    rows_unreadable: u64,
    errors: u64,
    warnings: u64,
    fields: Vec<FieldSummary>,
    policy: Policy,
}

#[derive(Serialize)]
struct Policy {
    fail_on: &'static str,
    max_errors: String,
    failed: bool,
}

fn check_options(v: &ValidationArgs) -> Result<CheckOptions> {
    Ok(CheckOptions {
        default_region: super::region_code(v.default_region.as_deref())?,
        day_first: v.day_first,
        today: super::as_of_date(v.as_of.as_deref())?,
        stale_after_days: v.stale_after.as_deref().map(parse_days).transpose()?,
    })
}

/// `365d`, `52w`, `12m` (30-day months), `1y` (365 days), or a bare number of days.
pub fn parse_days(s: &str) -> Result<i64> {
    let t = s.trim();
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: i64 = num.parse().map_err(|_| {
        StewardError::usage(format!(
            "--stale-after takes a span like 365d, 12m or 1y, found {s:?}"
        ))
    })?;
    let days = match unit {
        "" | "d" => n,
        "w" => n * 7,
        "m" => n * 30,
        "y" => n * 365,
        _ => {
            return Err(StewardError::usage(format!(
                "--stale-after takes a span like 365d, 12m or 1y, found {s:?}"
            ))
            .into())
        }
    };
    Ok(days)
}

struct Run {
    schema: Schema,
    /// The table with its field columns normalized.
    table: crate::table::Table,
    outcome: Outcome,
    rows_in: u64,
    unreadable: Vec<(String, crate::io::Reject)>,
    inputs: Vec<(String, crate::io::write::FileIdentity)>,
}

fn run_checks(v: &ValidationArgs, want_changes: bool) -> Result<Run> {
    let opts = read_options(&v.input, v.lenient)?;
    let schema = Schema::load_or_builtin(v.schema.schema.as_deref())?;
    let check = check_options(v)?;
    let (paths, sources) = open_all(&v.sources, &opts)?;
    let inputs = input_identities(&paths);
    let loaded = load_table(&schema, &sources, &v.schema.maps)?;
    drop(sources);
    let mut table = loaded.table;
    let outcome = check_table(&schema, &mut table, &check, want_changes)?;
    Ok(Run {
        schema,
        table,
        outcome,
        rows_in: loaded.counts.rows_in,
        unreadable: loaded.rejects,
        inputs,
    })
}

fn summarize(run: &Run, v: &ValidationArgs) -> Summary {
    let mut per: BTreeMap<(&str, &str), (Severity, u64, String)> = BTreeMap::new();
    let (mut errors, mut warnings) = (0u64, 0u64);
    for f in &run.outcome.findings {
        match f.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
        let e = per.entry((f.field.as_str(), f.rule.as_str())).or_insert((
            f.severity,
            0,
            String::new(),
        ));
        e.1 += 1;
        if e.2.is_empty() {
            e.2 = masked(&run.schema, &f.field, &f.value);
        }
    }
    let fields = run
        .outcome
        .fields
        .iter()
        .map(|s| {
            let mut reasons: Vec<Reason> = per
                .iter()
                .filter(|((field, _), _)| *field == s.field)
                .map(|((_, rule), (sev, count, ex))| Reason {
                    rule: rule.to_string(),
                    severity: *sev,
                    count: *count,
                    example: ex.clone(),
                })
                .collect();
            reasons.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(&b.rule)));
            FieldSummary {
                stats: s.clone(),
                reasons,
            }
        })
        .collect();
    let rejected_rows = run.outcome.row_has_error.iter().filter(|e| **e).count() as u64;
    let unreadable = run.unreadable.len() as u64;
    let rows_valid = run.table.len() as u64 - rejected_rows;
    let failed = policy_failed(v, errors, warnings, run.rows_in);
    Summary {
        rows_in: run.rows_in,
        rows_valid,
        rows_rejected: rejected_rows + unreadable,
        rows_unreadable: unreadable,
        errors,
        warnings,
        fields,
        policy: Policy {
            fail_on: match v.fail_on.unwrap_or(FailOn::Never) {
                FailOn::Error => "error",
                FailOn::Warning => "warning",
                FailOn::Never => "never",
            },
            max_errors: v.max_errors.clone().unwrap_or_else(|| "0".to_string()),
            failed,
        },
    }
}

fn masked(schema: &Schema, field: &str, value: &str) -> String {
    match schema.field(field) {
        Some(f) if f.privacy != crate::schema::PrivacyClass::None => mask_value(f.kind, value),
        _ => value.chars().take(40).collect(),
    }
}

/// Whether the data fails the policy: more findings at or above the `--fail-on` level than `--max-errors`
/// allows (a count, or a percentage of rows in).
fn policy_failed(v: &ValidationArgs, errors: u64, warnings: u64, rows_in: u64) -> bool {
    let counted = match v.fail_on.unwrap_or(FailOn::Never) {
        FailOn::Never => return false,
        FailOn::Error => errors,
        FailOn::Warning => errors + warnings,
    };
    let limit = match v.max_errors.as_deref() {
        None => 0.0,
        Some(m) => match m.strip_suffix('%') {
            Some(p) => p.trim().parse::<f64>().unwrap_or(0.0) / 100.0 * rows_in as f64,
            None => m.trim().parse::<f64>().unwrap_or(0.0),
        },
    };
    counted as f64 > limit
}

/// The findings file: `_source, _row, record_id, field, rule, severity, value, message, suggestion`; values of
/// personal fields masked when a schema is given for masking.
pub(crate) fn write_findings(
    path: &str,
    force: bool,
    inputs: &[(String, crate::io::write::FileIdentity)],
    findings: &[Finding],
    mask: Option<&Schema>,
) -> Result<()> {
    let cols: Vec<String> = [
        "_source",
        "_row",
        "record_id",
        "field",
        "rule",
        "severity",
        "value",
        "message",
        "suggestion",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = findings.iter().map(|f| {
        let value = match mask {
            Some(schema) => masked(schema, &f.field, &f.value),
            None => f.value.clone(),
        };
        vec![
            f.source.clone(),
            f.row.clone(),
            f.record_id.clone(),
            f.field.clone(),
            f.rule.clone(),
            match f.severity {
                Severity::Error => "error".to_string(),
                Severity::Warning => "warning".to_string(),
            },
            value,
            f.message.clone(),
            f.suggestion.clone(),
        ]
    });
    write_csv_file(path, force, inputs, &cols, rows, true)?;
    Ok(())
}

fn write_side_files(run: &Run, v: &ValidationArgs, force: bool) -> Result<()> {
    if let Some(path) = &v.findings {
        let mask = v.mask_values.then_some(&run.schema);
        write_findings(path, force, &run.inputs, &run.outcome.findings, mask)?;
    }
    if let Some(path) = &v.rejects {
        // Rows with errors, all their columns as read, and why; then rows that could not be read at all.
        let mut cols = run.table.columns.clone();
        cols.push("_reasons".to_string());
        let mut reasons: Vec<Vec<String>> = vec![Vec::new(); run.table.len()];
        for f in run
            .outcome
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
        {
            reasons[f.row_index].push(format!("{}: {} ({})", f.field, f.rule, f.message));
        }
        let mut out_rows: Vec<Vec<String>> = Vec::new();
        for (i, reasons) in reasons.iter().enumerate() {
            if run.outcome.row_has_error[i] {
                let mut row: Vec<String> = run.table.row(i).into_iter().map(String::from).collect();
                if v.mask_values {
                    for (ci, c) in run.table.columns.iter().enumerate() {
                        row[ci] = masked(&run.schema, c, &row[ci]);
                    }
                }
                row.push(reasons.join("; "));
                out_rows.push(row);
            }
        }
        let n = cols.len();
        for (src, rej) in &run.unreadable {
            let mut row = vec![String::new(); n];
            row[n - 3] = src.clone();
            row[n - 2] = rej.row.to_string();
            row[n - 1] = format!("unreadable: {} | raw: {}", rej.reason, rej.raw);
            out_rows.push(row);
        }
        write_csv_file(path, force, &run.inputs, &cols, out_rows, true)?;
    }
    Ok(())
}

fn print_summary(
    s: &Summary,
    what: &str,
    format: ReportFormat,
    ui: Ui,
    json_to_stdout: bool,
) -> Result<()> {
    if format == ReportFormat::Json {
        let text = serde_json::to_string_pretty(s)?;
        if json_to_stdout {
            println!("{text}");
        } else {
            eprintln!("{text}");
        }
        return Ok(());
    }
    let mut out = format!(
        "{what} {} rows: {} in = {} valid + {} rejected ({} errors, {} warnings)\n",
        s.rows_in, s.rows_in, s.rows_valid, s.rows_rejected, s.errors, s.warnings
    );
    if s.rows_unreadable > 0 {
        out.push_str(&format!(
            "  {} row(s) could not be read (malformed CSV)\n",
            s.rows_unreadable
        ));
    }
    out.push_str(&format!(
        "\n  {:<20} {:>8} {:>8} {:>8} {:>8}  top problems\n",
        "field", "checked", "valid", "invalid", "missing"
    ));
    for f in &s.fields {
        let top: Vec<String> = f
            .reasons
            .iter()
            .take(3)
            .map(|r| {
                let sev = if r.severity == Severity::Warning {
                    " (warning)"
                } else {
                    ""
                };
                format!("{} {}{sev}, e.g. {}", r.rule, r.count, r.example)
            })
            .collect();
        out.push_str(&format!(
            "  {:<20} {:>8} {:>8} {:>8} {:>8}  {}\n",
            f.stats.field,
            f.stats.checked,
            f.stats.valid,
            f.stats.invalid,
            f.stats.missing,
            top.join("; ")
        ));
    }
    if s.policy.failed {
        out.push_str(&format!(
            "\npolicy failed: --fail-on {} with --max-errors {} (exit code 1)\n",
            s.policy.fail_on, s.policy.max_errors
        ));
    }
    if json_to_stdout {
        print!("{out}");
    } else {
        ui.say(out.trim_end());
    }
    Ok(())
}

/// Fill given_name and family_name from name where both are empty; adds the columns after name when missing.
/// Returns how many names were split. Each split is a recorded change.
fn split_names(run: &mut Run, record_changes: bool) -> Result<u64> {
    use crate::table::TextColumn;
    let table = &mut run.table;
    let Some(name_col) = table.column_index("name") else {
        return Err(
            StewardError::usage("--split-names needs a column mapped to the field name").into(),
        );
    };
    let n = table.len();
    for (offset, field) in ["given_name", "family_name"].iter().enumerate() {
        if table.column_index(field).is_none() {
            let mut empty = TextColumn::with_capacity(n);
            for _ in 0..n {
                empty.push("")?;
            }
            table.insert_column(name_col + 1 + offset, field, empty);
        }
    }
    let (g, f) = (
        table.column_index("given_name").unwrap_or(name_col),
        table.column_index("family_name").unwrap_or(name_col),
    );
    let (src, row) = (
        table.column_index(crate::table::SOURCE_COLUMN),
        table.column_index(crate::table::ROW_COLUMN),
    );
    let mut given = TextColumn::with_capacity(n);
    let mut family = TextColumn::with_capacity(n);
    let mut split = 0u64;
    for i in 0..n {
        let (old_g, old_f) = (table.get(i, g), table.get(i, f));
        let parts = if old_g.is_empty() && old_f.is_empty() {
            crate::fields::name::split_name(table.get(i, name_col))
        } else {
            None
        };
        match parts {
            Some(p) => {
                split += 1;
                given.push(&p.given)?;
                family.push(&p.family)?;
                let recorded = if record_changes {
                    vec![("given_name", &p.given), ("family_name", &p.family)]
                } else {
                    Vec::new()
                };
                for (field, value) in recorded {
                    run.outcome.changes.push(crate::validate::Change {
                        row_index: i,
                        source: src.map(|c| table.get(i, c).to_string()).unwrap_or_default(),
                        row: row.map(|c| table.get(i, c).to_string()).unwrap_or_default(),
                        field: field.to_string(),
                        before: String::new(),
                        after: value.clone(),
                        rule: "split-name".to_string(),
                    });
                }
            }
            None => {
                given.push(old_g)?;
                family.push(old_f)?;
            }
        }
    }
    table.data[g] = given;
    table.data[f] = family;
    run.outcome.changes.sort_by_key(|c| c.row_index);
    Ok(split)
}

/// Exit code 1 when the data failed the policy.
fn policy_outcome(s: &Summary) -> Result<()> {
    if s.policy.failed {
        return Err(StewardError::new(
            ExitCode::PolicyFailed,
            "the data failed the validation policy",
        )
        .into());
    }
    Ok(())
}

pub fn validate(args: &ValidateArgs, ui: Ui) -> Result<()> {
    let mut v = args.check.clone();
    v.fail_on.get_or_insert(FailOn::Error);
    let v = &v;
    for p in [&v.findings, &v.rejects].into_iter().flatten() {
        check_output_path(Path::new(p), args.force, &[])?;
    }
    let run = run_checks(v, false)?;
    write_side_files(&run, v, args.force)?;
    let s = summarize(&run, v);
    print_summary(&s, "validated", v.format, ui, true)?;
    policy_outcome(&s)
}

pub fn normalize(args: &NormalizeArgs, ui: Ui) -> Result<()> {
    let started = chrono::Local::now();
    let v = &args.check;
    for p in [&v.findings, &v.rejects, &args.changes]
        .into_iter()
        .flatten()
    {
        check_output_path(Path::new(p), args.force, &[])?;
    }
    let mut run = run_checks(v, args.changes.is_some())?;
    let split = if args.split_names {
        split_names(&mut run, args.changes.is_some())?
    } else {
        0
    };
    let format = args
        .output_format
        .or_else(|| OutputFormat::from_path(Path::new(&args.output)))
        .unwrap_or(OutputFormat::Csv);
    let dest = Destination::open(&args.output, args.force, &run.inputs)?;
    let n = run.table.columns.len();
    let mut integer_columns = vec![false; n];
    integer_columns[n - 1] = true;
    let mut w = DatasetWriter::new(
        dest,
        &run.table.columns,
        WriteOptions {
            format,
            formula_guard: !args.no_formula_guard,
            integer_columns,
        },
    )?;
    for i in 0..run.table.len() {
        w.write_row(&run.table.row(i))?;
    }
    let stats = w.finish()?;
    write_side_files(&run, v, args.force)?;
    if let Some(path) = &args.changes {
        let cols: Vec<String> = ["_source", "_row", "field", "before", "after", "rule"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let rows = run.outcome.changes.iter().map(|c| {
            vec![
                c.source.clone(),
                c.row.clone(),
                c.field.clone(),
                c.before.clone(),
                c.after.clone(),
                c.rule.clone(),
            ]
        });
        write_csv_file(path, args.force, &run.inputs, &cols, rows, true)?;
    }
    let s = summarize(&run, v);
    let inputs: Vec<String> = run.inputs.iter().map(|(p, _)| p.clone()).collect();
    let mut outs: Vec<(&str, &str)> = vec![("normalized", args.output.as_str())];
    for (name, p) in [
        ("findings", &v.findings),
        ("rejects", &v.rejects),
        ("changes", &args.changes),
    ] {
        if let Some(p) = p {
            outs.push((name, p.as_str()));
        }
    }
    crate::report::write_manifest(
        "normalize",
        started,
        &inputs,
        &outs,
        serde_json::json!({"rows_in": s.rows_in, "rows_out": stats.rows, "rows_valid": s.rows_valid, "rows_rejected": s.rows_rejected, "errors": s.errors, "warnings": s.warnings, "changes": run.outcome.changes.len()}),
        None,
    )?;
    print_summary(&s, "normalized", v.format, ui, false)?;
    if args.split_names {
        ui.say(format!(
            "split {split} full name(s) into given_name and family_name"
        ));
    }
    ui.say(format!(
        "wrote {} rows ({} in, {} unreadable) with {} changed cells to {}",
        stats.rows,
        s.rows_in,
        s.rows_unreadable,
        run.outcome.changes.len(),
        if args.output == "-" {
            "stdout"
        } else {
            &args.output
        }
    ));
    policy_outcome(&s)
}

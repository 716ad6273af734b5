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
        stale_after_days: v
            .stale_after
            .as_deref()
            .map(crate::cli::parse_days)
            .transpose()?,
    })
}

struct Run {
    schema: Schema,
    columns: Vec<String>,
    /// Rows read (and checked).
    rows: usize,
    /// The whole table with its field columns normalized, when it was loaded whole (`--split-names`, stdin).
    table: Option<crate::table::Table>,
    /// When streamed: the normalized values of the rows with an error, for the rejects file.
    error_rows: BTreeMap<usize, Vec<String>>,
    outcome: Outcome,
    rows_in: u64,
    unreadable: Vec<(String, crate::io::Reject)>,
    inputs: Vec<(String, crate::io::write::FileIdentity)>,
}

impl Run {
    /// The normalized values of a row (a rejected one, when streamed).
    fn row_values(&self, i: usize) -> Vec<String> {
        match &self.table {
            Some(t) => t.row(i).into_iter().map(String::from).collect(),
            None => self.error_rows.get(&i).cloned().unwrap_or_default(),
        }
    }
}

/// Load the whole table, then check it (for `--split-names`, which rewrites columns, and stdin).
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
        columns: table.columns.clone(),
        rows: table.len(),
        table: Some(table),
        error_rows: BTreeMap::new(),
        outcome,
        rows_in: loaded.counts.rows_in,
        unreadable: loaded.rejects,
        inputs,
    })
}

/// Where a streamed check sends its normalized rows (normalize), opened once the columns are known.
type OpenWriter<'w> = dyn FnMut(&[String]) -> Result<DatasetWriter> + 'w;

/// Check the sources piece by piece on every core, without holding the table: normalized rows go to the writer
/// `open` returns (if any) in input order; only findings, changes, rejected rows and the values of unique
/// fields are kept. Files are read a second time only to fetch rows rejected for a repeated unique value.
fn run_checks_streamed(
    v: &ValidationArgs,
    want_changes: bool,
    open: Option<&mut OpenWriter>,
) -> Result<(Run, Option<crate::io::write::WriteStats>)> {
    use crate::table::{plan_import, run_import_parallel, TextColumn};
    use crate::validate::RowChecker;
    let opts = read_options(&v.input, v.lenient)?;
    let schema = Schema::load_or_builtin(v.schema.schema.as_deref())?;
    let check = check_options(v)?;
    let (paths, sources) = open_all(&v.sources, &opts)?;
    let inputs = input_identities(&paths);
    let plan = plan_import(&schema, &sources, &v.schema.maps)?;
    let columns = plan.columns.clone();
    let checker = RowChecker::new(&schema, &columns, &check, want_changes)?;
    let mut writer = match open {
        Some(open) => Some(open(&columns)?),
        None => None,
    };
    let encoder = writer.as_ref().and_then(|w| w.encoder());
    let unique = checker.unique_columns();
    let (row_col, id_col) = (
        columns.iter().position(|c| c == crate::table::ROW_COLUMN),
        checker.id_column(),
    );
    // For uniqueness: each unique field's values, and every row's provenance and record id.
    let mut unique_values: Vec<TextColumn> = unique.iter().map(|_| TextColumn::default()).collect();
    let mut row_numbers = TextColumn::default();
    let mut record_ids = TextColumn::default();
    let mut source_of: Vec<u32> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    let mut outcome = Outcome {
        fields: checker.empty_stats(),
        ..Default::default()
    };
    let mut error_rows: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut unreadable = Vec::new();
    let mut base = 0usize;
    let counts = run_import_parallel(
        &plan,
        &sources,
        |piece| {
            let done = checker.check_piece(&piece.rows)?;
            let encoded = match &encoder {
                Some(e) => {
                    let mut buf = e.buffer(done.rows.text_len() + done.rows.len() * 32);
                    for r in 0..done.rows.len() {
                        buf.write_row(&done.rows.row(r))?;
                    }
                    Some(buf.finish()?)
                }
                None => None,
            };
            Ok((done, encoded))
        },
        |piece, (done, encoded)| {
            let n = done.rows.len();
            if let Some(w) = writer.as_mut() {
                match encoded {
                    Some(e) => w.write_encoded(e)?,
                    None => {
                        for r in 0..n {
                            w.write_row(&done.rows.row(r))?;
                        }
                    }
                }
            }
            for (si, rej) in &piece.rejects {
                unreadable.push((sources[*si].info.label.clone(), rej.clone()));
            }
            for (r, bad) in done.row_has_error.iter().enumerate() {
                if *bad {
                    error_rows.insert(
                        base + r,
                        done.rows.row(r).into_iter().map(String::from).collect(),
                    );
                }
            }
            if !unique.is_empty() {
                for r in 0..n {
                    for (u, &(_, col)) in unique.iter().enumerate() {
                        unique_values[u].push(done.rows.cell(r, col))?;
                    }
                    row_numbers.push(row_col.map(|c| done.rows.cell(r, c)).unwrap_or(""))?;
                    record_ids.push(id_col.map(|c| done.rows.cell(r, c)).unwrap_or(""))?;
                    let label = &piece.rows.cell(r, columns.len() - 2);
                    if labels.last().map(String::as_str) != Some(label) {
                        labels.push(label.to_string());
                    }
                    source_of.push((labels.len() - 1) as u32);
                }
            }
            outcome
                .findings
                .extend(done.findings.into_iter().map(|mut f| {
                    f.row_index += base;
                    f
                }));
            outcome
                .changes
                .extend(done.changes.into_iter().map(|mut c| {
                    c.row_index += base;
                    c
                }));
            outcome.row_has_error.extend(done.row_has_error);
            checker.recycle(done.rows);
            for (all, p) in outcome.fields.iter_mut().zip(done.fields) {
                all.checked += p.checked;
                all.valid += p.valid;
                all.invalid += p.invalid;
                all.missing += p.missing;
                all.warnings += p.warnings;
            }
            base += n;
            Ok(())
        },
    )?;
    drop(sources);
    let stats = writer.map(|w| w.finish()).transpose()?;

    // Uniqueness, on normalized values: every duplicate listed with the rows it shares the value with.
    let mut refetch: Vec<usize> = Vec::new();
    for (u, &(bi, _)) in unique.iter().enumerate() {
        let found = checker.unique_findings(
            bi,
            &unique_values[u],
            &|i| labels[source_of[i] as usize].clone(),
            &|i| row_numbers.get(i).to_string(),
            &|i| record_ids.get(i).to_string(),
        );
        for f in found {
            if f.severity == Severity::Error && !outcome.row_has_error[f.row_index] {
                outcome.row_has_error[f.row_index] = true;
                refetch.push(f.row_index);
            }
            outcome.findings.push(f);
        }
    }
    if !refetch.is_empty() && v.rejects.is_some() {
        // Rows rejected only for a repeated value: read again to write them to the rejects file.
        refetch.sort_unstable();
        let (_, again) = open_all(&v.sources, &opts)?;
        let mut at = 0usize;
        let mut next = 0usize;
        run_import_parallel(
            &plan,
            &again,
            |_| Ok(()),
            |piece, ()| {
                let n = piece.rows.len();
                while next < refetch.len() && refetch[next] < at + n {
                    let r = refetch[next] - at;
                    let mut one = crate::table::FlatRows::new(columns.len(), 1);
                    one.push(&piece.rows.row(r));
                    let done = checker.check_piece(&one)?;
                    error_rows.insert(
                        refetch[next],
                        done.rows.row(0).into_iter().map(String::from).collect(),
                    );
                    next += 1;
                }
                at += n;
                Ok(())
            },
        )?;
    }
    outcome.findings.sort_by_key(|f| (f.row_index, f.order));
    outcome.changes.sort_by_key(|c| c.row_index);
    Ok((
        Run {
            schema: schema.clone(),
            columns,
            rows: base,
            table: None,
            error_rows,
            outcome,
            rows_in: counts.rows_in,
            unreadable,
            inputs,
        },
        stats,
    ))
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
    let rows_valid = run.rows as u64 - rejected_rows;
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
        let mut cols = run.columns.clone();
        cols.push("_reasons".to_string());
        let mut reasons: Vec<Vec<String>> = vec![Vec::new(); run.rows];
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
                let mut row: Vec<String> = run.row_values(i);
                if v.mask_values {
                    for (ci, c) in run.columns.iter().enumerate() {
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
    let Some(table) = run.table.as_mut() else {
        return Err(
            StewardError::new(ExitCode::Software, "--split-names needs the whole table").into(),
        );
    };
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
    run.columns = table.columns.clone();
    run.outcome.changes.sort_by_key(|c| c.row_index);
    Ok(split)
}

/// Exit code 1 when the data failed the policy.
/// Whether the sources can be checked as a stream (stdin is read whole: it cannot be read a second time for
/// rows rejected as repeated values).
fn streamable(v: &ValidationArgs) -> bool {
    !v.sources.iter().any(|s| s == "-")
}

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
    crate::fields::phone::warm_up();
    let mut v = args.check.clone();
    v.fail_on.get_or_insert(FailOn::Error);
    let v = &v;
    for p in [&v.findings, &v.rejects].into_iter().flatten() {
        check_output_path(Path::new(p), args.force, &[])?;
    }
    let run = if streamable(v) {
        run_checks_streamed(v, false, None)?.0
    } else {
        run_checks(v, false)?
    };
    write_side_files(&run, v, args.force)?;
    let s = summarize(&run, v);
    print_summary(&s, "validated", v.format, ui, true)?;
    policy_outcome(&s)
}

pub fn normalize(args: &NormalizeArgs, ui: Ui) -> Result<()> {
    crate::fields::phone::warm_up();
    let started = chrono::Local::now();
    let v = &args.check;
    for p in [&v.findings, &v.rejects, &args.changes]
        .into_iter()
        .flatten()
    {
        check_output_path(Path::new(p), args.force, &[])?;
    }
    let format = args
        .output_format
        .or_else(|| OutputFormat::from_path(Path::new(&args.output)))
        .unwrap_or(OutputFormat::Csv);
    let open_writer = |columns: &[String], inputs: &[(String, crate::io::write::FileIdentity)]| {
        let dest = Destination::open(&args.output, args.force, inputs)?;
        let n = columns.len();
        let mut integer_columns = vec![false; n];
        integer_columns[n - 1] = true;
        DatasetWriter::new(
            dest,
            columns,
            WriteOptions {
                format,
                formula_guard: !args.no_formula_guard,
                integer_columns,
            },
        )
    };
    let mut split = 0;
    let (run, stats) = if streamable(v) && !args.split_names {
        let inputs = input_identities(&crate::cmd::expand_inputs(&v.sources)?);
        let mut open = |columns: &[String]| open_writer(columns, &inputs);
        let (run, stats) = run_checks_streamed(v, args.changes.is_some(), Some(&mut open))?;
        let stats = stats
            .ok_or_else(|| StewardError::new(ExitCode::Software, "normalize wrote no output"))?;
        (run, stats)
    } else {
        let mut run = run_checks(v, args.changes.is_some())?;
        if args.split_names {
            split = split_names(&mut run, args.changes.is_some())?;
        }
        let mut w = open_writer(&run.columns, &run.inputs)?;
        if let Some(t) = &run.table {
            for i in 0..t.len() {
                w.write_row(&t.row(i))?;
            }
        }
        (run, w.finish()?)
    };
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

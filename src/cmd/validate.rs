//! `steward validate` and `steward normalize`: check every row against the schema, report per field, write
//! findings, rejects and changes, and set the exit code from the policy so a scheduled job can stop a bad feed.
//! The checks are `validate` (whole table, or streamed); this wires arguments, sources and outputs.

use anyhow::Result;
use std::collections::BTreeMap;
use std::path::Path;

use super::{open_all, read_options, Progress, Ui};
use crate::cli::{FailOn, NormalizeArgs, ReportFormat, ValidateArgs, ValidationArgs};
use crate::error::{ExitCode, StewardError};
use crate::io::outputs::Outputs;
use crate::io::write::{
    check_output_path, input_identities, DatasetWriter, FileIdentity, OutputFormat, WriteOptions,
    WriteStats,
};
use crate::io::{Reject, Source};
use crate::schema::Schema;
use crate::table::{load_table_counted, plan_import, Table};
use crate::validate::files::{write_changes, write_findings, write_rejects};
use crate::validate::names::split_names;
use crate::validate::streamed::StreamedCheck;
use crate::validate::summary::{summarize, FailPolicy, Summary};
use crate::validate::{check_table_with, CheckOptions, Outcome};

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

/// A finished check, whole or streamed, with what the outputs need.
struct Run {
    schema: Schema,
    columns: Vec<String>,
    /// Rows read (and checked).
    rows: usize,
    /// The whole table with its field columns normalized, when it was loaded whole (`--split-names`, stdin).
    table: Option<Table>,
    /// When streamed: the normalized values of the rows with an error, for the rejects file.
    error_rows: BTreeMap<usize, Vec<String>>,
    outcome: Outcome,
    rows_in: u64,
    unreadable: Vec<(String, Reject)>,
    inputs: Vec<(String, FileIdentity)>,
    /// Each source as read (format, encoding), for the summary and the manifest.
    sources: Vec<super::SourceSummary>,
    read_inputs: Vec<crate::report::ReadInput>,
}

impl Run {
    /// The normalized values of a row (a rejected one, when streamed).
    fn row_values(&self, i: usize) -> Vec<String> {
        match &self.table {
            Some(t) => t.row(i).into_iter().map(String::from).collect(),
            None => self.error_rows.get(&i).cloned().unwrap_or_default(),
        }
    }

    /// The summary, under the policy of `--fail-on` (else `fail_on`) and `--max-errors`.
    fn summary(&self, v: &ValidationArgs, fail_on: FailOn) -> Summary {
        let policy = FailPolicy {
            fail_on: v.fail_on.unwrap_or(fail_on),
            max_errors: v.max_errors.clone(),
        };
        let mut s = summarize(
            &self.schema,
            &self.outcome,
            self.rows,
            self.rows_in,
            self.unreadable.len() as u64,
            &policy,
        );
        s.sources = self.sources.clone();
        s
    }
}

/// Load the whole table, then check it (for `--split-names`, which rewrites columns, and stdin).
fn run_checks(v: &ValidationArgs, want_changes: bool, progress: &Progress) -> Result<Run> {
    let opts = read_options(&v.input, v.lenient)?;
    let schema = Schema::load_or_builtin(v.schema.schema.as_deref())?;
    let check = check_options(v)?;
    let (paths, sources) = open_all(&v.sources, &opts)?;
    let inputs = input_identities(&paths);
    progress.stage("reading");
    let loaded = load_table_counted(&schema, &sources, &v.schema.maps, &mut |n| {
        progress.set_rows(n)
    })?;
    let (source_info, read_inputs) = (
        super::source_summaries(&sources),
        super::read_inputs(&paths, &sources),
    );
    drop(sources);
    let mut table = loaded.table;
    progress.stage("checking");
    let outcome = check_table_with(
        &schema,
        &mut table,
        &check,
        want_changes,
        &loaded.lost_digits,
    )?;
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
        sources: source_info,
        read_inputs,
    })
}

/// Where a streamed check sends its normalized rows (normalize), opened once the columns are known.
type OpenWriter<'w> = dyn FnMut(&[String]) -> Result<DatasetWriter> + 'w;

/// Check the sources as a stream (see `validate::streamed`); files are read a second time only to fetch rows
/// rejected for a repeated unique value, and only when there is a rejects file.
fn run_checks_streamed(
    v: &ValidationArgs,
    want_changes: bool,
    open: Option<&mut OpenWriter>,
    progress: &Progress,
) -> Result<(Run, Option<WriteStats>)> {
    let opts = read_options(&v.input, v.lenient)?;
    let schema = Schema::load_or_builtin(v.schema.schema.as_deref())?;
    let check = check_options(v)?;
    let (paths, sources) = open_all(&v.sources, &opts)?;
    let inputs = input_identities(&paths);
    let (source_info, read_inputs) = (
        super::source_summaries(&sources),
        super::read_inputs(&paths, &sources),
    );
    let plan = plan_import(&schema, &sources, &v.schema.maps)?;
    let lost = crate::table::LostDigits::of(&plan, &sources);
    let count = |rows: u64| progress.set_rows(rows);
    let stage = StreamedCheck::new(&schema, &plan, &check, want_changes)?
        .counting(&count)
        .with_lost_digits(&lost);
    let mut writer = match open {
        Some(open) => Some(open(&plan.columns)?),
        None => None,
    };
    let reread = || -> Result<Vec<Source>> { Ok(open_all(&v.sources, &opts)?.1) };
    let done = stage.run(
        &sources,
        writer.as_mut(),
        v.rejects
            .as_ref()
            .map(|_| &reread as &dyn Fn() -> Result<Vec<Source>>),
    )?;
    drop(sources);
    let stats = writer.map(|w| w.finish()).transpose()?;
    Ok((
        Run {
            schema: schema.clone(),
            columns: done.columns,
            rows: done.rows,
            table: None,
            error_rows: done.error_rows,
            outcome: done.outcome,
            rows_in: done.rows_in,
            unreadable: done.unreadable,
            inputs,
            sources: source_info,
            read_inputs,
        },
        stats,
    ))
}

/// Findings and rejects, when asked for, staged in the run's outputs.
fn write_side_files(run: &Run, v: &ValidationArgs, files: &mut Outputs) -> Result<()> {
    let mask = v.mask_values.then_some(&run.schema);
    if let Some(path) = &v.findings {
        let dest = files.open("findings", path)?;
        let format = OutputFormat::for_path(path, None);
        write_findings(dest, format, &run.outcome.findings, mask)?;
    }
    if let Some(path) = &v.rejects {
        // Rows with errors, all their columns as read, and why; then rows that could not be read at all.
        let dest = files.open("rejects", path)?;
        let format = OutputFormat::for_path(path, None);
        let values = |i| run.row_values(i);
        write_rejects(
            dest,
            format,
            &run.columns,
            &run.outcome,
            values,
            &run.unreadable,
            mask,
        )?;
    }
    Ok(())
}

/// The summary: JSON on stdout (stderr when data goes to stdout); for people, on stdout for validate (the
/// summary is its output) and on stderr for normalize (whose output is the data).
fn print_summary(
    s: &Summary,
    what: &str,
    format: ReportFormat,
    ui: Ui,
    data_on_stdout: bool,
) -> Result<()> {
    if format == ReportFormat::Json {
        return super::emit_json(s, data_on_stdout);
    }
    let out = s.human(what);
    if what == "validated" && !data_on_stdout {
        super::print_stdout(&out)?;
    } else {
        ui.say(out.trim_end());
    }
    Ok(())
}

/// Whether the sources can be checked as a stream (stdin is read whole: it cannot be read a second time for
/// rows rejected as repeated values).
fn streamable(v: &ValidationArgs) -> bool {
    !v.sources.iter().any(|s| s == "-")
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
    crate::fields::phone::warm_up();
    let v = &args.check;
    for p in [&v.findings, &v.rejects].into_iter().flatten() {
        check_output_path(Path::new(p), args.force, &[])?;
    }
    let progress = ui.progress("validating");
    let run = if streamable(v) {
        run_checks_streamed(v, false, None, &progress)?.0
    } else {
        run_checks(v, false, &progress)?
    };
    progress.stage("writing");
    let mut files = Outputs::new(args.force, &run.inputs);
    write_side_files(&run, v, &mut files)?;
    files.commit()?;
    progress.finish();
    let s = run.summary(v, FailOn::Error);
    let data_on_stdout = super::any_on_stdout([v.findings.as_deref(), v.rejects.as_deref()]);
    print_summary(&s, "validated", v.report.summary(), ui, data_on_stdout)?;
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
    let format = super::output_format(&args.output, args.data.output_format)?;
    let data_on_stdout = super::any_on_stdout([
        Some(args.output.as_str()),
        v.findings.as_deref(),
        v.rejects.as_deref(),
        args.changes.as_deref(),
    ]);
    let progress = ui.progress("normalizing");
    let mut files = Outputs::new(
        args.force,
        &input_identities(&crate::io::expand_inputs(&v.sources)?),
    );
    let open_writer = |files: &mut Outputs, columns: &[String]| {
        let dest = files.open("normalized", &args.output)?;
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
        let mut open = |columns: &[String]| open_writer(&mut files, columns);
        let (run, stats) =
            run_checks_streamed(v, args.changes.is_some(), Some(&mut open), &progress)?;
        let stats = stats
            .ok_or_else(|| StewardError::new(ExitCode::Software, "normalize wrote no output"))?;
        (run, stats)
    } else {
        let mut run = run_checks(v, args.changes.is_some(), &progress)?;
        if args.split_names {
            let table = run.table.as_mut().ok_or_else(|| {
                StewardError::new(ExitCode::Software, "--split-names needs the whole table")
            })?;
            split = split_names(table, &mut run.outcome.changes, args.changes.is_some())?;
            run.columns = table.columns.clone();
        }
        let mut w = open_writer(&mut files, &run.columns)?;
        if let Some(t) = &run.table {
            for i in 0..t.len() {
                w.write_row(&t.row(i))?;
            }
        }
        (run, w.finish()?)
    };
    progress.stage("writing");
    write_side_files(&run, v, &mut files)?;
    if let Some(path) = &args.changes {
        let dest = files.open("changes", path)?;
        let format = OutputFormat::for_path(path, None);
        write_changes(dest, format, &run.outcome.changes)?;
    }
    let s = run.summary(v, FailOn::Never);
    crate::report::write_manifest(
        &mut files,
        "normalized",
        "normalize",
        started,
        &run.read_inputs,
        serde_json::json!({"rows_in": s.rows_in, "rows_out": stats.rows, "rows_valid": s.rows_valid, "rows_rejected": s.rows_rejected, "errors": s.errors, "warnings": s.warnings, "changes": run.outcome.changes.len()}),
        None,
    )?;
    files.commit()?;
    progress.finish();
    print_summary(&s, "normalized", v.report.summary(), ui, data_on_stdout)?;
    let ui = ui.for_summary(v.report.summary());
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

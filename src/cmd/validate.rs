//! `steward validate` and `steward normalize`: check every row against the schema, report per field, write
//! findings, rejects and changes, and set the exit code from the policy so a scheduled job can stop a bad feed.
//! The checks are `validate` (whole table, or streamed); this wires arguments, sources and outputs.

use anyhow::Result;
use std::path::Path;

use super::{open_all, read_options, Progress, Ui};
use crate::cli::{FailOn, NormalizeArgs, ReportFormat, ValidateArgs, ValidationArgs};
use crate::error::{ExitCode, StewardError};
use crate::io::outputs::Outputs;
use crate::io::workbook::{column_types, source_names, About};
use crate::io::write::{
    check_output_path, input_identities, DatasetWriter, FileIdentity, OutputFormat, WriteOptions,
    WriteStats,
};
use crate::io::Source;
use crate::schema::Schema;
use crate::validate::files::{write_changes, write_findings, write_rejects};
use crate::validate::names::split_names;
use crate::validate::run::{check_streamed, check_whole, CheckRequest, Checked, OpenWriter};
use crate::validate::summary::{summarize, FailPolicy, Summary};
use crate::validate::CheckOptions;

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
        normalization: crate::fields::Normalization::CURRENT,
    })
}

/// A finished check with what the command's outputs and summary need.
struct Run {
    schema: Schema,
    checked: Checked,
    inputs: Vec<(String, FileIdentity)>,
    /// Each source as read (format, encoding), for the summary and the manifest.
    sources: Vec<super::SourceSummary>,
    read_inputs: Vec<crate::report::ReadInput>,
}

impl Run {
    /// The sources by file name, for a workbook's About sheet.
    fn source_names(&self) -> Vec<String> {
        source_names(self.sources.iter().map(|s| s.source.as_str()))
    }

    /// The summary, under the policy of `--fail-on` (else `fail_on`) and `--max-errors`.
    fn summary(&self, v: &ValidationArgs, fail_on: FailOn) -> Summary {
        let policy = FailPolicy {
            fail_on: v.fail_on.unwrap_or(fail_on),
            max_errors: v.max_errors.clone(),
        };
        let c = &self.checked;
        let unreadable = c.unreadable.len() as u64;
        let mut s = summarize(
            &self.schema,
            &c.outcome,
            c.rows,
            c.rows_in,
            unreadable,
            &policy,
        );
        s.sources = self.sources.clone();
        s
    }
}

/// Read the sources and check them: streamed (with `open` for normalized rows), or whole for stdin, which
/// cannot be read a second time for rows rejected as repeated values, and when `whole` (`--split-names`).
fn check(
    v: &ValidationArgs,
    want_changes: bool,
    whole: bool,
    open: Option<&mut OpenWriter>,
    progress: &Progress,
) -> Result<(Run, Option<WriteStats>)> {
    let opts = read_options(&v.input, v.lenient)?;
    let schema = v.schema.load()?;
    let check = check_options(v)?;
    let (paths, sources) = open_all(&v.sources, &opts)?;
    progress.stage("reading");
    let count = |n| progress.set_rows(n);
    let req = CheckRequest {
        schema: &schema,
        maps: &v.schema.maps,
        check: &check,
        want_changes,
        rows_read: &count,
    };
    let (checked, stats) = if whole || !streamable(v) {
        (check_whole(&req, &sources)?, None)
    } else {
        let reread = || -> Result<Vec<Source>> { Ok(open_all(&v.sources, &opts)?.1) };
        let reread = v
            .rejects
            .as_ref()
            .map(|_| &reread as &dyn Fn() -> Result<Vec<Source>>);
        check_streamed(&req, &sources, open, reread)?
    };
    let run = Run {
        checked,
        inputs: input_identities(&paths),
        sources: super::source_summaries(&sources),
        read_inputs: super::read_inputs(&paths, &sources),
        schema,
    };
    Ok((run, stats))
}

/// Findings and rejects, when asked for, staged in the run's outputs.
fn write_side_files(
    run: &Run,
    v: &ValidationArgs,
    files: &mut Outputs,
    bom: bool,
    command: &str,
) -> Result<()> {
    let mask = v.mask_values.then_some(&run.schema);
    let c = &run.checked;
    let about = |what: String| {
        let mut about = About::new(what, run.source_names());
        if mask.is_some() {
            about.personal_data =
                "masked: values of personal fields are masked (--mask-values); others as read"
                    .to_string();
        }
        about
    };
    if let Some(path) = &v.findings {
        let dest = files.open("findings", path)?.with_bom(bom);
        let opts = WriteOptions::new(OutputFormat::for_path(path, None), true).about(about(format!(
            "Findings of steward {command}: one line per issue found, with the value, rule and suggestion"
        )));
        write_findings(dest, opts, &c.outcome.findings, mask)?;
    }
    if let Some(path) = &v.rejects {
        // Rows with errors, all their columns as read, and why; then rows that could not be read at all.
        let dest = files.open("rejects", path)?.with_bom(bom);
        let opts = WriteOptions::new(OutputFormat::for_path(path, None), true)
            .typed(column_types(&run.schema, &c.columns))
            .about(about(format!(
                "Rows steward {command} rejected: every column and the reasons; then rows that could not be read"
            )));
        let values = |i| c.row_values(i);
        write_rejects(
            dest,
            opts,
            &c.columns,
            &c.outcome,
            values,
            &c.unreadable,
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
    let run = check(v, false, false, None, &progress)?.0;
    progress.stage("writing");
    let mut files = Outputs::new(args.force, &run.inputs);
    write_side_files(&run, v, &mut files, args.bom.bom, "validate")?;
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
    // The schema's field kinds type the cells of a workbook output.
    let schema = v.schema.load()?;
    let progress = ui.progress("normalizing");
    let paths = crate::io::expand_inputs(&v.sources)?;
    let about = About::new(
        "Normalized customer table by steward normalize: every row, values in their canonical form",
        source_names(paths.iter().map(String::as_str)),
    );
    let mut files = Outputs::new(args.force, &input_identities(&paths)).with_db_target(
        args.db_out
            .target_for(Some(&args.output))?
            .typed_by(args.check.schema.schema.as_deref())?,
    );
    let open_writer = |files: &mut Outputs, columns: &[String]| {
        let dest = files
            .open("normalized", &args.output)?
            .with_bom(args.data.bom.bom);
        let n = columns.len();
        let mut integer_columns = vec![false; n];
        integer_columns[n - 1] = true;
        DatasetWriter::new(
            dest,
            columns,
            WriteOptions {
                integer_columns,
                ..WriteOptions::new(format, !args.no_formula_guard)
            }
            .typed(column_types(&schema, columns))
            .about(about.clone()),
        )
    };
    let mut split = 0;
    let want_changes = args.changes.is_some();
    let mut open = |columns: &[String]| open_writer(&mut files, columns);
    let (mut run, stats) = check(
        v,
        want_changes,
        args.split_names,
        Some(&mut open),
        &progress,
    )?;
    let stats = match (stats, run.checked.table.as_mut()) {
        (Some(stats), _) => stats,
        // Checked whole: split names if asked, then write the table.
        (None, Some(table)) => {
            if args.split_names {
                let changes = &mut run.checked.outcome.changes;
                split = split_names(table, changes, want_changes)?;
                run.checked.columns = table.columns.clone();
            }
            let mut w = open_writer(&mut files, &table.columns)?;
            (0..table.len()).try_for_each(|i| w.write_row(&table.row(i)))?;
            w.finish()?
        }
        (None, None) => {
            return Err(StewardError::new(ExitCode::Software, "normalize wrote no output").into())
        }
    };
    progress.stage("writing");
    write_side_files(&run, v, &mut files, args.data.bom.bom, "normalize")?;
    if let Some(path) = &args.changes {
        let dest = files.open("changes", path)?.with_bom(args.data.bom.bom);
        let opts = WriteOptions::new(OutputFormat::for_path(path, None), true).about(About::new(
            "Changes steward normalize made: one line per changed cell, before and after",
            run.source_names(),
        ));
        write_changes(dest, opts, &run.checked.outcome.changes)?;
    }
    let s = run.summary(v, FailOn::Never);
    crate::report::write_manifest(
        &mut files,
        "normalized",
        "normalize",
        started,
        &run.read_inputs,
        serde_json::json!({"rows_in": s.rows_in, "rows_out": stats.rows, "rows_valid": s.rows_valid, "rows_rejected": s.rows_rejected, "errors": s.errors, "warnings": s.warnings, "changes": run.checked.outcome.changes.len()}),
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
        run.checked.outcome.changes.len(),
        if args.output == "-" {
            "stdout"
        } else {
            &args.output
        }
    ));
    policy_outcome(&s)
}

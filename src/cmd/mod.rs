//! One module per subcommand: options in, stages called, outputs written, a summary on stderr.
//! Shared wiring (reading options, opening sources, messages) lives here once.

pub mod audit;
pub mod clean;
pub mod completions;
pub mod dedupe;
pub mod diff;
pub mod erase;
pub mod import;
pub mod inspect;
pub mod job;
pub mod key;
pub mod model;
pub mod profile;
pub mod protect;
pub mod reveal;
pub mod risk;
pub mod schema;
pub mod segment;
pub mod ui;
pub mod validate;

pub use ui::{any_on_stdout, emit_json, print_stdout, Progress, Ui};

use anyhow::Result;

use crate::cli::{parse_delimiter, DataFormatArgs, InputArgs, ReportArgs};
use crate::error::StewardError;
use crate::io::write::OutputFormat;
use crate::io::{expand_inputs, open_source, ReadOptions, SheetSelector, Source};

pub fn read_options(input: &InputArgs, lenient: bool) -> Result<ReadOptions> {
    let delimiter = input
        .delimiter
        .as_deref()
        .map(parse_delimiter)
        .transpose()
        .map_err(StewardError::usage)?;
    let encoding = match input.encoding.as_deref() {
        None => None,
        Some(label) => Some(
            encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                StewardError::usage(format!(
                    "--encoding {label:?} is not an encoding label steward knows (try utf-8, gbk, gb18030, utf-16le, big5, shift_jis, windows-1252)"
                ))
            })?,
        ),
    };
    Ok(ReadOptions {
        delimiter,
        encoding,
        format: input.input_format,
        sheet: input.sheet.clone().unwrap_or(SheetSelector::FirstNonEmpty),
        lenient,
        // Every command reads its sources once: large CSVs stream in chunks.
        stream: true,
        db: crate::io::db::DbSelect {
            table: input.table.clone(),
            query: input.query.clone(),
        },
    })
}

/// Expand and open every source; stdin may be given once.
pub fn open_all(inputs: &[String], opts: &ReadOptions) -> Result<(Vec<String>, Vec<Source>)> {
    let paths = expand_inputs(inputs)?;
    if paths.iter().filter(|p| p.as_str() == "-").count() > 1 {
        return Err(StewardError::usage("stdin (-) can be read only once").into());
    }
    let mut sources = Vec::new();
    for p in &paths {
        sources.extend(open_source(p, opts)?);
    }
    crate::io::source::short_labels(sources.iter_mut());
    Ok((paths, sources))
}

/// The inputs as a manifest records them: each path with the encoding its text was read with.
pub fn read_inputs(paths: &[String], sources: &[Source]) -> Vec<crate::report::ReadInput> {
    paths
        .iter()
        .map(|p| crate::report::ReadInput {
            // A database is recorded as its URL without password and its table (`#query` for a query).
            path: sources
                .iter()
                .find(|s| &s.info.path == p)
                .map(|s| s.info.recorded_path().to_string())
                .unwrap_or_else(|| p.clone()),
            encoding: sources
                .iter()
                .find(|s| &s.info.path == p)
                .and_then(|s| Some((s.info.encoding.clone()?, s.info.encoding_how?))),
            digest: sources
                .iter()
                .find(|s| &s.info.path == p)
                .map(|s| s.info.digest.clone())
                .unwrap_or_default(),
        })
        .collect()
}

pub use crate::io::source::SourceSummary;

pub fn source_summaries(sources: &[Source]) -> Vec<SourceSummary> {
    sources
        .iter()
        .map(|s| SourceSummary {
            source: s.info.label.clone(),
            format: s.info.format,
            encoding: s.info.encoding.clone(),
            encoding_how: s.info.encoding_how,
        })
        .collect()
}

/// The summary's line per source: `source: f.csv (csv, encoding GBK/GB18030, detected)`, or
/// `source: book.xlsx!Customers (xlsx)` for a sheet.
pub fn source_lines(sources: &[SourceSummary]) -> Vec<String> {
    sources.iter().map(|s| s.line()).collect()
}

/// `--as-of YYYY-MM-DD`, else today.
pub fn as_of_date(s: Option<&str>) -> Result<chrono::NaiveDate> {
    match s {
        Some(d) => Ok(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                StewardError::usage(format!("--as-of takes a date like 2026-11-01, found {d:?}"))
            })?,
        ),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

/// `--default-region`: a country name or code, as ISO 3166-1 alpha-2.
pub fn region_code(s: Option<&str>) -> Result<Option<String>> {
    s.map(|r| {
        let c = crate::fields::country::check_country(r);
        if c.issues.is_empty() {
            Ok(c.value)
        } else {
            Err(StewardError::usage(format!("--default-region {r:?} is not a country code")).into())
        }
    })
    .transpose()
}

/// The data format of `OUT` (`-o`): `--output-format`; else, on import, dedupe, pseudonymize and erase, a data
/// format given to `--format` (its old meaning, said once on stderr); else OUT's extension: csv for stdout and
/// for a name without one, and a usage error for an extension steward cannot write.
pub fn data_format(
    output: &str,
    data: &DataFormatArgs,
    report: &ReportArgs,
    ui: Ui,
) -> Result<OutputFormat> {
    let legacy = report.legacy_data_format();
    if let (Some(old), Some(new)) = (legacy, data.output_format) {
        if old != new {
            return Err(StewardError::usage(format!(
                "--format {} and --output-format {} both set the data format: give --output-format only",
                format_name(old),
                format_name(new)
            ))
            .into());
        }
    }
    if let Some(old) = legacy {
        // Said where it cannot spoil a JSON summary: not on the stream that carries it.
        if !(report.is_json() && output == "-") {
            ui.say(format!(
                "steward: warning: --format {0} is the old spelling of --output-format {0} (--format is now the \
                 summary format: human or json)",
                format_name(old)
            ));
        }
    }
    output_format(output, data.output_format.or(legacy))
}

/// The format of `-o OUT`: the one given, else OUT's extension (csv for stdout and for a name without one);
/// an extension steward cannot write is a usage error.
pub fn output_format(output: &str, given: Option<OutputFormat>) -> Result<OutputFormat> {
    if let Some(f) = given {
        return Ok(f);
    }
    if crate::io::db::is_database(output) {
        // Rows go to a table; the format only matters to files.
        return Ok(OutputFormat::Csv);
    }
    let path = std::path::Path::new(output);
    match (output, path.extension()) {
        ("-", _) | (_, None) => Ok(OutputFormat::Csv),
        (_, Some(ext)) => OutputFormat::from_path(path).ok_or_else(|| {
            StewardError::usage(format!(
                "-o {output}: .{} is not a format steward writes; name the file .csv, .tsv, .jsonl, .parquet \
                 or .xlsx, or give --output-format",
                ext.to_string_lossy()
            ))
            .into()
        }),
    }
}

/// The format of a dataset file named by an option (`--findings f.xlsx`): its extension; csv without one.
/// (The option's value parser already refused an extension steward cannot write.)
pub fn file_format(path: &str) -> OutputFormat {
    OutputFormat::from_path(std::path::Path::new(path)).unwrap_or(OutputFormat::Csv)
}

fn format_name(f: OutputFormat) -> String {
    use clap::ValueEnum;
    f.to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

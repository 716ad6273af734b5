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
pub mod profile;
pub mod protect;
pub mod reveal;
pub mod risk;
pub mod schema;
pub mod segment;
pub mod validate;

use anyhow::Result;
use std::io::{IsTerminal, Write};

use crate::cli::{parse_delimiter, DataFormatArgs, InputArgs, ReportArgs, ReportFormat};
use crate::error::StewardError;
use crate::io::write::OutputFormat;
use crate::io::{expand_inputs, open_source, ReadOptions, SheetSelector, Source};

/// Messages for people, on stderr, silenced by --quiet.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub quiet: bool,
}

impl Ui {
    pub fn say(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", msg.as_ref());
        }
    }

    /// The messages of a command whose summary is `format`: with a JSON summary the human lines are left
    /// out (the JSON says it all), so the stream that carries the JSON carries nothing else.
    pub fn for_summary(self, format: ReportFormat) -> Ui {
        Ui {
            quiet: self.quiet || format == ReportFormat::Json,
        }
    }

    /// A progress line for a long command, starting at `stage`; see [`Progress`].
    pub fn progress(&self, stage: &str) -> Progress {
        Progress::new(stage, !self.quiet && std::io::stderr().is_terminal())
    }
}

/// A progress line on stderr while a long command works: the stage, and once rows are counted how many
/// and how fast, e.g. `⠙ validating: 2,310,000 rows, 1.09M rows/s (2s)`. Shown only when stderr is a
/// terminal and without --quiet (otherwise every call does nothing), and cleared when dropped, so it never
/// reaches a log file or mixes with a summary.
pub struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    fn new(stage: &str, visible: bool) -> Progress {
        if !visible {
            return Progress {
                bar: indicatif::ProgressBar::hidden(),
            };
        }
        let bar = indicatif::ProgressBar::new_spinner();
        let style = indicatif::ProgressStyle::with_template("{spinner} {msg}{rows} ({elapsed})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
            .with_key(
                "rows",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    if s.pos() > 0 {
                        let _ = write!(
                            w,
                            ": {} rows, {}",
                            indicatif::HumanCount(s.pos()),
                            rate(s.per_sec(), "rows")
                        );
                    }
                },
            );
        bar.set_style(style);
        bar.set_message(stage.to_string());
        // The spinner turns while a stage counts nothing (matching, scoring).
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress { bar }
    }

    /// A new stage: its name, and rows and time counted afresh.
    pub fn stage(&self, name: &str) {
        self.bar.reset();
        self.bar.set_message(name.to_string());
    }

    /// Rows done so far in this stage. The bar reads the clock on each call: call it per chunk of rows,
    /// not per row.
    pub fn set_rows(&self, rows: u64) {
        self.bar.set_position(rows);
    }

    /// Rows done since the last call (see `set_rows`).
    pub fn add_rows(&self, rows: u64) {
        self.bar.inc(rows);
    }

    /// Remove the line (also done on drop).
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// A rate people read at a glance: `950 rows/s`, `12.3k rows/s`, `1.09M rows/s`.
pub fn rate(per_sec: f64, unit: &str) -> String {
    if !per_sec.is_finite() || per_sec < 0.0 {
        return format!("- {unit}/s");
    }
    // Pick the scale after rounding, so 999,999 reads 1.00M, not 1000.0k.
    let (value, suffix, decimals) = if per_sec < 999.5 {
        (per_sec, "", 0)
    } else if per_sec < 99_950.0 {
        (per_sec / 1e3, "k", 1)
    } else if per_sec < 999_500.0 {
        (per_sec / 1e3, "k", 0)
    } else if per_sec < 999_500_000.0 {
        (per_sec / 1e6, "M", 2)
    } else {
        (per_sec / 1e9, "G", 2)
    };
    format!("{value:.decimals$}{suffix} {unit}/s")
}

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
    Ok((paths, sources))
}

/// The inputs as a manifest records them: each path with the encoding its text was read with.
pub fn read_inputs(paths: &[String], sources: &[Source]) -> Vec<crate::report::ReadInput> {
    paths
        .iter()
        .map(|p| crate::report::ReadInput {
            path: p.clone(),
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

/// Text for stdout, written through a handle that returns errors: a closed pipe (`| head`) is an error the
/// binary ends on quietly, where `print!` would panic.
pub fn print_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Whether any of these outputs is stdout (`-`): then the summary goes to stderr, away from the data.
pub fn any_on_stdout<'a>(outputs: impl IntoIterator<Item = Option<&'a str>>) -> bool {
    outputs.into_iter().any(|o| o == Some("-"))
}

/// A command's JSON summary, the only thing on its stream: stdout, or stderr when the data goes to stdout.
pub fn emit_json(value: &impl serde::Serialize, data_on_stdout: bool) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    if data_on_stdout {
        let mut err = std::io::stderr().lock();
        err.write_all(text.as_bytes())?;
        err.flush()?;
        Ok(())
    } else {
        print_stdout(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::rate;

    #[test]
    fn rates_read_at_a_glance() {
        assert_eq!(rate(1_085_643.613_2, "rows"), "1.09M rows/s");
        assert_eq!(rate(950.4, "rows"), "950 rows/s");
        assert_eq!(rate(0.0, "rows"), "0 rows/s");
        assert_eq!(rate(12_345.0, "rows"), "12.3k rows/s");
        assert_eq!(rate(332_000.0, "rows"), "332k rows/s");
        assert_eq!(rate(999_999.0, "rows"), "1.00M rows/s");
        assert_eq!(rate(99_960.0, "rows"), "100k rows/s");
        assert_eq!(rate(2.5e9, "rows"), "2.50G rows/s");
        assert_eq!(rate(f64::NAN, "rows"), "- rows/s");
    }
}

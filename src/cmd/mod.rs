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
use std::io::IsTerminal;

use crate::cli::{parse_delimiter, InputArgs};
use crate::error::StewardError;
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

    /// A spinner counting rows, shown only when stderr is a terminal.
    pub fn progress(&self, what: &str) -> indicatif::ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} {pos} rows ({per_sec}, {elapsed})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        pb.set_message(what.to_string());
        pb
    }
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

/// The `--format json` summary of a command that writes data: to stdout when the data goes to a file,
/// else to stderr so it does not mix with the data.
pub fn emit_json(value: &impl serde::Serialize, data_on_stdout: bool) -> Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    if data_on_stdout {
        eprintln!("{text}");
    } else {
        println!("{text}");
    }
    Ok(())
}

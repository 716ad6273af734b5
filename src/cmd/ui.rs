//! What a command shows people: messages on stderr (silenced by --quiet), a progress line on a terminal, a
//! summary on stdout or stderr, and JSON that is alone on its stream; a closed pipe ends quietly.

use anyhow::Result;
use std::io::{IsTerminal, Write};

use crate::cli::ReportFormat;

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

//! Job files for `steward run`: what a job declares (the options `clean` takes, where they make sense in a file),
//! the lock that keeps two runs of one job apart, and the `latest` link that points at the last good run.

use anyhow::Result;
use serde::Deserialize;
use std::path::{Path, PathBuf};

use crate::error::StewardError;
use crate::pipeline::Policy;

/// A job file: what `steward clean` takes on its command line, where it makes sense in a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// A name for messages and the audit log.
    pub name: Option<String>,
    /// Files or globs, relative to the job file, or a database (postgres://USER@HOST/DB, sqlite:FILE, or
    /// env:VAR naming a variable that holds the URL) with `table` or `query`.
    pub sources: Vec<String>,
    /// The table a database source is read from.
    pub table: Option<String>,
    /// A query whose result a database source reads, instead of `table`.
    pub query: Option<String>,
    /// The folder runs are written into.
    pub out: String,
    pub schema: Option<String>,
    /// Map columns onto fields by hand: ["Cust No=id", "Notes="].
    #[serde(default)]
    pub map: Vec<String>,
    /// Sheets of workbooks to read: a name, a 1-based number, or "all" [default: the first with data].
    pub sheet: Option<String>,
    /// Text encoding of CSV sources [default: detected].
    pub encoding: Option<String>,
    /// Field delimiter of CSV sources [default: sniffed].
    pub delimiter: Option<String>,
    pub key_file: Option<String>,
    pub domain: Option<String>,
    pub audit_log: Option<String>,
    pub default_region: Option<String>,
    #[serde(default)]
    pub day_first: bool,
    pub stale_after: Option<String>,
    /// Dates are checked and customers segmented as of this date (YYYY-MM-DD) [default: the day of the run].
    pub as_of: Option<String>,
    pub threshold: Option<f64>,
    #[serde(default)]
    pub lenient: bool,
    /// With a key: leave the raw files out of the run folder instead of writing them to restricted/.
    #[serde(default)]
    pub no_restricted: bool,
    /// Steps to run, in order: import, validate, normalize, dedupe, segment, pseudonymize. Import, validate and
    /// normalize always run; leave out dedupe or segment to skip them; pseudonymize needs a key.
    pub steps: Option<Vec<String>>,
    /// Format of the cleaned dataset: csv, tsv, jsonl, parquet or xlsx.
    pub format: Option<String>,
    /// Format of the findings and rejects (as `--findings-format`): csv, tsv, jsonl, parquet or xlsx.
    pub findings_format: Option<String>,
    /// CSV files of the run start with a UTF-8 byte-order mark, for Excel (as `--bom`).
    #[serde(default)]
    pub bom: bool,
    #[serde(default)]
    pub policy: Policy,
}

pub fn load_job(path: &Path) -> Result<Job> {
    crate::io::write::note_read(path);
    let text = std::fs::read_to_string(path).map_err(|e| {
        StewardError::no_input(format!("{}: cannot read the job: {e}", path.display()))
    })?;
    parse_job(&text, &path.display().to_string())
}

/// Parse a job file's text; `origin` names it in errors (with the line of the problem).
pub fn parse_job(text: &str, origin: &str) -> Result<Job> {
    toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let end = s.start.min(text.len());
                let line = text.as_bytes()[..end]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                format!(" at line {line}")
            })
            .unwrap_or_default();
        StewardError::data(format!("{origin}: invalid job{at}: {}", e.message().trim())).into()
    })
}

fn pid_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Holds OUT/.lock while a run lasts.
pub struct Lock(PathBuf);

impl Lock {
    pub fn take(dir: &Path) -> Result<Lock> {
        let path = dir.join(".lock");
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    use std::io::Write;
                    writeln!(f, "{}", std::process::id())?;
                    // A signal ends the run: the lock goes with it.
                    crate::io::interrupt::register(&path);
                    return Ok(Lock(path));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    match holder.trim().parse::<u32>() {
                        Ok(pid) if pid_alive(pid) && pid != std::process::id() => {
                            return Err(StewardError::cant_create(format!(
                                "{}: another run of this job is in progress (pid {pid})",
                                path.display()
                            ))
                            .into())
                        }
                        // A stale lock from a process that no longer exists.
                        _ => {
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => {
                    return Err(StewardError::cant_create(format!(
                        "{}: cannot take the lock: {e}",
                        path.display()
                    ))
                    .into())
                }
            }
        }
        Err(StewardError::cant_create(format!("{}: cannot take the lock", path.display())).into())
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        crate::io::interrupt::unregister(&self.0);
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The steps a job may name, in the order they run.
pub const STEPS: [&str; 6] = [
    "import",
    "validate",
    "normalize",
    "dedupe",
    "segment",
    "pseudonymize",
];

/// Point OUT/latest at a run folder: a new link renamed over the old one, so `latest` is never missing.
pub fn point_latest(out: &Path, run_dir: &Path) -> Result<()> {
    let latest = out.join("latest");
    let target = run_dir.file_name().unwrap_or_default();
    #[cfg(unix)]
    {
        let tmp = out.join(format!(".latest.{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(target, &tmp)
            .and_then(|_| std::fs::rename(&tmp, &latest))
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                StewardError::cant_create(format!(
                    "{}: cannot update the latest link: {e}",
                    latest.display()
                ))
            })?;
    }
    #[cfg(not(unix))]
    let _ = (latest, target);
    Ok(())
}

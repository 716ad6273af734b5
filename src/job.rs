//! Job files for `steward run`: what a job declares (the options `clean` takes, where they make sense in a file),
//! the lock that keeps two runs of one job apart, and the `latest` link that points at the last good run.

use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::error::StewardError;
use crate::pipeline::Policy;

/// A job file: what `steward clean` takes on its command line, where it makes sense in a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// A name for messages and the audit log.
    pub name: Option<String>,
    /// Files or globs, relative to the job file, or a database (postgres://USER@HOST/DB,
    /// mysql://USER@HOST/DB, sqlite:FILE, or env:VAR naming a variable that holds the URL) with `table` or
    /// `query`.
    pub sources: Vec<String>,
    /// The table a database source is read from.
    pub table: Option<String>,
    /// A query whose result a database source reads, instead of `table`.
    pub query: Option<String>,
    /// The folder runs are written into.
    pub out: String,
    /// Also load the cleaned dataset into a database table: a URL (postgres://USER@HOST/DB, sqlite:FILE) or
    /// env:VAR, with `out_table` and `if_exists`; committed only when the run's policy passes.
    pub output: Option<String>,
    pub out_table: Option<String>,
    /// fail (the default: the table is created), replace (its rows, in one transaction) or append.
    pub if_exists: Option<String>,
    pub schema: Option<String>,
    /// With a Table Schema: steward's own checks and normalization as well (as `--steward-checks`).
    #[serde(default)]
    pub steward_checks: bool,
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
    /// `n1` to reproduce tokens made before n2 [default: n2].
    pub normalization: Option<crate::fields::Normalization>,
    pub audit_log: Option<String>,
    pub default_region: Option<String>,
    #[serde(default)]
    pub day_first: bool,
    pub stale_after: Option<String>,
    /// Dates are checked and customers segmented as of this date (YYYY-MM-DD) [default: the day of the run].
    pub as_of: Option<String>,
    pub threshold: Option<f64>,
    /// A saved model to dedupe with (model.json of an earlier run, or dedupe --save-model) instead of
    /// training one each run; relative to the job file.
    pub model: Option<String>,
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

/// When a process started (clock ticks after boot, field 22 of /proc/PID/stat): with the pid, it names one
/// process, not whichever process later reuses the number.
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its last `)`.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// A process's command line, arguments joined by spaces.
fn command_line(pid: u32) -> Option<String> {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let args: Vec<String> = raw
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    Some(args.join(" "))
}

/// Who holds a lock, as its file records it: `{"pid":…,"start":…,"job":…,"command":…}` (a bare pid from an
/// older steward, or anything someone wrote there, is read as far as it goes).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Holder {
    pid: u32,
    #[serde(default)]
    start: Option<u64>,
    #[serde(default)]
    job: Option<String>,
    #[serde(default)]
    command: Option<String>,
}

impl Holder {
    fn read(text: &str) -> Option<Holder> {
        serde_json::from_str(text.trim()).ok().or_else(|| {
            Some(Holder {
                pid: text.trim().parse().ok()?,
                ..Default::default()
            })
        })
    }

    /// Whether the holder is a live steward run of the job `job_name` (a job file's name): the same process
    /// that wrote the lock (its start time matches), running steward on that job.
    fn is_live_run_of(&self, job_name: &str) -> bool {
        if self.pid == std::process::id() || !pid_alive(self.pid) {
            return false;
        }
        if let Some(start) = self.start {
            if start_time(self.pid) != Some(start) {
                return false; // the pid was reused by another process
            }
        }
        match command_line(self.pid) {
            Some(cmd) => cmd.contains("steward") && cmd.contains(job_name),
            // A process whose command line cannot be read: assume it is the run, to be safe.
            None => true,
        }
    }
}

/// Holds OUT/.lock while a run lasts.
pub struct Lock(PathBuf);

impl Lock {
    /// Take OUT/.lock for a run of the job file `job`. A lock whose holder is not a live steward run of this
    /// job (a process that ended, a reused pid, anything else that wrote the file) is taken over.
    pub fn take(dir: &Path, job: &Path) -> Result<Lock> {
        let path = dir.join(".lock");
        let job_name = job
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    use std::io::Write;
                    let me = std::process::id();
                    let holder = Holder {
                        pid: me,
                        start: start_time(me),
                        job: Some(job.display().to_string()),
                        command: command_line(me),
                    };
                    writeln!(f, "{}", serde_json::to_string(&holder)?)?;
                    // A signal ends the run: the lock goes with it.
                    crate::io::interrupt::register(&path);
                    return Ok(Lock(path));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    match Holder::read(&text) {
                        Some(h) if h.is_live_run_of(&job_name) => {
                            let cmd = h
                                .command
                                .or_else(|| command_line(h.pid))
                                .unwrap_or_default();
                            return Err(StewardError::cant_create(format!(
                                "{}: another run of this job is in progress (pid {}: {cmd}); if no run is, remove \
                                 the file {} and run again",
                                path.display(),
                                h.pid,
                                path.display()
                            ))
                            .into());
                        }
                        // A lock from a run that ended, or a file that names no run of this job.
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

//! `steward run JOB.toml`: a declared cleanup job for cron and scripts. One folder per run (`OUT/<timestamp>/`,
//! `OUT/latest` pointing at the last), a lock against overlapping runs, a dry run, and a policy whose failure
//! is exit code 1.

use anyhow::Result;
use clap::Parser;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use super::Ui;
use crate::cli::{Cli, Command, ReportFormat, RunArgs};
use crate::error::{fail, ExitCode, StewardError};

/// A job file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// A name for messages and the audit log.
    pub name: Option<String>,
    /// Files or globs, relative to the job file.
    pub sources: Vec<String>,
    /// The folder runs are written into.
    pub out: String,
    pub schema: Option<String>,
    pub key_file: Option<String>,
    pub domain: Option<String>,
    pub audit_log: Option<String>,
    pub default_region: Option<String>,
    #[serde(default)]
    pub day_first: bool,
    pub stale_after: Option<String>,
    pub threshold: Option<f64>,
    #[serde(default)]
    pub lenient: bool,
    /// Steps to run, in order: import, validate, normalize, dedupe, segment, pseudonymize. Import, validate and
    /// normalize always run; leave out dedupe or segment to skip them; pseudonymize needs a key.
    pub steps: Option<Vec<String>>,
    /// Format of the cleaned dataset: csv, tsv, jsonl, parquet or xlsx.
    pub format: Option<String>,
    #[serde(default)]
    pub policy: Policy,
}

#[derive(Debug, Deserialize, Default, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Fail when rejected rows exceed this share of rows in ("5%") or count ("100").
    pub max_rejected: Option<String>,
    /// Fail when merged (duplicate) rows exceed this share or count.
    pub max_duplicates: Option<String>,
}

pub fn load_job(path: &Path) -> Result<Job> {
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

/// A limit: `5%` of `total`, or a count.
fn limit(spec: &str, total: u64) -> Result<u64> {
    let t = spec.trim();
    let bad = || {
        StewardError::data(format!(
            "job policy: {spec:?} is neither a count nor a percentage such as 5%"
        ))
    };
    Ok(match t.strip_suffix('%') {
        Some(p) => {
            (p.trim().parse::<f64>().map_err(|_| bad())? / 100.0 * total as f64).floor() as u64
        }
        None => t.parse().map_err(|_| bad())?,
    })
}

fn pid_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Holds OUT/.lock while a run lasts.
struct Lock(PathBuf);

impl Lock {
    fn take(dir: &Path) -> Result<Lock> {
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
        let _ = std::fs::remove_file(&self.0);
    }
}

#[derive(Serialize)]
struct Plan {
    job: String,
    name: String,
    sources: Vec<String>,
    run_dir: String,
    steps: Vec<&'static str>,
    pseudonymize: bool,
    audit_log: Option<String>,
    policy: Policy,
    clean_command: Vec<String>,
}

pub fn run(args: &RunArgs, ui: Ui) -> Result<()> {
    let job = load_job(&args.job)?;
    let base = args.job.parent().map(Path::to_path_buf).unwrap_or_default();
    let rel = |p: &str| -> String {
        if p == "-" || Path::new(p).is_absolute() {
            p.to_string()
        } else {
            base.join(p).display().to_string()
        }
    };
    if job.sources.is_empty() {
        return Err(
            StewardError::data(format!("{}: the job has no sources", args.job.display())).into(),
        );
    }
    let sources: Vec<String> = job.sources.iter().map(|s| rel(s)).collect();
    let expanded = crate::io::expand_inputs(&sources)?;
    let out = PathBuf::from(rel(&job.out));
    let stamp = chrono::Local::now().format("%Y%m%dT%H%M%S").to_string();
    let mut run_dir = out.join(&stamp);
    let mut k = 2;
    while run_dir.exists() {
        run_dir = out.join(format!("{stamp}-{k}"));
        k += 1;
    }
    let mut argv: Vec<String> = vec!["steward".into(), "clean".into()];
    argv.extend(expanded.iter().cloned());
    argv.extend(["--out".into(), run_dir.display().to_string()]);
    let mut opt = |flag: &str, v: &Option<String>, path: bool| {
        if let Some(v) = v {
            argv.extend([flag.to_string(), if path { rel(v) } else { v.clone() }]);
        }
    };
    let steps: Vec<String> = match &job.steps {
        Some(v) => v.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        None => [
            "import",
            "validate",
            "normalize",
            "dedupe",
            "segment",
            "pseudonymize",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    };
    for st in &steps {
        if ![
            "import",
            "validate",
            "normalize",
            "dedupe",
            "segment",
            "pseudonymize",
        ]
        .contains(&st.as_str())
        {
            return Err(StewardError::data(format!(
                "{}: unknown step {st:?} (steps: import, validate, normalize, dedupe, segment, pseudonymize)",
                args.job.display()
            ))
            .into());
        }
    }
    let wants = |st: &str| steps.iter().any(|x| x == st);
    let skip: Vec<&str> = ["dedupe", "segment"]
        .into_iter()
        .filter(|st| !wants(st))
        .collect();
    if !skip.is_empty() {
        opt("--skip", &Some(skip.join(",")), false);
    }
    opt("--output-format", &job.format, false);
    opt("--schema", &job.schema, true);
    if wants("pseudonymize") {
        opt("--key-file", &job.key_file, true);
    }
    opt("--domain", &job.domain, false);
    opt("--audit-log", &job.audit_log, true);
    opt("--default-region", &job.default_region, false);
    opt("--stale-after", &job.stale_after, false);
    opt("--threshold", &job.threshold.map(|t| t.to_string()), false);
    if job.day_first {
        argv.push("--day-first".into());
    }
    if job.lenient {
        argv.push("--lenient".into());
    }
    let pseudonymize = wants("pseudonymize")
        && (job.key_file.is_some() || std::env::var(crate::privacy::key::KEY_ENV).is_ok());
    let name = job.name.clone().unwrap_or_else(|| {
        args.job
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default()
    });
    let cli = Cli::try_parse_from(&argv).map_err(|e| {
        StewardError::data(format!(
            "{}: the job does not make a valid clean command: {}",
            args.job.display(),
            e.to_string().lines().next().unwrap_or("")
        ))
    })?;
    if args.dry_run {
        let mut steps = vec!["import", "validate", "normalize"];
        steps.extend(["dedupe", "segment"].into_iter().filter(|st| wants(st)));
        if pseudonymize {
            steps.push("pseudonymize");
        }
        let plan = Plan {
            job: args.job.display().to_string(),
            name,
            sources: expanded,
            run_dir: run_dir.display().to_string(),
            steps,
            pseudonymize,
            audit_log: job.audit_log.as_deref().map(&rel),
            policy: job.policy,
            clean_command: argv[1..].to_vec(),
        };
        if args.format == ReportFormat::Json {
            println!("{}", serde_json::to_string_pretty(&plan)?);
        } else {
            println!("job {} ({}): dry run, nothing written", plan.name, plan.job);
            println!("  sources:   {}", plan.sources.join(", "));
            println!(
                "  run into:  {} (then {}/latest)",
                plan.run_dir,
                out.display()
            );
            println!("  steps:     {}", plan.steps.join(" -> "));
            if let Some(a) = &plan.audit_log {
                println!("  audit log: {a}");
            }
            println!(
                "  policy:    rejected rows at most {}, merged rows at most {}",
                plan.policy.max_rejected.as_deref().unwrap_or("(no limit)"),
                plan.policy
                    .max_duplicates
                    .as_deref()
                    .unwrap_or("(no limit)")
            );
            println!("  command:   steward {}", plan.clean_command.join(" "));
        }
        return Ok(());
    }
    std::fs::create_dir_all(&out).map_err(|e| {
        StewardError::cant_create(format!(
            "{}: cannot create the job folder: {e}",
            out.display()
        ))
    })?;
    let _lock = Lock::take(&out)?;
    let Command::Clean(clean_args) = cli.command else {
        unreachable!("parsed as clean")
    };
    let mut clean_args = clean_args;
    clean_args.format = ReportFormat::Human;
    super::clean::run(&clean_args, ui)?;
    // Point OUT/latest at this run.
    let latest = out.join("latest");
    let _ = std::fs::remove_file(&latest);
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        run_dir.file_name().expect("a run folder has a name"),
        &latest,
    )
    .map_err(|e| {
        StewardError::cant_create(format!(
            "{}: cannot update the latest link: {e}",
            latest.display()
        ))
    })?;
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run_dir.join("report.json"))?)?;
    let rows_in = report["rows_in"].as_u64().unwrap_or(0);
    let mut failures = Vec::new();
    for (what, spec, got) in [
        (
            "rejected",
            &job.policy.max_rejected,
            report["rows_rejected"].as_u64().unwrap_or(0),
        ),
        (
            "merged (duplicate)",
            &job.policy.max_duplicates,
            report["rows_merged"].as_u64().unwrap_or(0),
        ),
    ] {
        if let Some(spec) = spec {
            let max = limit(spec, rows_in)?;
            if got > max {
                failures.push(format!(
                    "{got} {what} rows of {rows_in}, above the limit {spec} ({max})"
                ));
            }
        }
    }
    if args.format == ReportFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "job": name,
                "run_dir": run_dir.display().to_string(),
                "policy_failed": !failures.is_empty(),
                "failures": failures,
                "report": report,
            }))?
        );
    }
    if !failures.is_empty() {
        return Err(fail(
            ExitCode::PolicyFailed,
            format!("job {name}: policy failed: {}", failures.join("; ")),
        ));
    }
    ui.say(format!(
        "job {name}: done, outputs in {} (latest)",
        run_dir.display()
    ));
    Ok(())
}

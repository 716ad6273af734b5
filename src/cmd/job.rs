//! `steward run JOB.toml`: a declared cleanup job for cron and scripts. One folder per run (`OUT/<timestamp>/`,
//! `OUT/latest` pointing at the last), a lock against overlapping runs, a dry run, and a policy whose failure
//! is exit code 1.

use anyhow::Result;
use serde::Serialize;
use std::path::{Path, PathBuf};

use super::Ui;
use crate::cli::ReportFormat;
use crate::cli::RunArgs;
use crate::error::{fail, ExitCode, StewardError};
use crate::io::write::OutputFormat;
use crate::io::SheetSelector;
use crate::job::{load_job, point_latest, Lock, STEPS};
use crate::pipeline::{self, Options, Policy};
use crate::validate::CheckOptions;

#[derive(Serialize)]
struct Plan {
    job: String,
    name: String,
    sources: Vec<String>,
    run_dir: String,
    steps: Vec<&'static str>,
    pseudonymize: bool,
    audit_log: Option<String>,
    /// The table the cleaned dataset is loaded into (URL without password, `#table`).
    load_into: Option<String>,
    policy: Policy,
}

pub fn run(args: &RunArgs, ui: Ui) -> Result<()> {
    let job = load_job(&args.job)?;
    let base = args.job.parent().map(Path::to_path_buf).unwrap_or_default();
    let rel = |p: &str| -> PathBuf {
        if p == "-" || Path::new(p).is_absolute() {
            PathBuf::from(p)
        } else {
            base.join(p)
        }
    };
    let origin = args.job.display().to_string();
    let bad =
        |what: String| -> anyhow::Error { StewardError::data(format!("{origin}: {what}")).into() };
    if job.sources.is_empty() {
        return Err(bad("the job has no sources".into()));
    }
    let sources: Vec<String> = job
        .sources
        .iter()
        .map(|s| {
            if crate::io::db::is_database(s) {
                s.clone()
            } else {
                rel(s).display().to_string()
            }
        })
        .collect();
    let expanded = crate::io::expand_inputs(&sources)?;
    let out = rel(&job.out);
    let stamp = chrono::Local::now().format("%Y%m%dT%H%M%S").to_string();
    let mut run_dir = out.join(&stamp);
    let mut k = 2;
    let taken = |d: &Path| {
        let failed = format!(
            "{}-policy-failed",
            d.file_name().unwrap_or_default().to_string_lossy()
        );
        d.exists() || d.with_file_name(failed).exists()
    };
    while taken(&run_dir) {
        run_dir = out.join(format!("{stamp}-{k}"));
        k += 1;
    }
    let steps: Vec<String> = match &job.steps {
        Some(v) => v.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        None => STEPS.iter().map(|s| s.to_string()).collect(),
    };
    if let Some(st) = steps.iter().find(|st| !STEPS.contains(&st.as_str())) {
        return Err(bad(format!(
            "unknown step {st:?} (steps: {})",
            STEPS.join(", ")
        )));
    }
    let wants = |st: &str| steps.iter().any(|x| x == st);
    job.policy.validate().map_err(|e| bad(e.to_string()))?;
    let key_file = job.key_file.as_deref().map(&rel);
    let pseudonymize = wants("pseudonymize")
        && (key_file.is_some() || std::env::var(crate::privacy::key::KEY_ENV).is_ok());
    let name = job.name.clone().unwrap_or_else(|| {
        args.job
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default()
    });
    let input = crate::cli::InputArgs {
        delimiter: job.delimiter.clone(),
        encoding: job.encoding.clone(),
        sheet: job
            .sheet
            .as_deref()
            .map(|s| s.parse::<SheetSelector>())
            .transpose()
            .map_err(|e| bad(format!("sheet: {e}")))?,
        table: job.table.clone(),
        query: job.query.clone(),
        ..Default::default()
    };
    let format_of = |key: &str, given: Option<&str>| -> Result<OutputFormat> {
        Ok(match given {
            None => OutputFormat::Csv,
            Some(f) => <OutputFormat as clap::ValueEnum>::from_str(f, true)
                .map_err(|_| bad(format!("{key} {f:?}: use csv, tsv, jsonl, parquet or xlsx")))?,
        })
    };
    let output_format = format_of("format", job.format.as_deref())?;
    let findings_format = format_of("findings_format", job.findings_format.as_deref())?;
    let maps = job
        .map
        .iter()
        .map(|m| m.parse())
        .collect::<Result<Vec<crate::schema::ManualMap>, _>>()
        .map_err(|e| bad(format!("map: {e}")))?;
    let db_output = match (&job.output, &job.out_table) {
        (None, None) => None,
        (Some(o), Some(t)) if crate::io::db::is_database(o) => {
            let if_exists = match job.if_exists.as_deref() {
                None => crate::io::db::IfExists::Fail,
                Some(m) => <crate::io::db::IfExists as clap::ValueEnum>::from_str(m, true)
                    .map_err(|_| bad(format!("if_exists {m:?}: use fail, replace or append")))?,
            };
            let target = crate::io::db::DbTarget {
                table: Some(t.clone()),
                if_exists,
                kinds: Vec::new(),
            }
            .typed_by(job.schema.as_deref().map(&rel).as_deref())?;
            Some((o.clone(), target))
        }
        (Some(o), Some(_)) => {
            return Err(bad(format!(
                "output {:?}: give a database URL (postgres://..., sqlite:FILE or env:VAR); the run's files go to out",
                crate::io::db::redact(o)
            )))
        }
        (Some(_), None) => return Err(bad("output needs out_table, the table to load".into())),
        (None, Some(_)) => return Err(bad("out_table needs output, the database to load it into".into())),
    };
    let opts = Options {
        sources: expanded.clone(),
        read: super::read_options(&input, job.lenient)?,
        maps,
        schema: job.schema.as_deref().map(&rel),
        steward_checks: job.steward_checks,
        key_file,
        skip_protect: !wants("pseudonymize"),
        domain: job.domain.clone(),
        check: CheckOptions {
            default_region: super::region_code(job.default_region.as_deref())?,
            day_first: job.day_first,
            today: super::as_of_date(job.as_of.as_deref())?,
            stale_after_days: job
                .stale_after
                .as_deref()
                .map(crate::cli::parse_days)
                .transpose()?,
            normalization: job.normalization.unwrap_or_default(),
        },
        threshold: job.threshold,
        model: job.model.as_deref().map(&rel),
        skip_dedupe: !wants("dedupe"),
        skip_segment: !wants("segment"),
        output_format,
        out: run_dir.clone(),
        force: false,
        audit_log: job.audit_log.as_deref().map(&rel),
        lenient: job.lenient,
        no_restricted: job.no_restricted,
        findings_format,
        bom: job.bom,
        policy: Some(job.policy.clone()),
        reserved: vec![args.job.clone()],
        command: "run".into(),
        mark_failed: true,
        db_output,
    };
    if args.dry_run {
        let mut steps = vec!["import", "validate", "normalize"];
        steps.extend(["dedupe", "segment"].into_iter().filter(|st| wants(st)));
        if pseudonymize {
            steps.push("pseudonymize");
        }
        let plan = Plan {
            job: origin.clone(),
            name,
            sources: expanded,
            run_dir: run_dir.display().to_string(),
            steps,
            pseudonymize,
            audit_log: opts.audit_log.as_ref().map(|p| p.display().to_string()),
            load_into: opts.db_output.as_ref().map(|(url, t)| {
                format!(
                    "{}#{} (if it exists: {})",
                    crate::io::db::redact(url),
                    t.table.as_deref().unwrap_or_default(),
                    format!("{:?}", t.if_exists).to_lowercase()
                )
            }),
            policy: job.policy,
        };
        if args.report.summary() == ReportFormat::Json {
            println!("{}", serde_json::to_string_pretty(&plan)?);
        } else {
            println!("job {} ({}): dry run, nothing written", plan.name, plan.job);
            println!("  sources:   {}", plan.sources.join(", "));
            println!(
                "  run into:  {} (then {}/latest if the policy passes)",
                plan.run_dir,
                out.display()
            );
            println!("  steps:     {}", plan.steps.join(" -> "));
            if let Some(a) = &plan.audit_log {
                println!("  audit log: {a}");
            }
            if let Some(t) = &plan.load_into {
                println!("  load into: {t}, if the policy passes");
            }
            println!(
                "  policy:    rejected rows at most {}, merged rows at most {}",
                plan.policy.max_rejected.as_deref().unwrap_or("(no limit)"),
                plan.policy
                    .max_duplicates
                    .as_deref()
                    .unwrap_or("(no limit)")
            );
        }
        return Ok(());
    }
    std::fs::create_dir_all(&out).map_err(|e| {
        StewardError::cant_create(format!(
            "{}: cannot create the job folder: {e}",
            out.display()
        ))
    })?;
    let _lock = Lock::take(&out, &args.job)?;
    let bar = ui.progress("run");
    let outcome = pipeline::clean(&opts, &|stage| bar.stage(&format!("{name}: {stage}")))?;
    bar.finish();
    let passed = outcome.policy.as_ref().map(|p| p.passed).unwrap_or(true);
    if passed {
        point_latest(&out, &outcome.dest)?;
    }
    let failures: Vec<String> = outcome
        .policy
        .iter()
        .flat_map(|p| p.checks.iter())
        .filter(|c| !c.passed)
        .map(|c| {
            format!(
                "{}: {} above the limit {} ({})",
                c.rule, c.value, c.limit, c.max
            )
        })
        .collect();
    if args.report.summary() == ReportFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "job": name,
                "run_dir": outcome.dest.display().to_string(),
                "policy_failed": !passed,
                "failures": failures,
                "report": outcome.report,
            }))?
        );
    } else {
        for line in outcome.summary() {
            ui.say(line);
        }
    }
    if !passed {
        return Err(fail(
            ExitCode::PolicyFailed,
            format!(
                "job {name}: policy failed: {}; the run is kept in {} and {}/latest was not moved",
                failures.join("; "),
                outcome.dest.display(),
                out.display()
            ),
        ));
    }
    ui.say(format!(
        "job {name}: done, outputs in {} (latest)",
        outcome.dest.display()
    ));
    Ok(())
}

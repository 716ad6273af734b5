//! `steward clean`: the whole cleanup job in one command. The flags become `pipeline::Options`; the pipeline
//! writes one output set (see `crate::pipeline`); this file prints the summary.

use anyhow::Result;

use super::{as_of_date, read_options, region_code, Ui};
use crate::cli::{CleanArgs, CleanStep, ReportFormat};
use crate::pipeline::{self, Options};
use crate::validate::CheckOptions;

fn options(args: &CleanArgs) -> Result<Options> {
    Ok(Options {
        sources: args.sources.clone(),
        read: read_options(&args.input, args.lenient)?,
        maps: args.schema.maps.clone(),
        schema: args.schema.schema.clone(),
        steward_checks: args.schema.steward_checks,
        key_file: args.key_file.clone(),
        skip_protect: false,
        domain: args.domain.clone(),
        check: CheckOptions {
            default_region: region_code(args.default_region.as_deref())?,
            day_first: args.day_first,
            today: as_of_date(args.as_of.as_deref())?,
            stale_after_days: args
                .stale_after
                .as_deref()
                .map(crate::cli::parse_days)
                .transpose()?,
            normalization: args.normalization,
        },
        threshold: args.threshold,
        model: args.model.clone(),
        skip_dedupe: args.skip.contains(&CleanStep::Dedupe),
        skip_segment: args.skip.contains(&CleanStep::Segment),
        output_format: args.data.given_or_csv(),
        out: args.out.clone(),
        force: args.force,
        audit_log: args.audit_log.clone(),
        lenient: args.lenient,
        no_restricted: args.no_restricted,
        findings_format: args
            .findings_format
            .unwrap_or(crate::io::write::OutputFormat::Csv),
        bom: args.data.bom.bom,
        policy: None,
        reserved: Vec::new(),
        command: "clean".into(),
        mark_failed: false,
        db_output: db_output(
            args.output.as_deref(),
            &args.db_out,
            args.schema.schema.as_deref(),
        )?,
    })
}

/// `-o URL --out-table T`: the cleaned dataset also loaded into a table. `-o` takes only a database here:
/// clean's files go to `--out DIR`.
fn db_output(
    output: Option<&str>,
    db_out: &crate::cli::DbOutputArgs,
    schema: Option<&std::path::Path>,
) -> Result<Option<(String, crate::io::db::DbTarget)>> {
    let target = db_out.target_for(output)?.typed_by(schema)?;
    let Some(o) = output else {
        return Ok(None);
    };
    if !crate::io::db::is_database(o) {
        return Err(crate::error::StewardError::usage(format!(
            "-o {o}: clean writes its files into --out DIR; -o takes a database URL (postgres://..., \
             sqlite:FILE or env:VAR) with --out-table to load the cleaned dataset into"
        ))
        .into());
    }
    if target.table.is_none() {
        return Err(crate::error::StewardError::usage(format!(
            "-o {}: name the table to load with --out-table TABLE",
            crate::io::db::redact(o)
        ))
        .into());
    }
    Ok(Some((o.to_string(), target)))
}

pub fn run(args: &CleanArgs, ui: Ui) -> Result<()> {
    let opts = options(args)?;
    let bar = ui.progress("clean");
    let outcome = pipeline::clean(&opts, &|stage| bar.stage(&format!("clean: {stage}")))?;
    bar.finish();
    if args.report.summary() == ReportFormat::Json {
        println!("{}", serde_json::to_string_pretty(&outcome.report)?);
    } else {
        for line in outcome.summary() {
            ui.say(line);
        }
    }
    Ok(())
}

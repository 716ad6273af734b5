//! `steward clean`: the whole cleanup job in one command. Import, validate and normalize (rows with errors
//! rejected with their reasons), dedupe into golden records, segment when the data has purchase fields,
//! pseudonymize when a key is given; then the report (JSON and HTML), the manifest with checksums, and
//! optionally an entry in the hash-chained audit log.

use anyhow::Result;
use clap::Parser;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{open_all, read_options, Ui};
use crate::cli::{CleanArgs, CleanStep, Cli, Command, ReportFormat};
use crate::error::StewardError;
use crate::io::write::{input_identities, write_csv_file, AtomicFile};
use crate::io::write::{DatasetWriter, Destination, FileIdentity, OutputFormat, WriteOptions};
use crate::privacy::key::Key;
use crate::report::{append_audit, redacted_argv, FileRecord};
use crate::schema::Schema;
use crate::table::{load_table, Table};
use crate::validate::{check_table, CheckOptions};

/// Parse the arguments of a sub-step the way the command line would, so every default is the command's own.
fn sub_command(argv: &[String]) -> Result<Command> {
    let mut full = vec!["steward".to_string()];
    full.extend(argv.iter().cloned());
    Cli::try_parse_from(full).map(|c| c.command).map_err(|e| {
        StewardError::new(crate::error::ExitCode::Software, format!("clean: {e}")).into()
    })
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Write a JSON value atomically.
fn write_json(path: &Path, v: &Value) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    serde_json::to_writer_pretty(f.file(), v)?;
    std::io::Write::write_all(f.file(), b"\n")?;
    f.commit()
}

/// Golden records without deduplication: every row its own record.
fn write_singletons(t: &Table, path: &Path, inputs: &[(String, FileIdentity)]) -> Result<()> {
    let n = t.columns.len();
    let mut cols: Vec<String> = vec!["golden_id".into(), "cluster_size".into()];
    cols.extend(t.columns[..n - 2].iter().cloned());
    cols.extend(["_source".into(), "_row".into(), "_lineage".into()]);
    let mut w = DatasetWriter::new(
        Destination::open(&s(path), true, inputs)?,
        &cols,
        WriteOptions {
            format: OutputFormat::Csv,
            formula_guard: true,
            integer_columns: vec![],
        },
    )?;
    for r in 0..t.len() {
        let mut row = vec![format!("G{:07}", r + 1), "1".to_string()];
        row.extend(t.row(r).iter().map(|v| v.to_string()));
        row.push(String::new());
        w.write_row(&row)?;
    }
    w.finish()?;
    Ok(())
}

/// Copy a CSV written by this run into another format, cell for cell (cells were guarded when first written).
fn convert(
    from: &Path,
    to: &Path,
    format: OutputFormat,
    inputs: &[(String, FileIdentity)],
) -> Result<()> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_path(from)?;
    let headers: Vec<String> = rdr.headers()?.iter().map(|h| h.to_string()).collect();
    let mut w = DatasetWriter::new(
        Destination::open(&s(to), true, inputs)?,
        &headers,
        WriteOptions {
            format,
            formula_guard: false,
            integer_columns: vec![],
        },
    )?;
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec)? {
        w.write_row(&rec.iter().collect::<Vec<_>>())?;
    }
    w.finish()?;
    Ok(())
}

pub fn run(args: &CleanArgs, ui: Ui) -> Result<()> {
    let started = chrono::Local::now();
    let t0 = Instant::now();
    let mut timings: Vec<(String, f64)> = Vec::new();
    let mut lap = |name: &str, t: &mut Instant| {
        timings.push((name.to_string(), t.elapsed().as_secs_f64()));
        *t = Instant::now();
    };
    let mut t = t0;
    let schema = Schema::load_or_builtin(args.schema.schema.as_deref())?;
    let key = Key::from_args(args.key_file.as_deref())?;
    let as_of = super::as_of_date(args.as_of.as_deref())?;
    let check = CheckOptions {
        default_region: super::region_code(args.default_region.as_deref())?,
        day_first: args.day_first,
        today: as_of,
        stale_after_days: args
            .stale_after
            .as_deref()
            .map(crate::cli::parse_days)
            .transpose()?,
    };
    std::fs::create_dir_all(&args.out).map_err(|e| {
        StewardError::cant_create(format!(
            "{}: cannot create the output folder: {e}",
            args.out.display()
        ))
    })?;
    let out = |name: &str| -> PathBuf { args.out.join(name) };
    let cleaned_name = format!(
        "cleaned.{}",
        match args.output_format {
            OutputFormat::Csv => "csv",
            OutputFormat::Tsv => "tsv",
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Parquet => "parquet",
            OutputFormat::Xlsx => "xlsx",
        }
    );
    let skip_dedupe = args.skip.contains(&CleanStep::Dedupe);
    let skip_segment = args.skip.contains(&CleanStep::Segment);
    let names = [
        cleaned_name.as_str(),
        "golden.csv",
        "rejects.csv",
        "findings.csv",
        "clusters.csv",
        "merge-map.csv",
        "segments.csv",
        "report.json",
        "report.html",
        "manifest.json",
    ];
    if !args.force {
        if let Some(existing) = names.iter().find(|n| out(n).exists()) {
            return Err(StewardError::cant_create(format!(
                "{}: already exists (pass --force to replace the outputs in {})",
                out(existing).display(),
                args.out.display()
            ))
            .into());
        }
    }

    // 1. Import.
    let opts = read_options(&args.input, args.lenient)?;
    let (paths, sources) = open_all(&args.sources, &opts)?;
    let inputs = input_identities(&paths);
    let source_info: Vec<Value> = sources
        .iter()
        .map(
            |s| json!({"path": s.info.label, "format": s.info.format, "encoding": s.info.encoding}),
        )
        .collect();
    let loaded = load_table(&schema, &sources, &args.schema.maps)?;
    drop(sources);
    let mut table = loaded.table;
    lap("import", &mut t);

    // 2. Validate and normalize; rows with an error are rejected with their reasons.
    let outcome = check_table(&schema, &mut table, &check, false)?;
    lap("validate+normalize", &mut t);
    crate::validate::files::write_findings(
        &s(&out("findings.csv")),
        true,
        &inputs,
        &outcome.findings,
        None,
    )?;
    // A row is rejected for its errors, except a repeated unique value: repeated customers are what dedupe
    // merges, so they go on to it rather than out of the job.
    let mut reasons: Vec<Vec<String>> = vec![Vec::new(); table.len()];
    for f in &outcome.findings {
        if matches!(f.severity, crate::schema::Severity::Error) && f.rule != "unique-error" {
            reasons[f.row_index].push(format!("{}: {}", f.field, f.rule));
        }
    }
    let mut reject_cols = table.columns.clone();
    reject_cols.push("reasons".into());
    let mut rejected_rows: Vec<Vec<String>> = Vec::new();
    let mut valid = Table::new(table.columns.clone());
    for (r, why) in reasons.iter().enumerate() {
        if !why.is_empty() {
            let mut row: Vec<String> = table.row(r).iter().map(|v| v.to_string()).collect();
            row.push(why.join("; "));
            rejected_rows.push(row);
        } else {
            valid.push_row(&table.row(r))?;
        }
    }
    // Rows that could not be read at all (malformed CSV, with --lenient) are rejected too.
    let n = table.columns.len();
    for (src, rej) in &loaded.rejects {
        let mut row = vec![String::new(); n + 1];
        row[n - 2] = src.clone();
        row[n - 1] = rej.row.to_string();
        row[n] = format!("unreadable: {}", rej.reason);
        rejected_rows.push(row);
    }
    let rows_rejected = rejected_rows.len() as u64;
    write_csv_file(
        &s(&out("rejects.csv")),
        true,
        &inputs,
        &reject_cols,
        rejected_rows,
        true,
    )?;
    let hist = crate::report::figures::histograms(&valid);
    let errors = outcome
        .findings
        .iter()
        .filter(|f| matches!(f.severity, crate::schema::Severity::Error))
        .count();
    let mut rule_counts: std::collections::BTreeMap<(String, String), u64> = Default::default();
    for f in &outcome.findings {
        *rule_counts
            .entry((f.rule.clone(), format!("{:?}", f.severity).to_lowercase()))
            .or_default() += 1;
    }
    let mut top_rules: Vec<Value> = rule_counts
        .into_iter()
        .map(
            |((rule, severity), count)| json!({"rule": rule, "severity": severity, "count": count}),
        )
        .collect();
    top_rules.sort_by(|a, b| b["count"].as_u64().cmp(&a["count"].as_u64()));
    top_rules.truncate(15);
    let validation = json!({
        "rows_valid": valid.len(),
        "unique_errors_passed_to_dedupe": outcome.findings.iter().filter(|f| f.rule == "unique-error").count(),
        "rows_rejected": rows_rejected,
        "errors": errors,
        "warnings": outcome.findings.len() - errors,
        "fields": crate::report::figures::report_fields(&outcome.fields),
        "top_rules": top_rules,
    });
    drop(table);

    // 3. Dedupe the valid rows into golden records.
    let mut dd = vec![
        "dedupe".to_string(),
        "-".to_string(),
        "-o".to_string(),
        s(&out("golden.csv")),
        "--clusters".to_string(),
        s(&out("clusters.csv")),
        "--merge-map".to_string(),
        s(&out("merge-map.csv")),
        "--force".to_string(),
    ];
    if let Some(th) = args.threshold {
        dd.extend(["--threshold".to_string(), th.to_string()]);
    }
    if let Some(p) = &args.schema.schema {
        dd.extend(["--schema".to_string(), s(p)]);
    }
    let Command::Dedupe(dargs) = sub_command(&dd)? else {
        unreachable!("parsed as dedupe")
    };
    let dedupe_report = if skip_dedupe {
        // Every valid row is its own golden record.
        write_singletons(&valid, &out("golden.csv"), &inputs)?;
        json!({"golden_records": valid.len(), "rows_merged": 0, "skipped": true})
    } else if valid.is_empty() {
        // Nothing valid: empty golden records, clusters and merge map still say so.
        for (name, header) in [
            ("golden.csv", "golden_id,cluster_size"),
            (
                "clusters.csv",
                "golden_id,cluster_id,cluster_size,match_probability",
            ),
            (
                "merge-map.csv",
                "_source,_row,record_id,golden_id,cluster_size",
            ),
        ] {
            let mut f = AtomicFile::create(&out(name))?;
            std::io::Write::write_all(f.file(), format!("{header}\n").as_bytes())?;
            f.commit()?;
        }
        json!({"golden_records": 0, "rows_merged": 0})
    } else {
        let r = super::dedupe::dedupe_table(&dargs, &schema, &valid, &inputs)?;
        serde_json::to_value(&r)?
    };
    let golden_records = dedupe_report["golden_records"].as_u64().unwrap_or(0);
    let rows_merged = dedupe_report["rows_merged"].as_u64().unwrap_or(0);
    drop(valid);
    lap("dedupe", &mut t);

    // 4. Segments of the golden records, when the data has the purchase fields.
    let golden_path = out("golden.csv");
    let gopts = crate::io::ReadOptions::default();
    let gsources = crate::io::open_source(&s(&golden_path), &gopts)?;
    let golden = load_table(&schema, &gsources, &[])?.table;
    let has_purchase = ["last_purchase_date", "orders", "total_spend"]
        .iter()
        .all(|f| golden.column_index(f).is_some());
    let segments = if has_purchase && golden_records > 0 && !skip_segment {
        let argv = vec![
            "segment".to_string(),
            s(&golden_path),
            "-o".to_string(),
            s(&out("segments.csv")),
            "--force".to_string(),
        ];
        let Command::Segment(sargs) = sub_command(&argv)? else {
            unreachable!("parsed as segment")
        };
        let rules = crate::segment::StageRules {
            new_days: sargs.new_days,
            loyal_orders: sargs.loyal_orders,
            at_risk_days: sargs.at_risk_days,
            churn_days: sargs.churn_days,
        };
        let opts = crate::segment::SegmentOptions {
            as_of,
            rules,
            tiers: (80.0, 95.0),
        };
        let (rows, summary) = crate::segment::segment_table(&golden, &opts)?;
        write_csv_file(&sargs.output, true, &[], &rows.columns(), rows.rows(), true)?;
        Some(serde_json::to_value(&summary)?)
    } else {
        None
    };
    drop(golden);
    lap("segment", &mut t);

    // 5. The cleaned dataset: golden records, pseudonymized when there is a key.
    let cleaned = out(&cleaned_name);
    let mut protection = Value::Null;
    if key.is_some() {
        let mut pa = vec![
            "pseudonymize".to_string(),
            s(&golden_path),
            "-o".to_string(),
            s(&cleaned),
            "--keep".to_string(),
            "golden_id,cluster_size,_lineage".to_string(),
            "--metadata".to_string(),
            s(&out("cleaned.meta.json")),
            "--force".to_string(),
        ];
        if let Some(k) = &args.key_file {
            pa.extend(["--key-file".to_string(), s(k)]);
        }
        if let Some(d) = &args.domain {
            pa.extend(["--domain".to_string(), d.clone()]);
        }
        if let Some(r) = &args.default_region {
            pa.extend(["--default-region".to_string(), r.clone()]);
        }
        if let Some(p) = &args.schema.schema {
            pa.extend(["--schema".to_string(), s(p)]);
        }
        let Command::Pseudonymize(pargs) = sub_command(&pa)? else {
            unreachable!("parsed as pseudonymize")
        };
        super::protect::pseudonymize(&pargs, Ui { quiet: true })?;
        let meta: Value = serde_json::from_slice(&std::fs::read(out("cleaned.meta.json"))?)?;
        protection = json!({
            "status": meta["status"],
            "key_id": meta["key_id"],
            "domain": meta["domain"],
            "token_version": meta["token_version"],
            "columns": meta["columns"].as_array().map(|c| c.iter().map(|c| json!({"column": c["column"], "action": c["action"], "detail": c["detail"]})).collect::<Vec<_>>()),
        });
    } else {
        convert(&golden_path, &cleaned, args.output_format, &inputs)?;
    }
    lap("pseudonymize", &mut t);

    // 6. Report, HTML, manifest, audit log.
    let rows_in = loaded.counts.rows_in;
    let rows_out = golden_records;
    let mut outputs: Vec<FileRecord> = Vec::new();
    for (name, rows) in [
        (cleaned_name.as_str(), Some(rows_out)),
        ("golden.csv", Some(golden_records)),
        ("rejects.csv", Some(rows_rejected)),
        ("findings.csv", Some(outcome.findings.len() as u64)),
        ("clusters.csv", None),
        ("merge-map.csv", None),
        ("segments.csv", None),
        ("cleaned.meta.json", None),
    ] {
        if let Some(r) = FileRecord::of(name, &out(name), rows) {
            outputs.push(r);
        }
    }
    let finished = chrono::Local::now();
    let reconciled = rows_in == rows_out + rows_rejected + rows_merged;
    let mut report = json!({
        "tool": "steward",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "clean",
        "started": started.to_rfc3339(),
        "finished": finished.to_rfc3339(),
        "rows_in": rows_in,
        "rows_out": rows_out,
        "rows_rejected": rows_rejected,
        "rows_merged": rows_merged,
        "reconciled": reconciled,
        "pseudonymized": key.is_some(),
        "key_id": key.as_ref().map(|k| k.id()),
        "status": if key.is_some() { "pseudonymized personal data" } else { "contains personal data" },
        "as_of": as_of.to_string(),
        "sources": source_info,
        "validation": validation,
        "dedupe": dedupe_report,
        "histograms": hist,
        "segments": segments,
        "protection": protection,
        "outputs": outputs,
        "timings": timings,
    });
    write_json(&out("report.json"), &report)?;
    let html = crate::report::html::render(&report);
    let mut f = AtomicFile::create(&out("report.html"))?;
    std::io::Write::write_all(f.file(), html.as_bytes())?;
    f.commit()?;
    for name in ["report.json", "report.html"] {
        if let Some(r) = FileRecord::of(name, &out(name), None) {
            outputs.push(r);
        }
    }
    let input_records: Vec<FileRecord> = paths
        .iter()
        .filter(|p| p.as_str() != "-")
        .filter_map(|p| FileRecord::of("input", Path::new(p), None))
        .collect();
    let manifest = json!({
        "tool": "steward",
        "version": env!("CARGO_PKG_VERSION"),
        "command_line": redacted_argv(),
        "started": started.to_rfc3339(),
        "finished": finished.to_rfc3339(),
        "inputs": input_records,
        "outputs": outputs,
        "rows_in": rows_in,
        "rows_out": rows_out,
        "rows_rejected": rows_rejected,
        "rows_merged": rows_merged,
        "findings": {"errors": errors, "warnings": outcome.findings.len() - errors},
        "key_id": key.as_ref().map(|k| k.id()),
        "parameters": {
            "schema": args.schema.schema.as_ref().map(|p| s(p)).unwrap_or_else(|| "builtin".into()),
            "as_of": as_of.to_string(),
            "default_region": check.default_region,
            "day_first": args.day_first,
            "threshold": report["dedupe"]["threshold"],
            "domain": args.domain.clone().unwrap_or_else(|| "default".into()),
            "lenient": args.lenient,
        },
    });
    write_json(&out("manifest.json"), &manifest)?;
    if let Some(log) = &args.audit_log {
        let mut recorded = outputs.clone();
        if let Some(m) = FileRecord::of("manifest.json", &out("manifest.json"), None) {
            recorded.push(m);
        }
        let seq = append_audit(
            log,
            json!({
                "time": finished.to_rfc3339(),
                "command": "clean",
                "command_line": redacted_argv(),
                "inputs": input_records,
                "outputs": recorded,
                "rows_in": rows_in,
                "rows_out": rows_out,
                "rows_rejected": rows_rejected,
                "rows_merged": rows_merged,
                "key_id": key.as_ref().map(|k| k.id()),
            }),
        )?;
        report["audit_log_entry"] = seq.into();
    }

    if args.format == ReportFormat::Json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        ui.say(format!(
            "{rows_in} rows in = {rows_out} rows out + {rows_rejected} rows rejected + {rows_merged} rows merged{}",
            if reconciled { "" } else { "  (DOES NOT RECONCILE: please report this)" }
        ));
        ui.say(format!(
            "validation: {} errors, {} warnings; dedupe: {} clusters with duplicates; {}",
            errors,
            outcome.findings.len() - errors,
            report["dedupe"]["clusters_with_duplicates"]
                .as_u64()
                .unwrap_or(0),
            match &key {
                Some(k) => format!("{cleaned_name} pseudonymized with key {}", k.id()),
                None => format!(
                    "no key: {cleaned_name} holds personal data (pass --key-file to pseudonymize)"
                ),
            }
        ));
        ui.say(format!(
            "outputs in {}: {cleaned_name}, golden.csv, rejects.csv, findings.csv{}{}, report.json, report.html, manifest.json",
            args.out.display(),
            if skip_dedupe { "" } else { ", clusters.csv, merge-map.csv" },
            if report["segments"].is_null() { "" } else { ", segments.csv" }
        ));
        if let Some(seq) = report["audit_log_entry"].as_u64() {
            ui.say(format!("audit log: entry {seq} appended"));
        }
    }
    Ok(())
}

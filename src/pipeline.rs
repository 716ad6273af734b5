//! The whole cleanup job as one pipeline (`steward clean`, `steward run`): read, validate and normalize, dedupe
//! into golden records, segment, protect; every file, the report, the manifest and the audit entry land as one
//! output set (see `io::output_set`), and with a key nothing outside `restricted/` holds a raw personal value.

use anyhow::Result;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::StewardError;
use crate::io::output_set::{OutputSet, MANIFEST, RESTRICTED};
use crate::io::write::{
    input_identities, reserved_files, write_csv_file, write_rows, AtomicFile, DatasetWriter, Rows,
};
use crate::io::write::{Destination, OutputFormat, WriteOptions};
use crate::io::{expand_inputs, open_source, ReadOptions};
use crate::privacy::key::Key;
use crate::privacy::pseudonymize::{
    pseudonymize_table, Metadata, Protection, Provenance, PseudonymizeOptions,
};
use crate::report::audit::{AppendedEntry, AuditLog};
use crate::report::{redacted_argv, sha256_file, FileRecord};
use crate::schema::{ManualMap, Schema, Severity};
use crate::segment::{SegmentOptions, StageRules};
use crate::table::{load_table, Table};
use crate::validate::{check_table_with, CheckOptions};

/// Everything the job needs, already parsed: `clean` builds it from its flags, `run` from a job file.
#[derive(Debug, Clone)]
pub struct Options {
    pub sources: Vec<String>,
    pub read: ReadOptions,
    pub maps: Vec<ManualMap>,
    pub schema: Option<PathBuf>,
    /// The key file; `None` reads STEWARD_KEY, and no key at all means an unprotected run with an unsealed
    /// audit entry.
    pub key_file: Option<PathBuf>,
    /// Do not pseudonymize even with a key (a job without the pseudonymize step); the key still seals the
    /// audit entry.
    pub skip_protect: bool,
    pub domain: Option<String>,
    pub check: CheckOptions,
    pub threshold: Option<f64>,
    pub skip_dedupe: bool,
    pub skip_segment: bool,
    pub output_format: OutputFormat,
    pub out: PathBuf,
    pub force: bool,
    pub audit_log: Option<PathBuf>,
    pub lenient: bool,
    /// With a key: leave the raw files (golden records, rejects, findings, clusters, merge map) out of the set
    /// instead of writing them to `restricted/`.
    pub no_restricted: bool,
    /// Limits whose breach makes the run fail (exit 1); evaluated before the set lands, recorded in it.
    pub policy: Option<Policy>,
    /// Files the run reads besides sources, key and schema (a job file): never written over.
    pub reserved: Vec<PathBuf>,
    /// The command, for the report and audit entry (`clean`, `run`).
    pub command: String,
    /// With a failed policy, land the set at `OUT-policy-failed` instead of `OUT`.
    pub mark_failed: bool,
}

/// Limits of a job: a share of rows in (`5%`) or a count (`100`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Fail when rejected rows exceed this share of rows in ("5%") or count ("100").
    pub max_rejected: Option<String>,
    /// Fail when merged (duplicate) rows exceed this share or count.
    pub max_duplicates: Option<String>,
}

/// How the data measured against a policy.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyResult {
    pub passed: bool,
    pub checks: Vec<PolicyCheck>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyCheck {
    pub rule: String,
    pub limit: String,
    pub max: u64,
    pub value: u64,
    pub passed: bool,
}

/// A limit: `5%` of `total`, or a count.
pub fn limit(spec: &str, total: u64) -> Result<u64> {
    let t = spec.trim();
    let bad = || {
        StewardError::data(format!(
            "policy: {spec:?} is neither a count nor a percentage such as 5%"
        ))
    };
    Ok(match t.strip_suffix('%') {
        Some(p) => {
            let share: f64 = p.trim().parse().map_err(|_| bad())?;
            if !(0.0..=100.0).contains(&share) {
                return Err(bad().into());
            }
            (share / 100.0 * total as f64).floor() as u64
        }
        None => t.parse().map_err(|_| bad())?,
    })
}

impl Policy {
    /// Check the limits parse before anything runs.
    pub fn validate(&self) -> Result<()> {
        for s in [&self.max_rejected, &self.max_duplicates]
            .into_iter()
            .flatten()
        {
            limit(s, 100)?;
        }
        Ok(())
    }

    pub fn evaluate(&self, rows_in: u64, rejected: u64, merged: u64) -> Result<PolicyResult> {
        let mut checks = Vec::new();
        for (rule, spec, value) in [
            ("max_rejected", &self.max_rejected, rejected),
            ("max_duplicates", &self.max_duplicates, merged),
        ] {
            if let Some(spec) = spec {
                let max = limit(spec, rows_in)?;
                checks.push(PolicyCheck {
                    rule: rule.to_string(),
                    limit: spec.clone(),
                    max,
                    value,
                    passed: value <= max,
                });
            }
        }
        Ok(PolicyResult {
            passed: checks.iter().all(|c| c.passed),
            checks,
        })
    }
}

/// What a run did.
#[derive(Debug)]
pub struct Outcome {
    /// report.json as written.
    pub report: Value,
    /// Where the set landed.
    pub dest: PathBuf,
    pub policy: Option<PolicyResult>,
    /// The audit entry appended: its number and hash (the log's new head).
    pub audit_entry: Option<AppendedEntry>,
}

/// One file of the set as recorded in the report, the manifest and the audit entry.
#[derive(Debug, Clone, Serialize)]
struct OutputRecord {
    name: String,
    /// Relative to the set's folder (absolute in the audit entry, which `audit verify` reads).
    path: String,
    bytes: u64,
    sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<u64>,
    personal_data: bool,
    protection: &'static str,
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn write_json(path: &Path, v: &Value) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    serde_json::to_writer_pretty(f.file(), v)?;
    std::io::Write::write_all(f.file(), b"\n")?;
    f.commit()
}

fn write_text(path: &Path, text: &str) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    std::io::Write::write_all(f.file(), text.as_bytes())?;
    f.commit()
}

/// Golden records without deduplication: every row its own record.
fn write_singletons(t: &Table, path: &Path) -> Result<u64> {
    let n = t.columns.len();
    let mut cols: Vec<String> = vec!["golden_id".into(), "cluster_size".into()];
    cols.extend(t.columns[..n - 2].iter().cloned());
    cols.extend(["_source".into(), "_row".into(), "_lineage".into()]);
    let mut w = DatasetWriter::new(
        Destination::open(&s(path), true, &[])?,
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
    Ok(w.finish()?.rows)
}

/// Copy a CSV written by this run into another format, cell for cell (cells were guarded when first written).
fn convert(from: &Path, to: &Path, format: OutputFormat) -> Result<u64> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_path(from)?;
    let headers: Vec<String> = rdr.headers()?.iter().map(|h| h.to_string()).collect();
    let mut w = DatasetWriter::new(
        Destination::open(&s(to), true, &[])?,
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
    Ok(w.finish()?.rows)
}

fn ext(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Csv => "csv",
        OutputFormat::Tsv => "tsv",
        OutputFormat::Jsonl => "jsonl",
        OutputFormat::Parquet => "parquet",
        OutputFormat::Xlsx => "xlsx",
    }
}

/// Protection of one table of the set: pseudonymized by the default policy (the schema's privacy classes),
/// with the run's golden ids tokenized and the lineage columns (which point at raw rows) left out.
struct Protect<'a> {
    opts: &'a Options,
    schema: &'a Schema,
    key: &'a Key,
}

impl Protect<'_> {
    fn table(&self, t: &Table, keep: &[&str]) -> Result<(Table, Protection)> {
        let has = |c: &str| t.column_index(c).is_some();
        let mut p = PseudonymizeOptions::new(self.opts.check.today);
        p.domain = self.opts.domain.clone();
        p.default_region = self.opts.check.default_region.clone();
        p.token = ["golden_id"]
            .iter()
            .filter(|c| has(c))
            .map(|c| c.to_string())
            .collect();
        // Lineage names input files and rows: it joins a shared row back to the raw one.
        p.drop = t
            .columns
            .iter()
            .filter(|h| h.starts_with("_source") || h.starts_with("_row") || *h == "_lineage")
            .cloned()
            .collect();
        p.keep = keep
            .iter()
            .filter(|c| has(c))
            .map(|c| c.to_string())
            .collect();
        pseudonymize_table(self.schema, t, &p, self.key)
    }
}

/// Write a table to a file of the set (the formula guard on, as every CSV steward writes).
fn write_table(t: &Table, path: &Path, format: OutputFormat) -> Result<u64> {
    let mut w = DatasetWriter::new(
        Destination::open(&s(path), true, &[])?,
        &t.columns,
        WriteOptions {
            format,
            formula_guard: true,
            integer_columns: vec![],
        },
    )?;
    for r in 0..t.len() {
        w.write_row(&t.row(r))?;
    }
    Ok(w.finish()?.rows)
}

/// What the report says of one protected file: the status, key, versions and every column's action.
fn protection_value(p: &Protection) -> Value {
    json!({
        "status": p.status,
        "key_id": p.key_id,
        "domain": p.domain,
        "token_version": p.token_version,
        "normalization_version": p.normalization_version,
        "columns": p.columns.iter().map(|c| json!({"column": c.column, "action": c.action, "detail": c.detail, "cells_changed": c.cells_changed})).collect::<Vec<_>>(),
    })
}

/// A table read back from a file this run wrote has that file as `_source`/`_row`, and the input's lineage
/// renamed `_source_2`/`_row_2`: put the input's back, so every row points at the file and line it came from.
fn with_input_lineage(t: Table) -> Result<Table> {
    let (Some(src), Some(row)) = (t.column_index("_source_2"), t.column_index("_row_2")) else {
        return Ok(t);
    };
    let n = t.columns.len();
    let keep: Vec<usize> = (0..n - 2).filter(|&c| c != src && c != row).collect();
    let mut cols: Vec<String> = keep.iter().map(|&c| t.columns[c].clone()).collect();
    cols.extend(["_source".to_string(), "_row".to_string()]);
    let mut out = Table::new(cols);
    for r in 0..t.len() {
        let mut values: Vec<&str> = keep.iter().map(|&c| t.get(r, c)).collect();
        values.extend([t.get(r, src), t.get(r, row)]);
        out.push_row(&values)?;
    }
    Ok(out)
}

fn record_of(
    set: &OutputSet,
    name: &str,
    rows: Option<u64>,
    personal: bool,
    protected: bool,
) -> Result<OutputRecord> {
    let path = set.path(name)?;
    let bytes = std::fs::metadata(&path)
        .map_err(|e| StewardError::cant_create(format!("{name}: {e}")))?
        .len();
    Ok(OutputRecord {
        name: name.to_string(),
        path: name.to_string(),
        bytes,
        sha256: sha256_file(&path).unwrap_or_default(),
        rows,
        personal_data: personal,
        protection: if name.starts_with(&format!("{RESTRICTED}/")) {
            "restricted (raw, owner only)"
        } else if personal {
            "none (raw personal data)"
        } else if protected && !(name.ends_with(".json") || name.ends_with(".html")) {
            "pseudonymized"
        } else {
            "no personal data"
        },
    })
}

/// Run the job. `stage` is told the name of each stage as it starts (for progress on a terminal).
pub fn clean(opts: &Options, stage: &dyn Fn(&str)) -> Result<Outcome> {
    let started = chrono::Local::now();
    let t0 = Instant::now();
    let mut timings: Vec<(String, f64)> = Vec::new();
    let mut lap = |name: &str, t: &mut Instant| {
        timings.push((name.to_string(), t.elapsed().as_secs_f64()));
        *t = Instant::now();
    };
    let mut t = t0;
    if let Some(p) = &opts.policy {
        p.validate()?;
    }
    let schema = Schema::load_or_builtin(opts.schema.as_deref())?;
    // The run's key seals the audit entry; it pseudonymizes unless that step is left out.
    let run_key = Key::from_args(opts.key_file.as_deref())?;
    let key = if opts.skip_protect {
        None
    } else {
        run_key.as_ref()
    };
    let protected = key.is_some();
    let paths = expand_inputs(&opts.sources)?;
    if paths.iter().filter(|p| p.as_str() == "-").count() > 1 {
        return Err(StewardError::usage("stdin (-) can be read only once").into());
    }
    // Files this run reads: never inside the set it replaces, never the audit log.
    let mut reserved: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_str() != "-")
        .map(PathBuf::from)
        .collect();
    reserved.extend(opts.key_file.iter().cloned());
    reserved.extend(opts.schema.iter().cloned());
    reserved.extend(opts.reserved.iter().cloned());
    // The audit log is checked before anything is written: never a file this run reads, nor in the set's
    // folder (replaced whole), nor a file that is not an audit log.
    let audit_log = match &opts.audit_log {
        Some(log) => {
            let mut own: Vec<String> = reserved.iter().map(|p| s(p)).collect();
            own.push(s(&opts.out));
            Some(AuditLog::open(
                log,
                run_key.as_ref(),
                &reserved_files(&own),
            )?)
        }
        None => None,
    };
    if let Some(log) = &opts.audit_log {
        reserved.push(log.clone());
    }
    let mut set = OutputSet::begin(&opts.out, opts.force, &reserved)?;
    // Where each file goes: with a key, raw files are the steward's own, in restricted/.
    let raw = |name: &str| -> String {
        if protected {
            format!("{RESTRICTED}/{name}")
        } else {
            name.to_string()
        }
    };
    let cleaned_name = format!("cleaned.{}", ext(opts.output_format));

    // 1. Import.
    stage("import");
    let mut sources = Vec::new();
    for p in &paths {
        sources.extend(open_source(p, &opts.read)?);
    }
    let inputs = input_identities(&paths);
    let source_info: Vec<Value> = sources
        .iter()
        .map(
            |s| json!({"path": s.info.label, "format": s.info.format, "encoding": s.info.encoding}),
        )
        .collect();
    let loaded = load_table(&schema, &sources, &opts.maps)?;
    drop(sources);
    let mut table = loaded.table;
    lap("import", &mut t);

    // 2. Validate and normalize; rows with an error are rejected with their reasons.
    stage("validate+normalize");
    let outcome = check_table_with(&schema, &mut table, &opts.check, false, &loaded.lost_digits)?;
    lap("validate+normalize", &mut t);
    let findings_name = raw("findings.csv");
    crate::validate::files::write_findings(
        &s(&set.path(&findings_name)?),
        true,
        &inputs,
        &outcome.findings,
        None,
    )?;
    set.add(&findings_name, true, Some(outcome.findings.len() as u64));
    // A row is rejected for its errors, except a repeated unique value: repeated customers are what dedupe
    // merges, so they go on to it rather than out of the job.
    let mut reasons: Vec<Vec<String>> = vec![Vec::new(); table.len()];
    for f in &outcome.findings {
        if matches!(f.severity, Severity::Error) && f.rule != "unique-error" {
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
    let rejects_name = raw("rejects.csv");
    write_csv_file(
        &s(&set.path(&rejects_name)?),
        true,
        &inputs,
        &reject_cols,
        rejected_rows,
        true,
    )?;
    set.add(&rejects_name, true, Some(rows_rejected));
    let hist = crate::report::figures::histograms(&valid);
    let errors = outcome
        .findings
        .iter()
        .filter(|f| matches!(f.severity, Severity::Error))
        .count();
    let mut rule_counts: std::collections::BTreeMap<(String, String, String), u64> =
        Default::default();
    for f in &outcome.findings {
        *rule_counts
            .entry((
                f.rule.clone(),
                f.field.clone(),
                format!("{:?}", f.severity).to_lowercase(),
            ))
            .or_default() += 1;
    }
    let mut top_rules: Vec<Value> = rule_counts
        .into_iter()
        .map(|((rule, field, severity), count)| {
            json!({"rule": rule, "field": field, "severity": severity, "count": count})
        })
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
    stage("dedupe");
    let golden_name = raw("golden.csv");
    let clusters_raw = raw("clusters.csv");
    let merge_name = raw("merge-map.csv");
    let golden_path = set.path(&golden_name)?;
    let dedupe_report = if opts.skip_dedupe || valid.is_empty() {
        // Every valid row is its own golden record (none when nothing is valid: the files still say so).
        write_singletons(&valid, &golden_path)?;
        if !opts.skip_dedupe {
            write_text(
                &set.path(&clusters_raw)?,
                "golden_id,cluster_id,cluster_size,match_probability\n",
            )?;
            write_text(
                &set.path(&merge_name)?,
                "_source,_row,record_id,golden_id,cluster_size\n",
            )?;
        }
        json!({"golden_records": valid.len(), "rows_merged": 0, "skipped": opts.skip_dedupe})
    } else {
        let mut dopts = crate::dedupe::DedupeOptions::from_schema(&schema)?;
        dopts.threshold = opts.threshold.or(dopts.threshold);
        let d = crate::dedupe::dedupe_table(&schema, &valid, &dopts, &[])?;
        let (clusters, merge_map) = (d.clusters(), d.merge_map());
        for (path, rows) in [
            (
                golden_path.clone(),
                d.golden.as_ref().map(|t| t as &dyn Rows),
            ),
            (
                set.path(&clusters_raw)?,
                clusters.as_ref().map(|v| v as &dyn Rows),
            ),
            (
                set.path(&merge_name)?,
                merge_map.as_ref().map(|v| v as &dyn Rows),
            ),
        ] {
            if let Some(rows) = rows {
                write_rows(&s(&path), true, &inputs, rows, None, true)?;
            }
        }
        serde_json::to_value(&d.report)?
    };
    let golden_records = dedupe_report["golden_records"].as_u64().unwrap_or(0);
    let rows_merged = dedupe_report["rows_merged"].as_u64().unwrap_or(0);
    set.add(&golden_name, true, Some(golden_records));
    if !opts.skip_dedupe {
        set.add(&clusters_raw, true, None);
        set.add(&merge_name, true, None);
    }
    drop(valid);
    lap("dedupe", &mut t);

    // 4. Segments of the golden records, when the data has the purchase fields.
    stage("segment");
    let golden = {
        let gsources = open_source(&s(&golden_path), &ReadOptions::default())?;
        with_input_lineage(load_table(&schema, &gsources, &[])?.table)?
    };
    let has_purchase = ["last_purchase_date", "orders", "total_spend"]
        .iter()
        .all(|f| golden.column_index(f).is_some());
    let segments_raw = raw("segments.csv");
    let segmented = if has_purchase && golden_records > 0 && !opts.skip_segment {
        let (rows, summary) = crate::segment::segment_table(
            &golden,
            &SegmentOptions {
                as_of: opts.check.today,
                rules: StageRules::default(),
                tiers: (80.0, 95.0),
            },
        )?;
        let table = rows.to_table()?;
        write_table(&table, &set.path(&segments_raw)?, OutputFormat::Csv)?;
        set.add(&segments_raw, true, Some(golden_records));
        Some((table, serde_json::to_value(&summary)?))
    } else {
        None
    };
    lap("segment", &mut t);

    // 5. The cleaned dataset (golden records), and with a key every shared file protected by one policy.
    stage("protect");
    let mut protection = Value::Null;
    let mut protected_files: Vec<Value> = Vec::new();
    if let Some(key) = key {
        let p = Protect {
            opts,
            schema: &schema,
            key,
        };
        let (cleaned, prot) = p.table(&golden, &["cluster_size"])?;
        write_table(&cleaned, &set.path(&cleaned_name)?, opts.output_format)?;
        set.add(&cleaned_name, false, Some(golden_records));
        protection = protection_value(&prot);
        let meta = Metadata::new(
            prot,
            Provenance {
                inputs: vec![golden_name.clone()],
                output: cleaned_name.clone(),
                rows_in: golden_records,
                rows_out: cleaned.len() as u64,
                rows_rejected: 0,
                mapping_written: false,
                created: chrono::Local::now(),
            },
        );
        write_json(
            &set.path("cleaned.meta.json")?,
            &serde_json::to_value(&meta)?,
        )?;
        set.add("cleaned.meta.json", false, None);
        protected_files.push(json!({"file": cleaned_name, "protection": protection}));
        if !opts.skip_dedupe {
            let clusters = {
                let src = open_source(&s(&set.path(&clusters_raw)?), &ReadOptions::default())?;
                load_table(&schema, &src, &[])?.table
            };
            let (shared, prot) = p.table(
                &clusters,
                &["cluster_id", "cluster_size", "match_probability"],
            )?;
            write_table(&shared, &set.path("clusters.csv")?, OutputFormat::Csv)?;
            set.add("clusters.csv", false, None);
            protected_files
                .push(json!({"file": "clusters.csv", "protection": protection_value(&prot)}));
        }
        if let Some((table, _)) = &segmented {
            let mut keep = vec!["cluster_size"];
            keep.extend(crate::segment::SEGMENT_COLUMNS);
            let (shared, prot) = p.table(table, &keep)?;
            write_table(&shared, &set.path("segments.csv")?, OutputFormat::Csv)?;
            set.add("segments.csv", false, Some(golden_records));
            protected_files
                .push(json!({"file": "segments.csv", "protection": protection_value(&prot)}));
        }
    } else {
        // The golden records as written, cell for cell, in the asked format.
        convert(&golden_path, &set.path(&cleaned_name)?, opts.output_format)?;
        set.add(&cleaned_name, true, Some(golden_records));
    }
    let segments = segmented.map(|(_, summary)| summary);
    drop(golden);
    lap("protect", &mut t);

    // Raw files left out on request: their names and counts stay in the report.
    let mut left_out: Vec<String> = Vec::new();
    if protected && opts.no_restricted {
        let names: Vec<String> = set
            .files()
            .iter()
            .filter(|f| f.name.starts_with(&format!("{RESTRICTED}/")))
            .map(|f| f.name.clone())
            .collect();
        for name in &names {
            let _ = std::fs::remove_file(set.path(name)?);
            set.forget(name);
        }
        let _ = std::fs::remove_dir(set.path(RESTRICTED)?);
        left_out = names;
    }

    // 6. Policy, report, HTML, manifest; the audit entry is appended once the set is in place.
    let rows_in = loaded.counts.rows_in;
    let rows_out = golden_records;
    let policy = opts
        .policy
        .as_ref()
        .map(|p| p.evaluate(rows_in, rows_rejected, rows_merged))
        .transpose()?;
    let policy_value = policy.as_ref().map(serde_json::to_value).transpose()?;
    if matches!(&policy, Some(p) if !p.passed) && opts.mark_failed {
        let name = opts
            .out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        set.retarget(&opts.out.with_file_name(format!("{name}-policy-failed")))?;
    }
    let record = |set: &OutputSet, name: &str, rows: Option<u64>, personal: bool| {
        record_of(set, name, rows, personal, protected)
    };
    let mut outputs: Vec<OutputRecord> = set
        .files()
        .iter()
        .map(|f| record(&set, &f.name, f.rows, f.personal))
        .collect::<Result<_>>()?;
    let finished = chrono::Local::now();
    let reconciled = rows_in == rows_out + rows_rejected + rows_merged;
    let mut report = json!({
        "tool": "steward",
        "version": env!("CARGO_PKG_VERSION"),
        "command": opts.command,
        "started": started.to_rfc3339(),
        "finished": finished.to_rfc3339(),
        "rows_in": rows_in,
        "rows_out": rows_out,
        "rows_rejected": rows_rejected,
        "rows_merged": rows_merged,
        "reconciled": reconciled,
        "pseudonymized": protected,
        "key_id": key.map(|k| k.id()),
        "status": if protected { "pseudonymized personal data" } else { "contains personal data" },
        "restricted": if protected && !opts.no_restricted { Some(RESTRICTED) } else { None },
        "left_out": left_out,
        "as_of": opts.check.today.to_string(),
        "sources": source_info,
        "validation": validation,
        "dedupe": dedupe_report,
        "histograms": hist,
        "segments": segments,
        "protection": protection,
        "protected_files": protected_files,
        "policy": policy_value,
        "outputs": outputs,
        "timings": timings,
    });
    write_json(&set.path("report.json")?, &report)?;
    set.add("report.json", false, None);
    write_text(
        &set.path("report.html")?,
        &crate::report::html::render(&report),
    )?;
    set.add("report.html", false, None);
    for name in ["report.json", "report.html"] {
        outputs.push(record(&set, name, None, false)?);
    }
    let input_records: Vec<FileRecord> = paths
        .iter()
        .filter(|p| p.as_str() != "-")
        .filter_map(|p| FileRecord::of("input", Path::new(p), None))
        .collect();
    let manifest = json!({
        "tool": "steward",
        "version": env!("CARGO_PKG_VERSION"),
        "command": opts.command,
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
        "key_id": key.map(|k| k.id()),
        "policy": report["policy"],
        "parameters": {
            "schema": opts.schema.as_ref().map(|p| s(p)).unwrap_or_else(|| "builtin".into()),
            "as_of": opts.check.today.to_string(),
            "default_region": opts.check.default_region,
            "day_first": opts.check.day_first,
            "threshold": report["dedupe"]["threshold"],
            "domain": opts.domain.clone().unwrap_or_else(|| "default".into()),
            "lenient": opts.lenient,
        },
    });
    write_json(&set.path(MANIFEST)?, &manifest)?;
    set.add(MANIFEST, false, None);
    let manifest_record = record(&set, MANIFEST, None, false)?;

    let dest = set.dest().to_path_buf();
    let audit_entry = set.commit(|landed| -> Result<Option<AppendedEntry>> {
        let Some(log) = &audit_log else {
            return Ok(None);
        };
        let abs = std::fs::canonicalize(landed).unwrap_or_else(|_| landed.to_path_buf());
        let recorded: Vec<Value> = outputs
            .iter()
            .chain(std::iter::once(&manifest_record))
            .map(|o| {
                let mut v = serde_json::to_value(o).unwrap_or(Value::Null);
                v["path"] = json!(s(&abs.join(&o.name)));
                v
            })
            .collect();
        let appended = log.append(json!({
                "time": finished.to_rfc3339(),
                "command": opts.command,
                "command_line": redacted_argv(),
                "inputs": input_records,
                "outputs": recorded,
                "rows_in": rows_in,
                "rows_out": rows_out,
                "rows_rejected": rows_rejected,
                "rows_merged": rows_merged,
                "key_id": key.map(|k| k.id()),
                "policy": report["policy"],
        }))?;
        Ok(Some(appended))
    })?;
    if let Some(a) = &audit_entry {
        report["audit_log_entry"] = a.seq.into();
        report["audit_log_head"] = a.hash.clone().into();
    }
    Ok(Outcome {
        report,
        dest,
        policy,
        audit_entry,
    })
}

impl Outcome {
    /// The human summary of the run: the reconciliation first, then what landed where.
    pub fn summary(&self) -> Vec<String> {
        let r = &self.report;
        let n = |k: &str| r[k].as_u64().unwrap_or(0);
        let reconciled = r["reconciled"].as_bool().unwrap_or(false);
        let mut lines = vec![format!(
            "{} rows in = {} rows out + {} rows rejected + {} rows merged{}",
            n("rows_in"),
            n("rows_out"),
            n("rows_rejected"),
            n("rows_merged"),
            if reconciled {
                ""
            } else {
                "  (DOES NOT RECONCILE: please report this)"
            }
        )];
        lines.push(format!(
            "validation: {} errors, {} warnings; dedupe: {} clusters with duplicates; {}",
            r["validation"]["errors"].as_u64().unwrap_or(0),
            r["validation"]["warnings"].as_u64().unwrap_or(0),
            r["dedupe"]["clusters_with_duplicates"].as_u64().unwrap_or(0),
            match r["key_id"].as_str() {
                Some(k) => format!(
                    "pseudonymized with key {k}: no file outside {RESTRICTED}/ holds a raw personal value"
                ),
                None => "no key: every data file holds personal data (pass --key-file to pseudonymize)"
                    .to_string(),
            }
        ));
        let files: Vec<&str> = r["outputs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|o| o["name"].as_str())
            .chain(["report.json", "report.html", MANIFEST])
            .collect();
        lines.push(format!(
            "outputs in {}: {}",
            self.dest.display(),
            files.join(", ")
        ));
        if let Some(left) = r["left_out"].as_array().filter(|l| !l.is_empty()) {
            let names: Vec<&str> = left.iter().filter_map(|v| v.as_str()).collect();
            lines.push(format!("left out (--no-restricted): {}", names.join(", ")));
        }
        if let Some(p) = &self.policy {
            for c in &p.checks {
                lines.push(format!(
                    "policy {}: {} (limit {}: at most {}, found {})",
                    c.rule,
                    if c.passed { "passed" } else { "FAILED" },
                    c.limit,
                    c.max,
                    c.value
                ));
            }
        }
        if let Some(a) = &self.audit_entry {
            lines.push(format!(
                "audit log: entry {} appended, head {}",
                a.seq, a.hash
            ));
        }
        lines
    }
}

//! The whole cleanup job as one pipeline (`steward clean`, `steward run`): read, validate and normalize, dedupe
//! into golden records, segment, protect; every file, the report, the manifest and the audit entry land as one
//! output set (see `io::output_set`), and with a key nothing outside `restricted/` holds a raw personal value.

use anyhow::Result;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::StewardError;
use crate::io::digest::Digest;
use crate::io::output_set::{OutputSet, MANIFEST, RESTRICTED};
use crate::io::workbook::{column_types, source_names, About};
use crate::io::write::{reserved_files, write_dataset, write_rows, write_vecs, AtomicFile};
use crate::io::write::{Destination, OutputFormat, WriteOptions, WriteStats};
use crate::io::{expand_inputs, open_source, ReadOptions};
use crate::privacy::key::Key;
use crate::privacy::pseudonymize::{
    pseudonymize_view, Metadata, Protection, Provenance, PseudonymizeOptions,
};
use crate::report::audit::{AppendedEntry, AuditLog};
use crate::report::{redacted_argv, FileRecord};
use crate::schema::{FieldKind, ManualMap, Schema, Severity};
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
    /// With a Table Schema: steward's own checks and normalization as well (`--steward-checks`).
    pub steward_checks: bool,
    /// The key file; `None` reads STEWARD_KEY, and no key at all means an unprotected run with an unsealed
    /// audit entry.
    pub key_file: Option<PathBuf>,
    /// Do not pseudonymize even with a key (a job without the pseudonymize step); the key still seals the
    /// audit entry.
    pub skip_protect: bool,
    pub domain: Option<String>,
    pub check: CheckOptions,
    pub threshold: Option<f64>,
    /// Dedupe with this saved model instead of training one (`--model`).
    pub model: Option<PathBuf>,
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
    /// Format of the findings and rejects files (the ones a steward reviews, often in Excel).
    pub findings_format: OutputFormat,
    /// Limits whose breach makes the run fail (exit 1); evaluated before the set lands, recorded in it.
    pub policy: Option<Policy>,
    /// Files the run reads besides sources, key and schema (a job file): never written over.
    pub reserved: Vec<PathBuf>,
    /// The command, for the report and audit entry (`clean`, `run`).
    pub command: String,
    /// With a failed policy, land the set at `OUT-policy-failed` instead of `OUT`.
    pub mark_failed: bool,
    /// CSV files of the set start with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
    /// Also load the cleaned dataset into this database table (the URL or `env:VAR` as given, and the
    /// table with its mode); committed just before the set lands, and only when the policy passes.
    pub db_output: Option<(String, crate::io::db::DbTarget)>,
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

fn write_json(path: &Path, v: &Value) -> Result<Digest> {
    let mut f = AtomicFile::create(path)?;
    serde_json::to_writer_pretty(&mut f, v)?;
    std::io::Write::write_all(&mut f, b"\n")?;
    f.commit()
}

fn write_text(path: &Path, text: &str) -> Result<Digest> {
    let mut f = AtomicFile::create(path)?;
    std::io::Write::write_all(&mut f, text.as_bytes())?;
    f.commit()
}

/// A file of the set, opened for a writer (CSV with a byte-order mark when `bom`).
fn dest(path: &Path, bom: bool) -> Result<Destination> {
    Ok(Destination::open(&s(path), true, &[])?.with_bom(bom))
}

/// What a workbook of the cleaned table is, for its About sheet.
const CLEANED: &str =
    "Cleaned customer table of steward clean: the golden records, one per customer";

/// Golden records without deduplication: every row its own record.
fn singletons(t: &Table) -> Result<Table> {
    let n = t.columns.len();
    let mut cols: Vec<String> = vec!["golden_id".into(), "cluster_size".into()];
    cols.extend(t.columns[..n - 2].iter().cloned());
    cols.extend(["_source".into(), "_row".into(), "_lineage".into()]);
    let mut out = Table::new(cols);
    let mut row: Vec<String> = Vec::with_capacity(n + 1);
    for r in 0..t.len() {
        row.clear();
        row.extend([crate::dedupe::golden_id_of(r), "1".to_string()]);
        row.extend(t.row(r).iter().map(|v| v.to_string()));
        row.push(String::new());
        out.push_row(&row)?;
    }
    Ok(out)
}

/// The column order of every table steward reads, for golden records: the schema's fields first, in the
/// schema's order, then the other columns in order, then the lineage of the base record (`_source`, `_row`).
/// Segments and the pseudonymized files are made from the golden records in this order.
fn table_layout(schema: &Schema, columns: &[String]) -> Result<Vec<usize>> {
    let mappings = crate::schema::map_headers(schema, columns, &[])?;
    let mut order: Vec<usize> = Vec::with_capacity(columns.len());
    for f in &schema.fields {
        if let Some(c) = mappings
            .iter()
            .position(|m| m.field.as_deref() == Some(f.name.as_str()))
        {
            if !order.contains(&c) {
                order.push(c);
            }
        }
    }
    let pos = |name: &str| columns.iter().position(|c| c == name);
    let lineage = [pos("_source"), pos("_row")];
    for c in 0..columns.len() {
        if !order.contains(&c) && !lineage.contains(&Some(c)) {
            order.push(c);
        }
    }
    order.extend(lineage.into_iter().flatten());
    Ok(order)
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
        self.view(&crate::table::TableView::default().all(t), keep)
    }

    /// `table`, written straight to `dest` as its rows are protected (see `pseudonymize_view_into`).
    fn write_into(
        &self,
        t: &Table,
        keep: &[&str],
        dest: Destination,
        write_opts: &(dyn Fn(&Protection, &[String]) -> WriteOptions + Sync),
    ) -> Result<(WriteStats, Protection)> {
        let view = crate::table::TableView::default().all(t);
        crate::privacy::pseudonymize::pseudonymize_view_into(
            self.schema,
            &view,
            &self.options(&view, keep),
            self.key,
            dest,
            write_opts,
        )
    }

    fn view(&self, t: &crate::table::TableView, keep: &[&str]) -> Result<(Table, Protection)> {
        pseudonymize_view(self.schema, t, &self.options(t, keep), self.key)
    }

    /// The default policy for `t`'s columns, with the run's golden ids tokenized, lineage dropped and `keep`
    /// kept.
    fn options(&self, t: &crate::table::TableView, keep: &[&str]) -> PseudonymizeOptions {
        let columns = t.column_names();
        let has = |c: &str| columns.iter().any(|h| h == c);
        let mut p = PseudonymizeOptions::new(self.opts.check.today);
        p.domain = self.opts.domain.clone();
        p.normalization = Some(self.opts.check.normalization);
        p.default_region = self.opts.check.default_region.clone();
        p.token = ["golden_id"]
            .iter()
            .filter(|c| has(c))
            .map(|c| c.to_string())
            .collect();
        // Lineage names input files and rows: it joins a shared row back to the raw one.
        p.drop = columns
            .iter()
            .filter(|h| h.starts_with("_source") || h.starts_with("_row") || *h == "_lineage")
            .cloned()
            .collect();
        p.keep = keep
            .iter()
            .filter(|c| has(c))
            .map(|c| c.to_string())
            .collect();
        p
    }
}

/// Load the cleaned dataset into the run's database table: the rows go in inside a transaction that
/// `loads` commits (or rolls back when dropped).
fn load_into_db(
    t: &Table,
    (arg, target): &(String, crate::io::db::DbTarget),
    loads: &crate::io::db::PendingLoads,
) -> Result<WriteStats> {
    let dest = crate::io::write::Destination::Database(crate::io::write::DbPlan {
        name: "cleaned".into(),
        arg: arg.clone(),
        target: target.clone(),
        pending: loads.clone(),
    });
    write_dataset(
        dest,
        &t.columns,
        WriteOptions::new(OutputFormat::Csv, false),
        |w| (0..t.len()).try_for_each(|r| w.write_row(&t.row(r))),
    )
}

/// Write a table to a file of the set (the formula guard on in `opts`, as every CSV steward writes).
fn write_table(t: &Table, path: &Path, opts: WriteOptions, bom: bool) -> Result<WriteStats> {
    write_dataset(dest(path, bom)?, &t.columns, opts, |w| {
        (0..t.len()).try_for_each(|r| w.write_row(&t.row(r)))
    })
}

/// What the report says of one protected file: the status, key, versions and every column's action.
fn protection_value(p: &Protection) -> Value {
    json!({
        "status": p.status,
        "key_id": p.key_id,
        "domain": p.domain,
        "token_version": p.token_version,
        "normalization_version": p.normalization_version,
        "columns": p.columns.iter().map(|c| {
            let mut v = json!({"column": c.column, "action": c.action, "detail": c.detail, "cells_changed": c.cells_changed});
            if let Some(e) = &c.embedded_redacted {
                v["embedded_redacted"] = json!(e);
            }
            v
        }).collect::<Vec<_>>(),
    })
}

/// Record a data file of the set as its writer reported it.
fn add(set: &mut OutputSet, name: &str, personal: bool, w: WriteStats) -> Result<()> {
    let digest = w
        .written
        .ok_or_else(|| StewardError::cant_create(format!("{name}: not written to a file")))?;
    set.add(name, personal, Some(w.rows), digest);
    Ok(())
}

fn record_of(f: &crate::io::output_set::SetFile, protected: bool) -> OutputRecord {
    let name = f.name.as_str();
    OutputRecord {
        name: name.to_string(),
        path: name.to_string(),
        bytes: f.digest.bytes,
        sha256: f.digest.sha256.clone(),
        rows: f.rows,
        personal_data: f.personal,
        protection: if name.starts_with(&format!("{RESTRICTED}/")) {
            "restricted (raw, owner only)"
        } else if f.personal {
            "none (raw personal data)"
        } else if protected && !(name.ends_with(".json") || name.ends_with(".html")) {
            "pseudonymized"
        } else {
            "no personal data"
        },
    }
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
    let schema = Schema::load_with(opts.schema.as_deref(), opts.steward_checks)?;
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
    // A saved model is read (and checked) before any work; the run never writes over it.
    let model = match &opts.model {
        Some(p) => {
            reserved.push(p.clone());
            Some(std::sync::Arc::new(crate::dedupe::saved::ModelFile::read(
                p,
            )?))
        }
        None => None,
    };
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
    crate::io::source::short_labels(sources.iter_mut());
    let loaded = load_table(&schema, &sources, &opts.maps)?;
    let infos: Vec<&crate::io::SourceInfo> = sources.iter().map(|s| &s.info).collect();
    let per_source = crate::report::evidence::rows_per_source(
        &loaded.table,
        loaded.rejects.iter().map(|(l, _)| l.as_str()),
    );
    let source_info = crate::report::evidence::sources(&infos, &per_source);
    let source_notes = crate::report::evidence::notes(&infos, &opts.read.sheet);
    let sources_named = source_names(infos.iter().map(|i| i.label.as_str()));
    // Each input file once (a workbook's sheets are one file), with the digest its reader took.
    let mut input_records: Vec<FileRecord> = Vec::new();
    for src in sources.iter().filter(|s| s.info.path != "-") {
        let recorded = Path::new(src.info.recorded_path());
        if let Some(rec) = FileRecord::input(recorded, Some(&src.info.digest)) {
            if !input_records.iter().any(|r| r.path == rec.path) {
                input_records.push(rec);
            }
        }
    }
    drop(sources);
    let mut table = loaded.table;
    lap("import", &mut t);

    // 2. Validate and normalize; rows with an error are rejected with their reasons.
    stage("validate+normalize");
    let outcome = check_table_with(&schema, &mut table, &opts.check, false, &loaded.lost_digits)?;
    lap("validate+normalize", &mut t);
    let findings_name = raw(&format!("findings.{}", ext(opts.findings_format)));
    let w = crate::validate::files::write_findings(
        dest(&set.path(&findings_name)?, opts.bom)?,
        WriteOptions::new(opts.findings_format, true).about(About::new(
            "Findings of steward clean's validation: one line per issue found, with the value, rule and \
             suggestion",
            sources_named.clone(),
        )),
        &outcome.findings,
        None,
    )?;
    add(&mut set, &findings_name, true, w)?;
    // A row is rejected for its errors, except a repeated unique value: repeated customers are what dedupe
    // merges, so they go on to it rather than out of the job.
    let reasons = outcome.error_reasons(
        |f| f.rule() != "unique-error",
        |f| format!("{}: {}", f.field(), f.rule()),
    );
    let mut reject_cols = table.columns.clone();
    reject_cols.push("reasons".into());
    let mut rejected_rows: Vec<Vec<String>> = Vec::new();
    let mut keep = vec![true; table.len()];
    for (r, why) in reasons {
        let mut row: Vec<String> = table.row(r).iter().map(|v| v.to_string()).collect();
        row.push(why.join("; "));
        rejected_rows.push(row);
        keep[r] = false;
    }
    // The valid rows: the table itself, less the rejected rows, one column at a time (never two copies).
    let n = table.columns.len();
    let mut valid = table.retain_rows(&keep)?;
    // A large table leaves memory for a file the kernel pages in as stages read it (see `spill_above`).
    let spill = spill_above()?;
    if table_bytes(&valid) > spill {
        spill_table(&mut valid, set.staging())?;
    }
    let judged = judged_by_validation(&schema, &opts.check, &outcome, &keep);
    // Rows that could not be read at all (malformed CSV, with --lenient) are rejected too.
    for (src, rej) in &loaded.rejects {
        let mut row = vec![String::new(); n + 1];
        row[n - 2] = src.clone();
        row[n - 1] = rej.row.to_string();
        row[n] = format!("unreadable: {}", rej.reason);
        rejected_rows.push(row);
    }
    let rows_rejected = rejected_rows.len() as u64;
    let rejects_name = raw(&format!("rejects.{}", ext(opts.findings_format)));
    let w = write_vecs(
        dest(&set.path(&rejects_name)?, opts.bom)?,
        &reject_cols,
        rejected_rows,
        WriteOptions::new(opts.findings_format, true)
            .typed(column_types(&schema, &reject_cols))
            .about(About::new(
                "Rows steward clean rejected: every column and the reasons",
                sources_named.clone(),
            )),
    )?;
    add(&mut set, &rejects_name, true, w)?;
    let hist = crate::report::figures::histograms(&valid);
    valid.release();
    let errors = outcome
        .findings
        .iter()
        .filter(|f| matches!(f.severity, Severity::Error))
        .count();
    // Counted by borrowed names (10M rows: 1.75M findings, each once cloned three times and its severity
    // formatted, took 1.2 s), then ordered as before.
    let mut counted: std::collections::HashMap<(&str, &str, bool), u64> = Default::default();
    for f in &outcome.findings {
        let error = matches!(f.severity, Severity::Error);
        *counted.entry((f.rule(), f.field(), error)).or_default() += 1;
    }
    let rule_counts: std::collections::BTreeMap<(String, String, &str), u64> = counted
        .into_iter()
        .map(|((rule, field, error), n)| {
            let severity = if error { "error" } else { "warning" };
            ((rule.to_string(), field.to_string(), severity), n)
        })
        .collect();
    let mut top_rules: Vec<Value> = rule_counts
        .into_iter()
        .map(|((rule, field, severity), count)| {
            json!({"rule": rule, "field": field, "severity": severity, "count": count})
        })
        .collect();
    top_rules.sort_by(|a, b| b["count"].as_u64().cmp(&a["count"].as_u64()));
    // Every (field, rule, severity) for the report's findings table; the first 15 as before.
    let rules = top_rules.clone();
    top_rules.truncate(15);
    let validation = json!({
        "rows_valid": valid.len(),
        "unique_errors_passed_to_dedupe": outcome.findings.iter().filter(|f| f.rule() == "unique-error").count(),
        "rows_rejected": rows_rejected,
        "errors": errors,
        "warnings": outcome.findings.len() - errors,
        "fields": crate::report::figures::report_fields(&outcome.fields),
        "top_rules": top_rules,
        "rules": rules,
    });
    // The findings are written and counted: let them go before dedupe (some 70 bytes of every row).
    let findings_count = outcome.findings.len();
    drop(outcome);

    // 3. Dedupe the valid rows into golden records. The set holds them once (the cleaned dataset, with their
    // segments) and traces every kept row to its golden record in the merge map; the member records of a
    // cluster are in the sources, where `_source` and `_row` point.
    stage("dedupe");
    let merge_name = raw("merge-map.csv");
    let mut dedupe_notes: Vec<String> = Vec::new();
    let (golden, dedupe_report) = if opts.skip_dedupe || valid.is_empty() {
        // Every valid row is its own golden record (none when nothing is valid: the files still say so).
        let golden = singletons(&valid)?;
        if !opts.skip_dedupe {
            let cols = crate::dedupe::MERGE_MAP_COLUMNS.map(String::from);
            let merge_dest = dest(&set.path(&merge_name)?, opts.bom)?;
            let csv = WriteOptions::new(OutputFormat::Csv, true);
            let w = write_vecs(merge_dest, &cols, Vec::new(), csv)?;
            add(&mut set, &merge_name, true, w)?;
        }
        let report =
            json!({"golden_records": valid.len(), "rows_merged": 0, "skipped": opts.skip_dedupe});
        drop(valid);
        (golden, report)
    } else {
        let mut dopts = crate::dedupe::DedupeOptions::from_schema(&schema)?;
        dopts.threshold = opts.threshold.or(dopts.threshold);
        dopts.today = Some(opts.check.today);
        dopts.judged = judged;
        dopts.model = model;
        // The golden records are planned, then gathered from the valid rows as those are let go.
        dopts.outputs.golden = false;
        dopts.outputs.golden_plan = true;
        let mut d = crate::dedupe::dedupe_table(&schema, &valid, &dopts, &[])?;
        let plan = d.golden_plan.take().ok_or_else(|| {
            StewardError::new(
                crate::error::ExitCode::Software,
                "dedupe made no golden records",
            )
        })?;
        dedupe_notes.extend(d.report.notes());
        // The model that decided the merges, to audit them and to score the next run alike (--model).
        if let Some(saved) = d.saved_model.take() {
            let digest = write_text(&set.path("model.json")?, &saved.to_json()?)?;
            set.add("model.json", false, None, digest);
        }
        if let Some(merge_map) = d.merge_map() {
            let merge_dest = dest(&set.path(&merge_name)?, opts.bom)?;
            let w = write_rows(
                merge_dest,
                &merge_map,
                WriteOptions::new(OutputFormat::Csv, true),
            )?;
            add(&mut set, &merge_name, true, w)?;
        }
        let report = serde_json::to_value(&d.report)?;
        drop(d);
        // A table large enough to spill is gathered straight into spill files, column by column.
        let spill_golden = (table_bytes(&valid) > spill).then(|| set.staging());
        let golden = plan
            .gather(valid, spill_golden)
            .map_err(|e| match spill_golden {
                // Only writing a spill file fails with an I/O error here.
                Some(dir) if e.downcast_ref::<std::io::Error>().is_some() => spill_error(dir, e),
                _ => e,
            })?;
        (golden, report)
    };
    let mut golden = golden;
    let stage_order = golden.columns.clone();
    let layout = table_layout(&schema, &golden.columns)?;
    golden.reorder(&layout);
    let golden_records = golden.len() as u64;
    let rows_merged = dedupe_report["rows_merged"].as_u64().unwrap_or(0);
    if table_bytes(&golden) > spill {
        spill_table(&mut golden, set.staging())?;
    }
    lap("dedupe", &mut t);

    // 4. Segments of the golden records, when the data has the purchase fields: their columns join the
    // cleaned dataset, before `_source` and `_row`.
    stage("segment");
    let has_purchase = ["last_purchase_date", "orders", "total_spend"]
        .iter()
        .all(|f| golden.column_index(f).is_some());
    let (cleaned_table, segments) = if has_purchase && golden_records > 0 && !opts.skip_segment {
        let (rows, summary) = crate::segment::segment_table(
            &golden,
            &SegmentOptions {
                as_of: opts.check.today,
                rules: StageRules::default(),
                tiers: (80.0, 95.0),
            },
        )?;
        // The segment columns join the golden records where `Segments::to_table` puts them, without a copy.
        let columns = rows.segment_columns()?;
        drop(rows);
        golden.release();
        let at = golden.columns.len() - 2;
        for (k, col) in columns.into_iter().enumerate() {
            golden.insert_column(at + k, crate::segment::SEGMENT_COLUMNS[k], col);
        }
        (golden, Some(serde_json::to_value(&summary)?))
    } else {
        (golden, None)
    };
    let segmented = segments.is_some();
    lap("segment", &mut t);

    // 5. The cleaned dataset: the golden records as the stage made them (golden_id first), segment columns
    // before `_source` and `_row`. With a key, the shared copy is protected by the default policy and the raw
    // one is in restricted/.
    stage("protect");
    let cleaned = {
        let mut t = cleaned_table;
        let mut order: Vec<usize> = Vec::with_capacity(t.columns.len());
        for c in &stage_order {
            if c == "_source" && segmented {
                order.extend(
                    crate::segment::SEGMENT_COLUMNS
                        .iter()
                        .filter_map(|s| t.column_index(s)),
                );
            }
            order.extend(t.column_index(c));
        }
        t.reorder(&order);
        t
    };
    let mut protection = Value::Null;
    let mut protected_files: Vec<Value> = Vec::new();
    let loads = crate::io::db::PendingLoads::default();
    let types = column_types(&schema, &cleaned.columns);
    if let Some(key) = key {
        let raw_name = raw(&cleaned_name);
        let out = WriteOptions::new(opts.output_format, true)
            .typed(types)
            .about(About::new(CLEANED, sources_named.clone()));
        let p = Protect {
            opts,
            schema: &schema,
            key,
        };
        let mut keep = vec!["cluster_size"];
        keep.extend(crate::segment::SEGMENT_COLUMNS);
        let (raw_path, shared_path) = (set.path(&raw_name)?, set.path(&cleaned_name)?);
        let shared_opts = |prot: &Protection, columns: &[String]| {
            let about = About::new(CLEANED, sources_named.clone()).protected(prot.about_lines());
            WriteOptions::new(opts.output_format, true)
                .typed(prot.cell_types(&schema, columns))
                .about(about)
        };
        // The raw copy and the shared one are written at the same time; the shared rows are protected and
        // written as they are made (never a second table in memory), unless a database load needs them.
        let (raw_written, shared_written) = rayon::join(
            || write_table(&cleaned, &raw_path, out, opts.bom),
            || -> Result<(WriteStats, Protection, Option<Table>)> {
                if opts.db_output.is_some() {
                    let (shared, prot) = p.table(&cleaned, &keep)?;
                    let w = write_table(
                        &shared,
                        &shared_path,
                        shared_opts(&prot, &shared.columns),
                        opts.bom,
                    )?;
                    Ok((w, prot, Some(shared)))
                } else {
                    let (w, prot) =
                        p.write_into(&cleaned, &keep, dest(&shared_path, opts.bom)?, &shared_opts)?;
                    Ok((w, prot, None))
                }
            },
        );
        add(&mut set, &raw_name, true, raw_written?)?;
        let (w, prot, shared) = shared_written?;
        let shared_rows = w.rows;
        add(&mut set, &cleaned_name, false, w)?;
        if let (Some((url, target)), Some(shared)) = (&opts.db_output, &shared) {
            // A column the policy tokenized or generalized no longer holds its kind's values: text.
            let mut target = target.clone();
            target.kinds.retain(|(c, _)| {
                prot.columns
                    .iter()
                    .any(|pc| pc.column == *c && pc.action == "keep")
            });
            load_into_db(shared, &(url.clone(), target), &loads)?;
        }
        drop(shared);
        protection = protection_value(&prot);
        let meta = Metadata::new(
            prot,
            Provenance {
                inputs: vec![raw_name.clone()],
                output: cleaned_name.clone(),
                rows_in: golden_records,
                rows_out: shared_rows,
                rows_rejected: 0,
                mapping_written: false,
                created: chrono::Local::now(),
            },
        );
        let d = write_json(
            &set.path("cleaned.meta.json")?,
            &serde_json::to_value(&meta)?,
        )?;
        set.add("cleaned.meta.json", false, None, d);
        protected_files.push(json!({"file": cleaned_name, "protection": protection}));
    } else {
        let out = WriteOptions::new(opts.output_format, true)
            .typed(types)
            .about(About::new(CLEANED, sources_named.clone()));
        let w = write_table(&cleaned, &set.path(&cleaned_name)?, out, opts.bom)?;
        add(&mut set, &cleaned_name, true, w)?;
        if let Some(db) = &opts.db_output {
            load_into_db(&cleaned, db, &loads)?;
        }
    }
    drop(cleaned);
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
    // The table load commits with the set, and only when the policy passes; a failed run leaves the table
    // as it was (its transaction rolls back) and says so.
    let load = policy.as_ref().is_none_or(|p| p.passed);
    let tables: Vec<Value> = loads
        .records()
        .into_iter()
        .map(|r| {
            let mut v = serde_json::to_value(&r).unwrap_or(Value::Null);
            v["personal"] = json!(!protected);
            v["loaded"] = json!(load);
            v
        })
        .collect();
    if matches!(&policy, Some(p) if !p.passed) && opts.mark_failed {
        let name = opts
            .out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        set.retarget(&opts.out.with_file_name(format!("{name}-policy-failed")))?;
    }
    let mut outputs: Vec<OutputRecord> = set
        .files()
        .iter()
        .map(|f| record_of(f, protected))
        .collect();
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
        "notes": source_notes
            .into_iter()
            .chain(dedupe_notes.iter().map(|n| json!({"source": "dedupe", "note": n})))
            .collect::<Vec<_>>(),
        "validation": validation,
        "dedupe": dedupe_report,
        "histograms": hist,
        "segments": segments,
        "protection": protection,
        "protected_files": protected_files,
        "policy": policy_value,
        "outputs": outputs,
        "tables": tables,
        "timings": timings,
    });
    let d = write_json(&set.path("report.json")?, &report)?;
    set.add("report.json", false, None, d);
    let html = crate::report::html::render(&report);
    let d = write_text(&set.path("report.html")?, &html)?;
    set.add("report.html", false, None, d);
    let n = set.files().len();
    outputs.extend(set.files()[n - 2..].iter().map(|f| record_of(f, protected)));
    let manifest = json!({
        "tool": "steward",
        "version": env!("CARGO_PKG_VERSION"),
        "command": opts.command,
        "command_line": redacted_argv(),
        "started": started.to_rfc3339(),
        "finished": finished.to_rfc3339(),
        "inputs": input_records,
        "outputs": outputs,
        "tables": tables,
        "rows_in": rows_in,
        "rows_out": rows_out,
        "rows_rejected": rows_rejected,
        "rows_merged": rows_merged,
        "findings": {"errors": errors, "warnings": findings_count - errors},
        "key_id": key.map(|k| k.id()),
        "policy": report["policy"],
        "parameters": {
            "schema": opts.schema.as_ref().map(|p| s(p)).unwrap_or_else(|| "builtin".into()),
            "as_of": opts.check.today.to_string(),
            "default_region": opts.check.default_region,
            "day_first": opts.check.day_first,
            "threshold": report["dedupe"]["threshold"],
            "domain": opts.domain.clone().unwrap_or_else(|| "default".into()),
            "normalization": opts.check.normalization.as_str(),
            "lenient": opts.lenient,
        },
    });
    let d = write_json(&set.path(MANIFEST)?, &manifest)?;
    set.add(MANIFEST, false, None, d);
    let manifest_record = record_of(&set.files()[set.files().len() - 1], protected);

    let dest = set.dest().to_path_buf();
    // The table first: if its commit fails, the set does not land either (its staging is removed).
    if load {
        loads.commit()?;
    }
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
                "tables": tables,
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
            "validation: {} errors, {} warnings; dedupe: {} clusters with duplicates{}; {}",
            r["validation"]["errors"].as_u64().unwrap_or(0),
            r["validation"]["warnings"].as_u64().unwrap_or(0),
            r["dedupe"]["clusters_with_duplicates"].as_u64().unwrap_or(0),
            match r["dedupe"]["model"]["saved_model"].as_str() {
                Some(m) => format!(" (scored with the saved model {m})"),
                None => String::new(),
            },
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
        for t in r["tables"].as_array().into_iter().flatten() {
            let path = t["path"].as_str().unwrap_or_default();
            lines.push(if t["loaded"].as_bool().unwrap_or(false) {
                format!(
                    "loaded {} rows into {path} (one transaction, committed with the set)",
                    t["rows"].as_u64().unwrap_or(0)
                )
            } else {
                format!("not loaded into {path}: the policy failed, the table is as it was")
            });
        }
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
/// A table holding more than this many bytes is spilled to a file in the staging folder for the stages
/// after validation (`Table::spill`): its pages are then the kernel's page cache, read back as stages need
/// them, and the job's memory is what those stages build (features, pairs, segments) rather than the whole
/// table besides. `STEWARD_SPILL_ABOVE` sets it (bytes; 0 spills every table); 512 MiB by default, some
/// 2M customers.
fn spill_above() -> Result<usize> {
    match std::env::var("STEWARD_SPILL_ABOVE") {
        Err(_) => Ok(512 << 20),
        Ok(v) => v.trim().parse().map_err(|_| {
            StewardError::usage(format!(
                "STEWARD_SPILL_ABOVE must be a number of bytes, not {v:?}"
            ))
            .into()
        }),
    }
}

/// Spill a table (`Table::spill`) into the staging folder; a failure (a full disk) names the folder and the
/// way to keep the table in memory instead.
fn spill_table(t: &mut Table, staging: &Path) -> Result<()> {
    t.spill(staging).map_err(|e| spill_error(staging, e))
}

/// A failure to spill (a full disk): the folder, and the way to keep tables in memory instead.
fn spill_error(staging: &Path, e: anyhow::Error) -> anyhow::Error {
    StewardError::new(
        crate::error::ExitCode::CantCreate,
        format!(
            "cannot spill the table to a file beside the output ({}): {e}; free space there, or set \
             STEWARD_SPILL_ABOVE to a size above the table's to keep it in memory",
            staging.parent().unwrap_or(staging).display()
        ),
    )
    .into()
}

/// The bytes a table holds: its text and an offset per value.
fn table_bytes(t: &Table) -> usize {
    t.data.iter().map(|c| c.text_len() + 4 * c.len()).sum()
}

/// The matched fields validation has judged, for dedupe (`DedupeOptions::judged`): a birth date, e-mail
/// address or phone number that validation read (as the current normalization reads it) with no error is
/// evidence, so dedupe judges again only the rows with an error on the field, or a finding whose severity
/// the schema set, numbered as in the valid rows (`keep`).
fn judged_by_validation(
    schema: &Schema,
    check: &CheckOptions,
    outcome: &crate::validate::Outcome,
    keep: &[bool],
) -> Vec<(String, Vec<u32>)> {
    use crate::dedupe::FieldKind as MK;
    if check.normalization != crate::fields::Normalization::CURRENT {
        return Vec::new();
    }
    let mut judged: Vec<(String, Vec<u32>)> = outcome
        .fields
        .iter()
        .filter(|s| {
            let Some(f) = schema.field(&s.field) else {
                return false;
            };
            matches!(
                (f.kind, crate::dedupe::match_kind(schema, &s.field)),
                (FieldKind::Date, Some(MK::Date))
                    | (FieldKind::Email, Some(MK::Email))
                    | (FieldKind::Phone, Some(MK::Phone))
            )
        })
        .map(|s| (s.field.clone(), Vec::new()))
        .collect();
    if judged.is_empty() {
        return judged;
    }
    let mut at = Vec::with_capacity(keep.len());
    let mut next = 0u32;
    for &k in keep {
        at.push(next);
        next += k as u32;
    }
    for f in &outcome.findings {
        // A warning validation raised at its own level (a number only possible, an ambiguous date) leaves the
        // value evidence; an error, or a rule whose level the schema changed, is judged again.
        let overridden = || {
            schema
                .field(f.field())
                .is_some_and(|fd| fd.rule_severity.contains_key(f.rule()) || fd.severity.is_some())
        };
        if !keep[f.row_index] || !(matches!(f.severity, Severity::Error) || overridden()) {
            continue;
        }
        if let Some((_, rows)) = judged.iter_mut().find(|(name, _)| *name == f.field()) {
            rows.push(at[f.row_index]);
        }
    }
    for (_, rows) in &mut judged {
        rows.sort_unstable();
        rows.dedup();
    }
    judged
}

//! `steward pseudonymize` and `steward reveal`: a dataset that can leave the team, and the way back for
//! encrypted columns. Rows stream from input to output; only `--k` (groups) and `--mapping` (distinct
//! tokens) hold data in memory, and the summary says so.

use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use super::{emit_json, open_all, read_options, Ui};
use crate::cli::{PseudonymizeArgs, ReportFormat, RevealArgs};
use crate::error::{ExitCode, StewardError};
use crate::fields;
use crate::io::write::{
    input_identities, AtomicFile, DatasetWriter, Destination, OutputFormat, WriteOptions,
};
use crate::privacy::generalize::Generalization;
use crate::privacy::key::Key;
use crate::privacy::mask::mask_value;
use crate::privacy::policy::{
    parse_generalize_flag, resolve_column, resolve_policy, Action, ColumnPolicy, PolicyFile,
    PolicyRequest,
};
use crate::privacy::risk;
use crate::privacy::token::{Protector, NORMALIZATION_VERSION, TOKEN_VERSION};
use crate::schema::{FieldKind, Schema};
use crate::table::{plan_import, run_import, FlatRows};
use crate::validate::{check_kind, CheckOptions};

/// What the metadata says the output is.
const STATUS_PSEUDONYMIZED: &str = "pseudonymized personal data";
const LEGAL_NOTE: &str = "Pseudonymized data is still personal data: GDPR Art. 4(5) and Recital 26; PIPL Art. 73 \
(去标识化, de-identified, is not 匿名化, anonymized). Whoever holds the key (or a mapping file) can link tokens back \
to people. Handle it under the same agreements as the source.";

#[derive(Serialize)]
struct ColumnReport {
    column: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    privacy: Option<&'static str>,
    action: &'static str,
    detail: String,
    why: String,
    /// Cells whose value the action changed.
    cells_changed: u64,
}

#[derive(Serialize)]
struct KReport {
    k: usize,
    quasi_identifiers: Vec<String>,
    /// The generalization each quasi-identifier ended at.
    generalized_to: Vec<(String, String)>,
    rows_suppressed: u64,
    k_anonymous: bool,
}

#[derive(Serialize)]
struct Metadata {
    tool: &'static str,
    version: &'static str,
    created: String,
    status: &'static str,
    legal_note: &'static str,
    key_id: Option<String>,
    domain: String,
    token_version: &'static str,
    normalization_version: &'static str,
    inputs: Vec<String>,
    output: String,
    rows_in: u64,
    rows_out: u64,
    rows_rejected: u64,
    rows_excluded_no_consent: u64,
    rows_suppressed: u64,
    columns: Vec<ColumnReport>,
    k_anonymity: Option<KReport>,
    /// Whether a token -> value mapping was written (its path is not recorded here).
    mapping_written: bool,
}

/// One column's work: where its value comes from and what to do with it.
struct Plan {
    col: usize,
    kind: FieldKind,
    action: Action,
}

/// The per-cell transformation, shared by streaming and the k-anonymity path.
struct Transformer<'a> {
    protector: Option<&'a Protector>,
    schema: &'a Schema,
    opts: CheckOptions,
    country_col: Option<usize>,
    default_region: Option<String>,
    as_of: chrono::NaiveDate,
}

impl Transformer<'_> {
    fn region(&self, row: &[String]) -> Option<String> {
        self.region_of(self.country_col.map(|c| row[c].as_str()))
    }

    /// The phone region of a row: its country, else the default region.
    fn region_of(&self, country: Option<&str>) -> Option<String> {
        country
            .map(|c| fields::country::check_country(c).value)
            .filter(|c| c.len() == 2)
            .or_else(|| self.default_region.clone())
    }

    /// The normalized form of a value (ISO dates, E.164 phones), or the cleaned value when it cannot be.
    fn normalized(&self, field: &str, kind: FieldKind, raw: &str, region: Option<&str>) -> String {
        match self.schema.field(field) {
            Some(f) => check_kind(f, raw, region, &self.opts).value,
            None => {
                let f = crate::schema::Field::new(field, kind);
                check_kind(&f, raw, region, &self.opts).value
            }
        }
    }

    fn apply<'r>(
        &self,
        name: &str,
        p: &Plan,
        raw: &'r str,
        region: Option<&str>,
        mapping: Option<&mut HashMap<String, (usize, String)>>,
    ) -> Result<Cow<'r, str>> {
        if p.action == Action::Keep {
            return Ok(Cow::Borrowed(raw));
        }
        if raw.trim().is_empty() {
            return Ok(Cow::Borrowed(""));
        }
        Ok(Cow::Owned(match p.action {
            Action::Keep | Action::Drop => String::new(),
            Action::Token => {
                let prot = self.protector.ok_or_else(|| {
                    StewardError::usage("tokens need a key: pass --key-file or set STEWARD_KEY")
                })?;
                let t = prot.token(p.kind, raw, region);
                if let Some(m) = mapping {
                    m.entry(t.clone())
                        .or_insert_with(|| (p.col, raw.trim().to_string()));
                }
                t
            }
            Action::Encrypt => {
                let prot = self.protector.ok_or_else(|| {
                    StewardError::usage(
                        "encryption needs a key: pass --key-file or set STEWARD_KEY",
                    )
                })?;
                let v = prot.encrypt(&self.normalized(name, p.kind, raw, region))?;
                if let Some(m) = mapping {
                    m.entry(v.clone())
                        .or_insert_with(|| (p.col, raw.trim().to_string()));
                }
                v
            }
            Action::Mask => mask_value(p.kind, &fields::text::clean_text(raw)),
            Action::Generalize(g) => {
                g.apply(&self.normalized(name, p.kind, raw, region), self.as_of)
            }
        }))
    }
}

fn parse_percent_or_count(s: &str, rows: u64) -> Result<u64> {
    let t = s.trim();
    let bad = || {
        StewardError::usage(format!(
            "--max-suppress takes a count or a percentage such as 5%, found {s:?}"
        ))
    };
    if let Some(p) = t.strip_suffix('%') {
        let p: f64 = p.trim().parse().map_err(|_| bad())?;
        if !(0.0..=100.0).contains(&p) {
            return Err(bad().into());
        }
        Ok((rows as f64 * p / 100.0).floor() as u64)
    } else {
        Ok(t.parse().map_err(|_| bad())?)
    }
}

pub fn pseudonymize(args: &PseudonymizeArgs, ui: Ui) -> Result<()> {
    crate::fields::phone::warm_up();
    let started = chrono::Local::now();
    let opts = read_options(&args.input, args.lenient)?;
    let schema = Schema::load_or_builtin(args.schema.schema.as_deref())?;
    let policy_file = args.policy.as_deref().map(PolicyFile::load).transpose()?;
    let domain = args
        .key
        .domain
        .clone()
        .or_else(|| policy_file.as_ref().and_then(|p| p.domain.clone()))
        .unwrap_or_else(|| "default".to_string());
    let as_of = super::as_of_date(args.as_of.as_deref())?;
    let default_region = super::region_code(args.default_region.as_deref())?;
    let format = args
        .format
        .or_else(|| OutputFormat::from_path(Path::new(&args.output)))
        .unwrap_or(OutputFormat::Csv);
    let metadata_path = match (&args.metadata, args.output.as_str()) {
        (Some(m), _) => Some(m.clone()),
        (None, "-") => None,
        (None, out) => Some(format!("{out}.meta.json")),
    };

    let (paths, sources) = open_all(&args.sources, &opts)?;
    let inputs = input_identities(&paths);
    let plan = plan_import(&schema, &sources, &args.schema.maps)?;
    let columns = &plan.columns;

    let mut flags: Vec<(Vec<String>, String)> = Vec::new();
    for (cols, action) in [
        (&args.keep, "keep"),
        (&args.mask, "mask"),
        (&args.token, "token"),
        (&args.encrypt, "encrypt"),
        (&args.drop, "drop"),
    ] {
        if !cols.is_empty() {
            flags.push((cols.clone(), action.to_string()));
        }
    }
    for g in &args.generalize {
        let (c, spec) = parse_generalize_flag(g)?;
        flags.push((vec![c], spec));
    }
    let policy = resolve_policy(
        &schema,
        columns,
        &plan.mappings,
        &PolicyRequest {
            file: policy_file.as_ref(),
            flags,
        },
    )?;
    let key = if policy.iter().any(|c| c.action.needs_key()) {
        Some(Key::required(
            args.key.key_file.as_deref(),
            "pseudonymize (its policy tokenizes or encrypts columns)",
        )?)
    } else {
        Key::from_args(args.key.key_file.as_deref())?
    };
    let protector = key.as_ref().map(|k| Protector::new(k, &domain));

    let consent_col = args
        .consent_field
        .as_deref()
        .map(|c| resolve_column(c, columns, &schema, &plan.mappings))
        .transpose()?;
    let country_col = columns.iter().position(|c| {
        schema
            .field(c)
            .is_some_and(|f| f.kind == FieldKind::Country)
    });
    let plans: Vec<Plan> = policy
        .iter()
        .enumerate()
        .map(|(i, c)| Plan {
            col: i,
            kind: c.kind.unwrap_or(FieldKind::Text),
            action: c.action,
        })
        .collect();
    let kept: Vec<usize> = plans
        .iter()
        .filter(|p| p.action != Action::Drop)
        .map(|p| p.col)
        .collect();
    if kept.is_empty() {
        return Err(
            StewardError::usage("the policy drops every column: nothing would be written").into(),
        );
    }
    let out_columns: Vec<String> = kept.iter().map(|&i| columns[i].clone()).collect();

    // Quasi-identifiers for --k: named, else the schema's quasi fields that are written.
    let quasi: Vec<usize> = if args.k.is_some() {
        if args.quasi.is_empty() {
            kept.iter()
                .copied()
                .filter(|&i| policy[i].class == Some(crate::schema::PrivacyClass::Quasi))
                .collect()
        } else {
            args.quasi
                .iter()
                .map(|q| resolve_column(q, columns, &schema, &plan.mappings))
                .collect::<Result<_>>()?
        }
    } else {
        Vec::new()
    };
    if let Some(k) = args.k {
        if k < 2 {
            return Err(StewardError::usage("--k must be at least 2").into());
        }
        if quasi.is_empty() {
            return Err(StewardError::usage(
                "--k needs quasi-identifiers: name them with --quasi (none of the schema's quasi-identifier fields is in the output)",
            )
            .into());
        }
        for &q in &quasi {
            if matches!(
                plans[q].action,
                Action::Drop | Action::Token | Action::Encrypt
            ) {
                return Err(StewardError::usage(format!(
                    "--quasi {}: the column is {} by the policy, so it cannot be generalized for k-anonymity",
                    columns[q],
                    policy[q].action.name()
                ))
                .into());
            }
        }
    }

    let t = Transformer {
        protector: protector.as_ref(),
        schema: &schema,
        opts: CheckOptions {
            default_region: default_region.clone(),
            day_first: false,
            today: as_of,
            stale_after_days: None,
        },
        country_col,
        default_region,
        as_of,
    };

    let dest = Destination::open_shareable(&args.output, args.force, &inputs)?;
    if let Some(m) = &metadata_path {
        crate::io::write::check_output_path(Path::new(m), args.force, &inputs)?;
    }
    let mut mapping_dest = match &args.mapping {
        Some(m) => Some(Destination::open_private(m, args.force, &inputs)?),
        None => None,
    };
    let n_out = out_columns.len();
    let mut integer_columns = vec![false; n_out];
    if out_columns.last().map(String::as_str) == Some(crate::table::ROW_COLUMN) {
        integer_columns[n_out - 1] = true;
    }
    let mut writer = DatasetWriter::new(
        dest,
        &out_columns,
        WriteOptions {
            format,
            formula_guard: !args.no_formula_guard,
            integer_columns,
        },
    )?;

    let mut changed = vec![0u64; columns.len()];
    let mut mapping: Option<HashMap<String, (usize, String)>> =
        mapping_dest.as_ref().map(|_| HashMap::new());
    let mut excluded = 0u64;
    let mut rejected_lines: Vec<(String, u64)> = Vec::new();
    // With --k: rows held until the groups are known, with their quasi-identifiers normalized.
    let mut held: Vec<Vec<String>> = Vec::new();
    let mut held_quasi: Vec<Vec<String>> = vec![Vec::new(); quasi.len()];
    let mut out_row: Vec<String> = Vec::with_capacity(n_out);
    let pb = ui.progress("pseudonymizing");
    let mut done = 0u64;
    let counts = if args.k.is_none() && mapping.is_none() {
        // Rows stream: read here, transformed on every core, written in order by a worker.
        let needs_region = plans.iter().any(|p| {
            p.kind == FieldKind::Phone && matches!(p.action, Action::Token | Action::Encrypt)
        });
        let job = ParallelJob {
            t: &t,
            columns,
            plans: &plans,
            kept: &kept,
            consent_col,
            needs_region,
        };
        let (counts, w, ch, ex) = job.run(&plan, &sources, writer, &pb, &mut rejected_lines)?;
        writer = w;
        changed = ch;
        excluded = ex;
        counts
    } else {
        run_import(
            &plan,
            &sources,
            |row| {
                done += 1;
                if done.is_multiple_of(4096) {
                    pb.set_position(done);
                }
                if let Some(c) = consent_col {
                    if fields::enums::check_boolean(&row[c]).value != "true" {
                        excluded += 1;
                        return Ok(());
                    }
                }
                let region = t.region(row);
                out_row.clear();
                for &i in &kept {
                    let v = t.apply(
                        &columns[i],
                        &plans[i],
                        &row[i],
                        region.as_deref(),
                        mapping.as_mut(),
                    )?;
                    if v != row[i].as_str() {
                        changed[i] += 1;
                    }
                    out_row.push(v.into_owned());
                }
                if args.k.is_some() {
                    for (qi, &q) in quasi.iter().enumerate() {
                        held_quasi[qi].push(t.normalized(
                            &columns[q],
                            plans[q].kind,
                            &row[q],
                            region.as_deref(),
                        ));
                    }
                    held.push(std::mem::take(&mut out_row));
                    Ok(())
                } else {
                    writer.write_row(&out_row)
                }
            },
            |info, rej| {
                rejected_lines.push((info.label.clone(), rej.row));
                Ok(())
            },
        )?
    };
    pb.finish_and_clear();

    let mut suppressed = 0u64;
    let mut k_report = None;
    if let Some(k) = args.k {
        let (levels, keep_row) = enforce_k(
            k,
            &quasi,
            &plans,
            &held_quasi,
            parse_percent_or_count(&args.max_suppress, held.len() as u64)?,
            as_of,
        );
        let out_pos: Vec<usize> = quasi
            .iter()
            .map(|q| {
                kept.iter()
                    .position(|k| k == q)
                    .expect("quasi columns are written")
            })
            .collect();
        for (r, row) in held.iter_mut().enumerate() {
            if !keep_row[r] {
                suppressed += 1;
                continue;
            }
            for (qi, &pos) in out_pos.iter().enumerate() {
                if let Some(g) = levels[qi] {
                    let v = g.apply(&held_quasi[qi][r], as_of);
                    if v != row[pos] {
                        // Counted once per cell: the first pass may have kept it as it was.
                        if plans[quasi[qi]].action == Action::Keep {
                            changed[quasi[qi]] += 1;
                        }
                    }
                    row[pos] = v;
                }
            }
            writer.write_row(row)?;
        }
        k_report = Some(KReport {
            k,
            quasi_identifiers: quasi.iter().map(|&q| columns[q].clone()).collect(),
            generalized_to: quasi
                .iter()
                .zip(&levels)
                .map(|(&q, g)| {
                    (
                        columns[q].clone(),
                        g.map(|g| g.describe())
                            .unwrap_or_else(|| "kept as it was".into()),
                    )
                })
                .collect(),
            rows_suppressed: suppressed,
            k_anonymous: true,
        });
    }
    let stats = writer.finish()?;

    if let (Some(dest), Some(map)) = (mapping_dest.take(), mapping.as_ref()) {
        let cols: Vec<String> = ["token", "column", "value"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut w = DatasetWriter::new(
            dest,
            &cols,
            WriteOptions {
                format: OutputFormat::Csv,
                formula_guard: true,
                integer_columns: vec![],
            },
        )?;
        let mut entries: Vec<(&String, &(usize, String))> = map.iter().collect();
        entries.sort();
        for (tok, (col, val)) in entries {
            w.write_row(&[tok.as_str(), columns[*col].as_str(), val.as_str()])?;
        }
        w.finish()?;
    }

    let rows_out = stats.rows;
    let col_reports: Vec<ColumnReport> = policy
        .iter()
        .enumerate()
        .map(|(i, c)| column_report(c, changed[i], &schema))
        .collect();
    let meta = Metadata {
        tool: "steward",
        version: env!("CARGO_PKG_VERSION"),
        created: chrono::Local::now().to_rfc3339(),
        status: STATUS_PSEUDONYMIZED,
        legal_note: LEGAL_NOTE,
        key_id: key.as_ref().map(|k| k.id()),
        domain: domain.clone(),
        token_version: TOKEN_VERSION,
        normalization_version: NORMALIZATION_VERSION,
        inputs: paths.clone(),
        output: args.output.clone(),
        rows_in: counts.rows_in,
        rows_out,
        rows_rejected: counts.rows_rejected,
        rows_excluded_no_consent: excluded,
        rows_suppressed: suppressed,
        columns: col_reports,
        k_anonymity: k_report,
        mapping_written: args.mapping.is_some(),
    };
    if let Some(m) = &metadata_path {
        let mut f = AtomicFile::create(Path::new(m))?;
        f.make_shareable();
        serde_json::to_writer_pretty(f.file(), &meta)?;
        f.commit()?;
    }

    let mut outs: Vec<(&str, &str)> = vec![("output", args.output.as_str())];
    if let Some(m) = &metadata_path {
        outs.push(("metadata", m.as_str()));
    }
    if let Some(m) = &args.mapping {
        outs.push(("mapping", m.as_str()));
    }
    crate::report::write_manifest(
        "pseudonymize",
        started,
        &paths,
        &outs,
        serde_json::json!({"rows_in": meta.rows_in, "rows_out": meta.rows_out, "rows_rejected": meta.rows_rejected, "rows_excluded_no_consent": meta.rows_excluded_no_consent, "rows_suppressed": meta.rows_suppressed}),
        meta.key_id.clone(),
    )?;
    if args.report_format == ReportFormat::Json {
        return emit_json(&meta, args.output == "-");
    }
    let out_name = if args.output == "-" {
        "stdout"
    } else {
        args.output.as_str()
    };
    ui.say(format!(
        "pseudonymized {} rows into {out_name}: {} in = {} written + {} rejected + {} without consent + {} suppressed",
        rows_out, counts.rows_in, rows_out, counts.rows_rejected, excluded, suppressed
    ));
    if let Some(k) = &key {
        ui.say(format!(
            "key {}, domain {domain:?}, {TOKEN_VERSION}/{NORMALIZATION_VERSION}",
            k.id()
        ));
    }
    for c in &meta.columns {
        ui.say(format!(
            "  {:<20} {:<40} {:>7} changed  [{}]",
            c.column, c.detail, c.cells_changed, c.why
        ));
    }
    if let Some(k) = &meta.k_anonymity {
        ui.say(format!(
            "k-anonymity: every group of {} has at least {} records; {} record(s) suppressed; {}",
            k.quasi_identifiers.join(", "),
            k.k,
            k.rows_suppressed,
            k.generalized_to
                .iter()
                .map(|(c, g)| format!("{c}: {g}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !rejected_lines.is_empty() {
        let shown: Vec<String> = rejected_lines
            .iter()
            .take(5)
            .map(|(s, l)| format!("{s} line {l}"))
            .collect();
        ui.say(format!(
            "{} malformed row(s) skipped (not written anywhere, since they hold personal data): {}",
            rejected_lines.len(),
            shown.join(", ")
        ));
    }
    if stats.neutralized_cells > 0 {
        ui.say(format!(
            "formula guard: {} cell(s) a spreadsheet would run as a formula written with a leading '",
            stats.neutralized_cells
        ));
    }
    if args.mapping.is_some() {
        ui.say("mapping: token -> value written with mode 0600; it re-identifies people, keep it apart from the data");
    }
    if args.k.is_some() || args.mapping.is_some() {
        ui.say("memory: --k and --mapping hold rows or distinct values in memory; without them rows stream");
    }
    if let Some(m) = &metadata_path {
        ui.say(format!(
            "metadata: {m} (status: {STATUS_PSEUDONYMIZED}; the key itself is recorded nowhere)"
        ));
    }
    Ok(())
}

/// The streaming path of `pseudonymize`: pieces of rows read, transformed and encoded on every core, written
/// in order.
struct ParallelJob<'a> {
    t: &'a Transformer<'a>,
    columns: &'a [String],
    plans: &'a [Plan],
    kept: &'a [usize],
    consent_col: Option<usize>,
    needs_region: bool,
}

/// A piece's output: encoded (CSV, TSV, JSON lines) or as rows for the writer (Parquet, xlsx).
enum PieceOut {
    Encoded(crate::io::write::EncodedRows),
    Rows(FlatRows),
}

/// What the work on one piece gives: its output, changed cells per column, rows left out for consent.
struct PieceDone {
    out: PieceOut,
    changed: Vec<u64>,
    excluded: u64,
}

impl ParallelJob<'_> {
    fn piece(
        &self,
        batch: &FlatRows,
        encoder: Option<&crate::io::write::RowEncoder>,
    ) -> Result<PieceDone> {
        let n = batch.len();
        let mut buf = encoder.map(|e| e.buffer(batch.text_len() * 2));
        let mut rows = FlatRows::new(
            if buf.is_some() { 0 } else { self.kept.len() },
            if buf.is_some() { 0 } else { n },
        );
        let mut changed = vec![0u64; self.columns.len()];
        let mut excluded = 0u64;
        // The phone region of each distinct country value (a handful): no allocation per row.
        let mut regions: foldhash::HashMap<String, Option<String>> = Default::default();
        // Emptied after each row and reused (the cells borrow this row's tokens).
        let mut spare_cells: Vec<Cow<'static, str>> = Vec::with_capacity(self.kept.len());
        // Tokens are written into buffers kept for the piece (one per kept column), not allocated per cell.
        let token_cols: Vec<bool> = self
            .kept
            .iter()
            .map(|&i| self.plans[i].action == Action::Token && self.t.protector.is_some())
            .collect();
        let mut tokens: Vec<String> = vec![String::new(); self.kept.len()];
        for r in 0..n {
            if let Some(c) = self.consent_col {
                if fields::enums::check_boolean(batch.cell(r, c)).value != "true" {
                    excluded += 1;
                    continue;
                }
            }
            let region: Option<&str> = match (self.needs_region, self.t.country_col) {
                (true, Some(c)) => {
                    let raw = batch.cell(r, c);
                    if !regions.contains_key(raw) {
                        if regions.len() >= 1024 {
                            // Free-text countries: keep the map small.
                            regions.clear();
                        }
                        regions.insert(raw.to_string(), self.t.region_of(Some(raw)));
                    }
                    regions.get(raw).and_then(|r| r.as_deref())
                }
                _ => self.t.default_region.as_deref(),
            };
            for (k, &i) in self.kept.iter().enumerate() {
                if let (true, Some(prot)) = (token_cols[k], self.t.protector) {
                    let raw = batch.cell(r, i);
                    tokens[k].clear();
                    if !raw.trim().is_empty() {
                        prot.token_into(self.plans[i].kind, raw, region, &mut tokens[k]);
                        if tokens[k] != raw {
                            changed[i] += 1;
                        }
                    }
                }
            }
            let mut cells: Vec<Cow<str>> = std::mem::take(&mut spare_cells);
            for (k, &i) in self.kept.iter().enumerate() {
                if token_cols[k] {
                    cells.push(Cow::Borrowed(tokens[k].as_str()));
                    continue;
                }
                let raw = batch.cell(r, i);
                let v = self
                    .t
                    .apply(&self.columns[i], &self.plans[i], raw, region, None)?;
                if matches!(&v, Cow::Owned(o) if o != raw) {
                    changed[i] += 1;
                }
                cells.push(v);
            }
            match &mut buf {
                Some(b) => b.write_row(&cells)?,
                None => rows.push(&cells),
            }
            cells.clear();
            // An empty vector changes its lifetime in place, keeping its allocation.
            spare_cells = cells.into_iter().map(|_| Cow::Borrowed("")).collect();
        }
        let out = match buf {
            Some(b) => PieceOut::Encoded(b.finish()?),
            None => PieceOut::Rows(rows),
        };
        Ok(PieceDone {
            out,
            changed,
            excluded,
        })
    }

    #[allow(clippy::type_complexity)]
    fn run(
        &self,
        plan: &crate::table::ImportPlan,
        sources: &[crate::io::Source],
        mut writer: DatasetWriter,
        pb: &indicatif::ProgressBar,
        rejected: &mut Vec<(String, u64)>,
    ) -> Result<(crate::table::ImportCounts, DatasetWriter, Vec<u64>, u64)> {
        let encoder = writer.encoder();
        let mut changed = vec![0u64; self.columns.len()];
        let mut excluded = 0u64;
        let mut done = 0u64;
        let counts = crate::table::run_import_parallel(
            plan,
            sources,
            |piece| self.piece(&piece.rows, encoder.as_ref()),
            |piece, d| {
                done += piece.rows.len() as u64;
                pb.set_position(done);
                for (si, rej) in &piece.rejects {
                    rejected.push((sources[*si].info.label.clone(), rej.row));
                }
                match d.out {
                    PieceOut::Encoded(e) => writer.write_encoded(e)?,
                    PieceOut::Rows(rows) => {
                        for r in 0..rows.len() {
                            writer.write_row(&rows.row(r))?;
                        }
                    }
                }
                for (a, b) in changed.iter_mut().zip(d.changed) {
                    *a += b;
                }
                excluded += d.excluded;
                Ok(())
            },
        )?;
        Ok((counts, writer, changed, excluded))
    }
}

fn column_report(c: &ColumnPolicy, changed: u64, schema: &Schema) -> ColumnReport {
    ColumnReport {
        column: c.column.clone(),
        field: schema.field(&c.column).map(|f| f.name.clone()),
        privacy: c.class.map(|p| p.as_str()),
        action: c.action.name(),
        detail: c.action.describe(),
        why: c.why.clone(),
        cells_changed: changed,
    }
}

/// Datafly-style k-anonymity: while more records than allowed sit in groups smaller than k, coarsen the
/// quasi-identifier with the most distinct values by one step; then suppress the records still below k.
/// Returns the final generalization per quasi-identifier (`None`: kept as it was) and which rows stay.
fn enforce_k(
    k: usize,
    quasi: &[usize],
    plans: &[Plan],
    values: &[Vec<String>],
    max_suppress: u64,
    as_of: chrono::NaiveDate,
) -> (Vec<Option<Generalization>>, Vec<bool>) {
    let rows = values.first().map(Vec::len).unwrap_or(0);
    let mut levels: Vec<Option<Generalization>> = quasi
        .iter()
        .map(|&q| match plans[q].action {
            Action::Generalize(g) => Some(g),
            _ => None,
        })
        .collect();
    loop {
        let current: Vec<Vec<String>> = values
            .iter()
            .zip(&levels)
            .map(|(col, g)| match g {
                Some(g) => col.iter().map(|v| g.apply(v, as_of)).collect(),
                None => col.clone(),
            })
            .collect();
        let keys: Vec<&[String]> = current.iter().map(|c| c.as_slice()).collect();
        let all: Vec<usize> = (0..quasi.len()).collect();
        let sizes = risk::group_sizes(&keys, rows, &all);
        let below = sizes.iter().filter(|&&s| (s as usize) < k).count() as u64;
        if below <= max_suppress {
            return (levels, sizes.iter().map(|&s| s as usize >= k).collect());
        }
        // Coarsen the column with the most distinct values that can still be coarsened.
        let mut best: Option<(usize, usize)> = None;
        for (qi, col) in current.iter().enumerate() {
            let next = match levels[qi] {
                Some(g) => g.coarser(),
                None => {
                    let len = values[qi]
                        .iter()
                        .map(|v| v.chars().count())
                        .max()
                        .unwrap_or(0);
                    Some(Generalization::first_step(plans[quasi[qi]].kind, len))
                }
            };
            if next.is_none() {
                continue;
            }
            let distinct = col.iter().collect::<std::collections::HashSet<_>>().len();
            if best.is_none_or(|(_, d)| distinct > d) {
                best = Some((qi, distinct));
            }
        }
        match best {
            Some((qi, _)) => {
                levels[qi] = match levels[qi] {
                    Some(g) => g.coarser(),
                    None => {
                        let len = values[qi]
                            .iter()
                            .map(|v| v.chars().count())
                            .max()
                            .unwrap_or(0);
                        Some(Generalization::first_step(plans[quasi[qi]].kind, len))
                    }
                };
            }
            None => return (levels, sizes.iter().map(|&s| s as usize >= k).collect()),
        }
    }
}

#[derive(Serialize)]
struct RevealSummary {
    rows: u64,
    cells_decrypted: u64,
    cells_not_decrypted: u64,
}

pub fn reveal(args: &RevealArgs, ui: Ui) -> Result<()> {
    let started = chrono::Local::now();
    let opts = read_options(&args.input, false)?;
    let key = Key::required(args.key.key_file.as_deref(), "reveal")?;
    let domain = args.key.domain.clone().unwrap_or_else(|| "default".into());
    let prot = Protector::new(&key, &domain);
    let (paths, sources) = open_all(&args.sources, &opts)?;
    let inputs = input_identities(&paths);
    if sources.len() != 1 {
        return Err(StewardError::usage("reveal reads one table at a time").into());
    }
    let src = &sources[0];
    let headers = &src.info.headers;
    let selected: Vec<bool> = if args.columns.is_empty() {
        vec![true; headers.len()]
    } else {
        let mut sel = vec![false; headers.len()];
        for c in &args.columns {
            match headers.iter().position(|h| h == c) {
                Some(i) => sel[i] = true,
                None => {
                    return Err(StewardError::usage(format!(
                        "no column {c:?}; the columns are: {}",
                        headers.join(", ")
                    ))
                    .into())
                }
            }
        }
        sel
    };
    let format = OutputFormat::from_path(Path::new(&args.output)).unwrap_or(OutputFormat::Csv);
    let dest = Destination::open(&args.output, args.force, &inputs)?;
    let mut w = DatasetWriter::new(
        dest,
        headers,
        WriteOptions {
            format,
            formula_guard: true,
            integer_columns: vec![],
        },
    )?;
    let mut s = RevealSummary {
        rows: 0,
        cells_decrypted: 0,
        cells_not_decrypted: 0,
    };
    let mut out: Vec<String> = Vec::new();
    src.for_each(|item| {
        if let crate::io::Item::Row(r) = item {
            s.rows += 1;
            out.clear();
            for (i, v) in r.fields.iter().enumerate() {
                // A formula-guarded cell was written with a leading apostrophe.
                let body = v.strip_prefix('\'').unwrap_or(v);
                if selected.get(i).copied().unwrap_or(false)
                    && body.starts_with(crate::privacy::token::ENC_PREFIX)
                {
                    match prot.decrypt(body) {
                        Some(p) => {
                            s.cells_decrypted += 1;
                            out.push(p);
                        }
                        None => {
                            s.cells_not_decrypted += 1;
                            out.push(v.to_string());
                        }
                    }
                } else {
                    out.push(v.to_string());
                }
            }
            w.write_row(&out)?;
        }
        Ok(())
    })?;
    w.finish()?;
    crate::report::write_manifest(
        "reveal",
        started,
        &paths,
        &[("output", args.output.as_str())],
        serde_json::json!({"rows": s.rows, "cells_decrypted": s.cells_decrypted, "cells_not_decrypted": s.cells_not_decrypted}),
        Some(key.id()),
    )?;
    ui.say(format!(
        "revealed {} cell(s) in {} row(s); {} encrypted-looking cell(s) could not be decrypted with key {} and domain {domain:?}",
        s.cells_decrypted,
        s.rows,
        s.cells_not_decrypted,
        key.id()
    ));
    if s.cells_not_decrypted > 0 && s.cells_decrypted == 0 {
        return Err(StewardError::new(
            ExitCode::DataErr,
            "no value could be decrypted: wrong key or domain?",
        )
        .into());
    }
    Ok(())
}

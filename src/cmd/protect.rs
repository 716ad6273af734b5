//! `steward pseudonymize`: a dataset that can leave the team. Rows stream from input to output; only `--k`
//! (groups) and `--mapping` (distinct tokens) hold data in memory, and the summary says so. The work is
//! `privacy::pseudonymize`; this wires arguments, sources and outputs.

use anyhow::Result;

use super::{emit_json, open_all, read_options, Ui};
use crate::cli::{PseudonymizeArgs, ReportFormat};
use crate::io::outputs::Outputs;
use crate::io::workbook::{source_names, About};
use crate::io::write::{
    input_identities, write_dataset, DatasetWriter, Destination, OutputFormat, WriteOptions,
};
use crate::privacy::kanon::MaxSuppress;
use crate::privacy::key::Key;
use crate::privacy::policy::PolicyFile;
use crate::privacy::pseudonymize::{
    column_policy, Mapping, Metadata, PieceOut, Protection, Provenance, PseudonymizeOptions,
    Pseudonymizer, STATUS_PSEUDONYMIZED,
};
use crate::table::{plan_import, run_import, run_import_parallel};

/// The stage's options from the command line (the policy file read, dates and regions checked).
fn options(args: &PseudonymizeArgs) -> Result<PseudonymizeOptions> {
    Ok(PseudonymizeOptions {
        keep: args.keep.clone(),
        no_scan: args.no_scan.clone(),
        mask: args.mask.clone(),
        token: args.token.clone(),
        encrypt: args.encrypt.clone(),
        drop: args.drop.clone(),
        generalize: args.generalize.clone(),
        policy: args.policy.as_deref().map(PolicyFile::load).transpose()?,
        domain: args.key.domain.clone(),
        normalization: args.normalization,
        as_of: super::as_of_date(args.as_of.as_deref())?,
        default_region: super::region_code(args.default_region.as_deref())?,
        consent_field: args.consent_field.clone(),
        k: args.k,
        quasi: args.quasi.clone(),
        // Read only with --k, which is the only user of it.
        max_suppress: match args.k {
            Some(_) => MaxSuppress::parse(&args.max_suppress)?,
            None => MaxSuppress::default(),
        },
    })
}

pub fn pseudonymize(args: &PseudonymizeArgs, ui: Ui) -> Result<()> {
    crate::fields::phone::warm_up();
    let started = chrono::Local::now();
    let read = read_options(&args.input, args.lenient)?;
    let schema = args.schema.load()?;
    let opts = options(args)?;
    let format = super::data_format(&args.output, &args.data, &args.report, ui)?;
    let metadata_path = match (&args.metadata, args.output.as_str()) {
        (Some(m), _) => Some(m.clone()),
        (None, "-") => None,
        // A table has no folder to hold it beside: --metadata FILE names one.
        (None, out) if crate::io::db::is_database(out) => None,
        (None, out) => Some(format!("{out}.meta.json")),
    };

    let (paths, sources) = open_all(&args.sources, &read)?;
    let inputs = input_identities(&paths);
    let plan = plan_import(&schema, &sources, &args.schema.maps)?;
    let policy = column_policy(&schema, &plan.columns, &plan.mappings, &opts)?;
    let key = if policy.iter().any(|c| c.action.needs_key()) {
        Some(Key::required(
            args.key.key_file.as_deref(),
            "pseudonymize (its policy tokenizes or encrypts columns)",
        )?)
    } else {
        Key::from_args(args.key.key_file.as_deref())?
    };
    let p = Pseudonymizer::new(
        &schema,
        &plan.columns,
        &plan.mappings,
        policy,
        &opts,
        key.as_ref(),
    )?;

    // Every column of a created table as text: tokens and generalized values are not their kinds' values.
    let mut files = Outputs::new(args.force, &inputs)
        .with_db_target(args.db_out.target_for(Some(&args.output))?);
    let dest = files
        .open_shareable("output", &args.output)?
        .with_bom(args.data.bom.bom);
    let mut metadata_file = match &metadata_path {
        Some(m) => Some(files.file("metadata", m)?),
        None => None,
    };
    let mut mapping_dest = match &args.mapping {
        Some(m) => Some(files.open_private("mapping", m)?),
        None => None,
    };
    let names = source_names(sources.iter().map(|s| s.info.label.as_str()));
    let out_columns = p.out_columns();
    let n_out = out_columns.len();
    let mut integer_columns = vec![false; n_out];
    if out_columns.last().map(String::as_str) == Some(crate::table::ROW_COLUMN) {
        integer_columns[n_out - 1] = true;
    }
    let mut writer = DatasetWriter::new(
        dest,
        out_columns,
        WriteOptions {
            integer_columns,
            ..WriteOptions::new(format, !args.no_formula_guard)
        }
        .typed(p.out_cell_types())
        .about(
            About::new(
                "Pseudonymized customer table written by steward pseudonymize",
                names.clone(),
            )
            .protected(p.about_lines()),
        ),
    )?;

    let mut tally = p.tally();
    let mut mapping: Option<Mapping> = mapping_dest.as_ref().map(|_| Mapping::new());
    let mut rejected_lines: Vec<(String, u64)> = Vec::new();
    let mut held = p.held();
    let pb = ui.progress("pseudonymizing");
    let mut done = 0u64;
    let counts = if !p.holds_rows() && mapping.is_none() {
        // Rows stream: read here, transformed on every core, written in order.
        let encoder = writer.encoder();
        run_import_parallel(
            &plan,
            &sources,
            |piece| p.piece(&piece.rows, encoder.as_ref()),
            |piece, d| {
                done += piece.rows.len() as u64;
                pb.set_rows(done);
                for (si, rej) in &piece.rejects {
                    rejected_lines.push((sources[*si].info.label.clone(), rej.row));
                }
                match d.out {
                    PieceOut::Encoded(e) => writer.write_encoded(e)?,
                    PieceOut::Rows(rows) => {
                        for r in 0..rows.len() {
                            writer.write_row(&rows.row(r))?;
                        }
                    }
                }
                tally.add(&d.tally);
                Ok(())
            },
        )?
    } else {
        let mut out_row: Vec<String> = Vec::with_capacity(n_out);
        run_import(
            &plan,
            &sources,
            |row| {
                done += 1;
                if done.is_multiple_of(4096) {
                    pb.set_rows(done);
                }
                if p.holds_rows() {
                    p.hold(row, &mut tally, mapping.as_mut(), &mut held)
                } else if p.row(row, &mut tally, mapping.as_mut(), &mut out_row)? {
                    writer.write_row(&out_row)
                } else {
                    Ok(())
                }
            },
            |info, rej| {
                rejected_lines.push((info.label.clone(), rej.row));
                Ok(())
            },
        )?
    };
    pb.finish();
    let (rows, k_report) = p.anonymize(held, &mut tally);
    for row in &rows {
        writer.write_row(row)?;
    }
    let stats = writer.finish()?;

    if let (Some(dest), Some(map)) = (mapping_dest.take(), mapping.as_ref()) {
        write_mapping(
            dest,
            super::file_format(args.mapping.as_deref().unwrap_or_default()),
            &p,
            map,
            names,
        )?;
    }

    let protection = p.protection(&tally, stats.rows, k_report);
    let meta = Metadata::new(
        protection.clone(),
        Provenance {
            inputs: paths.clone(),
            output: args.output.clone(),
            rows_in: counts.rows_in,
            rows_out: stats.rows,
            rows_rejected: counts.rows_rejected,
            mapping_written: args.mapping.is_some(),
            created: chrono::Local::now(),
        },
    );
    if let Some(mut f) = metadata_file.take() {
        f.make_shareable();
        serde_json::to_writer_pretty(&mut f, &meta)?;
        f.commit()?;
    }

    crate::report::write_manifest(
        &mut files,
        "output",
        "pseudonymize",
        started,
        &super::read_inputs(&paths, &sources),
        serde_json::json!({"rows_in": meta.rows_in, "rows_out": meta.rows_out, "rows_rejected": meta.rows_rejected, "rows_excluded_no_consent": meta.rows_excluded_no_consent, "rows_suppressed": meta.rows_suppressed}),
        meta.key_id.clone(),
    )?;
    files.commit()?;
    if args.report.summary() == ReportFormat::Json {
        return emit_json(&meta, args.output == "-");
    }
    let source_lines = super::source_lines(&super::source_summaries(&sources));
    say_summary(
        ui,
        args,
        &meta,
        &protection,
        &rejected_lines,
        stats.neutralized_cells,
        source_lines,
    );
    if let Some(m) = &metadata_path {
        ui.say(format!(
            "metadata: {m} (status: {STATUS_PSEUDONYMIZED}; the key itself is recorded nowhere)"
        ));
    }
    Ok(())
}

/// The token -> value file, sorted by token.
fn write_mapping(
    dest: Destination,
    format: OutputFormat,
    p: &Pseudonymizer,
    map: &Mapping,
    sources: Vec<String>,
) -> Result<()> {
    let cols: Vec<String> = ["token", "column", "value"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let about = About::new(
        "Token mapping of steward pseudonymize: each token with the original value it stands for; it \
         re-identifies people, keep it apart from the data",
        sources,
    );
    write_dataset(
        dest,
        &cols,
        WriteOptions::new(format, true).about(about),
        |w| {
            p.mapping_rows(map)
                .iter()
                .try_for_each(|row| w.write_row(row))
        },
    )?;
    Ok(())
}

fn say_summary(
    ui: Ui,
    args: &PseudonymizeArgs,
    meta: &Metadata,
    protection: &Protection,
    rejected_lines: &[(String, u64)],
    neutralized_cells: u64,
    source_lines: Vec<String>,
) {
    let out_name = if args.output == "-" {
        "stdout"
    } else {
        args.output.as_str()
    };
    ui.say(format!(
        "pseudonymized {} rows into {out_name}: {} in = {} written + {} rejected + {} without consent + {} suppressed",
        meta.rows_out, meta.rows_in, meta.rows_out, meta.rows_rejected, meta.rows_excluded_no_consent, meta.rows_suppressed
    ));
    for line in source_lines {
        ui.say(line);
    }
    for line in protection.lines() {
        ui.say(line);
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
    if neutralized_cells > 0 {
        ui.say(format!(
            "formula guard: {neutralized_cells} cell(s) starting with =, +, -, @ written with a leading '"
        ));
    }
    if args.mapping.is_some() {
        ui.say("mapping: token -> value written with mode 0600; it re-identifies people, keep it apart from the data");
    }
    if args.k.is_some() || args.mapping.is_some() {
        ui.say("memory: --k and --mapping hold rows or distinct values in memory; without them rows stream");
    }
}

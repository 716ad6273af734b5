//! `steward import`: read one or many sources, map them onto the schema, and write one table
//! (fields in schema order, unmapped columns, `_source`, `_row`) atomically; malformed rows fail or go to rejects.

use anyhow::Result;
use std::path::Path;

use super::{open_all, read_options, Ui};
use crate::cli::ImportArgs;
use crate::io::outputs::Outputs;
use crate::io::workbook::{column_types, source_names, About};
use crate::io::write::{
    check_output_path, input_identities, write_vecs, DatasetWriter, OutputFormat, WriteOptions,
};
use crate::io::Reject;
use crate::table::{plan_import, run_import};

/// The default rejects file: beside the output, `OUT.rejects.csv` (or `rejects.csv` for stdout).
pub fn default_rejects_path(output: &str) -> String {
    // Beside stdout or a database table there is no folder: the current one.
    if output == "-" || crate::io::db::is_database(output) {
        return "rejects.csv".to_string();
    }
    let p = Path::new(output);
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".to_string());
    p.with_file_name(format!("{stem}.rejects.csv"))
        .display()
        .to_string()
}

pub fn run(args: &ImportArgs, ui: Ui) -> Result<()> {
    let started = chrono::Local::now();
    let opts = read_options(&args.input, args.lenient)?;
    let schema = args.schema.load()?;
    let format = super::data_format(&args.output, &args.data, &args.report, ui)?;
    let json = args.report.is_json();
    let rejects_path = args.lenient.then(|| {
        args.rejects
            .clone()
            .unwrap_or_else(|| default_rejects_path(&args.output))
    });

    let (paths, sources) = open_all(&args.sources, &opts)?;
    let inputs = input_identities(&paths);
    if let Some(r) = &rejects_path {
        check_output_path(Path::new(r), args.force, &inputs)?;
        let device = std::fs::metadata(r).is_ok_and(|m| !m.is_file() && !m.is_dir());
        if r == &args.output && !device {
            return Err(
                crate::error::StewardError::usage("--rejects must differ from the output").into(),
            );
        }
    }
    let plan = plan_import(&schema, &sources, &args.schema.maps)?;
    let mut files = Outputs::new(args.force, &inputs).with_db_target(
        args.db_out
            .target_for(Some(&args.output))?
            .typed_by(args.schema.schema.as_deref())?,
    );
    let dest = files
        .open("output", &args.output)?
        .with_bom(args.data.bom.bom);
    let n = plan.columns.len();
    let mut integer_columns = vec![false; n];
    integer_columns[n - 1] = true;
    // Only the columns mapped onto schema fields have a kind; the others stay text.
    let mut cell_types = column_types(&schema, &plan.columns[..plan.mapped_fields]);
    cell_types.resize(n, None);
    let names = source_names(sources.iter().map(|s| s.info.label.as_str()));
    let about = About::new(
        "Customer table imported by steward import: the sources' rows mapped onto the schema's fields, \
         values as read",
        names.clone(),
    );
    let mut writer = DatasetWriter::new(
        dest,
        &plan.columns,
        WriteOptions {
            integer_columns,
            ..WriteOptions::new(format, !args.no_formula_guard)
        }
        .typed(cell_types)
        .about(about),
    )?;
    let mut rejects: Vec<(String, Reject)> = Vec::new();
    let progress = ui.progress("importing");
    let mut done = 0u64;
    let counts = run_import(
        &plan,
        &sources,
        |row| {
            // The bar reads the clock on each update: update it every few thousand rows.
            done += 1;
            if done.is_multiple_of(4096) {
                progress.set_rows(done);
            }
            writer.write_row(row)
        },
        |info, rej| {
            rejects.push((info.label.clone(), rej));
            Ok(())
        },
    )?;
    progress.finish();
    let stats = writer.finish()?;
    if let Some(r) = &rejects_path {
        let cols: Vec<String> = ["_source", "_row", "reason", "raw"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        write_vecs(
            files.open("rejects", r)?.with_bom(args.data.bom.bom),
            &cols,
            rejects.iter().map(|(src, rej)| {
                vec![
                    src.clone(),
                    rej.row.to_string(),
                    rej.reason.clone(),
                    rej.raw.clone(),
                ]
            }),
            WriteOptions::new(OutputFormat::for_path(r, None), true).about(About::new(
                "Rows steward import could not read (rejects), with the reason and their raw text",
                names,
            )),
        )?;
    }

    crate::report::write_manifest(
        &mut files,
        "output",
        "import",
        started,
        &super::read_inputs(&paths, &sources),
        serde_json::json!({"rows_in": counts.rows_in, "rows_out": counts.rows_out, "rows_rejected": counts.rows_rejected, "formula_guard_cells": stats.neutralized_cells}),
        None,
    )?;
    files.commit()?;
    let unmapped = n - 2 - plan.mapped_fields;
    if json {
        let notes: Vec<String> = sources
            .iter()
            .flat_map(|s| {
                s.info
                    .notes
                    .iter()
                    .map(|n| format!("{}: {n}", s.info.label))
            })
            .collect();
        let summary = serde_json::json!({
            "rows_in": counts.rows_in,
            "rows_out": counts.rows_out,
            "rows_rejected": counts.rows_rejected,
            "sources": sources.len(),
            "output": args.output,
            "format": format,
            "columns_mapped": plan.mapped_fields,
            "columns_unmapped": unmapped,
            "rejects": rejects_path,
            "formula_guard_cells": stats.neutralized_cells,
            "notes": notes,
        });
        let outputs = [Some(args.output.as_str()), rejects_path.as_deref()];
        return super::emit_json(&summary, super::any_on_stdout(outputs));
    }
    // Summary: counts reconcile, then what a steward should know.
    let out_name = match (&args.output, &args.db_out.out_table) {
        (o, _) if o == "-" => "stdout".to_string(),
        (o, Some(t)) if crate::io::db::is_database(o) => {
            format!("{}#{t}", crate::io::db::redact(o))
        }
        (o, _) => o.clone(),
    };
    ui.say(format!(
        "imported {} rows from {} source(s) into {out_name}: {} in = {} written + {} rejected",
        counts.rows_out,
        sources.len(),
        counts.rows_in,
        counts.rows_out,
        counts.rows_rejected
    ));
    for line in super::source_lines(&super::source_summaries(&sources)) {
        ui.say(line);
    }
    ui.say(format!(
        "columns: {} mapped to schema fields, {} unmapped kept, plus _source and _row",
        plan.mapped_fields, unmapped
    ));
    if let Some(r) = &rejects_path {
        ui.say(format!(
            "rejects: {} row(s) written to {r}",
            counts.rows_rejected
        ));
    }
    if stats.neutralized_cells > 0 {
        ui.say(format!(
            "formula guard: {} cell(s) a spreadsheet would run as a formula written with a leading ' so it shows them as text; phone numbers and amounts are never changed (--no-formula-guard to keep them raw)",
            stats.neutralized_cells
        ));
    }
    for s in &sources {
        for note in &s.info.notes {
            ui.say(format!("note: {}: {note}", s.info.label));
        }
    }
    Ok(())
}

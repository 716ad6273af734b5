//! `steward erase`: the right to erasure. Every row matching a requested identifier (after normalization,
//! so every spelling matches) is removed; a receipt records what was removed from which file, naming each
//! request only by its keyed token.

use anyhow::Result;
use std::path::Path;

use super::{open_all, read_options, Ui};
use crate::cli::EraseArgs;
use crate::error::StewardError;
use crate::io::outputs::Outputs;
use crate::io::write::{check_output_path, input_identities, DatasetWriter, WriteOptions};
use crate::io::Item;
use crate::privacy::erase::{plan_requests, MatchColumns, Matcher, Receipt, ReceiptContext, Tally};
use crate::privacy::key::Key;
use crate::privacy::token::Protector;
use crate::schema::Schema;
use crate::table::plan_import;

pub fn run(args: &EraseArgs, ui: Ui) -> Result<()> {
    crate::fields::phone::warm_up();
    let started = chrono::Local::now();
    let opts = read_options(&args.input, false)?;
    let schema = Schema::load_or_builtin(args.schema.schema.as_deref())?;
    let key = Key::required(
        args.key.key_file.as_deref(),
        "erase (its receipt names requests by keyed token)",
    )?;
    let domain = args.key.domain.clone().unwrap_or_else(|| "default".into());
    let prot = Protector::new(&key, &domain);
    let region = super::region_code(args.default_region.as_deref())?;
    let origin = args.requests.display().to_string();
    crate::io::write::note_read(std::path::Path::new(&args.requests));
    let text = std::fs::read(&args.requests)
        .map_err(|e| StewardError::no_input(format!("{origin}: cannot read the requests: {e}")))?;
    let requests = plan_requests(&text, &origin, region.as_deref(), &prot)?;

    let (paths, sources) = open_all(&args.sources, &opts)?;
    let mut inputs = input_identities(&paths);
    if let Some(id) = crate::io::write::FileIdentity::of(&args.requests) {
        inputs.push((origin.clone(), id));
    }
    check_output_path(Path::new(&args.receipt), args.force, &inputs)?;
    if args.receipt == args.output {
        return Err(StewardError::usage("--receipt must differ from the output").into());
    }
    let plan = plan_import(&schema, &sources, &args.schema.maps)?;
    let columns = MatchColumns::of(&plan.columns[..plan.mapped_fields], &schema)?;

    // One source keeps its own columns; several are written as one table with _source and _row.
    let single = sources.len() == 1;
    let out_columns: Vec<String> = if single {
        sources[0].info.headers.clone()
    } else {
        plan.columns.clone()
    };
    let format = super::data_format(&args.output, &args.data, &args.report, ui)?;
    let mut files = Outputs::new(args.force, &inputs);
    let dest = files
        .open("output", &args.output)?
        .with_bom(args.data.bom.bom);
    let mut receipt_file = files.file("receipt", &args.receipt)?;
    let mut integer_columns = vec![false; out_columns.len()];
    if !single {
        integer_columns[out_columns.len() - 1] = true;
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

    let mut matcher = Matcher::new(&requests, columns, region.clone());
    let mut tally = Tally::new(&requests);
    let mut cells: Vec<String> = vec![String::new(); plan.columns.len()];
    for (si, src) in sources.iter().enumerate() {
        let proj = &plan.projections[si];
        let sha256 = if src.info.path == "-" {
            None
        } else {
            crate::report::sha256_file(Path::new(&src.info.path))
        };
        tally.start_file(src.info.label.clone(), sha256);
        src.for_each(|item| {
            let Item::Row(r) = item else {
                // Strict reading: a malformed row is an error before this point.
                return Ok(());
            };
            let get = |c: usize| -> &str {
                proj[c]
                    .and_then(|i| r.fields.get(i))
                    .map(|s| &**s)
                    .unwrap_or("")
            };
            if !tally.row(matcher.matches(get)) {
                return Ok(());
            }
            if single {
                writer.write_row(r.fields)
            } else {
                for (o, cell) in cells.iter_mut().enumerate().take(proj.len()) {
                    cell.clear();
                    cell.push_str(get(o));
                }
                let n = cells.len();
                cells[n - 2] = src.info.label.clone();
                cells[n - 1] = r.row.to_string();
                writer.write_row(&cells)
            }
        })?;
    }
    let output_sha256 = writer.finish()?.written.map(|d| d.sha256);
    let receipt = Receipt::new(
        ReceiptContext {
            created: chrono::Local::now().to_rfc3339(),
            key_id: key.id(),
            domain,
            output: args.output.clone(),
            output_sha256,
        },
        &requests,
        tally,
    );
    let (rows_in, rows_out, unmatched) = (
        receipt.rows_in,
        receipt.rows_out,
        receipt.requests_without_match,
    );
    // Tokens and counts only: a receipt can be shown to the person and an auditor.
    receipt_file.make_shareable();
    serde_json::to_writer_pretty(&mut receipt_file, &receipt)?;
    receipt_file.commit()?;
    crate::report::write_manifest(
        &mut files,
        "output",
        "erase",
        started,
        &super::read_inputs(&paths, &sources),
        serde_json::json!({"rows_in": rows_in, "rows_out": rows_out, "rows_removed": receipt.rows_removed, "requests": requests.len()}),
        Some(key.id()),
    )?;
    files.commit()?;
    if args.report.is_json() {
        let summary = serde_json::json!({
            "rows_in": rows_in,
            "rows_out": rows_out,
            "rows_removed": receipt.rows_removed,
            "requests": requests.len(),
            "requests_without_match": unmatched,
            "output": args.output,
            "receipt": args.receipt,
            "key_id": receipt.key_id,
        });
        return super::emit_json(&summary, args.output == "-");
    }
    ui.say(format!(
        "erased {} row(s) for {} request(s): {} in = {} written + {} erased",
        receipt.rows_removed,
        requests.len(),
        rows_in,
        rows_out,
        receipt.rows_removed
    ));
    for line in super::source_lines(&super::source_summaries(&sources)) {
        ui.say(line);
    }
    if unmatched > 0 {
        ui.say(format!(
            "{unmatched} request(s) matched no row (see the receipt; lines {})",
            receipt
                .unmatched_lines()
                .take(10)
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    ui.say(format!(
        "receipt: {} (requests named by keyed token only)",
        args.receipt
    ));
    Ok(())
}

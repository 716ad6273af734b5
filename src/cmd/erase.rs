//! `steward erase`: the right to erasure. Every source (every sheet of a workbook) is searched in every
//! column; rows matching a request in an identifier column are removed, identifiers inside free text are
//! redacted; each source is written in its own format (or rewritten in place), and a receipt records what
//! was done, naming each request only by its keyed token. Outputs, receipt and manifest land together.

use anyhow::Result;
use std::io::Write;
use std::path::Path;

use super::{read_options, Ui};
use crate::cli::EraseArgs;
use crate::error::StewardError;
use crate::io::digest::{Digest, HashingWriter};
use crate::io::rewrite::{
    judge_rows, plan_targets, rewrite_csv, rewrite_workbook, write_error, RawInput, StagedSet,
    Target,
};
use crate::io::write::{check_output_path, input_identities, FileIdentity};
use crate::io::SheetSelector;
use crate::privacy::erase::{
    plan_requests, Matcher, Receipt, ReceiptContext, SourceEraser, Tally, REDACTED,
};
use crate::privacy::key::Key;
use crate::privacy::token::Protector;
use crate::schema::{map_headers, Schema};

pub fn run(args: &EraseArgs, ui: Ui) -> Result<()> {
    crate::fields::phone::warm_up();
    let started = chrono::Local::now();
    let mut opts = read_options(&args.input, false)?;
    if args.input.sheet.is_none() {
        // A person on any sheet must be found.
        opts.sheet = SheetSelector::All;
    }
    let schema = Schema::load_or_builtin(args.schema.schema.as_deref())?;
    let key = Key::required(
        args.key.key_file.as_deref(),
        "erase (its receipt names requests by keyed token)",
    )?;
    let domain = args.key.domain.clone().unwrap_or_else(|| "default".into());
    let prot = Protector::new(&key, &domain);
    let region = super::region_code(args.default_region.as_deref())?;
    let origin = args.requests.display().to_string();
    crate::io::write::note_read(&args.requests);
    let text = std::fs::read(&args.requests)
        .map_err(|e| StewardError::no_input(format!("{origin}: cannot read the requests: {e}")))?;
    let requests = plan_requests(&text, &origin, &schema, region.as_deref(), &prot)?;

    let paths = crate::io::expand_inputs(&args.sources)?;
    // Erasure rewrites files byte for byte; deleting rows from a table in place is not built yet.
    if let Some(db) = paths
        .iter()
        .chain(args.output.iter())
        .find(|p| crate::io::db::is_database(p))
    {
        return Err(StewardError::usage(format!(
            "{}: erase works on files; erasing rows from a database table is not supported yet",
            crate::io::db::redact(db)
        ))
        .into());
    }
    if paths.iter().filter(|p| p.as_str() == "-").count() > 1 {
        return Err(StewardError::usage("stdin (-) can be read only once").into());
    }
    if args.in_place && paths.iter().any(|p| p == "-") {
        return Err(StewardError::usage(
            "--in-place rewrites files; stdin (-) is not one, give -o FILE",
        )
        .into());
    }
    let inputs: Vec<RawInput> = paths
        .iter()
        .map(|p| RawInput::open(p, &opts))
        .collect::<Result<_>>()?;
    // The requests, key and schema are never written over, --in-place or not.
    let protected: Vec<(String, FileIdentity)> = [
        Some(&args.requests),
        args.key.key_file.as_ref(),
        args.schema.schema.as_ref(),
    ]
    .into_iter()
    .flatten()
    .filter_map(|p| Some((p.display().to_string(), FileIdentity::of(p)?)))
    .collect();
    let files: Vec<_> = paths.iter().zip(&inputs).map(|(p, i)| i.file(p)).collect();
    let targets = plan_targets(
        &files,
        args.output.as_deref(),
        args.in_place,
        args.force,
        &protected,
    )?;
    let receipt_path = Path::new(&args.receipt);
    let mut reserved = input_identities(&paths);
    reserved.extend(protected);
    check_output_path(receipt_path, args.force, &reserved)?;
    if targets
        .iter()
        .any(|t| matches!(t, Target::File { path, .. } if path == receipt_path))
    {
        return Err(StewardError::usage("--receipt must differ from the outputs").into());
    }

    let mut staged = StagedSet::default();
    let mut matcher = Matcher::new(&requests, region.clone());
    let mut tally = Tally::new(&requests);
    let mut outputs: Vec<(String, Option<usize>)> = Vec::new();
    let mut searchable = false;
    for ((path, input), target) in paths.iter().zip(&inputs).zip(&targets) {
        let slot = staged.stage_target(target)?;
        let shown = slot.map_or("-".to_string(), |i| staged.target(i).display().to_string());
        let out_name = Path::new(&shown);
        let sha = input.raw.as_deref().map(|b| Digest::of_bytes(b).sha256);
        let mut sheets = Vec::new();
        for src in &input.sources {
            let mapped = map_headers(&schema, &src.info.headers, &args.schema.maps)?
                .iter()
                .map(|m| {
                    m.field
                        .as_deref()
                        .and_then(|f| schema.field(f))
                        .map(|f| f.kind)
                })
                .collect();
            tally.start_file(src.info.label.clone(), sha.clone(), shown.clone());
            let headers = src.info.headers.clone();
            let mut eraser = SourceEraser::new(&mut matcher, &mut tally, headers, mapped);
            let raw = input.raw.as_deref();
            if let Some(sheet) = &src.info.sheet {
                sheets.push((sheet.clone(), judge_rows(src, &mut eraser)?));
            } else if let Some(i) = slot {
                let file = std::io::BufWriter::with_capacity(1 << 20, staged.file(i));
                let (mut w, digest) = HashingWriter::new(file);
                rewrite_csv(src, raw, &mut eraser, REDACTED, &mut w, out_name)?;
                w.flush().map_err(|e| write_error(out_name, e))?;
                drop(w);
                // Noted now, so receipt and manifest do not read the output again.
                staged.set_digest(i, digest.digest());
            } else {
                let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                rewrite_csv(src, raw, &mut eraser, REDACTED, &mut w, out_name)?;
                w.flush().map_err(|e| write_error(out_name, e))?;
            }
            searchable |= eraser.has_identifier_column();
        }
        if let (Some(i), Some(raw), false) = (slot, &input.raw, sheets.is_empty()) {
            rewrite_workbook(raw, path, &sheets, REDACTED, staged.file(i), out_name)?;
        }
        // A streamed input was hashed as it was read.
        let sha = sha.or_else(|| {
            let read = &input.sources[0].info.digest;
            Some(read.get(Path::new(path))?.sha256)
        });
        let out_sha = slot.and_then(|i| Some(staged.digest(i)?.sha256));
        for f in tally.files.iter_mut().filter(|f| f.output == shown) {
            f.sha256 = sha.clone();
            f.output_sha256 = out_sha.clone();
        }
        outputs.push((shown, slot));
    }
    if !searchable {
        return Err(StewardError::usage(
            "the input has no email, phone, id or resident ID column to match requests against (map one with --map)",
        )
        .into());
    }
    let receipt = Receipt::new(
        ReceiptContext {
            created: chrono::Local::now().to_rfc3339(),
            key_id: key.id(),
            domain,
            mode: if args.in_place { "in_place" } else { "copy" },
        },
        &requests,
        tally,
    );
    // Tokens and counts only: a receipt can be shown to the person and an auditor.
    let r = staged.stage_json(receipt_path, &receipt)?;
    let manifest_path = match args.output.as_deref() {
        Some("-") => None,
        Some(o) if targets.len() == 1 && !Path::new(o).is_dir() => {
            Some(format!("{o}.manifest.json"))
        }
        _ => Some(format!("{}.manifest.json", args.receipt)),
    };
    if let Some(m) = manifest_path {
        let mut records: Vec<_> = outputs
            .iter()
            .filter_map(|(_, slot)| staged.record((*slot)?, "output"))
            .collect();
        records.extend(staged.record(r, "receipt"));
        let manifest = serde_json::json!({
            "tool": "steward", "version": env!("CARGO_PKG_VERSION"), "command": "erase",
            "command_line": crate::report::redacted_argv(), "started": started.to_rfc3339(),
            "finished": chrono::Local::now().to_rfc3339(),
            "inputs": paths.iter().zip(&inputs).filter_map(|(p, i)| i.record(p)).collect::<Vec<_>>(),
            "outputs": records, "key_id": key.id(),
            "counts": {
                "rows_in": receipt.rows_in, "rows_out": receipt.rows_out, "rows_removed": receipt.rows_removed,
                "values_redacted": receipt.values_redacted, "requests": requests.len(),
            },
        });
        staged.stage_json(Path::new(&m), &manifest)?;
    }
    staged.commit()?;

    let written: Vec<&str> = outputs.iter().map(|(o, _)| o.as_str()).collect();
    if args.report.is_json() {
        let summary = serde_json::json!({
            "rows_in": receipt.rows_in,
            "rows_out": receipt.rows_out,
            "rows_removed": receipt.rows_removed,
            "values_redacted": receipt.values_redacted,
            "requests": receipt.requests.len(),
            "requests_without_match": receipt.requests_without_match,
            "outputs": written,
            "in_place": args.in_place,
            "receipt": args.receipt,
            "key_id": receipt.key_id,
        });
        return super::emit_json(&summary, written.contains(&"-"));
    }
    let mut lines = receipt.lines(args.in_place);
    let sources = inputs
        .iter()
        .flat_map(|i| super::source_summaries(&i.sources));
    lines.splice(1..1, super::source_lines(&sources.collect::<Vec<_>>()));
    for line in lines {
        ui.say(line);
    }
    ui.say(format!(
        "receipt: {} (requests named by keyed token only)",
        args.receipt
    ));
    Ok(())
}

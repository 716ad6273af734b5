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
use crate::io::db::EditTable;
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
use crate::schema::{map_headers, FieldKind};

pub fn run(args: &EraseArgs, ui: Ui) -> Result<()> {
    crate::fields::phone::warm_up();
    let started = chrono::Local::now();
    let mut opts = read_options(&args.input, false)?;
    if args.input.sheet.is_none() {
        // A person on any sheet must be found.
        opts.sheet = SheetSelector::All;
    }
    let schema = args.schema.load()?;
    let key = Key::required(
        args.key.key_file.as_deref(),
        "erase (its receipt names requests by keyed token)",
    )?;
    let domain = args.key.domain.clone().unwrap_or_else(|| "default".into());
    let prot = Protector::new(&key, &domain, args.normalization);
    let region = super::region_code(args.default_region.as_deref())?;
    let origin = args.requests.display().to_string();
    crate::io::write::note_read(&args.requests);
    let text = std::fs::read(&args.requests)
        .map_err(|e| StewardError::no_input(format!("{origin}: cannot read the requests: {e}")))?;
    let requests = plan_requests(&text, &origin, &schema, region.as_deref(), &prot)?;

    let all = crate::io::expand_inputs(&args.sources)?;
    if let Some(o) = args
        .output
        .as_deref()
        .filter(|o| crate::io::db::is_database(o))
    {
        return Err(StewardError::usage(format!(
            "-o {}: erase writes files; a database table is erased where it is, with --in-place",
            crate::io::db::redact(o)
        ))
        .into());
    }
    let (tables, paths): (Vec<String>, Vec<String>) =
        all.into_iter().partition(|p| crate::io::db::is_database(p));
    let table_name = match (tables.first(), &opts.db.table, &opts.db.query) {
        (None, _, _) => None,
        (Some(t), _, Some(_)) => {
            return Err(StewardError::usage(format!(
                "{}: erase deletes rows of a table: give --table TABLE, not --query",
                crate::io::db::redact(t)
            ))
            .into())
        }
        (Some(t), None, None) => {
            return Err(StewardError::usage(format!(
                "{}: name the table to erase from with --table TABLE",
                crate::io::db::redact(t)
            ))
            .into())
        }
        (Some(t), Some(_), None) if !args.in_place && !args.dry_run => {
            return Err(StewardError::usage(format!(
                "{}: a table is erased where it is: pass --in-place (or --dry-run to count only)",
                crate::io::db::redact(t)
            ))
            .into())
        }
        (Some(_), Some(name), None) => Some(name.clone()),
    };
    if paths.iter().filter(|p| p.as_str() == "-").count() > 1 {
        return Err(StewardError::usage("stdin (-) can be read only once").into());
    }
    if args.in_place && paths.iter().any(|p| p == "-") {
        return Err(StewardError::usage(
            "--in-place rewrites files; stdin (-) is not one, give -o FILE",
        )
        .into());
    }
    let mut inputs: Vec<RawInput> = paths
        .iter()
        .map(|p| RawInput::open(p, &opts))
        .collect::<Result<_>>()?;
    // The receipt may be shown to the person and an auditor: sources by their shortest distinguishing
    // path (the manifest records each full path).
    crate::io::source::short_labels(inputs.iter_mut().flat_map(|i| i.sources.iter_mut()));
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
    if paths.is_empty() && args.output.is_some() {
        return Err(StewardError::usage(
            "-o names a file to write, but every source is a database table (erased with --in-place)",
        )
        .into());
    }
    let files: Vec<_> = paths.iter().zip(&inputs).map(|(p, i)| i.file(p)).collect();
    let targets = if args.dry_run || paths.is_empty() {
        Vec::new()
    } else {
        plan_targets(
            &files,
            args.output.as_deref(),
            args.in_place,
            args.force,
            &protected,
        )?
    };
    let receipt_path = args.receipt.as_deref().map(Path::new);
    if let Some(receipt_path) = receipt_path {
        let mut reserved = input_identities(&paths);
        reserved.extend(protected);
        check_output_path(receipt_path, args.force, &reserved)?;
        if targets
            .iter()
            .any(|t| matches!(t, Target::File { path, .. } if path == receipt_path))
        {
            return Err(StewardError::usage("--receipt must differ from the outputs").into());
        }
    }

    let mut staged = StagedSet::default();
    let mut matcher = Matcher::new(&requests, region.clone());
    let mut tally = Tally::new(&requests);
    let mut outputs: Vec<(String, Option<usize>)> = Vec::new();
    let mut searchable = false;
    let mapped_kinds = |headers: &[String]| -> Result<Vec<Option<FieldKind>>> {
        Ok(map_headers(&schema, headers, &args.schema.maps)?
            .iter()
            .map(|m| {
                m.field
                    .as_deref()
                    .and_then(|f| schema.field(f))
                    .map(|f| f.kind)
            })
            .collect())
    };
    for (n, (path, input)) in paths.iter().zip(&inputs).enumerate() {
        let sha = input.raw.as_deref().map(|b| Digest::of_bytes(b).sha256);
        if args.dry_run {
            for src in &input.sources {
                tally.start_file(src.info.label.clone(), sha.clone(), "(dry run)".into());
                let headers = src.info.headers.clone();
                let mapped = mapped_kinds(&headers)?;
                let mut eraser = SourceEraser::new(&mut matcher, &mut tally, headers, mapped);
                judge_rows(src, &mut eraser)?;
                searchable |= eraser.has_identifier_column();
            }
            continue;
        }
        let slot = staged.stage_target(&targets[n])?;
        let shown = slot.map_or("-".to_string(), |i| staged.target(i).display().to_string());
        let out_name = Path::new(&shown);
        let mut sheets = Vec::new();
        for src in &input.sources {
            let mapped = mapped_kinds(&src.info.headers)?;
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

    // Tables: read, judged and edited inside their own transactions, committed with the receipt.
    let mut edits: Vec<EditTable> = Vec::new();
    let mut table_records: Vec<(serde_json::Value, crate::report::FileRecord)> = Vec::new();
    for arg in &tables {
        let name = table_name.as_deref().unwrap_or_default();
        let mut table = EditTable::open(arg, name)?;
        let shown = table.shown().to_string();
        let src = &table.source;
        let read = src.info.digest.get(Path::new(arg));
        tally.start_file(
            shown.clone(),
            read.as_ref().map(|d| d.sha256.clone()),
            if args.dry_run {
                "(dry run)".into()
            } else {
                shown.clone()
            },
        );
        let headers = src.info.headers.clone();
        let mapped = mapped_kinds(&headers)?;
        let mut eraser = SourceEraser::new(&mut matcher, &mut tally, headers, mapped);
        let actions = judge_rows(src, &mut eraser)?;
        searchable |= eraser.has_identifier_column();
        if args.dry_run {
            continue;
        }
        let applied = table.apply(&actions, REDACTED)?;
        let rows_in = tally.files.last().map_or(0, |f| f.rows_in);
        if let Some(f) = tally.files.last_mut() {
            f.output_sha256 = Some(applied.after.sha256.clone());
        }
        let input = serde_json::json!({
            "path": shown, "rows": rows_in,
            "bytes": read.as_ref().map(|d| d.bytes), "sha256": read.as_ref().map(|d| d.sha256.clone()),
        });
        let output = crate::report::FileRecord {
            name: "output".into(),
            path: shown.clone(),
            bytes: applied.after.bytes,
            sha256: applied.after.sha256.clone(),
            rows: Some(applied.rows_after),
        };
        table_records.push((input, output));
        outputs.push((shown, None));
        edits.push(table);
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
            normalization: args.normalization,
            mode: if args.dry_run {
                "dry_run"
            } else if args.in_place {
                "in_place"
            } else {
                "copy"
            },
        },
        &requests,
        tally,
    );
    if let Some(receipt_path) = receipt_path {
        // Tokens and counts only: a receipt can be shown to the person and an auditor.
        let r = staged.stage_json(receipt_path, &receipt)?;
        let manifest_path = match args.output.as_deref() {
            Some("-") => None,
            Some(o) if targets.len() == 1 && !Path::new(o).is_dir() => {
                Some(format!("{o}.manifest.json"))
            }
            _ => Some(format!("{}.manifest.json", receipt_path.display())),
        };
        if let Some(m) = manifest_path {
            let mut records: Vec<_> = outputs
                .iter()
                .filter_map(|(_, slot)| staged.record((*slot)?, "output"))
                .collect();
            records.extend(table_records.iter().map(|(_, o)| o.clone()));
            records.extend(staged.record(r, "receipt"));
            let mut input_records: Vec<serde_json::Value> = paths
                .iter()
                .zip(&inputs)
                .filter_map(|(p, i)| i.record(p))
                .collect();
            input_records.extend(table_records.iter().map(|(i, _)| i.clone()));
            let manifest = serde_json::json!({
                "tool": "steward", "version": env!("CARGO_PKG_VERSION"), "command": "erase",
                "command_line": crate::report::redacted_argv(), "started": started.to_rfc3339(),
                "finished": chrono::Local::now().to_rfc3339(),
                "inputs": input_records,
                "outputs": records, "key_id": key.id(),
                "counts": {
                    "rows_in": receipt.rows_in, "rows_out": receipt.rows_out, "rows_removed": receipt.rows_removed,
                    "values_redacted": receipt.values_redacted, "requests": requests.len(),
                },
            });
            staged.stage_json(Path::new(&m), &manifest)?;
        }
        // The tables' erasures commit first: if one cannot, no file lands either.
        crate::io::interrupt::uninterrupted(
            || -> Result<()> {
                for t in edits {
                    t.commit()?;
                }
                staged.commit()
            },
            |r| r.is_ok(),
        )?;
    }

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
            "dry_run": args.dry_run,
            "receipt": args.receipt,
            "key_id": receipt.key_id,
        });
        return super::emit_json(&summary, written.contains(&"-"));
    }
    let mut lines = receipt.lines(args.in_place);
    if args.dry_run {
        lines[0] = format!(
            "dry run, nothing was changed or written: would have {}",
            lines[0]
        );
    }
    let sources = inputs
        .iter()
        .flat_map(|i| super::source_summaries(&i.sources));
    lines.splice(1..1, super::source_lines(&sources.collect::<Vec<_>>()));
    for line in lines {
        ui.say(line);
    }
    if let Some(r) = &args.receipt {
        ui.say(format!("receipt: {r} (requests named by keyed token only)"));
    }
    Ok(())
}

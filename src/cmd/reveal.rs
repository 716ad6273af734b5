//! `steward reveal`: the way back for columns `pseudonymize --encrypt` wrote, for a person authorized to hold
//! the key. The work is `privacy::reveal`; this wires arguments, the source and the output.

use anyhow::Result;

use super::{open_all, read_options, Ui};
use crate::cli::RevealArgs;
use crate::error::{ExitCode, StewardError};
use crate::io::outputs::Outputs;
use crate::io::workbook::{source_names, About};
use crate::io::write::{input_identities, DatasetWriter, WriteOptions};
use crate::privacy::key::Key;
use crate::privacy::reveal::{reveal_row, selected_columns, RevealSummary};
use crate::privacy::token::Protector;

pub fn run(args: &RevealArgs, ui: Ui) -> Result<()> {
    let started = chrono::Local::now();
    let opts = read_options(&args.input, false)?;
    let key = Key::required(args.key.key_file.as_deref(), "reveal")?;
    let domain = args.key.domain.clone().unwrap_or_else(|| "default".into());
    // Decrypting gives back what was encrypted whatever normalized it: the version does not matter here.
    let prot = Protector::new(&key, &domain, crate::fields::Normalization::CURRENT);
    let (paths, sources) = open_all(&args.sources, &opts)?;
    let inputs = input_identities(&paths);
    if sources.len() != 1 {
        return Err(StewardError::usage("reveal reads one table at a time").into());
    }
    let src = &sources[0];
    let headers = &src.info.headers;
    let selected = selected_columns(headers, &args.columns)?;
    let format = super::output_format(&args.output, args.data.output_format)?;
    let mut files = Outputs::new(args.force, &inputs)
        .with_db_target(args.db_out.target_for(Some(&args.output))?);
    let dest = files
        .open("output", &args.output)?
        .with_bom(args.data.bom.bom);
    let mut w = DatasetWriter::new(
        dest,
        headers,
        WriteOptions::new(format, true).about(About::new(
            "Table with tokens revealed by steward reveal: the original values stand where the tokens were",
            source_names(sources.iter().map(|s| s.info.label.as_str())),
        )),
    )?;
    let mut s = RevealSummary::default();
    let mut out: Vec<String> = Vec::new();
    src.for_each(|item| {
        if let crate::io::Item::Row(r) = item {
            reveal_row(&prot, &selected, r.fields, &mut out, &mut s);
            w.write_row(&out)?;
        }
        Ok(())
    })?;
    w.finish()?;
    crate::report::write_manifest(
        &mut files,
        "output",
        "reveal",
        started,
        &paths,
        serde_json::json!({"rows": s.rows, "cells_decrypted": s.cells_decrypted, "cells_not_decrypted": s.cells_not_decrypted}),
        Some(key.id()),
    )?;
    files.commit()?;
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

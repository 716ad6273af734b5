//! `steward audit verify`: check a hash-chained audit log and the outputs it records.

use anyhow::Result;
use serde::Serialize;

use super::Ui;
use crate::cli::{AuditCommand, ReportFormat};
use crate::error::{fail, ExitCode, StewardError};
use crate::report::{verify_audit, Break};

#[derive(Serialize)]
struct Verified {
    log: String,
    entries: usize,
    ok: bool,
    breaks: Vec<Break>,
}

pub fn run(cmd: &AuditCommand, ui: Ui) -> Result<()> {
    let AuditCommand::Verify(args) = cmd;
    let text = std::fs::read(&args.log).map_err(|e| {
        StewardError::no_input(format!(
            "{}: cannot read the audit log: {e}",
            args.log.display()
        ))
    })?;
    let text = String::from_utf8(text).map_err(|_| {
        StewardError::data(format!(
            "{}: the audit log is not UTF-8 text",
            args.log.display()
        ))
    })?;
    let (entries, breaks) = verify_audit(&text, args.chain_only);
    let v = Verified {
        log: args.log.display().to_string(),
        entries,
        ok: breaks.is_empty(),
        breaks,
    };
    if args.format == ReportFormat::Json {
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        for b in &v.breaks {
            println!("{}: line {}: {}", v.log, b.line, b.problem);
        }
        if v.ok {
            ui.say(format!(
                "{}: {} entries, chain intact{}",
                v.log,
                v.entries,
                if args.chain_only {
                    ""
                } else {
                    ", every recorded output unchanged"
                }
            ));
        }
    }
    if !v.ok {
        return Err(fail(
            ExitCode::PolicyFailed,
            format!(
                "{}: {} problem(s) in {} entries",
                v.log,
                v.breaks.len(),
                v.entries
            ),
        ));
    }
    Ok(())
}

//! `steward audit verify`: check an audit log (chain, each entry's own hash, seals with the given keys, the
//! outputs it records, anchors) and print its entry count and head.

use anyhow::Result;
use serde::Serialize;

use super::Ui;
use crate::cli::{AuditCommand, ReportFormat};
use crate::error::{fail, ExitCode, StewardError};
use crate::privacy::key::Key;
use crate::report::audit::{verify, Verification, VerifyOptions};

#[derive(Serialize)]
struct Verified {
    log: String,
    #[serde(flatten)]
    result: Verification,
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
    // Every key given, and STEWARD_KEY: a log that spans a key rotation holds seals of several.
    let mut keys: Vec<Key> = Vec::new();
    for path in &args.key_files {
        keys.push(Key::load_file(path)?);
    }
    if let Some(k) = Key::from_args(None)? {
        keys.push(k);
    }
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(k.id()));
    let result = verify(
        &text,
        &VerifyOptions {
            keys: &keys,
            check_outputs: !args.chain_only,
            expect_head: args.expect_head.as_deref(),
            expect_entries: args.expect_entries,
        },
    );
    let v = Verified {
        log: args.log.display().to_string(),
        result,
    };
    let r = &v.result;
    let entries = match r.entries {
        1 => "1 entry".to_string(),
        n => format!("{n} entries"),
    };
    if args.report.summary() == ReportFormat::Json {
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        for b in &r.breaks {
            match b.line {
                Some(n) => println!("{}: line {n}: {}", v.log, b.problem),
                None => println!("{}: {}", v.log, b.problem),
            }
        }
        if r.empty {
            ui.say(format!(
                "{}: empty (no entries){}",
                v.log,
                if r.ok { ", as expected" } else { "" }
            ));
        } else {
            if r.ok {
                ui.say(format!(
                    "{}: {entries}, chain intact{}",
                    v.log,
                    if args.chain_only {
                        ""
                    } else {
                        ", every recorded output unchanged"
                    }
                ));
            }
            let mut seals = Vec::new();
            if r.sealed > 0 {
                seals.push(if r.seals_checked {
                    format!(
                        "{} sealed, seals checked with {}",
                        r.sealed,
                        r.key_ids.join(", ")
                    )
                } else {
                    format!(
                        "{} sealed, seals NOT checked (pass --key-file or set {})",
                        r.sealed,
                        crate::privacy::key::KEY_ENV
                    )
                });
            }
            if r.unsealed > 0 {
                seals.push(if r.legacy > 0 {
                    format!(
                        "{} unsealed ({} written before entries carried their own hash)",
                        r.unsealed, r.legacy
                    )
                } else {
                    format!("{} unsealed (written by runs without a key)", r.unsealed)
                });
            }
            ui.say(format!("{}: {}", v.log, seals.join("; ")));
        }
        ui.say(format!(
            "{}: head {} after {entries} (keep both elsewhere; check later with --expect-head and --expect-entries)",
            v.log, r.head
        ));
    }
    if !r.ok {
        return Err(fail(
            ExitCode::PolicyFailed,
            if r.empty && r.breaks.len() == 1 {
                format!("{}: the audit log is empty", v.log)
            } else {
                format!("{}: {} problem(s) in {entries}", v.log, r.breaks.len())
            },
        ));
    }
    Ok(())
}

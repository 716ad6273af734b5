//! The files of a check: findings, rejected rows with their reasons, and changes, each written to the
//! destination and in the format the caller gives (see `io::outputs`, which lands them with the rest of a
//! run); personal values masked when a schema is given for masking.

use anyhow::Result;

use super::summary::masked;
use super::{Change, Finding, Outcome};
use crate::io::write::{write_vecs, Destination, WriteOptions, WriteStats};
use crate::io::Reject;
use crate::schema::{Schema, Severity};

/// The findings file: `_source, _row, record_id, field, rule, severity, value, message, suggestion`; values of
/// personal fields masked when a schema is given for masking.
pub fn write_findings(
    dest: Destination,
    opts: WriteOptions,
    findings: &[Finding],
    mask: Option<&Schema>,
) -> Result<WriteStats> {
    let cols: Vec<String> = [
        "_source",
        "_row",
        "record_id",
        "field",
        "rule",
        "severity",
        "value",
        "message",
        "suggestion",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = findings.iter().map(|f| {
        let value = match mask {
            Some(schema) => masked(schema, f.field(), f.value()),
            None => f.value().to_string(),
        };
        vec![
            f.source().to_string(),
            f.row().to_string(),
            f.record_id().to_string(),
            f.field().to_string(),
            f.rule().to_string(),
            match f.severity {
                Severity::Error => "error".to_string(),
                Severity::Warning => "warning".to_string(),
            },
            value,
            f.message().to_string(),
            f.suggestion().to_string(),
        ]
    });
    write_vecs(dest, &cols, rows, opts)
}

/// The rejects file: the rows with an error, every column (normalized) and `_reasons`; then the rows that could
/// not be read at all, with their source, line, reason and raw text. `row_values` gives a row's values.
pub fn write_rejects(
    dest: Destination,
    opts: WriteOptions,
    columns: &[String],
    outcome: &Outcome,
    row_values: impl Fn(usize) -> Vec<String>,
    unreadable: &[(String, Reject)],
    mask: Option<&Schema>,
) -> Result<WriteStats> {
    let mut cols = columns.to_vec();
    cols.push("_reasons".to_string());
    let reasons = outcome.error_reasons(
        |_| true,
        |f| format!("{}: {} ({})", f.field(), f.rule(), f.message()),
    );
    let mut out_rows: Vec<Vec<String>> = Vec::new();
    for (i, reasons) in reasons {
        if outcome.row_has_error[i] {
            let mut row: Vec<String> = row_values(i);
            if let Some(schema) = mask {
                for (ci, c) in columns.iter().enumerate() {
                    row[ci] = masked(schema, c, &row[ci]);
                }
            }
            row.push(reasons.join("; "));
            out_rows.push(row);
        }
    }
    let n = cols.len();
    for (src, rej) in unreadable {
        let mut row = vec![String::new(); n];
        row[n - 3] = src.clone();
        row[n - 2] = rej.row.to_string();
        row[n - 1] = format!("unreadable: {} | raw: {}", rej.reason, rej.raw);
        out_rows.push(row);
    }
    write_vecs(dest, &cols, out_rows, opts)
}

/// The changes file: `_source, _row, field, before, after, rule`, one line per changed cell.
pub fn write_changes(
    dest: Destination,
    opts: WriteOptions,
    changes: &[Change],
) -> Result<WriteStats> {
    let cols: Vec<String> = ["_source", "_row", "field", "before", "after", "rule"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let rows = changes.iter().map(|c| {
        vec![
            c.source.clone(),
            c.row.clone(),
            c.field.clone(),
            c.before.clone(),
            c.after.clone(),
            c.rule.clone(),
        ]
    });
    write_vecs(dest, &cols, rows, opts)
}

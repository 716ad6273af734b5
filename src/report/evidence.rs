//! What a report records of its inputs for an auditor: each source (file, sheet, encoding, rows, full SHA-256)
//! and every note a reader should see (skipped rows and sheets, Excel precision loss, encodings).

use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;

use crate::io::{SheetSelector, SourceInfo};
use crate::report::FileRecord;
use crate::table::{Table, SOURCE_COLUMN};

/// Rows of `table` per `_source` label, plus rows of each label that could not be read (`unreadable`).
pub fn rows_per_source<'a>(
    table: &Table,
    unreadable: impl IntoIterator<Item = &'a str>,
) -> HashMap<String, u64> {
    let mut n: HashMap<String, u64> = HashMap::new();
    if let Some(c) = table.column_index(SOURCE_COLUMN) {
        let mut last: Option<(&str, u64)> = None;
        // Rows of one source are contiguous: count runs, not a map lookup per row.
        for v in table.data[c].iter() {
            match &mut last {
                Some((l, k)) if *l == v => *k += 1,
                _ => {
                    if let Some((l, k)) = last.take() {
                        *n.entry(l.to_string()).or_default() += k;
                    }
                    last = Some((v, 1));
                }
            }
        }
        if let Some((l, k)) = last {
            *n.entry(l.to_string()).or_default() += k;
        }
    }
    for l in unreadable {
        *n.entry(l.to_string()).or_default() += 1;
    }
    n
}

/// One entry per source: the file as given, sheet, format, encoding (and how it was chosen), rows read, and
/// the file's size and full SHA-256 (as its reader took it).
pub fn sources(infos: &[&SourceInfo], rows: &HashMap<String, u64>) -> Vec<Value> {
    let mut records: HashMap<&str, Option<FileRecord>> = HashMap::new();
    infos
        .iter()
        .map(|s| {
            let rec = records
                .entry(s.path.as_str())
                .or_insert_with(|| {
                    (s.path != "-")
                        .then(|| FileRecord::input(Path::new(&s.path), Some(&s.digest)))
                        .flatten()
                })
                .clone();
            json!({
                "path": s.label,
                // The short name `_source` carries (the full path is in the manifest only).
                "file": if s.path == "-" {
                    "stdin"
                } else {
                    s.sheet
                        .as_deref()
                        .and_then(|sh| s.label.strip_suffix(&format!("!{sh}")))
                        .unwrap_or(&s.label)
                },
                "sheet": s.sheet,
                "format": s.format,
                "encoding": s.encoding,
                "encoding_how": s.encoding_how,
                "header_row": s.header_row,
                "rows": rows.get(&s.label).copied().unwrap_or(0),
                "bytes": rec.as_ref().map(|r| r.bytes).unwrap_or(s.bytes),
                "sha256": rec.map(|r| r.sha256),
                "notes": s.notes,
            })
        })
        .collect()
}

/// Every note on the inputs, each with the source it is about: the readers' notes (title rows, blank rows,
/// precision loss), text read in an encoding other than UTF-8, and sheets of a workbook that were not read.
pub fn notes(infos: &[&SourceInfo], sheet: &SheetSelector) -> Vec<Value> {
    let mut out = Vec::new();
    for s in infos {
        for n in &s.notes {
            out.push(json!({"source": s.label, "note": n}));
        }
        if let Some(enc) = &s.encoding {
            if !enc.eq_ignore_ascii_case("utf-8") {
                out.push(json!({"source": s.label, "note": format!(
                    "text read as {enc} ({}); every output is UTF-8",
                    s.encoding_how.unwrap_or("detected")
                )}));
            }
        }
    }
    // A workbook's sheets that no source of this run read.
    let mut seen: Vec<&str> = Vec::new();
    for s in infos.iter().filter(|s| !s.sheets.is_empty()) {
        if seen.contains(&s.path.as_str()) {
            continue;
        }
        seen.push(&s.path);
        let read: Vec<&str> = infos
            .iter()
            .filter(|o| o.path == s.path)
            .filter_map(|o| o.sheet.as_deref())
            .collect();
        for name in s.sheets.iter().filter(|n| !read.contains(&n.as_str())) {
            let why = match sheet {
                SheetSelector::All => "it is empty".to_string(),
                SheetSelector::FirstNonEmpty => {
                    "only the first sheet with data is read; --sheet all reads every sheet"
                        .to_string()
                }
                _ => "not the sheet asked for (--sheet)".to_string(),
            };
            out.push(json!({"source": s.path, "note": format!("sheet {name:?} not read: {why}")}));
        }
    }
    out
}

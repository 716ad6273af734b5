//! Decisions a steward wrote into a review file (`match` / `not a match` per pair), turned into engine
//! labels on the rows of the table being deduplicated. The caller reads the file; this reads its rows.

use anyhow::Result;
use std::collections::HashMap;

use super::Label;
use crate::error::StewardError;
use crate::io::RawRow;
use crate::table::Table;

/// Labels from the rows of a filled-in review file (`name` names it in messages): its `_source_a`, `_row_a`,
/// `_source_b`, `_row_b` and `decision` columns. Rows without a decision, or marked `unsure`, are skipped; any
/// other decision that is neither match nor not a match is an error, and so is a file none of whose decided pairs names rows of `t`.
pub fn labels_from_review(
    name: &str,
    headers: &[String],
    rows: &[RawRow],
    t: &Table,
) -> Result<Vec<Label>> {
    let col = |c: &str| headers.iter().position(|h| h.trim() == c);
    let (Some(sa), Some(ra), Some(sb), Some(rb), Some(d)) = (
        col("_source_a"),
        col("_row_a"),
        col("_source_b"),
        col("_row_b"),
        col("decision"),
    ) else {
        return Err(StewardError::data(format!(
            "{name}: a labels file has the columns of a review file: _source_a, _row_a, _source_b, _row_b, decision"
        ))
        .into());
    };
    let n = t.columns.len();
    let mut at: HashMap<(&str, &str), usize> = HashMap::new();
    // Each row number with the sources that have it (a few), for review files naming full paths.
    let mut by_row: HashMap<&str, Vec<(&str, usize)>> = HashMap::new();
    for r in 0..t.len() {
        at.insert((t.get(r, n - 2), t.get(r, n - 1)), r);
        by_row
            .entry(t.get(r, n - 1))
            .or_default()
            .push((t.get(r, n - 2), r));
    }
    let mut labels = Vec::new();
    let mut unknown = 0usize;
    for r in rows {
        let f = |i: usize| r.fields.get(i).map(|s| s.trim()).unwrap_or("");
        let decision = f(d).to_lowercase();
        let is_match = match decision.as_str() {
            "" | "unsure" | "?" | "不确定" => continue,
            "match" | "yes" | "y" | "1" | "true" | "same" | "是" | "相同" | "同一人" => true,
            "not a match" | "no match" | "no" | "n" | "0" | "false" | "different" | "否"
            | "不同" | "not match" | "distinct" => false,
            other => {
                return Err(StewardError::data(format!(
                    "{name}: row {}: decision {other:?} is none of match, not a match, unsure",
                    r.row
                ))
                .into())
            }
        };
        // A review file written with the formula guard keeps `'12` for a row number a spreadsheet would retype.
        let row_a = f(ra).trim_start_matches('\'');
        let row_b = f(rb).trim_start_matches('\'');
        // A review file written before `_source` was shortened names the full path: its row is found
        // under the shorter name its path ends with.
        let find = |source: &str, row: &str| -> Option<usize> {
            at.get(&(source, row)).copied().or_else(|| {
                by_row
                    .get(row)?
                    .iter()
                    .find(|(s, _)| source.ends_with(&format!("/{s}")))
                    .map(|(_, i)| *i)
            })
        };
        match (find(f(sa), row_a), find(f(sb), row_b)) {
            (Some(a), Some(b)) if a != b => labels.push(Label { a, b, is_match }),
            _ => unknown += 1,
        }
    }
    if unknown > 0 && labels.is_empty() {
        return Err(StewardError::data(format!(
            "{name}: none of the {unknown} decided pair(s) names rows of this input (_source and _row must match)"
        ))
        .into());
    }
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new(vec!["id".into(), "_source".into(), "_row".into()]);
        for (id, row) in [("a", "2"), ("b", "3"), ("c", "4")] {
            t.push_row(&[id, "crm.csv", row]).unwrap();
        }
        t
    }

    fn review(rows: &[&str]) -> (Vec<String>, Vec<RawRow>) {
        let headers = "_source_a,_row_a,_source_b,_row_b,decision"
            .split(',')
            .map(String::from)
            .collect();
        let rows = rows
            .iter()
            .enumerate()
            .map(|(i, r)| RawRow {
                row: i as u64 + 2,
                fields: r.split(',').map(String::from).collect(),
            })
            .collect();
        (headers, rows)
    }

    #[test]
    fn decisions_become_labels_on_table_rows() {
        let (h, rows) = review(&[
            "crm.csv,2,crm.csv,3,Match",
            "crm.csv,'3,crm.csv,4, not a match ",
            "crm.csv,2,crm.csv,4,",
            "crm.csv,3,crm.csv,4,unsure",
            "crm.csv,2,crm.csv,2,是",
            "crm.csv,2,other.csv,4,match",
        ]);
        let labels = labels_from_review("review.csv", &h, &rows, &table()).unwrap();
        assert_eq!(
            labels,
            vec![
                Label {
                    a: 0,
                    b: 1,
                    is_match: true
                },
                Label {
                    a: 1,
                    b: 2,
                    is_match: false
                }
            ]
        );
    }

    #[test]
    fn review_files_naming_full_paths_are_still_read() {
        let (h, rows) = review(&[
            "/home/alice/exports/crm.csv,2,/home/alice/exports/crm.csv,3,match",
            "/home/alice/exports/xcrm.csv,2,crm.csv,4,match",
        ]);
        let labels = labels_from_review("review.csv", &h, &rows, &table()).unwrap();
        assert_eq!(
            labels,
            vec![Label {
                a: 0,
                b: 1,
                is_match: true
            }],
            "a path ending in crm.csv as a file name, not xcrm.csv"
        );
    }

    #[test]
    fn bad_files_are_data_errors_naming_the_file() {
        let t = table();
        let (h, rows) = review(&["crm.csv,2,crm.csv,3,maybe"]);
        let e = labels_from_review("r.csv", &h, &rows, &t).unwrap_err();
        assert_eq!(
            e.to_string(),
            "r.csv: row 2: decision \"maybe\" is none of match, not a match, unsure"
        );
        let (h, rows) = review(&["x.csv,2,x.csv,3,match"]);
        let e = labels_from_review("r.csv", &h, &rows, &t).unwrap_err();
        assert!(
            e.to_string().contains("none of the 1 decided pair(s)"),
            "{e}"
        );
        let e = labels_from_review("r.csv", &["decision".to_string()], &[], &t).unwrap_err();
        assert!(
            e.to_string().contains("the columns of a review file"),
            "{e}"
        );
        // nothing decided yet is no error, and no label
        let (h, rows) = review(&["crm.csv,2,crm.csv,3,"]);
        assert!(labels_from_review("r.csv", &h, &rows, &t)
            .unwrap()
            .is_empty());
    }
}

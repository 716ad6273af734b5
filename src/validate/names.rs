//! Splitting full names into given and family name across a table, each split recorded as a change.

use anyhow::Result;

use super::Change;
use crate::error::StewardError;
use crate::table::{Table, TextColumn, ROW_COLUMN, SOURCE_COLUMN};

/// Fill given_name and family_name from name where both are empty; adds the columns after name when missing.
/// Returns how many names were split. Each split is a recorded change.
/// `changes` are sorted by row afterwards.
pub fn split_names(
    table: &mut Table,
    changes: &mut Vec<Change>,
    record_changes: bool,
) -> Result<u64> {
    let Some(name_col) = table.column_index("name") else {
        return Err(
            StewardError::usage("--split-names needs a column mapped to the field name").into(),
        );
    };
    let n = table.len();
    for (offset, field) in ["given_name", "family_name"].iter().enumerate() {
        if table.column_index(field).is_none() {
            let mut empty = TextColumn::with_capacity(n);
            for _ in 0..n {
                empty.push("")?;
            }
            table.insert_column(name_col + 1 + offset, field, empty);
        }
    }
    let (g, f) = (
        table.column_index("given_name").unwrap_or(name_col),
        table.column_index("family_name").unwrap_or(name_col),
    );
    let (src, row) = (
        table.column_index(SOURCE_COLUMN),
        table.column_index(ROW_COLUMN),
    );
    let mut given = TextColumn::with_capacity(n);
    let mut family = TextColumn::with_capacity(n);
    let mut split = 0u64;
    for i in 0..n {
        let (old_g, old_f) = (table.get(i, g), table.get(i, f));
        let parts = if old_g.is_empty() && old_f.is_empty() {
            crate::fields::name::split_name(table.get(i, name_col))
        } else {
            None
        };
        match parts {
            Some(p) => {
                split += 1;
                given.push(&p.given)?;
                family.push(&p.family)?;
                let recorded = if record_changes {
                    vec![("given_name", &p.given), ("family_name", &p.family)]
                } else {
                    Vec::new()
                };
                for (field, value) in recorded {
                    changes.push(Change {
                        row_index: i,
                        source: src.map(|c| table.get(i, c).to_string()).unwrap_or_default(),
                        row: row.map(|c| table.get(i, c).to_string()).unwrap_or_default(),
                        field: field.to_string(),
                        before: String::new(),
                        after: value.clone(),
                        rule: "split-name".to_string(),
                    });
                }
            }
            None => {
                given.push(old_g)?;
                family.push(old_f)?;
            }
        }
    }
    table.data[g] = given;
    table.data[f] = family;
    changes.sort_by_key(|c| c.row_index);
    Ok(split)
}

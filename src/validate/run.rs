//! A check of read sources from start to end, in one of two ways with the same results: the whole table loaded
//! and checked (stdin, which cannot be read twice; `--split-names`, which rewrites columns), or streamed
//! (`streamed::StreamedCheck`), with normalized rows sent to a writer as they are checked.

use anyhow::Result;
use std::collections::BTreeMap;

use super::streamed::StreamedCheck;
use super::{check_table_with, CheckOptions, Outcome};
use crate::io::write::{DatasetWriter, WriteStats};
use crate::io::{Reject, Source};
use crate::schema::{ManualMap, Schema};
use crate::table::{load_table_counted, plan_import, LostDigits, Table};

/// What a check is asked for.
pub struct CheckRequest<'a> {
    pub schema: &'a Schema,
    pub maps: &'a [ManualMap],
    pub check: &'a CheckOptions,
    /// Record every changed cell (for a changes file).
    pub want_changes: bool,
    /// Told the rows read so far (a progress line).
    pub rows_read: &'a dyn Fn(u64),
}

/// A finished check, whole or streamed, with what its output files need.
pub struct Checked {
    pub columns: Vec<String>,
    /// Rows read (and checked).
    pub rows: usize,
    /// The whole table with its field columns normalized, when it was loaded whole.
    pub table: Option<Table>,
    /// When streamed: the normalized values of the rows with an error, for the rejects file.
    pub error_rows: BTreeMap<usize, Vec<String>>,
    pub outcome: Outcome,
    pub rows_in: u64,
    pub unreadable: Vec<(String, Reject)>,
}

impl Checked {
    /// The normalized values of a row (a rejected one, when streamed).
    pub fn row_values(&self, i: usize) -> Vec<String> {
        match &self.table {
            Some(t) => t.row(i).into_iter().map(String::from).collect(),
            None => self.error_rows.get(&i).cloned().unwrap_or_default(),
        }
    }
}

/// Load the whole table, then check it.
pub fn check_whole(req: &CheckRequest, sources: &[Source]) -> Result<Checked> {
    let loaded = load_table_counted(req.schema, sources, req.maps, &mut |n| (req.rows_read)(n))?;
    let mut table = loaded.table;
    let outcome = check_table_with(
        req.schema,
        &mut table,
        req.check,
        req.want_changes,
        &loaded.lost_digits,
    )?;
    Ok(Checked {
        columns: table.columns.clone(),
        rows: table.len(),
        table: Some(table),
        error_rows: BTreeMap::new(),
        outcome,
        rows_in: loaded.counts.rows_in,
        unreadable: loaded.rejects,
    })
}

/// Where a streamed check sends its normalized rows, opened once the columns are known.
pub type OpenWriter<'w> = dyn FnMut(&[String]) -> Result<DatasetWriter> + 'w;

/// Check the sources as a stream; `reread` opens them again to fetch rows rejected for a repeated unique
/// value (only when a rejects file wants them). The writer, if any, is finished here.
pub fn check_streamed(
    req: &CheckRequest,
    sources: &[Source],
    open: Option<&mut OpenWriter>,
    reread: Option<&dyn Fn() -> Result<Vec<Source>>>,
) -> Result<(Checked, Option<WriteStats>)> {
    let plan = plan_import(req.schema, sources, req.maps)?;
    let lost = LostDigits::of(&plan, sources);
    let count = |rows: u64| (req.rows_read)(rows);
    let stage = StreamedCheck::new(req.schema, &plan, req.check, req.want_changes)?
        .counting(&count)
        .with_lost_digits(&lost);
    let mut writer = match open {
        Some(open) => Some(open(&plan.columns)?),
        None => None,
    };
    let done = stage.run(sources, writer.as_mut(), reread)?;
    let stats = writer.map(|w| w.finish()).transpose()?;
    Ok((
        Checked {
            columns: done.columns,
            rows: done.rows,
            table: None,
            error_rows: done.error_rows,
            outcome: done.outcome,
            rows_in: done.rows_in,
            unreadable: done.unreadable,
        },
        stats,
    ))
}

//! Checking sources as a stream: pieces of rows checked on every core as they are read, without holding the
//! table. Normalized rows go to a writer in input order; only findings, changes, rejected rows and the values of
//! unique fields are kept.

use anyhow::Result;
use std::collections::BTreeMap;

use super::{CheckOptions, Outcome, RowChecker};
use crate::io::write::DatasetWriter;
use crate::io::{Reject, Source};
use crate::schema::{Schema, Severity};
use crate::table::{run_import_parallel, ImportPlan, TextColumn};

/// What a streamed check found.
pub struct Streamed {
    /// The table's columns (the plan's, `_source` and `_row` last).
    pub columns: Vec<String>,
    /// Rows read and checked.
    pub rows: usize,
    /// The normalized values of the rows with an error, by row index, for the rejects file; rows rejected only
    /// for a repeated value are among them when `reread` was given.
    pub error_rows: BTreeMap<usize, Vec<String>>,
    pub outcome: Outcome,
    /// Rows in, counting unreadable ones.
    pub rows_in: u64,
    /// Rows that could not be read (malformed CSV under `lenient`), with their source label.
    pub unreadable: Vec<(String, Reject)>,
}

/// A streamed check of sources imported by one plan.
pub struct StreamedCheck<'a> {
    plan: &'a ImportPlan,
    checker: RowChecker<'a>,
    /// Told the number of rows checked so far after each piece (for a progress line).
    rows_checked: Option<&'a dyn Fn(u64)>,
}

impl<'a> StreamedCheck<'a> {
    pub fn new(
        schema: &'a Schema,
        plan: &'a ImportPlan,
        opts: &'a CheckOptions,
        want_changes: bool,
    ) -> Result<StreamedCheck<'a>> {
        Ok(StreamedCheck {
            plan,
            checker: RowChecker::new(schema, &plan.columns, opts, want_changes)?,
            rows_checked: None,
        })
    }

    /// Tell `rows_checked` how many rows are checked after each piece.
    pub fn counting(mut self, rows_checked: &'a dyn Fn(u64)) -> StreamedCheck<'a> {
        self.rows_checked = Some(rows_checked);
        self
    }

    /// Report these cells as `excel-precision-lost` instead of checking them (see `RowChecker::with_lost_digits`).
    pub fn with_lost_digits(mut self, lost: &'a crate::table::LostDigits) -> StreamedCheck<'a> {
        self.checker = self.checker.with_lost_digits(lost);
        self
    }

    /// Check the sources piece by piece on every core: normalized rows go to `writer` (if any) in input order.
    /// Uniqueness is checked on normalized values once every row is seen; the rows rejected only for a repeated
    /// value are fetched by reading the sources again with `reread`, when given (else they are not kept).
    pub fn run(
        &self,
        sources: &[Source],
        mut writer: Option<&mut DatasetWriter>,
        reread: Option<&dyn Fn() -> Result<Vec<Source>>>,
    ) -> Result<Streamed> {
        let (plan, checker) = (self.plan, &self.checker);
        let columns = plan.columns.clone();
        let encoder = writer.as_ref().and_then(|w| w.encoder());
        let nkeys = checker.key_columns();
        let (row_col, id_col) = (
            columns.iter().position(|c| c == crate::table::ROW_COLUMN),
            checker.id_column(),
        );
        // For uniqueness and keys: each rule's keys, and every row's provenance and record id.
        let mut key_values: Vec<TextColumn> = (0..nkeys).map(|_| TextColumn::default()).collect();
        let mut row_numbers = TextColumn::default();
        let mut record_ids = TextColumn::default();
        let mut source_of: Vec<u32> = Vec::new();
        let mut labels: Vec<String> = Vec::new();
        let mut outcome = Outcome {
            fields: checker.empty_stats(),
            ..Default::default()
        };
        let mut error_rows: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        let mut unreadable = Vec::new();
        let mut base = 0usize;
        let counts = run_import_parallel(
            plan,
            sources,
            |piece| {
                let done = checker.check_piece(&piece.rows)?;
                let encoded = match &encoder {
                    Some(e) => {
                        let mut buf = e.buffer(done.rows.text_len() + done.rows.len() * 32);
                        for r in 0..done.rows.len() {
                            buf.write_row(&done.rows.row(r))?;
                        }
                        Some(buf.finish()?)
                    }
                    None => None,
                };
                Ok((done, encoded))
            },
            |piece, (mut done, encoded)| {
                let n = done.rows.len();
                if let Some(w) = writer.as_deref_mut() {
                    match encoded {
                        Some(e) => w.write_encoded(e)?,
                        None => {
                            for r in 0..n {
                                w.write_row(&done.rows.row(r))?;
                            }
                        }
                    }
                }
                for (si, rej) in &piece.rejects {
                    unreadable.push((sources[*si].info.label.clone(), rej.clone()));
                }
                for (r, bad) in done.row_has_error.iter().enumerate() {
                    if *bad {
                        error_rows.insert(
                            base + r,
                            done.rows.row(r).into_iter().map(String::from).collect(),
                        );
                    }
                }
                if nkeys > 0 {
                    for r in 0..n {
                        checker.push_keys(&|c| done.rows.cell(r, c), &mut key_values)?;
                        row_numbers.push(row_col.map(|c| done.rows.cell(r, c)).unwrap_or(""))?;
                        record_ids.push(id_col.map(|c| done.rows.cell(r, c)).unwrap_or(""))?;
                        let label = &piece.rows.cell(r, columns.len() - 2);
                        if labels.last().map(String::as_str) != Some(label) {
                            labels.push(label.to_string());
                        }
                        source_of.push((labels.len() - 1) as u32);
                    }
                }
                outcome.absorb(&mut done, base);
                checker.recycle(done.rows);
                base += n;
                if let Some(f) = self.rows_checked {
                    f(base as u64);
                }
                Ok(())
            },
        )?;

        // Uniqueness and keys, on the values written: every repeated value, key and dangling reference.
        let mut refetch: Vec<usize> = Vec::new();
        if nkeys > 0 {
            let found = checker.key_findings(
                &key_values,
                &|i| labels[source_of[i] as usize].clone(),
                &|i| row_numbers.get(i).to_string(),
                &|i| record_ids.get(i).to_string(),
            );
            for f in found {
                if f.severity == Severity::Error && !outcome.row_has_error[f.row_index] {
                    outcome.row_has_error[f.row_index] = true;
                    refetch.push(f.row_index);
                }
                outcome.findings.push(f);
            }
        }
        if let (false, Some(reread)) = (refetch.is_empty(), reread) {
            // Rows rejected only for a repeated value: read again to write them to the rejects file.
            refetch.sort_unstable();
            let again = reread()?;
            let mut at = 0usize;
            let mut next = 0usize;
            run_import_parallel(
                plan,
                &again,
                |_| Ok(()),
                |piece, ()| {
                    let n = piece.rows.len();
                    while next < refetch.len() && refetch[next] < at + n {
                        let r = refetch[next] - at;
                        let mut one = crate::table::FlatRows::new(columns.len(), 1);
                        one.push(&piece.rows.row(r));
                        let done = checker.check_piece(&one)?;
                        error_rows.insert(
                            refetch[next],
                            done.rows.row(0).into_iter().map(String::from).collect(),
                        );
                        next += 1;
                    }
                    at += n;
                    Ok(())
                },
            )?;
        }
        outcome.findings.sort_by_key(|f| (f.row_index, f.order));
        outcome.changes.sort_by_key(|c| c.row_index);
        Ok(Streamed {
            columns,
            rows: base,
            error_rows,
            outcome,
            rows_in: counts.rows_in,
            unreadable,
        })
    }
}

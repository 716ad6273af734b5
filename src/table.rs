//! The imported table: schema fields in schema order, then unmapped columns, then provenance
//! (`_source`, `_row`). Planning the columns across sources and projecting each source's rows onto them.

use anyhow::Result;
use serde::Serialize;

use crate::io::{Item, Reject, Source, SourceInfo};
use crate::schema::{map_headers, ColumnMapping, ManualMap, Schema};

pub const SOURCE_COLUMN: &str = "_source";
pub const ROW_COLUMN: &str = "_row";

/// The output columns of an import and, per source, where each comes from.
#[derive(Debug, Clone, Serialize)]
pub struct ImportPlan {
    /// Output columns, `_source` and `_row` last.
    pub columns: Vec<String>,
    /// How many leading columns are schema fields.
    pub mapped_fields: usize,
    /// Per source: its column mappings.
    pub mappings: Vec<Vec<ColumnMapping>>,
    /// Per source: for each output column before `_source`, the source column it is read from.
    #[serde(skip)]
    pub projections: Vec<Vec<Option<usize>>>,
}

/// Plan the output columns of sources mapped onto a schema.
pub fn plan_import(
    schema: &Schema,
    sources: &[Source],
    manual: &[ManualMap],
) -> Result<ImportPlan> {
    let mappings: Vec<Vec<ColumnMapping>> = sources
        .iter()
        .map(|s| map_headers(schema, &s.info.headers, manual))
        .collect::<Result<_>>()?;
    let mut columns: Vec<String> = schema
        .fields
        .iter()
        .filter(|f| {
            mappings.iter().any(|m| {
                m.iter()
                    .any(|c| c.field.as_deref() == Some(f.name.as_str()))
            })
        })
        .map(|f| f.name.clone())
        .collect();
    let mapped_fields = columns.len();
    // Unmapped columns, by name, in order of first appearance; kept apart from field names.
    let mut unmapped_names: Vec<String> = Vec::new();
    let mut name_of: Vec<Vec<(usize, String)>> = vec![Vec::new(); sources.len()];
    for (si, m) in mappings.iter().enumerate() {
        for (ci, c) in m.iter().enumerate() {
            if c.field.is_some() {
                continue;
            }
            let mut name = c.column.clone();
            let reserved = |n: &str| {
                columns[..mapped_fields].iter().any(|f| f == n)
                    || n == SOURCE_COLUMN
                    || n == ROW_COLUMN
                    || schema.field(n).is_some()
            };
            let mut k = 2;
            while reserved(&name) {
                name = format!("{}_{k}", c.column);
                k += 1;
            }
            name_of[si].push((ci, name.clone()));
            if !unmapped_names.contains(&name) {
                unmapped_names.push(name);
            }
        }
    }
    columns.extend(unmapped_names.iter().cloned());
    let mut projections = Vec::with_capacity(sources.len());
    for (si, m) in mappings.iter().enumerate() {
        let mut proj: Vec<Option<usize>> = Vec::with_capacity(columns.len());
        for col in &columns[..mapped_fields] {
            proj.push(
                m.iter()
                    .position(|c| c.field.as_deref() == Some(col.as_str())),
            );
        }
        for name in &unmapped_names {
            proj.push(
                name_of[si]
                    .iter()
                    .find(|(_, n)| n == name)
                    .map(|(ci, _)| *ci),
            );
        }
        projections.push(proj);
    }
    columns.push(SOURCE_COLUMN.to_string());
    columns.push(ROW_COLUMN.to_string());
    Ok(ImportPlan {
        columns,
        mapped_fields,
        mappings,
        projections,
    })
}

/// Counts of an import: every row read is written or rejected.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportCounts {
    pub rows_in: u64,
    pub rows_out: u64,
    pub rows_rejected: u64,
}

/// Stream every source's rows, projected onto the plan's columns, to `on_row`; malformed rows to `on_reject`.
pub fn run_import(
    plan: &ImportPlan,
    sources: &[Source],
    mut on_row: impl FnMut(&[String]) -> Result<()>,
    mut on_reject: impl FnMut(&SourceInfo, Reject) -> Result<()>,
) -> Result<ImportCounts> {
    let mut counts = ImportCounts::default();
    // One buffer of cells, reused for every row: no allocation per cell once warmed up.
    let mut out: Vec<String> = vec![String::new(); plan.columns.len()];
    let mut num = [0u8; 20];
    let n = plan.columns.len();
    for (si, source) in sources.iter().enumerate() {
        let proj = &plan.projections[si];
        source.for_each(|item| {
            counts.rows_in += 1;
            match item {
                Item::Row(r) => {
                    for (o, p) in proj.iter().enumerate() {
                        let cell = &mut out[o];
                        cell.clear();
                        if let Some(v) = p.and_then(|ci| r.fields.get(ci)) {
                            cell.push_str(v);
                        }
                    }
                    out[n - 2].clear();
                    out[n - 2].push_str(&source.info.label);
                    out[n - 1].clear();
                    out[n - 1].push_str(itoa_u64(r.row, &mut num));
                    counts.rows_out += 1;
                    on_row(&out)
                }
                Item::Reject(rej) => {
                    counts.rows_rejected += 1;
                    on_reject(&source.info, rej)
                }
            }
        })?;
    }
    Ok(counts)
}

/// One column of text, stored as one buffer with the end offset of each value: two allocations per column
/// instead of one per cell, so a table costs little more than its text.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    buf: String,
    ends: Vec<u32>,
}

impl TextColumn {
    pub fn with_capacity(rows: usize) -> TextColumn {
        TextColumn {
            buf: String::new(),
            ends: Vec::with_capacity(rows),
        }
    }

    /// Append a value. Offsets are 32-bit to halve their memory: a column holds at most 4 GiB of text.
    pub fn push(&mut self, v: &str) -> Result<()> {
        self.buf.push_str(v);
        let end = u32::try_from(self.buf.len()).map_err(|_| {
            crate::error::StewardError::data(
                "a column holds more than 4 GiB of text; split the input into smaller files",
            )
        })?;
        self.ends.push(end);
        Ok(())
    }

    /// Move another column's values to the end of this one.
    pub fn append(&mut self, other: TextColumn) -> Result<()> {
        let base = self.buf.len();
        self.buf.push_str(&other.buf);
        let too_big = || {
            crate::error::StewardError::data(
                "a column holds more than 4 GiB of text; split the input into smaller files",
            )
        };
        u32::try_from(self.buf.len()).map_err(|_| too_big())?;
        self.ends.extend(other.ends.iter().map(|e| e + base as u32));
        Ok(())
    }

    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.buf[start..self.ends[i] as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
}

/// A whole table in memory, column by column, for stages that need every row (validation, dedupe).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub data: Vec<TextColumn>,
}

impl Table {
    pub fn new(columns: Vec<String>) -> Table {
        let data = columns.iter().map(|_| TextColumn::default()).collect();
        Table { columns, data }
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    pub fn len(&self) -> usize {
        self.data.first().map(|c| c.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, row: usize, col: usize) -> &str {
        self.data[col].get(row)
    }

    /// One row's values, in column order.
    pub fn row(&self, i: usize) -> Vec<&str> {
        self.data.iter().map(|c| c.get(i)).collect()
    }

    /// Insert a column at a position (its values must match the table's row count).
    pub fn insert_column(&mut self, at: usize, name: &str, column: TextColumn) {
        self.columns.insert(at, name.to_string());
        self.data.insert(at, column);
    }

    pub fn push_row<S: AsRef<str>>(&mut self, row: &[S]) -> Result<()> {
        for (c, v) in self.data.iter_mut().zip(row) {
            c.push(v.as_ref())?;
        }
        Ok(())
    }
}

/// Everything read from the sources, in memory: the table, the plan it follows, counts and rejected rows.
pub struct Loaded {
    pub plan: ImportPlan,
    pub table: Table,
    pub counts: ImportCounts,
    pub rejects: Vec<(String, Reject)>,
}

/// Read every source into one table.
pub fn load_table(schema: &Schema, sources: &[Source], manual: &[ManualMap]) -> Result<Loaded> {
    let plan = plan_import(schema, sources, manual)?;
    let mut table = Table::new(plan.columns.clone());
    let mut rejects = Vec::new();
    let counts = run_import(
        &plan,
        sources,
        |r| table.push_row(r),
        |info, rej| {
            rejects.push((info.label.clone(), rej));
            Ok(())
        },
    )?;
    Ok(Loaded {
        table,
        plan,
        counts,
        rejects,
    })
}

/// Decimal text of a row number without allocating.
fn itoa_u64(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

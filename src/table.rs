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
    let mut unmapped_seen: std::collections::HashSet<String> = std::collections::HashSet::new();
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
            if unmapped_seen.insert(name.clone()) {
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
        // The first column of this source with each name (a lookup, not a scan: thousands of columns).
        let mut column_named: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::with_capacity(name_of[si].len());
        for (ci, n) in &name_of[si] {
            column_named.entry(n.as_str()).or_insert(*ci);
        }
        for name in &unmapped_names {
            proj.push(column_named.get(name.as_str()).copied());
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
                    out[n - 1].push_str(r.label.unwrap_or_else(|| itoa_u64(r.row, &mut num)));
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

/// Rows of text in one buffer: far fewer allocations than a `Vec<String>` per row.
#[derive(Debug, Clone, Default)]
pub struct FlatRows {
    text: String,
    ends: Vec<usize>,
    width: usize,
}

impl FlatRows {
    pub fn new(width: usize, rows: usize) -> FlatRows {
        FlatRows {
            text: String::with_capacity(rows * width * 12),
            ends: Vec::with_capacity(rows * width),
            width,
        }
    }

    pub fn push<S: AsRef<str>>(&mut self, row: &[S]) {
        for c in row {
            self.push_cell(c.as_ref());
        }
    }

    /// Append one cell; a row is complete after `width` cells.
    pub fn push_cell(&mut self, c: &str) {
        self.text.push_str(c);
        self.ends.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len() / self.width.max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Empty, keeping the memory, for rows of `width` cells.
    pub fn reset(&mut self, width: usize) {
        self.text.clear();
        self.ends.clear();
        self.width = width;
    }

    /// Bytes of text held.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    pub fn cell(&self, r: usize, c: usize) -> &str {
        let i = r * self.width + c;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    pub fn row(&self, r: usize) -> Vec<&str> {
        (0..self.width).map(|c| self.cell(r, c)).collect()
    }
}

/// A run of consecutive input rows, projected onto the plan's columns (`_source` and `_row` included), and the
/// malformed rows among them (with `--lenient`) with the index of their source.
pub struct Piece {
    pub rows: FlatRows,
    pub rejects: Vec<(usize, Reject)>,
}

/// Pieces whose rows were used, kept for the next rows.
#[derive(Default)]
struct PiecePool(std::sync::Mutex<Vec<Piece>>);

impl PiecePool {
    fn take(&self, width: usize) -> Piece {
        let reused = self.0.lock().ok().and_then(|mut p| p.pop());
        match reused {
            Some(mut p) if p.rows.width == width => {
                p.rows.text.clear();
                p.rows.ends.clear();
                p.rejects.clear();
                p
            }
            _ => Piece {
                rows: FlatRows::new(width, PIECE_ROWS),
                rejects: Vec::new(),
            },
        }
    }

    fn give(&self, p: Piece) {
        if let Ok(mut pool) = self.0.lock() {
            if pool.len() < 16 {
                pool.push(p);
            }
        }
    }
}

/// Rows per piece when rows come from a reader that is not cut in bytes (workbooks, small files, stdin).
const PIECE_ROWS: usize = 8 * 1024;
/// Bytes per piece of a large CSV file.
const PIECE_BYTES: usize = 1 << 20;

/// Like `run_import`, with the work spread over every core: rows come in pieces, `work` runs on any thread
/// (large CSV files are decoded and parsed there too), and `sink` receives each piece with its result in
/// input order. The first error in input order stops the run.
pub fn run_import_parallel<T: Send>(
    plan: &ImportPlan,
    sources: &[Source],
    work: impl Fn(&Piece) -> Result<T> + Sync,
    mut sink: impl FnMut(&Piece, T) -> Result<()>,
) -> Result<ImportCounts> {
    use rayon::prelude::*;
    let mut counts = ImportCounts::default();
    let n = plan.columns.len();
    let batch = 4 * rayon::current_num_threads().max(1);
    // Buffers are reused: raw bytes of pieces, and pieces of rows.
    let raw_pool = &crate::io::write::BufferPool::default();
    let pieces = PiecePool::default();
    let mut finish = |done: Vec<Result<(Piece, T)>>, counts: &mut ImportCounts| -> Result<()> {
        for r in done {
            let (piece, t) = r?;
            let rows = piece.rows.len() as u64;
            let rejected = piece.rejects.len() as u64;
            counts.rows_in += rows + rejected;
            counts.rows_out += rows;
            counts.rows_rejected += rejected;
            sink(&piece, t)?;
            pieces.give(piece);
        }
        Ok(())
    };
    for (si, source) in sources.iter().enumerate() {
        let proj = &plan.projections[si];
        let label = source.info.label.as_str();
        let add = |piece: &mut Piece, item: Item<'_>, num: &mut [u8; 20]| match item {
            Item::Row(r) => {
                for p in proj {
                    piece
                        .rows
                        .push_cell(p.and_then(|ci| r.fields.get(ci).copied()).unwrap_or(""));
                }
                piece.rows.push_cell(label);
                piece
                    .rows
                    .push_cell(r.label.unwrap_or_else(|| itoa_u64(r.row, num)));
            }
            Item::Reject(rej) => piece.rejects.push((si, rej)),
        };
        let new_piece = || pieces.take(n);
        if let Some(stream) = source.stream() {
            // One thread cuts the file into pieces of whole records; every core decodes, parses and works.
            std::thread::scope(|scope| -> Result<()> {
                let (tx, rx) = std::sync::mpsc::sync_channel(batch);
                let cutter = scope.spawn(move || {
                    stream.cut(&source.info, PIECE_BYTES, raw_pool, &mut |raw| {
                        // A closed channel means the work stopped on an error, which is reported instead.
                        tx.send(raw)
                            .map_err(|_| anyhow::anyhow!("reading stopped early"))
                    })
                });
                // Pieces go to the pool as they are cut; results are put back in order as they come.
                let worked = rayon::in_place_scope(|scope| -> Result<()> {
                    let (done_tx, done_rx) =
                        std::sync::mpsc::channel::<(usize, Result<(Piece, T)>)>();
                    let mut raws = rx.iter();
                    let mut waiting: std::collections::BTreeMap<usize, Result<(Piece, T)>> =
                        std::collections::BTreeMap::new();
                    let (mut next_in, mut next_out) = (0usize, 0usize);
                    loop {
                        while next_in - next_out < batch {
                            let Some(raw) = raws.next() else { break };
                            let done_tx = done_tx.clone();
                            let (work, new_piece, add) = (&work, &new_piece, &add);
                            let i = next_in;
                            scope.spawn(move |_| {
                                let parsed = (|| {
                                    let mut piece = new_piece();
                                    let mut num = [0u8; 20];
                                    let buf = stream.parse(&source.info, raw, &mut |item| {
                                        add(&mut piece, item, &mut num);
                                        Ok(())
                                    })?;
                                    raw_pool.give(buf);
                                    let t = work(&piece)?;
                                    Ok((piece, t))
                                })();
                                // The receiver is gone only when an earlier piece failed.
                                let _ = done_tx.send((i, parsed));
                            });
                            next_in += 1;
                        }
                        if next_in == next_out {
                            return Ok(());
                        }
                        let (i, r) = done_rx
                            .recv()
                            .map_err(|_| anyhow::anyhow!("a worker stopped"))?;
                        waiting.insert(i, r);
                        while let Some(r) = waiting.remove(&next_out) {
                            next_out += 1;
                            finish(vec![r], &mut counts)?;
                        }
                    }
                });
                drop(rx);
                let cut = cutter.join().map_err(|_| {
                    crate::error::StewardError::new(
                        crate::error::ExitCode::Software,
                        "the reading thread panicked",
                    )
                })?;
                // The work's error comes first: the reader only stops early because of it.
                worked?;
                cut
            })?;
        } else {
            let mut pending: Vec<Piece> = Vec::new();
            let mut piece = new_piece();
            let mut num = [0u8; 20];
            let work = &work;
            let run = |pending: &mut Vec<Piece>| -> Vec<Result<(Piece, T)>> {
                std::mem::take(pending)
                    .into_par_iter()
                    .map(|p| {
                        let t = work(&p)?;
                        Ok((p, t))
                    })
                    .collect()
            };
            source.for_each(|item| {
                add(&mut piece, item, &mut num);
                if piece.rows.len() + piece.rejects.len() >= PIECE_ROWS {
                    pending.push(std::mem::replace(&mut piece, new_piece()));
                    if pending.len() >= batch {
                        finish(run(&mut pending), &mut counts)?;
                    }
                }
                Ok(())
            })?;
            if !piece.rows.is_empty() || !piece.rejects.is_empty() {
                pending.push(piece);
            }
            finish(run(&mut pending), &mut counts)?;
        }
    }
    Ok(counts)
}

/// One column of text, stored as one buffer with the end offset of each value: two allocations per column
/// instead of one per cell, so a table costs little more than its text. A spilled column (`Table::spill`)
/// keeps both in a file mapped read-only instead: its pages are the kernel's to drop and read back.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    buf: String,
    ends: Vec<u32>,
    /// Where the column lies when spilled (then `buf` and `ends` are empty).
    mapped: Option<Mapped>,
}

/// A spilled column: a mapped file of `rows` ends (native u32), then `text_len` bytes of text.
#[derive(Clone)]
struct Mapped {
    map: std::sync::Arc<memmap2::Mmap>,
    rows: usize,
    text_len: usize,
}

impl std::fmt::Debug for Mapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mapped({} rows, {} bytes)", self.rows, self.text_len)
    }
}

impl Mapped {
    #[inline]
    fn parts(&self) -> (&str, &[u32]) {
        let (ends, text) = self.map.split_at(4 * self.rows);
        // SAFETY: `spilled` wrote these bytes from the column's own `Vec<u32>` and `String` at the start of
        // the (page-aligned) mapping, into a file no one else can open (unlinked from the start) and that is
        // never written again: the ends are aligned u32s and the text is UTF-8.
        unsafe {
            (
                std::str::from_utf8_unchecked(text),
                std::slice::from_raw_parts(ends.as_ptr().cast::<u32>(), self.rows),
            )
        }
    }
}

impl TextColumn {
    pub fn with_capacity(rows: usize) -> TextColumn {
        TextColumn {
            buf: String::new(),
            ends: Vec::with_capacity(rows),
            mapped: None,
        }
    }

    /// An empty column with room for `rows` values of `bytes` bytes of text in all.
    pub fn with_capacities(rows: usize, bytes: usize) -> TextColumn {
        TextColumn {
            buf: String::with_capacity(bytes),
            ends: Vec::with_capacity(rows),
            mapped: None,
        }
    }

    /// The text and the end of each value, wherever they lie.
    #[inline]
    fn parts(&self) -> (&str, &[u32]) {
        match &self.mapped {
            None => (&self.buf, &self.ends),
            Some(m) => m.parts(),
        }
    }

    /// A spilled column about to change is read back into memory first.
    #[inline]
    fn own(&mut self) {
        if self.mapped.is_none() {
            return;
        }
        if let Some(m) = self.mapped.take() {
            let (text, ends) = m.parts();
            self.buf = text.to_string();
            self.ends = ends.to_vec();
        }
    }

    /// Bytes of text in the column.
    pub fn text_len(&self) -> usize {
        self.parts().0.len()
    }

    /// Append a value. Offsets are 32-bit to halve their memory: a column holds at most 4 GiB of text.
    pub fn push(&mut self, v: &str) -> Result<()> {
        self.own();
        self.buf.push_str(v);
        let end = u32::try_from(self.buf.len()).map_err(|_| {
            crate::error::StewardError::data(
                "a column holds more than 4 GiB of text; split the input into smaller files",
            )
        })?;
        self.ends.push(end);
        Ok(())
    }

    /// Append the values of rows `rows` of another column (one copy of their text).
    pub fn extend_from(&mut self, other: &TextColumn, rows: std::ops::Range<usize>) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        self.own();
        let (other_buf, other_ends) = other.parts();
        let start = if rows.start == 0 {
            0
        } else {
            other_ends[rows.start - 1] as usize
        };
        let end = other_ends[rows.end - 1] as usize;
        let base = self.buf.len();
        self.buf.push_str(&other_buf[start..end]);
        u32::try_from(self.buf.len()).map_err(|_| {
            crate::error::StewardError::data(
                "a column holds more than 4 GiB of text; split the input into smaller files",
            )
        })?;
        let shift = base as i64 - start as i64;
        self.ends
            .extend(other_ends[rows].iter().map(|&e| (e as i64 + shift) as u32));
        Ok(())
    }

    /// Replace value `i` with one of the same length in bytes, where it lies (a spilled column is read back
    /// first); a value of another length is an error, for the caller to copy the column instead.
    pub fn overwrite(&mut self, i: usize, v: &str) -> Result<()> {
        self.own();
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends[i] as usize;
        if end - start != v.len() {
            anyhow::bail!(
                "overwrite: value {i} is {} bytes, not {}",
                end - start,
                v.len()
            );
        }
        // The same number of bytes between two values' boundaries: no byte after it moves.
        self.buf.replace_range(start..end, v);
        Ok(())
    }

    /// Move another column's values to the end of this one.
    pub fn append(&mut self, other: TextColumn) -> Result<()> {
        self.own();
        let (other_buf, other_ends) = other.parts();
        let base = self.buf.len();
        self.buf.push_str(other_buf);
        let too_big = || {
            crate::error::StewardError::data(
                "a column holds more than 4 GiB of text; split the input into smaller files",
            )
        };
        u32::try_from(self.buf.len()).map_err(|_| too_big())?;
        self.ends.extend(other_ends.iter().map(|e| e + base as u32));
        Ok(())
    }

    #[inline]
    pub fn get(&self, i: usize) -> &str {
        let (buf, ends) = self.parts();
        let start = if i == 0 { 0 } else { ends[i - 1] as usize };
        &buf[start..ends[i] as usize]
    }

    pub fn len(&self) -> usize {
        match &self.mapped {
            None => self.ends.len(),
            Some(m) => m.rows,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }

    /// The column written to an unlinked file in `dir` and mapped (see `Table::spill`); None when it is
    /// spilled already or empty.
    fn spilled(&self, dir: &std::path::Path) -> Result<Option<TextColumn>> {
        use std::io::Write;
        if self.is_spilled() || (self.ends.is_empty() && self.buf.is_empty()) {
            return Ok(None);
        }
        let mut file = tempfile::tempfile_in(dir)?;
        // SAFETY: a u32 slice viewed as its bytes (any alignment suits u8).
        let ends = unsafe {
            std::slice::from_raw_parts(self.ends.as_ptr().cast::<u8>(), 4 * self.ends.len())
        };
        file.write_all(ends)?;
        file.write_all(self.buf.as_bytes())?;
        // SAFETY: the file was created unlinked by this process and is only ever read from here on.
        let map = unsafe { memmap2::Mmap::map(&file)? };
        Ok(Some(TextColumn {
            buf: String::new(),
            ends: Vec::new(),
            mapped: Some(Mapped {
                map: std::sync::Arc::new(map),
                rows: self.ends.len(),
                text_len: self.buf.len(),
            }),
        }))
    }

    /// The column spilled into `dir` as `Table::spill` does it (itself when spilled already or empty).
    pub fn spill_into(self, dir: &std::path::Path) -> Result<TextColumn> {
        Ok(self.spilled(dir)?.unwrap_or(self))
    }

    /// Whether the column lies in a spill file (`Table::spill`).
    pub fn is_spilled(&self) -> bool {
        self.mapped.is_some()
    }

    /// Let the kernel take back the memory of a spilled column's pages: they stay in its page cache while
    /// memory allows and are read back from the file when next touched. Nothing for a column in memory.
    pub fn release(&self) {
        #[cfg(unix)]
        if let Some(m) = &self.mapped {
            // SAFETY: the mapping is of a file that is never written, shared read-only: dropping its pages
            // changes no byte anyone reads, it only makes the next read fault them back in.
            let _ = unsafe { m.map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
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

    /// Move the table's columns out of memory into files in `dir`, one a column, unlinked from the moment
    /// they are made (no name, gone with the process however it ends), mapped read-only: the table reads as
    /// before, but its pages are the kernel's page cache, which it fills as they are read and may drop when
    /// memory is short (`release` drops them at once). A cleanup job spills a large table across the stages
    /// that need only part of it at a time. Columns spilled already stay where they are.
    pub fn spill(&mut self, dir: &std::path::Path) -> Result<()> {
        use rayon::prelude::*;
        // The columns written on every core (one file each: writers to one file take turns): copying into
        // the page cache is the cost.
        let spilled: Vec<Option<TextColumn>> = self
            .data
            .par_iter()
            .map(|col| col.spilled(dir))
            .collect::<Result<_>>()?;
        for (col, s) in self.data.iter_mut().zip(spilled) {
            if let Some(s) = s {
                *col = s;
            }
        }
        Ok(())
    }

    /// Give the pages of spilled columns back to the kernel (see `TextColumn::release`).
    pub fn release(&self) {
        self.data.iter().for_each(TextColumn::release);
    }

    /// Insert a column at a position (its values must match the table's row count).
    pub fn insert_column(&mut self, at: usize, name: &str, column: TextColumn) {
        self.columns.insert(at, name.to_string());
        self.data.insert(at, column);
    }

    /// The rows whose `keep` is true, in order. Consumes the table and filters it one column at a time, so
    /// memory never holds two copies of it; a table that keeps every row is returned as it is.
    pub fn retain_rows(self, keep: &[bool]) -> Result<Table> {
        if keep.iter().all(|&k| k) {
            return Ok(self);
        }
        let Table { columns, data } = self;
        let kept = keep.iter().filter(|&&k| k).count();
        let mut out = Vec::with_capacity(data.len());
        for col in data {
            let bytes = (0..col.len())
                .filter(|&r| keep[r])
                .map(|r| col.get(r).len())
                .sum();
            let mut c = TextColumn::with_capacities(kept, bytes);
            for r in (0..col.len()).filter(|&r| keep[r]) {
                c.push(col.get(r))?;
            }
            out.push(c);
        }
        Ok(Table { columns, data: out })
    }

    pub fn push_row<S: AsRef<str>>(&mut self, row: &[S]) -> Result<()> {
        for (c, v) in self.data.iter_mut().zip(row) {
            c.push(v.as_ref())?;
        }
        Ok(())
    }

    /// Put the columns in the order `order` gives (a permutation of their indexes); no value is copied.
    pub fn reorder(&mut self, order: &[usize]) {
        debug_assert_eq!(order.len(), self.columns.len());
        let mut columns = std::mem::take(&mut self.columns);
        let mut data: Vec<Option<TextColumn>> = std::mem::take(&mut self.data)
            .into_iter()
            .map(Some)
            .collect();
        self.columns = order
            .iter()
            .map(|&c| std::mem::take(&mut columns[c]))
            .collect();
        self.data = order.iter().filter_map(|&c| data[c].take()).collect();
    }
}

impl crate::io::write::Rows for Table {
    fn columns(&self) -> Vec<String> {
        self.columns.clone()
    }
    fn len(&self) -> usize {
        Table::len(self)
    }
    fn for_each_row(&self, f: &mut dyn FnMut(&[&str]) -> Result<()>) -> Result<()> {
        let mut row: Vec<&str> = Vec::with_capacity(self.data.len());
        for r in 0..Table::len(self) {
            row.clear();
            row.extend(self.data.iter().map(|c| c.get(r)));
            f(&row)?;
        }
        Ok(())
    }
}

/// Columns of tables with the same rows, read as one table without copying a value: an output made of an
/// input's columns and columns a stage computed for each row (clusters: the input, then its cluster columns).
#[derive(Debug, Clone, Default)]
pub struct TableView<'a> {
    pub columns: Vec<(&'a str, &'a TextColumn)>,
}

impl<'a> TableView<'a> {
    /// Every column of `t`, after those already in the view.
    pub fn all(mut self, t: &'a Table) -> Self {
        self.columns
            .extend(t.columns.iter().map(String::as_str).zip(&t.data));
        self
    }

    /// Column `i` of `t`, after those already in the view.
    pub fn column(mut self, t: &'a Table, i: usize) -> Self {
        self.columns.push((&t.columns[i], &t.data[i]));
        self
    }

    /// Rows in the view (those of its first column).
    pub fn len(&self) -> usize {
        self.columns.first().map(|(_, c)| c.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|(n, _)| n.to_string()).collect()
    }

    /// One row's values, in column order.
    pub fn row(&self, r: usize) -> Vec<&'a str> {
        self.columns.iter().map(|(_, c)| c.get(r)).collect()
    }

    /// The view as a table of its own (a copy of every value).
    pub fn to_table(&self) -> Table {
        Table {
            columns: self.columns.iter().map(|(n, _)| n.to_string()).collect(),
            data: self.columns.iter().map(|(_, c)| (*c).clone()).collect(),
        }
    }
}

impl crate::io::write::Rows for TableView<'_> {
    fn columns(&self) -> Vec<String> {
        self.columns.iter().map(|(n, _)| n.to_string()).collect()
    }
    fn len(&self) -> usize {
        self.columns.first().map(|(_, c)| c.len()).unwrap_or(0)
    }
    fn for_each_row(&self, f: &mut dyn FnMut(&[&str]) -> Result<()>) -> Result<()> {
        let mut row: Vec<&str> = Vec::with_capacity(self.columns.len());
        for r in 0..crate::io::write::Rows::len(self) {
            row.clear();
            row.extend(self.columns.iter().map(|(_, c)| c.get(r)));
            f(&row)?;
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
    /// Cells whose Excel number lost digits, for validation.
    pub lost_digits: LostDigits,
}

/// The cells of a table whose value Excel rounded (a number of more than 15 digits): by `_source` label and
/// `_row`, the output columns holding such a cell. Validation reports them as `excel-precision-lost` instead of
/// checking digits that are not the ones typed.
#[derive(Debug, Clone, Default)]
pub struct LostDigits {
    by_source: std::collections::HashMap<String, std::collections::HashMap<u64, Vec<String>>>,
}

impl LostDigits {
    /// The lost-digit cells of the sources, named by the plan's output columns.
    pub fn of(plan: &ImportPlan, sources: &[Source]) -> LostDigits {
        let mut lost = LostDigits::default();
        for (si, s) in sources.iter().enumerate() {
            for &(row, col) in &s.info.lost_digits {
                for (o, p) in plan.projections[si].iter().enumerate() {
                    if *p == Some(col) {
                        lost.by_source
                            .entry(s.info.label.clone())
                            .or_default()
                            .entry(row)
                            .or_default()
                            .push(plan.columns[o].clone());
                    }
                }
            }
        }
        lost
    }

    pub fn is_empty(&self) -> bool {
        self.by_source.is_empty()
    }

    /// The columns of row `row` (as `_row` text) of source `source` whose number lost digits.
    pub fn columns(&self, source: &str, row: &str) -> &[String] {
        self.by_source
            .get(source)
            .and_then(|rows| rows.get(&row.parse::<u64>().ok()?))
            .map(|c| c.as_slice())
            .unwrap_or(&[])
    }
}

/// Read every source into one table.
pub fn load_table(schema: &Schema, sources: &[Source], manual: &[ManualMap]) -> Result<Loaded> {
    load_table_counted(schema, sources, manual, &mut |_| {})
}

/// `load_table`, telling `rows_read` the number of rows read so far after each piece (for a progress line).
pub fn load_table_counted(
    schema: &Schema,
    sources: &[Source],
    manual: &[ManualMap],
    rows_read: &mut dyn FnMut(u64),
) -> Result<Loaded> {
    let plan = plan_import(schema, sources, manual)?;
    let mut table = Table::new(plan.columns.clone());
    let mut rejects = Vec::new();
    // Large files are parsed on every core; rows are added in input order.
    let counts = run_import_parallel(
        &plan,
        sources,
        |_| Ok(()),
        |piece, ()| {
            for r in 0..piece.rows.len() {
                for (c, col) in table.data.iter_mut().enumerate() {
                    col.push(piece.rows.cell(r, c))?;
                }
            }
            for (si, rej) in &piece.rejects {
                rejects.push((sources[*si].info.label.clone(), rej.clone()));
            }
            rows_read(table.len() as u64);
            Ok(())
        },
    )?;
    Ok(Loaded {
        lost_digits: LostDigits::of(&plan, sources),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: usize) -> Table {
        let mut t = Table::new(vec!["id".into(), "name".into(), "empty".into()]);
        for i in 0..rows {
            let name = if i % 3 == 0 {
                String::new()
            } else {
                format!("名前 {i} é")
            };
            t.push_row(&[format!("C{i:05}"), name, String::new()])
                .unwrap();
        }
        t
    }

    #[test]
    fn a_value_is_overwritten_in_place_only_by_one_of_its_length() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = table(7);
        t.spill(dir.path()).unwrap();
        let col = &mut t.data[1];
        // "名前 4 é" is 11 bytes: another 11 in its place, the spilled column read back first.
        col.overwrite(4, "NAMEX 4 NAM").unwrap();
        assert!(!col.is_spilled());
        assert!(col.overwrite(5, "short").is_err());
        assert!(col.overwrite(0, "x").is_err());
        col.overwrite(0, "").unwrap();
        let want = table(7);
        for r in 0..7 {
            let expect = if r == 4 {
                "NAMEX 4 NAM"
            } else {
                want.get(r, 1)
            };
            assert_eq!(col.get(r), expect, "row {r}");
        }
    }

    #[test]
    fn a_spilled_table_reads_as_it_did_and_changes_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        for rows in [0, 1, 5, 3000] {
            let before = table(rows);
            let mut t = before.clone();
            t.spill(dir.path()).unwrap();
            assert_eq!(t.len(), rows);
            assert!(rows == 0 || t.data.iter().all(TextColumn::is_spilled));
            for r in 0..rows {
                assert_eq!(t.row(r), before.row(r), "row {r}");
            }
            // Its pages given back, it still reads the same (they come back from the file).
            t.release();
            for c in 0..3 {
                assert_eq!(t.data[c].text_len(), before.data[c].text_len());
                assert!(t.data[c].iter().eq(before.data[c].iter()));
            }
            // Spilling again leaves spilled columns where they are; a new column is spilled beside them.
            t.insert_column(1, "x", before.data[0].clone());
            t.spill(dir.path()).unwrap();
            assert!(t.data[1].iter().eq(before.data[0].iter()));
            // A change reads the column back first.
            t.data[0].push("last").unwrap();
            assert!(!t.data[0].is_spilled());
            assert_eq!(t.data[0].len(), rows + 1);
            assert_eq!(t.data[0].get(rows), "last");
            if rows > 0 {
                assert_eq!(t.data[0].get(rows - 1), before.data[0].get(rows - 1));
            }
            // Filtering and copying out of a spilled column.
            let mut other = TextColumn::default();
            other.extend_from(&t.data[2], 0..rows).unwrap();
            other.append(t.data[2].clone()).unwrap();
            assert_eq!(other.len(), 2 * rows);
            let keep: Vec<bool> = (0..rows).map(|r| r % 2 == 0).collect();
            let mut u = before.clone();
            u.spill(dir.path()).unwrap();
            let kept = u.retain_rows(&keep).unwrap();
            assert_eq!(kept.len(), rows.div_ceil(2));
            for (k, r) in (0..rows).step_by(2).enumerate() {
                assert_eq!(kept.row(k), before.row(r));
            }
        }
        // The file has no name: nothing is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

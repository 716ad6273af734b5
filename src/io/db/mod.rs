//! Database tables as sources and destinations (PostgreSQL, MySQL/MariaDB, SQLite), behind the same seam as files: a
//! source yields rows of text with `_source`/`_row`; a destination loads rows inside one transaction that
//! commits only with the command's other outputs (`Outputs::commit`).
//!
//! NULL and the empty string: a NULL reads as the empty value, which every rule already treats as missing,
//! and is written back as NULL (an empty unquoted field in CSV). A database's empty string ('' that is not
//! NULL) reads as [`EMPTY_TEXT`], which rules treat as blank too (it is whitespace to `trim`); CSV outputs
//! write it as `""` and a database destination writes it back as ''. So NULL and '' keep apart through a
//! command and back into a database; in a CSV file read back they are both an empty field.

pub mod mysql;
pub mod pg;
pub mod rows;
pub mod sqlite;
pub mod url;

use anyhow::Result;
use std::sync::{Arc, Mutex};

pub use url::{is_database, redact, DbUrl, Engine};

use super::digest::{Digest, Hasher};
use super::source::{Item, ReadOptions, RowRef, SourceInfo};
use crate::error::StewardError;

/// The in-memory value of a database's empty string: NEXT LINE (U+0085), a whitespace character no
/// customer value consists of, so blank checks see it as blank and writers turn it back into ''.
pub const EMPTY_TEXT: &str = "\u{85}";

/// What joins the parts of a composite primary key in `_row` (`2024|0017`).
pub const KEY_JOIN: &str = "|";

/// An existing table to append to or replace must have every column of the rows written (`have`: its
/// columns); nothing is written otherwise.
fn check_columns(shown: &str, table: &str, columns: &[String], have: &[String]) -> Result<()> {
    let missing: Vec<&str> = columns
        .iter()
        .filter(|c| !have.contains(c))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(StewardError::cant_create(format!(
        "{shown}: table {table} has no column {} (its columns: {}); nothing was written",
        missing.join(", "),
        have.join(", ")
    ))
    .into())
}

/// The column definitions of a table steward creates: each column quoted with `quote`, typed by `types`
/// (from `--schema`) where given, else the engine's `text` type.
fn column_defs(
    columns: &[String],
    types: &[Option<&str>],
    text: &str,
    quote: fn(&str) -> String,
) -> String {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let ty = types.get(i).copied().flatten().unwrap_or(text);
            format!("{} {ty}", quote(c))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value as a file format shows it: the database empty string as the empty string.
pub fn plain(v: &str) -> &str {
    if v == EMPTY_TEXT {
        ""
    } else {
        v
    }
}

/// Which rows of a database source to read: a table, or the result of a query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbSelect {
    pub table: Option<String>,
    pub query: Option<String>,
}

/// How `_row` numbers the rows of a database source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RowIds {
    /// The value of this column: the table's single integer primary key.
    Key(usize),
    /// The values of these columns, joined by [`KEY_JOIN`]: a primary key that is text or has several
    /// columns (`_row` is then text; the row's number is its position).
    Keys(Vec<usize>),
    /// The position in the result, from 1 (a query, or a table without such a key).
    Ordinal,
}

/// The rows read from a database: its answer as CSV text (NULL unquoted, '' quoted), parsed as visited.
pub(crate) struct DbBody {
    text: String,
    /// Byte offset of the first data record (after the header).
    start: usize,
    width: usize,
    ids: RowIds,
    /// Leading fields of each record that are not columns: the row's key, read for editing in place.
    skip: usize,
}

impl DbBody {
    pub(crate) fn for_each(
        &self,
        info: &SourceInfo,
        f: &mut dyn FnMut(Item<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut pos = self.start;
        let mut fields: Vec<std::borrow::Cow<'_, str>> = Vec::with_capacity(self.width);
        let mut ordinal = 0u64;
        while rows::next_record(&self.text, &mut pos, &mut fields) {
            ordinal += 1;
            if fields.len() != self.width + self.skip {
                return Err(StewardError::data(format!(
                    "{}: row {ordinal}: the database sent {} fields for {} columns",
                    info.label,
                    fields.len(),
                    self.width + self.skip
                ))
                .into());
            }
            let row = match &self.ids {
                RowIds::Key(c) => fields[self.skip + c].parse::<u64>().unwrap_or(ordinal),
                RowIds::Ordinal | RowIds::Keys(_) => ordinal,
            };
            let label = match &self.ids {
                RowIds::Keys(cols) => Some(
                    cols.iter()
                        .map(|&c| plain(&fields[self.skip + c]))
                        .collect::<Vec<_>>()
                        .join(KEY_JOIN),
                ),
                _ => None,
            };
            let refs: Vec<&str> = fields[self.skip..].iter().map(|c| c.as_ref()).collect();
            f(Item::Row(RowRef {
                row,
                fields: &refs,
                label: label.as_deref(),
            }))?;
        }
        Ok(())
    }
}

/// What a database reader hands back: column names, the rows as CSV text, how `_row` numbers them.
pub(crate) struct Fetched {
    pub headers: Vec<String>,
    /// Data records only (no header), in the format `rows::next_record` reads.
    pub text: String,
    pub ids: RowIds,
    /// What `_row` is, for the summary.
    pub row_note: String,
}

/// Open a database source (`arg` as given: a URL or `env:VAR`) with its table or query.
pub fn open(arg: &str, opts: &ReadOptions) -> Result<Vec<super::Source>> {
    let url = DbUrl::parse(arg)?;
    let what = match (&opts.db.table, &opts.db.query) {
        (Some(_), Some(_)) => {
            return Err(StewardError::usage(format!(
                "{}: give --table or --query, not both",
                url.shown()
            ))
            .into())
        }
        (None, None) => {
            return Err(StewardError::usage(format!(
                "{}: name the rows to read with --table TABLE or --query 'select ...'",
                url.shown()
            ))
            .into())
        }
        (Some(t), None) => Selection::Table(t.clone()),
        (None, Some(q)) => Selection::Query(q.clone()),
    };
    let label = match &what {
        Selection::Table(t) => format!("{}#{t}", url.shown()),
        Selection::Query(_) => format!("{}#query", url.shown()),
    };
    let fetched = match url.engine {
        Engine::Postgres => pg::fetch(&url, &what)?,
        Engine::Mysql => mysql::fetch(&url, &what)?,
        Engine::Sqlite => sqlite::fetch(&url, &what)?,
    };
    Ok(vec![source_of(arg, label, &url, fetched, 0)])
}

/// The source of rows a database sent: `skip` leading fields of each record are not columns.
fn source_of(
    arg: &str,
    label: String,
    url: &DbUrl,
    fetched: Fetched,
    skip: usize,
) -> super::Source {
    let digest = Digest::of_bytes(fetched.text.as_bytes());
    let info = SourceInfo {
        // As given (a URL without password, or env:VAR), so commands find the source by its argument.
        path: arg.to_string(),
        label,
        format: match url.engine {
            Engine::Postgres => "postgres",
            Engine::Mysql => "mysql",
            Engine::Sqlite => "sqlite",
        },
        encoding: None,
        encoding_how: None,
        delimiter: None,
        sheet: None,
        sheets: Vec::new(),
        header_row: 0,
        headers: fetched.headers.clone(),
        bytes: fetched.text.len() as u64,
        digest: Default::default(),
        notes: vec![fetched.row_note],
        lost_digits: Vec::new(),
    };
    info.digest.set_rows(digest);
    let width = fetched.headers.len();
    super::Source {
        info,
        body: super::read::Body::Db(Box::new(DbBody {
            text: fetched.text,
            start: 0,
            width,
            ids: fetched.ids,
            skip,
        })),
    }
}

/// A table or a query, as the user gave it.
#[derive(Debug, Clone)]
pub(crate) enum Selection {
    Table(String),
    Query(String),
}

// ---------------------------------------------------------------------------------------------------------
// Destinations

/// What to do when the destination table exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum IfExists {
    /// Refuse: the table must not exist (it is created).
    #[default]
    Fail,
    /// Delete its rows and load the new ones, in one transaction (the table itself stays: grants, views,
    /// foreign keys and triggers keep working). MySQL: a copy of the table is loaded and swapped in by one
    /// RENAME TABLE, refused when views, foreign keys or triggers depend on it.
    Replace,
    /// Add the rows to it.
    Append,
}

/// A database destination: the table to load and what to do if it exists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbTarget {
    pub table: Option<String>,
    pub if_exists: IfExists,
    /// Columns a created table types (by column name), from `--schema`; every other column is text.
    pub kinds: Vec<(String, SqlKind)>,
}

/// A column type a created table may take from the schema: only where the database gives the value back as
/// the very text steward wrote (see [`SqlKind::canonical`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlKind {
    Date,
    Integer,
    Decimal,
}

impl SqlKind {
    fn of(kind: crate::schema::FieldKind) -> Option<SqlKind> {
        use crate::schema::FieldKind;
        match kind {
            FieldKind::Date => Some(SqlKind::Date),
            FieldKind::Integer => Some(SqlKind::Integer),
            FieldKind::Money | FieldKind::Number => Some(SqlKind::Decimal),
            _ => None,
        }
    }

    /// The engine's column type, or `None` where it has none that keeps every canonical value's text:
    /// SQLite's NUMERIC affinity turns `1672.00` into `1672` and MySQL's DECIMAL needs a fixed scale, so
    /// decimals stay text there.
    fn sql(self, engine: Engine) -> Option<&'static str> {
        match (engine, self) {
            (Engine::Postgres, SqlKind::Date) => Some("date"),
            (Engine::Postgres, SqlKind::Integer) => Some("bigint"),
            (Engine::Postgres, SqlKind::Decimal) => Some("numeric"),
            (Engine::Sqlite, SqlKind::Date) => Some("DATE"),
            (Engine::Sqlite, SqlKind::Integer) => Some("INTEGER"),
            (Engine::Mysql, SqlKind::Date) => Some("DATE"),
            (Engine::Mysql, SqlKind::Integer) => Some("BIGINT"),
            (_, SqlKind::Decimal) => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            SqlKind::Date => "a date (YYYY-MM-DD)",
            SqlKind::Integer => "a whole number without leading zeros",
            SqlKind::Decimal => "a plain decimal (no grouping, currency or leading zeros)",
        }
    }

    /// Whether `v` reads back from a column of this type as the same text: an ISO date from year 1000 to
    /// 9999; an integer without sign `+`, leading zeros or `-0` (at most 18 digits); a decimal likewise.
    pub fn canonical(self, v: &str) -> bool {
        let unsigned = v.strip_prefix('-').unwrap_or(v);
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let no_lead = |s: &str| digits(s) && (s.len() == 1 || !s.starts_with('0'));
        match self {
            SqlKind::Date => {
                let b = v.as_bytes();
                b.len() == 10
                    && b[4] == b'-'
                    && b[7] == b'-'
                    && b.iter()
                        .enumerate()
                        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
                    && b[0] != b'0'
                    && chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok()
            }
            SqlKind::Integer => {
                no_lead(unsigned)
                    && unsigned.len() <= 18
                    && !(v.starts_with('-') && unsigned == "0")
            }
            SqlKind::Decimal => {
                let (int, frac) = match unsigned.split_once('.') {
                    Some((i, f)) => (i, Some(f)),
                    None => (unsigned, None),
                };
                no_lead(int)
                    && frac.is_none_or(digits)
                    && !(v.starts_with('-') && unsigned.bytes().all(|b| b == b'0' || b == b'.'))
            }
        }
    }
}

impl DbTarget {
    /// Type the columns of a created table by the fields of `schema` (`--schema FILE`); without one every
    /// column is text.
    pub fn typed_by(mut self, schema: Option<&std::path::Path>) -> Result<DbTarget> {
        if let (Some(path), Some(_)) = (schema, &self.table) {
            let schema = crate::schema::Schema::load(path)?;
            self.kinds = schema
                .fields
                .iter()
                .filter_map(|f| Some((f.name.clone(), SqlKind::of(f.kind)?)))
                .collect();
        }
        Ok(self)
    }
}

/// An engine's open load: rows go in inside a transaction that `commit` ends.
pub(crate) trait Load: Send {
    /// One row of values (`""` is NULL, [`EMPTY_TEXT`] is '').
    fn write_row(&mut self, row: &[&str]) -> Result<()>;
    /// Every row sent; the transaction stays open.
    fn finish(&mut self) -> Result<()>;
    fn commit(self: Box<Self>) -> Result<()>;
}

/// Loads finished and waiting for the command's commit, shared by the outputs of one command.
#[derive(Clone, Default)]
pub struct PendingLoads(Arc<Mutex<Vec<Finished>>>);

struct Finished {
    record: crate::report::FileRecord,
    load: Box<dyn Load>,
}

impl PendingLoads {
    /// The loads as the manifest records them (URL without password and table, rows, SHA-256 of the rows
    /// as CSV text).
    pub fn records(&self) -> Vec<crate::report::FileRecord> {
        let l = self.0.lock().unwrap_or_else(|e| e.into_inner());
        l.iter().map(|f| f.record.clone()).collect()
    }

    /// Commit every load. Called by `Outputs::commit` before files are renamed into place.
    pub fn commit(&self) -> Result<()> {
        let loads: Vec<Finished> = {
            let mut l = self.0.lock().unwrap_or_else(|e| e.into_inner());
            l.drain(..).collect()
        };
        for f in loads {
            let shown = f.record.path.clone();
            f.load.commit().map_err(|e| {
                StewardError::cant_create(format!(
                    "{shown}: the load could not be committed, nothing was written: {}",
                    crate::error::one_line(&e)
                ))
            })?;
        }
        Ok(())
    }
}

/// Rows being loaded into one table. Dropped without `finish`, or finished but never committed, the
/// transaction is rolled back and the table stays as it was.
pub struct DbDestination {
    name: String,
    shown: String,
    load: Option<Box<dyn Load>>,
    pending: PendingLoads,
    rows: u64,
    /// SHA-256 of the rows as CSV text (as `rows::encode` writes them), for the manifest.
    hasher: Hasher,
    line: Vec<u8>,
    bytes: u64,
    columns: Vec<String>,
    /// Per column, the type `--schema` gave a created table: its values must be canonical for it.
    kinds: Vec<Option<SqlKind>>,
}

impl DbDestination {
    /// Connect, start a transaction and prepare `target` for `columns` (create it, or empty it for replace).
    pub fn open(
        name: &str,
        arg: &str,
        target: &DbTarget,
        columns: &[String],
        pending: PendingLoads,
    ) -> Result<DbDestination> {
        let url = DbUrl::parse(arg)?;
        let Some(table) = target.table.as_deref() else {
            return Err(StewardError::usage(format!(
                "-o {}: name the table to write with --out-table TABLE",
                url.shown()
            ))
            .into());
        };
        let shown = format!("{}#{table}", url.shown());
        // The schema's kinds where the engine has a faithful type; each value of such a column is checked.
        let kinds: Vec<Option<SqlKind>> = columns
            .iter()
            .map(|c| {
                target
                    .kinds
                    .iter()
                    .find(|(n, _)| n == c)
                    .map(|(_, k)| *k)
                    .filter(|k| k.sql(url.engine).is_some())
            })
            .collect();
        let types: Vec<Option<&str>> = kinds
            .iter()
            .map(|k| k.and_then(|k| k.sql(url.engine)))
            .collect();
        let load: Box<dyn Load> = match url.engine {
            Engine::Postgres => Box::new(pg::PgLoad::open(
                &url,
                table,
                target.if_exists,
                columns,
                &types,
            )?),
            Engine::Mysql => Box::new(mysql::MysqlLoad::open(
                &url,
                table,
                target.if_exists,
                columns,
                &types,
            )?),
            Engine::Sqlite => Box::new(sqlite::SqliteLoad::open(
                &url,
                table,
                target.if_exists,
                columns,
                &types,
            )?),
        };
        Ok(DbDestination {
            name: name.to_string(),
            shown,
            load: Some(load),
            pending,
            rows: 0,
            hasher: Hasher::default(),
            line: Vec::new(),
            bytes: 0,
            columns: columns.to_vec(),
            kinds,
        })
    }

    /// The table, as messages name it (URL without password, `#table`).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    pub fn write_row<S: AsRef<str>>(&mut self, row: &[S]) -> Result<()> {
        let refs: Vec<&str> = row.iter().map(|v| v.as_ref()).collect();
        for (i, kind) in self.kinds.iter().enumerate() {
            let (Some(kind), Some(v)) = (kind, refs.get(i)) else {
                continue;
            };
            if !v.is_empty() && !kind.canonical(v) {
                return Err(StewardError::data(format!(
                    "{}: row {}, column {}: {:?} is not {}, as the column's type from --schema asks \
                     (the database would store another text); normalize it first or load without \
                     --schema; nothing was written",
                    self.shown,
                    self.rows + 1,
                    self.columns[i],
                    plain(v),
                    kind.name()
                ))
                .into());
            }
        }
        self.line.clear();
        rows::encode(&mut self.line, &refs);
        self.hasher.update(&self.line);
        self.bytes += self.line.len() as u64;
        self.rows += 1;
        match self.load.as_mut() {
            Some(l) => l.write_row(&refs),
            None => Ok(()),
        }
    }

    /// Send the last rows and leave the load waiting for the command's commit. Returns the rows' digest.
    pub fn finish(mut self) -> Result<Digest> {
        let Some(mut load) = self.load.take() else {
            return Err(StewardError::new(
                crate::error::ExitCode::Software,
                format!("{}: finished twice", self.shown),
            )
            .into());
        };
        load.finish()?;
        let digest = std::mem::take(&mut self.hasher).finish();
        let record = crate::report::FileRecord {
            name: self.name.clone(),
            path: self.shown.clone(),
            bytes: digest.bytes,
            sha256: digest.sha256.clone(),
            rows: Some(self.rows),
        };
        let mut l = self.pending.0.lock().unwrap_or_else(|e| e.into_inner());
        l.push(Finished { record, load });
        Ok(digest)
    }
}

/// A driver error with its causes (`error connecting to server: Connection refused`), in one line.
pub(crate) fn with_causes(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cause = c.source();
    }
    clean_reason(&s)
}

/// A message without what a driver error says twice, and never a password. A socket the server closed
/// reads "the connection was lost", never "Broken pipe": that text is how a closed stdout ends a command
/// quietly (exit 0), and a lost database connection is a failure.
pub(crate) fn clean_reason(e: &dyn std::fmt::Display) -> String {
    let s = redact(&e.to_string());
    let s = s.split(" (os error").next().unwrap_or(&s).to_string();
    s.replace('\n', " ")
        .replace("Broken pipe", "the connection was lost")
        .replace("broken pipe", "the connection was lost")
}

// ---------------------------------------------------------------------------------------------------------
// Editing a table in place (erasure)

/// An engine's open edit of one table: its rows were read inside a transaction that keeps other writers
/// out until `commit` (or until it is dropped, which rolls every change back).
pub(crate) trait Edit: Send {
    /// Delete the rows with these keys; the count deleted.
    fn delete(&mut self, keys: &[&str]) -> Result<u64>;
    /// Set columns (by position among the table's columns) of the row with this key.
    fn update(&mut self, key: &str, values: &[(usize, &str)]) -> Result<()>;
    fn commit(self: Box<Self>) -> Result<()>;
}

/// What an edit changed: rows deleted, rows whose values were rewritten, and the digest of the rows the
/// table holds afterwards (as CSV text in the format rows are read and recorded in).
#[derive(Debug, Clone)]
pub struct Applied {
    pub deleted: u64,
    pub updated: u64,
    pub rows_after: u64,
    pub after: Digest,
}

/// A table opened to erase rows in place: `source` holds its rows as read inside the edit's transaction.
/// Nothing changes in the database until [`EditTable::commit`].
pub struct EditTable {
    pub source: super::Source,
    shown: String,
    edit: Box<dyn Edit>,
}

impl EditTable {
    /// Connect, start a transaction that holds the table against other writers, and read its rows with
    /// each row's key (PostgreSQL: ctid; SQLite: rowid; MySQL: its primary key), valid until the
    /// transaction ends.
    pub fn open(arg: &str, table: &str) -> Result<EditTable> {
        let url = DbUrl::parse(arg)?;
        let shown = format!("{}#{table}", url.shown());
        let (fetched, edit): (Fetched, Box<dyn Edit>) = match url.engine {
            Engine::Postgres => {
                let (f, e) = pg::open_edit(&url, table)?;
                (f, Box::new(e))
            }
            Engine::Sqlite => {
                let (f, e) = sqlite::open_edit(&url, table)?;
                (f, Box::new(e))
            }
            Engine::Mysql => {
                let (f, e) = mysql::open_edit(&url, table)?;
                (f, Box::new(e))
            }
        };
        let source = source_of(arg, shown.clone(), &url, fetched, 1);
        Ok(EditTable {
            source,
            shown,
            edit,
        })
    }

    /// The table as messages name it (URL without password, `#table`).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Carry out `actions`, one per row of `source` in order: delete the removed rows and write the
    /// redacted values of the others (each `found` text replaced by `marker`). Still uncommitted.
    pub fn apply(
        &mut self,
        actions: &[(u64, super::rewrite::RecordAction)],
        marker: &str,
    ) -> Result<Applied> {
        use super::rewrite::RecordAction;
        let super::read::Body::Db(body) = &self.source.body else {
            return Err(StewardError::new(
                crate::error::ExitCode::Software,
                format!("{}: not read for editing", self.shown),
            )
            .into());
        };
        let mut pos = body.start;
        let mut fields: Vec<std::borrow::Cow<'_, str>> = Vec::with_capacity(body.width + 1);
        let mut removed: Vec<String> = Vec::new();
        let mut hasher = Hasher::default();
        let mut line = Vec::new();
        let (mut updated, mut rows_after) = (0u64, 0u64);
        let mut i = 0usize;
        while rows::next_record(&body.text, &mut pos, &mut fields) {
            let Some((_, action)) = actions.get(i) else {
                return Err(StewardError::new(
                    crate::error::ExitCode::Software,
                    format!("{}: row {} was not judged", self.shown, i + 1),
                )
                .into());
            };
            i += 1;
            match action {
                RecordAction::Remove => {
                    removed.push(fields[0].to_string());
                    continue;
                }
                RecordAction::Keep => {}
                RecordAction::Redact(list) => {
                    let mut cols: Vec<usize> = Vec::new();
                    for r in list {
                        if let Some(v) = fields.get_mut(r.col + 1) {
                            let new = v.replace(&r.found, marker);
                            if new != *v {
                                *v = std::borrow::Cow::Owned(new);
                                if !cols.contains(&r.col) {
                                    cols.push(r.col);
                                }
                            }
                        }
                    }
                    if !cols.is_empty() {
                        cols.sort_unstable();
                        let values: Vec<(usize, &str)> =
                            cols.iter().map(|&c| (c, plain(&fields[c + 1]))).collect();
                        self.edit.update(&fields[0], &values)?;
                        updated += 1;
                    }
                }
            }
            let refs: Vec<&str> = fields[1..].iter().map(|f| f.as_ref()).collect();
            line.clear();
            rows::encode(&mut line, &refs);
            hasher.update(&line);
            rows_after += 1;
        }
        let mut deleted = 0;
        for chunk in removed.chunks(10_000) {
            let keys: Vec<&str> = chunk.iter().map(String::as_str).collect();
            deleted += self.edit.delete(&keys)?;
        }
        if deleted != removed.len() as u64 {
            return Err(StewardError::cant_create(format!(
                "{}: {deleted} of the {} rows to erase were deleted (the table changed while it was read?); nothing was changed",
                self.shown,
                removed.len()
            ))
            .into());
        }
        Ok(Applied {
            deleted,
            updated,
            rows_after,
            after: hasher.finish(),
        })
    }

    /// Commit the edit: the erasure takes effect.
    pub fn commit(self) -> Result<()> {
        let shown = self.shown;
        self.edit.commit().map_err(|e| {
            StewardError::cant_create(format!(
                "{shown}: the erasure could not be committed, nothing was changed: {}",
                crate::error::one_line(&e)
            ))
            .into()
        })
    }
}

#[cfg(test)]
mod kind_tests {
    use super::SqlKind;

    #[test]
    fn only_text_the_database_gives_back_unchanged_is_canonical() {
        for v in ["2024-03-05", "1999-12-31", "2024-02-29"] {
            assert!(SqlKind::Date.canonical(v), "{v}");
        }
        for v in [
            "2024-3-5",
            "2024/03/05",
            "05-03-2024",
            "2023-02-29",
            "0999-01-01",
            "2024-03-05T10:00:00",
            " 2024-03-05",
        ] {
            assert!(!SqlKind::Date.canonical(v), "{v}");
        }
        for v in ["0", "42", "-7", "123456789012345678"] {
            assert!(SqlKind::Integer.canonical(v), "{v}");
        }
        for v in [
            "007",
            "+5",
            "-0",
            "1,000",
            "1e3",
            "4.0",
            "",
            "1234567890123456789",
        ] {
            assert!(!SqlKind::Integer.canonical(v), "{v}");
        }
        for v in ["1672.00", "0.5", "-12.50", "42", "0"] {
            assert!(SqlKind::Decimal.canonical(v), "{v}");
        }
        for v in [
            "00.5", ".5", "5.", "-0.00", "-0", "1,672.00", "¥800", "+1.0", "1.2.3",
        ] {
            assert!(!SqlKind::Decimal.canonical(v), "{v}");
        }
    }
}

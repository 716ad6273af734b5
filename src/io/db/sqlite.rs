//! SQLite through rusqlite (bundled): a source is opened read-only and its values rendered as SQLite
//! renders them as text; a destination loads rows inside one `BEGIN IMMEDIATE` transaction.

use anyhow::Result;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::pg::{quote_ident, quote_table};
use super::rows;
use super::url::DbUrl;
use super::{clean_reason, Fetched, IfExists, RowIds, Selection, EMPTY_TEXT};
use crate::error::{ExitCode, StewardError};

fn sql_error(url: &DbUrl, e: &rusqlite::Error, code: ExitCode, doing: &str) -> anyhow::Error {
    StewardError::new(
        code,
        format!("{}: {doing}: {}", url.shown(), clean_reason(e)),
    )
    .into()
}

fn table_exists(conn: &Connection, table: &str) -> rusqlite::Result<bool> {
    let name = table.rsplit('.').next().unwrap_or(table).trim_matches('"');
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// Read a table or a query's result from a database file (never written to).
pub(crate) fn fetch(url: &DbUrl, what: &Selection) -> Result<Fetched> {
    let path = url.sqlite_path();
    if !std::path::Path::new(&path).is_file() {
        return Err(
            StewardError::no_input(format!("{}: no such database file", url.shown())).into(),
        );
    }
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sql_error(url, &e, ExitCode::NoInput, "cannot open"))?;
    fetch_on(&conn, url, what, None)
}

/// Read on an open connection; with `key_expr` (an SQL expression), each record of a table starts with it.
fn fetch_on(
    conn: &Connection,
    url: &DbUrl,
    what: &Selection,
    key_expr: Option<&str>,
) -> Result<Fetched> {
    let (sql, ids, note) = match what {
        Selection::Table(t) => {
            let exists = table_exists(conn, t)
                .map_err(|e| sql_error(url, &e, ExitCode::NoInput, "not a SQLite database"))?;
            if !exists {
                return Err(StewardError::no_input(format!(
                    "{}: table {t} does not exist",
                    url.shown()
                ))
                .into());
            }
            let q = quote_table(t);
            // (name, declared type, position in the primary key)
            let mut info = conn
                .prepare(&format!("PRAGMA table_info({q})"))
                .map_err(|e| sql_error(url, &e, ExitCode::NoInput, "table info"))?;
            let cols: Vec<(String, String, i64)> = info
                .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(5)?)))
                .and_then(|m| m.collect())
                .map_err(|e| sql_error(url, &e, ExitCode::NoInput, "table info"))?;
            let mut key: Vec<(usize, &(String, String, i64))> =
                cols.iter().enumerate().filter(|(_, c)| c.2 > 0).collect();
            key.sort_by_key(|(_, c)| c.2);
            let order = if key.is_empty() {
                String::new()
            } else {
                format!(
                    " ORDER BY {}",
                    key.iter()
                        .map(|(_, c)| quote_ident(&c.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let (ids, note) = match key.as_slice() {
                [(i, c)] if c.1.to_ascii_uppercase().contains("INT") => {
                    let negative: i64 = conn
                        .query_row(
                            &format!("SELECT count(*) FROM {q} WHERE {} < 0", quote_ident(&c.0)),
                            [],
                            |r| r.get(0),
                        )
                        .map_err(|e| sql_error(url, &e, ExitCode::NoInput, "reading"))?;
                    if negative == 0 {
                        (RowIds::Key(*i), format!("_row is the primary key {}", c.0))
                    } else {
                        (
                            RowIds::Keys(vec![*i]),
                            format!("_row is the primary key {}", c.0),
                        )
                    }
                }
                [] => (
                    RowIds::Ordinal,
                    "_row is the position in the table (it has no primary key)".to_string(),
                ),
                [(i, c)] => (
                    RowIds::Keys(vec![*i]),
                    format!("_row is the primary key {}", c.0),
                ),
                cols => (
                    RowIds::Keys(cols.iter().map(|(i, _)| *i).collect()),
                    format!(
                        "_row is the primary key ({}), its values joined by {}",
                        cols.iter()
                            .map(|(_, c)| c.0.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        super::KEY_JOIN
                    ),
                ),
            };
            let columns = match key_expr {
                Some(k) => format!("{k}, *"),
                None => "*".to_string(),
            };
            (format!("SELECT {columns} FROM {q}{order}"), ids, note)
        }
        Selection::Query(sql) => (
            sql.trim().trim_end_matches(';').to_string(),
            RowIds::Ordinal,
            "_row is the position in the query's result".to_string(),
        ),
    };
    let mut stmt = conn
        .prepare(&sql)
        .map_err(|e| sql_error(url, &e, ExitCode::DataErr, "the query failed"))?;
    let headers: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let skip = usize::from(key_expr.is_some() && matches!(what, Selection::Table(_)));
    if headers.len() <= skip {
        return Err(StewardError::data(format!(
            "{}: the query returns no columns (give a SELECT)",
            url.shown()
        ))
        .into());
    }
    let width = headers.len();
    let mut text = Vec::new();
    let mut rows_iter = stmt
        .query([])
        .map_err(|e| sql_error(url, &e, ExitCode::DataErr, "the query failed"))?;
    let mut values: Vec<String> = vec![String::new(); width];
    let read_err = |e: rusqlite::Error| sql_error(url, &e, ExitCode::DataErr, "reading failed");
    while let Some(row) = rows_iter.next().map_err(read_err)? {
        for (i, v) in values.iter_mut().enumerate() {
            v.clear();
            match row.get_ref(i).map_err(read_err)? {
                ValueRef::Null => {}
                ValueRef::Integer(n) => v.push_str(&n.to_string()),
                ValueRef::Real(x) => {
                    // As SQLite itself renders a REAL as text.
                    let s: String = conn
                        .prepare_cached("SELECT CAST(?1 AS TEXT)")
                        .and_then(|mut s| s.query_row([x], |r| r.get(0)))
                        .map_err(read_err)?;
                    v.push_str(&s);
                }
                ValueRef::Text(t) => match std::str::from_utf8(t) {
                    Ok("") => v.push_str(EMPTY_TEXT),
                    Ok(s) => v.push_str(s),
                    Err(_) => {
                        return Err(StewardError::data(format!(
                            "{}: column {} holds text that is not UTF-8",
                            url.shown(),
                            headers[i]
                        ))
                        .into())
                    }
                },
                ValueRef::Blob(_) => {
                    return Err(StewardError::data(format!(
                        "{}: column {} holds binary data (BLOB); select it as hex({}) with --query",
                        url.shown(),
                        headers[i],
                        headers[i]
                    ))
                    .into())
                }
            }
        }
        let refs: Vec<&str> = values.iter().map(|s| s.as_str()).collect();
        rows::encode(&mut text, &refs);
    }
    drop(rows_iter);
    Ok(Fetched {
        headers: headers[skip..].to_vec(),
        text: String::from_utf8(text).unwrap_or_default(),
        ids,
        row_note: note,
    })
}

/// Rows inserted into a table inside one transaction.
pub(crate) struct SqliteLoad {
    url: DbUrl,
    conn: Connection,
    insert: String,
}

impl SqliteLoad {
    pub(crate) fn open(
        url: &DbUrl,
        table: &str,
        mode: IfExists,
        columns: &[String],
        types: &[Option<&str>],
    ) -> Result<SqliteLoad> {
        let code = ExitCode::CantCreate;
        let conn = Connection::open(url.sqlite_path())
            .map_err(|e| sql_error(url, &e, code, "cannot open"))?;
        let fail = |e: &rusqlite::Error, doing: &str| sql_error(url, e, code, doing);
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| fail(&e, "cannot open"))?;
        conn.execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| fail(&e, "starting a transaction"))?;
        let q = quote_table(table);
        let exists = table_exists(&conn, table).map_err(|e| fail(&e, "not a SQLite database"))?;
        match (exists, mode) {
            (true, IfExists::Fail) => {
                return Err(StewardError::cant_create(format!(
                    "{}: table {table} exists; pass --if-exists replace to replace its rows or --if-exists append to add to them",
                    url.shown()
                ))
                .into())
            }
            (true, _) => {
                let have: Vec<String> = conn
                    .prepare(&format!("SELECT * FROM {q}"))
                    .map(|s| s.column_names().map(|c| c.to_string()).collect())
                    .map_err(|e| fail(&e, &format!("table {table}")))?;
                super::check_columns(url.shown(), table, columns, &have)?;
                if mode == IfExists::Replace {
                    conn.execute_batch(&format!("DELETE FROM {q}"))
                        .map_err(|e| fail(&e, &format!("emptying table {table}")))?;
                }
            }
            (false, _) => {
                let defs = super::column_defs(columns, types, "TEXT", quote_ident);
                conn.execute_batch(&format!("CREATE TABLE {q} ({defs})"))
                    .map_err(|e| fail(&e, &format!("creating table {table}")))?;
            }
        }
        let cols = columns
            .iter()
            .map(|c| quote_ident(c))
            .collect::<Vec<_>>()
            .join(", ");
        let marks = (1..=columns.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(SqliteLoad {
            url: url.clone(),
            conn,
            insert: format!("INSERT INTO {q} ({cols}) VALUES ({marks})"),
        })
    }
}

impl super::Load for SqliteLoad {
    fn write_row(&mut self, row: &[&str]) -> Result<()> {
        let url = &self.url;
        let mut stmt = self.conn.prepare_cached(&self.insert).map_err(|e| {
            sql_error(
                url,
                &e,
                ExitCode::CantCreate,
                "loading failed, nothing was written",
            )
        })?;
        stmt.execute(rusqlite::params_from_iter(
            row.iter().map(|v| rows::sql_value(v)),
        ))
        .map_err(|e| {
            sql_error(
                url,
                &e,
                ExitCode::CantCreate,
                "loading failed, nothing was written",
            )
        })?;
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        Ok(())
    }

    fn commit(self: Box<Self>) -> Result<()> {
        self.conn
            .execute_batch("COMMIT")
            .map_err(|e| sql_error(&self.url, &e, ExitCode::CantCreate, "committing"))
    }
}

/// A table edited in place inside one `BEGIN IMMEDIATE` transaction (other writers wait, readers read
/// the old rows), rows named by their rowid.
pub(crate) struct SqliteEdit {
    url: DbUrl,
    conn: Connection,
    table: String,
    rowid: &'static str,
    columns: Vec<String>,
}

/// Open `table` of a database file for editing: a write transaction and its rows with their rowid first.
pub(crate) fn open_edit(url: &DbUrl, table: &str) -> Result<(Fetched, SqliteEdit)> {
    let path = url.sqlite_path();
    if !std::path::Path::new(&path).is_file() {
        return Err(
            StewardError::no_input(format!("{}: no such database file", url.shown())).into(),
        );
    }
    let code = ExitCode::NoInput;
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sql_error(url, &e, code, "cannot open"))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(|e| sql_error(url, &e, code, "cannot open"))?;
    conn.execute_batch("BEGIN IMMEDIATE").map_err(|e| {
        sql_error(
            url,
            &e,
            ExitCode::CantCreate,
            "starting a transaction (another program is writing to the database?)",
        )
    })?;
    let exists = table_exists(&conn, table)
        .map_err(|e| sql_error(url, &e, code, "not a SQLite database"))?;
    if !exists {
        return Err(StewardError::no_input(format!(
            "{}: table {table} does not exist",
            url.shown()
        ))
        .into());
    }
    let q = quote_table(table);
    let columns: Vec<String> = conn
        .prepare(&format!("SELECT * FROM {q}"))
        .map(|s| s.column_names().map(|c| c.to_string()).collect())
        .map_err(|e| sql_error(url, &e, code, &format!("table {table}")))?;
    // The rowid under a name no column of the table takes.
    let rowid = ["rowid", "_rowid_", "oid"]
        .into_iter()
        .find(|r| !columns.iter().any(|c| c.eq_ignore_ascii_case(r)))
        .filter(|r| {
            conn.prepare(&format!("SELECT {r} FROM {q} LIMIT 0"))
                .is_ok()
        })
        .ok_or_else(|| {
            StewardError::usage(format!(
                "{}: table {table} has no rowid (a WITHOUT ROWID table, or columns named rowid, _rowid_ and oid); \
                 steward erases rows in place by rowid",
                url.shown()
            ))
        })?;
    let fetched = fetch_on(
        &conn,
        url,
        &Selection::Table(table.to_string()),
        Some(rowid),
    )?;
    Ok((
        fetched,
        SqliteEdit {
            url: url.clone(),
            conn,
            table: table.to_string(),
            rowid,
            columns,
        },
    ))
}

impl SqliteEdit {
    fn fail(&self, e: &rusqlite::Error, doing: &str) -> anyhow::Error {
        sql_error(&self.url, e, ExitCode::CantCreate, doing)
    }
}

impl super::Edit for SqliteEdit {
    fn delete(&mut self, keys: &[&str]) -> Result<u64> {
        let sql = format!(
            "DELETE FROM {} WHERE {} = ?1",
            quote_table(&self.table),
            self.rowid
        );
        let doing = format!("erasing rows of {}", self.table);
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(|e| self.fail(&e, &doing))?;
        let mut n = 0u64;
        for k in keys {
            let id: i64 = k.parse().map_err(|_| {
                StewardError::new(
                    ExitCode::Software,
                    format!("{}: rowid {k} is not a number", self.url.shown()),
                )
            })?;
            n += stmt
                .execute([id])
                .map_err(|e| sql_error(&self.url, &e, ExitCode::CantCreate, &doing))?
                as u64;
        }
        Ok(n)
    }

    fn update(&mut self, key: &str, values: &[(usize, &str)]) -> Result<()> {
        let sets: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(n, (c, _))| format!("{} = ?{}", quote_ident(&self.columns[*c]), n + 1))
            .collect();
        let sql = format!(
            "UPDATE {} SET {} WHERE {} = ?{}",
            quote_table(&self.table),
            sets.join(", "),
            self.rowid,
            values.len() + 1
        );
        let doing = format!("redacting values in {}", self.table);
        let id: i64 = key.parse().map_err(|_| {
            StewardError::new(
                ExitCode::Software,
                format!("{}: rowid {key} is not a number", self.url.shown()),
            )
        })?;
        let mut params: Vec<rusqlite::types::Value> = values
            .iter()
            .map(|(_, v)| rusqlite::types::Value::Text(v.to_string()))
            .collect();
        params.push(rusqlite::types::Value::Integer(id));
        let n = self
            .conn
            .execute(&sql, rusqlite::params_from_iter(params))
            .map_err(|e| self.fail(&e, &doing))?;
        if n != 1 {
            return Err(StewardError::cant_create(format!(
                "{}: redacting a value of {} changed {n} rows instead of 1; nothing was changed",
                self.url.shown(),
                self.table
            ))
            .into());
        }
        Ok(())
    }

    fn commit(self: Box<Self>) -> Result<()> {
        self.conn
            .execute_batch("COMMIT")
            .map_err(|e| sql_error(&self.url, &e, ExitCode::CantCreate, "committing"))
    }
}

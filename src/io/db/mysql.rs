//! MySQL and MariaDB through the `mysql` crate (synchronous, rustls): rows read with the text protocol, so
//! every value arrives as the server renders it; rows loaded by multi-row INSERTs inside one transaction.
//!
//! MySQL commits DDL implicitly, so a load never creates or empties the destination inside its transaction:
//! it fills a staging table (`T__steward_new_ID`, ID the session's connection id) and, at the command's
//! commit, one `RENAME TABLE` puts it in place (create) or swaps it with the old table (replace, refused when
//! views, foreign keys or triggers depend on the table, since they would follow the old table or be lost).
//! Append inserts into the table. A staging table left by a killed run is dropped by the next load.
//! Erasure in place edits an InnoDB table in one transaction: rows read `FOR UPDATE`, named by their key.

use anyhow::Result;
use mysql::consts::{CapabilityFlags, ColumnType};
use mysql::prelude::Queryable;
use mysql::{Conn, OptsBuilder, SslOpts};
use mysql_common::proto::codec::error::PacketCodecError;
use std::time::Duration;

use super::rows;
use super::url::DbUrl;
use super::{clean_reason, plain, Fetched, IfExists, RowIds, Selection, EMPTY_TEXT};
use crate::error::{ExitCode, StewardError};

/// Bytes of one multi-row INSERT (well under the server's max_allowed_packet: 16 MB on MariaDB, 64 MB on
/// MySQL 8, by default).
const INSERT_CHUNK: usize = 1 << 20;

/// MySQL's longest table name.
const NAME_MAX: usize = 64;

/// The session a load runs in: strict, so a value the column cannot hold fails instead of being cut or
/// changed; without backslash escapes, so a string literal is the value with its quotes doubled.
const LOAD_SQL_MODE: &str = "STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tls {
    Disabled,
    /// Encrypt when the server offers it, without checking its certificate (the mysql client's default).
    Preferred,
    /// Encrypt, without checking the certificate.
    Required,
    /// Encrypt and check the certificate chain (against `ssl-ca`, else the public roots).
    VerifyCa,
    /// Also check that the certificate names the host.
    VerifyIdentity,
}

/// What a `mysql://` URL says, with the password from the URL (only via `env:VAR`) or MYSQL_PWD.
struct Target {
    host: String,
    port: u16,
    user: String,
    password: Option<String>,
    db: Option<String>,
    tls: Tls,
    ssl_ca: Option<String>,
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(b[i + 1]) * 16 + hex(b[i + 2]));
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse(url: &DbUrl) -> Result<Target> {
    let usage = |what: String| -> anyhow::Error {
        StewardError::usage(format!("{}: {what}", url.shown())).into()
    };
    let secret = url.secret();
    let rest = secret.split_once("://").map(|(_, r)| r).unwrap_or(secret);
    let (main, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, db) = main.split_once('/').unwrap_or((main, ""));
    let (user_info, host_port) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (user, password) = match user_info {
        Some(u) => match u.split_once(':') {
            Some((u, p)) => (percent_decode(u), Some(percent_decode(p))),
            None => (percent_decode(u), None),
        },
        None => (String::new(), None),
    };
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| usage("an IPv6 host needs its closing ]".to_string()))?;
        (h.to_string(), after.strip_prefix(':').unwrap_or(""))
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p),
            None => (host_port.to_string(), ""),
        }
    };
    let port = if port.is_empty() {
        3306
    } else {
        port.parse::<u16>()
            .map_err(|_| usage(format!("the port {port} is not a number from 1 to 65535")))?
    };
    let mut tls = Tls::Preferred;
    let mut ssl_ca = None;
    let mut password = password;
    for kv in query.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        match k.to_ascii_lowercase().replace('_', "-").as_str() {
            "ssl-mode" | "sslmode" => {
                tls = match v.to_ascii_uppercase().replace('-', "_").as_str() {
                    "DISABLED" => Tls::Disabled,
                    "PREFERRED" => Tls::Preferred,
                    "REQUIRED" => Tls::Required,
                    "VERIFY_CA" => Tls::VerifyCa,
                    "VERIFY_IDENTITY" => Tls::VerifyIdentity,
                    _ => {
                        return Err(usage(format!(
                            "ssl-mode={v} is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY"
                        )))
                    }
                }
            }
            "ssl-ca" => ssl_ca = Some(percent_decode(v)),
            "password" => password = Some(percent_decode(v)),
            _ => {
                return Err(usage(format!(
                    "the URL parameter {k} is not one steward knows for MySQL (ssl-mode, ssl-ca)"
                )))
            }
        }
    }
    if ssl_ca.is_some() && matches!(tls, Tls::Preferred) {
        tls = Tls::VerifyCa;
    }
    let user = if user.is_empty() {
        std::env::var("USER").unwrap_or_else(|_| "root".to_string())
    } else {
        user
    };
    let password = password.or_else(|| std::env::var("MYSQL_PWD").ok().filter(|p| !p.is_empty()));
    let db = percent_decode(db);
    Ok(Target {
        host: if host.is_empty() {
            "localhost".to_string()
        } else {
            host
        },
        port,
        user,
        password,
        db: (!db.is_empty()).then_some(db),
        tls,
        ssl_ca,
    })
}

fn builder(t: &Target, tls: bool) -> OptsBuilder {
    let ssl = tls.then(|| {
        let mut ssl = SslOpts::default()
            .with_danger_accept_invalid_certs(matches!(t.tls, Tls::Preferred | Tls::Required))
            .with_danger_skip_domain_validation(!matches!(t.tls, Tls::VerifyIdentity));
        if let Some(ca) = &t.ssl_ca {
            ssl = ssl.with_root_cert_path(Some(std::path::PathBuf::from(ca)));
        }
        ssl
    });
    OptsBuilder::new()
        .ip_or_hostname(Some(t.host.clone()))
        .tcp_port(t.port)
        .user(Some(t.user.clone()))
        .pass(t.password.clone())
        .db_name(t.db.clone())
        // The address asked for, never a local socket the driver would switch to on its own.
        .prefer_socket(false)
        .tcp_connect_timeout(Some(Duration::from_secs(10)))
        .ssl_opts(ssl)
}

/// One line for a driver error: the server's message, or what happened to the connection.
fn reason(e: &mysql::Error) -> String {
    use mysql::Error as E;
    match e {
        E::MySqlError(m) => clean_reason(&m.message),
        E::IoError(io) => io_reason(io),
        E::CodecError(PacketCodecError::Io(io)) => io_reason(io),
        E::CodecError(_) => "the connection was lost".to_string(),
        E::DriverError(d) => clean_reason(d),
        other => clean_reason(other),
    }
}

fn io_reason(io: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match io.kind() {
        K::BrokenPipe | K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof => {
            "the connection was lost".to_string()
        }
        // rustls reports a refused certificate as invalid data.
        K::InvalidData => format!("TLS: {}", clean_reason(io)),
        _ => clean_reason(io),
    }
}

/// Connect, or fail with one line naming the database (exit `code`: 66 for a source, 73 for a destination).
fn connect(url: &DbUrl, code: ExitCode) -> Result<Conn> {
    connect_with(url, code, CapabilityFlags::empty())
}

/// Connect with extra client capabilities (`CLIENT_FOUND_ROWS`: an UPDATE counts the rows it matched).
fn connect_with(url: &DbUrl, code: ExitCode, caps: CapabilityFlags) -> Result<Conn> {
    let t = parse(url)?;
    let fail = |msg: String| -> anyhow::Error {
        StewardError::new(code, format!("{}: {msg}", url.shown())).into()
    };
    let attempt = |tls: bool| Conn::new(builder(&t, tls).additional_capabilities(caps));
    let result = match t.tls {
        Tls::Disabled => attempt(false),
        Tls::Preferred => match attempt(true) {
            Err(mysql::Error::DriverError(mysql::DriverError::TlsNotSupported)) => attempt(false),
            r => r,
        },
        _ => attempt(true),
    };
    let mut conn = result.map_err(|e| match &e {
        mysql::Error::MySqlError(m) if m.code == 1045 && t.password.is_none() => fail(format!(
            "authentication failed for user {}: no password was given (steward takes it from MYSQL_PWD, or \
             env:VAR naming a variable that holds the whole URL)",
            t.user
        )),
        mysql::Error::MySqlError(m) if m.code == 1045 => fail(format!(
            "authentication failed for user {} (steward takes the password from MYSQL_PWD, or env:VAR naming a \
             variable that holds the whole URL)",
            t.user
        )),
        mysql::Error::MySqlError(m) if m.code == 1049 => {
            fail("the database does not exist".to_string())
        }
        mysql::Error::DriverError(mysql::DriverError::TlsNotSupported) => fail(
            "the server does not offer TLS, which the URL's ssl-mode requires".to_string(),
        ),
        mysql::Error::DriverError(mysql::DriverError::ConnectTimeout) => {
            fail("cannot connect: timed out after 10 s".to_string())
        }
        mysql::Error::DriverError(mysql::DriverError::CouldNotConnect(Some((_, why, _)))) => {
            fail(format!("cannot connect: {}", clean_reason(why)))
        }
        mysql::Error::TlsError(_) => fail(format!("TLS: {}", clean_reason(&e))),
        mysql::Error::IoError(io) => fail(format!("cannot connect: {}", io_reason(io))),
        _ => fail(format!("cannot connect: {}", reason(&e))),
    })?;
    conn.query_drop("SET NAMES utf8mb4")
        .map_err(|e| db_error(url, &e, code, "setting up the session"))?;
    Ok(conn)
}

/// One line for a failed statement, exit `code`.
fn db_error(url: &DbUrl, e: &mysql::Error, code: ExitCode, doing: &str) -> anyhow::Error {
    StewardError::new(code, format!("{}: {doing}: {}", url.shown(), reason(e))).into()
}

/// A query's own mistake (syntax, unknown table or column: SQLSTATE class 42 but not a missing privilege;
/// a write) is bad input (65); anything else is an unreadable source (66).
fn read_code(e: &mysql::Error) -> ExitCode {
    match e {
        mysql::Error::MySqlError(m)
            if m.state.starts_with("42") && !matches!(m.code, 1044 | 1142 | 1143 | 1227) =>
        {
            ExitCode::DataErr
        }
        // A query that writes, refused by the read-only transaction.
        mysql::Error::MySqlError(m) if m.code == 1792 => ExitCode::DataErr,
        _ => ExitCode::NoInput,
    }
}

pub(crate) fn quote_ident(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

/// A table as given (`t`, `db.t`, or already quoted with backticks) split into its database and name.
fn split_table(t: &str) -> (Option<String>, String) {
    let unquote = |s: &str| {
        s.strip_prefix('`')
            .and_then(|s| s.strip_suffix('`'))
            .map(|s| s.replace("``", "`"))
            .unwrap_or_else(|| s.to_string())
    };
    if t.starts_with('`') {
        // `db`.`t` or `t`
        if let Some(i) = t.find("`.`") {
            return (Some(unquote(&t[..=i])), unquote(&t[i + 2..]));
        }
        return (None, unquote(t));
    }
    match t.split_once('.') {
        Some((d, n)) => (Some(unquote(d)), unquote(n)),
        None => (None, t.to_string()),
    }
}

fn qualified(db: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(db), quote_ident(name))
}

/// The table's database: the one it names, else the URL's.
fn database_of(
    conn: &mut Conn,
    url: &DbUrl,
    schema: Option<String>,
    code: ExitCode,
) -> Result<String> {
    if let Some(s) = schema {
        return Ok(s);
    }
    let db: Option<Option<String>> = conn
        .query_first("SELECT DATABASE()")
        .map_err(|e| db_error(url, &e, code, "setting up the session"))?;
    db.flatten().ok_or_else(|| {
        StewardError::usage(format!(
            "{}: the URL names no database (mysql://USER@HOST/DATABASE) and the table names none (DATABASE.TABLE)",
            url.shown()
        ))
        .into()
    })
}

/// The table's type (BASE TABLE, VIEW) and engine, if it exists.
fn table_info(
    conn: &mut Conn,
    db: &str,
    name: &str,
) -> mysql::Result<Option<(String, Option<String>)>> {
    conn.exec_first(
        "SELECT TABLE_TYPE, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
        (db, name),
    )
}

fn column_names(conn: &mut Conn, db: &str, name: &str) -> mysql::Result<Vec<String>> {
    conn.exec(
        "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? \
         ORDER BY ORDINAL_POSITION",
        (db, name),
    )
}

/// Whether a result column holds bytes rather than text: binary strings and blobs (character set 63,
/// `binary`), BIT and spatial values.
fn is_binary(c: &mysql::Column) -> bool {
    use ColumnType::*;
    match c.column_type() {
        MYSQL_TYPE_BIT | MYSQL_TYPE_GEOMETRY => true,
        MYSQL_TYPE_TINY_BLOB
        | MYSQL_TYPE_MEDIUM_BLOB
        | MYSQL_TYPE_LONG_BLOB
        | MYSQL_TYPE_BLOB
        | MYSQL_TYPE_VAR_STRING
        | MYSQL_TYPE_STRING
        | MYSQL_TYPE_VARCHAR => c.character_set() == 63,
        _ => false,
    }
}

/// Read a table or a query's result.
pub(crate) fn fetch(url: &DbUrl, what: &Selection) -> Result<Fetched> {
    let code = ExitCode::NoInput;
    let mut conn = connect(url, code)?;
    // A query that would write fails instead (on transactional tables; DDL is refused below, before it runs).
    conn.query_drop("START TRANSACTION READ ONLY")
        .map_err(|e| db_error(url, &e, code, "starting a read-only transaction"))?;
    let fetched = fetch_on(&mut conn, url, what, None)?;
    let _ = conn.query_drop("COMMIT");
    Ok(fetched)
}

/// Read on an open connection inside its transaction. With `key_expr` (an SQL expression), each record of
/// a table starts with it and the rows are read `FOR UPDATE`: locked against other writers until the
/// transaction ends.
fn fetch_on(
    conn: &mut Conn,
    url: &DbUrl,
    what: &Selection,
    key_expr: Option<&str>,
) -> Result<Fetched> {
    let code = ExitCode::NoInput;
    let (select, ids, row_note) = match what {
        Selection::Table(t) => {
            let (schema, name) = split_table(t);
            let db = database_of(conn, url, schema, code)?;
            let fail = |e: mysql::Error| db_error(url, &e, code, &format!("table {t}"));
            if table_info(conn, &db, &name).map_err(fail)?.is_none() {
                return Err(StewardError::no_input(format!(
                    "{}: table {t} does not exist",
                    url.shown()
                ))
                .into());
            }
            let q = qualified(&db, &name);
            let headers = column_names(conn, &db, &name).map_err(fail)?;
            let key: Vec<(String, String)> = conn
                .exec(
                    "SELECT s.COLUMN_NAME, c.DATA_TYPE FROM information_schema.STATISTICS s \
                     JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = s.TABLE_SCHEMA \
                       AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME \
                     WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.INDEX_NAME = 'PRIMARY' \
                     ORDER BY s.SEQ_IN_INDEX",
                    (&db, &name),
                )
                .map_err(fail)?;
            let order = key
                .iter()
                .map(|(c, _)| quote_ident(c))
                .collect::<Vec<_>>()
                .join(", ");
            let columns = match key_expr {
                Some(k) => format!("{k}, {q}.*"),
                None => "*".to_string(),
            };
            let mut select = format!("SELECT {columns} FROM {q}");
            if !key.is_empty() {
                select.push_str(&format!(" ORDER BY {order}"));
            }
            if key_expr.is_some() {
                select.push_str(" FOR UPDATE");
            }
            let integer = |ty: &str| {
                matches!(
                    ty.to_ascii_lowercase().as_str(),
                    "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint"
                )
            };
            let (ids, note) = match key.as_slice() {
                [(col, ty)] if integer(ty) => {
                    let non_negative: Option<i64> = conn
                        .query_first(format!(
                            "SELECT COALESCE(MIN({}), 0) >= 0 FROM {q}",
                            quote_ident(col)
                        ))
                        .map_err(fail)?;
                    match headers.iter().position(|h| h == col) {
                        Some(i) if non_negative == Some(1) => {
                            (RowIds::Key(i), format!("_row is the primary key {col}"))
                        }
                        Some(i) => (
                            RowIds::Keys(vec![i]),
                            format!("_row is the primary key {col}"),
                        ),
                        None => (
                            RowIds::Ordinal,
                            "_row is the position in the table".to_string(),
                        ),
                    }
                }
                [] => (
                    RowIds::Ordinal,
                    "_row is the position in the table (it has no primary key)".to_string(),
                ),
                cols => {
                    let names = cols.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>();
                    let at: Option<Vec<usize>> = names
                        .iter()
                        .map(|c| headers.iter().position(|h| h == c))
                        .collect();
                    match at {
                        Some(at) if at.len() == 1 => (
                            RowIds::Keys(at),
                            format!("_row is the primary key {}", names[0]),
                        ),
                        Some(at) => (
                            RowIds::Keys(at),
                            format!(
                                "_row is the primary key ({}), its values joined by {}",
                                names.join(", "),
                                super::KEY_JOIN
                            ),
                        ),
                        None => (
                            RowIds::Ordinal,
                            "_row is the position in the table".to_string(),
                        ),
                    }
                }
            };
            (select, ids, note)
        }
        Selection::Query(sql) => {
            let sql = sql.trim().trim_end_matches(';').trim().to_string();
            // Prepared first, never run: a syntax error fails here, and a statement that returns no rows
            // (an UPDATE, a DROP) is refused before it could change anything.
            let stmt = conn
                .prep(&sql)
                .map_err(|e| db_error(url, &e, read_code(&e), "the query failed"))?;
            let width = stmt.columns().len();
            let _ = conn.close(stmt);
            if width == 0 {
                return Err(StewardError::data(format!(
                    "{}: the query returns no columns (give a SELECT)",
                    url.shown()
                ))
                .into());
            }
            (
                sql,
                RowIds::Ordinal,
                "_row is the position in the query's result".to_string(),
            )
        }
    };
    let locking = match what {
        Selection::Table(t) => t.as_str(),
        Selection::Query(_) => "",
    };
    // The text protocol: each value as the server renders it (dates ISO, decimals as stored).
    let mut result = conn.query_iter(&select).map_err(|e| match (&e, key_expr) {
        (mysql::Error::MySqlError(m), Some(_)) if is_lock_conflict(m.code) => busy(url, locking),
        _ => db_error(url, &e, read_code(&e), "reading failed"),
    })?;
    let columns: Vec<mysql::Column> = result.columns().as_ref().to_vec();
    let headers: Vec<String> = columns.iter().map(|c| c.name_str().into_owned()).collect();
    if let Some(c) = columns.iter().find(|c| is_binary(c)) {
        let n = c.name_str();
        return Err(StewardError::data(format!(
            "{}: column {n} holds binary data (BLOB, BINARY, BIT or spatial), which steward does not read as \
             text; select it as HEX(`{n}`) with --query",
            url.shown()
        ))
        .into());
    }
    let mut text = Vec::new();
    let mut values: Vec<String> = vec![String::new(); headers.len()];
    for row in result.by_ref() {
        // A locked row met midway (FOR UPDATE) ends the stream with the lock's error.
        let row = row.map_err(|e| match (&e, key_expr) {
            (mysql::Error::MySqlError(m), Some(_)) if is_lock_conflict(m.code) => {
                busy(url, locking)
            }
            _ => db_error(url, &e, ExitCode::NoInput, "reading failed"),
        })?;
        for (i, (v, cell)) in values.iter_mut().zip(row.unwrap_raw()).enumerate() {
            v.clear();
            match cell {
                None | Some(mysql::Value::NULL) => {}
                Some(mysql::Value::Bytes(b)) if b.is_empty() => v.push_str(EMPTY_TEXT),
                Some(mysql::Value::Bytes(b)) => match String::from_utf8(b) {
                    Ok(s) => *v = s,
                    Err(_) => {
                        return Err(StewardError::data(format!(
                            "{}: column {} holds text that is not UTF-8",
                            url.shown(),
                            headers[i]
                        ))
                        .into())
                    }
                },
                Some(other) => {
                    // The text protocol sends bytes only; anything else is a driver change to look at.
                    return Err(StewardError::new(
                        ExitCode::Software,
                        format!(
                            "{}: column {}: the driver sent a typed value ({other:?}) for the text protocol",
                            url.shown(),
                            headers[i]
                        ),
                    )
                    .into());
                }
            }
        }
        let refs: Vec<&str> = values.iter().map(|s| s.as_str()).collect();
        rows::encode(&mut text, &refs);
    }
    drop(result);
    let skip = usize::from(key_expr.is_some() && matches!(what, Selection::Table(_)));
    Ok(Fetched {
        headers: headers.get(skip..).unwrap_or_default().to_vec(),
        text: String::from_utf8(text).unwrap_or_default(),
        ids,
        row_note,
    })
}

/// Where rows go and what the commit does with them.
enum Plan {
    /// Rows go into the table itself.
    Append,
    /// Rows go into a staging table renamed to the destination at commit.
    Create { staging: String },
    /// Rows go into a staging table (`CREATE TABLE ... LIKE` the destination) swapped with it at commit;
    /// the old table is then dropped.
    Replace { staging: String, old: String },
}

/// Rows loaded inside one transaction, in multi-row INSERTs.
pub(crate) struct MysqlLoad {
    url: DbUrl,
    conn: Option<Conn>,
    db: String,
    table: String,
    plan: Plan,
    /// `INSERT INTO ... (cols) VALUES `
    head: String,
    stmt: String,
    rows_in_stmt: usize,
    /// A staging table that exists and must go if the load does not commit.
    staging_exists: bool,
}

const NEW: &str = "__steward_new_";
const OLD: &str = "__steward_old_";

/// The user lock a load holds while its staging table for `db`.`name` may exist (the server releases it when
/// the session ends, however it ends): a staging table whose lock is free was left by a run that is gone.
fn staging_lock(db: &str, name: &str, id: u64) -> String {
    use sha2::Digest;
    let h = sha2::Sha256::digest(format!("{db}\0{name}\0{id}").as_bytes());
    // Lock names are at most 64 characters.
    format!("steward:{}", hex::encode(&h[..16]))
}

/// Name the staging table after this session's connection id, after dropping those left by sessions that
/// ended without cleaning up (a killed process), and hold its lock.
fn claim_staging(conn: &mut Conn, db: &str, name: &str) -> mysql::Result<(String, u64)> {
    let id: u64 = conn.query_first("SELECT CONNECTION_ID()")?.unwrap_or(0);
    let tables: Vec<String> = conn.exec(
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND LOCATE('__steward_', TABLE_NAME) > 0",
        (db,),
    )?;
    for t in tables {
        let Some(owner) = staging_owner(name, &t) else {
            continue;
        };
        let holder: Option<Option<u64>> =
            conn.exec_first("SELECT IS_USED_LOCK(?)", (staging_lock(db, name, owner),))?;
        if holder.flatten().is_none() {
            // Best effort: another run may be dropping it at the same moment.
            let _ = conn.query_drop(format!("DROP TABLE IF EXISTS {}", qualified(db, &t)));
        }
    }
    let got: Option<Option<i64>> =
        conn.exec_first("SELECT GET_LOCK(?, 0)", (staging_lock(db, name, id),))?;
    if got.flatten() != Some(1) {
        return Err(mysql::Error::MySqlError(mysql::MySqlError {
            state: "HY000".to_string(),
            message: "another session holds this load's lock".to_string(),
            code: 0,
        }));
    }
    Ok((derived_name(name, &format!("{NEW}{id}")), id))
}

/// The connection id in a staging (or old) table's name derived from `name`, if `t` is one.
fn staging_owner(name: &str, t: &str) -> Option<u64> {
    for marker in [NEW, OLD] {
        if let Some(at) = t.rfind(marker) {
            let id: u64 = t[at + marker.len()..].parse().ok()?;
            if derived_name(name, &format!("{marker}{id}")).eq_ignore_ascii_case(t) {
                return Some(id);
            }
        }
    }
    None
}

/// `name` with `suffix`, cut to MySQL's 64 characters.
fn derived_name(name: &str, suffix: &str) -> String {
    let keep = NAME_MAX.saturating_sub(suffix.chars().count());
    let stem: String = name.chars().take(keep).collect();
    format!("{stem}{suffix}")
}

/// A value as an SQL literal (the session has NO_BACKSLASH_ESCAPES: only quotes are doubled).
fn push_literal(out: &mut String, v: &str) {
    match rows::sql_value(v) {
        None => out.push_str("NULL"),
        Some(s) => {
            out.push('\'');
            for (i, part) in s.split('\'').enumerate() {
                if i > 0 {
                    out.push_str("''");
                }
                out.push_str(part);
            }
            out.push('\'');
        }
    }
}

/// What depends on a table and would not follow a swap: views naming it, foreign keys to or from it,
/// triggers on it.
fn dependents(conn: &mut Conn, db: &str, name: &str) -> mysql::Result<Vec<String>> {
    let mut out = Vec::new();
    let needle = format!("{}.{}", quote_ident(db), quote_ident(name));
    let views: Vec<(String, String)> = conn.exec(
        "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.VIEWS WHERE LOCATE(?, VIEW_DEFINITION) > 0",
        (&needle,),
    )?;
    out.extend(views.into_iter().map(|(d, v)| format!("view {d}.{v}")));
    let into: Vec<(String, String, String)> = conn.exec(
        "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS \
         WHERE UNIQUE_CONSTRAINT_SCHEMA = ? AND REFERENCED_TABLE_NAME = ?",
        (db, name),
    )?;
    out.extend(
        into.into_iter()
            .map(|(d, t, c)| format!("foreign key {c} of {d}.{t}")),
    );
    let from: Vec<(String, String)> = conn.exec(
        "SELECT CONSTRAINT_NAME, REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS \
         WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME <> TABLE_NAME",
        (db, name),
    )?;
    out.extend(
        from.into_iter()
            .map(|(c, r)| format!("its foreign key {c} to {r}")),
    );
    let triggers: Vec<String> = conn.exec(
        "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?",
        (db, name),
    )?;
    out.extend(triggers.into_iter().map(|t| format!("trigger {t}")));
    Ok(out)
}

impl MysqlLoad {
    pub(crate) fn open(
        url: &DbUrl,
        table: &str,
        mode: IfExists,
        columns: &[String],
        types: &[Option<&str>],
    ) -> Result<MysqlLoad> {
        let code = ExitCode::CantCreate;
        let mut conn = connect(url, code)?;
        let fail = |e: &mysql::Error, doing: &str| db_error(url, e, code, doing);
        conn.query_drop(format!("SET SESSION sql_mode = '{LOAD_SQL_MODE}'"))
            .map_err(|e| fail(&e, "setting up the session"))?;
        let (schema, name) = split_table(table);
        let db = database_of(&mut conn, url, schema, code)?;
        let info = table_info(&mut conn, &db, &name).map_err(|e| fail(&e, "checking the table"))?;
        let plan = match (info, mode) {
            (Some(_), IfExists::Fail) => {
                return Err(StewardError::cant_create(format!(
                    "{}: table {table} exists; pass --if-exists replace to replace its rows or --if-exists append to add to them",
                    url.shown()
                ))
                .into())
            }
            (Some((kind, engine)), _) => {
                let have = column_names(&mut conn, &db, &name)
                    .map_err(|e| fail(&e, &format!("table {table}")))?;
                let missing: Vec<&String> = columns.iter().filter(|c| !have.contains(c)).collect();
                if !missing.is_empty() {
                    return Err(StewardError::cant_create(format!(
                        "{}: table {table} has no column {} (its columns: {}); nothing was written",
                        url.shown(),
                        missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                        have.join(", ")
                    ))
                    .into());
                }
                if mode == IfExists::Append {
                    if let Some(engine) = engine.filter(|e| !e.eq_ignore_ascii_case("InnoDB")) {
                        return Err(StewardError::cant_create(format!(
                            "{}: table {table} uses the {engine} engine, which cannot undo a failed append; steward \
                             appends to InnoDB tables only (--if-exists replace works on any); nothing was written",
                            url.shown()
                        ))
                        .into());
                    }
                    Plan::Append
                } else {
                    if kind.eq_ignore_ascii_case("VIEW") {
                        return Err(StewardError::cant_create(format!(
                            "{}: {table} is a view, which steward does not replace; nothing was written",
                            url.shown()
                        ))
                        .into());
                    }
                    let deps = dependents(&mut conn, &db, &name)
                        .map_err(|e| fail(&e, &format!("checking what depends on table {table}")))?;
                    if !deps.is_empty() {
                        return Err(StewardError::cant_create(format!(
                            "{}: table {table} cannot be replaced: on MySQL steward renames a new table into \
                             its place, which would break or lose {}; nothing was written",
                            url.shown(),
                            deps.join(", ")
                        ))
                        .into());
                    }
                    let (staging, id) = claim_staging(&mut conn, &db, &name)
                        .map_err(|e| fail(&e, &format!("preparing table {table}")))?;
                    conn.query_drop(format!(
                        "CREATE TABLE {} LIKE {}",
                        qualified(&db, &staging),
                        qualified(&db, &name)
                    ))
                    .map_err(|e| fail(&e, &format!("creating a table for the new rows of {table}")))?;
                    Plan::Replace {
                        staging,
                        old: derived_name(&name, &format!("{OLD}{id}")),
                    }
                }
            }
            (None, _) => {
                let defs = super::column_defs(columns, types, "LONGTEXT", quote_ident);
                let (staging, _) = claim_staging(&mut conn, &db, &name)
                    .map_err(|e| fail(&e, &format!("preparing table {table}")))?;
                conn.query_drop(format!(
                    "CREATE TABLE {} ({defs}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                    qualified(&db, &staging)
                ))
                .map_err(|e| fail(&e, &format!("creating table {table}")))?;
                Plan::Create { staging }
            }
        };
        let staging_exists = !matches!(plan, Plan::Append);
        let into = match &plan {
            Plan::Append => qualified(&db, &name),
            Plan::Create { staging } | Plan::Replace { staging, .. } => qualified(&db, staging),
        };
        let cols = columns
            .iter()
            .map(|c| quote_ident(c))
            .collect::<Vec<_>>()
            .join(", ");
        let mut load = MysqlLoad {
            url: url.clone(),
            conn: Some(conn),
            db,
            table: table.to_string(),
            plan,
            head: format!("INSERT INTO {into} ({cols}) VALUES "),
            stmt: String::with_capacity(INSERT_CHUNK + (1 << 16)),
            rows_in_stmt: 0,
            staging_exists,
        };
        load.run("START TRANSACTION", "starting a transaction")?;
        Ok(load)
    }

    fn run(&mut self, sql: &str, doing: &str) -> Result<()> {
        let url = &self.url;
        let Some(conn) = self.conn.as_mut() else {
            return Err(StewardError::cant_create(format!(
                "{}: {doing}: the connection was lost",
                url.shown()
            ))
            .into());
        };
        conn.query_drop(sql)
            .map_err(|e| db_error(url, &e, ExitCode::CantCreate, doing))
    }

    fn send(&mut self) -> Result<()> {
        if self.rows_in_stmt == 0 {
            return Ok(());
        }
        let stmt = std::mem::take(&mut self.stmt);
        let sent = self.run(&stmt, "loading failed, nothing was written");
        self.stmt = stmt;
        self.stmt.clear();
        self.rows_in_stmt = 0;
        sent
    }

    /// Drop the staging table (best effort): on this connection, or on a new one when it was lost.
    fn drop_staging(&mut self) {
        if !self.staging_exists {
            return;
        }
        let staging = match &self.plan {
            Plan::Create { staging } | Plan::Replace { staging, .. } => staging.clone(),
            Plan::Append => return,
        };
        let sql = format!("DROP TABLE IF EXISTS {}", qualified(&self.db, &staging));
        let mut done = false;
        if let Some(conn) = self.conn.as_mut() {
            let _ = conn.query_drop("ROLLBACK");
            done = conn.query_drop(&sql).is_ok();
        }
        if !done {
            if let Ok(mut conn) = connect(&self.url, ExitCode::CantCreate) {
                done = conn.query_drop(&sql).is_ok();
            }
        }
        if done {
            self.staging_exists = false;
        }
    }
}

impl super::Load for MysqlLoad {
    fn write_row(&mut self, row: &[&str]) -> Result<()> {
        if self.rows_in_stmt == 0 {
            self.stmt.push_str(&self.head);
        } else {
            self.stmt.push(',');
        }
        self.stmt.push('(');
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                self.stmt.push(',');
            }
            push_literal(&mut self.stmt, v);
        }
        self.stmt.push(')');
        self.rows_in_stmt += 1;
        if self.stmt.len() >= INSERT_CHUNK {
            self.send()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        self.send()
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        self.run("COMMIT", "committing")?;
        let table = self.table.clone();
        let target = {
            let (_, name) = split_table(&table);
            qualified(&self.db, &name)
        };
        match &self.plan {
            Plan::Append => {}
            Plan::Create { staging } => {
                let sql = format!("RENAME TABLE {} TO {target}", qualified(&self.db, staging));
                self.run(&sql, &format!("putting table {table} in place"))?;
                self.staging_exists = false;
            }
            Plan::Replace { staging, old } => {
                let old = qualified(&self.db, old);
                let sql = format!(
                    "RENAME TABLE {target} TO {old}, {} TO {target}",
                    qualified(&self.db, staging)
                );
                self.run(&sql, &format!("swapping the new rows into table {table}"))?;
                self.staging_exists = false;
                if let Err(e) = self.run(&format!("DROP TABLE {old}"), "dropping the old rows") {
                    // The new rows are in place; only a leftover table remains.
                    eprintln!(
                        "steward: warning: {}; the new rows are in {table}, and {old} is left (the next load \
                         into {table} drops it)",
                        crate::error::one_line(&e)
                    );
                }
            }
        }
        Ok(())
    }
}

impl Drop for MysqlLoad {
    fn drop(&mut self) {
        self.drop_staging();
    }
}

// ---------------------------------------------------------------------------------------------------------
// Editing a table in place (erasure)

/// Keys per DELETE statement: its placeholders stay far below the server's 65,535 for any key (16 columns
/// at most).
const DELETE_CHUNK: usize = 1_000;

/// Lock wait timeout (1205) or deadlock (1213): another session holds rows or the table.
fn is_lock_conflict(code: u16) -> bool {
    matches!(code, 1205 | 1213)
}

fn busy(url: &DbUrl, table: &str) -> anyhow::Error {
    StewardError::cant_create(format!(
        "{}: table {table} is being changed by another session (waited 10 s); nothing was changed, try again",
        url.shown()
    ))
    .into()
}

/// The columns that name each row of a table: its primary key, else its first unique key of NOT NULL
/// columns (InnoDB's own choice of clustered index). Empty when it has neither.
fn row_key(conn: &mut Conn, db: &str, name: &str) -> mysql::Result<Vec<String>> {
    // (index, column, nullable); a functional key part (MySQL 8) has no column name.
    let parts: Vec<(String, Option<String>, String)> = conn.exec(
        "SELECT INDEX_NAME, COLUMN_NAME, NULLABLE FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 \
         ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX",
        (db, name),
    )?;
    let mut keys: Vec<(&str, Vec<Option<&str>>)> = Vec::new();
    for (ix, col, nullable) in &parts {
        // A column that may be NULL cannot name a row.
        let col = col
            .as_deref()
            .filter(|_| !nullable.eq_ignore_ascii_case("YES"));
        match keys.last_mut() {
            Some((i, cols)) if *i == ix.as_str() => cols.push(col),
            _ => keys.push((ix, vec![col])),
        }
    }
    Ok(keys
        .into_iter()
        .find_map(|(_, cols)| cols.into_iter().map(|c| c.map(str::to_string)).collect())
        .unwrap_or_default())
}

/// The SQL expression that names a row as one text field: each key column as text (as the text protocol
/// renders it), hex-encoded, joined by commas, so no value can be mistaken for a separator.
fn key_expr(q: &str, key: &[String]) -> String {
    let parts: Vec<String> = key
        .iter()
        .map(|c| format!("HEX(CAST({q}.{} AS CHAR))", quote_ident(c)))
        .collect();
    format!("CONCAT_WS(',', {})", parts.join(", "))
}

/// The key columns' values of a row named by [`key_expr`].
fn decode_key(key: &str, width: usize) -> Option<Vec<String>> {
    // The database's empty string ('' of a single-column key whose value is '') reads as EMPTY_TEXT.
    let parts: Vec<String> = plain(key)
        .split(',')
        .map(|h| hex::decode(h).ok().and_then(|b| String::from_utf8(b).ok()))
        .collect::<Option<_>>()?;
    (parts.len() == width).then_some(parts)
}

/// A table edited in place inside one InnoDB transaction: its rows were read `FOR UPDATE` (every row and
/// the gaps between them locked: other sessions still read, but cannot change, delete or insert rows until
/// the commit), named by their key.
pub(crate) struct MysqlEdit {
    url: DbUrl,
    conn: Conn,
    table: String,
    /// The table, quoted and qualified with its database.
    q: String,
    /// The key columns, quoted.
    key: Vec<String>,
    /// The table's columns, quoted, in the order rows are read.
    columns: Vec<String>,
}

/// Open `table` for editing: a transaction, its rows read and locked with their key first.
pub(crate) fn open_edit(url: &DbUrl, table: &str) -> Result<(super::Fetched, MysqlEdit)> {
    let code = ExitCode::NoInput;
    let mut conn = connect_with(url, code, CapabilityFlags::CLIENT_FOUND_ROWS)?;
    // Strict, so a redacted value a column cannot hold fails instead of being cut; REPEATABLE READ, so a
    // locking read also locks the gaps (no row can be inserted); 10 s for row and metadata locks.
    for sql in [
        format!(
            "SET SESSION sql_mode = '{LOAD_SQL_MODE}', SESSION innodb_lock_wait_timeout = 10, \
             SESSION lock_wait_timeout = 10"
        ),
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ".to_string(),
    ] {
        conn.query_drop(sql)
            .map_err(|e| db_error(url, &e, code, "setting up the session"))?;
    }
    conn.query_drop("START TRANSACTION")
        .map_err(|e| db_error(url, &e, code, "starting a transaction"))?;
    let (schema, name) = split_table(table);
    let db = database_of(&mut conn, url, schema, code)?;
    let fail = |e: mysql::Error| db_error(url, &e, code, &format!("table {table}"));
    let refuse = |why: String| -> anyhow::Error {
        StewardError::cant_create(format!("{}: {why}; nothing was changed", url.shown())).into()
    };
    match table_info(&mut conn, &db, &name).map_err(fail)? {
        None => {
            return Err(StewardError::no_input(format!(
                "{}: table {table} does not exist",
                url.shown()
            ))
            .into())
        }
        Some((kind, _)) if kind.eq_ignore_ascii_case("VIEW") => {
            return Err(refuse(format!(
                "{table} is a view; steward erases rows of InnoDB tables only"
            )))
        }
        Some((_, engine)) => {
            let engine = engine.unwrap_or_default();
            if !engine.eq_ignore_ascii_case("InnoDB") {
                return Err(refuse(format!(
                    "table {table} uses the {engine} engine, which cannot lock rows or undo a failed \
                     erasure; steward erases rows of InnoDB tables only"
                )));
            }
        }
    }
    let key = row_key(&mut conn, &db, &name).map_err(fail)?;
    if key.is_empty() {
        return Err(StewardError::usage(format!(
            "{}: table {table} has no primary key (nor a unique key of NOT NULL columns), so steward cannot \
             name the rows to erase; add one (ALTER TABLE ... ADD PRIMARY KEY); nothing was changed",
            url.shown()
        ))
        .into());
    }
    let q = qualified(&db, &name);
    let fetched = fetch_on(
        &mut conn,
        url,
        &Selection::Table(table.to_string()),
        Some(&key_expr(&q, &key)),
    )?;
    let columns = fetched.headers.iter().map(|h| quote_ident(h)).collect();
    Ok((
        fetched,
        MysqlEdit {
            url: url.clone(),
            conn,
            table: table.to_string(),
            q,
            key: key.iter().map(|c| quote_ident(c)).collect(),
            columns,
        },
    ))
}

impl MysqlEdit {
    fn fail(&self, e: &mysql::Error, doing: &str) -> anyhow::Error {
        match e {
            // ER_ROW_IS_REFERENCED(_2): the server's message names the constraint.
            mysql::Error::MySqlError(m) if matches!(m.code, 1217 | 1451) => {
                StewardError::cant_create(format!(
                    "{}: {doing}: {} (rows of another table refer to a row to erase: erase those first, or \
                     let the foreign key cascade); nothing was changed",
                    self.url.shown(),
                    clean_reason(&m.message)
                ))
                .into()
            }
            mysql::Error::MySqlError(m) if is_lock_conflict(m.code) => {
                busy(&self.url, &self.table)
            }
            _ => StewardError::cant_create(format!(
                "{}: {doing}: {}; nothing was changed",
                self.url.shown(),
                reason(e)
            ))
            .into(),
        }
    }

    fn key_values(&self, key: &str) -> Result<Vec<String>> {
        decode_key(key, self.key.len()).ok_or_else(|| {
            StewardError::new(
                ExitCode::Software,
                format!(
                    "{}: a row key read from {} is malformed",
                    self.url.shown(),
                    self.table
                ),
            )
            .into()
        })
    }

    /// `(k1 = ? AND k2 = ?)`: one row by its key.
    fn key_match(&self) -> String {
        let eq: Vec<String> = self.key.iter().map(|k| format!("{k} = ?")).collect();
        format!("({})", eq.join(" AND "))
    }
}

impl super::Edit for MysqlEdit {
    fn delete(&mut self, keys: &[&str]) -> Result<u64> {
        let doing = format!("erasing rows of {}", self.table);
        let mut n = 0u64;
        for chunk in keys.chunks(DELETE_CHUNK) {
            let mut params: Vec<mysql::Value> = Vec::with_capacity(chunk.len() * self.key.len());
            for k in chunk {
                params.extend(self.key_values(k)?.into_iter().map(mysql::Value::from));
            }
            let one = self.key_match();
            let sql = format!(
                "DELETE FROM {} WHERE {}",
                self.q,
                vec![one.as_str(); chunk.len()].join(" OR ")
            );
            match self.conn.exec_drop(&sql, params) {
                Ok(()) => n += self.conn.affected_rows(),
                Err(e) => return Err(self.fail(&e, &doing)),
            }
        }
        Ok(n)
    }

    fn update(&mut self, key: &str, values: &[(usize, &str)]) -> Result<()> {
        let sets: Vec<String> = values
            .iter()
            .map(|(c, _)| format!("{} = ?", self.columns[*c]))
            .collect();
        let sql = format!(
            "UPDATE {} SET {} WHERE {}",
            self.q,
            sets.join(", "),
            self.key_match()
        );
        let mut params: Vec<mysql::Value> =
            values.iter().map(|(_, v)| mysql::Value::from(*v)).collect();
        params.extend(self.key_values(key)?.into_iter().map(mysql::Value::from));
        let doing = format!("redacting values in {}", self.table);
        if let Err(e) = self.conn.exec_drop(&sql, params) {
            return Err(self.fail(&e, &doing));
        }
        // CLIENT_FOUND_ROWS: the rows matched, changed or not.
        match self.conn.affected_rows() {
            1 => Ok(()),
            n => Err(StewardError::cant_create(format!(
                "{}: redacting a value of {} changed {n} rows instead of 1; nothing was changed",
                self.url.shown(),
                self.table
            ))
            .into()),
        }
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        let url = self.url.clone();
        self.conn
            .query_drop("COMMIT")
            .map_err(|e| db_error(&url, &e, ExitCode::CantCreate, "committing"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_keys_decode_every_part_whatever_it_holds() {
        let enc = |parts: &[&str]| {
            parts
                .iter()
                .map(|p| hex::encode_upper(p.as_bytes()))
                .collect::<Vec<_>>()
                .join(",")
        };
        for parts in [
            vec!["42"],
            vec!["a,b", "c"],
            vec!["", "x"],
            vec!["张伟", "O'Brien \\", ","],
        ] {
            assert_eq!(
                decode_key(&enc(&parts), parts.len()),
                Some(parts.iter().map(|s| s.to_string()).collect())
            );
        }
        // A single key whose value is '' reads as the database's empty string.
        assert_eq!(decode_key(EMPTY_TEXT, 1), Some(vec![String::new()]));
        assert_eq!(decode_key("4142", 2), None);
        assert_eq!(decode_key("zz", 1), None);
    }

    #[test]
    fn tables_split_into_database_and_name() {
        assert_eq!(split_table("t"), (None, "t".to_string()));
        assert_eq!(
            split_table("crm.customers"),
            (Some("crm".to_string()), "customers".to_string())
        );
        assert_eq!(
            split_table("`my.db`.`odd``name`"),
            (Some("my.db".to_string()), "odd`name".to_string())
        );
        assert_eq!(split_table("`a.b`"), (None, "a.b".to_string()));
    }

    #[test]
    fn literals_double_quotes_only_and_keep_null_apart_from_empty() {
        let mut s = String::new();
        for v in ["", EMPTY_TEXT, "O'Brien \\n", "张伟"] {
            push_literal(&mut s, v);
            s.push(' ');
        }
        assert_eq!(s, "NULL '' 'O''Brien \\n' '张伟' ");
    }

    #[test]
    fn derived_names_fit_in_64_characters() {
        let long = "x".repeat(70);
        let n = derived_name(&long, "__steward_new_4194304");
        assert_eq!(n.chars().count(), 64);
        assert!(n.ends_with("__steward_new_4194304"));
        assert_eq!(derived_name("t", "__s"), "t__s");
        assert_eq!(staging_owner(&long, &n), Some(4194304));
        assert_eq!(staging_owner("t", "t__steward_old_12"), Some(12));
        assert_eq!(staging_owner("t", "tt__steward_new_12"), None);
        assert_eq!(staging_owner("t", "t__steward_new_x"), None);
        assert!(staging_lock("steward_test", &long, u64::MAX).len() <= 64);
    }

    #[test]
    fn urls_give_host_port_user_database_and_tls() {
        let u = DbUrl::parse(
            "mysql://ann@db.internal:3307/crm?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ca.pem",
        )
        .unwrap();
        let t = parse(&u).unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.user.as_str(), t.db.as_deref()),
            ("db.internal", 3307, "ann", Some("crm"))
        );
        assert_eq!(t.tls, Tls::VerifyIdentity);
        assert_eq!(t.ssl_ca.as_deref(), Some("/etc/ca.pem"));
        let t = parse(&DbUrl::parse("mariadb://ann@[::1]/crm").unwrap()).unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.tls),
            ("::1", 3306, Tls::Preferred)
        );
        std::env::set_var("STEWARD_UNIT_MYSQL_URL", "mysql://ann:p%40ss@h/crm");
        let t = parse(&DbUrl::parse("env:STEWARD_UNIT_MYSQL_URL").unwrap()).unwrap();
        assert_eq!(t.password.as_deref(), Some("p@ss"));
        let e = parse(&DbUrl::parse("mysql://ann@h/crm?ssl-mode=maybe").unwrap())
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("ssl-mode=maybe"), "{e}");
    }
}

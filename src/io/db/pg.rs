//! PostgreSQL through rust-postgres: rows read with `COPY (...) TO STDOUT (FORMAT csv)` and loaded with
//! `COPY ... FROM STDIN (FORMAT csv)`, so values travel as the server renders them (DateStyle ISO).
//! TLS by rustls (already in the build): sslmode prefer/require encrypt, verify-ca/verify-full also check
//! the certificate against `sslrootcert` (else the system's roots) and the host name.

use anyhow::Result;
use std::io::{Read, Write};
use std::str::FromStr;
use std::sync::Arc;

use super::rows;
use super::url::{pgpass_password, DbUrl};
use super::{clean_reason, with_causes, Fetched, IfExists, RowIds, Selection};
use crate::error::{ExitCode, StewardError};

/// Rows sent per `COPY ... FROM STDIN` (several in one transaction).
const LOAD_CHUNK: usize = 4 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tls {
    Disable,
    /// Encrypt if the server can (prefer) or must (require), without checking its certificate, as libpq.
    Encrypt {
        required: bool,
    },
    /// Encrypt and check the certificate chain and the host name.
    Verify,
}

/// The rust-postgres configuration for a URL, with steward's own handling of sslmode and the password.
fn config(url: &DbUrl) -> Result<(postgres::Config, Tls, Option<String>)> {
    let secret = url.secret();
    let (base, query) = match secret.split_once('?') {
        Some((b, q)) => (b.to_string(), q.to_string()),
        None => (secret.to_string(), String::new()),
    };
    let mut tls = Tls::Encrypt { required: false };
    let mut root_cert = None;
    let mut kept = Vec::new();
    for kv in query.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        match k {
            "sslmode" => {
                tls = match v {
                    "disable" => Tls::Disable,
                    "allow" | "prefer" => Tls::Encrypt { required: false },
                    "require" => Tls::Encrypt { required: true },
                    "verify-ca" | "verify-full" => Tls::Verify,
                    other => {
                        return Err(StewardError::usage(format!(
                            "{}: sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full",
                            url.shown()
                        ))
                        .into())
                    }
                }
            }
            "sslrootcert" => root_cert = Some(v.to_string()),
            _ => kept.push(kv.to_string()),
        }
    }
    let plain = if kept.is_empty() {
        base
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let mut cfg = postgres::Config::from_str(&plain).map_err(|e| {
        StewardError::usage(format!(
            "{}: not a PostgreSQL URL steward can use: {}",
            url.shown(),
            clean_reason(&e)
        ))
    })?;
    cfg.ssl_mode(match tls {
        Tls::Disable => postgres::config::SslMode::Disable,
        Tls::Encrypt { required: false } => postgres::config::SslMode::Prefer,
        _ => postgres::config::SslMode::Require,
    });
    if cfg.get_user().is_none() {
        let user = std::env::var("PGUSER")
            .or_else(|_| std::env::var("USER"))
            .unwrap_or_else(|_| "postgres".to_string());
        cfg.user(&user);
    }
    if cfg.get_connect_timeout().is_none() {
        cfg.connect_timeout(std::time::Duration::from_secs(10));
    }
    cfg.application_name("steward");
    if cfg.get_password().is_none() {
        let from_env = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty());
        let password = from_env.or_else(|| {
            let host = match cfg.get_hosts().first() {
                Some(postgres::config::Host::Tcp(h)) => h.clone(),
                #[cfg(unix)]
                Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
                None => "localhost".to_string(),
            };
            let port = cfg.get_ports().first().copied().unwrap_or(5432);
            let user = cfg.get_user().unwrap_or_default().to_string();
            let db = cfg.get_dbname().unwrap_or(&user).to_string();
            pgpass_password(&host, port, &db, &user)
        });
        if let Some(p) = password {
            cfg.password(p);
        }
    }
    Ok((cfg, tls, root_cert))
}

/// Accepts any certificate: sslmode=prefer/require encrypt without verifying, as libpq does.
#[derive(Debug)]
struct AnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

fn tls_config(url: &DbUrl, tls: Tls, root_cert: Option<&str>) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| StewardError::no_input(format!("{}: TLS: {e}", url.shown())))?;
    if tls != Tls::Verify {
        return Ok(builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
            .with_no_client_auth());
    }
    let mut roots = rustls::RootCertStore::empty();
    let home_root = std::env::var_os("HOME")
        .map(|h| std::path::PathBuf::from(h).join(".postgresql/root.crt"))
        .filter(|p| p.exists());
    let root_file = root_cert.map(std::path::PathBuf::from).or(home_root);
    match root_file {
        Some(path) => {
            use rustls::pki_types::pem::PemObject;
            let certs = rustls::pki_types::CertificateDer::pem_file_iter(&path).map_err(|e| {
                StewardError::no_input(format!(
                    "{}: sslrootcert {}: cannot read: {e}",
                    url.shown(),
                    path.display()
                ))
            })?;
            for c in certs {
                let c = c.map_err(|e| {
                    StewardError::no_input(format!(
                        "{}: sslrootcert {}: {e}",
                        url.shown(),
                        path.display()
                    ))
                })?;
                roots.add(c).map_err(|e| {
                    StewardError::no_input(format!(
                        "{}: sslrootcert {}: {e}",
                        url.shown(),
                        path.display()
                    ))
                })?;
            }
        }
        None => {
            for c in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(c);
            }
        }
    }
    Ok(builder.with_root_certificates(roots).with_no_client_auth())
}

/// Connect, or fail with one line naming the database (exit `code`: 66 for a source, 73 for a destination).
fn connect(url: &DbUrl, code: ExitCode) -> Result<postgres::Client> {
    let (cfg, tls, root_cert) = config(url)?;
    let result = if tls == Tls::Disable {
        cfg.connect(postgres::NoTls)
    } else {
        let tls_cfg = tls_config(url, tls, root_cert.as_deref())?;
        cfg.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls_cfg))
    };
    let mut client = result.map_err(|e| {
        let user = cfg.get_user().unwrap_or_default();
        let reason = match e.as_db_error().map(|d| d.code().code()) {
            Some("28P01") | Some("28000") => format!(
                "authentication failed for user {user} (steward takes the password from PGPASSWORD, \
                 ~/.pgpass or PGPASSFILE, or env:VAR naming a variable that holds the whole URL)"
            ),
            Some("3D000") => "the database does not exist".to_string(),
            Some(_) => clean_reason(&e),
            None => {
                let r = with_causes(&e);
                if r.contains("password missing") || cfg.get_password().is_none() && r.contains("configuration") {
                    "the server asks for a password and none was found in PGPASSWORD, ~/.pgpass or \
                     PGPASSFILE"
                        .to_string()
                } else {
                    format!("cannot connect: {r}")
                }
            }
        };
        StewardError::new(code, format!("{}: {reason}", url.shown()))
    })?;
    client
        .batch_execute("SET DateStyle = ISO, YMD; SET client_encoding = 'UTF8'")
        .map_err(|e| db_error(url, &e, code, "setting up the session"))?;
    Ok(client)
}

/// One line for a failed statement: the server's message (not the password), exit `code`.
fn db_error(url: &DbUrl, e: &postgres::Error, code: ExitCode, doing: &str) -> anyhow::Error {
    let reason = match e.as_db_error() {
        Some(d) => d.message().to_string(),
        None if e.is_closed() => "the connection was lost".to_string(),
        None => with_causes(e),
    };
    StewardError::new(code, format!("{}: {doing}: {reason}", url.shown())).into()
}

/// A table name as SQL: each dot-separated part double-quoted (a name given already quoted is kept).
pub(crate) fn quote_table(t: &str) -> String {
    if t.contains('"') {
        return t.to_string();
    }
    t.split('.').map(quote_ident).collect::<Vec<_>>().join(".")
}

pub(crate) fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn table_exists(
    client: &mut postgres::Client,
    table: &str,
) -> std::result::Result<bool, postgres::Error> {
    let row = client.query_one("SELECT to_regclass($1) IS NOT NULL", &[&quote_table(table)])?;
    Ok(row.get(0))
}

/// Read a table or a query's result.
pub(crate) fn fetch(url: &DbUrl, what: &Selection) -> Result<Fetched> {
    let mut client = connect(url, ExitCode::NoInput)?;
    fetch_on(&mut client, url, what, None)
}

/// Read on an open connection; with `key` (an SQL expression), each record of a table starts with it.
fn fetch_on(
    client: &mut postgres::Client,
    url: &DbUrl,
    what: &Selection,
    key_expr: Option<&str>,
) -> Result<Fetched> {
    let code = ExitCode::NoInput;
    let (select, headers, ids, row_note) = match what {
        Selection::Table(t) => {
            let exists = table_exists(client, t)
                .map_err(|e| db_error(url, &e, code, &format!("table {t}")))?;
            if !exists {
                return Err(StewardError::no_input(format!(
                    "{}: table {t} does not exist",
                    url.shown()
                ))
                .into());
            }
            let q = quote_table(t);
            let stmt = client
                .prepare(&format!("SELECT * FROM {q}"))
                .map_err(|e| db_error(url, &e, code, &format!("reading table {t}")))?;
            let headers: Vec<String> = stmt
                .columns()
                .iter()
                .map(|c| c.name().to_string())
                .collect();
            let key = client
                .query(
                    "SELECT a.attname, t.typname FROM pg_index i \
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
                     JOIN pg_type t ON t.oid = a.atttypid \
                     WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY a.attnum",
                    &[&q],
                )
                .map_err(|e| db_error(url, &e, code, &format!("table {t}")))?;
            let key: Vec<(String, String)> = key.iter().map(|r| (r.get(0), r.get(1))).collect();
            let order = key
                .iter()
                .map(|(c, _)| quote_ident(c))
                .collect::<Vec<_>>()
                .join(", ");
            let columns = match key_expr {
                Some(k) => format!("{k}, *"),
                None => "*".to_string(),
            };
            let select = if key.is_empty() {
                format!("SELECT {columns} FROM {q}")
            } else {
                format!("SELECT {columns} FROM {q} ORDER BY {order}")
            };
            let key_cols: Option<Vec<usize>> = key
                .iter()
                .map(|(c, _)| headers.iter().position(|h| h == c))
                .collect();
            let names = key
                .iter()
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let (ids, note) = match (key.as_slice(), key_cols) {
                ([], _) | (_, None) => (
                    RowIds::Ordinal,
                    "_row is the position in the table (it has no primary key)".to_string(),
                ),
                ([(col, ty)], Some(cols)) if matches!(ty.as_str(), "int2" | "int4" | "int8") => {
                    let non_negative: bool = client
                        .query_one(
                            &format!(
                                "SELECT coalesce(min({}), 0) >= 0 FROM {q}",
                                quote_ident(col)
                            ),
                            &[],
                        )
                        .map_err(|e| db_error(url, &e, code, &format!("table {t}")))?
                        .get(0);
                    if non_negative {
                        (
                            RowIds::Key(cols[0]),
                            format!("_row is the primary key {col}"),
                        )
                    } else {
                        (RowIds::Keys(cols), format!("_row is the primary key {col}"))
                    }
                }
                ([_], Some(cols)) => (
                    RowIds::Keys(cols),
                    format!("_row is the primary key {names}"),
                ),
                (_, Some(cols)) => (
                    RowIds::Keys(cols),
                    format!(
                        "_row is the primary key ({names}), its values joined by {}",
                        super::KEY_JOIN
                    ),
                ),
            };
            (select, headers, ids, note)
        }
        Selection::Query(sql) => {
            let sql = sql.trim().trim_end_matches(';').to_string();
            let stmt = client
                .prepare(&sql)
                .map_err(|e| db_error(url, &e, ExitCode::DataErr, "the query failed"))?;
            let headers: Vec<String> = stmt
                .columns()
                .iter()
                .map(|c| c.name().to_string())
                .collect();
            if headers.is_empty() {
                return Err(StewardError::data(format!(
                    "{}: the query returns no columns (give a SELECT)",
                    url.shown()
                ))
                .into());
            }
            (
                sql,
                headers,
                RowIds::Ordinal,
                "_row is the position in the query's result".to_string(),
            )
        }
    };
    let mut text = Vec::new();
    // The line break ends a `-- comment` the query may close with.
    let copy = format!("COPY ({select}\n) TO STDOUT (FORMAT csv)");
    let code_for = |e: &postgres::Error| match e.as_db_error().map(|d| d.code().code()) {
        Some(c) if c.starts_with("42") && c != "42501" => ExitCode::DataErr,
        _ => ExitCode::NoInput,
    };
    let mut reader = client
        .copy_out(copy.as_str())
        .map_err(|e| db_error(url, &e, code_for(&e), "reading failed"))?;
    reader.read_to_end(&mut text).map_err(|e| {
        StewardError::no_input(format!(
            "{}: reading failed (the connection was lost?): {}",
            url.shown(),
            clean_reason(&e)
        ))
    })?;
    drop(reader);
    let text = match simdutf8::basic::from_utf8(&text) {
        Ok(_) => String::from_utf8(text).unwrap_or_default(),
        Err(_) => {
            return Err(StewardError::data(format!(
                "{}: the server sent text that is not UTF-8",
                url.shown()
            ))
            .into())
        }
    };
    Ok(Fetched {
        headers,
        text,
        ids,
        row_note,
    })
}

/// Rows loaded into a table inside one transaction, in chunks of COPY.
pub(crate) struct PgLoad {
    url: DbUrl,
    client: postgres::Client,
    copy: String,
    buf: Vec<u8>,
}

impl PgLoad {
    pub(crate) fn open(
        url: &DbUrl,
        table: &str,
        mode: IfExists,
        columns: &[String],
        types: &[Option<&str>],
    ) -> Result<PgLoad> {
        let code = ExitCode::CantCreate;
        let mut client = connect(url, code)?;
        let fail = |e: &postgres::Error, doing: &str| db_error(url, e, code, doing);
        client
            .batch_execute("BEGIN")
            .map_err(|e| fail(&e, "starting a transaction"))?;
        let q = quote_table(table);
        let exists =
            table_exists(&mut client, table).map_err(|e| fail(&e, "checking the table"))?;
        let cols = columns
            .iter()
            .map(|c| quote_ident(c))
            .collect::<Vec<_>>()
            .join(", ");
        match (exists, mode) {
            (true, IfExists::Fail) => {
                return Err(StewardError::cant_create(format!(
                    "{}: table {table} exists; pass --if-exists replace to replace its rows or --if-exists append to add to them",
                    url.shown()
                ))
                .into())
            }
            (true, _) => {
                let stmt = client
                    .prepare(&format!("SELECT * FROM {q}"))
                    .map_err(|e| fail(&e, &format!("table {table}")))?;
                let have: Vec<String> = stmt.columns().iter().map(|c| c.name().to_string()).collect();
                super::check_columns(url.shown(), table, columns, &have)?;
                if mode == IfExists::Replace {
                    client
                        .batch_execute(&format!("DELETE FROM {q}"))
                        .map_err(|e| fail(&e, &format!("emptying table {table}")))?;
                }
            }
            (false, _) => {
                let defs = super::column_defs(columns, types, "text", quote_ident);
                client
                    .batch_execute(&format!("CREATE TABLE {q} ({defs})"))
                    .map_err(|e| fail(&e, &format!("creating table {table}")))?;
            }
        }
        Ok(PgLoad {
            url: url.clone(),
            client,
            copy: format!("COPY {q} ({cols}) FROM STDIN (FORMAT csv)"),
            buf: Vec::with_capacity(LOAD_CHUNK + (1 << 16)),
        })
    }

    fn send(&mut self) -> Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let code = ExitCode::CantCreate;
        let url = &self.url;
        let mut w = self
            .client
            .copy_in(self.copy.as_str())
            .map_err(|e| db_error(url, &e, code, "loading failed, nothing was written"))?;
        w.write_all(&self.buf).map_err(|e| {
            StewardError::cant_create(format!(
                "{}: loading failed, nothing was written: {}",
                url.shown(),
                clean_reason(&e)
            ))
        })?;
        w.finish()
            .map_err(|e| db_error(url, &e, code, "loading failed, nothing was written"))?;
        self.buf.clear();
        Ok(())
    }
}

impl super::Load for PgLoad {
    fn write_row(&mut self, row: &[&str]) -> Result<()> {
        rows::encode(&mut self.buf, row);
        if self.buf.len() >= LOAD_CHUNK {
            self.send()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        self.send()
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        let url = self.url.clone();
        self.client
            .batch_execute("COMMIT")
            .map_err(|e| db_error(&url, &e, ExitCode::CantCreate, "committing"))
    }
}

/// A table edited in place inside one transaction that holds it against other writers (SHARE ROW
/// EXCLUSIVE: others still read it), rows named by their ctid, stable until the transaction ends.
pub(crate) struct PgEdit {
    url: DbUrl,
    client: postgres::Client,
    table: String,
    /// Per column of the table: its SQL name, and its type when a text value must be cast to it (a
    /// column of a string type takes text as it is).
    columns: Vec<(String, Option<String>)>,
}

/// Open `table` for editing: a transaction, the lock, and its rows with their ctid first.
pub(crate) fn open_edit(url: &DbUrl, table: &str) -> Result<(Fetched, PgEdit)> {
    let code = ExitCode::NoInput;
    let mut client = connect(url, code)?;
    client
        .batch_execute("BEGIN; SET LOCAL lock_timeout = '10s'")
        .map_err(|e| db_error(url, &e, code, "starting a transaction"))?;
    let exists = table_exists(&mut client, table)
        .map_err(|e| db_error(url, &e, code, &format!("table {table}")))?;
    if !exists {
        return Err(StewardError::no_input(format!(
            "{}: table {table} does not exist",
            url.shown()
        ))
        .into());
    }
    let q = quote_table(table);
    client
        .batch_execute(&format!("LOCK TABLE {q} IN SHARE ROW EXCLUSIVE MODE"))
        .map_err(|e| {
            if e.as_db_error().map(|d| d.code().code()) == Some("55P03") {
                StewardError::new(
                    ExitCode::CantCreate,
                    format!(
                        "{}: table {table} is being changed by another session (waited 10 s); nothing was changed, try again",
                        url.shown()
                    ),
                )
                .into()
            } else {
                db_error(url, &e, ExitCode::CantCreate, &format!("locking table {table}"))
            }
        })?;
    let fetched = fetch_on(
        &mut client,
        url,
        &Selection::Table(table.to_string()),
        Some("ctid::text"),
    )?;
    let types = client
        .query(
            "SELECT a.attname, t.typcategory = 'S', format_type(a.atttypid, a.atttypmod) \
             FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid \
             WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped",
            &[&q],
        )
        .map_err(|e| db_error(url, &e, code, &format!("table {table}")))?;
    let columns = fetched
        .headers
        .iter()
        .map(|h| {
            let cast = types
                .iter()
                .find(|r| r.get::<_, String>(0) == *h)
                .filter(|r| !r.get::<_, bool>(1))
                .map(|r| r.get::<_, String>(2));
            (quote_ident(h), cast)
        })
        .collect();
    Ok((
        fetched,
        PgEdit {
            url: url.clone(),
            client,
            table: table.to_string(),
            columns,
        },
    ))
}

impl PgEdit {
    fn fail(&self, e: &postgres::Error, doing: &str) -> anyhow::Error {
        let mut err = db_error(&self.url, e, ExitCode::CantCreate, doing);
        if e.as_db_error().map(|d| d.code().code()) == Some("23503") {
            err = StewardError::cant_create(format!(
                "{} (rows of another table refer to a row to erase: erase those first, or let the \
                 foreign key cascade); nothing was changed",
                crate::error::one_line(&err)
            ))
            .into();
        }
        err
    }
}

impl super::Edit for PgEdit {
    fn delete(&mut self, keys: &[&str]) -> Result<u64> {
        let sql = format!(
            "DELETE FROM {} WHERE ctid = ANY($1::text[]::tid[])",
            quote_table(&self.table)
        );
        let keys: Vec<&str> = keys.to_vec();
        match self.client.execute(sql.as_str(), &[&keys]) {
            Ok(n) => Ok(n),
            Err(e) => Err(self.fail(&e, &format!("erasing rows of {}", self.table))),
        }
    }

    fn update(&mut self, key: &str, values: &[(usize, &str)]) -> Result<()> {
        let sets: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(n, (c, _))| match &self.columns[*c] {
                (name, None) => format!("{name} = ${}::text", n + 1),
                (name, Some(ty)) => format!("{name} = CAST(${}::text AS {ty})", n + 1),
            })
            .collect();
        let sql = format!(
            "UPDATE {} SET {} WHERE ctid = ${}::text::tid",
            quote_table(&self.table),
            sets.join(", "),
            values.len() + 1
        );
        let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> = Vec::new();
        let texts: Vec<&str> = values.iter().map(|(_, v)| *v).collect();
        for t in &texts {
            params.push(t);
        }
        params.push(&key);
        match self.client.execute(sql.as_str(), &params) {
            Ok(1) => Ok(()),
            Ok(n) => Err(StewardError::cant_create(format!(
                "{}: redacting a value of {} changed {n} rows instead of 1; nothing was changed",
                self.url.shown(),
                self.table
            ))
            .into()),
            Err(e) => Err(self.fail(&e, &format!("redacting values in {}", self.table))),
        }
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        let url = self.url.clone();
        self.client
            .batch_execute("COMMIT")
            .map_err(|e| db_error(&url, &e, ExitCode::CantCreate, "committing"))
    }
}

//! Database URLs as steward takes them: which engine, what to connect with (a password only from the
//! environment), and the same URL without any secret, which is the only form ever printed or recorded.

use anyhow::Result;

use crate::error::StewardError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    /// MySQL or MariaDB (`mysql://`, `mariadb://`).
    Mysql,
    Sqlite,
}

/// A database named on the command line (or in a job file).
#[derive(Clone)]
pub struct DbUrl {
    pub engine: Engine,
    /// What to connect with: may hold a password (from `env:VAR`); never shown.
    secret: String,
    /// The URL without password, for messages, summaries, manifests and `_source`.
    shown: String,
}

impl std::fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbUrl")
            .field("engine", &self.engine)
            .field("url", &self.shown)
            .finish()
    }
}

/// Whether a command-line source or destination names a database rather than a file.
pub fn is_database(arg: &str) -> bool {
    let lower = arg.to_ascii_lowercase();
    [
        "postgres://",
        "postgresql://",
        "mysql://",
        "mariadb://",
        "sqlite:",
        "env:",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// Query parameters that carry a secret, never shown.
const SECRET_PARAMS: [&str; 2] = ["password", "sslpassword"];

/// `text` with the password of any URL in it replaced by `***` (for argv and error messages).
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| c.is_whitespace() || c == '\'' || c == '"')
            .unwrap_or(tail.len());
        let (url, after) = tail.split_at(end);
        out.push_str(&strip_password(url, "***"));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The part of a URL after `scheme://` with its password (in the user info or a query parameter) replaced.
fn strip_password(after_scheme: &str, with: &str) -> String {
    let (authority_end, _) = after_scheme
        .char_indices()
        .find(|&(_, c)| c == '/' || c == '?')
        .unwrap_or((after_scheme.len(), ' '));
    let (authority, path) = after_scheme.split_at(authority_end);
    let authority = match authority.rfind('@') {
        Some(at) => {
            let (user_info, host) = authority.split_at(at);
            match user_info.find(':') {
                Some(colon) if with.is_empty() => format!("{}{host}", &user_info[..colon]),
                Some(colon) => format!("{}:{with}{host}", &user_info[..colon]),
                None => authority.to_string(),
            }
        }
        None => authority.to_string(),
    };
    let path = match path.split_once('?') {
        Some((p, query)) => {
            let kept: Vec<String> = query
                .split('&')
                .filter_map(|kv| {
                    let key = kv.split('=').next().unwrap_or("").to_ascii_lowercase();
                    if SECRET_PARAMS.contains(&key.as_str()) {
                        (!with.is_empty()).then(|| format!("{key}={with}"))
                    } else {
                        Some(kv.to_string())
                    }
                })
                .collect();
            if kept.is_empty() {
                p.to_string()
            } else {
                format!("{p}?{}", kept.join("&"))
            }
        }
        None => path.to_string(),
    };
    format!("{authority}{path}")
}

fn has_password(after_scheme: &str) -> bool {
    strip_password(after_scheme, "") != after_scheme
}

impl DbUrl {
    /// Parse a source or destination. A password written in the URL on the command line is refused (it
    /// would sit in shell history and process lists); `env:VAR` names a variable holding the whole URL,
    /// which may carry one.
    pub fn parse(arg: &str) -> Result<DbUrl> {
        let (url, from_env) = match arg.strip_prefix("env:") {
            Some(var) => {
                let v = std::env::var(var).map_err(|_| {
                    StewardError::usage(format!(
                        "{arg}: the environment variable {var} is not set (it should hold the database URL)"
                    ))
                })?;
                (v.trim().to_string(), true)
            }
            None => (arg.to_string(), false),
        };
        let lower = url.to_ascii_lowercase();
        let engine = if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Engine::Postgres
        } else if lower.starts_with("mysql://") || lower.starts_with("mariadb://") {
            Engine::Mysql
        } else if lower.starts_with("sqlite:") {
            Engine::Sqlite
        } else {
            return Err(StewardError::usage(format!(
                "{}: not a database URL steward reads (postgres://..., postgresql://..., mysql://..., \
                 mariadb://... or sqlite:FILE)",
                if from_env { arg.to_string() } else { redact(&url) }
            ))
            .into());
        };
        let shown = match url.split_once("://") {
            Some((scheme, rest)) => format!("{scheme}://{}", strip_password(rest, "")),
            None => url.clone(),
        };
        if !from_env {
            if let Some((_, rest)) = url.split_once("://") {
                if has_password(rest) {
                    let from = match engine {
                        Engine::Mysql => "MYSQL_PWD",
                        _ => "PGPASSWORD or ~/.pgpass (PGPASSFILE)",
                    };
                    return Err(StewardError::usage(format!(
                        "{shown}: the URL holds a password, which would stay in shell history and process \
                         lists; steward takes it from {from}, or from env:VAR naming a variable that holds \
                         the whole URL"
                    ))
                    .into());
                }
            }
        }
        Ok(DbUrl {
            engine,
            secret: url,
            shown,
        })
    }

    /// The URL without password: the only form printed or recorded.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The URL to connect with (may hold a password).
    pub(crate) fn secret(&self) -> &str {
        &self.secret
    }

    /// The SQLite file: `sqlite:path`, `sqlite://path` or `sqlite:///abs/path`.
    pub fn sqlite_path(&self) -> String {
        let rest = &self.secret["sqlite:".len()..];
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        rest.split('?').next().unwrap_or(rest).to_string()
    }
}

/// A password for `host:port/db` as `user` from a pgpass file (PGPASSFILE, else ~/.pgpass): lines of
/// `host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaped. Like libpq, the file
/// is ignored when others can read it.
pub fn pgpass_password(host: &str, port: u16, db: &str, user: &str) -> Option<String> {
    let path = match std::env::var_os("PGPASSFILE") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::path::PathBuf::from(std::env::var_os("HOME")?).join(".pgpass"),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return None;
        }
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let port = port.to_string();
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass(line);
        if fields.len() != 5 {
            continue;
        }
        let matches = |pat: &str, v: &str| pat == "*" || pat == v;
        let host_ok = matches(&fields[0], host)
            || (fields[0] == "localhost" && (host == "127.0.0.1" || host.starts_with('/')));
        if host_ok
            && matches(&fields[1], &port)
            && matches(&fields[2], db)
            && matches(&fields[3], user)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(n), Some(f)) = (chars.next(), fields.last_mut()) {
                    f.push(n);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(f) = fields.last_mut() {
                    f.push(c)
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_shown() {
        assert_eq!(
            redact("postgres://ann:s3cret@db:5432/crm?sslmode=require&password=x"),
            "postgres://ann:***@db:5432/crm?sslmode=require&password=***"
        );
        assert_eq!(
            redact("see postgres://ann@db/crm"),
            "see postgres://ann@db/crm"
        );
        assert_eq!(redact("no url here"), "no url here");
        let e = DbUrl::parse("postgres://ann:s3cret@db/crm")
            .unwrap_err()
            .to_string();
        assert!(
            !e.contains("s3cret") && e.contains("postgres://ann@db/crm"),
            "{e}"
        );
        let u = DbUrl::parse("postgresql://ann@db/crm?sslmode=require").unwrap();
        assert_eq!(u.shown(), "postgresql://ann@db/crm?sslmode=require");
        std::env::set_var("STEWARD_UNIT_URL", "postgres://ann:s3cret@db/crm");
        let u = DbUrl::parse("env:STEWARD_UNIT_URL").unwrap();
        assert_eq!(u.shown(), "postgres://ann@db/crm");
        assert!(format!("{u:?}").find("s3cret").is_none());
    }

    #[test]
    fn pgpass_lines_split_with_escapes() {
        assert_eq!(
            split_pgpass(r"db\:1:*:crm:ann:pa\:ss:word"),
            vec!["db:1", "*", "crm", "ann", "pa:ss:word"]
        );
    }

    #[test]
    fn mysql_and_mariadb_urls() {
        assert!(is_database("mysql://ann@db/crm") && is_database("MariaDB://ann@db/crm"));
        let u = DbUrl::parse("mariadb://ann@db:3307/crm?ssl-mode=REQUIRED").unwrap();
        assert_eq!(
            (u.engine, u.shown()),
            (Engine::Mysql, "mariadb://ann@db:3307/crm?ssl-mode=REQUIRED")
        );
        let e = DbUrl::parse("mysql://ann:s3cret@db/crm")
            .unwrap_err()
            .to_string();
        assert!(
            !e.contains("s3cret") && e.contains("mysql://ann@db/crm") && e.contains("MYSQL_PWD"),
            "{e}"
        );
    }

    #[test]
    fn sqlite_paths() {
        let u = DbUrl::parse("sqlite:crm.db").unwrap();
        assert_eq!(
            (u.engine, u.sqlite_path().as_str()),
            (Engine::Sqlite, "crm.db")
        );
        let u = DbUrl::parse("sqlite:///tmp/crm.db").unwrap();
        assert_eq!(u.sqlite_path(), "/tmp/crm.db");
    }
}

//! Database sources and destinations against real servers: PostgreSQL started by `.ci/run` (or by hand:
//! `eval "$(bash .ci/databases start)"`), and SQLite files. Without STEWARD_TEST_PG_URL the PostgreSQL tests
//! skip with that hint, unless CI is set: then they fail.

use crate::common::{read_csv, steward, tmp};
use std::process::Stdio;

struct Pg {
    url: String,
    password: String,
}

impl Pg {
    fn get() -> Option<Pg> {
        match (
            std::env::var("STEWARD_TEST_PG_URL"),
            std::env::var("STEWARD_TEST_PG_PASSWORD"),
        ) {
            (Ok(url), Ok(password)) => Some(Pg { url, password }),
            _ => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "CI is set but STEWARD_TEST_PG_URL/STEWARD_TEST_PG_PASSWORD are not: .ci/run starts PostgreSQL"
                );
                eprintln!(
                    "skipping a PostgreSQL test: start a throw-away server with \
                     eval \"$(bash .ci/databases start)\" (stop it with bash .ci/databases stop \"$STEWARD_TEST_DB_DIR\")"
                );
                None
            }
        }
    }

    fn client(&self) -> postgres::Client {
        let mut cfg: postgres::Config = self.url.parse().unwrap();
        cfg.password(&self.password);
        cfg.connect(postgres::NoTls)
            .expect("test database reachable")
    }

    /// The steward binary with the password in PGPASSWORD (never on the command line).
    fn steward(&self) -> assert_cmd::Command {
        let mut c = steward();
        c.env("PGPASSWORD", &self.password).env_remove("PGPASSFILE");
        c
    }

    fn port(&self) -> String {
        self.url
            .rsplit(':')
            .next()
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_string()
    }
}

/// A table name no other test (or run) uses.
pub(crate) fn unique(stem: &str) -> String {
    format!("{stem}_{}", std::process::id())
}

/// Two megabytes of text with every awkward character.
pub(crate) fn big_text() -> String {
    let unit = "天气 \"quoted\", comma\nnew line\r\n\t tab ";
    unit.repeat((2 << 20) / unit.len() + 1)
}

fn tricky_table(client: &mut postgres::Client, t: &str) {
    client
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS {t}; \
             CREATE TABLE {t} (id bigint PRIMARY KEY, zip text, phone text, name text, note text, joined date, big text)"
        ))
        .unwrap();
    let big = big_text();
    // id, zip, phone, name, note, joined
    type Row<'a> = (i64, [Option<&'a str>; 5]);
    let rows: Vec<Row> = vec![
        (
            1,
            [
                Some("00123"),
                Some("+86 138 0013 8000"),
                Some("张伟"),
                None,
                Some("2024-01-05"),
            ],
        ),
        (
            2,
            [
                Some("01234"),
                Some(""),
                Some("Ann \"Q\" Lee"),
                Some(""),
                None,
            ],
        ),
        (
            3,
            [
                None,
                None,
                Some("O'Brien, Pat"),
                Some("line1\nline2\r\nline3"),
                Some("1999-12-31"),
            ],
        ),
        (
            10,
            [
                Some("\\."),
                Some(" "),
                Some("=SUM(A1)"),
                Some("\""),
                Some("2026-02-28"),
            ],
        ),
    ];
    for (id, [zip, phone, name, note, joined]) in rows {
        let big_v: Option<&str> = if id == 3 { Some(&big) } else { None };
        client
            .execute(
                &format!("INSERT INTO {t} VALUES ($1, $2, $3, $4, $5, $6::text::date, $7)"),
                &[&id, &zip, &phone, &name, &note, &joined, &big_v],
            )
            .unwrap();
    }
}

/// Rows of a table as text (NULL as None), ordered by the first column.
fn table_text(client: &mut postgres::Client, t: &str, cols: &str) -> Vec<Vec<Option<String>>> {
    let rows = client
        .query(&format!("SELECT {cols} FROM {t} ORDER BY 1"), &[])
        .unwrap();
    rows.iter()
        .map(|r| {
            (0..r.len())
                .map(|i| r.get::<_, Option<String>>(i))
                .collect()
        })
        .collect()
}

const TRICKY_COLS: &str =
    "id::text, zip::text, phone::text, name::text, note::text, joined::text, big::text";

#[test]
fn postgres_values_round_trip_exactly_null_apart_from_empty() {
    let Some(pg) = Pg::get() else { return };
    let mut client = pg.client();
    let src = unique("tricky");
    let dst = unique("tricky_copy");
    tricky_table(&mut client, &src);
    client
        .batch_execute(&format!("DROP TABLE IF EXISTS {dst}"))
        .unwrap();

    // Table to CSV: NULL an empty field, '' a quoted empty field, dates ISO, _row the key, no password.
    let dir = tmp();
    let csv_out = dir.path().join("out.csv");
    let out = pg
        .steward()
        .args(["import", &pg.url, "--table", &src, "-o"])
        .arg(&csv_out)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("_row is the primary key id"), "{stderr}");
    let text = std::fs::read_to_string(&csv_out).unwrap();
    assert!(!text.contains(&pg.password));
    // Columns in the schema's order, named by field (zip is postcode, joined signup_date).
    assert!(text.starts_with("id,name,phone,postcode,signup_date,note,big,_source,_row\n"));
    let first = text.lines().nth(1).unwrap();
    assert!(
        first.starts_with("1,张伟,+86 138 0013 8000,00123,2024-01-05,,,"),
        "{first}"
    );
    let (_, rows) = read_csv(&csv_out);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3]["_row"], "10");
    assert_eq!(
        rows[0]["_source"],
        format!("{}#{src}", pg.url),
        "_source is the URL without password and the table"
    );
    assert!(
        text.contains("\n2,\"Ann \"\"Q\"\" Lee\",\"\",01234,,\"\",,"),
        "'' is written as \"\": {}",
        &text[..300]
    );

    // Table to table: every value and every NULL as it was.
    pg.steward()
        .args([
            "import",
            &pg.url,
            "--table",
            &src,
            "-o",
            &pg.url,
            "--out-table",
            &dst,
        ])
        .assert()
        .success();
    assert_eq!(
        table_text(&mut client, &src, TRICKY_COLS),
        table_text(
            &mut client,
            &dst,
            "id, postcode, phone, name, note, signup_date, big"
        ),
    );
    let nulls: i64 = client
        .query_one(
            &format!(
                "SELECT count(*) FROM {src} s JOIN {dst} d ON s.id::text = d.id \
                 WHERE (s.note IS NULL) <> (d.note IS NULL) OR (s.phone IS NULL) <> (d.phone IS NULL) \
                    OR (s.zip IS NULL) <> (d.postcode IS NULL)"
            ),
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(nulls, 0);

    // The CSV file back into a table: its quoted empty fields stay '', its empty fields NULL.
    let back = unique("tricky_back");
    client
        .batch_execute(&format!("DROP TABLE IF EXISTS {back}"))
        .unwrap();
    pg.steward()
        .args(["import"])
        .arg(&csv_out)
        .args(["-o", &pg.url, "--out-table", &back])
        .assert()
        .success();
    let phone_2: Option<String> = client
        .query_one(&format!("SELECT phone FROM {back} WHERE id = '2'"), &[])
        .unwrap()
        .get(0);
    assert_eq!(
        phone_2, None,
        "a CSV file's empty field, quoted or not, loads as NULL"
    );
    for t in [&src, &dst, &back] {
        client.batch_execute(&format!("DROP TABLE {t}")).unwrap();
    }
}

#[test]
fn sqlite_values_round_trip_and_create_refuses_an_existing_table() {
    let dir = tmp();
    let db = dir.path().join("crm.db");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, zip TEXT, phone TEXT, name TEXT, note TEXT, score REAL);
             INSERT INTO customers VALUES (1, '00123', '+86 138 0013 8000', '张伟', NULL, 1.5);
             INSERT INTO customers VALUES (2, '01234', '', 'Ann \"Q\" Lee', '', NULL);
             INSERT INTO customers VALUES (7, NULL, NULL, 'line1\nline2', 'a,b', 3.0);",
        )
        .unwrap();
    }
    let src = format!("sqlite:{}", db.display());
    let csv_out = dir.path().join("out.csv");
    steward()
        .args(["import", &src, "--table", "customers", "-o"])
        .arg(&csv_out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv_out).unwrap();
    assert!(
        text.starts_with("id,name,phone,postcode,note,score,_source,_row\n"),
        "{text}"
    );
    assert!(
        text.contains("\n1,张伟,+86 138 0013 8000,00123,,1.5,"),
        "{text}"
    );
    assert!(
        text.contains("\n2,\"Ann \"\"Q\"\" Lee\",\"\",01234,\"\",,"),
        "{text}"
    );
    assert!(text.contains(",3.0,"), "REAL as SQLite renders it: {text}");
    let (_, rows) = read_csv(&csv_out);
    assert_eq!(rows[2]["_row"], "7");

    steward()
        .args([
            "import",
            &src,
            "--table",
            "customers",
            "-o",
            &src,
            "--out-table",
            "copy",
        ])
        .assert()
        .success();
    let c = rusqlite::Connection::open(&db).unwrap();
    let same: i64 = c
        .query_row(
            "SELECT count(*) FROM customers s JOIN copy d ON CAST(s.id AS TEXT) = d.id \
             WHERE s.zip IS d.postcode AND s.phone IS d.phone AND s.name IS d.name AND s.note IS d.note",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(same, 3, "every value and NULL as it was");
    drop(c);

    // normalize and pseudonymize load their rows into a table as import does.
    steward()
        .args([
            "normalize",
            &src,
            "--table",
            "customers",
            "-o",
            &src,
            "--out-table",
            "normalized",
        ])
        .assert()
        .success();
    let c = rusqlite::Connection::open(&db).unwrap();
    let phone: String = c
        .query_row("SELECT phone FROM normalized WHERE _row = '1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(phone, "+8613800138000");
    let note: Option<String> = c
        .query_row("SELECT note FROM normalized WHERE _row = '2'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(note.as_deref(), Some(""), "'' stays ''");
    drop(c);
    let key = dir.path().join("k.key");
    crate::common::write_key(
        &key,
        "00112233445566778899aabbccddeeff0123456789abcdef0f1e2d3c4b5a6978",
    );
    steward()
        .args(["pseudonymize", &src, "--table", "customers", "--key-file"])
        .arg(&key)
        .args(["-o", &src, "--out-table", "tokens"])
        .assert()
        .success();
    let c = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = c
        .query_row(
            "SELECT count(*) FROM tokens WHERE name LIKE '%张伟%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0, "names are tokens");
    drop(c);

    // A table is erased in place only: -o FILE with a table is refused before anything is read or written.
    let requests = dir.path().join("r.csv");
    std::fs::write(&requests, "email\nann@example.com\n").unwrap();
    let out = steward()
        .args(["erase", &src, "--table", "customers", "--key-file"])
        .arg(&key)
        .arg("--requests")
        .arg(&requests)
        .arg("--receipt")
        .arg(dir.path().join("receipt.json"))
        .args(["-o", "x.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pass --in-place"));
    assert!(!dir.path().join("receipt.json").exists());
    let out = steward()
        .args([
            "import",
            &src,
            "--table",
            "customers",
            "-o",
            &src,
            "--out-table",
            "copy",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(73));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("table copy exists") && err.contains("--if-exists"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

/// A CSV of `n` customers with a name on every row but `blank_at` (0 for none).
pub(crate) fn customers_csv(path: &std::path::Path, n: usize, blank_at: usize) {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "id,name,email").unwrap();
    for i in 1..=n {
        let name = if i == blank_at {
            String::new()
        } else {
            format!("Customer {i}")
        };
        writeln!(f, "{i},{name},c{i}@example.com").unwrap();
    }
}

fn keep_table(client: &mut postgres::Client, t: &str) {
    client
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS {t}; \
             CREATE TABLE {t} (id text, name text NOT NULL, email text, _source text, _row text); \
             INSERT INTO {t} (id, name, email) VALUES ('1', 'Old One', 'old1@example.com'), \
                ('2', 'Old Two', 'old2@example.com'), ('3', 'Old Three', 'old3@example.com')"
        ))
        .unwrap();
}

fn old_rows_intact(client: &mut postgres::Client, t: &str) {
    let rows = table_text(client, t, "id, name, email");
    assert_eq!(rows.len(), 3, "the old table is intact");
    assert_eq!(rows[0][1].as_deref(), Some("Old One"));
}

#[test]
fn replace_that_fails_midway_leaves_the_old_table() {
    let Some(pg) = Pg::get() else { return };
    let mut client = pg.client();
    let t = unique("keep_fail");
    keep_table(&mut client, &t);
    let dir = tmp();
    let input = dir.path().join("in.csv");
    // The NOT NULL name fails on row 150,000: past the first COPY chunk sent.
    customers_csv(&input, 200_000, 150_000);
    let out = pg
        .steward()
        .arg("import")
        .arg(&input)
        .args(["-o", &pg.url, "--out-table", &t, "--if-exists", "replace"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(73),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&pg.url) && err.contains("nothing was written"),
        "{err}"
    );
    old_rows_intact(&mut client, &t);

    // Without the bad row the same replace lands, in the same table.
    customers_csv(&input, 1000, 0);
    pg.steward()
        .arg("import")
        .arg(&input)
        .args(["-o", &pg.url, "--out-table", &t, "--if-exists", "replace"])
        .assert()
        .success();
    let n: i64 = client
        .query_one(&format!("SELECT count(*) FROM {t}"), &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 1000);
    client.batch_execute(&format!("DROP TABLE {t}")).unwrap();
}

#[test]
fn replace_killed_midway_leaves_the_old_table() {
    let Some(pg) = Pg::get() else { return };
    let mut client = pg.client();
    let t = unique("keep_kill");
    keep_table(&mut client, &t);
    let dir = tmp();
    let input = dir.path().join("in.csv");
    customers_csv(&input, 1_500_000, 0);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("steward"))
        .env("PGPASSWORD", &pg.password)
        .arg("import")
        .arg(&input)
        .args(["-o", &pg.url, "--out-table", &t, "--if-exists", "replace"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until steward's connection has sent rows into this table (its last statement is a COPY into it;
    // other tests load other tables at the same time), then kill it.
    let started = std::time::Instant::now();
    let mut seen = false;
    while started.elapsed() < std::time::Duration::from_secs(120) {
        let n: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'steward' \
                 AND query LIKE $1",
                &[&format!("COPY \"{t}\"%FROM STDIN%")],
            )
            .unwrap()
            .get(0);
        if n > 0 {
            seen = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(seen, "steward never started loading");
    child.kill().unwrap();
    child.wait().unwrap();
    // The server ends the killed session's transaction.
    std::thread::sleep(std::time::Duration::from_millis(300));
    old_rows_intact(&mut client, &t);
    client.batch_execute(&format!("DROP TABLE {t}")).unwrap();
}

#[test]
fn wrong_password_missing_table_and_bad_query_are_one_line_without_the_password() {
    let Some(pg) = Pg::get() else { return };
    let out = steward()
        .env("PGPASSWORD", "not-the-password")
        .args(["validate", &pg.url, "--table", "customers"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(66));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains(&pg.url) && err.contains("authentication failed"),
        "{err}"
    );

    let out = pg
        .steward()
        .args(["validate", &pg.url, "--table", "no_such_table"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(66));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        format!(
            "steward: error: {}: table no_such_table does not exist",
            pg.url
        )
    );

    let out = pg
        .steward()
        .args(["validate", &pg.url, "--query", "selec 1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the query failed: syntax error"));

    let out = steward()
        .args([
            "validate",
            "postgres://steward@127.0.0.1:1/x",
            "--table",
            "t",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(66));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot connect"));

    // A password on the command line is refused, and not repeated.
    let with_pw = pg
        .url
        .replacen("steward@", &format!("steward:{}@", pg.password), 1);
    let out = steward()
        .args(["validate", &with_pw, "--table", "customers"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains(&pg.password) && err.contains("PGPASSWORD"),
        "{err}"
    );
}

#[test]
fn credentials_appear_in_no_output_summary_manifest_report_or_audit_log() {
    let Some(pg) = Pg::get() else { return };
    let mut client = pg.client();
    let t = unique("creds");
    tricky_table(&mut client, &t);
    let dir = tmp();
    let with_pw = pg
        .url
        .replacen("steward@", &format!("steward:{}@", pg.password), 1);
    let run = dir.path().join("run");
    let log = dir.path().join("audit.log");
    let out = steward()
        .env("STEWARD_TEST_FULL_URL", &with_pw)
        .env_remove("PGPASSWORD")
        .args(["clean", "env:STEWARD_TEST_FULL_URL", "--table", &t, "--out"])
        .arg(&run)
        .arg("--audit-log")
        .arg(&log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut seen =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    for e in walk(dir.path()) {
        seen.push_str(&String::from_utf8_lossy(&std::fs::read(e).unwrap()));
    }
    assert!(
        seen.contains(&format!("{}#{t}", pg.url)),
        "the URL without password is recorded"
    );
    assert!(!seen.contains(&pg.password), "the password leaked");

    let json = pg
        .steward()
        .args([
            "validate",
            "env:STEWARD_TEST_FULL_URL",
            "--table",
            &t,
            "--format",
            "json",
        ])
        .env("STEWARD_TEST_FULL_URL", &with_pw)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&json.stdout).contains(&pg.password));
    client.batch_execute(&format!("DROP TABLE {t}")).unwrap();
}

pub(crate) fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn clean_and_a_job_read_a_postgres_table() {
    let Some(pg) = Pg::get() else { return };
    let mut client = pg.client();
    let t = unique("crm");
    client
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS {t}; \
             CREATE TABLE {t} (id serial PRIMARY KEY, name text, email text, phone text); \
             INSERT INTO {t} (name, email, phone) VALUES \
               ('Zhang Wei', 'zhang.wei@example.com', '+86 138 0013 8000'), \
               ('Zhang  Wei', 'ZHANG.WEI@example.com', '+86 13800138000'), \
               ('Ann Lee', 'ann@example.com', NULL)"
        ))
        .unwrap();
    let dir = tmp();
    let run = dir.path().join("run");
    pg.steward()
        .args(["clean", &pg.url, "--table", &t, "--out"])
        .arg(&run)
        .assert()
        .success();
    let (_, golden) = read_csv(&run.join("cleaned.csv"));
    assert_eq!(golden.len(), 2, "the two Zhang Wei rows are one customer");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["inputs"][0]["path"], format!("{}#{t}", pg.url));
    assert!(manifest["inputs"][0]["sha256"].as_str().unwrap().len() == 64);

    let job = dir.path().join("crm.toml");
    std::fs::write(
        &job,
        format!("sources = [\"env:CRM_URL\"]\ntable = \"{t}\"\nout = \"runs\"\n"),
    )
    .unwrap();
    pg.steward()
        .env("CRM_URL", &pg.url)
        .arg("run")
        .arg(&job)
        .assert()
        .success();
    let latest = dir.path().join("runs/latest");
    let (_, golden) = read_csv(&latest.join("cleaned.csv"));
    assert_eq!(golden.len(), 2);
    client.batch_execute(&format!("DROP TABLE {t}")).unwrap();
}

#[test]
fn tls_require_and_verify_full() {
    let Some(pg) = Pg::get() else { return };
    let Ok(ca) = std::env::var("STEWARD_TEST_PG_CA") else {
        eprintln!("skipping: STEWARD_TEST_PG_CA unset (.ci/databases sets it)");
        return;
    };
    let mut client = pg.client();
    let t = unique("tls");
    client
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS {t}; CREATE TABLE {t} (id int PRIMARY KEY, name text); \
             INSERT INTO {t} VALUES (1, 'Ann')"
        ))
        .unwrap();
    let port = pg.port();
    let require = format!("{}?sslmode=require", pg.url);
    pg.steward()
        .args(["validate", &require, "--table", &t])
        .assert()
        .success();
    let verify = format!(
        "postgres://steward@localhost:{port}/steward_test?sslmode=verify-full&sslrootcert={ca}"
    );
    pg.steward()
        .args(["validate", &verify, "--table", &t])
        .assert()
        .success();
    // The certificate is for localhost, not 127.0.0.1: verify-full refuses it.
    let wrong_name = verify.replace("@localhost:", "@127.0.0.1:");
    let out = pg
        .steward()
        .args(["validate", &wrong_name, "--table", &t])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(66));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid for name"));
    client.batch_execute(&format!("DROP TABLE {t}")).unwrap();
}

#[test]
fn a_connection_lost_midway_is_one_line_exit_73_and_the_old_table_stays() {
    let Some(pg) = Pg::get() else { return };
    let mut client = pg.client();
    let t = unique("keep_lost");
    keep_table(&mut client, &t);
    let dir = tmp();
    let input = dir.path().join("in.csv");
    customers_csv(&input, 1_500_000, 0);
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("steward"))
        .env("PGPASSWORD", &pg.password)
        .arg("import")
        .arg(&input)
        .args(["-o", &pg.url, "--out-table", &t, "--if-exists", "replace"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The server ends steward's session once it has sent rows.
    let started = std::time::Instant::now();
    let mut ended = false;
    while started.elapsed() < std::time::Duration::from_secs(120) && !ended {
        ended = client
            .query_one(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                 WHERE application_name = 'steward' AND query LIKE $1",
                &[&format!("COPY \"{t}\"%FROM STDIN%")],
            )
            .unwrap()
            .get::<_, i64>(0)
            > 0;
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(ended, "steward never started loading");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(73));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains(&pg.url) && err.contains("nothing was written"),
        "{err}"
    );
    old_rows_intact(&mut client, &t);
    client.batch_execute(&format!("DROP TABLE {t}")).unwrap();
}

/// The erasure requests and key of the in-place tests: one email, asked in another spelling than stored.
fn erase_inputs(dir: &tempfile::TempDir) -> (std::path::PathBuf, std::path::PathBuf) {
    let key = crate::common::write_key(
        &dir.path().join("k.key"),
        "6c1f0a9e3b7d24c58e1a90f3d6b2c47e8a5d1f06b9c3e72a4d8f1b05c6e9a3d7",
    );
    let requests = dir.path().join("requests.txt");
    std::fs::write(&requests, "ZOE@Example.com\n").unwrap();
    (key, requests)
}

fn erase_cmd(
    mut cmd: assert_cmd::Command,
    src: &str,
    table: &str,
    key: &std::path::Path,
    requests: &std::path::Path,
) -> assert_cmd::Command {
    cmd.args(["erase", src, "--table", table, "--key-file"])
        .arg(key)
        .arg("--requests")
        .arg(requests);
    cmd
}

#[test]
fn sqlite_table_erased_in_place_in_one_transaction_with_a_receipt() {
    let dir = tmp();
    let db = dir.path().join("crm.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, email TEXT, phone TEXT, notes TEXT);
         INSERT INTO customers VALUES (1, 'Zoë Li', 'zoe@example.com', '+86 138 1234 5678', 'called back');
         INSERT INTO customers VALUES (2, 'Bob', 'bob@x.com', '07700900333', 'friend of zoe@example.com, ok');
         INSERT INTO customers VALUES (3, 'Ann', 'ann@x.com', '', NULL);
         INSERT INTO customers VALUES (4, 'Zoe L', ' Zoe@EXAMPLE.com', NULL, NULL);",
    )
    .unwrap();
    drop(c);
    let src = format!("sqlite:{}", db.display());
    let (key, requests) = erase_inputs(&dir);
    let before = std::fs::read(&db).unwrap();

    // A dry run counts and changes nothing: no receipt, the database file byte for byte.
    let out = erase_cmd(steward(), &src, "customers", &key, &requests)
        .args(["--dry-run", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["rows_removed"], 2);
    assert_eq!(j["values_redacted"], 1);
    assert_eq!(j["dry_run"], true);
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(
        crate::common::names_in(dir.path()).len(),
        3,
        "db, key, requests only"
    );

    // Without --in-place a table is refused before anything is read.
    let out = erase_cmd(steward(), &src, "customers", &key, &requests)
        .args(["--receipt", "r.json", "-o", "out.csv"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    let receipt = dir.path().join("receipt.json");
    let out = erase_cmd(steward(), &src, "customers", &key, &requests)
        .arg("--in-place")
        .arg("--receipt")
        .arg(&receipt)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c = rusqlite::Connection::open(&db).unwrap();
    let rows: Vec<(i64, Option<String>, Option<String>)> = c
        .prepare("SELECT id, phone, notes FROM customers ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                2,
                Some("07700900333".into()),
                Some("friend of [erased], ok".into())
            ),
            // '' stays '' and NULL stays NULL in kept rows.
            (3, Some(String::new()), None),
        ]
    );
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&receipt).unwrap()).unwrap();
    assert_eq!(r["mode"], "in_place");
    assert_eq!(r["rows_in"], 4);
    assert_eq!(r["rows_removed"], 2);
    assert_eq!(r["values_redacted"], 1);
    let input = &r["inputs"][0];
    assert_eq!(input["file"], format!("{src}#customers"));
    assert_eq!(input["redacted_by_column"]["notes"], 1);
    assert!(input["output_sha256"]
        .as_str()
        .is_some_and(|s| s.len() == 64));
    let text = String::from_utf8(std::fs::read(&receipt).unwrap()).unwrap();
    assert!(!text.to_lowercase().contains("zoe@example.com"), "{text}");
    let m: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("receipt.json.manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(m["outputs"][0]["rows"], 2);
    assert_eq!(m["inputs"][0]["rows"], 4);

    // A second run finds nothing more to erase.
    let out = erase_cmd(steward(), &src, "customers", &key, &requests)
        .args(["--in-place", "--force", "--format", "json", "--receipt"])
        .arg(&receipt)
        .output()
        .unwrap();
    assert!(out.status.success());
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["rows_removed"], 0);
    assert_eq!(j["requests_without_match"], 1);
}

#[test]
fn postgres_table_erased_in_place_and_a_refused_delete_changes_nothing() {
    let Some(pg) = Pg::get() else { return };
    let mut client = pg.client();
    let t = unique("erase_customers");
    let orders = unique("erase_orders");
    client
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS {orders}; DROP TABLE IF EXISTS {t};
             CREATE TABLE {t} (id text PRIMARY KEY, name varchar(40), email text, phone varchar(30),
                               profile jsonb, memo varchar(40), born date);
             INSERT INTO {t} VALUES
               ('a1', 'Zoë', 'zoe@example.com', '+86 138 1234 5678', '{{\"n\": 1}}', '', '1990-01-02'),
               ('a2', 'Bob', 'bob@x.com', '07700900333', '{{\"note\": \"zoe@example.com\"}}', 'mail zoe@example.com', NULL),
               ('a3', 'Ann', 'ann@x.com', NULL, NULL, NULL, NULL),
               ('a4', 'Zoe', 'Zoe@Example.COM', NULL, NULL, NULL, NULL);
             CREATE TABLE {orders} (id int, customer text REFERENCES {t}(id));
             INSERT INTO {orders} VALUES (1, 'a4');"
        ))
        .unwrap();
    let dir = tmp();
    let (key, requests) = erase_inputs(&dir);
    let cols = "id, name, email, phone, profile::text, memo, born::text";
    let before = table_text(&mut client, &t, cols);

    // a4 is referred to by an order: the delete is refused, nothing changes, no receipt.
    let receipt = dir.path().join("receipt.json");
    let out = erase_cmd(pg.steward(), &pg.url, &t, &key, &requests)
        .arg("--in-place")
        .arg("--receipt")
        .arg(&receipt)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(73));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("foreign key") && err.contains("nothing was changed"),
        "{err}"
    );
    assert!(!err.contains(&pg.password));
    assert_eq!(table_text(&mut client, &t, cols), before);
    assert!(!receipt.exists());

    client
        .batch_execute(&format!("DELETE FROM {orders}"))
        .unwrap();
    let out = erase_cmd(pg.steward(), &pg.url, &t, &key, &requests)
        .arg("--in-place")
        .arg("--receipt")
        .arg(&receipt)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = table_text(&mut client, &t, cols);
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        after,
        vec![
            vec![
                s("a2"),
                s("Bob"),
                s("bob@x.com"),
                s("07700900333"),
                s("{\"note\": \"[erased]\"}"),
                s("mail [erased]"),
                None
            ],
            vec![s("a3"), s("Ann"), s("ann@x.com"), None, None, None, None],
        ]
    );
    let text = std::fs::read_to_string(&receipt).unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("receipt.json.manifest.json")).unwrap();
    for doc in [&text, &manifest] {
        assert!(!doc.contains(&pg.password));
        assert!(!doc.to_lowercase().contains("zoe@example.com"));
    }
    let r: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["rows_removed"], 2);
    assert_eq!(r["values_redacted"], 2);
    assert_eq!(r["inputs"][0]["redacted_by_column"]["memo"], 1);
    client
        .batch_execute(&format!("DROP TABLE {orders}; DROP TABLE {t}"))
        .unwrap();
}

#[test]
fn a_job_loads_its_cleaned_table_into_postgres_only_when_the_policy_passes() {
    let Some(pg) = Pg::get() else { return };
    let mut client = pg.client();
    let t = unique("job_crm");
    let out = unique("job_clean");
    client
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS {t}; DROP TABLE IF EXISTS {out}; \
             CREATE TABLE {t} (id serial PRIMARY KEY, name text, email text, phone text); \
             INSERT INTO {t} (name, email, phone) VALUES \
               ('Zhang Wei', 'zhang.wei@example.com', '+86 138 0013 8000'), \
               ('Zhang  Wei', 'ZHANG.WEI@example.com', '+86 13800138000'), \
               ('Ann Lee', 'ann@example.com', NULL), \
               ('Bo Li', 'bo@example.com', '00123'); \
             CREATE TABLE {out} (golden_id text, cluster_size text, id text, name text, email text, phone text); \
             INSERT INTO {out} (name) VALUES ('old row');"
        ))
        .unwrap();
    let dir = tmp();
    let key = crate::common::write_key(
        &dir.path().join("team.key"),
        "0f1e2d3c4b5a69788796a5b4c3d2e1f07a3c9e1b5d7f20486c8e0a2b4d6f8190",
    );
    let job = dir.path().join("crm.toml");
    let write_job = |max_duplicates: &str| {
        std::fs::write(
            &job,
            format!(
                "sources = [\"env:CRM_URL\"]\ntable = \"{t}\"\nout = \"runs\"\nkey_file = \"{}\"\n\
                 output = \"env:CRM_URL\"\nout_table = \"{out}\"\nif_exists = \"replace\"\n\
                 audit_log = \"audit.jsonl\"\n[policy]\nmax_duplicates = \"{max_duplicates}\"\n",
                key.display()
            ),
        )
        .unwrap();
    };
    // One duplicate of four rows is 25 %: over a 10 % limit the run fails and the table keeps its rows.
    write_job("10%");
    let res = pg
        .steward()
        .env("CRM_URL", &pg.url)
        .arg("run")
        .arg(&job)
        .output()
        .unwrap();
    let said =
        String::from_utf8_lossy(&res.stdout).to_string() + &String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(1), "{said}");
    assert!(said.contains("not loaded into"), "{said}");
    let old = client
        .query(&format!("SELECT name FROM {out}"), &[])
        .unwrap();
    assert_eq!(old.len(), 1, "a failed policy leaves the table as it was");
    assert_eq!(
        old[0].get::<_, Option<String>>(0).as_deref(),
        Some("old row")
    );

    // Within the limit: the pseudonymized cleaned dataset replaces the table's rows, and the manifest and
    // audit entry record the load (URL without password, rows, checksum).
    write_job("50%");
    let res = pg
        .steward()
        .env("CRM_URL", &pg.url)
        .arg("run")
        .arg(&job)
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let rows = client
        .query(&format!("SELECT email, phone FROM {out}"), &[])
        .unwrap();
    assert_eq!(
        rows.len(),
        2,
        "four rows in = two out + one rejected (phone 00123) + one merged"
    );
    for r in &rows {
        let email: Option<String> = r.get(0);
        assert!(
            !email.unwrap_or_default().contains("@example.com"),
            "the loaded rows are pseudonymized"
        );
    }
    let latest = dir.path().join("runs/latest");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(latest.join("manifest.json")).unwrap()).unwrap();
    let table = &manifest["tables"][0];
    assert_eq!(table["path"], format!("{}#{out}", pg.url));
    assert_eq!(table["rows"], 2);
    assert_eq!(table["loaded"], true);
    assert_eq!(table["sha256"].as_str().unwrap().len(), 64);
    let audit = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    let last: serde_json::Value = serde_json::from_str(audit.lines().last().unwrap()).unwrap();
    assert_eq!(last["tables"][0]["sha256"], table["sha256"]);
    for text in [
        &audit,
        &std::fs::read_to_string(latest.join("report.json")).unwrap(),
    ] {
        assert!(!text.contains(&pg.password));
    }
    client
        .batch_execute(&format!("DROP TABLE {out}; DROP TABLE {t}"))
        .unwrap();
}

#[test]
fn clean_loads_its_cleaned_dataset_into_a_sqlite_table_with_the_set() {
    let dir = tmp();
    let db = dir.path().join("out.db");
    let dest = format!("sqlite:{}", db.display());
    let run = dir.path().join("run");
    let src = crate::common::fixture("customers.csv");
    steward()
        .args([
            "clean",
            &src,
            "-o",
            &dest,
            "--out-table",
            "cleaned",
            "--out",
        ])
        .arg(&run)
        .assert()
        .success();
    let (_, cleaned) = read_csv(&run.join("cleaned.csv"));
    let c = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM cleaned", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n as usize, cleaned.len());
    let id: String = c
        .query_row(
            "SELECT id FROM cleaned WHERE id LIKE '0%' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(id.starts_with("00"), "leading zeros kept: {id}");
    drop(c);
    // The table exists now: a second run without --if-exists fails, and neither the set nor the table moves.
    let before = std::fs::read(&db).unwrap();
    let run2 = dir.path().join("run2");
    let res = steward()
        .args([
            "clean",
            &src,
            "-o",
            &dest,
            "--out-table",
            "cleaned",
            "--out",
        ])
        .arg(&run2)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(73));
    assert!(!run2.exists(), "no set without the table");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    // -o with a file is refused: clean's files go to --out.
    let res = steward()
        .args(["clean", &src, "-o", "cleaned.csv", "--out"])
        .arg(&run2)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
}

/// A customers file and the built-in schema written out, for loads typed by `--schema`.
fn typed_inputs(dir: &tempfile::TempDir, birth: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let csv = dir.path().join("customers.csv");
    std::fs::write(
        &csv,
        format!(
            "id,name,birth_date,total_spend,orders\n00123,Ann,{birth},1672.00,3\n00124,Bo,,-12.50,0\n"
        ),
    )
    .unwrap();
    let schema = dir.path().join("schema.toml");
    if !schema.exists() {
        steward()
            .args(["schema", "init"])
            .arg(&schema)
            .assert()
            .success();
    }
    (csv, schema)
}

#[test]
fn schema_types_a_created_postgres_table_and_values_read_back_unchanged() {
    let Some(pg) = Pg::get() else { return };
    let mut client = pg.client();
    let t = unique("typed");
    client
        .batch_execute(&format!("DROP TABLE IF EXISTS {t}"))
        .unwrap();
    let dir = tmp();
    let (csv, schema) = typed_inputs(&dir, "1990-01-02");
    pg.steward()
        .arg("import")
        .arg(&csv)
        .args(["-o", &pg.url, "--out-table", &t, "--schema"])
        .arg(&schema)
        .assert()
        .success();
    let types: Vec<(String, String)> = client
        .query(
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_name = $1 ORDER BY ordinal_position",
            &[&t],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let ty = |c: &str| types.iter().find(|(n, _)| n == c).unwrap().1.clone();
    assert_eq!(ty("id"), "text");
    assert_eq!(ty("birth_date"), "date");
    assert_eq!(ty("total_spend"), "numeric");
    assert_eq!(ty("orders"), "bigint");
    assert_eq!(
        table_text(
            &mut client,
            &t,
            "id, birth_date::text, total_spend::text, orders::text"
        ),
        vec![
            vec![
                Some("00123".to_string()),
                Some("1990-01-02".to_string()),
                Some("1672.00".to_string()),
                Some("3".to_string())
            ],
            vec![
                Some("00124".to_string()),
                None,
                Some("-12.50".to_string()),
                Some("0".to_string())
            ],
        ]
    );
    // Read back by steward: the same text as the file.
    let out = pg
        .steward()
        .args(["import", &pg.url, "--table", &t, "-o", "-"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("00123,Ann,1990-01-02,1672.00,3,"), "{text}");

    // A date the column would store differently: one line naming row and column, exit 65, no table.
    let t2 = unique("typed_bad");
    let (csv, schema) = typed_inputs(&dir, "1990/1/2");
    let out = pg
        .steward()
        .arg("import")
        .arg(&csv)
        .args(["-o", &pg.url, "--out-table", &t2, "--schema"])
        .arg(&schema)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("row 1, column birth_date") && err.contains("1990/1/2"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let exists: bool = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&t2])
        .unwrap()
        .get(0);
    assert!(!exists, "nothing was written");
    client.batch_execute(&format!("DROP TABLE {t}")).unwrap();
}

#[test]
fn schema_types_a_created_sqlite_table_only_where_values_keep_their_text() {
    let dir = tmp();
    let (csv, schema) = typed_inputs(&dir, "1990-01-02");
    let db = dir.path().join("t.db");
    let url = format!("sqlite:{}", db.display());
    steward()
        .arg("import")
        .arg(&csv)
        .args(["-o", &url, "--out-table", "customers", "--schema"])
        .arg(&schema)
        .assert()
        .success();
    let c = rusqlite::Connection::open(&db).unwrap();
    let decl: Vec<(String, String)> = c
        .prepare("SELECT name, type FROM pragma_table_info('customers')")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let ty = |n: &str| decl.iter().find(|(c, _)| c == n).unwrap().1.clone();
    assert_eq!(ty("birth_date"), "DATE");
    assert_eq!(ty("orders"), "INTEGER");
    // NUMERIC affinity would store 1672.00 as 1672: decimals stay text.
    assert_eq!(ty("total_spend"), "TEXT");
    let row: (String, String, String) = c
        .query_row(
            "SELECT CAST(birth_date AS TEXT), CAST(total_spend AS TEXT), CAST(orders AS TEXT) \
             FROM customers WHERE id = '00123'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(row, ("1990-01-02".into(), "1672.00".into(), "3".into()));
}

#[test]
fn row_is_the_primary_key_text_or_composite_joined() {
    let dir = tmp();
    let db = dir.path().join("k.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(
        "CREATE TABLE visits (shop TEXT, seq TEXT, email TEXT, PRIMARY KEY (shop, seq));
         INSERT INTO visits VALUES ('SH-01', '0017', 'ann@example.com');
         INSERT INTO visits VALUES ('BJ-02', '0003', 'not an email');
         CREATE TABLE codes (code TEXT PRIMARY KEY, email TEXT);
         INSERT INTO codes VALUES ('C-009', 'bo@example.com');",
    )
    .unwrap();
    drop(c);
    let src = format!("sqlite:{}", db.display());
    let out = steward()
        .args(["import", &src, "--table", "visits", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(",BJ-02|0003\n") && text.contains(",SH-01|0017\n"),
        "{text}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("_row is the primary key (shop, seq), its values joined by |"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Findings name the row by the same key.
    let findings = dir.path().join("f.csv");
    steward()
        .args(["validate", &src, "--table", "visits", "--findings"])
        .arg(&findings)
        .output()
        .unwrap();
    let (_, rows) = read_csv(&findings);
    assert!(rows.iter().any(|r| r["_row"] == "BJ-02|0003"), "{rows:?}");
    let out = steward()
        .args(["import", &src, "--table", "codes", "-o", "-"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(",C-009\n"));

    let Some(pg) = Pg::get() else { return };
    let mut client = pg.client();
    let t = unique("visits");
    client
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS {t}; CREATE TABLE {t} (shop text, seq int, email text, PRIMARY KEY (shop, seq)); \
             INSERT INTO {t} VALUES ('SH-01', 17, 'ann@example.com'), ('BJ-02', -3, 'bo@example.com');"
        ))
        .unwrap();
    let out = pg
        .steward()
        .args(["import", &pg.url, "--table", &t, "-o", "-"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(",BJ-02|-3\n") && text.contains(",SH-01|17\n"),
        "{text}"
    );
    client.batch_execute(&format!("DROP TABLE {t}")).unwrap();
}

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

    // erase works on files only, for now: a table is refused before anything is read or written.
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("not supported yet"));
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
    let (_, golden) = read_csv(&run.join("golden.csv"));
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
    let (_, golden) = read_csv(&latest.join("golden.csv"));
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

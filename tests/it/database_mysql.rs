//! MySQL/MariaDB sources and destinations against a real server, started by `.ci/run` (or by hand:
//! `eval "$(bash .ci/databases start)"`). Without STEWARD_TEST_MYSQL_URL the tests skip with that hint,
//! unless CI is set: then they fail.

use crate::common::{read_csv, steward, tmp};
use crate::database::{big_text, customers_csv, unique, walk};
use mysql::prelude::Queryable;
use std::process::Stdio;

struct My {
    url: String,
    password: String,
}

impl My {
    fn get() -> Option<My> {
        match (
            std::env::var("STEWARD_TEST_MYSQL_URL"),
            std::env::var("STEWARD_TEST_MYSQL_PASSWORD"),
        ) {
            (Ok(url), Ok(password)) => Some(My { url, password }),
            _ => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "CI is set but STEWARD_TEST_MYSQL_URL/STEWARD_TEST_MYSQL_PASSWORD are not: .ci/run starts MariaDB"
                );
                eprintln!(
                    "skipping a MySQL test: start a throw-away MariaDB with \
                     eval \"$(bash .ci/databases start)\" (stop it with bash .ci/databases stop \"$STEWARD_TEST_DB_DIR\")"
                );
                None
            }
        }
    }

    /// The URL with the password in it (for the test's own connection and for env:VAR).
    fn full_url(&self) -> String {
        self.url
            .replacen("steward@", &format!("steward:{}@", self.password), 1)
    }

    fn conn(&self) -> mysql::Conn {
        let opts = mysql::Opts::from_url(&self.full_url()).unwrap();
        let mut c = mysql::Conn::new(mysql::OptsBuilder::from_opts(opts).prefer_socket(false))
            .expect("test database reachable");
        c.query_drop("SET NAMES utf8mb4").unwrap();
        c
    }

    /// The steward binary with the password in MYSQL_PWD (never on the command line).
    fn steward(&self) -> assert_cmd::Command {
        let mut c = steward();
        c.env("MYSQL_PWD", &self.password);
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

/// Every row of a query as text, NULL as None (the text protocol: values as the server renders them).
fn rows_text(conn: &mut mysql::Conn, sql: &str) -> Vec<Vec<Option<String>>> {
    let rows: Vec<mysql::Row> = conn.query(sql).unwrap();
    rows.into_iter()
        .map(|r| {
            r.unwrap()
                .into_iter()
                .map(|v| match v {
                    mysql::Value::NULL => None,
                    mysql::Value::Bytes(b) => Some(String::from_utf8(b).unwrap()),
                    other => panic!("the text protocol sent {other:?}"),
                })
                .collect()
        })
        .collect()
}

fn count(conn: &mut mysql::Conn, sql: &str) -> i64 {
    conn.query_first::<i64, _>(sql).unwrap().unwrap()
}

/// Tables left by steward's staging (none after a load that committed or failed).
fn leftovers(conn: &mut mysql::Conn, t: &str) -> Vec<String> {
    conn.exec(
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
         AND TABLE_NAME LIKE CONCAT(?, '\\_\\_steward\\_%')",
        (t,),
    )
    .unwrap()
}

fn tricky_table(conn: &mut mysql::Conn, t: &str) {
    conn.query_drop(format!(
        "DROP TABLE IF EXISTS {t}; CREATE TABLE {t} (id bigint PRIMARY KEY, zip varchar(10), phone text, \
         name text, note text, joined date, big longtext) DEFAULT CHARSET=utf8mb4"
    ))
    .unwrap();
    let big = big_text();
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
                Some("\\'\""),
                Some("2026-02-28"),
            ],
        ),
    ];
    for (id, [zip, phone, name, note, joined]) in rows {
        let big_v: Option<&str> = if id == 3 { Some(&big) } else { None };
        conn.exec_drop(
            format!("INSERT INTO {t} VALUES (?, ?, ?, ?, ?, ?, ?)"),
            (id, zip, phone, name, note, joined, big_v),
        )
        .unwrap();
    }
}

#[test]
fn mysql_values_round_trip_exactly_null_apart_from_empty() {
    let Some(my) = My::get() else { return };
    let mut conn = my.conn();
    let src = unique("my_tricky");
    let dst = unique("my_tricky_copy");
    let back = unique("my_tricky_back");
    tricky_table(&mut conn, &src);
    conn.query_drop(format!("DROP TABLE IF EXISTS {dst}, {back}"))
        .unwrap();

    // Table to CSV: NULL an empty field, '' a quoted empty field, dates ISO, _row the key, no password.
    let dir = tmp();
    let csv_out = dir.path().join("out.csv");
    let out = my
        .steward()
        .args(["import", &my.url, "--table", &src, "-o"])
        .arg(&csv_out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("_row is the primary key id"), "{stderr}");
    assert!(!stderr.contains(&my.password));
    let text = std::fs::read_to_string(&csv_out).unwrap();
    assert!(!text.contains(&my.password));
    assert!(
        text.starts_with("id,name,phone,postcode,signup_date,note,big,_source,_row\n"),
        "{}",
        &text[..200]
    );
    let first = text.lines().nth(1).unwrap();
    assert!(
        first.starts_with("1,张伟,+86 138 0013 8000,00123,2024-01-05,,,"),
        "{first}"
    );
    assert!(
        text.contains("\n2,\"Ann \"\"Q\"\" Lee\",\"\",01234,,\"\",,"),
        "'' is written as \"\": {}",
        &text[..300]
    );
    let (_, rows) = read_csv(&csv_out);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3]["_row"], "10");
    assert_eq!(rows[3]["note"], "\\'\"", "backslashes and quotes as stored");
    assert_eq!(rows[2]["big"].len(), big_text().len(), "2 MB of text whole");
    assert_eq!(rows[0]["_source"], format!("{}#{src}", my.url));

    // Table to table: every value and every NULL as it was, in LONGTEXT utf8mb4 columns.
    my.steward()
        .args([
            "import",
            &my.url,
            "--table",
            &src,
            "-o",
            &my.url,
            "--out-table",
            &dst,
        ])
        .assert()
        .success();
    let want = rows_text(
        &mut conn,
        &format!("SELECT CAST(id AS CHAR), zip, phone, name, note, CAST(joined AS CHAR), big FROM {src} ORDER BY id"),
    );
    let got = rows_text(
        &mut conn,
        &format!(
            "SELECT id, postcode, phone, name, note, signup_date, big FROM {dst} ORDER BY CAST(id AS UNSIGNED)"
        ),
    );
    assert_eq!(want, got);
    assert_eq!(want[1][2].as_deref(), Some(""), "'' stays ''");
    assert_eq!(want[2][1], None, "NULL stays NULL");
    let types: Vec<(String, String)> = conn
        .exec(
            "SELECT DATA_TYPE, CHARACTER_SET_NAME FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
            (&dst,),
        )
        .unwrap();
    assert!(
        types.iter().all(|(t, c)| t == "longtext" && c == "utf8mb4"),
        "{types:?}"
    );
    assert!(leftovers(&mut conn, &dst).is_empty());

    // The CSV file back into a table: its empty fields, quoted or not, load as NULL (as for PostgreSQL).
    my.steward()
        .arg("import")
        .arg(&csv_out)
        .args(["-o", &my.url, "--out-table", &back])
        .assert()
        .success();
    let phone_2 = rows_text(
        &mut conn,
        &format!("SELECT phone, name FROM {back} WHERE id = '2'"),
    );
    assert_eq!(phone_2, vec![vec![None, Some("Ann \"Q\" Lee".to_string())]]);

    // Creating a table that exists is refused, one line, nothing written.
    let out = my
        .steward()
        .args([
            "import",
            &my.url,
            "--table",
            &src,
            "-o",
            &my.url,
            "--out-table",
            &dst,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(73));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("table {dst} exists")), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(count(&mut conn, &format!("SELECT count(*) FROM {dst}")), 4);

    // Append adds the rows inside one transaction.
    my.steward()
        .args([
            "import",
            &my.url,
            "--table",
            &src,
            "-o",
            &my.url,
            "--out-table",
            &dst,
        ])
        .args(["--if-exists", "append"])
        .assert()
        .success();
    assert_eq!(count(&mut conn, &format!("SELECT count(*) FROM {dst}")), 8);
    conn.query_drop(format!("DROP TABLE {src}, {dst}, {back}"))
        .unwrap();
}

/// A table steward replaces: `name` NOT NULL, so a blank name fails the load.
fn keep_table(conn: &mut mysql::Conn, t: &str) {
    conn.query_drop(format!(
        "DROP TABLE IF EXISTS {t}; \
         CREATE TABLE {t} (id varchar(20), name varchar(100) NOT NULL, email text, _source text, _row text, \
           extra int DEFAULT 7) ENGINE=InnoDB; \
         INSERT INTO {t} (id, name, email) VALUES ('1', 'Old One', 'old1@example.com'), \
           ('2', 'Old Two', 'old2@example.com'), ('3', 'Old Three', 'old3@example.com')"
    ))
    .unwrap();
}

fn old_rows_intact(conn: &mut mysql::Conn, t: &str) {
    let rows = rows_text(
        conn,
        &format!("SELECT id, name, email FROM {t} ORDER BY id"),
    );
    assert_eq!(rows.len(), 3, "the old table is intact");
    assert_eq!(rows[0][1].as_deref(), Some("Old One"));
    assert!(leftovers(conn, t).is_empty(), "{:?}", leftovers(conn, t));
}

#[test]
fn mysql_replace_that_fails_midway_keeps_the_old_table_then_swaps_in_the_new_rows() {
    let Some(my) = My::get() else { return };
    let mut conn = my.conn();
    let t = unique("my_keep_fail");
    keep_table(&mut conn, &t);
    let dir = tmp();
    let input = dir.path().join("in.csv");
    // The blank name on row 150,000 fails the NOT NULL column, several INSERTs into the load.
    customers_csv(&input, 200_000, 150_000);
    let out = my
        .steward()
        .arg("import")
        .arg(&input)
        .args(["-o", &my.url, "--out-table", &t, "--if-exists", "replace"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(73), "{err}");
    assert!(
        err.contains(&my.url) && err.contains("nothing was written") && err.contains("name"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    old_rows_intact(&mut conn, &t);

    // Without the bad row the same replace lands: the new rows, in a table of the same definition.
    customers_csv(&input, 1000, 0);
    my.steward()
        .arg("import")
        .arg(&input)
        .args(["-o", &my.url, "--out-table", &t, "--if-exists", "replace"])
        .assert()
        .success();
    assert_eq!(count(&mut conn, &format!("SELECT count(*) FROM {t}")), 1000);
    assert_eq!(
        count(
            &mut conn,
            &format!("SELECT count(*) FROM {t} WHERE extra = 7")
        ),
        1000,
        "columns steward does not write keep their defaults"
    );
    let nullable: String = conn
        .exec_first(
            "SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME = ? AND COLUMN_NAME = 'name'",
            (&t,),
        )
        .unwrap()
        .unwrap();
    assert_eq!(nullable, "NO", "the table keeps its definition");
    assert!(leftovers(&mut conn, &t).is_empty());
    conn.query_drop(format!("DROP TABLE {t}")).unwrap();
}

#[test]
fn mysql_connection_lost_midway_is_one_line_exit_73_and_the_old_table_stays() {
    let Some(my) = My::get() else { return };
    let mut conn = my.conn();
    let t = unique("my_keep_lost");
    keep_table(&mut conn, &t);
    let dir = tmp();
    let input = dir.path().join("in.csv");
    customers_csv(&input, 600_000, 0);
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("steward"))
        .env("MYSQL_PWD", &my.password)
        .arg("import")
        .arg(&input)
        .args(["-o", &my.url, "--out-table", &t, "--if-exists", "replace"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The server ends steward's session once it is inserting rows.
    let started = std::time::Instant::now();
    let mut killed = false;
    while started.elapsed() < std::time::Duration::from_secs(120) && !killed {
        for id in loading(&mut conn, &t) {
            killed |= conn.query_drop(format!("KILL {id}")).is_ok();
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(killed, "steward never started loading");
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(73), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains(&my.url) && err.contains("nothing was written") && !err.contains(&my.password),
        "{err}"
    );
    // The staging table is dropped on a new connection.
    old_rows_intact(&mut conn, &t);
    conn.query_drop(format!("DROP TABLE {t}")).unwrap();
}

/// The connection ids of steward sessions inserting into `t`'s staging table.
fn loading(conn: &mut mysql::Conn, t: &str) -> Vec<u64> {
    conn.exec(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE CONCAT('INSERT INTO %', ?, '%')",
        (format!("{t}__steward_new"),),
    )
    .unwrap()
}

#[test]
fn mysql_replace_killed_midway_keeps_the_old_table_and_the_next_load_clears_its_staging_table() {
    let Some(my) = My::get() else { return };
    let mut conn = my.conn();
    let t = unique("my_keep_kill");
    keep_table(&mut conn, &t);
    let dir = tmp();
    let input = dir.path().join("in.csv");
    customers_csv(&input, 600_000, 0);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("steward"))
        .env("MYSQL_PWD", &my.password)
        .arg("import")
        .arg(&input)
        .args(["-o", &my.url, "--out-table", &t, "--if-exists", "replace"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let mut seen = false;
    while started.elapsed() < std::time::Duration::from_secs(120) {
        if !loading(&mut conn, &t).is_empty() {
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
    // The server notices the closed socket and rolls the transaction back; the staging table stays.
    let started = std::time::Instant::now();
    while !loading(&mut conn, &t).is_empty()
        && started.elapsed() < std::time::Duration::from_secs(60)
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let rows = rows_text(&mut conn, &format!("SELECT id, name FROM {t} ORDER BY id"));
    assert_eq!(rows.len(), 3, "the old table is intact");
    assert_eq!(
        leftovers(&mut conn, &t).len(),
        1,
        "the killed run's staging table"
    );

    // The next load into the table drops it: its session, and so its lock, is gone.
    customers_csv(&input, 10, 0);
    my.steward()
        .arg("import")
        .arg(&input)
        .args(["-o", &my.url, "--out-table", &t, "--if-exists", "replace"])
        .assert()
        .success();
    assert_eq!(count(&mut conn, &format!("SELECT count(*) FROM {t}")), 10);
    assert!(
        leftovers(&mut conn, &t).is_empty(),
        "{:?}",
        leftovers(&mut conn, &t)
    );
    conn.query_drop(format!("DROP TABLE {t}")).unwrap();
}

#[test]
fn mysql_replace_is_refused_when_a_view_foreign_key_or_trigger_depends_on_the_table() {
    let Some(my) = My::get() else { return };
    let mut conn = my.conn();
    let t = unique("my_deps");
    let v = unique("my_deps_view");
    let child = unique("my_deps_child");
    conn.query_drop(format!(
        "DROP VIEW IF EXISTS {v}; DROP TABLE IF EXISTS {child}; DROP TABLE IF EXISTS {t}; \
         CREATE TABLE {t} (id varchar(20) PRIMARY KEY, name text, _source text, _row text) ENGINE=InnoDB; \
         INSERT INTO {t} (id, name) VALUES ('1', 'Ann'); \
         CREATE VIEW {v} AS SELECT id, name FROM {t}"
    ))
    .unwrap();
    let dir = tmp();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "id,name\n9,New Row\n").unwrap();
    let replace = |my: &My| {
        my.steward()
            .arg("import")
            .arg(&input)
            .args(["-o", &my.url, "--out-table", &t, "--if-exists", "replace"])
            .output()
            .unwrap()
    };
    let refused = |out: std::process::Output, what: &str, conn: &mut mysql::Conn| {
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(73), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.contains(&format!("table {t} cannot be replaced"))
                && err.contains(what)
                && err.contains("nothing was written"),
            "{err}"
        );
        let rows = rows_text(conn, &format!("SELECT id, name FROM {t}"));
        assert_eq!(
            rows,
            vec![vec![Some("1".to_string()), Some("Ann".to_string())]]
        );
        assert!(leftovers(conn, &t).is_empty());
    };
    refused(replace(&my), &format!("view steward_test.{v}"), &mut conn);

    conn.query_drop(format!(
        "DROP VIEW {v}; CREATE TABLE {child} (pid varchar(20), \
         CONSTRAINT {child}_fk FOREIGN KEY (pid) REFERENCES {t} (id)) ENGINE=InnoDB"
    ))
    .unwrap();
    refused(replace(&my), &format!("foreign key {child}_fk"), &mut conn);

    conn.query_drop(format!(
        "DROP TABLE {child}; CREATE TRIGGER {t}_trg BEFORE INSERT ON {t} FOR EACH ROW SET NEW.name = UPPER(NEW.name)"
    ))
    .unwrap();
    refused(replace(&my), &format!("trigger {t}_trg"), &mut conn);

    // Append needs no swap: it adds the row, and the trigger runs.
    my.steward()
        .arg("import")
        .arg(&input)
        .args(["-o", &my.url, "--out-table", &t, "--if-exists", "append"])
        .assert()
        .success();
    let rows = rows_text(&mut conn, &format!("SELECT name FROM {t} WHERE id = '9'"));
    assert_eq!(rows, vec![vec![Some("NEW ROW".to_string())]]);
    conn.query_drop(format!("DROP TABLE {t}")).unwrap();
}

#[test]
fn mysql_wrong_password_missing_table_and_bad_query_are_one_line_without_the_password() {
    let Some(my) = My::get() else { return };
    let one_line = |out: &std::process::Output, code: i32, has: &str| {
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(has), "{err}");
        assert!(!err.contains(&my.password), "{err}");
    };
    let out = steward()
        .env("MYSQL_PWD", "not-the-password")
        .args(["validate", &my.url, "--table", "customers"])
        .output()
        .unwrap();
    one_line(&out, 66, "authentication failed for user steward");
    assert!(String::from_utf8_lossy(&out.stderr).contains(&my.url));

    let out = my
        .steward()
        .args(["validate", &my.url, "--table", "no_such_table"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        format!(
            "steward: error: {}: table no_such_table does not exist",
            my.url
        )
    );
    one_line(&out, 66, "does not exist");

    let out = my
        .steward()
        .args(["validate", &my.url, "--query", "selec 1"])
        .output()
        .unwrap();
    one_line(
        &out,
        65,
        "the query failed: You have an error in your SQL syntax",
    );

    // A statement that is not a SELECT is refused before it runs.
    let t = unique("my_untouched");
    let mut conn = my.conn();
    conn.query_drop(format!(
        "DROP TABLE IF EXISTS {t}; CREATE TABLE {t} (id int PRIMARY KEY); INSERT INTO {t} VALUES (1)"
    ))
    .unwrap();
    for sql in [format!("DELETE FROM {t}"), format!("DROP TABLE {t}")] {
        let out = my
            .steward()
            .args(["validate", &my.url, "--query", &sql])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(65),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(count(&mut conn, &format!("SELECT count(*) FROM {t}")), 1);
    conn.query_drop(format!("DROP TABLE {t}")).unwrap();

    let out = steward()
        .args(["validate", "mysql://steward@127.0.0.1:1/x", "--table", "t"])
        .output()
        .unwrap();
    one_line(&out, 66, "cannot connect");

    let no_db = format!("{}_nope", my.url);
    let out = my
        .steward()
        .args(["validate", &no_db, "--table", "t"])
        .output()
        .unwrap();
    one_line(&out, 66, &no_db);

    // A password on the command line is refused and not repeated; in env:VAR it is used and never shown.
    let out = steward()
        .args(["validate", &my.full_url(), "--table", "customers"])
        .output()
        .unwrap();
    one_line(&out, 2, "MYSQL_PWD");
    let out = steward()
        .env("STEWARD_TEST_FULL_URL", my.full_url())
        .env_remove("MYSQL_PWD")
        .args([
            "validate",
            "env:STEWARD_TEST_FULL_URL",
            "--table",
            "no_such_table",
        ])
        .output()
        .unwrap();
    one_line(
        &out,
        66,
        &format!("{}: table no_such_table does not exist", my.url),
    );

    // mariadb:// is the same engine.
    let out = my
        .steward()
        .args([
            "validate",
            &my.url.replacen("mysql://", "mariadb://", 1),
            "--table",
            "no_such_table",
        ])
        .output()
        .unwrap();
    one_line(&out, 66, "table no_such_table does not exist");
}

#[test]
fn mysql_validate_normalize_and_pseudonymize_read_a_table_and_write_tables() {
    let Some(my) = My::get() else { return };
    let mut conn = my.conn();
    let t = unique("my_crm");
    let norm = unique("my_crm_norm");
    let tokens = unique("my_crm_tokens");
    conn.query_drop(format!(
        "DROP TABLE IF EXISTS {t}, {norm}, {tokens}; \
         CREATE TABLE {t} (id int AUTO_INCREMENT PRIMARY KEY, name text, email text, phone text, note text, \
           balance decimal(10,2), photo blob); \
         INSERT INTO {t} (name, email, phone, note, balance) VALUES \
           ('张伟', 'Zhang.Wei@Example.com', '+86 138 0013 8000', '', 12.50), \
           ('Ann Lee', 'ann@example.com', NULL, NULL, NULL)"
    ))
    .unwrap();
    let cols = "id, name, email, phone, note, balance";
    let query = format!("SELECT {cols} FROM {t} ORDER BY id");

    // A BLOB column is refused by name (select it as HEX() with --query); the query reads.
    let out = my
        .steward()
        .args(["validate", &my.url, "--table", &t])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("column photo holds binary data"));
    let out = my
        .steward()
        .args(["validate", &my.url, "--query", &query, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["rows_in"], 2, "{report}");
    assert_eq!(report["rows_valid"], 2, "{report}");
    assert_eq!(report["sources"][0]["format"], "mysql");
    assert_eq!(report["sources"][0]["source"], format!("{}#query", my.url));

    conn.query_drop(format!("ALTER TABLE {t} DROP COLUMN photo"))
        .unwrap();
    my.steward()
        .args([
            "normalize",
            &my.url,
            "--table",
            &t,
            "-o",
            &my.url,
            "--out-table",
            &norm,
        ])
        .assert()
        .success();
    let rows = rows_text(
        &mut conn,
        &format!("SELECT _row, phone, email, note, balance FROM {norm} ORDER BY _row"),
    );
    assert_eq!(rows[0][0].as_deref(), Some("1"), "_row is the key");
    assert_eq!(rows[0][1].as_deref(), Some("+8613800138000"));
    assert_eq!(rows[0][3].as_deref(), Some(""), "'' stays ''");
    assert_eq!(rows[0][4].as_deref(), Some("12.50"), "a decimal as stored");
    assert_eq!(rows[1][1], None, "NULL stays NULL");
    assert_eq!(rows[1][3], None);

    let dir = tmp();
    let key = dir.path().join("k.key");
    crate::common::write_key(
        &key,
        "00112233445566778899aabbccddeeff0123456789abcdef0f1e2d3c4b5a6978",
    );
    let out = my
        .steward()
        .args(["pseudonymize", &my.url, "--table", &t, "--key-file"])
        .arg(&key)
        .args(["-o", &my.url, "--out-table", &tokens])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        count(
            &mut conn,
            &format!(
                "SELECT count(*) FROM {tokens} WHERE name LIKE '%张伟%' OR email LIKE '%ann@%'"
            )
        ),
        0,
        "names and emails are tokens"
    );
    assert_eq!(
        count(&mut conn, &format!("SELECT count(*) FROM {tokens}")),
        2
    );
    let mut seen =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(seen.contains(&format!("{}#{t}", my.url)), "{seen}");

    // clean reads the table (password in env:VAR): no output, manifest or audit entry holds the password.
    let run = dir.path().join("run");
    let out = steward()
        .env("STEWARD_TEST_FULL_URL", my.full_url())
        .args(["clean", "env:STEWARD_TEST_FULL_URL", "--table", &t, "--out"])
        .arg(&run)
        .arg("--audit-log")
        .arg(dir.path().join("audit.log"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    seen.push_str(&String::from_utf8_lossy(&out.stdout));
    seen.push_str(&String::from_utf8_lossy(&out.stderr));
    let manifest = std::fs::read_to_string(run.join("manifest.json")).unwrap();
    assert!(manifest.contains(&format!("{}#{t}", my.url)), "{manifest}");
    for f in walk(dir.path()) {
        seen.push_str(&String::from_utf8_lossy(&std::fs::read(f).unwrap()));
    }
    assert!(!seen.contains(&my.password), "the password leaked");
    conn.query_drop(format!("DROP TABLE {t}, {norm}, {tokens}"))
        .unwrap();
}

#[test]
fn mysql_tls_required_and_verify_identity() {
    let Some(my) = My::get() else { return };
    let Ok(ca) = std::env::var("STEWARD_TEST_MYSQL_CA") else {
        eprintln!("skipping: STEWARD_TEST_MYSQL_CA unset (.ci/databases sets it)");
        return;
    };
    let mut conn = my.conn();
    let t = unique("my_tls");
    conn.query_drop(format!(
        "DROP TABLE IF EXISTS {t}; CREATE TABLE {t} (id int PRIMARY KEY, name text); INSERT INTO {t} VALUES (1, 'Ann')"
    ))
    .unwrap();
    let required = format!("{}?ssl-mode=REQUIRED", my.url);
    my.steward()
        .args(["validate", &required, "--table", &t])
        .assert()
        .success();
    let port = my.port();
    let verify = format!(
        "mysql://steward@localhost:{port}/steward_test?ssl-mode=VERIFY_IDENTITY&ssl-ca={ca}"
    );
    my.steward()
        .args(["validate", &verify, "--table", &t])
        .assert()
        .success();
    // The certificate names localhost, not 127.0.0.1: VERIFY_IDENTITY refuses it.
    let wrong_name = verify.replace("@localhost:", "@127.0.0.1:");
    let out = my
        .steward()
        .args(["validate", &wrong_name, "--table", &t])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(66));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("TLS") && err.contains("not valid for name"),
        "{err}"
    );
    conn.query_drop(format!("DROP TABLE {t}")).unwrap();
}

/// The key and requests of the erase tests: one email, asked in another spelling than any stored.
fn erase_inputs(
    dir: &tempfile::TempDir,
    requests: &str,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let key = crate::common::write_key(
        &dir.path().join("k.key"),
        "6c1f0a9e3b7d24c58e1a90f3d6b2c47e8a5d1f06b9c3e72a4d8f1b05c6e9a3d7",
    );
    let path = dir.path().join("requests.txt");
    std::fs::write(&path, requests).unwrap();
    (key, path)
}

impl My {
    /// `steward erase URL --table T` with the key and requests.
    fn erase(
        &self,
        table: &str,
        key: &std::path::Path,
        requests: &std::path::Path,
    ) -> assert_cmd::Command {
        let mut cmd = self.steward();
        cmd.args(["erase", &self.url, "--table", table, "--key-file"])
            .arg(key)
            .arg("--requests")
            .arg(requests);
        cmd
    }
}

/// A refusal: exit `code`, one line saying what and that nothing was changed, no password.
fn refused_with(my: &My, out: &std::process::Output, code: i32, what: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    for w in what.iter().chain(&["nothing was changed"]) {
        assert!(err.contains(w), "{w:?} not in {err}");
    }
    assert!(!err.contains(&my.password));
}

#[test]
fn mysql_table_erased_in_place_by_composite_key_and_a_refused_delete_changes_nothing() {
    let Some(my) = My::get() else { return };
    let mut conn = my.conn();
    let t = unique("my_erase");
    let orders = unique("my_erase_orders");
    // A composite key whose parts hold a comma and ''; NULL and '' apart in every kept row.
    conn.query_drop(format!(
        "DROP TABLE IF EXISTS {orders}; DROP TABLE IF EXISTS {t}; \
         CREATE TABLE {t} (tenant varchar(10), id varchar(10), name varchar(40), email varchar(60), \
           phone varchar(30), memo varchar(40), born date, PRIMARY KEY (tenant, id)) ENGINE=InnoDB; \
         INSERT INTO {t} VALUES \
           ('eu,1', 'a1', 'Zoë', 'zoe@example.com', '+86 138 1234 5678', '', '1990-01-02'), \
           ('eu,1', 'a2', 'Bob', 'bob@x.com', '07700900333', 'mail zoe@example.com', NULL), \
           ('eu', '1,a3', 'Ann', 'ann@x.com', '', NULL, NULL), \
           ('cn', '', 'Zoe', ' Zoe@EXAMPLE.com', NULL, NULL, NULL), \
           ('cn', 'a5', 'Z', 'Zoe@Example.COM', NULL, '', '2000-02-29'); \
         CREATE TABLE {orders} (id int PRIMARY KEY, tenant varchar(10), customer varchar(10), \
           CONSTRAINT {orders}_fk FOREIGN KEY (tenant, customer) REFERENCES {t} (tenant, id)) ENGINE=InnoDB; \
         INSERT INTO {orders} VALUES (1, 'cn', 'a5')"
    ))
    .unwrap();
    let dir = tmp();
    let (key, requests) = erase_inputs(&dir, "ZOE@Example.com\n");
    let all = format!("SELECT * FROM {t} ORDER BY tenant, id");
    let before = rows_text(&mut conn, &all);
    let receipt = dir.path().join("receipt.json");

    // A dry run counts and changes nothing, and writes no receipt.
    let out = my
        .erase(&t, &key, &requests)
        .args(["--dry-run", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["rows_removed"], 3);
    assert_eq!(j["values_redacted"], 1);
    assert_eq!(j["dry_run"], true);
    assert_eq!(rows_text(&mut conn, &all), before);
    assert_eq!(
        crate::common::names_in(dir.path()).len(),
        2,
        "key and requests only"
    );

    // An order refers to cn/a5: the delete is refused, nothing changes, no receipt.
    let out = my
        .erase(&t, &key, &requests)
        .arg("--in-place")
        .arg("--receipt")
        .arg(&receipt)
        .output()
        .unwrap();
    refused_with(&my, &out, 73, &["foreign key", &format!("{orders}_fk")]);
    assert_eq!(rows_text(&mut conn, &all), before);
    assert!(!receipt.exists());
    assert_eq!(crate::common::names_in(dir.path()).len(), 2);

    conn.query_drop(format!("DELETE FROM {orders}")).unwrap();
    let out = my
        .erase(&t, &key, &requests)
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
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        rows_text(&mut conn, &all),
        vec![
            vec![
                s("eu"),
                s("1,a3"),
                s("Ann"),
                s("ann@x.com"),
                s(""),
                None,
                None
            ],
            vec![
                s("eu,1"),
                s("a2"),
                s("Bob"),
                s("bob@x.com"),
                s("07700900333"),
                s("mail [erased]"),
                None
            ],
        ]
    );
    let text = std::fs::read_to_string(&receipt).unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("receipt.json.manifest.json")).unwrap();
    for doc in [&text, &manifest] {
        assert!(!doc.contains(&my.password));
        assert!(!doc.to_lowercase().contains("zoe@example.com"), "{doc}");
    }
    let r: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["mode"], "in_place");
    assert_eq!(r["rows_in"], 5);
    assert_eq!(r["rows_removed"], 3);
    assert_eq!(r["values_redacted"], 1);
    assert_eq!(r["inputs"][0]["file"], format!("{}#{t}", my.url));
    assert_eq!(r["inputs"][0]["redacted_by_column"]["memo"], 1);
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(m["inputs"][0]["rows"], 5);
    assert_eq!(m["outputs"][0]["rows"], 2);

    // A second run finds nothing more to erase.
    let out = my
        .erase(&t, &key, &requests)
        .args(["--in-place", "--force", "--format", "json", "--receipt"])
        .arg(&receipt)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["rows_removed"], 0);
    assert_eq!(j["requests_without_match"], 1);
    conn.query_drop(format!("DROP TABLE {orders}, {t}"))
        .unwrap();
}

#[test]
fn mysql_erase_refuses_a_table_without_a_key_or_innodb_a_value_too_long_and_waits_10_s_for_a_lock()
{
    let Some(my) = My::get() else { return };
    let mut conn = my.conn();
    let nokey = unique("my_erase_nokey");
    let myisam = unique("my_erase_myisam");
    let t = unique("my_erase_uk");
    // No primary key, and a unique key that allows NULL: no key names the rows.
    // A unique key of NOT NULL columns names the rows as InnoDB's own clustered index does.
    conn.query_drop(format!(
        "DROP TABLE IF EXISTS {nokey}, {myisam}, {t}; \
         CREATE TABLE {nokey} (code varchar(10) UNIQUE, email varchar(60)) ENGINE=InnoDB; \
         INSERT INTO {nokey} VALUES ('c1', 'zoe@example.com'), (NULL, 'bob@x.com'); \
         CREATE TABLE {myisam} (id int PRIMARY KEY, email varchar(60)) ENGINE=MyISAM; \
         INSERT INTO {myisam} VALUES (1, 'zoe@example.com'); \
         CREATE TABLE {t} (n int NOT NULL, code varchar(10) NOT NULL, email varchar(60), memo varchar(10), \
           UNIQUE KEY uk (code, n)) ENGINE=InnoDB; \
         INSERT INTO {t} VALUES (1, 'x', 'zoe@example.com', NULL), (2, 'x', 'bob@x.com', 'to a@b.cn!'), \
           (3, 'y', 'ann@x.com', '')"
    ))
    .unwrap();
    let dir = tmp();
    let (key, requests) = erase_inputs(&dir, "ZOE@Example.com\na@b.cn\n");
    let receipt = dir.path().join("receipt.json");
    let erase = |table: &str| {
        my.erase(table, &key, &requests)
            .arg("--in-place")
            .arg("--receipt")
            .arg(&receipt)
            .output()
            .unwrap()
    };
    let all = |conn: &mut mysql::Conn, table: &str| {
        rows_text(conn, &format!("SELECT * FROM {table} ORDER BY 1, 2"))
    };

    let before = all(&mut conn, &nokey);
    refused_with(
        &my,
        &erase(&nokey),
        2,
        &[&format!("table {nokey} has no primary key")],
    );
    assert_eq!(all(&mut conn, &nokey), before);

    let before = all(&mut conn, &myisam);
    refused_with(&my, &erase(&myisam), 73, &["MyISAM", "InnoDB tables only"]);
    assert_eq!(all(&mut conn, &myisam), before);

    // Strict: '[erased]' is longer than a@b.cn and memo is varchar(10), so the redaction fails whole.
    let before = all(&mut conn, &t);
    refused_with(&my, &erase(&t), 73, &["memo"]);
    assert_eq!(all(&mut conn, &t), before);
    assert!(!receipt.exists());

    // Another session holds a row: steward waits 10 s for it, then stops, nothing changed.
    conn.query_drop(format!("ALTER TABLE {t} MODIFY memo varchar(40)"))
        .unwrap();
    let before = all(&mut conn, &t);
    let mut holder = my.conn();
    holder
        .query_drop(format!(
            "START TRANSACTION; UPDATE {t} SET memo = 'busy' WHERE n = 3"
        ))
        .unwrap();
    let started = std::time::Instant::now();
    let out = erase(&t);
    let waited = started.elapsed();
    refused_with(
        &my,
        &out,
        73,
        &["being changed by another session", "try again"],
    );
    assert!(waited >= std::time::Duration::from_secs(9), "{waited:?}");
    holder.query_drop("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(all(&mut conn, &t), before);
    assert!(!receipt.exists());

    // Free again: the rows are named by the unique key.
    let out = erase(&t);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        all(&mut conn, &t),
        vec![
            vec![s("2"), s("x"), s("bob@x.com"), s("to [erased]!")],
            vec![s("3"), s("y"), s("ann@x.com"), s("")],
        ]
    );
    conn.query_drop(format!("DROP TABLE {nokey}, {myisam}, {t}"))
        .unwrap();
}

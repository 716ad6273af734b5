//! Stages called as library functions give what their commands write: `pseudonymize_table` the tokens of
//! `steward pseudonymize`, `segment_table` the rows and summary of `steward segment`.

use crate::common::{fixture, path_in, steward, tmp};
use std::path::Path;
use steward::io::{open_source, ReadOptions};
use steward::privacy::key::Key;
use steward::privacy::pseudonymize::{pseudonymize_table, PseudonymizeOptions};
use steward::schema::Schema;
use steward::segment::{segment_table, SegmentOptions, StageRules};
use steward::table::{load_table, Table};

fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
}

/// The options `steward segment` has by default, as of 2026-11-01.
fn segment_options() -> SegmentOptions {
    SegmentOptions {
        as_of: as_of(),
        rules: StageRules {
            new_days: 90,
            loyal_orders: 5,
            at_risk_days: 180,
            churn_days: 365,
        },
        tiers: (80.0, 95.0),
    }
}

fn load(path: &str) -> Table {
    let schema = Schema::builtin();
    let mut sources = open_source(path, &ReadOptions::default()).unwrap();
    // As every command names its sources: the shortest distinguishing path.
    steward::io::source::short_labels(sources.iter_mut());
    load_table(&schema, &sources, &[]).unwrap().table
}

/// Header and rows of a CSV file, in order.
fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

fn table_rows(t: &Table) -> Vec<Vec<String>> {
    (0..t.len())
        .map(|r| t.row(r).into_iter().map(String::from).collect())
        .collect()
}

/// Run `steward pseudonymize` on the customers fixture with `extra` flags; the output rows and metadata.
fn command(key: &Path, extra: &[&str]) -> (Vec<String>, Vec<Vec<String>>, serde_json::Value) {
    let dir = tmp();
    let out = path_in(&dir, "share.csv");
    steward()
        .args(["pseudonymize", &fixture("customers.csv"), "-o"])
        .arg(&out)
        .arg("--key-file")
        .arg(key)
        .args(["--no-formula-guard", "--as-of", "2026-11-01", "-q"])
        .args(extra)
        .assert()
        .success();
    let (headers, rows) = csv_rows(&out);
    let meta_path = path_in(&dir, "share.csv.meta.json");
    let meta = serde_json::from_slice(&std::fs::read(meta_path).unwrap()).unwrap();
    (headers, rows, meta)
}

fn key_file(dir: &tempfile::TempDir) -> (std::path::PathBuf, Key) {
    let path = path_in(dir, "team.key");
    steward()
        .args(["key", "new", "-q"])
        .arg(&path)
        .assert()
        .success();
    let key = Key::load_file(&path).unwrap();
    (path, key)
}

#[test]
fn pseudonymize_table_gives_the_commands_tokens_and_counts() {
    let dir = tmp();
    let (key_path, key) = key_file(&dir);
    let schema = Schema::builtin();
    let table = load(&fixture("customers.csv"));
    let mut opts = PseudonymizeOptions::new(as_of());
    opts.mask = vec!["company".into()];
    opts.encrypt = vec!["address".into()];
    opts.consent_field = Some("marketing_consent".into());
    let (out, protection) = pseudonymize_table(&schema, &table, &opts, &key).unwrap();
    let (headers, rows, meta) = command(
        &key_path,
        &[
            "--mask",
            "company",
            "--encrypt",
            "address",
            "--consent-field",
            "marketing_consent",
            "--consent-only",
        ],
    );
    assert_eq!(out.columns, headers);
    assert_eq!(table_rows(&out), rows);
    // Tokens, not raw values: the fixture's first email is gone, its token is there.
    let email = out.column_index("email").unwrap();
    assert!(out.get(1, email).starts_with("em_"));
    assert!(!rows.iter().flatten().any(|v| v == "wei.zhang@126.com"));
    assert!(protection.rows_excluded_no_consent > 0);
    assert_eq!(protection.rows_out, rows.len() as u64);
    assert_eq!(protection.key_id.as_deref(), Some(key.id().as_str()));
    // The record is what the metadata file says, column for column.
    let ours = serde_json::to_value(&protection).unwrap();
    for field in [
        "status",
        "key_id",
        "domain",
        "token_version",
        "normalization_version",
        "rows_out",
        "rows_excluded_no_consent",
        "rows_suppressed",
        "columns",
    ] {
        assert_eq!(ours[field], meta[field], "{field}");
    }
}

#[test]
fn pseudonymize_table_with_k_generalizes_and_suppresses_as_the_command_does() {
    let dir = tmp();
    let (key_path, key) = key_file(&dir);
    let schema = Schema::builtin();
    let table = load(&fixture("customers.csv"));
    let mut opts = PseudonymizeOptions::new(as_of());
    opts.domain = Some("vendor-a".into());
    opts.k = Some(5);
    opts.quasi = vec!["birth_date".into(), "gender".into(), "postcode".into()];
    let (out, protection) = pseudonymize_table(&schema, &table, &opts, &key).unwrap();
    let (headers, rows, meta) = command(
        &key_path,
        &[
            "--domain",
            "vendor-a",
            "--k",
            "5",
            "--quasi",
            "birth_date,gender,postcode",
        ],
    );
    assert_eq!(out.columns, headers);
    assert_eq!(table_rows(&out), rows);
    let k = protection.k_anonymity.as_ref().unwrap();
    assert_eq!(k.k, 5);
    assert_eq!(out.len() as u64 + k.rows_suppressed, table.len() as u64);
    assert_eq!(
        serde_json::to_value(&protection).unwrap()["k_anonymity"],
        meta["k_anonymity"]
    );
    assert_eq!(
        serde_json::to_value(&protection).unwrap()["columns"],
        meta["columns"]
    );
}

#[test]
fn pseudonymize_table_refuses_what_the_command_refuses() {
    let dir = tmp();
    let (_, key) = key_file(&dir);
    let schema = Schema::builtin();
    let table = load(&fixture("customers.csv"));
    let mut opts = PseudonymizeOptions::new(as_of());
    opts.k = Some(3);
    opts.quasi = vec!["email".into()];
    let e = pseudonymize_table(&schema, &table, &opts, &key).unwrap_err();
    assert!(e.to_string().contains("cannot be generalized"), "{e}");
    let mut opts = PseudonymizeOptions::new(as_of());
    opts.token = vec!["nope".into()];
    let e = pseudonymize_table(&schema, &table, &opts, &key).unwrap_err();
    assert!(e.to_string().contains("no column \"nope\""), "{e}");
}

#[test]
fn segment_table_gives_the_rows_and_summary_of_the_command() {
    let table = load(&fixture("segments.csv"));
    let opts = segment_options();
    let (segments, summary) = segment_table(&table, &opts).unwrap();

    let dir = tmp();
    let out = path_in(&dir, "seg.csv");
    let cmd = steward()
        .args(["segment", &fixture("segments.csv"), "-o"])
        .arg(&out)
        .args([
            "--as-of",
            "2026-11-01",
            "--format",
            "json",
            "--no-formula-guard",
        ])
        .assert()
        .success();
    let json = String::from_utf8(cmd.get_output().stdout.clone()).unwrap();
    let (headers, rows) = csv_rows(&out);
    assert_eq!(segments.columns(), headers);
    assert_eq!(segments.rows().collect::<Vec<_>>(), rows);
    // As text: shares are floats, which a JSON parser need not read back to the same bits.
    assert_eq!(
        serde_json::to_string_pretty(&summary).unwrap(),
        json.trim_end()
    );
    let as_table = segments.to_table().unwrap();
    assert_eq!(table_rows(&as_table), rows);

    // By hand: S01 bought 7 days before the as-of date, 12 orders, the largest spend.
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let s01 = &rows[0];
    assert_eq!(s01[col("recency_days")], "7");
    assert_eq!(s01[col("frequency")], "12");
    assert_eq!(s01[col("monetary")], "5000.00");
    assert_eq!(s01[col("value_tier")], "A");
    assert_eq!(s01[col("lifecycle_stage")], "loyal");
    // Every grouping reconciles to the rows.
    for groups in [&summary.segments, &summary.tiers, &summary.stages] {
        assert_eq!(
            groups.iter().map(|g| g.customers).sum::<u64>(),
            summary.rows
        );
    }
    assert_eq!(summary.rows, table.len() as u64);
}

#[test]
fn segment_table_names_the_missing_fields() {
    let table = load(&fixture("customers_semicolon.csv"));
    let mut t = Table::new(vec![
        "id".into(),
        "orders".into(),
        "_source".into(),
        "_row".into(),
    ]);
    t.push_row(&["1", "2", "x", "1"]).unwrap();
    let opts = segment_options();
    let e = segment_table(&t, &opts).err().unwrap();
    assert!(e.to_string().contains("(found: orders)"), "{e}");
    // The fixture has the purchase fields under other headers: mapped by the schema, it segments.
    assert!(segment_table(&table, &opts).is_ok());
}

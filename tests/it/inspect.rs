//! `steward inspect`: detection results in text and JSON, personal samples masked by default.

use crate::common;
use common::*;
use predicates::prelude::*;

fn inspect_json(src: &str, extra: &[&str]) -> serde_json::Value {
    let out = steward()
        .args(["inspect", src, "--format", "json"])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("JSON")
}

#[test]
fn csv_detection() {
    let v = inspect_json(&fixture("customers_semicolon.csv"), &[]);
    let s = &v["sources"][0];
    assert_eq!(s["format"], "csv");
    assert_eq!(s["encoding"], "UTF-8 (BOM)");
    assert_eq!(s["delimiter"], "semicolon");
    assert_eq!(s["header_row"], 1);
    assert_eq!(s["rows"], 300);
    assert_eq!(s["columns_count"], 19);
    assert_eq!(s["columns"][0]["field"], "id");
    assert_eq!(s["columns"][18]["field"], serde_json::Value::Null);
}

#[test]
fn gbk_detection() {
    let v = inspect_json(&fixture("customers_gbk.csv"), &[]);
    assert_eq!(v["sources"][0]["encoding"], "GBK/GB18030");
    assert_eq!(v["sources"][0]["columns"][1]["header"], "姓名");
}

#[test]
fn xlsx_header_row_and_sheets() {
    let v = inspect_json(&fixture("customers.xlsx"), &[]);
    let s = &v["sources"][0];
    assert_eq!(s["format"], "xlsx");
    assert_eq!(s["sheet"], "客户");
    assert_eq!(s["header_row"], 3);
    assert_eq!(s["sheets"], serde_json::json!(["客户", "说明"]));
    let all = inspect_json(&fixture("customers.xlsx"), &["--sheet", "all"]);
    assert_eq!(all["sources"].as_array().unwrap().len(), 2);
    let by_index = inspect_json(&fixture("customers.xlsx"), &["--sheet", "2"]);
    assert_eq!(by_index["sources"][0]["sheet"], "说明");
}

#[test]
fn personal_samples_are_masked_unless_asked() {
    let v = inspect_json(&fixture("customers.csv"), &[]);
    let email = &v["sources"][0]["columns"][3];
    assert_eq!(email["field"], "email");
    assert_eq!(email["samples_masked"], true);
    assert!(email["samples"][0].as_str().unwrap().contains("***@"));
    let v = inspect_json(&fixture("customers.csv"), &["--unmask"]);
    assert!(!v["sources"][0]["columns"][3]["samples"][0]
        .as_str()
        .unwrap()
        .contains("***"));
}

#[test]
fn human_output_lists_columns() {
    steward()
        .args(["inspect", &fixture("customers.csv")])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("encoding    UTF-8")
                .and(predicate::str::contains("300 data rows, 19 columns"))
                .and(predicate::str::contains("resident_id"))
                .and(predicate::str::contains("unmapped")),
        );
}

#[test]
fn malformed_rows_are_counted_not_fatal() {
    let v = inspect_json(&fixture("bad/ragged.csv"), &[]);
    assert_eq!(v["sources"][0]["malformed_rows"], 1);
    assert!(v["sources"][0]["problems"][0]
        .as_str()
        .unwrap()
        .starts_with("line 5"));
}

//! The malformed-input corpus in fixtures/bad/ (see fixtures/README.md): each file has a test asserting the
//! exact behaviour, a correct result or a clear error with its exit code.

use crate::common;
use common::*;
use predicates::prelude::*;

fn import_ok(src: &str) -> (Vec<String>, Vec<std::collections::HashMap<String, String>>) {
    let out = steward()
        .args(["import", src, "-o", "-", "-q"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    csv_bytes_rows(&out)
}

fn names(rows: &[std::collections::HashMap<String, String>]) -> Vec<&str> {
    rows.iter().map(|r| r["name"].as_str()).collect()
}

#[test]
fn utf8_bom_and_utf16_both_orders_read_the_same() {
    for f in [
        "bad/utf8_bom.csv",
        "bad/utf16le_bom.csv",
        "bad/utf16be_bom.csv",
    ] {
        let (headers, rows) = import_ok(&fixture(f));
        assert_eq!(headers[0], "id", "{f}: the BOM is not part of the header");
        assert_eq!(
            names(&rows),
            vec!["张伟", "欧阳娜娜", "Jean-Luc Picard"],
            "{f}"
        );
        assert_eq!(rows[0]["_row"], "2");
    }
}

#[test]
fn gbk_without_declaration_is_detected() {
    let (_, rows) = import_ok(&fixture("bad/gbk_undeclared.csv"));
    assert_eq!(rows.len(), 24);
    assert_eq!(rows[0]["name"], "王建国");
    assert!(rows
        .iter()
        .all(|r| r.values().all(|v| !v.contains('\u{FFFD}'))));
    steward()
        .args([
            "inspect",
            &fixture("bad/gbk_undeclared.csv"),
            "--format",
            "json",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("GBK/GB18030"));
}

#[test]
fn mixed_line_endings_give_physical_line_numbers() {
    let (_, rows) = import_ok(&fixture("bad/mixed_line_endings.csv"));
    let lines: Vec<&str> = rows.iter().map(|r| r["_row"].as_str()).collect();
    assert_eq!(
        lines,
        vec!["2", "3", "4", "5", "6"],
        "a bare CR ends a line too"
    );
    assert!(rows.iter().all(|r| r.values().all(|v| !v.contains('\r'))));
}

#[test]
fn five_thousand_columns_are_kept() {
    let (headers, rows) = import_ok(&fixture("bad/columns_5000.csv"));
    assert_eq!(headers.len(), 5000 + 2);
    assert_eq!(
        &headers[..4],
        &["id", "name", "email", "mobile"],
        "schema order"
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2]["c5000"], "最后一列");
    assert_eq!(rows[0]["c17"], "17");
}

#[test]
fn empty_header_names_become_column_n() {
    let (headers, rows) = import_ok(&fixture("bad/empty_header_names.csv"));
    assert_eq!(
        headers,
        vec!["id", "name", "email", "column_2", "column_4", "_source", "_row"]
    );
    assert_eq!(rows[0]["column_2"], "13812345678");
    assert_eq!(rows[0]["column_4"], "北京");
}

#[test]
fn title_lines_above_the_header_are_skipped() {
    let (headers, rows) = import_ok(&fixture("bad/header_with_title_row.csv"));
    assert_eq!(headers[0], "id");
    let lines: Vec<&str> = rows.iter().map(|r| r["_row"].as_str()).collect();
    assert_eq!(lines, vec!["4", "5", "6"]);
}

#[test]
fn workbook_without_sheets_is_exit_65() {
    steward()
        .args(["import", &fixture("bad/no_sheets.xlsx"), "-o", "-"])
        .assert()
        .code(65)
        .stderr(
            predicate::str::contains("no_sheets.xlsx").and(predicate::str::contains("no sheets")),
        );
}

#[test]
fn real_encrypted_workbook_is_named_as_password_protected() {
    steward()
        .args(["import", &fixture("bad/encrypted.xlsx"), "-o", "-"])
        .assert()
        .code(65)
        .stderr(predicate::str::contains("password-protected"));
}

#[test]
fn a_ten_megabyte_field_survives_whole() {
    let dir = tmp();
    let src = path_in(&dir, "big_field.csv");
    let big = "长".repeat(10 * 1024 * 1024 / 3);
    std::fs::write(&src, format!("id,备注\n1,\"{big}\"\n2,short\n")).unwrap();
    let out = path_in(&dir, "out.csv");
    steward()
        .args(["import", src.to_str().unwrap(), "-o"])
        .arg(&out)
        .assert()
        .success();
    let (_, rows) = read_csv(&out);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["备注"].len(), big.len());
    assert_eq!(rows[1]["_row"], "3");
}

#[test]
fn fuzzer_found_workbook_that_panicked_the_xls_parser_is_a_clear_error() {
    // Found by `cargo fuzz run excel_reader`: calamine's OLE reader asserts on this header.
    steward()
        .args(["import", &fixture("bad/fuzz_cfb_panic.xls"), "-o", "-"])
        .assert()
        .code(65)
        .stderr(
            predicate::str::contains("damaged")
                .and(predicate::str::contains("panicked").not())
                .and(predicate::str::contains("assertion").not()),
        );
}

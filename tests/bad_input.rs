//! Malformed inputs: a one-line error naming file, line and problem, the documented exit code, no output left.

mod common;
use common::*;
use predicates::prelude::*;

fn fails(src: &str, code: i32, needles: &[&str]) {
    let dir = tmp();
    let out = path_in(&dir, "out.csv");
    let assert = steward()
        .arg("import")
        .arg(src)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(code);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("steward: error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for n in needles {
        assert!(stderr.contains(n), "{stderr:?} should mention {n:?}");
    }
    assert!(!out.exists(), "no output left behind");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(leftovers.is_empty(), "no temp files left: {leftovers:?}");
}

#[test]
fn ragged_row_names_the_line() {
    fails(
        &fixture("bad/ragged.csv"),
        65,
        &["ragged.csv", "line 5", "expected 4 fields"],
    );
}

#[test]
fn unterminated_quote_names_where_it_opens() {
    fails(
        &fixture("bad/unterminated_quote.csv"),
        65,
        &["line 4", "column 6", "unterminated quote"],
    );
}

#[test]
fn invalid_utf8_names_line_and_column() {
    fails(
        &fixture("bad/invalid_utf8.csv"),
        65,
        &["line 3", "column 6", "0xFF", "UTF-8"],
    );
}

#[test]
fn nul_bytes_are_refused() {
    fails(&fixture("bad/nul_bytes.csv"), 65, &["line 3", "NUL"]);
}

#[test]
fn empty_file() {
    fails(&fixture("bad/empty.csv"), 65, &["empty"]);
}

#[test]
fn truncated_xlsx() {
    fails(
        &fixture("bad/truncated.xlsx"),
        65,
        &["truncated.xlsx", "damaged"],
    );
}

#[test]
fn xlsx_named_csv() {
    fails(
        &fixture("bad/xlsx_named.csv"),
        65,
        &["xlsx_named.csv", "Excel workbook"],
    );
}

#[test]
fn missing_file_and_directory_are_66() {
    fails("/nonexistent/customers.csv", 66, &["no such file"]);
    fails(&fixture("bad"), 66, &["directory"]);
    fails(&fixture("nothing-*.csv"), 66, &["no file matches"]);
}

#[test]
fn encrypted_xlsx_is_named_as_such() {
    // An OLE container holding an EncryptedPackage stream is what Excel writes for a password-protected file.
    let dir = tmp();
    let src = path_in(&dir, "locked.xlsx");
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(vec![0u8; 512]);
    bytes.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    bytes.extend(vec![0u8; 512]);
    std::fs::write(&src, bytes).unwrap();
    fails(src.to_str().unwrap(), 65, &["password-protected"]);
}

#[test]
fn header_only_is_a_correct_empty_result() {
    let dir = tmp();
    let out = path_in(&dir, "out.csv");
    steward()
        .args(["import", &fixture("bad/header_only.csv"), "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("0 in = 0 written + 0 rejected"));
    let (headers, rows) = read_csv(&out);
    assert!(rows.is_empty());
    assert_eq!(headers.last().unwrap(), "_row");
}

#[test]
fn duplicate_and_empty_headers_are_kept_apart() {
    let dir = tmp();
    let out = path_in(&dir, "out.csv");
    steward()
        .args(["import", &fixture("bad/duplicate_headers.csv"), "-o"])
        .arg(&out)
        .assert()
        .success();
    let (headers, rows) = read_csv(&out);
    assert_eq!(
        headers,
        vec!["name", "email", "phone", "email_2", "column_4", "_source", "_row"]
    );
    assert_eq!(rows.len(), 3);
}

#[test]
fn bad_options_are_usage_errors() {
    steward()
        .args([
            "import",
            &fixture("customers.csv"),
            "-o",
            "-",
            "--encoding",
            "klingon",
        ])
        .assert()
        .code(2);
    steward()
        .args([
            "import",
            &fixture("customers.csv"),
            "-o",
            "-",
            "--map",
            "A=nosuchfield",
        ])
        .assert()
        .code(0);
    steward()
        .args([
            "import",
            &fixture("customers.csv"),
            "-o",
            "-",
            "--map",
            "姓名=nosuchfield",
        ])
        .assert()
        .code(2);
    steward().args(["import"]).assert().code(2);
}

#[test]
fn disk_full_is_exit_73_in_every_format() {
    // /dev/full answers every write with "no space left on device".
    for fmt in ["csv", "jsonl", "parquet", "xlsx"] {
        steward()
            .args([
                "import",
                &fixture("customers.csv"),
                "-o",
                "/dev/full",
                "--format",
                fmt,
            ])
            .assert()
            .code(73)
            .stderr(predicate::str::contains("No space left on device"));
    }
}

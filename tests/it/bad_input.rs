//! Malformed inputs: a one-line error naming file, line and problem, the documented exit code, no output left.

use crate::common;
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

/// An input the user may not read is exit 66 naming the file. Root reads everything, so there the check is
/// skipped (the behaviour is the same code path as a missing file).
#[cfg(unix)]
#[test]
fn unreadable_file_is_66() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp();
    let src = path_in(&dir, "secret.csv");
    std::fs::write(&src, "id,name\n1,a\n").unwrap();
    std::fs::set_permissions(&src, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&src).is_ok() {
        eprintln!("running as root: the unreadable-file check is skipped");
        return;
    }
    fails(
        src.to_str().unwrap(),
        66,
        &["secret.csv", "permission denied"],
    );
}

/// An output folder that cannot be written (read-only, or a path through a file) is exit 73 with no partial
/// output and no temporary file.
#[test]
fn unwritable_output_folder_is_73() {
    let dir = tmp();
    let blocker = path_in(&dir, "not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let out = blocker.join("out.csv");
    let assert = steward()
        .args(["import", &fixture("customers.csv"), "-o"])
        .arg(&out)
        .assert()
        .code(73);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("out.csv"), "{stderr}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = path_in(&dir, "read-only");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let probe = ro.join("probe");
        let root = std::fs::write(&probe, "x").is_ok();
        let _ = std::fs::remove_file(&probe);
        if !root {
            steward()
                .args(["import", &fixture("customers.csv"), "-o"])
                .arg(ro.join("out.csv"))
                .assert()
                .code(73);
            assert_eq!(
                std::fs::read_dir(&ro).unwrap().count(),
                0,
                "nothing left in the folder"
            );
        } else {
            eprintln!("running as root: the read-only folder check is skipped");
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

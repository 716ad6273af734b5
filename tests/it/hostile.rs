//! Hostile and damaged inputs read in bounded time and memory: workbooks whose declared size or inflated size
//! is enormous, UTF-8 with a few bad bytes, thousands of repeated headers, and Excel numbers that lost digits.

use crate::common::*;

/// 30,000 columns all named `dup`: the names are `dup`, `dup_2` ... `dup_30000`, as for a few repeats.
/// (Renaming was quadratic: this took 396 s with a debug build and 31 s with a release build.)
#[test]
fn thirty_thousand_repeated_headers_get_the_usual_names() {
    let dir = tmp();
    let src = path_in(&dir, "dups.csv");
    let n = 30_000;
    let mut text = vec!["dup"; n].join(",");
    text.push('\n');
    text.push_str(&vec!["1"; n].join(","));
    text.push('\n');
    std::fs::write(&src, text).unwrap();
    let out = path_in(&dir, "out.csv");
    steward()
        .args(["import", src.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .assert()
        .success();
    let (headers, rows) = read_csv(&out);
    assert_eq!(headers.len(), n + 2);
    assert_eq!(headers[0], "dup");
    assert_eq!(headers[1], "dup_2");
    assert_eq!(headers[n - 1], format!("dup_{n}"));
    assert_eq!(&headers[n..], ["_source", "_row"]);
    assert_eq!(rows.len(), 1);
}

/// A few repeats, and a header already named like a suffix: the names are those steward always gave.
#[test]
fn repeated_header_names_are_unchanged() {
    let dir = tmp();
    let src = path_in(&dir, "small.csv");
    std::fs::write(&src, "a,a_2,a,a, ,column_5,a_3\n1,2,3,4,5,6,7\n").unwrap();
    let out = steward()
        .args(["import", src.to_str().unwrap(), "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let first = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        first.lines().next().unwrap(),
        "a,a_2,a_3,a_4,column_5,column_5_2,a_3_2,_source,_row"
    );
}

/// Four rows of UTF-8, one with the bytes FF FE inside a name: UTF-8 with errors, not windows-1252.
const MOSTLY_UTF8: &[u8] =
    b"name,email\nZo\xC3\xAB,zoe@x.com\nAnn B\xFF\xFEown,ann@x.com\nBob,bob@x.com\nCara,cara@x.com\n";

#[test]
fn utf8_with_a_bad_sequence_is_refused_not_read_as_windows_1252() {
    let dir = tmp();
    let src = path_in(&dir, "mostly_utf8.csv");
    std::fs::write(&src, MOSTLY_UTF8).unwrap();
    let out = steward()
        .args(["import", src.to_str().unwrap(), "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(out.stdout.is_empty(), "no row is written");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("mostly_utf8.csv: line 3, column 6"), "{err}");
    assert!(err.contains("0xFF 0xFE"), "{err}");
    assert!(err.contains("--encoding"), "{err}");
    assert!(!err.contains("Ã«"), "{err}");

    // Told the encoding, steward reads it so and says so.
    let out = steward()
        .args(["import", src.to_str().unwrap(), "-o", "-"])
        .args(["--encoding", "windows-1252"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().contains("ZoÃ«"));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("mostly_utf8.csv (csv, encoding windows-1252, given)"),
        "{err}"
    );
}

#[test]
fn legacy_encodings_are_still_detected() {
    // GBK (the fixture), and windows-1252 text with no UTF-8 in it.
    let out = steward()
        .args(["import", &fixture("customers_gbk.csv"), "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().contains("欧阳"));
    let dir = tmp();
    let latin = path_in(&dir, "latin.csv");
    std::fs::write(
        &latin,
        b"name,city\nZo\xEB M\xFCller,K\xF6ln\nJos\xE9,Sevilla\n",
    )
    .unwrap();
    let out = steward()
        .args(["import", latin.to_str().unwrap(), "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("Zoë Müller,Köln"));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("encoding windows-1252, detected"));
}

/// import, validate, normalize, pseudonymize and erase state each source's encoding in their summary, and the
/// manifest's inputs record it.
#[test]
fn every_command_states_the_encoding_it_read_with() {
    let dir = tmp();
    let gbk = fixture("customers_gbk.csv");
    let line = "customers_gbk.csv (csv, encoding GBK/GB18030, detected)";
    let run = |args: &[&str]| {
        let out = steward().args(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}: {err}");
        (String::from_utf8(out.stdout).unwrap(), err)
    };
    let manifest_encoding = |out: &std::path::Path| {
        let m: serde_json::Value = serde_json::from_slice(
            &std::fs::read(format!("{}.manifest.json", out.display())).unwrap(),
        )
        .unwrap();
        let input = &m["inputs"][0];
        (
            input["encoding"].as_str().unwrap().to_string(),
            input["encoding_how"].as_str().unwrap().to_string(),
        )
    };
    let detected = ("GBK/GB18030".to_string(), "detected".to_string());

    let imported = path_in(&dir, "imported.csv");
    let (_, err) = run(&["import", &gbk, "-o", imported.to_str().unwrap()]);
    assert!(err.contains(line), "{err}");
    assert_eq!(manifest_encoding(&imported), detected);

    // validate prints its summary on stdout.
    let (summary, _) = run(&["validate", &gbk]);
    assert!(summary.contains(line), "{summary}");
    let (json, _) = run(&["validate", &gbk, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["sources"][0]["encoding"], "GBK/GB18030");
    assert_eq!(v["sources"][0]["encoding_how"], "detected");

    let normalized = path_in(&dir, "normalized.csv");
    let (_, err) = run(&["normalize", &gbk, "-o", normalized.to_str().unwrap()]);
    assert!(err.contains(line), "{err}");
    assert_eq!(manifest_encoding(&normalized), detected);

    let key = path_in(&dir, "team.key");
    run(&["key", "new", key.to_str().unwrap()]);
    let pseudo = path_in(&dir, "pseudo.csv");
    let (_, err) = run(&[
        "pseudonymize",
        &gbk,
        "-o",
        pseudo.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert!(err.contains(line), "{err}");
    assert_eq!(manifest_encoding(&pseudo), detected);

    let requests = path_in(&dir, "requests.txt");
    std::fs::write(&requests, "nobody@example.com\n").unwrap();
    let erased = path_in(&dir, "erased.csv");
    let (_, err) = run(&[
        "erase",
        &gbk,
        "--requests",
        requests.to_str().unwrap(),
        "-o",
        erased.to_str().unwrap(),
        "--receipt",
        path_in(&dir, "receipt.json").to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert!(err.contains(line), "{err}");
    assert_eq!(manifest_encoding(&erased), detected);
}

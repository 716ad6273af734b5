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

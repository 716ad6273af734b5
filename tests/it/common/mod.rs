//! Helpers for integration tests: the real binary, fixture paths, and reading outputs back.
#![allow(dead_code)]

use std::collections::HashMap;
pub mod chromium;

use std::path::{Path, PathBuf};

pub fn steward() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("steward").expect("steward binary")
}

pub fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
        .display()
        .to_string()
}

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

pub fn path_in(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

/// Rows of a CSV file as maps from column name to value.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<HashMap<String, String>>) {
    csv_bytes_rows(&std::fs::read(path).expect("readable CSV"))
}

pub fn csv_bytes_rows(bytes: &[u8]) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut r = csv::Reader::from_reader(bytes);
    let headers: Vec<String> = r.headers().unwrap().iter().map(|s| s.to_string()).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(|s| s.to_string()))
                .collect()
        })
        .collect();
    (headers, rows)
}

pub fn row_with<'a>(
    rows: &'a [HashMap<String, String>],
    col: &str,
    value: &str,
) -> &'a HashMap<String, String> {
    rows.iter()
        .find(|r| r.get(col).map(|v| v == value).unwrap_or(false))
        .unwrap_or_else(|| panic!("no row with {col} = {value:?}"))
}

/// A large input: the data rows of fixtures/customers.csv repeated `copies` times under its header.
pub fn big_input(dir: &tempfile::TempDir, copies: usize) -> PathBuf {
    use std::io::Write;
    let text = std::fs::read_to_string(fixture("customers.csv")).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    let path = path_in(dir, "big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "{header}").unwrap();
    for _ in 0..copies {
        f.write_all(body.as_bytes()).unwrap();
    }
    f.flush().unwrap();
    path
}

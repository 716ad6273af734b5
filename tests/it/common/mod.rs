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

/// Write a key file (`hex`, mode 0600) at `path`.
pub fn write_key(path: &Path, hex: &str) -> std::path::PathBuf {
    std::fs::write(path, format!("{hex}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path.to_path_buf()
}

/// A small file system mounted at `at` (a tmpfs of `size`, e.g. `64k`), unmounted when dropped. Mounting needs
/// root: CI runs as root and must get one; elsewhere `None` (the caller skips its disk-full test).
pub struct SmallDisk(std::path::PathBuf);

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

pub fn small_disk(at: &Path, size: &str) -> Option<SmallDisk> {
    std::fs::create_dir_all(at).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(at)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !mounted {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the disk-full tests: mounting a tmpfs failed (run as root)"
        );
        eprintln!("skipped: mounting a small tmpfs needs root");
        return None;
    }
    Some(SmallDisk(at.to_path_buf()))
}

/// Fill a file system until a write fails.
pub fn fill_disk(file: &Path) {
    let mut filler = std::fs::File::create(file).unwrap();
    while std::io::Write::write_all(&mut filler, &[b'x'; 4096]).is_ok() {}
    let _ = filler.sync_all();
}

/// The names in a folder, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

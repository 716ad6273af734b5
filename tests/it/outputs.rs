//! The outputs of one standalone command (data, side files, manifest, receipt) land together or not at all,
//! and the manifest records each file's size and SHA-256 as written.

use crate::common;
use common::*;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const KEY: &str = "004c551312a6243228931182b6fa1b445415d25f16046da4ac009cca0b39727c";

fn key_file(dir: &Path) -> PathBuf {
    write_key(&dir.join("team.key"), KEY)
}

/// Each command with its outputs in `out/` (`OUT` is the main output, whose manifest is `OUT.manifest.json`).
fn commands(keys: &Path, requests: &Path) -> Vec<(&'static str, Vec<String>)> {
    let k = keys.display().to_string();
    let r = requests.display().to_string();
    let src = fixture("customers.csv");
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    vec![
        (
            "import",
            v(&[
                "import",
                &src,
                "-o",
                "OUT",
                "--lenient",
                "--rejects",
                "rej.csv",
            ]),
        ),
        (
            "normalize",
            v(&[
                "normalize",
                &src,
                "-o",
                "OUT",
                "--findings",
                "f.csv",
                "--rejects",
                "r.csv",
                "--changes",
                "c.csv",
            ]),
        ),
        (
            "dedupe",
            v(&[
                "dedupe",
                &src,
                "-o",
                "OUT",
                "--clusters",
                "c.csv",
                "--merge-map",
                "m.csv",
                "--pairs",
                "p.csv",
            ]),
        ),
        (
            "pseudonymize",
            v(&[
                "pseudonymize",
                &src,
                "-o",
                "OUT",
                "--key-file",
                &k,
                "--mapping",
                "map.csv",
            ]),
        ),
        ("segment", v(&["segment", &src, "-o", "OUT"])),
        (
            "erase",
            v(&[
                "erase",
                &src,
                "--requests",
                &r,
                "-o",
                "OUT",
                "--receipt",
                "receipt.json",
                "--key-file",
                &k,
            ]),
        ),
    ]
}

/// The arguments with `OUT` replaced by `out`.
fn with_out(args: Vec<String>, out: &str) -> Vec<String> {
    args.into_iter()
        .map(|a| if a == "OUT" { out.to_string() } else { a })
        .collect()
}

fn requests_file(dir: &Path) -> PathBuf {
    let (_, rows) = read_csv(Path::new(&fixture("customers.csv")));
    let email = rows
        .iter()
        .filter_map(|r| r.get("邮箱"))
        .find(|e| e.contains('@'))
        .expect("an email in the fixture")
        .clone();
    let p = dir.join("requests.txt");
    std::fs::write(&p, format!("{email}\n")).unwrap();
    p
}

#[test]
fn a_failure_on_the_last_file_leaves_no_output_of_the_command() {
    let keys = tmp();
    let key = key_file(keys.path());
    let requests = requests_file(keys.path());
    for (name, args) in commands(&key, &requests) {
        let dir = tmp();
        // The manifest's name is taken by a folder: the manifest, staged last, cannot land.
        std::fs::create_dir(dir.path().join("out.csv.manifest.json")).unwrap();
        let args = with_out(args, "out.csv");
        steward()
            .current_dir(dir.path())
            .args(&args)
            .assert()
            .code(73)
            .stderr(predicate::str::contains("out.csv.manifest.json"));
        assert_eq!(
            names_in(dir.path()),
            vec!["out.csv.manifest.json"],
            "{name}: no output and no temporary file may stay"
        );
    }
}

#[test]
fn every_output_lands_with_a_manifest_of_what_was_written() {
    let keys = tmp();
    let key = key_file(keys.path());
    let requests = requests_file(keys.path());
    for (name, args) in commands(&key, &requests) {
        let dir = tmp();
        let args = with_out(args, "out.csv");
        steward()
            .current_dir(dir.path())
            .args(&args)
            .assert()
            .success();
        let manifest: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join("out.csv.manifest.json")).unwrap(),
        )
        .unwrap();
        let outputs = manifest["outputs"].as_array().unwrap();
        // Every file of the run but the manifest is in it, with its true size and hash.
        let mut recorded: Vec<String> = Vec::new();
        for o in outputs {
            let path = PathBuf::from(o["path"].as_str().unwrap());
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(o["bytes"].as_u64().unwrap(), bytes.len() as u64, "{name}");
            use sha2::Digest;
            assert_eq!(
                o["sha256"].as_str().unwrap(),
                hex::encode(sha2::Sha256::digest(&bytes)),
                "{name}: {}",
                path.display()
            );
            recorded.push(path.file_name().unwrap().to_string_lossy().to_string());
        }
        recorded.push("out.csv.manifest.json".into());
        recorded.sort();
        assert_eq!(names_in(dir.path()), recorded, "{name}");
        // The input, hashed as it was read.
        let input = &manifest["inputs"][0];
        let src = std::fs::read(fixture("customers.csv")).unwrap();
        use sha2::Digest;
        assert_eq!(
            input["sha256"].as_str().unwrap(),
            hex::encode(sha2::Sha256::digest(&src)),
            "{name}"
        );
    }
}

#[test]
fn one_file_named_for_two_outputs_is_refused() {
    let dir = tmp();
    steward()
        .current_dir(dir.path())
        .args(["validate", &fixture("customers.csv")])
        .args(["--findings", "same.csv", "--rejects", "./same.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("two outputs"));
    assert!(names_in(dir.path()).is_empty());
}

/// A receipt on a full disk: exit 73 naming it, and the erased output does not appear either (root only: CI
/// runs as root; a developer's machine without root skips it).
#[cfg(target_os = "linux")]
#[test]
fn disk_full_on_a_side_output_leaves_nothing() {
    let dir = tmp();
    let mnt = dir.path().join("small");
    let Some(_disk) = small_disk(&mnt, "64k") else {
        return;
    };
    fill_disk(&mnt.join("filler"));
    let key = key_file(dir.path());
    let requests = requests_file(dir.path());
    let out = dir.path().join("kept.csv");
    steward()
        .args(["erase", &fixture("customers.csv"), "--requests"])
        .arg(&requests)
        .arg("-o")
        .arg(&out)
        .arg("--receipt")
        .arg(mnt.join("receipt.json"))
        .arg("--key-file")
        .arg(&key)
        .assert()
        .code(73)
        .stderr(predicate::str::contains("receipt.json"));
    assert!(!out.exists(), "the output waits for the receipt");
    assert_eq!(names_in(&mnt), vec!["filler"]);
    assert_eq!(
        names_in(dir.path()),
        vec!["requests.txt", "small", "team.key"]
    );
}

/// `--out-table` names a database table: with a file or stdout as `-o` it is refused, not ignored.
#[test]
fn out_table_without_a_database_output_is_refused() {
    let src = fixture("customers.csv");
    for args in [
        vec!["import", &src, "-o", "out.csv", "--out-table", "t"],
        vec!["normalize", &src, "-o", "-", "--out-table", "t"],
        vec!["dedupe", &src, "-o", "out.csv", "--out-table", "t"],
        vec!["segment", &src, "-o", "out.csv", "--out-table", "t"],
    ] {
        let dir = tmp();
        steward()
            .current_dir(dir.path())
            .args(&args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(
                "--out-table t names a database table",
            ));
        assert!(names_in(dir.path()).is_empty(), "{args:?}");
    }
}

/// A device (`/dev/null`) is written to as it is by every output option, never "already exists" and never
/// replaced by a regular file; erase, which writes byte-for-byte copies, refuses one.
#[cfg(unix)]
#[test]
fn devices_are_written_to_by_every_output_option_and_never_replaced() {
    let keys = tmp();
    let key = key_file(keys.path());
    let src = fixture("customers.csv");
    let k = key.display().to_string();
    let null = "/dev/null";
    let runs: Vec<Vec<&str>> = vec![
        vec![
            "validate",
            &src,
            "--findings",
            null,
            "--rejects",
            null,
            "--fail-on",
            "never",
        ],
        vec![
            "normalize",
            &src,
            "-o",
            null,
            "--findings",
            null,
            "--rejects",
            null,
            "--changes",
            null,
        ],
        vec!["import", &src, "-o", null, "--lenient", "--rejects", null],
        vec![
            "dedupe",
            &src,
            "-o",
            null,
            "--clusters",
            null,
            "--merge-map",
            null,
        ],
        vec![
            "pseudonymize",
            &src,
            "-o",
            null,
            "--key-file",
            &k,
            "--metadata",
            null,
        ],
        vec!["segment", &src, "-o", null],
    ];
    for args in runs {
        let dir = tmp();
        steward()
            .current_dir(dir.path())
            .args(&args)
            .assert()
            .success();
        assert!(names_in(dir.path()).is_empty(), "{args:?}");
    }
    let requests = requests_file(keys.path());
    steward()
        .args(["erase", &src, "--requests"])
        .arg(&requests)
        .args(["-o", null, "--receipt"])
        .arg(keys.path().join("receipt.json"))
        .args(["--key-file", &k, "--force"])
        .assert()
        .code(73)
        .stderr(predicate::str::contains("is a device or pipe"));
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(null)
        .unwrap()
        .file_type()
        .is_char_device());
}

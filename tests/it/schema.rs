//! `steward schema show|init`, and generated completions and man pages being current.

use crate::common;
use common::*;
use predicates::prelude::*;

#[test]
fn show_lists_fields_in_every_format() {
    steward()
        .args(["schema", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("resident_id").and(predicate::str::contains("cn_id")));
    let out = steward()
        .args(["schema", "show", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(v["field"].as_array().unwrap().len() >= 22);
    steward()
        .args(["schema", "show", "--format", "toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains("身份证号"));
}

#[test]
fn init_writes_an_editable_copy_that_loads_back() {
    let dir = tmp();
    let f = path_in(&dir, "s.toml");
    steward()
        .args(["schema", "init"])
        .arg(&f)
        .assert()
        .success();
    steward().args(["schema", "init"]).arg(&f).assert().code(73);
    steward()
        .args(["schema", "show", "--schema"])
        .arg(&f)
        .assert()
        .success();
}

#[test]
fn broken_schema_is_exit_65_with_line() {
    let dir = tmp();
    let f = path_in(&dir, "s.toml");
    std::fs::write(&f, "[[field]]\nname = \"x\"\nkind = \"wrong\"\n").unwrap();
    steward()
        .args(["schema", "show", "--schema"])
        .arg(&f)
        .assert()
        .code(65)
        .stderr(predicate::str::contains("line 3"));
}

#[test]
fn completions_are_current() {
    for (shell, file) in [
        ("bash", "steward.bash"),
        ("zsh", "_steward"),
        ("fish", "steward.fish"),
        ("powershell", "_steward.ps1"),
        ("elvish", "steward.elv"),
    ] {
        let out = steward()
            .args(["completions", shell])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let committed = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("completions")
                .join(file),
        )
        .unwrap_or_default();
        assert!(
            out == committed,
            "completions/{file} is out of date: run `cargo run -- completions {shell} > completions/{file}` (or bash .ci/regen)"
        );
    }
}

#[test]
fn man_pages_are_current() {
    let dir = tmp();
    steward().arg("man").arg(dir.path()).assert().success();
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert!(names.contains(&"steward-import.1".to_string()));
    for n in &names {
        let fresh = std::fs::read(dir.path().join(n)).unwrap();
        let old = std::fs::read(committed.join(n)).unwrap_or_default();
        assert!(fresh == old, "man/{n} is out of date: run `bash .ci/regen`");
    }
    let committed_count = std::fs::read_dir(&committed)
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(committed_count, names.len(), "man/ has stale pages");
}

#[test]
fn every_subcommand_help_has_examples() {
    for sub in [
        vec!["inspect"],
        vec!["import"],
        vec!["validate"],
        vec!["normalize"],
        vec!["schema", "show"],
        vec!["schema", "init"],
        vec!["completions"],
        vec!["man"],
    ] {
        steward()
            .args(&sub)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
    steward()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:").and(predicate::str::contains("65")));
}

//! The audit log through the real binary: every field of a sealed entry edited (and re-hashed, as someone who
//! knows the format but not the key would), the last entry removed against an anchored head, an empty log,
//! a log from before entries carried hashes, seals across a key rotation, and `--audit-log` refusing files the
//! run reads or writes.

use crate::common;
use common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use steward::report::audit::{canonical_json, entry_hash, GENESIS};

const KEY_1: &str = "afa3794d23d1fa6364cb8861c9ec9655f4145e9678ee39aae996921f16d7eaa7";
const KEY_2: &str = "5d00acd482f29b2ba2ff3d4667381026cb867631d33e13c1bfca9149849f8920";

fn key_file(dir: &tempfile::TempDir, name: &str, hex: &str) -> PathBuf {
    write_key(&path_in(dir, name), hex)
}

/// `steward clean fixtures/customers.csv --out OUT [--key-file KEY] --audit-log LOG`.
fn clean(out: &Path, key: Option<&Path>, log: &Path) -> assert_cmd::assert::Assert {
    let mut cmd = steward();
    cmd.args([
        "clean",
        &fixture("customers.csv"),
        "--as-of",
        "2026-11-01",
        "--out",
    ])
    .arg(out);
    if let Some(k) = key {
        cmd.arg("--key-file").arg(k);
    }
    cmd.arg("--audit-log")
        .arg(log)
        .env_remove("STEWARD_KEY")
        .assert()
}

fn verify(log: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    steward()
        .args(["audit", "verify"])
        .arg(log)
        .args(extra)
        .env_remove("STEWARD_KEY")
        .assert()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).to_string()
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).to_string()
}

fn verified_json(log: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let a = verify(log, &args);
    serde_json::from_str(&stdout(&a)).unwrap()
}

/// Another value of the same shape: a number becomes 2 (3 if it was 2), a string gets another last
/// character (hex stays hex), the first element or member of an array or object is edited in turn.
fn edited(v: &Value) -> Value {
    match v {
        Value::Null => json!("x"),
        Value::Bool(b) => json!(!b),
        Value::Number(n) => match n.as_u64() {
            Some(2) => json!(3),
            Some(_) => json!(2),
            None => json!(n.as_f64().unwrap_or(0.0) + 0.5),
        },
        Value::String(s) => {
            let mut t = s.clone();
            let last = t.pop();
            t.push(if last == Some('a') { 'b' } else { 'a' });
            json!(t)
        }
        Value::Array(items) => {
            let mut items = items.clone();
            match items.first_mut() {
                Some(first) => *first = edited(first),
                None => items.push(json!("x")),
            }
            Value::Array(items)
        }
        Value::Object(m) => {
            let mut m = m.clone();
            let first = m.keys().next().cloned();
            match first {
                Some(k) => {
                    let v = edited(&m[&k]);
                    m.insert(k, v);
                }
                None => {
                    m.insert("x".into(), json!(1));
                }
            }
            Value::Object(m)
        }
    }
}

fn write_entry(log: &Path, entry: &Value) {
    std::fs::write(log, format!("{}\n", canonical_json(entry))).unwrap();
}

/// The same entry with `hash` recomputed over its content, as an editor who knows the format would.
fn rehashed(entry: &Value) -> Value {
    let mut e = entry.clone();
    let h = entry_hash(e.as_object().unwrap());
    e["hash"] = json!(h);
    e
}

#[test]
fn an_edit_of_any_field_of_a_sealed_entry_is_detected() {
    let dir = tmp();
    let key = key_file(&dir, "team.key", KEY_1);
    let log = path_in(&dir, "audit.jsonl");
    clean(&path_in(&dir, "out"), Some(&key), &log).success();
    let k = ["--chain-only", "--key-file", key.to_str().unwrap()];
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.lines().count(), 1);
    assert!(
        !text.to_lowercase().contains(KEY_1),
        "the key is never recorded"
    );
    let derived = steward::privacy::key::Key::from_text(KEY_1, "t")
        .unwrap()
        .derive("audit-log");
    assert!(!text.contains(&hex::encode(derived)), "nor the sealing key");
    let a = verify(&log, &k).success();
    assert!(
        stderr(&a).contains("1 sealed, seals checked with kid_"),
        "{}",
        stderr(&a)
    );
    let original: Value = serde_json::from_str(text.trim_end()).unwrap();
    let obj = original.as_object().unwrap();
    for field in [
        "seq",
        "prev",
        "hash",
        "mac",
        "key_id",
        "rows_rejected",
        "outputs",
        "inputs",
    ] {
        assert!(obj.contains_key(field), "the entry has {field}: {text}");
    }

    let mut cases: Vec<(String, Value)> = Vec::new();
    for field in obj.keys() {
        let mut e = original.clone();
        e[field] = edited(&original[field]);
        cases.push((format!("{field} edited"), e.clone()));
        if field != "hash" {
            cases.push((format!("{field} edited, hash recomputed"), rehashed(&e)));
        }
        let mut e = original.clone();
        e.as_object_mut().unwrap().remove(field);
        cases.push((format!("{field} removed"), e.clone()));
        if field != "hash" {
            cases.push((format!("{field} removed, hash recomputed"), rehashed(&e)));
        }
    }
    // Nested values, named.
    let mut e = original.clone();
    e["outputs"][0]["sha256"] = edited(&original["outputs"][0]["sha256"]);
    cases.push(("outputs[0].sha256 edited".into(), rehashed(&e)));
    let mut e = original.clone();
    e["inputs"][0]["path"] = json!("/elsewhere/customers.csv");
    cases.push(("inputs[0].path edited".into(), rehashed(&e)));
    // The same member twice: a reader may see the first, the parser keeps the last.
    let line = text.trim_end();
    let twice = line.replacen("{", "{\"rows_rejected\":2,", 1);
    assert!(cases.len() > 40, "{} cases", cases.len());

    for (what, entry) in &cases {
        write_entry(&log, entry);
        let a = verify(&log, &k).code(1);
        assert!(
            stdout(&a).contains("line 1: "),
            "{what}: {}{}",
            stdout(&a),
            stderr(&a)
        );
    }
    std::fs::write(&log, format!("{twice}\n")).unwrap();
    verify(&log, &k).code(1);

    // rows_rejected changed and the hash recomputed: only the seal tells.
    let mut e = original.clone();
    e["rows_rejected"] = json!(2);
    write_entry(&log, &rehashed(&e));
    let a = verify(&log, &k).code(1);
    assert!(
        stdout(&a).contains("line 1: the entry's seal does not match it under key kid_"),
        "{}",
        stdout(&a)
    );
    // Without the key the chain and hash hold, and the output says the seal was not checked.
    let a = verify(&log, &["--chain-only"]).success();
    assert!(stderr(&a).contains("seals NOT checked"), "{}", stderr(&a));

    // The seal and key id both taken away and the hash recomputed: the entry reads as unsealed, which only
    // the head anchored elsewhere catches.
    let head = original["hash"].as_str().unwrap().to_string();
    let mut e = original.clone();
    e["rows_rejected"] = json!(2);
    e["key_id"] = Value::Null;
    e.as_object_mut().unwrap().remove("mac");
    write_entry(&log, &rehashed(&e));
    verify(&log, &k).success();
    let a = verify(&log, &[&k[..], &["--expect-head", &head]].concat()).code(1);
    assert!(stdout(&a).contains("the head is "), "{}", stdout(&a));

    // The untouched entry verifies again, anchors included.
    std::fs::write(&log, &text).unwrap();
    verify(
        &log,
        &[&k[..], &["--expect-head", &head, "--expect-entries", "1"]].concat(),
    )
    .success();
}

#[test]
fn removing_the_last_entry_is_detected_against_the_anchored_head_and_count() {
    let dir = tmp();
    let key = key_file(&dir, "team.key", KEY_1);
    let log = path_in(&dir, "audit.jsonl");
    for run in ["a", "b"] {
        let a = clean(&path_in(&dir, run), Some(&key), &log).success();
        assert!(stderr(&a).contains("appended, head "), "{}", stderr(&a));
    }
    let k = ["--chain-only", "--key-file", key.to_str().unwrap()];
    let v = verified_json(&log, &k);
    assert_eq!(v["ok"], true);
    assert_eq!(v["entries"], 2);
    assert_eq!(v["sealed"], 2);
    assert_eq!(v["unsealed"], 0);
    let head = v["head"].as_str().unwrap().to_string();
    let last: Value = serde_json::from_str(
        std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .nth(1)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        last["hash"],
        head.as_str(),
        "the head is the last entry's hash"
    );
    verify(
        &log,
        &[&k[..], &["--expect-head", &head, "--expect-entries", "2"]].concat(),
    )
    .success();

    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, format!("{}\n", text.lines().next().unwrap())).unwrap();
    // What is left is a valid one-entry log ...
    verify(&log, &k).success();
    // ... but not the log that was anchored.
    let a = verify(&log, &[&k[..], &["--expect-entries", "2"]].concat()).code(1);
    assert!(
        stdout(&a).contains("1 entries where 2 were expected"),
        "{}",
        stdout(&a)
    );
    let a = verify(&log, &[&k[..], &["--expect-head", &head]].concat()).code(1);
    assert!(
        stdout(&a).contains("where ") && stdout(&a).contains(&head),
        "{}",
        stdout(&a)
    );
    let v = verified_json(&log, &[&k[..], &["--expect-head", &head]].concat());
    assert_eq!(v["ok"], false);
    assert_eq!(v["entries"], 1);
    assert_eq!(v["breaks"][0]["line"], Value::Null);
}

#[test]
fn an_empty_log_is_reported_empty_and_fails() {
    let dir = tmp();
    let log = path_in(&dir, "audit.jsonl");
    for content in ["", "\n\n"] {
        std::fs::write(&log, content).unwrap();
        let a = verify(&log, &[]).code(1);
        let all = format!("{}{}", stdout(&a), stderr(&a));
        assert!(all.contains("empty"), "{all}");
        assert!(!all.contains("chain intact"), "{all}");
        let v = verified_json(&log, &[]);
        assert_eq!(v["empty"], true);
        assert_eq!(v["ok"], false);
        assert_eq!(v["entries"], 0);
        assert_eq!(v["head"], GENESIS);
        verify(&log, &["--expect-entries", "0"]).success();
        verify(&log, &["--expect-entries", "3"]).code(1);
    }
}

/// A log in the format written before entries carried their own hash: `prev` is the SHA-256 of the line
/// before, and there is neither `hash` nor `mac`.
fn legacy_log(path: &Path) -> Vec<String> {
    use sha2::Digest;
    let l1 = canonical_json(&json!({
        "command": "clean", "key_id": null, "outputs": [], "prev": GENESIS,
        "rows_in": 300, "rows_rejected": 218, "seq": 1,
    }));
    let prev = hex::encode(sha2::Sha256::digest(l1.as_bytes()));
    let l2 = canonical_json(&json!({
        "command": "clean", "key_id": "kid_0123456789abcdef", "outputs": [], "prev": prev,
        "rows_in": 300, "rows_rejected": 5, "seq": 2,
    }));
    std::fs::write(path, format!("{l1}\n{l2}\n")).unwrap();
    vec![l1, l2]
}

#[test]
fn a_log_from_before_sealing_verifies_as_unsealed_and_takes_new_entries() {
    let dir = tmp();
    let log = path_in(&dir, "audit.jsonl");
    let lines = legacy_log(&log);
    let a = verify(&log, &[]).success();
    assert!(
        stderr(&a).contains("2 entries, chain intact"),
        "{}",
        stderr(&a)
    );
    assert!(
        stderr(&a).contains("2 unsealed (2 written before entries carried their own hash)"),
        "{}",
        stderr(&a)
    );
    let v = verified_json(&log, &[]);
    assert_eq!(
        (v["sealed"].as_u64(), v["unsealed"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(v["legacy"], 2);
    // Its chain is still checked.
    std::fs::write(&log, format!("{}\n", lines[1])).unwrap();
    verify(&log, &[]).code(1);

    // A sealed run appends to it; the new entry chains to the old line.
    legacy_log(&log);
    let key = key_file(&dir, "team.key", KEY_1);
    clean(&path_in(&dir, "out"), Some(&key), &log).success();
    let v = verified_json(&log, &["--chain-only", "--key-file", key.to_str().unwrap()]);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(
        (v["entries"].as_u64(), v["sealed"].as_u64()),
        (Some(3), Some(1))
    );
    // Once sealed, a run without a key may not continue it (its entry could not be told from a forgery).
    let before = std::fs::read(&log).unwrap();
    let a = clean(&path_in(&dir, "out2"), None, &log).code(2);
    assert!(stderr(&a).contains("sealed"), "{}", stderr(&a));
    assert_eq!(std::fs::read(&log).unwrap(), before);
}

#[test]
fn seals_verify_across_a_key_rotation() {
    let dir = tmp();
    let old = key_file(&dir, "old.key", KEY_1);
    let new = key_file(&dir, "team.key", KEY_2);
    let log = path_in(&dir, "audit.jsonl");
    clean(&path_in(&dir, "a"), Some(&old), &log).success();
    clean(&path_in(&dir, "b"), Some(&new), &log).success();
    let (o, n) = (old.to_str().unwrap(), new.to_str().unwrap());
    let a = verify(&log, &["--chain-only", "--key-file", o, "--key-file", n]).success();
    assert!(
        stderr(&a).contains("2 sealed, seals checked"),
        "{}",
        stderr(&a)
    );
    // The old key from a file, the new one from STEWARD_KEY.
    steward()
        .args(["audit", "verify", "--chain-only"])
        .arg(&log)
        .args(["--key-file", o])
        .env("STEWARD_KEY", KEY_2)
        .assert()
        .success();
    // Only the new key: the first entry's key is missing, and that is said.
    let a = verify(&log, &["--chain-only", "--key-file", n]).code(1);
    assert!(
        stdout(&a).contains("line 1: the entry is sealed with key kid_")
            && stdout(&a).contains("no key given has that id"),
        "{}",
        stdout(&a)
    );
    assert!(!stdout(&a).contains("line 2"), "{}", stdout(&a));
    // No key at all: chain and hashes hold, seals unchecked.
    let a = verify(&log, &["--chain-only"]).success();
    assert!(stderr(&a).contains("seals NOT checked"), "{}", stderr(&a));
    // An edit of the first entry is caught with the old key.
    let text = std::fs::read_to_string(&log).unwrap();
    let mut first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    first["rows_in"] = json!(1);
    let first = rehashed(&first);
    std::fs::write(
        &log,
        format!(
            "{}\n{}\n",
            canonical_json(&first),
            text.lines().nth(1).unwrap()
        ),
    )
    .unwrap();
    let a = verify(&log, &["--chain-only", "--key-file", o, "--key-file", n]).code(1);
    assert!(
        stdout(&a).contains("line 1: the entry's seal does not match"),
        "{}",
        stdout(&a)
    );
}

/// A refusal: exit 73, one line naming the log, the file byte for byte as it was, and no output written.
fn refused(dir: &tempfile::TempDir, src: &Path, key: &Path, log: &Path, out: &str) {
    let before = std::fs::read(log).ok();
    let a = steward()
        .arg("clean")
        .arg(src)
        .args(["--as-of", "2026-11-01", "--out"])
        .arg(path_in(dir, out))
        .arg("--key-file")
        .arg(key)
        .arg("--audit-log")
        .arg(log)
        .env_remove("STEWARD_KEY")
        .assert()
        .code(73);
    let err = stderr(&a);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(&log.display().to_string()), "{err}");
    assert_eq!(
        std::fs::read(log).ok(),
        before,
        "{} unchanged",
        log.display()
    );
    let written: Vec<_> = std::fs::read_dir(path_in(dir, out))
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "nothing written: {written:?}");
}

#[test]
fn audit_log_refuses_an_input_the_key_an_output_and_a_file_that_is_no_log() {
    let dir = tmp();
    let key = key_file(&dir, "team.key", KEY_1);
    let src = path_in(&dir, "in.csv");
    std::fs::copy(fixture("customers.csv"), &src).unwrap();
    refused(&dir, &src, &key, &src, "o1");
    refused(&dir, &src, &key, &key, "o2");
    // Through another name: a link to the key is the key.
    #[cfg(unix)]
    {
        let link = path_in(&dir, "log-link");
        std::os::unix::fs::symlink(&key, &link).unwrap();
        refused(&dir, &src, &key, &link, "o3");
        assert_eq!(std::fs::read_to_string(&key).unwrap(), format!("{KEY_1}\n"));
    }
    // An output of this run, before it exists (by path) and after (by device and inode).
    let out = path_in(&dir, "o4");
    std::fs::create_dir(&out).unwrap();
    let a = steward()
        .arg("clean")
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .arg("--audit-log")
        .arg(out.join("..").join("o4").join("report.json"))
        .assert()
        .code(73);
    assert!(
        stderr(&a).contains("not used as the audit log"),
        "{}",
        stderr(&a)
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
    // A file that is not an audit log.
    let notes = path_in(&dir, "notes.txt");
    std::fs::write(&notes, "meeting notes\n").unwrap();
    refused(&dir, &src, &key, &notes, "o5");
    // A log whose folder cannot hold it is refused before any output is written, not after.
    let blocker = path_in(&dir, "not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    refused(&dir, &src, &key, &blocker.join("audit.jsonl"), "o6");
    // The input is untouched by all of it.
    assert_eq!(
        std::fs::read(&src).unwrap(),
        std::fs::read(fixture("customers.csv")).unwrap()
    );
}

#[test]
fn a_job_cannot_append_its_audit_log_to_its_job_file_or_its_source() {
    let dir = tmp();
    let src = path_in(&dir, "in.csv");
    std::fs::copy(fixture("customers.csv"), &src).unwrap();
    for log in ["job.toml", "in.csv"] {
        let job = path_in(&dir, "job.toml");
        std::fs::write(
            &job,
            format!(
                "name = \"j\"\nsources = [\"in.csv\"]\nout = \"runs\"\naudit_log = \"{log}\"\n"
            ),
        )
        .unwrap();
        let before = std::fs::read(&job).unwrap();
        steward().arg("run").arg(&job).assert().code(73);
        assert_eq!(std::fs::read(&job).unwrap(), before);
        assert_eq!(
            std::fs::read(&src).unwrap(),
            std::fs::read(fixture("customers.csv")).unwrap()
        );
    }
}

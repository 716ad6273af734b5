//! The output set of `clean` and `run`: complete or absent (errors, signals, disk full), protected by default
//! with a key (nothing raw outside restricted/), replaced whole with --force, policy results as evidence.

use crate::common;
use common::*;
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const KEY: &str = "004c551312a6243228931182b6fa1b445415d25f16046da4ac009cca0b39727c";

fn key_file(dir: &tempfile::TempDir) -> PathBuf {
    write_key(&path_in(dir, "team.key"), KEY)
}

/// Every file under `dir` (relative path -> bytes).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

fn clean(src: &str, out: &Path) -> assert_cmd::Command {
    let mut c = steward();
    c.args(["clean", src, "--as-of", "2026-11-01", "--out"])
        .arg(out);
    c
}

/// Personal values of the fixture, raw and as normalized: names, emails, phones, resident IDs, addresses.
fn personal_values(dir: &tempfile::TempDir) -> Vec<String> {
    let norm = path_in(dir, "norm.csv");
    steward()
        .args([
            "normalize",
            &fixture("customers.csv"),
            "--default-region",
            "CN",
            "-o",
        ])
        .arg(&norm)
        .assert()
        .success();
    let (_, rows) = read_csv(&norm);
    let (_, raw) = read_csv(Path::new(&fixture("customers.csv")));
    let mut values: Vec<String> = Vec::new();
    for r in rows.iter() {
        for c in ["name", "email", "mobile", "resident_id", "address"] {
            values.push(r[c].trim_start_matches('\'').to_string());
        }
    }
    for r in raw.iter() {
        for c in ["姓名", "邮箱", "手机号", "身份证号", "地址"] {
            values.push(r[c].clone());
        }
    }
    values.retain(|v| v.chars().count() >= 4);
    values.sort();
    values.dedup();
    values
}

#[test]
fn with_a_key_no_file_outside_restricted_holds_a_raw_personal_value() {
    let dir = tmp();
    let out = path_in(&dir, "out");
    let key = key_file(&dir);
    clean(&fixture("customers.csv"), &out)
        .args(["--default-region", "CN", "--key-file"])
        .arg(&key)
        .assert()
        .success()
        .stderr(predicates::str::contains("no file outside restricted/"));
    let values = personal_values(&dir);
    assert!(values.len() > 800, "{}", values.len());
    let files = snapshot(&out);
    let shared: Vec<&String> = files
        .keys()
        .filter(|k| !k.starts_with("restricted/"))
        .collect();
    for f in [
        "cleaned.csv",
        "cleaned.meta.json",
        "report.json",
        "report.html",
        "manifest.json",
    ] {
        assert!(
            shared.iter().any(|k| k.as_str() == f),
            "{f} in the set: {shared:?}"
        );
    }
    for name in &shared {
        let text = String::from_utf8_lossy(&files[*name]);
        for v in &values {
            assert!(!text.contains(v.as_str()), "{v:?} in {name}");
        }
        assert!(!text.contains(KEY), "the key in {name}");
    }
    // The raw files a steward needs are in restricted/, owner only.
    for f in [
        "cleaned.csv",
        "rejects.csv",
        "findings.csv",
        "merge-map.csv",
    ] {
        assert!(
            files.contains_key(&format!("restricted/{f}")),
            "restricted/{f}"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&out.join("restricted")), 0o700);
        assert_eq!(mode(&out.join("restricted/cleaned.csv")), 0o600);
    }
    // Golden ids of shared files do not join to the raw golden records.
    let (_, raw_golden) = read_csv(&out.join("restricted/cleaned.csv"));
    let (cols, cleaned) = read_csv(&out.join("cleaned.csv"));
    assert!(
        !cols
            .iter()
            .any(|c| c == "_row" || c == "_source" || c == "_lineage"),
        "{cols:?}"
    );
    let raw_ids: std::collections::HashSet<&str> =
        raw_golden.iter().map(|r| r["golden_id"].as_str()).collect();
    assert!(cleaned
        .iter()
        .all(|r| !raw_ids.contains(r["golden_id"].as_str())));
    // The report says which file holds personal data and how each is protected.
    let report: serde_json::Value = serde_json::from_slice(&files["report.json"]).unwrap();
    assert_eq!(report["pseudonymized"], true);
    assert!(report["key_id"].as_str().unwrap().starts_with("kid_"));
    for o in report["outputs"].as_array().unwrap() {
        let name = o["name"].as_str().unwrap();
        assert_eq!(
            o["personal_data"],
            name.starts_with("restricted/"),
            "{name}"
        );
    }
    let html = String::from_utf8_lossy(&files["report.html"]).to_string();
    assert!(
        html.contains("restricted/cleaned.csv"),
        "the HTML report names the restricted files"
    );
    // --no-restricted leaves the raw files out altogether.
    let out2 = path_in(&dir, "out2");
    clean(&fixture("customers.csv"), &out2)
        .arg("--key-file")
        .arg(&key)
        .arg("--no-restricted")
        .assert()
        .success();
    assert!(!out2.join("restricted").exists());
    assert!(out2.join("cleaned.csv").exists());
}

#[test]
fn header_only_input_is_a_clean_run_of_zero_rows() {
    let dir = tmp();
    let src = path_in(&dir, "empty.csv");
    let text = std::fs::read_to_string(fixture("customers.csv")).unwrap();
    std::fs::write(&src, format!("{}\n", text.lines().next().unwrap())).unwrap();
    let key = key_file(&dir);
    for with_key in [false, true] {
        let out = path_in(&dir, if with_key { "k" } else { "nk" });
        let mut c = clean(src.to_str().unwrap(), &out);
        if with_key {
            c.arg("--key-file").arg(&key);
        }
        c.assert().success().stderr(predicates::str::starts_with(
            "0 rows in = 0 rows out + 0 rows rejected + 0 rows merged\n",
        ));
        let r: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
        assert_eq!(r["rows_in"], 0);
        assert_eq!(r["reconciled"], true);
        assert!(out.join("cleaned.csv").exists() && out.join("manifest.json").exists());
    }
}

#[test]
fn force_replaces_the_whole_set_and_a_foreign_folder_is_refused() {
    let dir = tmp();
    let out = path_in(&dir, "out");
    let key = key_file(&dir);
    clean(&fixture("customers.csv"), &out)
        .arg("--key-file")
        .arg(&key)
        .assert()
        .success();
    assert!(out.join("cleaned.meta.json").exists());
    // Without a key and with --force: the old pseudonymization metadata must not sit beside raw data.
    clean(&fixture("customers.csv"), &out)
        .arg("--force")
        .env_remove("STEWARD_KEY")
        .assert()
        .success();
    assert!(
        !out.join("cleaned.meta.json").exists(),
        "no stale file survives"
    );
    assert!(!out.join("restricted").exists());
    // A folder that is not a steward output set is never replaced, --force or not.
    let home = path_in(&dir, "home");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(home.join("notes.txt"), "mine").unwrap();
    clean(&fixture("customers.csv"), &home)
        .arg("--force")
        .assert()
        .code(73)
        .stderr(predicates::str::contains("no steward output set"));
    assert_eq!(names_in(&home), vec!["notes.txt"]);
    // An input inside the set being replaced is refused (the swap would remove it).
    let golden = out.join("cleaned.csv");
    clean(golden.to_str().unwrap(), &out)
        .arg("--force")
        .assert()
        .code(73)
        .stderr(predicates::str::contains("which this run reads"));
    assert!(golden.exists());
}

#[test]
fn a_failing_audit_log_leaves_the_earlier_set_and_no_new_one() {
    let dir = tmp();
    let out = path_in(&dir, "out");
    clean(&fixture("customers.csv"), &out).assert().success();
    let before = snapshot(&out);
    // A folder where the log should be: refused before anything is written (AuditLog::open).
    let log = path_in(&dir, "audit.jsonl");
    std::fs::create_dir(&log).unwrap();
    clean(&fixture("customers_semicolon.csv"), &out)
        .arg("--force")
        .arg("--audit-log")
        .arg(&log)
        .assert()
        .code(73);
    assert_eq!(snapshot(&out), before, "the earlier set is untouched");
    assert_eq!(
        names_in(dir.path()),
        vec!["audit.jsonl", "out"],
        "no litter"
    );
    // A new destination: nothing appears.
    let out2 = path_in(&dir, "out2");
    clean(&fixture("customers.csv"), &out2)
        .arg("--audit-log")
        .arg(&log)
        .assert()
        .code(73);
    assert!(!out2.exists());
}

/// A small filesystem that fills up while the set is written (root only: CI runs as root; a developer's
/// machine without root skips it).
#[cfg(target_os = "linux")]
#[test]
fn disk_full_leaves_nothing_partial() {
    let dir = tmp();
    let mnt = path_in(&dir, "small");
    let Some(_disk) = small_disk(&mnt, "160k") else {
        return;
    };
    let out = mnt.join("out");
    clean(&fixture("customers.csv"), &out)
        .assert()
        .code(73)
        .stderr(
            predicates::str::contains("No space left on device")
                .or(predicates::str::contains("no space")),
        );
    assert!(
        names_in(&mnt).is_empty(),
        "nothing partial: {:?}",
        names_in(&mnt)
    );

    // The set lands elsewhere but the audit log is on the full disk: the append fails after the swap, and
    // the swap is undone (the earlier set back in place, no new one).
    let log = mnt.join("audit.jsonl");
    std::fs::write(&log, "").unwrap();
    fill_disk(&mnt.join("filler"));
    let out = path_in(&dir, "out");
    clean(&fixture("customers.csv"), &out).assert().success();
    let before = snapshot(&out);
    clean(&fixture("customers_semicolon.csv"), &out)
        .arg("--force")
        .arg("--audit-log")
        .arg(&log)
        .assert()
        .code(73)
        .stderr(predicates::str::contains("audit.jsonl"));
    assert_eq!(snapshot(&out), before, "the swap was undone");
    assert_eq!(names_in(dir.path()), vec!["out", "small"], "no litter");
}

/// Interrupt `clean --force` over an earlier set once `ready` says the run has reached a point.
fn interrupt_clean_when(ready: &dyn Fn(&Path) -> bool, point: &str) {
    let dir = tmp();
    let src = big_input(&dir, 40);
    let key = key_file(&dir);
    let out = path_in(&dir, "out");
    clean(&fixture("customers.csv"), &out).assert().success();
    let before = snapshot(&out);
    let bin = assert_cmd::cargo::cargo_bin("steward");
    let mut child = std::process::Command::new(bin)
        .args([
            "clean",
            src.to_str().unwrap(),
            "--as-of",
            "2026-11-01",
            "--force",
            "-q",
            "--out",
        ])
        .arg(&out)
        .arg("--key-file")
        .arg(&key)
        .spawn()
        .unwrap();
    let staging = dir.path().join(format!(".out.steward-new-{}", child.id()));
    let start = Instant::now();
    while !ready(&staging) {
        if child.try_wait().unwrap().is_some() {
            panic!("{point}: the run ended before it could be interrupted; make the input larger");
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "{point}: never reached"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{point}: {status:?}");
    assert_eq!(snapshot(&out), before, "{point}: the earlier set is intact");
    let mut left = names_in(dir.path());
    left.retain(|n| !["big.csv", "team.key", "out"].contains(&n.as_str()));
    assert!(left.is_empty(), "{point}: nothing new appears: {left:?}");
}

#[test]
fn sigint_at_any_stage_of_clean_leaves_the_earlier_set_intact() {
    interrupt_clean_when(&|s: &Path| s.exists(), "staging created");
    interrupt_clean_when(
        &|s: &Path| s.join("restricted/rejects.csv").exists(),
        "after validation",
    );
    interrupt_clean_when(
        &|s: &Path| s.join("restricted/merge-map.csv").exists(),
        "after dedupe",
    );
    interrupt_clean_when(
        &|s: &Path| s.join("cleaned.csv").exists(),
        "while protecting",
    );
}

fn job(dir: &tempfile::TempDir, extra: &str) -> PathBuf {
    let p = path_in(dir, "job.toml");
    std::fs::write(
        &p,
        format!(
            "name = \"t\"\nsources = [{:?}]\nout = \"runs\"\naudit_log = \"audit.jsonl\"\nas_of = \"2026-11-01\"\n{extra}",
            fixture("customers.csv"),
        ),
    )
    .unwrap();
    p
}

#[test]
fn a_failed_policy_is_evidence_and_latest_stays_on_the_last_good_run() {
    let dir = tmp();
    let good = job(&dir, "[policy]\nmax_rejected = \"50%\"\n");
    steward().arg("run").arg(&good).assert().success();
    let runs = path_in(&dir, "runs");
    let first = std::fs::read_link(runs.join("latest")).unwrap();
    let bad = job(&dir, "[policy]\nmax_rejected = \"1\"\n");
    steward()
        .arg("run")
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("policy failed"));
    assert_eq!(
        std::fs::read_link(runs.join("latest")).unwrap(),
        first,
        "latest not moved"
    );
    let failed: Vec<String> = names_in(&runs)
        .into_iter()
        .filter(|n| n.ends_with("-policy-failed"))
        .collect();
    assert_eq!(
        failed.len(),
        1,
        "the failed run is kept and marked: {:?}",
        names_in(&runs)
    );
    let run = runs.join(&failed[0]);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["policy"]["passed"], false);
    assert_eq!(report["policy"]["checks"][0]["rule"], "max_rejected");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["policy"]["passed"], false);
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(
        html.contains("Policy") && html.contains("max_rejected"),
        "policy in the HTML report"
    );
    let log = std::fs::read_to_string(path_in(&dir, "audit.jsonl")).unwrap();
    let last: serde_json::Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    assert_eq!(last["policy"]["passed"], false);
    let first_entry: serde_json::Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(first_entry["policy"]["passed"], true);
}

#[test]
fn sigint_during_run_removes_the_partial_run_and_the_lock() {
    let dir = tmp();
    let src = big_input(&dir, 40);
    let p = path_in(&dir, "job.toml");
    std::fs::write(
        &p,
        format!(
            "sources = [{:?}]\nout = \"runs\"\n",
            src.display().to_string()
        ),
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("steward");
    let mut child = std::process::Command::new(bin)
        .args(["run", p.to_str().unwrap(), "-q"])
        .spawn()
        .unwrap();
    let runs = path_in(&dir, "runs");
    let start = Instant::now();
    let staging_started = || {
        runs.exists()
            && names_in(&runs).iter().any(|n| {
                n.contains(".steward-new-") && runs.join(n).join("restricted").exists()
                    || n.contains(".steward-new-") && runs.join(n).join("findings.csv").exists()
            })
    };
    while !staging_started() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be interrupted"
        );
        assert!(start.elapsed() < Duration::from_secs(120));
        std::thread::sleep(Duration::from_millis(2));
    }
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert!(
        names_in(&runs).is_empty(),
        "no run folder, no lock: {:?}",
        names_in(&runs)
    );
}

#[test]
fn a_job_selects_sheets_and_fixes_the_as_of_date() {
    let dir = tmp();
    let p = path_in(&dir, "job.toml");
    std::fs::write(
        &p,
        format!(
            "sources = [{:?}]\nout = \"runs\"\nsheet = \"all\"\nas_of = \"2025-01-31\"\n",
            fixture("customers.xlsx")
        ),
    )
    .unwrap();
    steward().arg("run").arg(&p).assert().success();
    let report: serde_json::Value = serde_json::from_slice(
        &std::fs::read(path_in(&dir, "runs").join("latest/report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report["as_of"], "2025-01-31");
    let sources: Vec<&str> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 2, "every sheet was read: {sources:?}");
    assert!(sources[1].ends_with("!说明"), "{sources:?}");
    // A bad value is one line naming the job file.
    std::fs::write(
        &p,
        format!(
            "sources = [{:?}]\nout = \"runs\"\nas_of = \"31/01/2025\"\n",
            fixture("customers.csv")
        ),
    )
    .unwrap();
    steward()
        .arg("run")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("as-of"));
}

#[test]
fn a_job_without_the_pseudonymize_step_still_seals_its_audit_entry_with_its_key() {
    let dir = tmp();
    key_file(&dir);
    let p = job(
        &dir,
        "key_file = \"team.key\"\nsteps = [\"import\", \"validate\", \"normalize\", \"dedupe\"]\n",
    );
    for _ in 0..2 {
        steward().arg("run").arg(&p).assert().success();
    }
    let log = std::fs::read_to_string(path_in(&dir, "audit.jsonl")).unwrap();
    for line in log.lines() {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(e["mac"].is_string(), "sealed: {line}");
    }
    let report: serde_json::Value = serde_json::from_slice(
        &std::fs::read(path_in(&dir, "runs").join("latest/report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report["pseudonymized"], false, "the step was left out");
    steward()
        .args(["audit", "verify"])
        .arg(path_in(&dir, "audit.jsonl"))
        .arg("--key-file")
        .arg(path_in(&dir, "team.key"))
        .assert()
        .success();
}

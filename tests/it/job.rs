//! `steward run JOB.toml`: dry run, one folder per run with `latest`, the lock, the policy's exit code, and
//! `steward diff` / `steward profile` on the fixtures.

use crate::common;
use common::*;

fn job(dir: &tempfile::TempDir, policy: &str) -> std::path::PathBuf {
    let p = path_in(dir, "job.toml");
    std::fs::write(
        &p,
        format!(
            "name = \"test-job\"\nsources = [{:?}, {:?}]\nout = \"runs\"\naudit_log = \"audit.jsonl\"\n{policy}",
            fixture("customers.csv"),
            fixture("customers_semicolon.csv")
        ),
    )
    .unwrap();
    p
}

#[test]
fn dry_run_writes_nothing_and_runs_write_a_folder_each() {
    let dir = tmp();
    let j = job(&dir, "[policy]\nmax_rejected = \"5%\"\n");
    steward()
        .args(["run"])
        .arg(&j)
        .arg("--dry-run")
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "import -> validate -> normalize -> dedupe -> segment",
        ));
    assert!(!path_in(&dir, "runs").exists());
    for _ in 0..2 {
        steward().args(["run"]).arg(&j).assert().success();
    }
    let runs: Vec<_> = std::fs::read_dir(path_in(&dir, "runs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(
        runs.iter().filter(|r| r.starts_with("20")).count(),
        2,
        "{runs:?}"
    );
    let latest = path_in(&dir, "runs").join("latest");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(latest.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["rows_in"], 600);
    assert_eq!(
        report["rows_in"].as_u64().unwrap(),
        report["rows_out"].as_u64().unwrap()
            + report["rows_rejected"].as_u64().unwrap()
            + report["rows_merged"].as_u64().unwrap()
    );
    steward()
        .args(["audit", "verify"])
        .arg(path_in(&dir, "audit.jsonl"))
        .assert()
        .success()
        .stderr(predicates::str::contains("2 entries"));
}

#[test]
fn policy_failure_is_exit_1_and_locks_stop_overlapping_runs() {
    let dir = tmp();
    let j = job(&dir, "[policy]\nmax_duplicates = \"10%\"\n");
    steward()
        .args(["run"])
        .arg(&j)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("policy failed"));
    // A live run of this job holds the lock: the run refuses and says how to clear a stale lock. (The holder
    // here is a shell whose command line reads `steward run .../job.toml`, recorded as a run records itself.)
    let runs = path_in(&dir, "runs");
    let mut holder = std::process::Command::new("sh")
        .args(["-c", "sleep 60", "steward", "run"])
        .arg(&j)
        .spawn()
        .unwrap();
    let pid = holder.id();
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let start: u64 = stat[stat.rfind(')').unwrap() + 1..]
        .split_whitespace()
        .nth(19)
        .unwrap()
        .parse()
        .unwrap();
    std::fs::write(
        runs.join(".lock"),
        format!(
            "{{\"pid\":{pid},\"start\":{start},\"job\":{:?}}}\n",
            j.display().to_string()
        ),
    )
    .unwrap();
    steward()
        .args(["run"])
        .arg(&j)
        .assert()
        .code(73)
        .stderr(predicates::str::contains(
            "another run of this job is in progress",
        ))
        .stderr(predicates::str::contains("remove the file"));
    let _ = holder.kill();
    let _ = holder.wait();
    // A lock naming a live process that is not a run of this job (`echo 1 > runs/.lock`: pid 1 always
    // exists) is taken over, as is one whose pid now belongs to another process (the start time differs).
    std::fs::write(runs.join(".lock"), "1\n").unwrap();
    steward().args(["run"]).arg(&j).assert().code(1);
    std::fs::write(
        runs.join(".lock"),
        format!("{{\"pid\":{},\"start\":1}}\n", std::process::id()),
    )
    .unwrap();
    steward().args(["run"]).arg(&j).assert().code(1);
    // A lock left by a process that no longer exists is taken over.
    std::fs::write(runs.join(".lock"), "4000000000\n").unwrap();
    steward().args(["run"]).arg(&j).assert().code(1);
    assert!(
        !runs.join(".lock").exists(),
        "the lock is released after the run"
    );
    // A bad job file is a clear error.
    std::fs::write(&j, "sources = [\"x.csv\"]\nout = \"runs\"\nunknown = 1\n").unwrap();
    steward().args(["run"]).arg(&j).assert().code(65);
}

#[test]
fn diff_reports_added_removed_and_changed_customers() {
    let dir = tmp();
    let text = std::fs::read_to_string(fixture("customers.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(|l| l.to_string()).collect();
    // Remove customer 10002, change 10003's email, add a new customer.
    lines.retain(|l| !l.starts_with("10002,"));
    let i = lines.iter().position(|l| l.starts_with("10003,")).unwrap();
    let mut cells: Vec<String> = lines[i].split(',').map(|s| s.to_string()).collect();
    cells[3] = "new.address@example.com".into();
    lines[i] = cells.join(",");
    lines.push(format!("99999,新客户{}", ",".repeat(17)));
    let new = path_in(&dir, "new.csv");
    std::fs::write(&new, lines.join("\n") + "\n").unwrap();
    let changes = path_in(&dir, "changes.csv");
    let out = steward()
        .args(["diff", &fixture("customers.csv")])
        .arg(&new)
        .args(["--key", "id", "--format", "json", "--changes"])
        .arg(&changes)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let d: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        (
            d["added"].as_u64(),
            d["removed"].as_u64(),
            d["changed"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(d["changed_fields"]["email"], 1);
    let (_, rows) = read_csv(&changes);
    assert!(rows.iter().any(|r| r["key"] == "10003"
        && r["field"] == "email"
        && r["new"] == "new.address@example.com"));
    // The same customers in another format and encoding are no change at all.
    let out = steward()
        .args([
            "diff",
            &fixture("customers.csv"),
            &fixture("customers_gbk.csv"),
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let d: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(d["unchanged"], 300);
}

#[test]
fn profile_reports_columns_and_masks_personal_values() {
    let dir = tmp();
    let html = path_in(&dir, "profile.html");
    let out = steward()
        .args([
            "profile",
            &fixture("customers.csv"),
            "--as-of",
            "2026-11-01",
            "--format",
            "json",
            "--html",
        ])
        .arg(&html)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let p: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(p["rows_in"], 300);
    assert!(p["duplicate_estimate"].as_u64().unwrap() >= 15);
    let cols = p["columns"].as_array().unwrap();
    let email = cols.iter().find(|c| c["column"] == "email").unwrap();
    assert!(
        email["completeness"].as_f64().unwrap() > 0.85
            && email["completeness"].as_f64().unwrap() < 1.0
    );
    assert!(email["top_values"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["value"].as_str().unwrap().contains("***")));
    let birth = cols.iter().find(|c| c["column"] == "birth_date").unwrap();
    assert_eq!(birth["min"], "1950-02-26");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg") || page.contains("<pre"));
    assert!(!page.contains("wei.zhang@126.com"));
    let md = steward()
        .args(["profile", &fixture("customers.csv"), "--format", "md"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(md)
        .unwrap()
        .starts_with("# Data-quality profile"));
}

#[test]
fn steps_and_format_are_declared_in_the_job() {
    let dir = tmp();
    let j = job(
        &dir,
        "steps = [\"import\", \"validate\", \"normalize\"]\nformat = \"xlsx\"\n",
    );
    steward().args(["run"]).arg(&j).assert().success();
    let latest = path_in(&dir, "runs").join("latest");
    assert!(latest.join("cleaned.xlsx").exists());
    assert!(!latest.join("clusters.csv").exists() && !latest.join("segments.csv").exists());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(latest.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["rows_merged"], 0);
    std::fs::write(
        &j,
        format!(
            "sources = [{:?}]\nout = \"runs\"\nsteps = [\"import\", \"wash\"]\n",
            fixture("customers.csv")
        ),
    )
    .unwrap();
    steward()
        .args(["run"])
        .arg(&j)
        .assert()
        .code(65)
        .stderr(predicates::str::contains("unknown step \"wash\""));
}

/// Findings and rejects as workbooks for the steward who reviews them in Excel: `--findings-format xlsx` on
/// clean, `findings_format = "xlsx"` in a job; with a key they are in restricted/ as workbooks.
#[test]
fn findings_and_rejects_of_a_set_can_be_workbooks() {
    let dir = tmp();
    let out = path_in(&dir, "out");
    let key = write_key(
        &path_in(&dir, "k.key"),
        "4a1c9e7d2b6f08e35d7a9c1b3e5f7092a4c6e8f0b2d4f6a8c0e2a4c6e8f0a2b4",
    );
    steward()
        .args(["clean", &fixture("customers.csv"), "--as-of", "2026-11-01"])
        .args(["--findings-format", "xlsx", "--out"])
        .arg(&out)
        .arg("--key-file")
        .arg(&key)
        .assert()
        .success();
    for name in ["restricted/findings.xlsx", "restricted/rejects.xlsx"] {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert!(bytes.starts_with(b"PK"), "{name} is a workbook");
    }
    assert!(!out.join("restricted/findings.csv").exists());
    // The workbook holds the findings (read back through steward itself).
    steward()
        .args(["inspect"])
        .arg(out.join("restricted/findings.xlsx"))
        .assert()
        .success()
        .stdout(predicates::str::contains("rule"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let names: Vec<&str> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert!(names.contains(&"restricted/findings.xlsx"), "{names:?}");
    assert!(names.contains(&"restricted/rejects.xlsx"), "{names:?}");

    let j = job(&dir, "findings_format = \"xlsx\"\n");
    steward().args(["run"]).arg(&j).assert().success();
    let latest = path_in(&dir, "runs").join("latest");
    assert!(latest.join("findings.xlsx").exists());
    assert!(latest.join("rejects.xlsx").exists());
    let bad = job(&dir, "findings_format = \"pdf\"\n");
    steward()
        .args(["run"])
        .arg(&bad)
        .assert()
        .code(65)
        .stderr(predicates::str::contains("findings_format \"pdf\""));
}

#[test]
fn a_job_selects_the_normalization_version() {
    let dir = tmp();
    let j = job(&dir, "normalization = \"n1\"\n");
    steward().args(["run"]).arg(&j).assert().success();
    let latest = path_in(&dir, "runs").join("latest");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(latest.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["parameters"]["normalization"], "n1");
    let bad = job(&dir, "normalization = \"n3\"\n");
    let out = steward().args(["run"]).arg(&bad).assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("job.toml") && err.contains("n3"), "{err}");
}

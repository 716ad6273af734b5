//! The differential conformance suite (bench/conformance) run under CI: steward beside libphonenumber,
//! python-stdnum, email-validator, python-dateutil and frictionless, from the venv `.ci/run` creates. Skipped
//! when the venv is missing and CI is unset.

use crate::common::*;
use std::path::Path;
use std::process::Command;

#[test]
fn agreement_with_reference_implementations_holds_its_baseline() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join("bench/conformance/.venv/bin/python");
    if !python.is_file() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the conformance suite: .ci/run creates its venv (bash bench/conformance/venv.sh)"
        );
        eprintln!(
            "skipped: no venv at {} (bash bench/conformance/venv.sh)",
            python.display()
        );
        return;
    }
    let out = tmp();
    let done = Command::new(&python)
        .arg(root.join("bench/conformance/conformance.py"))
        .arg("--steward")
        .arg(env!("CARGO_BIN_EXE_steward"))
        .arg("--out")
        .arg(out.path())
        .arg("--check")
        .arg(root.join("bench/conformance/baseline.json"))
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&done.stdout);
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(
        done.status.success(),
        "conformance suite failed ({}):\n{stdout}\n{stderr}\nreport: {}",
        done.status,
        std::fs::read_to_string(out.path().join("report.md")).unwrap_or_default()
    );

    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("report.json")).expect("report.json written"),
    )
    .expect("report.json is JSON");
    let categories = report["categories"].as_array().expect("categories");
    for want in [
        "phone",
        "cn_id",
        "email",
        "date",
        "date-day-first",
        "schema",
    ] {
        let validity = categories
            .iter()
            .find(|c| c["category"] == want && c["aspect"] == "validity")
            .unwrap_or_else(|| panic!("{want}: no validity row in report.json"));
        let count = validity["count"].as_u64().unwrap();
        let agree = validity["agree"].as_u64().unwrap();
        let deliberate = validity["deliberate"].as_u64().unwrap();
        let unexplained = validity["unexplained"].as_u64().unwrap();
        assert!(count >= 200, "{want}: only {count} cases compared");
        assert_eq!(
            count,
            agree + deliberate + unexplained,
            "{want}: every case agrees, differs on purpose or is unexplained"
        );
        // Most values are plain ones both sides must agree on; a suite where they stop agreeing compares
        // nothing (a column steward no longer maps, a peer that no longer parses).
        assert!(
            agree * 10 >= count * 6,
            "{want}: only {agree} of {count} cases agree"
        );
    }
    // Every deliberate disagreement carries the reason kept in differences.toml.
    for d in report["disagreements"].as_array().expect("disagreements") {
        if d["deliberate"] != "" {
            assert!(
                d["reason"].as_str().is_some_and(|r| r.len() > 20),
                "deliberate difference without a reason: {d}"
            );
        }
    }
    let md = std::fs::read_to_string(out.path().join("report.md")).expect("report.md written");
    assert!(
        md.contains("| category | compared with | aspect | count | agree |"),
        "{md}"
    );
}

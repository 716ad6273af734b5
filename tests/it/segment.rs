//! `steward segment` on fixtures/segments.csv, whose RFM scores, tiers and stages are worked out by hand
//! (as of 2026-11-01; see fixtures/README.md).

use crate::common;
use common::*;

#[test]
fn segments_match_the_hand_worked_fixture_and_reconcile() {
    let dir = tmp();
    let out = path_in(&dir, "seg.csv");
    let json = steward()
        .args([
            "segment",
            &fixture("segments.csv"),
            "--as-of",
            "2026-11-01",
            "--format",
            "json",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let (_, rows) = read_csv(&out);
    assert_eq!(rows.len(), 11);
    // id: recency, frequency, R, F, M, segment, tier, stage
    let expected = [
        ("S01", "7", "12", "5", "5", "5", "champions", "A", "loyal"),
        ("S02", "31", "6", "4", "4", "4", "loyal", "A", "loyal"),
        ("S03", "61", "1", "4", "1", "3", "promising", "A", "new"),
        (
            "S04",
            "153",
            "3",
            "3",
            "3",
            "2",
            "need attention",
            "B",
            "active",
        ),
        ("S05", "245", "8", "2", "4", "2", "at risk", "B", "at risk"),
        (
            "S06",
            "518",
            "2",
            "2",
            "2",
            "1",
            "hibernating",
            "B",
            "churned",
        ),
        ("S07", "1035", "1", "1", "1", "1", "lost", "C", "churned"),
        ("S08", "", "0", "", "", "", "", "C", "prospect"),
        ("S09", "", "", "", "", "", "", "", "unknown"),
        ("S10", "", "4", "", "", "", "", "C", "unknown"),
        (
            "S11",
            "2",
            "2",
            "5",
            "2",
            "3",
            "potential loyalist",
            "A",
            "active",
        ),
    ];
    for (id, rec, freq, r, f, m, seg, tier, stage) in expected {
        let row = row_with(&rows, "id", id);
        assert_eq!(
            (
                row["recency_days"].as_str(),
                row["frequency"].as_str(),
                row["r_score"].as_str(),
                row["f_score"].as_str(),
                row["m_score"].as_str(),
                row["rfm_segment"].as_str(),
                row["value_tier"].as_str(),
                row["lifecycle_stage"].as_str()
            ),
            (rec, freq, r, f, m, seg, tier, stage),
            "{id}"
        );
    }
    let s: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(s["rows"], 11);
    assert_eq!(s["scored"], 8);
    assert_eq!(s["last_purchase_missing"], 2);
    assert_eq!(s["last_purchase_invalid"], 1);
    for key in ["segments", "tiers", "stages"] {
        let total: u64 = s[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["customers"].as_u64().unwrap())
            .sum();
        assert_eq!(total, 11, "{key} reconcile to the row count");
    }
    let a = s["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "A")
        .unwrap();
    assert_eq!(a["customers"], 4);
    assert_eq!(a["total_spend"], 9000.0);
}

#[test]
fn missing_fields_and_bad_thresholds_are_clear_errors() {
    steward()
        .args(["segment", &fixture("bad/header_only.csv"), "-o", "-"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("last_purchase_date"));
    steward()
        .args([
            "segment",
            &fixture("segments.csv"),
            "-o",
            "-",
            "--tiers",
            "90,80",
        ])
        .assert()
        .code(2);
    steward()
        .args([
            "segment",
            &fixture("segments.csv"),
            "-o",
            "-",
            "--churn-days",
            "30",
        ])
        .assert()
        .code(2);
}

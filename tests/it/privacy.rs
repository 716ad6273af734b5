//! `steward key`, `pseudonymize`, `reveal`, `risk` and `erase` on the fixtures: no personal value leaks into
//! a pseudonymized output, tokens are stable with one key and differ with another, erasure removes every
//! spelling of an identifier and its receipt holds no personal data.

use crate::common;
use common::*;
use predicates::prelude::*;
use std::collections::HashMap;
use std::path::Path;

const KEY_A: &str = "0581691fa8477839c940f8e2bd625b5d6c0526100de3651e3f36bdd7ac03a157";
const KEY_B: &str = "aa1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1bb";

fn write_key(dir: &tempfile::TempDir, name: &str, hex: &str) -> std::path::PathBuf {
    let p = path_in(dir, name);
    std::fs::write(&p, format!("{hex}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    p
}

/// The fixture's personal values, raw and normalized (E.164 phones, cleaned names), via `steward normalize`.
fn personal_values(dir: &tempfile::TempDir, src: &str) -> Vec<String> {
    let norm = path_in(dir, "norm.csv");
    let raw = path_in(dir, "raw.csv");
    steward()
        .args(["normalize", src, "--default-region", "CN", "-o"])
        .arg(&norm)
        .assert()
        .success();
    steward()
        .args(["import", src, "-o"])
        .arg(&raw)
        .assert()
        .success();
    let mut values = Vec::new();
    for f in [&norm, &raw] {
        let (_, rows) = read_csv(f);
        for r in &rows {
            for col in ["name", "email", "mobile", "resident_id"] {
                let v = r.get(col).map(|s| s.trim().to_string()).unwrap_or_default();
                // The formula guard may have added an apostrophe to a phone such as +86...
                let v = v.trim_start_matches('\'').to_string();
                if v.chars().count() >= 2 {
                    values.push(v);
                }
            }
        }
    }
    values.sort();
    values.dedup();
    values
}

#[test]
fn key_new_is_private_and_key_id_reveals_nothing() {
    let dir = tmp();
    let k = path_in(&dir, "team.key");
    steward().args(["key", "new"]).arg(&k).assert().success();
    let text = std::fs::read_to_string(&k).unwrap();
    assert_eq!(text.trim().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&k).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let out = steward().args(["key", "id"]).arg(&k).assert().success();
    let id = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(id.trim().starts_with("kid_"));
    assert!(!text.contains(&id.trim()[4..]));
    // The same key through the environment has the same id.
    steward()
        .args(["key", "id"])
        .env("STEWARD_KEY", text.trim())
        .assert()
        .success()
        .stdout(id.clone());
    // Never overwritten without --force, never written to stdout.
    steward().args(["key", "new"]).arg(&k).assert().code(73);
    steward().args(["key", "new", "-"]).assert().code(2);
}

#[test]
fn weak_or_exposed_keys_are_refused() {
    let dir = tmp();
    let short = write_key(&dir, "short.key", &KEY_A[..48]);
    steward()
        .args(["key", "id"])
        .arg(&short)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least 256"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let open = write_key(&dir, "open.key", KEY_A);
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
        steward()
            .args(["key", "id"])
            .arg(&open)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("chmod 600"));
    }
    // No key at all: a clear usage error, and the key never appears in any message.
    let out = path_in(&dir, "out.csv");
    steward()
        .env_remove("STEWARD_KEY")
        .args(["pseudonymize", &fixture("customers.csv"), "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a key"));
    assert!(!out.exists());
}

#[test]
fn no_personal_value_appears_in_a_pseudonymized_output() {
    for src in ["customers.csv", "customers_gbk.csv", "customers.xlsx"] {
        let dir = tmp();
        let key = write_key(&dir, "k.key", KEY_A);
        let out = path_in(&dir, "share.csv");
        let assert = steward()
            .args([
                "pseudonymize",
                &fixture(src),
                "--default-region",
                "CN",
                "--key-file",
            ])
            .arg(&key)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        let values = personal_values(&dir, &fixture(src));
        assert!(
            values.len() > 500,
            "{src}: {} personal values",
            values.len()
        );
        let data = std::fs::read_to_string(&out).unwrap();
        let meta = std::fs::read_to_string(format!("{}.meta.json", out.display())).unwrap();
        for v in &values {
            assert!(
                !data.contains(v.as_str()),
                "{src}: {v:?} leaked into the output"
            );
            assert!(
                !meta.contains(v.as_str()),
                "{src}: {v:?} leaked into the metadata"
            );
            assert!(
                !stderr.contains(v.as_str()),
                "{src}: {v:?} leaked into the summary"
            );
        }
        assert!(!data.contains(KEY_A) && !meta.contains(KEY_A) && !stderr.contains(KEY_A));
        let m: serde_json::Value = serde_json::from_str(&meta).unwrap();
        assert_eq!(m["status"], "pseudonymized personal data");
        assert!(m["legal_note"].as_str().unwrap().contains("PIPL"));
        assert!(m["key_id"].as_str().unwrap().starts_with("kid_"));
        assert_eq!(m["rows_in"], 300);
        assert_eq!(m["rows_out"], 300);
        let (headers, rows) = read_csv(&out);
        assert_eq!(rows.len(), 300);
        assert!(
            !headers.contains(&"备注".to_string()),
            "unknown columns are dropped"
        );
        assert!(rows
            .iter()
            .all(|r| r["email"].is_empty() || r["email"].starts_with("em_")));
        assert!(rows
            .iter()
            .all(|r| r["mobile"].is_empty() || r["mobile"].starts_with("ph_")));
        // Quasi-identifiers generalized: birth year, 3-character postcode.
        assert!(rows.iter().all(|r| r["birth_date"].len() <= 4));
        assert!(rows.iter().all(|r| r["postcode"].chars().count() <= 3));
    }
}

fn tokens_by_id(
    dir: &tempfile::TempDir,
    src: &str,
    key: &Path,
    domain: &str,
    name: &str,
) -> HashMap<String, String> {
    let out = path_in(dir, name);
    steward()
        .args([
            "pseudonymize",
            src,
            "--default-region",
            "CN",
            "--keep",
            "id",
            "--domain",
            domain,
        ])
        .arg("--key-file")
        .arg(key)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let (_, rows) = read_csv(&out);
    rows.iter()
        .map(|r| (r["id"].clone(), format!("{}|{}", r["email"], r["mobile"])))
        .collect()
}

#[test]
fn tokens_are_stable_across_runs_and_files_and_differ_with_another_key_or_domain() {
    let dir = tmp();
    let a = write_key(&dir, "a.key", KEY_A);
    let b = write_key(&dir, "b.key", KEY_B);
    let csv = tokens_by_id(&dir, &fixture("customers.csv"), &a, "default", "1.csv");
    let again = tokens_by_id(&dir, &fixture("customers.csv"), &a, "default", "2.csv");
    let semi = tokens_by_id(
        &dir,
        &fixture("customers_semicolon.csv"),
        &a,
        "default",
        "3.csv",
    );
    let xlsx = tokens_by_id(&dir, &fixture("customers.xlsx"), &a, "default", "4.csv");
    assert_eq!(csv, again);
    assert_eq!(csv, semi);
    // The workbook types some ids as numbers; compare the ids both have.
    let shared = csv.keys().filter(|k| xlsx.contains_key(*k)).count();
    assert!(shared > 250);
    assert!(csv.iter().all(|(k, v)| xlsx.get(k).is_none_or(|x| x == v)));
    let other_key = tokens_by_id(&dir, &fixture("customers.csv"), &b, "default", "5.csv");
    let other_domain = tokens_by_id(&dir, &fixture("customers.csv"), &a, "vendor-a", "6.csv");
    for other in [&other_key, &other_domain] {
        let same = csv
            .iter()
            .filter(|(k, v)| v.as_str() != "|" && other.get(*k) == Some(*v))
            .count();
        assert_eq!(same, 0);
    }

    // Spellings of one identifier give one token.
    let variants = path_in(&dir, "variants.csv");
    std::fs::write(
        &variants,
        "id,email,mobile\n1,Zhang.Wei@Example.COM,+86 138 1234 5678\n2, zhang.wei@example.com ,0086-13812345678\n3,ｚｈａｎｇ.ｗｅｉ@example.com,１３８１２３４５６７８\n",
    )
    .unwrap();
    let t = tokens_by_id(&dir, variants.to_str().unwrap(), &a, "default", "7.csv");
    assert_eq!(t["1"], t["2"]);
    assert_eq!(t["1"], t["3"]);
}

#[test]
fn flags_choose_actions_and_reveal_decrypts() {
    let dir = tmp();
    let key = write_key(&dir, "k.key", KEY_A);
    let out = path_in(&dir, "share.csv");
    steward()
        .args([
            "pseudonymize",
            &fixture("customers.csv"),
            "--encrypt",
            "email",
            "--mask",
            "name",
            "--generalize",
            "birth_date=age10,postcode=2",
            "--drop",
            "resident_id",
            "--keep",
            "备注",
            "--as-of",
            "2026-11-01",
            "--key-file",
        ])
        .arg(&key)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let (headers, rows) = read_csv(&out);
    assert!(!headers.contains(&"resident_id".to_string()));
    assert!(headers.contains(&"备注".to_string()));
    let zhang = rows.iter().find(|r| r["_row"] == "3").unwrap();
    assert_eq!(zhang["name"], "张*");
    assert_eq!(zhang["birth_date"], "30-39");
    assert_eq!(zhang["postcode"], "10");
    assert!(zhang["email"].starts_with("enc_"));
    let back = path_in(&dir, "back.csv");
    steward()
        .args(["reveal"])
        .arg(&out)
        .arg("--key-file")
        .arg(&key)
        .args(["--columns", "email", "-o"])
        .arg(&back)
        .assert()
        .success();
    let (_, revealed) = read_csv(&back);
    let zhang = revealed.iter().find(|r| r["_row"] == "3").unwrap();
    assert_eq!(zhang["email"], "wei.zhang@126.com");
    // Another key cannot reveal anything.
    let other = write_key(&dir, "b.key", KEY_B);
    steward()
        .args(["reveal"])
        .arg(&out)
        .arg("--key-file")
        .arg(&other)
        .args(["-o", "-"])
        .assert()
        .code(65);
    // Unkeyed hashing is refused outright.
    steward()
        .args(["pseudonymize", &fixture("customers.csv"), "--key-file"])
        .arg(&key)
        .args(["--generalize", "email=sha256", "-o", "-"])
        .assert()
        .code(2);
}

#[test]
fn consent_only_keeps_customers_who_agreed_and_counts_reconcile() {
    let dir = tmp();
    let key = write_key(&dir, "k.key", KEY_A);
    let out = path_in(&dir, "share.csv");
    let mapping = path_in(&dir, "mapping.csv");
    steward()
        .args([
            "pseudonymize",
            &fixture("customers.csv"),
            "--consent-field",
            "营销同意",
            "--consent-only",
        ])
        .args(["--report-format", "json", "--key-file"])
        .arg(&key)
        .arg("--mapping")
        .arg(&mapping)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let m: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}.meta.json", out.display())).unwrap(),
    )
    .unwrap();
    let (rows_in, rows_out, excluded) = (
        m["rows_in"].as_u64().unwrap(),
        m["rows_out"].as_u64().unwrap(),
        m["rows_excluded_no_consent"].as_u64().unwrap(),
    );
    assert_eq!(rows_in, rows_out + excluded);
    assert!(excluded > 50 && rows_out > 50);
    let (_, rows) = read_csv(&out);
    assert!(rows.iter().all(
        |r| ["yes", "1", "true", "是", "y", "Y", "TRUE", "Yes", "同意"]
            .contains(&r["marketing_consent"].trim())
    ));
    // The mapping re-identifies: owner-only, and it holds the originals.
    let text = std::fs::read_to_string(&mapping).unwrap();
    assert!(text.starts_with("token,column,value"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&mapping).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn risk_reports_small_groups_and_k_anonymization_fixes_them() {
    let dir = tmp();
    let key = write_key(&dir, "k.key", KEY_A);
    let q = "birth_date,gender,postcode";
    let out = steward()
        .args([
            "risk",
            &fixture("customers.csv"),
            "--quasi",
            q,
            "-k",
            "5",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let r: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(r["rows"], 300);
    assert_eq!(r["k_anonymous"], false);
    assert!(r["records_below_k"].as_u64().unwrap() > 100);
    assert_eq!(r["smallest_group"], 1);
    assert!(!r["riskiest_combinations"].as_array().unwrap().is_empty());

    let safe = path_in(&dir, "safe.csv");
    steward()
        .args([
            "pseudonymize",
            &fixture("customers.csv"),
            "--k",
            "5",
            "--quasi",
            q,
            "--max-suppress",
            "10%",
        ])
        .arg("--key-file")
        .arg(&key)
        .arg("-o")
        .arg(&safe)
        .assert()
        .success();
    let m: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}.meta.json", safe.display())).unwrap(),
    )
    .unwrap();
    let suppressed = m["rows_suppressed"].as_u64().unwrap();
    assert!(suppressed <= 30);
    assert_eq!(
        m["rows_in"].as_u64().unwrap(),
        m["rows_out"].as_u64().unwrap() + suppressed
    );
    steward()
        .arg("risk")
        .arg(&safe)
        .args(["--quasi", q, "-k", "5"])
        .assert()
        .success();
}

#[test]
fn erase_removes_every_spelling_and_the_receipt_holds_no_personal_data() {
    let dir = tmp();
    let key = write_key(&dir, "k.key", KEY_A);
    let requests = path_in(&dir, "requests.txt");
    // Customer 10002 (张伟) by an upper-case email, 10001 (00123) by id, a phone in another format, a
    // resident ID with a lower-case x, and one that matches nobody.
    std::fs::write(
        &requests,
        "# erasure requests\nWEI.ZHANG@126.COM\nid:00123\n0086 135-9179-2479\n11010119930215627x\nnobody@example.org\n",
    )
    .unwrap();
    let out = path_in(&dir, "erased.csv");
    let receipt = path_in(&dir, "receipt.json");
    let src = fixture("customers.csv");
    let before = std::fs::read(&src).unwrap();
    steward()
        .args(["erase", &src, "--requests"])
        .arg(&requests)
        .arg("--key-file")
        .arg(&key)
        .arg("-o")
        .arg(&out)
        .arg("--receipt")
        .arg(&receipt)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&src).unwrap(),
        before,
        "the input is never modified"
    );
    let (headers, rows) = read_csv(&out);
    assert_eq!(headers[0], "客户编号", "one source keeps its own columns");
    assert_eq!(rows.len(), 298);
    assert!(rows
        .iter()
        .all(|r| r["客户编号"] != "00123" && r["客户编号"] != "10002"));
    let text = std::fs::read_to_string(&receipt).unwrap();
    for secret in [
        "zhang",
        "ZHANG",
        "00123",
        "13591792479",
        "11010119930215627",
        "nobody",
    ] {
        assert!(!text.contains(secret), "{secret} in the receipt");
    }
    let r: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["rows_in"], 300);
    assert_eq!(r["rows_out"], 298);
    assert_eq!(r["rows_removed"], 2);
    assert_eq!(r["requests_without_match"], 1);
    let reqs = r["requests"].as_array().unwrap();
    assert_eq!(reqs.len(), 5);
    assert!(reqs[0]["token"].as_str().unwrap().starts_with("em_"));
    assert_eq!(reqs[0]["rows_removed"], 1);
    assert_eq!(reqs[2]["rows_removed"], 1);
    assert_eq!(reqs[3]["rows_removed"], 1);
    assert_eq!(reqs[4]["rows_removed"], 0);
    assert_eq!(r["inputs"][0]["sha256"].as_str().unwrap().len(), 64);

    // The same requests against the Excel copy and the GBK copy find the same people.
    for other in ["customers.xlsx", "customers_gbk.csv"] {
        // Each source is written in its own format.
        let out2 = path_in(&dir, &format!("erased-{other}"));
        let receipt2 = path_in(&dir, &format!("receipt-{other}.json"));
        steward()
            .args(["erase", &fixture(other), "--requests"])
            .arg(&requests)
            .arg("--key-file")
            .arg(&key)
            .arg("-o")
            .arg(&out2)
            .arg("--receipt")
            .arg(&receipt2)
            .assert()
            .success();
        let r2: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&receipt2).unwrap()).unwrap();
        assert_eq!(r2["rows_removed"], 2, "{other}");
        assert_eq!(r2["requests"][0]["token"], reqs[0]["token"]);
    }
}

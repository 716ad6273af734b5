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

/// Rows whose e-mails and phones n1 normalized apart: IDN domains written as A-labels, `00` with Hong Kong's
/// own code, a trunk digit in brackets, a vanity number, a Mexican number dialled from Hong Kong.
const IDN_AND_PHONES: &str = "id,email,mobile,country
1,user@münchen.de,00852 2123 4567,HK
2,user@xn--mnchen-3ya.de,Tel: 00852 2123 4567,HK
3,User@MÜNCHEN.de,+1 (1) 800 234 5785,US
4,info@例子.中国,+1-800-FLOWERS,US
5,info@xn--fsqu00a.xn--fiqs8s,138 1234 5678,CN
6,zhang.san@qq.com,008 52 55 1234 5678,HK
7,Faß@Faß.de,+44 (0) 20 7946 0958,GB
8,a@xn--fa-hia.de,0151 07379650,DE
";

/// The tokens of `IDN_AND_PHONES` with KEY_A and domain "default", computed by the binary before n2 existed
/// (main at bb80a6b, `pseudonymize --token email,mobile`): n1 must give them byte for byte.
const N1_TOKENS: [(&str, &str); 8] = [
    (
        "em_8d91facff8dad9fdd04c950f8d6ee105",
        "ph_209c1850854320a28b76092ecf944cbb",
    ),
    (
        "em_2a8d8446424ddc53c22f446bd5b3d705",
        "ph_e43bf9fb8d6ede6b688976cbf88eebdd",
    ),
    (
        "em_8d91facff8dad9fdd04c950f8d6ee105",
        "ph_d8dff1c909c601f763cb4466a4d923f8",
    ),
    (
        "em_10517a6d584ed676e3f73bbe67cdbb02",
        "ph_f0b0cc147dc36b7dcaaadb2f78db02a0",
    ),
    (
        "em_8eea2c77e8ffb8fbfdac0d4920f69f87",
        "ph_91802d8d51352b33552f169e40321dc4",
    ),
    (
        "em_4be83ddeaf9f75fb542550e6d7fd69e0",
        "ph_6ba3908c37a6685d7492934542fea012",
    ),
    (
        "em_f03252a014b1b780e763b960fb70b1c2",
        "ph_30ed6f4a7f297eed38834ea6055b75d1",
    ),
    (
        "em_488af3093a857ce691e9c7a8607ea9e0",
        "ph_d677ef161f2932dd43671ec8c376bcf7",
    ),
];

/// The (email, mobile) tokens of a pseudonymized `IDN_AND_PHONES`, and the normalization its metadata records.
fn pseudonymized_tokens(
    dir: &tempfile::TempDir,
    name: &str,
    extra: &[&str],
) -> (Vec<(String, String)>, String) {
    let src = path_in(dir, "idn.csv");
    std::fs::write(&src, IDN_AND_PHONES).unwrap();
    let key = write_key(dir, "k.key", KEY_A);
    let out = path_in(dir, name);
    steward()
        .arg("pseudonymize")
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .arg("--key-file")
        .arg(&key)
        .args(["--token", "email,mobile", "--keep", "id,country"])
        .args(extra)
        .assert()
        .success();
    let (_, rows) = read_csv(&out);
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}.meta.json", out.display())).unwrap(),
    )
    .unwrap();
    (
        rows.iter()
            .map(|r| (r["email"].clone(), r["mobile"].clone()))
            .collect(),
        meta["normalization_version"].as_str().unwrap().to_string(),
    )
}

#[test]
fn normalization_n1_reproduces_the_old_tokens_and_n2_gives_one_token_per_address() {
    let dir = tmp();
    let pinned: Vec<(String, String)> = N1_TOKENS
        .iter()
        .map(|(e, p)| (e.to_string(), p.to_string()))
        .collect();
    let (n1, version) = pseudonymized_tokens(&dir, "n1.csv", &["--normalization", "n1"]);
    assert_eq!(version, "n1");
    assert_eq!(
        n1, pinned,
        "n1 gives the tokens made before n2, byte for byte"
    );
    // A policy file selects it too.
    let policy = path_in(&dir, "policy.toml");
    std::fs::write(&policy, "normalization = \"n1\"\n").unwrap();
    let (by_policy, version) =
        pseudonymized_tokens(&dir, "policy.csv", &["--policy", policy.to_str().unwrap()]);
    assert_eq!((by_policy, version.as_str()), (pinned.clone(), "n1"));

    let (n2, version) = pseudonymized_tokens(&dir, "n2.csv", &[]);
    assert_eq!(version, "n2", "n2 is the default");
    // One address, one token: münchen.de and xn--mnchen-3ya.de; 例子.中国 and its A-labels.
    assert_eq!(n2[0].0, n2[1].0);
    assert_eq!(n2[0].0, n2[2].0, "the local part is compared without case");
    assert_eq!(n2[3].0, n2[4].0);
    assert_ne!(n1[0].0, n1[1].0);
    // One number, one token: 00852 in a Hong Kong row is Hong Kong, however it is written.
    assert_eq!(n2[0].1, n2[1].1);
    assert_ne!(n1[0].1, n1[1].1);
    // What n2 changes: A-label addresses, and the phones n1 misread; the rest keeps its token.
    let changed: Vec<usize> = (0..8).filter(|&i| n1[i] != n2[i]).map(|i| i + 1).collect();
    assert_eq!(changed, [2, 3, 4, 5, 6, 8]);
    for i in [0, 6] {
        assert_eq!(n1[i], n2[i], "row {}", i + 1);
    }
    assert_eq!(
        n1[0].0, n2[0].0,
        "an address written in Unicode keeps its token"
    );

    // The version is refused by name when unknown.
    steward()
        .args([
            "pseudonymize",
            "x.csv",
            "-o",
            "y.csv",
            "--normalization",
            "n3",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown normalization version \"n3\"",
        ));
    std::fs::write(&policy, "domain = \"d\"\nnormalization = \"n3\"\n").unwrap();
    steward()
        .args(["pseudonymize", "idn.csv", "-o", "z.csv", "--policy"])
        .arg(&policy)
        .current_dir(dir.path())
        .env("STEWARD_KEY", KEY_A)
        .assert()
        .code(65)
        .stderr(predicate::str::contains(
            "policy.toml: invalid policy at line 2: unknown variant `n3`, expected `n1` or `n2`",
        ));
}

#[test]
fn erase_receipt_tokens_follow_the_normalization_and_matching_finds_every_spelling() {
    let dir = tmp();
    let src = path_in(&dir, "idn.csv");
    std::fs::write(&src, IDN_AND_PHONES).unwrap();
    let key = write_key(&dir, "k.key", KEY_A);
    let requests = path_in(&dir, "requests.txt");
    std::fs::write(&requests, "user@xn--mnchen-3ya.de\n").unwrap();
    let run = |version: &str| {
        let out = path_in(&dir, &format!("erased-{version}.csv"));
        let receipt = path_in(&dir, &format!("receipt-{version}.json"));
        steward()
            .arg("erase")
            .arg(&src)
            .arg("--requests")
            .arg(&requests)
            .arg("--key-file")
            .arg(&key)
            .args(["--normalization", version, "-o"])
            .arg(&out)
            .arg("--receipt")
            .arg(&receipt)
            .assert()
            .success();
        let r: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&receipt).unwrap()).unwrap();
        let (_, rows) = read_csv(&out);
        (r, rows.iter().map(|r| r["id"].clone()).collect::<Vec<_>>())
    };
    let (n1, kept1) = run("n1");
    let (n2, kept2) = run("n2");
    assert_eq!(n1["normalization_version"], "n1");
    assert_eq!(n2["normalization_version"], "n2");
    // The receipt names the request by the token it had in data tokenized under that version.
    assert_eq!(n1["requests"][0]["token"], N1_TOKENS[1].0);
    assert_eq!(n2["requests"][0]["token"], N1_TOKENS[0].0);
    // Either way the person is found however the address was written (rows 1 to 3).
    assert_eq!(kept1, ["4", "5", "6", "7", "8"]);
    assert_eq!(kept1, kept2);
}

#[test]
fn clean_n1_keeps_the_old_tokens_and_n2_merges_the_spellings() {
    let dir = tmp();
    let src = path_in(&dir, "idn.csv");
    std::fs::write(&src, IDN_AND_PHONES).unwrap();
    let key = write_key(&dir, "k.key", KEY_A);
    let run = |version: &str| {
        let out = path_in(&dir, &format!("set-{version}"));
        steward()
            .arg("clean")
            .arg(&src)
            .arg("--out")
            .arg(&out)
            .arg("--key-file")
            .arg(&key)
            .args(["--as-of", "2026-12-01", "--normalization", version])
            .assert()
            .success();
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap())
                .unwrap();
        let (_, rows) = read_csv(&out.join("cleaned.csv"));
        (manifest, rows)
    };
    let (m1, rows1) = run("n1");
    let (m2, rows2) = run("n2");
    assert_eq!(m1["parameters"]["normalization"], "n1");
    assert_eq!(m2["parameters"]["normalization"], "n2");
    let pairs = |rows: &[HashMap<String, String>]| -> Vec<(String, String)> {
        rows.iter()
            .map(|r| (r["email"].clone(), r["mobile"].clone()))
            .collect()
    };
    // n1: the cleaned dataset main's binary wrote before n2 (rows 1 to 4 rejected for their phone numbers:
    // +52…, too long, letters), token for token.
    let pinned: Vec<(String, String)> = [
        N1_TOKENS[4],
        (N1_TOKENS[5].0, "ph_00d835ca5dec7ed6ba5e68bfe096b028"),
        N1_TOKENS[6],
        N1_TOKENS[7],
    ]
    .iter()
    .map(|(e, p)| (e.to_string(), p.to_string()))
    .collect();
    assert_eq!(pairs(&rows1), pinned);
    // n2: those phone numbers are valid, and rows 1 and 2 (münchen.de, xn--mnchen-3ya.de; 00852 …) are
    // one customer: one golden record of two.
    assert_eq!(rows2.len(), 7);
    assert_eq!(
        (
            rows2[0]["email"].as_str(),
            rows2[0]["cluster_size"].as_str()
        ),
        (N1_TOKENS[0].0, "2")
    );
    assert!(rows2.iter().all(|r| r["email"] != N1_TOKENS[1].0));
}

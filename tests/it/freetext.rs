//! Identifiers embedded in free text: `pseudonymize` and clean's protect stage replace them in kept columns
//! by the tokens they get in their own columns; a labelled set generated here measures recall and that no
//! order number, amount or date is touched; `inspect` masks them in samples; `risk` and `pseudonymize --k`
//! name the kept columns that single records out.

use crate::common;
use common::*;
use std::collections::HashMap;

const KEY: &str = "0581691fa8477839c940f8e2bd625b5d6c0526100de3651e3f36bdd7ac03a157";

fn key_file(dir: &tempfile::TempDir) -> std::path::PathBuf {
    write_key(&path_in(dir, "k.key"), KEY)
}

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

const DANVERS: &str = "name,email,mobile,country,company,notes
Carol Danvers,carol.danvers@example.com,+44 7700 900444,GB,Danvers Ltd carol.danvers@example.com +44 7700 900444,\"Bob's mobile 07700900333, order ORD-2024-001234 ¥1,234.50 on 2024-03-05\"
张三,zhang@163.com,13812345678,CN,三和贸易,身份证110101199003077651 手机１３８１２３４５６７８ 订单号202403051234567
";

/// The issue's example: `company` = `Danvers Ltd carol.danvers@example.com +44 7700 900444` survived the
/// default policy. Now each identifier is its column's token; order numbers, amounts and dates stay.
#[test]
fn pseudonymize_replaces_embedded_identifiers_by_their_column_tokens() {
    let dir = tmp();
    let src = path_in(&dir, "f.csv");
    std::fs::write(&src, DANVERS).unwrap();
    let out = path_in(&dir, "out.csv");
    let a = steward()
        .args(["pseudonymize"])
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .arg("--key-file")
        .arg(key_file(&dir))
        .args(["--keep", "notes"])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    let (_, rows) = read_csv(&out);
    let carol = &rows[0];
    assert_eq!(
        carol["company"],
        format!("Danvers Ltd {} {}", carol["email"], carol["mobile"])
    );
    assert!(carol["email"].starts_with("em_") && carol["mobile"].starts_with("ph_"));
    let notes = &carol["notes"];
    assert!(!notes.contains("07700900333"), "{notes}");
    assert!(notes.starts_with("Bob's mobile ph_"), "{notes}");
    assert!(notes.ends_with(", order ORD-2024-001234 ¥1,234.50 on 2024-03-05"));
    let zhang = &rows[1];
    assert_eq!(zhang["company"], "三和贸易");
    // The full-width mobile is the same number as the column's: the same token.
    assert!(
        zhang["notes"].contains(&format!("手机{}", zhang["mobile"])),
        "{}",
        zhang["notes"]
    );
    assert!(zhang["notes"].starts_with("身份证ri_"));
    assert!(zhang["notes"].ends_with(" 订单号202403051234567"));
    for raw in ["carol.danvers", "900444", "110101199003077651", "１３８"] {
        assert!(
            !std::fs::read_to_string(&out).unwrap().contains(raw),
            "{raw}"
        );
    }
    // Reported per column: the summary and the metadata.
    assert!(
        err.contains(
            "embedded identifiers replaced by their tokens in 1 value(s): 1 email, 1 phone number"
        ),
        "{err}"
    );
    let meta = json(&path_in(&dir, "out.csv.meta.json"));
    let cols = meta["columns"].as_array().unwrap();
    let col = |n: &str| cols.iter().find(|c| c["column"] == n).unwrap().clone();
    assert_eq!(
        col("notes")["embedded_redacted"],
        serde_json::json!({"email": 0, "phone": 2, "resident_id": 1})
    );
    assert_eq!(col("company")["embedded_redacted"]["email"], 1);
    assert!(col("email").get("embedded_redacted").is_none());
}

/// `--no-scan COLS` (or `no_scan = [...]` in a policy file) writes a kept column exactly as it came.
#[test]
fn no_scan_keeps_a_column_as_it_came() {
    let dir = tmp();
    let src = path_in(&dir, "f.csv");
    std::fs::write(&src, DANVERS).unwrap();
    let key = key_file(&dir);
    let out = path_in(&dir, "out.csv");
    steward()
        .args(["pseudonymize"])
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .arg("--key-file")
        .arg(&key)
        .args(["--keep", "notes", "--no-scan", "notes"])
        .assert()
        .success();
    let (_, rows) = read_csv(&out);
    assert!(rows[0]["notes"].starts_with("Bob's mobile 07700900333"));
    assert!(rows[0]["company"].starts_with("Danvers Ltd em_"));
    let policy = path_in(&dir, "p.toml");
    std::fs::write(
        &policy,
        "no_scan = [\"company\"]\n[columns]\nnotes = \"keep\"\n",
    )
    .unwrap();
    steward()
        .args(["pseudonymize"])
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .arg("--key-file")
        .arg(&key)
        .arg("--policy")
        .arg(&policy)
        .arg("--force")
        .assert()
        .success();
    let (_, rows) = read_csv(&out);
    assert!(rows[0]["company"].contains("carol.danvers@example.com"));
    assert!(rows[0]["notes"].starts_with("Bob's mobile ph_"));
}

/// `clean --key-file`'s protect stage goes through the same stage: the shared cleaned file carries tokens.
#[test]
fn clean_protect_stage_replaces_embedded_identifiers() {
    let dir = tmp();
    let src = path_in(&dir, "f.csv");
    std::fs::write(&src, DANVERS).unwrap();
    let out = path_in(&dir, "out");
    steward()
        .args(["clean"])
        .arg(&src)
        .args(["--as-of", "2026-11-01", "--out"])
        .arg(&out)
        .arg("--key-file")
        .arg(key_file(&dir))
        .assert()
        .success();
    let meta = json(&out.join("cleaned.meta.json"));
    let output = meta["output"].as_str().unwrap().to_string();
    let text = std::fs::read_to_string(out.join(&output)).unwrap();
    assert!(!text.contains("carol.danvers@example.com"), "{text}");
    assert!(!text.contains("7700 900444"), "{text}");
    let company = meta["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == "company")
        .unwrap()
        .clone();
    assert_eq!(
        company["embedded_redacted"],
        serde_json::json!({"email": 1, "phone": 1, "resident_id": 0})
    );
    // The report says it too, per column of each protected file.
    let report = json(&out.join("report.json"));
    let company = report["protection"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == "company")
        .unwrap()
        .clone();
    assert_eq!(company["embedded_redacted"]["email"], 1);
}

// ---------------------------------------------------------------------------------------------------------
// The labelled set: notes mixing identifiers with look-alikes, generated deterministically here (the same
// design as bench/freetext/gen_notes.py, written independently), scored on the binary's output.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

fn resident_id(r: &mut Rng) -> String {
    let region = r.pick(&["110101", "310104", "440305", "510104"]);
    let body = format!(
        "{region}{}{:02}{:02}{}",
        1950 + r.below(55),
        1 + r.below(12),
        1 + r.below(28),
        r.digits(3)
    );
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

fn phone(r: &mut Rng, country: &str) -> String {
    match country {
        "CN" => {
            let n = format!("{}{}", r.pick(&["138", "139", "186", "150"]), r.digits(8));
            match r.below(5) {
                0 => n.clone(),
                1 => format!("{} {} {}", &n[..3], &n[3..7], &n[7..]),
                2 => format!("+86 {}-{}-{}", &n[..3], &n[3..7], &n[7..]),
                3 => n
                    .chars()
                    .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
                    .collect(),
                _ => format!("010-6{}", r.digits(7)),
            }
        }
        "GB" => {
            let t = r.digits(3);
            match r.below(3) {
                0 => format!("07700 900{t}"),
                1 => format!("+44 7700 900{t}"),
                _ => format!("020 7946 0{t}"),
            }
        }
        _ => {
            let (area, ex, line) = (
                r.pick(&["212", "415", "646"]),
                200 + r.below(800),
                r.digits(4),
            );
            match r.below(3) {
                0 => format!("({area}) {ex}-{line}"),
                1 => format!("{area}.{ex}.{line}"),
                _ => format!("+1 {area} {ex} {line}"),
            }
        }
    }
}

fn lookalike(r: &mut Rng) -> String {
    let (y, m, d) = (2019 + r.below(8), 1 + r.below(12), 1 + r.below(28));
    match r.below(14) {
        0 => format!("ORD-{y}-{}", r.digits(6)),
        1 => format!("#1{}", r.digits(8)),
        2 => format!("¥{},{}.{}", 1 + r.below(99), r.digits(3), r.digits(2)),
        3 => format!("${},000", 1 + r.below(99)),
        4 => format!("{y}-{m:02}-{d:02}"),
        5 => format!("{d:02}/{m:02}/{y}"),
        6 => format!("{y}{m:02}{d:02}"),
        7 => format!("{:02}:{:02}", r.below(24), r.below(60)),
        8 => r
            .pick(&["SW1A 1AA", "100020", "10001", "10001-1234"])
            .to_string(),
        9 => format!("1Z{}AA1{}", r.digits(3), r.digits(13)),
        10 => format!("SF{}", r.digits(13)),
        11 => format!("订单号{y}{m:02}{d:02}{}", r.digits(7)),
        12 => format!("INV-{y}{m:02}{d:02}-{}", r.digits(4)),
        _ => format!("4111 {} {} {}", r.digits(4), r.digits(4), r.digits(4)),
    }
}

struct Labelled {
    csv: String,
    /// Per row: the identifiers as written, and the look-alikes.
    rows: Vec<(Vec<String>, Vec<String>)>,
}

fn labelled_set(n: usize, seed: u64) -> Labelled {
    let mut r = Rng(seed);
    let mut csv = String::from("id,country,email,mobile,notes\n");
    let mut rows = Vec::new();
    for i in 0..n {
        let country = r.pick(&["CN", "CN", "GB", "US"]);
        let email = format!(
            "{}{}@{}",
            r.pick(&["carol", "li.na", "j.smith", "wang_fang"]),
            r.below(1000),
            r.pick(&["example.com", "163.com", "corp.co.uk"])
        );
        let own_phone = phone(&mut r, country);
        let mut parts: Vec<String> = Vec::new();
        let (mut ids, mut looks) = (Vec::new(), Vec::new());
        for _ in 0..r.below(3) {
            let id = match r.below(5) {
                0 | 1 => email.clone(),
                2 | 3 => phone(&mut r, country),
                _ => resident_id(&mut r),
            };
            let label = r.pick(&["", "tel ", "手机", "email: ", "ID "]);
            parts.push(format!("{label}{id}"));
            ids.push(id);
        }
        for _ in 0..1 + r.below(3) {
            let l = lookalike(&mut r);
            parts.push(l.clone());
            looks.push(l);
        }
        for _ in 0..1 + r.below(3) {
            parts.push(
                r.pick(&["please call back", "客户", "退款", "refund", "。", "VIP"])
                    .to_string(),
            );
        }
        // Shuffle, then join with spaces, commas or Chinese punctuation.
        for k in (1..parts.len()).rev() {
            let j = r.below(k as u64 + 1) as usize;
            parts.swap(k, j);
        }
        let mut note = String::new();
        for (k, p) in parts.iter().enumerate() {
            if k > 0 {
                note.push_str(r.pick(&[" ", ", ", "，", "; "]));
            }
            note.push_str(p);
        }
        csv.push_str(&format!(
            "C{i},{country},{email},\"{own_phone}\",\"{}\"\n",
            note.replace('"', "\"\"")
        ));
        rows.push((ids, looks));
    }
    Labelled { csv, rows }
}

/// Recall of embedded identifiers at least 0.99 and precision at least 0.99 on a generated labelled set, no
/// order number, amount, date, postcode or tracking number replaced: measured on the binary's output.
#[test]
fn labelled_notes_recall_and_no_lookalike_replaced() {
    let dir = tmp();
    let set = labelled_set(1500, 20261206);
    let src = path_in(&dir, "notes.csv");
    std::fs::write(&src, &set.csv).unwrap();
    let out = path_in(&dir, "out.csv");
    steward()
        .args(["pseudonymize"])
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .arg("--key-file")
        .arg(key_file(&dir))
        .args(["--keep", "notes", "-q"])
        .assert()
        .success();
    let (_, rows) = read_csv(&out);
    assert_eq!(rows.len(), set.rows.len());
    let token = regex::Regex::new(r"(em|ph|ri)_[0-9a-f]{32}").unwrap();
    let (mut ids, mut replaced, mut looks, mut kept, mut tokens) = (0, 0, 0, 0, 0);
    let mut missed = Vec::new();
    for (row, (want, lookalikes)) in rows.iter().zip(&set.rows) {
        let note = &row["notes"];
        tokens += token.find_iter(note).count();
        for id in want {
            ids += 1;
            if note.contains(id.as_str()) {
                missed.push((id.clone(), note.clone()));
            } else {
                replaced += 1;
            }
        }
        for l in lookalikes {
            looks += 1;
            kept += usize::from(note.contains(l.as_str()));
        }
    }
    let recall = replaced as f64 / ids as f64;
    let precision = replaced as f64 / tokens.max(1) as f64;
    eprintln!("identifiers {replaced}/{ids} (recall {recall:.4}), tokens {tokens} (precision {precision:.4}), look-alikes kept {kept}/{looks}");
    assert!(ids > 1000, "the set holds identifiers: {ids}");
    assert!(
        recall >= 0.99,
        "recall {recall}: missed {:?}",
        &missed[..missed.len().min(5)]
    );
    assert!(precision >= 0.99, "precision {precision}");
    assert_eq!(kept, looks, "every order number, amount, date... stays");
}

#[test]
fn the_labelled_set_is_deterministic() {
    let a = labelled_set(50, 7);
    let b = labelled_set(50, 7);
    assert_eq!(a.csv, b.csv);
    let counts: HashMap<bool, usize> = a.rows.iter().fold(HashMap::new(), |mut m, (ids, _)| {
        *m.entry(ids.is_empty()).or_default() += 1;
        m
    });
    assert!(counts.get(&false).copied().unwrap_or(0) > 20);
}

/// `inspect` masked mapped personal fields but showed unmapped columns raw (`Bob's mobile 07700900333`): the
/// identifiers inside any column's samples are masked now, the rest of the text shown; --unmask shows all.
#[test]
fn inspect_masks_identifiers_inside_unmapped_columns() {
    let dir = tmp();
    let src = path_in(&dir, "i.csv");
    std::fs::write(
        &src,
        "name,notes,Email 2\nBob,\"Bob's mobile 07700900333, ORD-2024-001234 on 2024-03-05\",bob2@example.org\n",
    )
    .unwrap();
    let out = steward().arg("inspect").arg(&src).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("Bob's mobile 077****03"), "{text}");
    assert!(text.contains("b***@example.org"), "{text}");
    assert!(
        !text.contains("07700900333") && !text.contains("bob2@"),
        "{text}"
    );
    let out = steward()
        .arg("inspect")
        .arg(&src)
        .args(["--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let notes = &v["sources"][0]["columns"][1];
    assert_eq!(
        notes["samples"][0],
        "Bob's mobile 077****0333, ORD-2024-001234 on 2024-03-05"
    );
    assert_eq!(notes["samples_masked"], true);
    let out = steward()
        .arg("inspect")
        .arg(&src)
        .args(["--unmask", "--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(
        v["sources"][0]["columns"][1]["samples"][0],
        "Bob's mobile 07700900333, ORD-2024-001234 on 2024-03-05"
    );
}

/// Records where neither signup_date nor total_spend is unique alone, but most are on the two together;
/// the quasi-identifiers (birth year, gender) are coarse, so k-anonymity over them holds.
fn singling_csv(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let mut r = Rng(42);
    let mut csv = String::from("id,birth_date,gender,signup_date,total_spend,marketing_consent\n");
    for i in 0..600 {
        csv.push_str(&format!(
            "{i},{}-01-01,{},2024-{:02}-{:02},{}.00,{}\n",
            1980 + r.below(3),
            r.pick(&["F", "M"]),
            1 + r.below(3),
            1 + r.below(10),
            100 + 10 * r.below(30),
            r.pick(&["yes", "no"]),
        ));
    }
    let p = path_in(dir, "singling.csv");
    std::fs::write(&p, csv).unwrap();
    p
}

/// After `pseudonymize --k 5`, columns of privacy class none could still single people out and nobody said
/// so; `risk` and `pseudonymize --k` now name them, in the human and the JSON summary.
#[test]
fn risk_and_pseudonymize_k_name_kept_columns_that_single_records_out() {
    let dir = tmp();
    let src = singling_csv(&dir);
    let out = steward()
        .arg("risk")
        .arg(&src)
        .args(["-k", "5", "--quasi", "birth_date,gender"])
        .assert();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let line =
        regex::Regex::new(r"(\d+) of 600 records unique on signup_date\+total_spend").unwrap();
    let unique: u64 = line.captures(&text).unwrap_or_else(|| panic!("{text}"))[1]
        .parse()
        .unwrap();
    assert!(unique > 300, "{text}");
    assert!(text.contains(
        "kept columns (privacy class none, shared as they are) that make most records unique"
    ));
    // Neither column alone makes most records unique.
    assert!(!text.contains("unique on signup_date\n") && !text.contains("unique on total_spend\n"));
    let out = steward()
        .arg("risk")
        .arg(&src)
        .args([
            "-k",
            "5",
            "--quasi",
            "birth_date,gender",
            "--format",
            "json",
        ])
        .assert();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(
        v["kept_columns_singling_out"][0],
        serde_json::json!({"columns": ["signup_date", "total_spend"], "unique_records": unique, "records": 600})
    );

    let shared = path_in(&dir, "share.csv");
    let a = steward()
        .arg("pseudonymize")
        .arg(&src)
        .arg("-o")
        .arg(&shared)
        .arg("--key-file")
        .arg(key_file(&dir))
        .args(["--k", "5", "--quasi", "birth_date,gender"])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("kept columns outside the quasi-identifiers still single records out"),
        "{err}"
    );
    assert!(line.is_match(&err), "{err}");
    let meta = json(&path_in(&dir, "share.csv.meta.json"));
    assert_eq!(
        meta["k_anonymity"]["kept_columns_singling_out"][0]["columns"],
        serde_json::json!(["signup_date", "total_spend"])
    );
    // Generalized, the pair no longer singles most records out.
    let a = steward()
        .arg("pseudonymize")
        .arg(&src)
        .arg("-o")
        .arg(&shared)
        .arg("--key-file")
        .arg(key_file(&dir))
        .args([
            "--k",
            "5",
            "--quasi",
            "birth_date,gender",
            "--generalize",
            "signup_date=month",
            "--force",
        ])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(!err.contains("still single records out"), "{err}");
}

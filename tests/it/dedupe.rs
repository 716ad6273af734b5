//! `steward dedupe` on the fixtures: the planted duplicate pairs are found and nothing else is merged, from
//! CSV, GBK and Excel alike; golden records, clusters, pairs, merge map, review and labels, explain, link
//! and incremental runs with stable golden ids.

use crate::common;
use common::*;
use std::collections::{BTreeSet, HashMap};

/// The 20 planted pairs of fixtures/README.md (customer ids).
const PLANTED: [(&str, &str); 20] = [
    ("10076", "10058"),
    ("10019", "10025"),
    ("10103", "10056"),
    ("10290", "10016"),
    ("10210", "10060"),
    ("10164", "10090"),
    ("10278", "10041"),
    ("10101", "10157"),
    ("10169", "10057"),
    ("10115", "10184"),
    ("10230", "10269"),
    ("10135", "10061"),
    ("10032", "10055"),
    ("10248", "10246"),
    ("10144", "10023"),
    ("10038", "10035"),
    ("10295", "10198"),
    ("10277", "10088"),
    ("10030", "10158"),
    ("10263", "10177"),
];

fn planted() -> BTreeSet<(String, String)> {
    PLANTED
        .iter()
        .map(|(a, b)| {
            let (a, b) = if a < b { (a, b) } else { (b, a) };
            (a.to_string(), b.to_string())
        })
        .collect()
}

/// Pairs of ids that share a cluster in a clusters file.
fn clustered_pairs(rows: &[HashMap<String, String>]) -> BTreeSet<(String, String)> {
    let mut by: HashMap<&str, Vec<String>> = HashMap::new();
    for r in rows {
        let id = r["id"].trim_start_matches('\'').to_string();
        by.entry(r["cluster_id"].as_str()).or_default().push(id);
    }
    let mut out = BTreeSet::new();
    for ids in by.values() {
        for i in 0..ids.len() {
            for j in i + 1..ids.len() {
                let (a, b) = if ids[i] < ids[j] {
                    (&ids[i], &ids[j])
                } else {
                    (&ids[j], &ids[i])
                };
                out.insert((a.clone(), b.clone()));
            }
        }
    }
    out
}

#[test]
fn finds_exactly_the_planted_duplicates_and_reconciles() {
    for src in [
        "customers.csv",
        "customers_gbk.csv",
        "customers.xlsx",
        "customers_semicolon.csv",
    ] {
        let dir = tmp();
        let (golden, clusters, map, pairs) = (
            path_in(&dir, "golden.csv"),
            path_in(&dir, "clusters.csv"),
            path_in(&dir, "map.csv"),
            path_in(&dir, "pairs.csv"),
        );
        let out = steward()
            .args(["dedupe", &fixture(src), "--report-format", "json", "-o"])
            .arg(&golden)
            .arg("--clusters")
            .arg(&clusters)
            .arg("--merge-map")
            .arg(&map)
            .arg("--pairs")
            .arg(&pairs)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let r: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(r["rows_in"], 300, "{src}");
        assert_eq!(r["golden_records"], 280, "{src}");
        assert_eq!(r["rows_merged"], 20, "{src}");
        let (_, crows) = read_csv(&clusters);
        assert_eq!(crows.len(), 300);
        let mut found = clustered_pairs(&crows);
        // The workbook types one id as a number; ids are compared as text.
        found = found
            .into_iter()
            .map(|(a, b)| {
                (
                    a.trim_end_matches(".0").to_string(),
                    b.trim_end_matches(".0").to_string(),
                )
            })
            .collect();
        assert_eq!(found, planted(), "{src}");
        assert!(crows
            .iter()
            .filter(|r| r["cluster_size"] == "2")
            .all(|r| r["match_probability"].parse::<f64>().unwrap() >= 0.9));
        let (gcols, grows) = read_csv(&golden);
        assert_eq!(grows.len(), 280);
        assert_eq!(gcols[0], "golden_id");
        assert!(gcols.contains(&"_lineage".to_string()));
        let (_, mrows) = read_csv(&map);
        assert_eq!(mrows.len(), 300);
        let golden_ids: BTreeSet<&str> = grows.iter().map(|r| r["golden_id"].as_str()).collect();
        assert!(mrows
            .iter()
            .all(|r| golden_ids.contains(r["golden_id"].as_str())));
        let (pcols, prows) = read_csv(&pairs);
        assert!(prows.len() >= 20);
        assert!(
            pcols.iter().any(|c| c == "email_level") && pcols.iter().any(|c| c == "email_weight")
        );
    }
}

#[test]
fn golden_records_keep_the_best_values_and_say_where_they_came_from() {
    let dir = tmp();
    let src = path_in(&dir, "crm.csv");
    std::fs::write(
        &src,
        "id,name,email,mobile,birth_date,address,city,updated_at\n\
         1,Li Na,li.na@example.com,13812345678,1990-05-01,,Beijing,2023-01-01\n\
         2,LI NA,li.na@example.com,+86 138 1234 5678,1990-05-01,1 Chang'an Ave,Beijing,2025-06-01\n\
         3,Wang Fang,wang.fang@example.com,13900001111,1985-02-03,9 Nanjing Rd,Shanghai,2024-01-01\n",
    )
    .unwrap();
    let golden = path_in(&dir, "golden.csv");
    steward()
        .args(["dedupe"])
        .arg(&src)
        .arg("-o")
        .arg(&golden)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "3 rows in = 2 golden records + 1 rows merged",
        ));
    let (_, rows) = read_csv(&golden);
    assert_eq!(rows.len(), 2);
    let li = &rows[0];
    assert_eq!(li["cluster_size"], "2");
    // The most recent record is the base; a field it lacks comes from the other member, recorded as lineage.
    assert_eq!(li["_row"], "3");
    assert_eq!(li["address"], "1 Chang'an Ave");
    assert_eq!(li["updated_at"], "2025-06-01");
    assert_eq!(rows[1]["_lineage"], "");
}

#[test]
fn explain_review_and_labels() {
    let dir = tmp();
    let src = fixture("customers.csv");
    let out = steward()
        .args(["dedupe", &src, "--explain", "10019", "10025"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("same customer"), "{text}");
    assert!(text.contains("email"));
    let out = steward()
        .args([
            "dedupe",
            &src,
            "--explain",
            "10019",
            "10002",
            "--report-format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let e: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(e["same_cluster"], false);
    assert!(e["probability"].as_f64().unwrap() < 0.5);
    assert!(!e["items"].as_array().unwrap().is_empty());
    steward()
        .args(["dedupe", &src, "--explain", "10019", "nobody"])
        .assert()
        .code(2);

    // A review file with a decision column; a steward's "not a match" on a planted pair splits it.
    let review = path_in(&dir, "review.csv");
    steward()
        .args([
            "dedupe",
            &src,
            "--review-lower",
            "0.0",
            "--threshold",
            "0.9",
            "-o",
        ])
        .arg(path_in(&dir, "g.csv"))
        .arg("--review")
        .arg(&review)
        .assert()
        .success();
    let (cols, _) = read_csv(&review);
    assert!(cols.contains(&"decision".to_string()) && cols.contains(&"name_a".to_string()));
    let labels = path_in(&dir, "labels.csv");
    // Rows as steward numbers them (a quoted note spans two lines, so the line is not the record's index).
    let imported = path_in(&dir, "imported.csv");
    steward()
        .args(["import", &src, "-o"])
        .arg(&imported)
        .assert()
        .success();
    let (_, irows) = read_csv(&imported);
    let row_of = |id: &str| irows.iter().find(|r| r["id"] == id).unwrap()["_row"].clone();
    std::fs::write(
        &labels,
        format!(
            "_source_a,_row_a,_source_b,_row_b,decision\n{src},{},{src},{},not a match\n",
            row_of("10019"),
            row_of("10025")
        ),
    )
    .unwrap();
    let clusters = path_in(&dir, "clusters.csv");
    steward()
        .args(["dedupe", &src, "-o"])
        .arg(path_in(&dir, "g2.csv"))
        .arg("--clusters")
        .arg(&clusters)
        .arg("--labels")
        .arg(&labels)
        .assert()
        .success()
        .stderr(predicates::str::contains("labels: 1 decided pair"))
        // The model alone accepts 10019/10025 (one cluster above): the label rejected it.
        .stderr(predicates::str::contains(
            "labels changed 1 pair(s): 0 accepted that the model alone did not accept, 1 rejected that it \
             accepted; 0 as the model alone had them",
        ))
        .stderr(predicates::str::contains("weights the labels moved most: "));
    let (_, rows) = read_csv(&clusters);
    let found = clustered_pairs(&rows);
    assert_eq!(found.len(), 19);
    assert!(!found.contains(&("10019".to_string(), "10025".to_string())));

    // Labelled matches measure the blocking: 10032/10055 share an email (a candidate pair), 10002/10003 share
    // no key (never compared), so blocking reached one of the two.
    std::fs::write(
        &labels,
        format!(
            "_source_a,_row_a,_source_b,_row_b,decision\n{src},{},{src},{},match\n{src},{},{src},{},match\n",
            row_of("10032"),
            row_of("10055"),
            row_of("10002"),
            row_of("10003")
        ),
    )
    .unwrap();
    steward()
        .args(["dedupe", &src, "-o"])
        .arg(path_in(&dir, "g3.csv"))
        .arg("--labels")
        .arg(&labels)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "blocking recall: the blocking rules made candidate pairs of 1 of 2 labelled matches (50.0 %; by rule: email 1, ",
        ))
        .stderr(predicates::str::contains(format!(
            "; missed: {} & {}",
            "10002", "10003"
        )))
        // 10002/10003 were never compared: only the label makes them one customer.
        .stderr(predicates::str::contains(
            "1 accepted that the model alone did not accept",
        ));
    // Labels taken from a review file were candidate pairs: a full recall over them is said to be so.
    std::fs::write(
        &labels,
        format!(
            "_source_a,_row_a,_source_b,_row_b,decision\n{src},{},{src},{},match\n",
            row_of("10032"),
            row_of("10055"),
        ),
    )
    .unwrap();
    steward()
        .args(["dedupe", &src, "-o"])
        .arg(path_in(&dir, "g4.csv"))
        .arg("--labels")
        .arg(&labels)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "of 1 of 1 labelled matches (100.0 %; by rule: email 1, ",
        ))
        .stderr(predicates::str::contains(
            "pairs from a review file were candidates by construction",
        ));
}

/// Split the fixture: data rows in `first` go to A, the rest to B (same header).
fn split_fixture(
    dir: &tempfile::TempDir,
    first: &dyn Fn(&str) -> bool,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let text = std::fs::read_to_string(fixture("customers_semicolon.csv")).unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let (a, b) = (path_in(dir, "a.csv"), path_in(dir, "b.csv"));
    let mut wa = csv::Writer::from_path(&a).unwrap();
    let mut wb = csv::Writer::from_path(&b).unwrap();
    wa.write_record(&headers).unwrap();
    wb.write_record(&headers).unwrap();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        if first(&rec[0]) {
            wa.write_record(&rec).unwrap();
        } else {
            wb.write_record(&rec).unwrap();
        }
    }
    wa.flush().unwrap();
    wb.flush().unwrap();
    (a, b)
}

#[test]
fn link_two_lists() {
    let dir = tmp();
    // A holds the first of each planted pair and every other customer; B the second of each pair.
    let seconds: Vec<&str> = PLANTED.iter().map(|(_, b)| *b).collect();
    let (a, b) = split_fixture(&dir, &|id| !seconds.contains(&id));
    let out = path_in(&dir, "links.csv");
    steward()
        .args(["dedupe", "--link"])
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains("linked 20 of 20 rows of B"));
    let (_, rows) = read_csv(&out);
    for (x, y) in PLANTED {
        let r = rows.iter().find(|r| r["id"] == y).unwrap();
        assert_eq!(r["match_id"], x);
    }
}

#[test]
fn incremental_runs_keep_golden_ids() {
    let dir = tmp();
    let seconds: Vec<&str> = PLANTED.iter().map(|(_, b)| *b).collect();
    // The first run knows everyone but the second of each planted pair, plus 10 new customers held back.
    let held: Vec<String> = (280..290).map(|n| format!("{}", 10000 + n)).collect();
    let (old, new) = split_fixture(&dir, &|id| {
        !seconds.contains(&id) && !held.iter().any(|h| h == id)
    });
    let golden = path_in(&dir, "golden.csv");
    steward()
        .args(["dedupe"])
        .arg(&old)
        .arg("-o")
        .arg(&golden)
        .assert()
        .success();
    let (_, before) = read_csv(&golden);
    let id_of: HashMap<String, String> = before
        .iter()
        .map(|r| (r["id"].clone(), r["golden_id"].clone()))
        .collect();

    let updated = path_in(&dir, "updated.csv");
    let map = path_in(&dir, "map.csv");
    let out = steward()
        .args(["dedupe"])
        .arg(&new)
        .arg("--against")
        .arg(&golden)
        .arg("-o")
        .arg(&updated)
        .arg("--merge-map")
        .arg(&map)
        .args(["--report-format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let r: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let inc = &r["incremental"];
    assert_eq!(inc["golden_before"].as_u64().unwrap(), before.len() as u64);
    let new_customers = held
        .iter()
        .filter(|h| !seconds.contains(&h.as_str()))
        .count() as u64;
    assert_eq!(inc["golden_added"], new_customers);
    assert_eq!(inc["new_rows_matched"], 20);
    assert_eq!(inc["golden_changed"].as_array().unwrap().len(), 20);
    let (_, mrows) = read_csv(&map);
    for (x, y) in PLANTED {
        let m = mrows.iter().find(|m| m["record_id"] == y).unwrap();
        assert_eq!(m["golden_id"], id_of[x], "{y} joins {x}'s golden record");
        assert_eq!(m["status"], "matched existing");
    }
    let (_, after) = read_csv(&updated);
    assert_eq!(after.len() as u64, before.len() as u64 + new_customers);
    // Every existing golden id is still there, and new ones come after the largest.
    let ids: BTreeSet<&str> = after.iter().map(|r| r["golden_id"].as_str()).collect();
    assert!(before.iter().all(|r| ids.contains(r["golden_id"].as_str())));
    let max_before = before.iter().map(|r| r["golden_id"].clone()).max().unwrap();
    assert!(mrows
        .iter()
        .filter(|m| m["status"] == "new customer")
        .all(|m| m["golden_id"] > max_before));
}

#[test]
fn bad_settings_are_clear_errors() {
    let dir = tmp();
    let schema = path_in(&dir, "schema.toml");
    std::fs::write(
        &schema,
        "extends = \"builtin\"\n[dedupe]\nsurvivorship = { email = \"newest\" }\n",
    )
    .unwrap();
    steward()
        .args(["dedupe", &fixture("customers.csv"), "-o", "-", "--schema"])
        .arg(&schema)
        .assert()
        .code(65)
        .stderr(predicates::str::contains("survivorship"));
    steward()
        .args([
            "dedupe",
            &fixture("customers.csv"),
            "-o",
            "-",
            "--threshold",
            "1.5",
        ])
        .assert()
        .code(2);
    steward()
        .args(["dedupe", &fixture("customers.csv")])
        .assert()
        .code(2);
}

#[test]
fn link_and_incremental_runs_leave_a_manifest() {
    let dir = tmp();
    let seconds: Vec<&str> = PLANTED.iter().map(|(_, b)| *b).collect();
    let (a, b) = split_fixture(&dir, &|id| !seconds.contains(&id));
    let links = path_in(&dir, "links.csv");
    steward()
        .args(["dedupe", "--link"])
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(&links)
        .assert()
        .success();
    let golden = path_in(&dir, "golden.csv");
    steward()
        .args(["dedupe"])
        .arg(&a)
        .arg("-o")
        .arg(&golden)
        .assert()
        .success();
    let updated = path_in(&dir, "updated.csv");
    steward()
        .args(["dedupe"])
        .arg(&b)
        .arg("--against")
        .arg(&golden)
        .arg("-o")
        .arg(&updated)
        .assert()
        .success();
    for out in [&links, &golden, &updated] {
        let m: serde_json::Value = serde_json::from_slice(
            &std::fs::read(format!("{}.manifest.json", out.display())).unwrap(),
        )
        .unwrap();
        assert_eq!(m["command"], "dedupe");
        assert_eq!(m["outputs"][0]["sha256"].as_str().unwrap().len(), 64);
        assert!(!m["inputs"].as_array().unwrap().is_empty());
    }
}

/// `n` different people (header `id,name,email,mobile,birth_date,address,city,postcode`, or without email
/// and mobile unless `contacts`; ids from 100): a list large enough for the weights to be trained as on real
/// data.
fn other_people(n: usize, contacts: bool) -> String {
    const GIVEN: [&str; 16] = [
        "Oliver", "Amelia", "George", "Isla", "Arthur", "Ava", "Noah", "Mia", "Leo", "Ivy",
        "Oscar", "Freya", "Theo", "Lily", "Jack", "Rosie",
    ];
    const FAMILY: [&str; 16] = [
        "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Walker",
        "Wright", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall",
    ];
    const STREET: [&str; 6] = [
        "High Street",
        "Mill Lane",
        "Park Road",
        "Church Street",
        "Station Road",
        "Green Lane",
    ];
    const CITY: [&str; 4] = ["London", "Leeds", "York", "Bath"];
    let mut out = String::new();
    for i in 0..n {
        let (g, f) = (GIVEN[i % 16], FAMILY[(i / 16 + i * 7) % 16]);
        let contact = if contacts {
            format!(
                "{}.{}{i}@example.com,+44 7700 9{:05},",
                g.to_lowercase(),
                f.to_lowercase(),
                10000 + i * 37
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{},{g} {f},{contact}19{:02}-{:02}-{:02},{} {},{},{}\n",
            100 + i,
            40 + i % 50,
            1 + i % 12,
            1 + (i * 11) % 28,
            1 + i,
            STREET[i % 6],
            CITY[i % 4],
            1000 + i * 3
        ));
    }
    out
}

/// Cluster id per record id after `steward dedupe` of `csv`.
fn clusters_of(dir: &tempfile::TempDir, csv: &str) -> HashMap<String, String> {
    let (src, clusters) = (path_in(dir, "list.csv"), path_in(dir, "clusters.csv"));
    std::fs::write(&src, csv).unwrap();
    steward()
        .args(["dedupe"])
        .arg(&src)
        .arg("-o")
        .arg(path_in(dir, "golden.csv"))
        .arg("--clusters")
        .arg(&clusters)
        .arg("--force")
        .assert()
        .success();
    let (_, rows) = read_csv(&clusters);
    rows.iter()
        .map(|r| (r["id"].clone(), r["cluster_id"].clone()))
        .collect()
}

/// `steward dedupe list.csv --explain A B --report-format json` after `clusters_of`.
fn explain_json(dir: &tempfile::TempDir, a: &str, b: &str) -> serde_json::Value {
    let out = steward()
        .args(["dedupe"])
        .arg(path_in(dir, "list.csv"))
        .args(["--explain", a, b, "--report-format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

/// Four people written twice (ids 1-8, pairs 1-2 ... 7-8), the same in every field but one value of the
/// second record that fails validation (an impossible or future birth date, a phone number too short to be
/// one, an e-mail address with two @), among 300 others.
pub(crate) fn pairs_with_invalid_values() -> String {
    format!(
        "id,name,email,mobile,birth_date,address,city,postcode\n\
         1,Harry Norris,harry.norris@example.com,+44 7700 900123,1981-07-14,12 Elm Street,London,1001\n\
         2,Harry Norris,harry.norris@example.com,+44 7700 900123,1981-02-30,12 Elm Street,London,1001\n\
         3,Sarah Cole,sarah.cole@example.com,+44 7700 900456,1975-03-09,4 Oak Lane,Leeds,1002\n\
         4,Sarah Cole,sarah.cole@example.com,+44 7700 900456,2091-10-24,4 Oak Lane,Leeds,1002\n\
         5,Tom Hale,tom.hale@example.com,+44 7700 900789,1990-11-02,7 Ash Road,York,1003\n\
         6,Tom Hale,tom.hale@example.com,+44 7700 9,1990-11-02,7 Ash Road,York,1003\n\
         7,Ann Ward,ann.ward@example.com,+44 7700 900321,1968-05-21,3 Bay Street,Bath,1004\n\
         8,Ann Ward,ann.ward@@example.com,+44 7700 900321,1968-05-21,3 Bay Street,Bath,1004\n\
         {}",
        other_people(300, true)
    )
}

#[test]
fn invalid_values_are_compared_as_missing() {
    let dir = tmp();
    // One person per pair: the same name, email, phone and address; one record of each pair carries an
    // impossible or future birth date, a phone number too short to be one, or an e-mail address with two @.
    let csv = pairs_with_invalid_values();
    let c = clusters_of(&dir, &csv);
    for (a, b) in [("1", "2"), ("3", "4"), ("5", "6"), ("7", "8")] {
        assert_eq!(c[a], c[b], "{a} and {b} are one person");
    }
    let distinct: BTreeSet<&String> = ["1", "3", "5", "7"].iter().map(|i| &c[*i]).collect();
    assert_eq!(distinct.len(), 4);
    // The summary counts them per field.
    steward()
        .args(["dedupe"])
        .arg(path_in(&dir, "list.csv"))
        .arg("-o")
        .arg(path_in(&dir, "g.csv"))
        .arg("--force")
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "values that fail validation compared as missing (evidence of nothing): email 1, mobile 1, birth_date 2",
        ));
    // Each invalid value is a null comparison (weight 0), and --explain says why.
    for (a, b, field, written, why) in [
        (
            "1",
            "2",
            "birth_date",
            "1981-02-30",
            "is not a real date, compared as missing",
        ),
        (
            "3",
            "4",
            "birth_date",
            "2091-10-24",
            "is in the future, compared as missing",
        ),
        (
            "5",
            "6",
            "mobile",
            "+44 7700 9",
            "is not a phone number (too short for",
        ),
        (
            "7",
            "8",
            "email",
            "ann.ward@@example.com",
            "is not an e-mail address (",
        ),
    ] {
        let e = explain_json(&dir, a, b);
        assert_eq!(e["same_cluster"], true, "{a} {b}");
        let item = e["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["comparison"] == field)
            .unwrap();
        assert_eq!(item["level_name"], "null", "{a} {b}: {item}");
        assert_eq!(item["weight"], 0.0, "{a} {b}: {item}");
        let notes = e["compared_as_missing"].as_array().unwrap();
        assert_eq!(notes.len(), 1, "{notes:?}");
        let note = format!("{field}: {written} {why}");
        assert!(notes[0].as_str().unwrap().starts_with(&note), "{notes:?}");
        // the value shown is the one written
        assert!(
            item["value_b"] == written || item["value_a"] == written,
            "{item}"
        );
    }
    let out = steward()
        .args(["dedupe"])
        .arg(path_in(&dir, "list.csv"))
        .args(["--explain", "3", "4"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("note: birth_date: 2091-10-24 is in the future, compared as missing"),
        "{text}"
    );
}

#[test]
fn names_written_family_first_or_scrambled_are_one_name() {
    let people = [
        "1,Harry Norris,1981-07-14,12 Elm Street,Springfield,2000",
        "2,\"Norris, aHrry\",1981-07-14,12 Elm Street,Springfield,2000",
        "3,NORRIS Harry,1981-07-14,12 Elm Street,Springfield,2000",
        "4,Sarah Cole,1975-03-09,4 Oak Lane,Riverton,3000",
        "5,\"cOLE, sARAH\",1975-03-09,4 Oak Lane,Riverton,3000",
        // different people whose names look swapped: one town, different birth dates and streets
        "6,James Elliott,1972-03-04,9 Bay Road,Lakeside,4000",
        "7,Elliott James,1990-08-19,31 Hill Street,Lakeside,4000",
        // ... and one household: the same address
        "8,Grace Morgan,1966-12-01,5 Ash Avenue,Hillview,5000",
        "9,Morgan Grace,1958-04-22,5 Ash Avenue,Hillview,5000",
    ];
    // Without contact identifiers the names, birth date and address must do it; with email and mobile
    // columns (blank for these records) a birth-date conflict is a veto, which keeps a household apart. Without
    // them, swapped names with another birth date at the same address are what a record whose fields were
    // swapped and birth date replaced looks like (as FEBRL's duplicates do), and they are merged.
    for contacts in [false, true] {
        let dir = tmp();
        let mut csv = String::from(if contacts {
            "id,name,email,mobile,birth_date,address,city,postcode\n"
        } else {
            "id,name,birth_date,address,city,postcode\n"
        });
        for p in people {
            // the name may be quoted: the contacts go in before the birth date
            let at = p.find(",19").unwrap();
            csv.push_str(&p[..at]);
            csv.push_str(if contacts { ",,," } else { "," });
            csv.push_str(&p[at + 1..]);
            csv.push('\n');
        }
        csv.push_str(&other_people(300, contacts));
        let c = clusters_of(&dir, &csv);
        assert_eq!(c["1"], c["2"], "contacts {contacts}");
        assert_eq!(c["1"], c["3"], "contacts {contacts}");
        assert_eq!(c["4"], c["5"], "contacts {contacts}");
        assert_ne!(c["6"], c["7"], "contacts {contacts}");
        assert_eq!(c["8"] == c["9"], !contacts, "contacts {contacts}");
        let e = explain_json(&dir, "2", "3");
        assert_eq!(e["items"][0]["level_name"], "close/nickname/homophone");
        assert_eq!(e["items"][1]["level_name"], "exact");
    }
}

#[test]
fn blocks_cut_into_windows_are_named_in_the_summary_and_report() {
    let dir = tmp();
    // Twelve different customers called John Smith: one name_sorted block, too large to compare pair by pair.
    let mut csv = String::from("id,name,email,mobile,birth_date,address,city,postcode\n");
    for i in 0..12 {
        csv.push_str(&format!(
            "{},John Smith,john.smith{i}@example.com,+44 7700 9{:05},19{}-0{}-1{},{} Long Road,York,{}\n",
            1 + i,
            20000 + i * 7,
            50 + i,
            1 + i % 9,
            i % 9,
            10 + i,
            3000 + i
        ));
    }
    csv.push_str(&other_people(200, true));
    let src = path_in(&dir, "list.csv");
    std::fs::write(&src, csv).unwrap();
    let run = |json: bool| {
        let mut cmd = steward();
        cmd.args(["dedupe"])
            .arg(&src)
            .arg("-o")
            .arg(path_in(&dir, "golden.csv"))
            .arg("--force");
        if json {
            cmd.args(["--report-format", "json"]);
        }
        cmd.assert().success().get_output().clone()
    };
    let text = String::from_utf8(run(false).stderr).unwrap();
    assert!(
        text.contains(
            "blocking rule name_sorted: 1 block(s) of more than 8 rows (12 rows in all) were cut into windows of 3 \
             neighbouring records in two sort orders"
        ),
        "{text}"
    );
    // which key (masked, as the summary masks personal values), how many records and windows, and a record
    assert!(
        text.contains("key: name_sorted=j*** s**** (12 records, 20 windows, e.g. record 1)"),
        "{text}"
    );
    let r: serde_json::Value = serde_json::from_slice(&run(true).stdout).unwrap();
    let rule = r["model"]["blocking_rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["rule"] == "name_sorted")
        .unwrap()
        .clone();
    assert_eq!(rule["windowed_blocks"], 1);
    let w = &rule["largest_windowed"][0];
    assert_eq!(w["key"], serde_json::json!([["name_sorted", "j*** s****"]]));
    assert_eq!(w["records"], 12);
    assert_eq!(w["windows"], 20);
    assert_eq!(w["example"], "1");
    // No labels: no recall figure, per rule or in all.
    assert!(rule.get("labelled_reached").is_none());
    assert!(r.get("blocking_reached").is_none());
}

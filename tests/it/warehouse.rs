//! The saved model run as SQL in DuckDB (`steward model features`, `model sql`, `model cluster`) against
//! the native engine (`model score`, `dedupe --model`): on the fixtures, CRM exports with split names and two
//! address lines, and the dedupe benchmark's generated hard lists (nicknames, swapped names, CJK and pinyin,
//! moved addresses, households), every candidate pair is scored by both. Same pair set, identical levels and
//! guard bits, |delta p| <= 1e-9, and the clusters of the engine's pairs are the native clusters, byte for
//! byte. DuckDB comes from PyPI into tests/warehouse/.venv (tests/warehouse/venv.sh, which .ci/run runs);
//! without it the test is skipped on a developer's machine and fails under CI.

use crate::common;
use common::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn duckdb_python() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let py = root.join("tests/warehouse/.venv/bin/python");
    let ok = py.exists()
        && std::process::Command::new(&py)
            .args(["-c", "import duckdb"])
            .status()
            .is_ok_and(|s| s.success());
    if ok {
        return Some(py);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI: DuckDB is missing; run bash tests/warehouse/venv.sh"
    );
    eprintln!("skipping: no DuckDB venv (bash tests/warehouse/venv.sh makes it)");
    None
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) {
    steward()
        .args(args.iter().map(|a| a.as_ref()))
        .arg("-q")
        .assert()
        .success();
}

/// A scores file's pairs by (row_a, row_b): ids, levels and guard as written, and the probability.
type Scores = HashMap<(String, String), (Vec<String>, f64)>;

fn scores(path: &Path) -> (Vec<String>, Scores) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let at = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (a, b, p) = (at("row_a"), at("row_b"), at("match_probability"));
    let exact: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| h.ends_with("_level") || *h == "guard" || *h == "id_a" || *h == "id_b")
        .map(|(i, _)| i)
        .collect();
    let mut out = HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let key = (rec[a].to_string(), rec[b].to_string());
        let vals = exact.iter().map(|&i| rec[i].to_string()).collect();
        assert!(
            out.insert(key, (vals, rec[p].parse::<f64>().unwrap()))
                .is_none(),
            "a pair twice"
        );
    }
    (headers, out)
}

/// Train on `src` keeping every candidate pair, score it natively and in DuckDB, and compare.
fn differential(py: &Path, dir: &tempfile::TempDir, name: &str, src: &Path) -> usize {
    let p = |f: &str| path_in(dir, &format!("{name}-{f}"));
    let (model, feats, sql, ours, theirs) = (
        p("model.json"),
        p("features.parquet"),
        p("predict.sql"),
        p("native.csv"),
        p("duckdb.csv"),
    );
    run(&[
        &"dedupe",
        &src,
        &"--review-lower",
        &"0",
        &"--save-model",
        &model,
    ]);
    run(&[
        &"model",
        &"features",
        &src,
        &"--model",
        &model,
        &"-o",
        &feats,
    ]);
    run(&[&"model", &"sql", &"--model", &model, &"-o", &sql]);
    run(&[&"model", &"score", &src, &"--model", &model, &"-o", &ours]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = std::process::Command::new(py)
        .arg(root.join("tests/warehouse/score.py"))
        .args([&feats, &sql, &theirs])
        .status()
        .unwrap();
    assert!(status.success(), "{name}: DuckDB failed on the model's SQL");
    let (h1, native) = scores(&ours);
    let (h2, duck) = scores(&theirs);
    assert_eq!(h1, h2, "{name}: the same columns");
    let mut missing: Vec<_> = native.keys().filter(|k| !duck.contains_key(*k)).collect();
    let mut extra: Vec<_> = duck.keys().filter(|k| !native.contains_key(*k)).collect();
    missing.sort();
    extra.sort();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{name}: pairs only native {missing:?}, only DuckDB {extra:?}"
    );
    for (k, (levels, prob)) in &native {
        let (l2, p2) = &duck[k];
        assert_eq!(levels, l2, "{name}: pair {k:?} levels and guard");
        assert!(
            (prob - p2).abs() <= 1e-9,
            "{name}: pair {k:?} probability {prob} vs {p2}"
        );
    }
    // The engine's pairs clustered natively are the native clusters.
    let (c1, c2) = (p("clusters-native.csv"), p("clusters-duckdb.csv"));
    run(&[
        &"dedupe",
        &src,
        &"--model",
        &model,
        &"-o",
        &p("golden.csv"),
        &"--clusters",
        &c1,
    ]);
    run(&[
        &"model", &"cluster", &src, &"--model", &model, &"--pairs", &theirs, &"-o", &c2,
    ]);
    assert_eq!(
        std::fs::read(&c1).unwrap(),
        std::fs::read(&c2).unwrap(),
        "{name}: clusters"
    );
    native.len()
}

#[test]
fn the_model_as_duckdb_sql_scores_and_clusters_as_steward_does() {
    let Some(py) = duckdb_python() else { return };
    let dir = tmp();
    let mut lists: Vec<(String, PathBuf)> = vec![
        ("customers".into(), PathBuf::from(fixture("customers.csv"))),
        ("febrl".into(), PathBuf::from(fixture("exports/febrl.csv"))),
        (
            "hubspot".into(),
            PathBuf::from(fixture("exports/hubspot_contacts.csv")),
        ),
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for flavor in ["intl", "cn", "mix"] {
        let out = path_in(&dir, &format!("gen-{flavor}.csv"));
        let status = std::process::Command::new("python3")
            .arg(root.join("bench/dedupe/gen_dedupe.py"))
            .args([
                "--flavor",
                flavor,
                "--n",
                "2000",
                "--dup-rate",
                "0.3",
                "--seed",
                "11",
                "--quiet",
                "--out",
            ])
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success(), "generating the {flavor} list");
        lists.push((format!("gen-{flavor}"), out));
    }
    // The international list with split names and a second address line: given and family name fields (the
    // swapped-name comparisons), and part of some addresses moved to address_2 (both lines compared together).
    let split = path_in(&dir, "gen-split.csv");
    {
        let mut r = csv::Reader::from_path(path_in(&dir, "gen-intl.csv")).unwrap();
        let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let at = |n: &str| h.iter().position(|x| x == n).unwrap();
        let (name, addr) = (at("name"), at("address"));
        let mut w = csv::Writer::from_path(&split).unwrap();
        let mut head: Vec<&str> = vec!["given_name", "family_name", "address_2"];
        head.extend(
            h.iter()
                .enumerate()
                .filter(|(i, _)| *i != name)
                .map(|(_, x)| x.as_str()),
        );
        w.write_record(&head).unwrap();
        for (k, rec) in r.records().enumerate() {
            let rec = rec.unwrap();
            let (given, family) = rec[name].rsplit_once(' ').unwrap_or(("", &rec[name]));
            let (mut a1, mut a2) = (rec[addr].to_string(), String::new());
            if k % 3 == 0 {
                if let Some((num, street)) = rec[addr].split_once(' ') {
                    (a1, a2) = (street.to_string(), num.to_string());
                }
            }
            let mut row = vec![given.to_string(), family.to_string(), a2];
            for (i, v) in rec.iter().enumerate() {
                if i == addr {
                    row.push(a1.clone());
                } else if i != name {
                    row.push(v.to_string());
                }
            }
            w.write_record(&row).unwrap();
        }
        w.flush().unwrap();
    }
    lists.push(("gen-split".into(), split));
    for (name, src) in &lists {
        let n = differential(&py, &dir, name, src);
        // the CRM exports have few duplicates; the fixture and the generated lists many
        assert!(n > 0 || name == "hubspot", "{name}: no candidate pair");
        eprintln!("{name}: {n} candidate pairs scored alike");
    }
}

#[test]
fn model_sql_and_features_refuse_what_does_not_fit() {
    let dir = tmp();
    let model = path_in(&dir, "model.json");
    steward()
        .args(["dedupe", &fixture("customers.csv"), "-q", "--save-model"])
        .arg(&model)
        .assert()
        .success();
    // The SQL names the model, its versions and its input.
    let out = steward()
        .args(["model", "sql", "--model"])
        .arg(&model)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let sql = String::from_utf8(out).unwrap();
    assert!(
        sql.contains("features version 1") && sql.contains("FROM features"),
        "{sql}"
    );
    // Features are written as Parquet only, of a list that fits the model, never over an input.
    steward()
        .args([
            "model",
            "features",
            &fixture("customers.csv"),
            "-o",
            "f.csv",
            "--model",
        ])
        .arg(&model)
        .assert()
        .code(2);
    steward()
        .args([
            "model",
            "features",
            &fixture("exports/febrl.csv"),
            "--model",
        ])
        .arg(&model)
        .arg("-o")
        .arg(path_in(&dir, "f.parquet"))
        .assert()
        .code(65)
        .stderr(predicates::str::contains(
            "a model scores the fields it was trained on",
        ));
    assert!(!path_in(&dir, "f.parquet").exists());
    // `-` is stdout: Parquet on the pipe, no file called `-`.
    let out = steward()
        .current_dir(dir.path())
        .args([
            "model",
            "features",
            &fixture("customers.csv"),
            "-q",
            "-o",
            "-",
            "--model",
        ])
        .arg(&model)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        out.starts_with(b"PAR1") && out.ends_with(b"PAR1"),
        "{} bytes",
        out.len()
    );
    assert!(!path_in(&dir, "-").exists());
    steward()
        .current_dir(dir.path())
        .args([
            "model",
            "train",
            "--counts",
            "counts.csv",
            "--save-model",
            "-",
            "--model",
        ])
        .arg(&model)
        .assert()
        .code(2);
    assert!(!path_in(&dir, "-").exists());
    // Pairs scored for another model are refused.
    let other = path_in(&dir, "other.json");
    steward()
        .args([
            "dedupe",
            &fixture("exports/febrl.csv"),
            "-q",
            "--save-model",
        ])
        .arg(&other)
        .assert()
        .success();
    let other_pairs = path_in(&dir, "other-pairs.csv");
    steward()
        .args([
            "model",
            "score",
            &fixture("exports/febrl.csv"),
            "-q",
            "--model",
        ])
        .arg(&other)
        .arg("-o")
        .arg(&other_pairs)
        .assert()
        .success();
    steward()
        .args(["model", "cluster", &fixture("customers.csv"), "--model"])
        .arg(&model)
        .arg("--pairs")
        .arg(&other_pairs)
        .arg("-o")
        .arg(path_in(&dir, "c.csv"))
        .assert()
        .code(65)
        .stderr(predicates::str::contains("not for this model"));
    // Pairs of another list, or not pairs at all, are refused naming the file.
    let pairs = path_in(&dir, "pairs.csv");
    std::fs::write(&pairs, "row_a,row_b,match_probability\n1,99999,0.99\n").unwrap();
    steward()
        .args(["model", "cluster", &fixture("customers.csv"), "--model"])
        .arg(&model)
        .arg("--pairs")
        .arg(&pairs)
        .arg("-o")
        .arg(path_in(&dir, "c.csv"))
        .assert()
        .code(65)
        .stderr(predicates::str::contains("is not of this list"));
    std::fs::write(&pairs, "row_a,row_b,match_probability\n1,2,high\n").unwrap();
    steward()
        .args(["model", "cluster", &fixture("customers.csv"), "--model"])
        .arg(&model)
        .arg("--pairs")
        .arg(&pairs)
        .arg("-o")
        .arg(path_in(&dir, "c.csv"))
        .assert()
        .code(65)
        .stderr(predicates::str::contains("line 2, column 3"));
    assert!(!path_in(&dir, "c.csv").exists());
}

/// Pairwise F1 of a clusters file (`id`, `cluster_id`) against a truth file (`id`, `entity`).
fn pairwise_f1(clusters: &Path, truth: &Path) -> f64 {
    fn pairs(groups: HashMap<String, Vec<String>>) -> std::collections::HashSet<(String, String)> {
        let mut out = std::collections::HashSet::new();
        for mut ids in groups.into_values() {
            ids.sort();
            for i in 0..ids.len() {
                for j in i + 1..ids.len() {
                    out.insert((ids[i].clone(), ids[j].clone()));
                }
            }
        }
        out
    }
    let group = |path: &Path, col: &str| {
        let (_, rows) = read_csv(path);
        let mut g: HashMap<String, Vec<String>> = HashMap::new();
        for r in rows {
            g.entry(r[col].clone())
                .or_default()
                .push(r["id"].trim_start_matches('\'').to_string());
        }
        pairs(g)
    };
    let (found, truth) = (group(clusters, "cluster_id"), group(truth, "entity"));
    let tp = found.intersection(&truth).count() as f64;
    let (p, r) = (
        tp / found.len().max(1) as f64,
        tp / truth.len().max(1) as f64,
    );
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

#[test]
fn a_model_trained_from_duckdb_counts_matches_as_one_trained_natively() {
    let Some(py) = duckdb_python() else { return };
    let dir = tmp();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (list, truth) = (path_in(&dir, "mix.csv"), path_in(&dir, "truth.csv"));
    let status = std::process::Command::new("python3")
        .arg(root.join("bench/dedupe/gen_dedupe.py"))
        .args([
            "--flavor",
            "mix",
            "--n",
            "3000",
            "--dup-rate",
            "0.3",
            "--seed",
            "5",
            "--quiet",
            "--out",
        ])
        .arg(&list)
        .arg("--truth")
        .arg(&truth)
        .status()
        .unwrap();
    assert!(status.success());
    let p = |f: &str| path_in(&dir, f);
    // Trained natively (every candidate pair kept, so its scores give every candidate's pattern).
    run(&[
        &"dedupe",
        &list,
        &"--review-lower",
        &"0",
        &"--save-model",
        &p("native.json"),
        &"-o",
        &p("g.csv"),
        &"--clusters",
        &p("c-native.csv"),
    ]);
    run(&[
        &"model",
        &"features",
        &list,
        &"--model",
        &p("native.json"),
        &"-o",
        &p("f.parquet"),
    ]);
    run(&[
        &"model",
        &"sql",
        &"--counts",
        &"--model",
        &p("native.json"),
        &"-o",
        &p("counts.sql"),
    ]);
    let status = std::process::Command::new(&py)
        .arg(root.join("tests/warehouse/score.py"))
        .args([p("f.parquet"), p("counts.sql"), p("counts.csv")])
        .status()
        .unwrap();
    assert!(status.success(), "DuckDB failed on the counts SQL");
    // The candidates' patterns are exactly the native engine's.
    run(&[
        &"model",
        &"score",
        &list,
        &"--model",
        &p("native.json"),
        &"-o",
        &p("scores.csv"),
    ]);
    let (h, scored) = read_csv(&p("scores.csv"));
    let key = |r: &HashMap<String, String>| -> String {
        h.iter()
            .filter(|c| c.ends_with("_level") || *c == "guard")
            .map(|c| r[c].clone())
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut native: HashMap<String, u64> = HashMap::new();
    for r in &scored {
        *native.entry(key(r)).or_default() += 1;
    }
    let (_, counts) = read_csv(&p("counts.csv"));
    let mut duck: HashMap<String, u64> = HashMap::new();
    let mut random = 0u64;
    for r in &counts {
        match r["source"].as_str() {
            "candidates" => *duck.entry(key(r)).or_default() += r["n"].parse::<u64>().unwrap(),
            "random" => random += r["n"].parse::<u64>().unwrap(),
            "records" => assert_eq!(r["n"], "3000"),
            other => panic!("source {other}"),
        }
    }
    assert_eq!(native, duck, "candidate patterns");
    assert!(random > 900_000, "{random} random pairs");
    // Trained from those counts, the model finds the same duplicates as the one trained natively.
    run(&[
        &"model",
        &"train",
        &"--model",
        &p("native.json"),
        &"--counts",
        &p("counts.csv"),
        &"--save-model",
        &p("warehouse.json"),
    ]);
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p("warehouse.json")).unwrap()).unwrap();
    assert_eq!(m["trained"]["rows"], 3000);
    assert_eq!(
        m["trained"]["candidate_pairs"].as_u64().unwrap(),
        scored.len() as u64
    );
    run(&[
        &"dedupe",
        &list,
        &"--model",
        &p("warehouse.json"),
        &"-o",
        &p("g2.csv"),
        &"--clusters",
        &p("c-warehouse.csv"),
    ]);
    let (f_native, f_warehouse) = (
        pairwise_f1(&p("c-native.csv"), &truth),
        pairwise_f1(&p("c-warehouse.csv"), &truth),
    );
    eprintln!("F1 trained natively {f_native:.4}, from DuckDB's counts {f_warehouse:.4}");
    assert!(f_native > 0.9, "{f_native}");
    assert!(
        f_warehouse >= f_native - 0.01,
        "{f_warehouse} vs {f_native}"
    );
}

#[test]
fn shards_featurized_apart_score_as_the_whole_list() {
    let Some(py) = duckdb_python() else { return };
    let dir = tmp();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let whole = path_in(&dir, "whole.csv");
    let status = std::process::Command::new("python3")
        .arg(root.join("bench/dedupe/gen_dedupe.py"))
        .args([
            "--flavor",
            "intl",
            "--n",
            "2000",
            "--dup-rate",
            "0.3",
            "--seed",
            "3",
            "--quiet",
            "--out",
        ])
        .arg(&whole)
        .status()
        .unwrap();
    assert!(status.success());
    // Two shards of the list, 1,200 and 800 records, each featurized on its own.
    let text = std::fs::read_to_string(&whole).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let p = |f: &str| path_in(&dir, f);
    for (name, part) in [
        ("shard-1.csv", &records[..1200]),
        ("shard-2.csv", &records[1200..]),
    ] {
        let mut w = csv::Writer::from_path(p(name)).unwrap();
        w.write_record(&headers).unwrap();
        for rec in part {
            w.write_record(rec).unwrap();
        }
        w.flush().unwrap();
    }
    run(&[
        &"dedupe",
        &whole,
        &"--review-lower",
        &"0",
        &"--save-model",
        &p("model.json"),
    ]);
    for (shard, offset) in [("shard-1", "0"), ("shard-2", "1200")] {
        run(&[
            &"model",
            &"features",
            &p(&format!("{shard}.csv")),
            &"--model",
            &p("model.json"),
            &"--row-offset",
            &offset,
            &"-o",
            &p(&format!("features-{shard}.parquet")),
        ]);
    }
    run(&[
        &"model",
        &"sql",
        &"--model",
        &p("model.json"),
        &"-o",
        &p("predict.sql"),
    ]);
    let status = std::process::Command::new(&py)
        .arg(root.join("tests/warehouse/score.py"))
        .arg(p("features-shard-*.parquet"))
        .args([p("predict.sql"), p("duckdb.csv")])
        .status()
        .unwrap();
    assert!(status.success());
    // Natively: the two shards read as one list, in order.
    run(&[
        &"model",
        &"score",
        &p("shard-1.csv"),
        &p("shard-2.csv"),
        &"--model",
        &p("model.json"),
        &"-o",
        &p("native.csv"),
    ]);
    let (_, native) = scores(&p("native.csv"));
    let (_, duck) = scores(&p("duckdb.csv"));
    assert!(native.len() > 500, "{}", native.len());
    assert_eq!(native.len(), duck.len());
    for (k, (levels, prob)) in &native {
        let (l2, p2) = duck
            .get(k)
            .unwrap_or_else(|| panic!("pair {k:?} missing from DuckDB's"));
        assert_eq!(levels, l2, "pair {k:?}");
        assert!((prob - p2).abs() <= 1e-9);
    }
    // Features made for one model are refused by another model's SQL, before anything is scored.
    let other = p("other.json");
    run(&[
        &"dedupe",
        &fixture("exports/febrl.csv"),
        &"--save-model",
        &other,
    ]);
    run(&[&"model", &"sql", &"--model", &other, &"-o", &p("other.sql")]);
    let out = std::process::Command::new(&py)
        .arg(root.join("tests/warehouse/score.py"))
        .arg(p("features-shard-*.parquet"))
        .args([p("other.sql"), p("never.csv")])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("made for another model"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!p("never.csv").exists());
    // A shard past row 2^32 is refused.
    steward()
        .args(["model", "features"])
        .arg(p("shard-2.csv"))
        .arg("--model")
        .arg(p("model.json"))
        .args(["--row-offset", "4294967000", "-o"])
        .arg(p("too-far.parquet"))
        .assert()
        .code(2);
}

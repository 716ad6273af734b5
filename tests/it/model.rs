//! A trained matching model saved and reused (`dedupe --save-model`, `--model`; `clean` keeps `model.json`
//! in its set and takes `--model`; a job's `model`): the same decisions without training, refused when the
//! file is another version, does not hold together, or does not fit the input; never written over.

use crate::common;
use common::*;

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Train on the fixture list and save the model; returns its path.
fn saved_model(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let model = path_in(dir, "model.json");
    steward()
        .args(["dedupe", &fixture("customers.csv"), "-q", "--save-model"])
        .arg(&model)
        .arg("--clusters")
        .arg(path_in(dir, "clusters-trained.csv"))
        .arg("-o")
        .arg(path_in(dir, "golden-trained.csv"))
        .assert()
        .success();
    model
}

#[test]
fn a_saved_model_scores_without_training_and_decides_alike() {
    let dir = tmp();
    let model = saved_model(&dir);
    let m = json(&model);
    assert_eq!(m["format"], "steward-model");
    assert_eq!(m["version"], 2);
    assert_eq!(m["features_version"], 1);
    assert_eq!(m["config"]["birth_gate"], true);
    assert_eq!(m["trained"]["rows"], 300);
    let fields: Vec<&str> = m["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"email") && fields.contains(&"name"),
        "{fields:?}"
    );
    assert!(!m["config"]["blocking"].as_array().unwrap().is_empty());
    let comparisons = m["model"]["comparisons"].as_array().unwrap();
    assert_eq!(
        comparisons.len(),
        m["config"]["comparisons"].as_array().unwrap().len()
    );
    // No personal value: the model holds field names, levels and weights only.
    let text = std::fs::read_to_string(&model).unwrap();
    let (_, rows) = read_csv(std::path::Path::new(&fixture("customers.csv")));
    for r in rows.iter().take(50) {
        for f in ["email", "name", "phone"] {
            let v = r.get(f).map(String::as_str).unwrap_or("");
            assert!(
                v.len() < 4 || !text.contains(v),
                "{f} value {v} in the model"
            );
        }
    }

    // Scored with the saved model: nothing trained, every decision as in the run that trained it.
    let clusters = path_in(&dir, "clusters-saved.csv");
    let out = steward()
        .args([
            "dedupe",
            &fixture("customers.csv"),
            "--report-format",
            "json",
            "--model",
        ])
        .arg(&model)
        .arg("--clusters")
        .arg(&clusters)
        .arg("-o")
        .arg(path_in(&dir, "golden-saved.csv"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["model"]["saved_model"], model.display().to_string());
    assert_eq!(report["model"]["em_iterations"], 0);
    let timings: Vec<&str> = report["timings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t[0].as_str().unwrap())
        .collect();
    assert!(!timings.contains(&"u_sampling"), "{timings:?}");
    assert_eq!(
        std::fs::read(path_in(&dir, "clusters-trained.csv")).unwrap(),
        std::fs::read(&clusters).unwrap()
    );
    assert_eq!(
        std::fs::read(path_in(&dir, "golden-trained.csv")).unwrap(),
        std::fs::read(path_in(&dir, "golden-saved.csv")).unwrap()
    );
    // Saved again from the model it used: the same file, byte for byte (weights survive JSON exactly).
    let again = path_in(&dir, "again.json");
    steward()
        .args(["dedupe", &fixture("customers.csv"), "-q", "--model"])
        .arg(&model)
        .arg("--save-model")
        .arg(&again)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&model).unwrap(),
        std::fs::read(&again).unwrap()
    );

    // Another list of the same fields (the workbook export): scored by the model, the planted pairs found.
    let clusters_x = path_in(&dir, "clusters-xlsx.csv");
    steward()
        .args(["dedupe", &fixture("customers.xlsx"), "--model"])
        .arg(&model)
        .arg("--clusters")
        .arg(&clusters_x)
        .arg("-o")
        .arg(path_in(&dir, "golden-xlsx.csv"))
        .assert()
        .success()
        .stderr(predicates::str::contains("scored with the saved model"))
        .stderr(predicates::str::contains("20 clusters with duplicates"));
}

/// A generated list of 2000 customers, 30 % of them duplicated with typos (`bench/dedupe/gen_dedupe.py`).
fn generated_list(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let out = path_in(dir, "gen-intl.csv");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = std::process::Command::new("python3")
        .arg(root.join("bench/dedupe/gen_dedupe.py"))
        .args(["--flavor", "intl", "--n", "2000", "--dup-rate", "0.3"])
        .args(["--seed", "11", "--quiet", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success(), "generating the list");
    out
}

/// The birth gate: candidate pairs whose birth dates disagree outright, proposed only by the keys that hold
/// the birth year or as neighbours in birth-date order, are scored on the birth dates alone. A model saved
/// before it (format version 1, without `birth_gate`) is read with the gate off: every pair compared field by
/// field, and here the same clusters.
#[test]
fn a_model_of_format_version_1_scores_without_the_birth_gate_and_decides_alike() {
    let dir = tmp();
    let list = generated_list(&dir);
    let model = path_in(&dir, "model.json");
    let run = |model_arg: &str, model: &std::path::Path, clusters: &str| -> serde_json::Value {
        let out = steward()
            .arg("dedupe")
            .arg(&list)
            .arg(model_arg)
            .arg(model)
            .arg("--clusters")
            .arg(path_in(&dir, clusters))
            .arg("-o")
            .arg(path_in(&dir, &format!("golden-{clusters}")))
            .args(["--format", "json", "-q"])
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    let trained = run("--save-model", &model, "trained.csv");
    let gated = trained["scored_on_birth_date"].as_u64().unwrap();
    let candidates = trained["candidate_pairs"].as_u64().unwrap();
    assert!(gated > 0 && gated < candidates, "{gated} of {candidates}");

    let mut v1 = json(&model);
    v1["version"] = 1.into();
    v1["config"].as_object_mut().unwrap().remove("birth_gate");
    let old = path_in(&dir, "model-v1.json");
    std::fs::write(&old, serde_json::to_string_pretty(&v1).unwrap()).unwrap();
    let with_gate = run("--model", &model, "saved.csv");
    let without = run("--model", &old, "saved-v1.csv");
    assert_eq!(with_gate["scored_on_birth_date"], gated);
    assert_eq!(without["scored_on_birth_date"], 0);
    // The same candidates, the same decisions.
    assert_eq!(without["candidate_pairs"], candidates);
    assert_eq!(without["accepted_pairs"], trained["accepted_pairs"]);
    let clusters = |name: &str| std::fs::read(path_in(&dir, name)).unwrap();
    assert_eq!(clusters("trained.csv"), clusters("saved.csv"));
    assert_eq!(clusters("saved.csv"), clusters("saved-v1.csv"));
}

#[test]
fn a_model_that_is_not_this_version_or_does_not_hold_together_is_refused() {
    let dir = tmp();
    let model = saved_model(&dir);
    let text = std::fs::read_to_string(&model).unwrap();
    let m = json(&model);
    let variant = |name: &str, v: &serde_json::Value| {
        let p = path_in(&dir, name);
        std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
        p
    };
    let mut newer = m.clone();
    newer["version"] = 3.into();
    let mut other_features = m.clone();
    other_features["features_version"] = 99.into();
    let mut foreign = m.clone();
    foreign["format"] = "splink".into();
    let mut bad_p = m.clone();
    bad_p["model"]["comparisons"][0]["m"][2] = 1.5.into();
    let mut short_u = m.clone();
    let u = short_u["model"]["comparisons"][1]["u"].as_array().unwrap()[..2].to_vec();
    short_u["model"]["comparisons"][1]["u"] = u.into();
    let mut undeclared = m.clone();
    undeclared["fields"] = serde_json::Value::Array(
        m["fields"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["name"] != "email")
            .cloned()
            .collect(),
    );
    let mut unknown = m.clone();
    unknown["extra"] = 1.into();
    let truncated = path_in(&dir, "truncated.json");
    std::fs::write(&truncated, &text[..text.len() / 2]).unwrap();
    let cases = [
        (variant("newer.json", &newer), "model format version 3"),
        (
            variant("features.json", &other_features),
            "features version 99",
        ),
        (variant("foreign.json", &foreign), "not a steward model"),
        (variant("bad-p.json", &bad_p), "1.5 is not a probability"),
        (variant("short-u.json", &short_u), "2 u values"),
        (
            variant("undeclared.json", &undeclared),
            "uses field email, which it does not declare",
        ),
        (variant("unknown.json", &unknown), "unknown field `extra`"),
        (truncated.clone(), "truncated.json: line "),
        (
            std::path::PathBuf::from(fixture("customers.csv")),
            "line 1, column 1",
        ),
    ];
    for (path, says) in cases {
        let out = path_in(&dir, "never.csv");
        let assert = steward()
            .args(["dedupe", &fixture("customers.csv"), "--model"])
            .arg(&path)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(65);
        let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(err.contains(says), "{}: {err}", path.display());
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(!out.exists());
    }
    // A missing model is a missing input.
    steward()
        .args(["dedupe", &fixture("customers.csv"), "-o"])
        .arg(path_in(&dir, "never.csv"))
        .arg("--model")
        .arg(path_in(&dir, "absent.json"))
        .assert()
        .code(66);
}

#[test]
fn a_model_scores_only_an_input_with_its_fields() {
    let dir = tmp();
    let model = saved_model(&dir);
    // The list without its e-mail column: the model compares e-mail, so it does not fit.
    let narrow = path_in(&dir, "narrow.csv");
    let mut w = csv::Writer::from_path(&narrow).unwrap();
    let mut r = csv::Reader::from_path(fixture("customers.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    // 邮箱 is the e-mail column (the built-in schema's alias)
    let keep: Vec<usize> = (0..headers.len())
        .filter(|&i| &headers[i] != "邮箱")
        .collect();
    w.write_record(keep.iter().map(|&i| &headers[i])).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        w.write_record(keep.iter().map(|&i| &rec[i])).unwrap();
    }
    w.flush().unwrap();
    steward()
        .args(["dedupe"])
        .arg(&narrow)
        .arg("--model")
        .arg(&model)
        .arg("-o")
        .arg(path_in(&dir, "g.csv"))
        .assert()
        .code(65)
        .stderr(predicates::str::contains(
            "the model compares field email (email), which this input does not have",
        ));
    // Blocking rules other than the model's are refused: it scores the pairs it was trained on.
    let schema = path_in(&dir, "schema.toml");
    std::fs::write(
        &schema,
        "extends = \"builtin\"\n[dedupe]\nblocking = [\"email\"]\n",
    )
    .unwrap();
    steward()
        .args(["dedupe", &fixture("customers.csv"), "--schema"])
        .arg(&schema)
        .arg("--model")
        .arg(&model)
        .arg("-o")
        .arg(path_in(&dir, "g.csv"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the model blocks by its own rules",
        ));
}

#[test]
fn a_saved_model_is_never_written_over() {
    let dir = tmp();
    let model = saved_model(&dir);
    let before = std::fs::read(&model).unwrap();
    // Not the model this run reads, --force or not; not an existing file without --force.
    steward()
        .args(["dedupe", &fixture("customers.csv"), "--force", "--model"])
        .arg(&model)
        .arg("--save-model")
        .arg(&model)
        .assert()
        .code(73)
        .stderr(predicates::str::contains(
            "refusing to write over the input file",
        ));
    steward()
        .args(["dedupe", &fixture("customers.csv"), "--save-model"])
        .arg(&model)
        .assert()
        .code(73);
    assert_eq!(std::fs::read(&model).unwrap(), before);
    // Only a plain dedupe trains a model to save, and it is named as JSON.
    steward()
        .args(["dedupe", &fixture("customers.csv"), "--save-model", "m.csv"])
        .assert()
        .code(2);
    steward()
        .args([
            "dedupe",
            "--link",
            &fixture("customers.csv"),
            &fixture("customers.csv"),
        ])
        .arg("--save-model")
        .arg(path_in(&dir, "link.json"))
        .assert()
        .code(2);
}

#[test]
fn labels_refine_a_saved_model() {
    let dir = tmp();
    let model = saved_model(&dir);
    let src = fixture("customers.csv");
    let imported = path_in(&dir, "imported.csv");
    steward()
        .args(["import", &src, "-o"])
        .arg(&imported)
        .assert()
        .success();
    let (_, irows) = read_csv(&imported);
    let row_of = |id: &str| irows.iter().find(|r| r["id"] == id).unwrap()["_row"].clone();
    let labels = path_in(&dir, "labels.csv");
    std::fs::write(
        &labels,
        format!(
            "_source_a,_row_a,_source_b,_row_b,decision\n{src},{},{src},{},not a match\n",
            row_of("10019"),
            row_of("10025")
        ),
    )
    .unwrap();
    let refined = path_in(&dir, "refined.json");
    let clusters = path_in(&dir, "clusters.csv");
    steward()
        .args(["dedupe", &src, "--model"])
        .arg(&model)
        .arg("--labels")
        .arg(&labels)
        .arg("--clusters")
        .arg(&clusters)
        .arg("--save-model")
        .arg(&refined)
        .arg("-o")
        .arg(path_in(&dir, "g.csv"))
        .assert()
        .success()
        .stderr(predicates::str::contains("scored with the saved model"))
        .stderr(predicates::str::contains("refined by the labels"))
        .stderr(predicates::str::contains("1 rejected that it accepted"));
    let (_, rows) = read_csv(&clusters);
    let cluster = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap()["cluster_id"].clone();
    assert_ne!(cluster("10019"), cluster("10025"));
    let r = json(&refined);
    assert_eq!(r["trained"]["refined"], true);
    assert_eq!(r["trained"]["labels"], 1);
}

#[test]
fn a_cleanup_keeps_its_model_and_the_next_one_scores_with_it() {
    let dir = tmp();
    let first = path_in(&dir, "run1");
    steward()
        .args(["clean", &fixture("customers.csv"), "-q", "--out"])
        .arg(&first)
        .assert()
        .success();
    let model = first.join("model.json");
    let m = json(&model);
    assert_eq!(m["format"], "steward-model");
    let report = json(&first.join("report.json"));
    let listed = report["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "model.json")
        .expect("model.json in the report's outputs")
        .clone();
    assert_eq!(listed["personal_data"], false);
    let manifest = std::fs::read_to_string(first.join("manifest.json")).unwrap();
    assert!(manifest.contains("model.json"));

    let second = path_in(&dir, "run2");
    steward()
        .args(["clean", &fixture("customers.csv"), "--out"])
        .arg(&second)
        .arg("--model")
        .arg(&model)
        .assert()
        .success()
        .stderr(predicates::str::contains("(scored with the saved model"));
    let cleaned = |d: &std::path::Path| read_csv(&d.join("cleaned.csv")).1;
    assert_eq!(cleaned(&first), cleaned(&second));
    let report = json(&second.join("report.json"));
    assert_eq!(report["dedupe"]["model"]["em_iterations"], 0);
    // The run never replaces the set that holds the model it reads.
    steward()
        .args(["clean", &fixture("customers.csv"), "--force", "--out"])
        .arg(&first)
        .arg("--model")
        .arg(&model)
        .assert()
        .code(73);
    assert!(model.exists());

    // A job names its model relative to the job file.
    std::fs::copy(&model, path_in(&dir, "job-model.json")).unwrap();
    let job = path_in(&dir, "job.toml");
    std::fs::write(
        &job,
        format!(
            "sources = [{:?}]\nout = \"runs\"\nmodel = \"job-model.json\"\n",
            fixture("customers.csv")
        ),
    )
    .unwrap();
    steward().arg("run").arg(&job).assert().success();
    let report = json(&path_in(&dir, "runs").join("latest").join("report.json"));
    assert!(report["dedupe"]["model"]["saved_model"]
        .as_str()
        .unwrap()
        .ends_with("job-model.json"));
}

#[test]
fn linking_and_matching_into_golden_records_score_with_a_saved_model() {
    let dir = tmp();
    let model = saved_model(&dir);
    let links = path_in(&dir, "links.csv");
    steward()
        .args([
            "dedupe",
            "--link",
            &fixture("customers.csv"),
            &fixture("customers.xlsx"),
            "-q",
        ])
        .arg("--model")
        .arg(&model)
        .arg("-o")
        .arg(&links)
        .assert()
        .success();
    let (_, rows) = read_csv(&links);
    assert_eq!(rows.len(), 300);
    let golden = path_in(&dir, "golden-trained.csv");
    steward()
        .args(["dedupe", &fixture("customers.csv"), "-q", "--against"])
        .arg(&golden)
        .arg("--model")
        .arg(&model)
        .arg("-o")
        .arg(path_in(&dir, "golden-updated.csv"))
        .assert()
        .success();
    let (_, updated) = read_csv(&path_in(&dir, "golden-updated.csv"));
    // The same rows again: every one matches a golden record the model made; none is added.
    assert_eq!(updated.len(), read_csv(&golden).1.len());
}

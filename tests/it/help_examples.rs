//! Every example that `steward SUBCOMMAND --help` prints runs here, in a folder holding the files it names
//! (as nushell runs its commands' examples), so a help example cannot rot; and no example line is wrapped
//! when the help is printed on a narrow terminal.

use clap::CommandFactory;
use std::path::{Path, PathBuf};

use crate::common::{fixture, steward};

/// Every subcommand, nested ones too, by its words (`key new`), with its after-help text.
fn subcommands() -> Vec<(String, String)> {
    fn walk(cmd: &clap::Command, prefix: &str, out: &mut Vec<(String, String)>) {
        for sub in cmd.get_subcommands() {
            let name = format!("{prefix}{}", sub.get_name()).trim().to_string();
            if let Some(after) = sub.get_after_help() {
                out.push((name.clone(), after.to_string()));
            }
            walk(sub, &format!("{name} "), out);
        }
    }
    let mut out = Vec::new();
    walk(&steward::cli::Cli::command(), "", &mut out);
    out
}

/// An example's exit code when it is not 0: the ones that show a policy failing.
fn expected_code(example: &str) -> i32 {
    match example {
        // The fixture has rows with errors, and validate fails on errors by default.
        "steward validate customers.csv"
        | "steward validate customers.csv --findings findings.csv --rejects rejects.xlsx" => 1,
        // Birth date, gender and postcode single out most of 300 customers.
        "steward risk customers.csv --quasi birth_date,gender,postcode -k 5" => 1,
        _ => 0,
    }
}

fn copy(from: &str, dir: &Path, to: &str) {
    let target = dir.join(to);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::copy(fixture(from), &target).unwrap();
}

fn write(dir: &Path, name: &str, text: &str) {
    let target = dir.join(name);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(target, text).unwrap();
}

/// Run steward in `dir` to make an input an example needs.
fn make(dir: &Path, args: &[&str]) {
    let out = steward()
        .current_dir(dir)
        .arg("-q")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "setting up with steward {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The customers fixture, with records kept by `keep` and values changed by `change`.
fn customers_variant(
    dir: &Path,
    name: &str,
    keep: impl Fn(usize) -> bool,
    change: impl Fn(usize, &mut Vec<String>),
) {
    let mut r = csv::Reader::from_path(fixture("customers.csv")).unwrap();
    let mut w = csv::Writer::from_path(dir.join(name)).unwrap();
    w.write_record(r.headers().unwrap()).unwrap();
    for (i, rec) in r.records().enumerate() {
        if keep(i) {
            let mut rec: Vec<String> = rec.unwrap().iter().map(String::from).collect();
            change(i, &mut rec);
            w.write_record(&rec).unwrap();
        }
    }
    w.flush().unwrap();
}

/// Put `name` in `dir`: a fixture copy, or made the way a user would have made it.
fn input(dir: &Path, name: &str) {
    if dir.join(name).exists() {
        return;
    }
    match name {
        "customers.csv" | "customers_gbk.csv" | "customers.xlsx" => copy(name, dir, name),
        "export.xlsx" | "shop.xlsx" | "crm.xlsx" | "old.xlsx" => copy("customers.xlsx", dir, name),
        "shop.csv" | "new.csv" | "last-month.csv" => copy("customers.csv", dir, name),
        "ragged.csv" => copy("bad/ragged.csv", dir, name),
        "exports" | "feeds" => {
            copy("customers.csv", dir, &format!("{name}/a.csv"));
            copy("customers_semicolon.csv", dir, &format!("{name}/b.csv"));
        }
        "crm.csv" => {
            // The English export, with the id column under a name only --map can place.
            let text = std::fs::read_to_string(fixture("customers_semicolon.csv")).unwrap();
            write(dir, name, &text.replacen("Customer ID", "Cust No", 1));
        }
        "this-month.csv" => customers_variant(
            dir,
            name,
            |i| i % 50 != 7,
            |i, rec| {
                if i % 40 == 3 {
                    rec[3] = format!("new.{i}@example.com");
                }
            },
        ),
        "new-signups.csv" => customers_variant(dir, name, |i| i < 30, |_, _| {}),
        "golden.csv" => {
            input(dir, "customers.csv");
            make(dir, &["dedupe", "customers.csv", "-o", "golden.csv"]);
        }
        "team.key" | "old.key" => make(dir, &["key", "new", name]),
        "share.csv" | "vendor-a.csv" => {
            input(dir, "team.key");
            let domain = if name == "share.csv" {
                "default"
            } else {
                "vendor-a"
            };
            let src = fixture("customers.csv");
            make(
                dir,
                &[
                    "pseudonymize",
                    &src,
                    "-o",
                    name,
                    "--key-file",
                    "team.key",
                    "--domain",
                    domain,
                    "--encrypt",
                    "email",
                ],
            );
        }
        // As the review page saves it: one pair decided, one left undecided.
        "review-decisions.csv" => write(
            dir,
            name,
            "decision,id_a,id_b,_source_a,_row_a,_source_b,_row_b\r\n\
             not a match,00123,10002,customers.csv,2,customers.csv,3\r\n\
             ,10002,10003,customers.csv,3,customers.csv,4\r\n",
        ),
        "erasure-requests.txt" => write(dir, name, "id:10002\nphone: 020 1234 5678\n"),
        "requests.txt" => write(dir, name, "id:10003\n"),
        "crm.db" => {
            // The customers as a SQLite table, loaded by steward itself.
            input(dir, "customers.csv");
            make(
                dir,
                &[
                    "import",
                    "customers.csv",
                    "-o",
                    "sqlite:crm.db",
                    "--out-table",
                    "customers",
                ],
            );
        }
        "audit.jsonl" => {
            // Two sealed entries.
            input(dir, "customers.csv");
            input(dir, "team.key");
            for out in ["cleaned", "cleaned-again"] {
                make(
                    dir,
                    &[
                        "clean",
                        "customers.csv",
                        "--out",
                        out,
                        "--key-file",
                        "team.key",
                        "--audit-log",
                        "audit.jsonl",
                    ],
                );
            }
        }
        "audit.head" => {
            // The head hash, as a steward would have kept it elsewhere.
            input(dir, "audit.jsonl");
            let out = steward()
                .current_dir(dir)
                .args(["audit", "verify", "audit.jsonl", "--format", "json"])
                .output()
                .unwrap();
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            write(dir, name, v["head"].as_str().expect("a head hash"));
        }
        "my-schema.toml" => make(dir, &["schema", "init", "my-schema.toml"]),
        "sample.csv" | "part-2.csv" => copy("customers.csv", dir, name),
        // Training counts as `model sql --counts` returns them (made here without an engine): every candidate
        // pair of the fixture exact on every comparison, random pairs different on every one.
        "counts.csv" => {
            copy("customers.csv", dir, "counts-list.csv");
            make(
                dir,
                &[
                    "dedupe",
                    "counts-list.csv",
                    "--save-model",
                    "counts-model.json",
                ],
            );
            let m: serde_json::Value =
                serde_json::from_slice(&std::fs::read(dir.join("counts-model.json")).unwrap())
                    .unwrap();
            let comps = m["model"]["comparisons"].as_array().unwrap();
            let names: Vec<String> = comps
                .iter()
                .map(|c| format!("{}_level", c["name"].as_str().unwrap()))
                .collect();
            let top: Vec<String> = comps
                .iter()
                .map(|c| (c["levels"].as_array().unwrap().len() - 1).to_string())
                .collect();
            let ones = vec!["1".to_string(); comps.len()];
            write(
                dir,
                name,
                &format!(
                    "source,{},guard,n\ncandidates,{},0,20\nrandom,{},0,250000\nrecords,{},,300\n",
                    names.join(","),
                    top.join(","),
                    ones.join(","),
                    vec![""; comps.len()].join(",")
                ),
            );
        }
        // Pairs as an engine returns them: the native scores have the same columns.
        "pairs.csv" => {
            make(
                dir,
                &[
                    "dedupe",
                    "customers.csv",
                    "--save-model",
                    "pairs-model.json",
                ],
            );
            make(
                dir,
                &[
                    "model",
                    "score",
                    "customers.csv",
                    "--model",
                    "pairs-model.json",
                    "-o",
                    name,
                ],
            );
        }
        "fixtures/job.toml" => {
            copy("job.toml", dir, name);
            copy("customers.csv", dir, "fixtures/customers.csv");
            copy(
                "customers_semicolon.csv",
                dir,
                "fixtures/customers_semicolon.csv",
            );
        }
        "jobs/weekly.toml" => {
            copy("customers.csv", dir, "jobs/customers.csv");
            write(
                dir,
                name,
                "name = \"weekly\"\nsources = [\"customers.csv\"]\nout = \"../runs\"\n\
                 steps = [\"import\", \"validate\", \"normalize\", \"dedupe\", \"segment\"]\n",
            );
        }
        "shell folders" => {
            for d in [
                ".local/share/bash-completion/completions",
                ".zfunc",
                ".config/fish/completions",
            ] {
                std::fs::create_dir_all(dir.join(d)).unwrap();
            }
        }
        other => panic!("no way to make the example input {other}"),
    }
}

/// What each subcommand's examples read, made before they run (in order, in one folder).
fn inputs_of(subcommand: &str) -> &'static [&'static str] {
    match subcommand {
        "inspect" => &["customers.csv", "export.xlsx", "customers_gbk.csv"],
        "import" => &[
            "customers.csv",
            "exports",
            "shop.xlsx",
            "crm.csv",
            "ragged.csv",
        ],
        "validate" => &["customers.csv", "feeds", "customers.xlsx"],
        "normalize" => &["customers.csv", "customers_gbk.csv"],
        "clean" => &[
            "customers.csv",
            "exports",
            "crm.xlsx",
            "team.key",
            "customers_gbk.csv",
        ],
        "run" => &["fixtures/job.toml", "jobs/weekly.toml"],
        "profile" => &["customers.csv", "customers.xlsx"],
        "diff" => &["last-month.csv", "this-month.csv", "old.xlsx", "new.csv"],
        "dedupe" => &[
            "customers.csv",
            "customers.xlsx",
            "crm.csv",
            "shop.csv",
            "new-signups.csv",
            "review-decisions.csv",
            "new.csv",
        ],
        "segment" => &["golden.csv", "customers.xlsx", "customers.csv"],
        "pseudonymize" => &["customers.csv", "customers.xlsx"],
        "reveal" => &["share.csv", "vendor-a.csv", "team.key"],
        "risk" => &["customers.csv", "share.csv"],
        "erase" => &[
            "customers.csv",
            "erasure-requests.txt",
            "crm.xlsx",
            "crm.csv",
            "shop.csv",
            "requests.txt",
            "team.key",
            "crm.db",
        ],
        "key id" => &["team.key"],
        "audit verify" => &["audit.jsonl", "audit.head", "old.key"],
        "schema show" => &["my-schema.toml"],
        "schema init" => &["customers.csv"],
        "completions" => &["shell folders"],
        "model features" => &["customers.csv", "part-2.csv"],
        "model sql" | "model score" => &["customers.csv"],
        "model cluster" => &["customers.csv", "pairs.csv"],
        "model train" => &["sample.csv", "counts.csv"],
        "key new" | "man" => &[],
        other => panic!("add the inputs of `steward {other}`'s examples to inputs_of"),
    }
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false)
}

/// The file a `> FILE.json` redirection in an example writes.
fn redirected_json(example: &str) -> Option<&str> {
    let (_, after) = example.split_once("> ")?;
    after
        .split_whitespace()
        .next()
        .filter(|f| f.ends_with(".json"))
}

#[test]
fn every_help_example_runs_on_the_fixtures() {
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_steward"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures: Vec<String> = Vec::new();
    let mut ran = 0;
    for (sub, after) in subcommands() {
        let examples = steward::cli::examples(&after);
        if examples.is_empty() {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        for name in inputs_of(&sub) {
            input(dir.path(), name);
        }
        for example in examples {
            // External tools the examples pipe into; CI installs them (.ci/run).
            let missing: Vec<&str> = ["jq", "man"]
                .into_iter()
                .filter(|t| {
                    example.contains(&format!("| {t} ")) || example.starts_with(&format!("{t} "))
                })
                .filter(|t| !on_path(t))
                .collect();
            if !missing.is_empty() {
                eprintln!("skipped (no {}): {example}", missing.join(", "));
                continue;
            }
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(&example)
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("HOME", dir.path())
                .env_remove("STEWARD_KEY")
                .output()
                .unwrap();
            ran += 1;
            let stderr = String::from_utf8_lossy(&out.stderr);
            let stdout = String::from_utf8_lossy(&out.stdout);
            let code = out.status.code().unwrap_or(-1);
            let mut problems: Vec<String> = Vec::new();
            if code != expected_code(&example) {
                problems.push(format!(
                    "exit code {code}, expected {}",
                    expected_code(&example)
                ));
            }
            if stderr.contains("internal error") || stderr.contains("panicked") {
                problems.push("a bug was reported".into());
            }
            if example.contains("--format json") {
                if example.contains("| jq ") {
                    if stdout.trim().is_empty() {
                        problems.push("jq printed nothing".into());
                    }
                } else {
                    let (what, text) = match redirected_json(&example) {
                        Some(f) => (
                            f.to_string(),
                            std::fs::read_to_string(dir.path().join(f)).unwrap_or_default(),
                        ),
                        None => ("stdout".to_string(), stdout.to_string()),
                    };
                    if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                        problems.push(format!("{what} is not one JSON document: {e}"));
                    }
                }
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "steward {sub}: `{example}`: {}\n  stderr: {}",
                    problems.join("; "),
                    stderr.trim().replace('\n', "\n          ")
                ));
            }
        }
    }
    assert!(ran >= 50, "only {ran} examples ran");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The help as clap prints it for `steward WORDS --help` on a terminal `width` columns wide.
fn help_at(words: &str, width: usize) -> String {
    let mut argv = vec!["steward"];
    argv.extend(words.split(' '));
    argv.push("--help");
    let err = steward::cli::command()
        .term_width(width)
        .try_get_matches_from(argv)
        .expect_err("--help stops parsing");
    assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp);
    err.render().to_string()
}

#[test]
fn help_examples_are_never_wrapped() {
    for (sub, after) in subcommands() {
        let Some((block, _)) = steward::cli::split_examples(&after) else {
            continue;
        };
        for width in [40, 80, 200] {
            let help = help_at(&sub, width);
            let lines: Vec<&str> = help.lines().map(str::trim_end).collect();
            for line in block.lines() {
                assert!(
                    lines.contains(&line.trim_end()),
                    "steward {sub} --help at {width} columns does not show this example line whole:\n{line}\n\n{help}"
                );
            }
        }
    }
}

#[test]
fn help_keeps_the_text_after_the_examples() {
    // The prose after the examples is still there (wrapped to the terminal), and so are the options.
    let help = help_at("dedupe", 80);
    assert!(help.contains("Survivorship rules"), "{help}");
    assert!(help.contains("--output-format <FORMAT>"), "{help}");
    assert!(
        help.lines()
            .all(|l| l.chars().count() <= 80 || l.starts_with("  steward")),
        "{help}"
    );
}

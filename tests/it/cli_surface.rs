//! One command-line vocabulary: `--format` is the summary format and `--output-format` the data format on
//! every command, old spellings still accepted; a JSON summary is the only thing on its stream; every output
//! file is written in the format its extension names; a closed stdout ends quietly.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use crate::common::{fixture, path_in, steward, tmp};

/// The format a file's bytes are in.
fn format_of(path: &Path) -> &'static str {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    if bytes.starts_with(b"PK") {
        "xlsx"
    } else if bytes.starts_with(b"PAR1") {
        "parquet"
    } else if bytes.starts_with(b"{") {
        "jsonl"
    } else if first_line.contains(&b'\t') {
        "tsv"
    } else if first_line.contains(&b',') {
        "csv"
    } else {
        "unknown"
    }
}

fn json(bytes: &[u8], what: &str) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!(
            "{what} is not one JSON document ({e}):\n{}",
            String::from_utf8_lossy(bytes)
        )
    })
}

fn key(dir: &tempfile::TempDir) -> String {
    let k = path_in(dir, "team.key");
    if !k.exists() {
        steward()
            .args(["-q", "key", "new"])
            .arg(&k)
            .assert()
            .success();
    }
    k.display().to_string()
}

fn requests(dir: &tempfile::TempDir) -> String {
    let r = path_in(dir, "requests.txt");
    std::fs::write(&r, "id:10002\n").unwrap();
    r.display().to_string()
}

/// The arguments of a command that writes data to OUT, for the commands where `--format` once meant the data
/// format and for the ones where the data format always was `--output-format`.
fn writing_command(cmd: &str, dir: &tempfile::TempDir, out: &str) -> Vec<String> {
    let customers = fixture("customers.csv");
    let mut args: Vec<String> = match cmd {
        "import" | "dedupe" | "normalize" => vec![cmd.into(), customers],
        "segment" => vec![
            cmd.into(),
            fixture("segments.csv"),
            "--as-of".into(),
            "2026-11-01".into(),
        ],
        "pseudonymize" => vec![cmd.into(), customers, "--key-file".into(), key(dir)],
        "erase" => vec![
            cmd.into(),
            customers,
            "--key-file".into(),
            key(dir),
            "--requests".into(),
            requests(dir),
            "--receipt".into(),
            path_in(dir, "receipt.json").display().to_string(),
        ],
        other => panic!("{other}"),
    };
    args.extend(["-o".into(), path_in(dir, out).display().to_string()]);
    args
}

#[test]
fn old_data_format_spellings_still_work_with_one_warning() {
    // erase writes each source in its own format, so it takes no data format.
    for cmd in ["import", "dedupe", "pseudonymize"] {
        for old in [["--format", "xlsx"], ["-f", "xlsx"]] {
            let dir = tmp();
            let out = steward()
                .args(writing_command(cmd, &dir, "out.csv"))
                .args(old)
                .assert()
                .success()
                .get_output()
                .clone();
            assert_eq!(
                format_of(&path_in(&dir, "out.csv")),
                "xlsx",
                "{cmd} {old:?}"
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            let warnings: Vec<&str> = stderr
                .lines()
                .filter(|l| l.contains("old spelling"))
                .collect();
            assert_eq!(warnings.len(), 1, "{cmd} {old:?}: {stderr}");
            assert!(warnings[0].contains("--output-format xlsx"), "{stderr}");
            assert!(out.stdout.is_empty(), "{cmd} {old:?}");
        }
        // With --quiet, no warning either.
        let dir = tmp();
        steward()
            .args(writing_command(cmd, &dir, "out.csv"))
            .args(["--format", "tsv", "-q"])
            .assert()
            .success()
            .stderr("");
        assert_eq!(format_of(&path_in(&dir, "out.csv")), "tsv", "{cmd}");
    }
}

#[test]
fn old_data_format_with_old_report_format() {
    // `dedupe -f xlsx --report-format json` and `pseudonymize ...` as scripts wrote them before.
    for cmd in ["dedupe", "pseudonymize"] {
        let dir = tmp();
        let out = steward()
            .args(writing_command(cmd, &dir, "out.csv"))
            .args(["-f", "xlsx", "--report-format", "json"])
            .assert()
            .success()
            .get_output()
            .clone();
        assert_eq!(format_of(&path_in(&dir, "out.csv")), "xlsx", "{cmd}");
        json(&out.stdout, &format!("{cmd} stdout"));
    }
}

#[test]
fn new_spellings_work_on_every_writing_command() {
    // erase writes each source in its own format: it has no --output-format (refused, see erase's tests).
    for cmd in ["import", "dedupe", "pseudonymize", "normalize", "segment"] {
        for (fmt, ext) in [("xlsx", "csv"), ("tsv", "dat"), ("parquet", "out")] {
            let dir = tmp();
            let name = format!("out.{ext}");
            let out = steward()
                .args(writing_command(cmd, &dir, &name))
                .args(["--output-format", fmt, "--format", "json"])
                .assert()
                .success()
                .get_output()
                .clone();
            assert_eq!(
                format_of(&path_in(&dir, &name)),
                fmt,
                "{cmd} --output-format {fmt}"
            );
            json(&out.stdout, &format!("{cmd} stdout"));
            assert!(
                !String::from_utf8_lossy(&out.stderr).contains("old spelling"),
                "{cmd}"
            );
        }
    }
    // clean: --output-format names the cleaned dataset's format.
    let dir = tmp();
    let out = path_in(&dir, "out");
    steward()
        .args([
            "-q",
            "clean",
            &fixture("customers.csv"),
            "--output-format",
            "parquet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(format_of(&out.join("cleaned.parquet")), "parquet");
}

#[test]
fn report_format_is_a_hidden_alias_of_format() {
    let dir = tmp();
    let cases: Vec<Vec<String>> = vec![
        vec!["validate".into(), fixture("customers.csv")],
        vec!["inspect".into(), fixture("customers.csv")],
        vec!["profile".into(), fixture("customers.csv")],
        vec!["risk".into(), fixture("customers.csv")],
        vec![
            "diff".into(),
            fixture("customers.csv"),
            fixture("customers.csv"),
        ],
        writing_command("dedupe", &dir, "d.csv"),
        writing_command("pseudonymize", &dir, "p.csv"),
        writing_command("segment", &dir, "s.csv"),
    ];
    for args in cases {
        let out = steward()
            .args(&args)
            .args(["--report-format", "json"])
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0) | Some(1)), "{args:?}");
        json(&out.stdout, &format!("{} --report-format json", args[0]));
    }
    // Hidden: not in the help, where --format is.
    let help = steward()
        .args(["dedupe", "--help"])
        .output()
        .unwrap()
        .stdout;
    let help = String::from_utf8_lossy(&help);
    assert!(help.contains("--format <FORMAT>") && help.contains("--output-format <FORMAT>"));
    assert!(!help.contains("--report-format"), "{help}");
}

#[test]
fn format_refuses_a_data_format_where_it_never_meant_one() {
    for args in [
        vec!["validate", "customers.csv", "--format", "csv"],
        vec!["normalize", "customers.csv", "-o", "-", "--format", "xlsx"],
        vec!["profile", "customers.csv", "--format", "csv"],
    ] {
        let args: Vec<String> = args
            .into_iter()
            .map(|a| {
                if a == "customers.csv" {
                    fixture(a)
                } else {
                    a.to_string()
                }
            })
            .collect();
        steward()
            .args(&args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains("--format"));
    }
    // Two data formats, or the summary format twice: usage errors.
    let dir = tmp();
    steward()
        .args(writing_command("import", &dir, "o.csv"))
        .args(["--format", "csv", "--output-format", "tsv"])
        .assert()
        .code(2);
    steward()
        .args([
            "validate",
            &fixture("customers.csv"),
            "--format",
            "human",
            "--report-format",
            "json",
        ])
        .assert()
        .code(2);
}

/// Every command with `--format json`: one JSON document on stdout when the data goes to a file.
#[test]
fn json_summary_is_the_only_thing_on_stdout() {
    let dir = tmp();
    let k = key(&dir);
    let log = path_in(&dir, "audit.jsonl").display().to_string();
    steward()
        .args([
            "-q",
            "clean",
            &fixture("customers.csv"),
            "--audit-log",
            &log,
            "--out",
        ])
        .arg(path_in(&dir, "audited"))
        .assert()
        .success();
    let job = path_in(&dir, "job.toml");
    std::fs::copy(fixture("customers.csv"), path_in(&dir, "customers.csv")).unwrap();
    std::fs::write(&job, "sources = [\"customers.csv\"]\nout = \"runs\"\n").unwrap();
    let job = job.display().to_string();
    let customers = fixture("customers.csv");
    let at = |n: &str| path_in(&dir, n).display().to_string();
    let mut cases: Vec<Vec<String>> = vec![
        vec!["inspect".into(), customers.clone()],
        vec!["validate".into(), customers.clone()],
        vec![
            "normalize".into(),
            customers.clone(),
            "-o".into(),
            at("n.csv"),
        ],
        vec!["clean".into(), customers.clone(), "--out".into(), at("c")],
        vec!["run".into(), job.clone()],
        vec!["run".into(), job, "--dry-run".into()],
        vec!["profile".into(), customers.clone()],
        vec!["diff".into(), customers.clone(), customers.clone()],
        vec!["risk".into(), customers.clone()],
        vec!["audit".into(), "verify".into(), log],
        vec!["import".into(), customers.clone(), "-o".into(), at("i.csv")],
        vec!["dedupe".into(), customers.clone(), "-o".into(), at("d.csv")],
        vec![
            "segment".into(),
            fixture("segments.csv"),
            "-o".into(),
            at("s.csv"),
        ],
        vec![
            "pseudonymize".into(),
            customers.clone(),
            "--key-file".into(),
            k.clone(),
            "-o".into(),
            at("p.csv"),
        ],
    ];
    cases.push(writing_command("erase", &dir, "e.csv"));
    for args in cases {
        let out = steward()
            .args(&args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0) | Some(1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        json(&out.stdout, &format!("stdout of {args:?}"));
    }
}

/// With `-o -` the data is on stdout, so the JSON summary goes to stderr, alone.
#[test]
fn json_summary_goes_to_stderr_when_data_is_on_stdout() {
    for cmd in [
        "import",
        "normalize",
        "dedupe",
        "segment",
        "pseudonymize",
        "erase",
    ] {
        let dir = tmp();
        let mut args = writing_command(cmd, &dir, "unused.csv");
        let o = args.iter().position(|a| a == "-o").unwrap();
        args[o + 1] = "-".into();
        if cmd == "pseudonymize" {
            args.extend([
                "--metadata".into(),
                path_in(&dir, "meta.json").display().to_string(),
            ]);
        }
        let out = steward()
            .args(&args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        json(&out.stderr, &format!("{cmd} stderr"));
        let (headers, rows) = crate::common::csv_bytes_rows(&out.stdout);
        assert!(
            headers.len() > 3 && !rows.is_empty(),
            "{cmd}: stdout holds the data"
        );
    }
}

/// The customers fixture without its last five customers (a diff of the two has rows).
fn fewer_customers(dir: &tempfile::TempDir) -> String {
    let text = std::fs::read_to_string(fixture("customers.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let path = path_in(dir, "fewer.csv");
    std::fs::write(&path, lines[..lines.len() - 5].join("\n") + "\n").unwrap();
    path.display().to_string()
}

#[test]
fn every_output_file_is_written_in_the_format_its_extension_names() {
    let customers = fixture("customers.csv");
    // (command line before the option, the option)
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["validate".into(), customers.clone()], "--findings"),
        (vec!["validate".into(), customers.clone()], "--rejects"),
        (
            vec![
                "normalize".into(),
                customers.clone(),
                "-o".into(),
                "-".into(),
            ],
            "--changes",
        ),
        (
            vec![
                "import".into(),
                fixture("bad/ragged.csv"),
                "--lenient".into(),
                "-o".into(),
                "-".into(),
            ],
            "--rejects",
        ),
        (
            vec!["diff".into(), customers.clone(), "FEWER".into()],
            "--changes",
        ),
        (vec!["dedupe".into(), customers.clone()], "--clusters"),
        (vec!["dedupe".into(), customers.clone()], "--merge-map"),
        (vec!["dedupe".into(), customers.clone()], "--pairs"),
        // Every candidate pair below p = 1 goes to review.
        (
            vec![
                "dedupe".into(),
                customers.clone(),
                "--threshold".into(),
                "1".into(),
                "--review-lower".into(),
                "0".into(),
            ],
            "--review",
        ),
        (
            vec![
                "pseudonymize".into(),
                customers.clone(),
                "-o".into(),
                "-".into(),
                "--metadata".into(),
                "META".into(),
            ],
            "--mapping",
        ),
    ];
    for (args, option) in cases {
        for ext in ["xlsx", "tsv", "jsonl", "parquet", "csv"] {
            let dir = tmp();
            let k = key(&dir);
            let file = path_in(&dir, &format!("side.{ext}"));
            let mut args: Vec<String> = args
                .iter()
                .map(|a| match a.as_str() {
                    "META" => path_in(&dir, "m.json").display().to_string(),
                    "FEWER" => fewer_customers(&dir),
                    _ => a.clone(),
                })
                .collect();
            if args[0] == "pseudonymize" {
                args.extend(["--key-file".into(), k]);
            }
            if args[0] == "dedupe" {
                args.extend([
                    "-o".into(),
                    path_in(&dir, "golden.csv").display().to_string(),
                ]);
            }
            let out = steward()
                .args(&args)
                .arg(option)
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                matches!(out.status.code(), Some(0) | Some(1)),
                "{args:?} {option} {}: {}",
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(format_of(&file), ext, "{} {option} side.{ext}", args[0]);
        }
        // An extension steward cannot write: exit 2, naming the option, before any work.
        let dir = tmp();
        let file = path_in(&dir, "side.pdf");
        steward()
            .args(&args)
            .arg(option)
            .arg(&file)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(option))
            .stderr(predicates::str::contains(".pdf"));
        assert!(
            std::fs::read_dir(dir.path()).unwrap().next().is_none(),
            "{option}: nothing written"
        );
    }
}

#[test]
fn fixed_format_files_refuse_another_extension() {
    let dir = tmp();
    let k = key(&dir);
    let customers = fixture("customers.csv");
    let out = path_in(&dir, "o.csv").display().to_string();
    for (args, option, bad) in [
        (vec!["profile", &customers], "--html", "report.csv"),
        (
            vec!["pseudonymize", &customers, "-o", &out, "--key-file", &k],
            "--metadata",
            "meta.csv",
        ),
        (
            vec![
                "erase",
                &customers,
                "-o",
                &out,
                "--key-file",
                &k,
                "--requests",
                "r.txt",
            ],
            "--receipt",
            "receipt.xlsx",
        ),
    ] {
        steward()
            .args(&args)
            .arg(option)
            .arg(path_in(&dir, bad))
            .assert()
            .code(2)
            .stderr(predicates::str::contains(option));
    }
}

#[test]
fn data_output_with_an_extension_steward_cannot_write_is_refused() {
    let dir = tmp();
    let out = path_in(&dir, "customers.csv.new");
    steward()
        .args(["import", &fixture("customers.csv"), "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("-o"))
        .stderr(predicates::str::contains("--output-format"));
    assert!(!out.exists());
    // --output-format says what to write whatever the name; no extension is csv.
    steward()
        .args([
            "-q",
            "import",
            &fixture("customers.csv"),
            "--output-format",
            "tsv",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(format_of(&out), "tsv");
    let plain = path_in(&dir, "customers");
    steward()
        .args(["-q", "import", &fixture("customers.csv"), "-o"])
        .arg(&plain)
        .assert()
        .success();
    assert_eq!(format_of(&plain), "csv");
}

/// Run steward with its stdout read by a reader that goes away early: after one line, or at once.
fn with_reader_closing_early(args: &[String], read_a_line: bool) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    if read_a_line {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        assert!(!line.is_empty(), "{args:?} printed nothing");
    } else {
        drop(stdout);
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = tmp();
    // 20,000 rows: more than a pipe holds, so the writer meets the closed pipe after the first line.
    let big = path_in(&dir, "big.csv");
    let text = std::fs::read_to_string(fixture("customers.csv")).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    let mut all = format!("{header}\n");
    for _ in 0..67 {
        all.push_str(body);
    }
    std::fs::write(&big, all).unwrap();
    let customers = fixture("customers.csv");
    let big = big.display().to_string();
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<String>>();
    let cases = [
        s(&[
            "validate",
            &customers,
            "--format",
            "json",
            "--fail-on",
            "never",
        ]),
        s(&["validate", &customers, "--fail-on", "never"]),
        s(&["inspect", &customers]),
        s(&["inspect", &customers, "--format", "json"]),
        s(&["risk", &customers, "-k", "1"]),
        s(&["profile", &customers]),
        s(&["profile", &customers, "--format", "md"]),
        s(&["diff", &customers, &customers]),
        s(&["schema", "show"]),
        s(&["completions", "bash"]),
        s(&["completions", "zsh"]),
        s(&["import", &big, "-o", "-"]),
        s(&["normalize", &big, "-o", "-"]),
        s(&["import", &big, "-o", "-", "--output-format", "jsonl"]),
    ];
    for args in &cases {
        for read_a_line in [true, false] {
            let (code, stderr) = with_reader_closing_early(args, read_a_line);
            assert_eq!(
                code,
                Some(0),
                "{args:?} (read a line: {read_a_line}): {stderr}"
            );
            assert!(
                !stderr.contains("internal error") && !stderr.contains("error:"),
                "{args:?}: {stderr}"
            );
        }
    }
}

/// A side output sent to stdout (`--findings -`, `--changes -`, `--clusters -`) moves the summary to stderr too.
#[test]
fn summary_moves_to_stderr_when_a_side_output_is_on_stdout() {
    let dir = tmp();
    let customers = fixture("customers.csv");
    let golden = path_in(&dir, "golden.csv").display().to_string();
    let fewer = fewer_customers(&dir);
    for args in [
        vec![
            "validate",
            &customers,
            "--fail-on",
            "never",
            "--findings",
            "-",
        ],
        vec!["diff", &customers, &fewer, "--changes", "-"],
        vec!["dedupe", &customers, "-o", &golden, "--clusters", "-"],
    ] {
        let out = steward()
            .args(&args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        json(&out.stderr, &format!("{} stderr", args[0]));
        let (headers, rows) = crate::common::csv_bytes_rows(&out.stdout);
        assert!(
            headers.len() >= 5 && !rows.is_empty(),
            "{args:?}: stdout holds the rows"
        );
        // And the human summary, too, stays off stdout.
        if args[0] != "dedupe" {
            let out = steward().args(&args).output().unwrap();
            crate::common::csv_bytes_rows(&out.stdout);
            assert!(!out.stderr.is_empty(), "{args:?}");
        }
        std::fs::remove_file(&golden).ok();
    }
}

//! Clerical review a steward acts on: `dedupe --review review.xlsx` (a drop-down decision per pair, numbers as
//! numbers, differing fields filled, the settings on its About sheet) and `--review-html` (a page decided in a
//! real headless Chromium driven by Playwright), each fed back with `--labels`, whose summary says what the
//! labels changed.

use crate::common::*;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixture plus a second list of thinned copies of some of its customers (a name and a few fields each),
/// so that pairs fall below a high threshold; one copy is named `<script>alert(1)</script>`.
pub fn review_sources(dir: &tempfile::TempDir) -> (String, String) {
    let src = fixture("customers.csv");
    let text = std::fs::read_to_string(&src).unwrap();
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let extra = path_in(dir, "extra.csv");
    let mut w = csv::Writer::from_path(&extra).unwrap();
    w.write_record(&headers).unwrap();
    // Columns kept by each copy: name with city, gender, birth date, address, postcode...
    let keep: [&[usize]; 6] = [
        &[1, 8, 9, 11],
        &[1, 6, 8],
        &[1, 5],
        &[1, 7],
        &[1, 6, 8, 9, 10, 11],
        &[1, 10],
    ];
    for (i, r) in rows.iter().step_by(4).take(38).enumerate() {
        let mut copy: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(j, v)| {
                if j >= 12 || keep[i % keep.len()].contains(&j) {
                    v.to_string()
                } else {
                    String::new()
                }
            })
            .collect();
        copy[0] = format!("9{}", &r[0][1..]);
        if i == 3 {
            copy[1] = "<script>alert(1)</script>".to_string();
            copy[3] = r[3].to_string();
        }
        w.write_record(&copy).unwrap();
    }
    w.flush().unwrap();
    (src, extra.display().to_string())
}

/// The arguments putting every candidate pair under a threshold of 0.99999 in the review band.
pub const BAND: [&str; 4] = ["--threshold", "0.99999", "--review-lower", "0"];

/// The named parts of an xlsx file.
pub fn xlsx_part(path: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|e| panic!("{}: {name}: {e}", path.display()))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// A copy of `from` with `decisions` typed into column A of the first sheet (row number from 2, text), as a
/// person choosing from the drop-down leaves them.
pub fn fill_decisions(from: &Path, to: &Path, decisions: &[(u32, &str)]) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let mut xml = String::from_utf8(bytes).unwrap();
            for (row, d) in decisions {
                let at = xml
                    .find(&format!("<c r=\"A{row}\""))
                    .unwrap_or_else(|| panic!("no decision cell in row {row}"));
                let end = at + xml[at..].find("/>").unwrap();
                let cell = xml[at..end].to_string();
                xml.replace_range(
                    at..end + 2,
                    &format!("{cell} t=\"inlineStr\"><is><t>{d}</t></is></c>"),
                );
            }
            bytes = xml.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

/// Rows of the review sheet as text (numbers as read), by column name.
pub fn review_rows(path: &Path) -> (Vec<String>, Vec<HashMap<String, calamine::Data>>) {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = wb.worksheet_range("Review pairs").unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let rows = rows
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect();
    (header, rows)
}

/// Clusters of a run as pairs of ids sharing one.
pub fn same_cluster(clusters: &Path, a: &str, b: &str) -> bool {
    let (_, rows) = read_csv(clusters);
    let of = |id: &str| row_with(&rows, "id", id)["cluster_id"].clone();
    of(a) == of(b)
}

/// `dedupe SRC EXTRA -o golden --clusters clusters --labels labels` with `args`: the report JSON and stderr.
pub fn relabel(
    dir: &tempfile::TempDir,
    srcs: &(String, String),
    labels: &Path,
    args: &[&str],
    tag: &str,
) -> (serde_json::Value, PathBuf) {
    let clusters = path_in(dir, &format!("clusters-{tag}.csv"));
    let out = steward()
        .args(["dedupe", &srcs.0, &srcs.1, "--report-format", "json", "-o"])
        .arg(path_in(dir, &format!("golden-{tag}.csv")))
        .arg("--clusters")
        .arg(&clusters)
        .arg("--labels")
        .arg(labels)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    (serde_json::from_slice(&out).unwrap(), clusters)
}

#[test]
fn review_workbook_is_typed_has_a_drop_down_and_reads_back() {
    let dir = tmp();
    let srcs = review_sources(&dir);
    let review = path_in(&dir, "review.xlsx");
    steward()
        .args(["dedupe", &srcs.0, &srcs.1])
        .args(BAND)
        .arg("-o")
        .arg(path_in(&dir, "golden.csv"))
        .arg("--review")
        .arg(&review)
        .assert()
        .success()
        .stderr(predicates::str::contains("35 to review"));

    let (header, rows) = review_rows(&review);
    assert_eq!(rows.len(), 35);
    assert_eq!(header[0], "decision");
    for once in ["id_a", "id_b", "_source_a", "_row_a", "_source_b", "_row_b"] {
        assert_eq!(header.iter().filter(|h| *h == once).count(), 1, "{once}");
    }
    assert!(header.contains(&"name_a".to_string()) && header.contains(&"email_b".to_string()));
    for r in &rows {
        assert!(
            matches!(r["match_probability"], calamine::Data::Float(p) if (0.0..0.99999).contains(&p))
        );
        assert!(matches!(r["match_weight"], calamine::Data::Float(_)));
        assert_eq!(r["decision"], calamine::Data::Empty);
    }
    let sheet = xlsx_part(&review, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(r#"<dataValidation type="list""#)
            && sheet.contains("<formula1>\"match,not a match,unsure\"</formula1>")
            && sheet.contains(r#"sqref="A2:A36""#),
        "{sheet}"
    );
    let styles = xlsx_part(&review, "xl/styles.xml");
    assert!(styles.contains("FFFFC7CE") && styles.contains(r#"formatCode="0.0%""#));
    let workbook = xlsx_part(&review, "xl/workbook.xml");
    assert!(workbook.contains(r#"name="Review pairs""#) && workbook.contains(r#"name="About""#));
    let strings = xlsx_part(&review, "xl/sharedStrings.xml");
    for said in [
        "Threshold",
        "pairs with a match probability of 0.99999 or more",
        "Review band",
        "Fellegi-Sunter",
    ] {
        assert!(strings.contains(said), "About sheet lacks {said:?}");
    }

    // A steward decides three pairs (one unsure) in the workbook; --labels obeys the two decided.
    let id = |r: usize, c: &str| rows[r][c].to_string();
    let filled = path_in(&dir, "review-filled.xlsx");
    fill_decisions(
        &review,
        &filled,
        &[(2, "match"), (3, "not a match"), (4, "unsure")],
    );
    let (report, clusters) = relabel(&dir, &srcs, &filled, &BAND[..2], "xlsx");
    assert_eq!(report["labels_used"], 2, "{report}");
    assert_eq!(report["labels"]["accepted_by_labels"], 1, "{report}");
    assert!(same_cluster(&clusters, &id(0, "id_a"), &id(0, "id_b")));
    assert!(!same_cluster(&clusters, &id(1, "id_a"), &id(1, "id_b")));
}

/// Python of the git-ignored Playwright venv (`.ci/run` makes it), or `$STEWARD_PLAYWRIGHT_PYTHON`, when it
/// imports playwright. `None` skips the test when CI is unset; under CI a missing one fails.
fn playwright_python() -> Option<PathBuf> {
    let python = std::env::var_os("STEWARD_PLAYWRIGHT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/.venv/bin/python")
        });
    let works = Command::new(&python)
        .args(["-c", "import playwright.sync_api"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must run the review page in Chromium: {} cannot import playwright (see .ci/run)",
        python.display()
    );
    eprintln!(
        "skipped: no Playwright at {} (python3 -m venv tests/browser/.venv; PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
         tests/browser/.venv/bin/pip install playwright)",
        python.display()
    );
    None
}

#[test]
fn review_page_decided_in_chromium_feeds_labels() {
    let Some(python) = playwright_python() else {
        return;
    };
    let Some(chromium) = common_chromium() else {
        return;
    };
    let dir = tmp();
    let srcs = review_sources(&dir);
    let page = path_in(&dir, "review.html");
    steward()
        .args(["dedupe", &srcs.0, &srcs.1])
        .args(BAND)
        .arg("-o")
        .arg(path_in(&dir, "golden.csv"))
        .arg("--review-html")
        .arg(&page)
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<script>alert(1)"), "a value became markup");

    let decisions = path_in(&dir, "review-decisions.csv");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/review.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(&page)
        .arg(&decisions)
        .arg(&chromium)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "review.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen["errors"], serde_json::json!([]), "{seen}");
    assert_eq!(
        seen["dialogs"],
        serde_json::json!([]),
        "no script from the data ran: {seen}"
    );
    assert_eq!(
        seen["requests"],
        serde_json::json!([]),
        "the page loads nothing: {seen}"
    );
    assert_eq!(seen["pairs"], 35);
    assert_eq!(
        seen["scripts"], 2,
        "the data and the page's code, no other script element"
    );
    assert_eq!(
        seen["hostile_cells"], 1,
        "<script>alert(1)</script> shown as text"
    );
    assert_eq!(
        seen["pressed"],
        serde_json::json!(["match", "not a match", "match", "not a match"])
    );
    assert!(seen["count_text"]
        .as_str()
        .unwrap()
        .starts_with("4 of 35 decided"));
    for filter in ["min_filter", "field_filter"] {
        let f = &seen[filter];
        assert_eq!(f["shown"], f["expected"], "{filter}: {seen}");
        assert!(
            f["shown"].as_u64().unwrap() < 35,
            "{filter} hides pairs: {seen}"
        );
    }
    assert_eq!(seen["after_filters"], 35);
    assert_eq!(seen["download_name"], "review-decisions.csv");

    // The saved file is what --labels reads: the decisions take effect.
    let (_, rows) = read_csv(&decisions);
    assert_eq!(
        rows.len(),
        35,
        "every pair, undecided ones with an empty decision"
    );
    let decided: Vec<(String, String, String)> = seen["decided"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_string();
            (s("id_a"), s("id_b"), s("decision"))
        })
        .collect();
    let (report, clusters) = relabel(&dir, &srcs, &decisions, &BAND[..2], "strict");
    assert_eq!(report["labels_used"], 4, "{report}");
    assert_eq!(report["labels"]["accepted_by_labels"], 2, "{report}");
    assert_eq!(report["labels"]["labelled_matches_blocked"], 2, "{report}");
    for (a, b, d) in &decided {
        assert_eq!(same_cluster(&clusters, a, b), d == "match", "{a} {b} {d}");
    }
    // At the default threshold the model alone accepts these pairs: the two "not a match" split them.
    let (report, clusters) = relabel(&dir, &srcs, &decisions, &[], "default");
    assert_eq!(report["labels"]["rejected_by_labels"], 2, "{report}");
    for (a, b, d) in &decided {
        assert_eq!(same_cluster(&clusters, a, b), d == "match", "{a} {b} {d}");
    }
}

/// Chromium as the report checks find it; `None` skips when CI is unset.
fn common_chromium() -> Option<PathBuf> {
    match crate::common::chromium::find_chromium() {
        Some(c) => Some(c),
        None => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the review page in chromium: chromium is not installed"
            );
            eprintln!("skipped: chromium is not installed");
            None
        }
    }
}

//! Workbooks steward writes, opened by a real spreadsheet application: LibreOffice Calc, headless, from the
//! distribution's packages. It converts each workbook to flat OpenDocument (cell types and formulas are
//! attributes there) and each sheet to CSV as it shows the cells. Skipped when LibreOffice is missing, except
//! under CI, where `.ci/run` installs it.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KEY: &str = "0581691fa8477839c940f8e2bd625b5d6c0526100de3651e3f36bdd7ac03a157";

/// `soffice` (or `libreoffice`) on PATH, `$STEWARD_SOFFICE` first.
fn find_soffice() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("STEWARD_SOFFICE").map(PathBuf::from) {
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    ["soffice", "libreoffice"].iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|d| d.join(name))
            .find(|c| c.is_file())
    })
}

/// LibreOffice Calc with a profile of its own in a temporary folder (none is written to the user's home).
struct Calc {
    bin: PathBuf,
    profile: tempfile::TempDir,
}

impl Calc {
    /// `None` (skip) when LibreOffice is missing and CI is unset; under CI a missing LibreOffice fails.
    fn new() -> Option<Calc> {
        match find_soffice() {
            Some(bin) => Some(Calc {
                bin,
                profile: tmp(),
            }),
            None => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "CI must run the LibreOffice check: install libreoffice-calc-nogui (see .ci/run)"
                );
                eprintln!("skipped: LibreOffice (soffice) is not installed");
                None
            }
        }
    }

    /// Convert `files` with the filter `to` into `outdir`, as one headless run (killed after 3 minutes).
    fn convert(&self, files: &[&Path], to: &str, outdir: &Path) {
        let profile = format!(
            "-env:UserInstallation=file://{}",
            self.profile.path().display()
        );
        let mut child = Command::new(&self.bin)
            .arg(profile)
            .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
            .arg(outdir)
            .args(files)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("soffice starts");
        let start = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(
                    status.success(),
                    "soffice --convert-to {to} failed: {status}"
                );
                return;
            }
            if start.elapsed() > Duration::from_secs(180) {
                let _ = child.kill();
                panic!("soffice --convert-to {to} hung for 3 minutes");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// What LibreOffice holds in a workbook converted to flat OpenDocument: per sheet, its name and the count of
/// number, date and text cells; and how many cells hold a formula.
#[derive(Debug)]
struct Opened {
    sheets: Vec<(String, Cells)>,
    formulas: usize,
}

#[derive(Debug, Default, Clone, Copy)]
struct Cells {
    numbers: usize,
    dates: usize,
    texts: usize,
}

impl Opened {
    fn read(fods: &Path) -> Opened {
        let xml = std::fs::read_to_string(fods).unwrap();
        let mut sheets: Vec<(String, Cells)> = Vec::new();
        for part in xml.split("<table:table ").skip(1) {
            let name = part
                .split("table:name=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or_default()
                .to_string();
            let body = part.split("</table:table>").next().unwrap_or_default();
            let count = |t: &str| body.matches(&format!("office:value-type=\"{t}\"")).count();
            sheets.push((
                name,
                Cells {
                    numbers: count("float"),
                    dates: count("date"),
                    texts: count("string"),
                },
            ));
        }
        Opened {
            sheets,
            formulas: xml.matches("table:formula=").count(),
        }
    }

    fn names(&self) -> Vec<&str> {
        self.sheets.iter().map(|(n, _)| n.as_str()).collect()
    }

    fn cells(&self, sheet: &str) -> Cells {
        self.sheets
            .iter()
            .find(|(n, _)| n == sheet)
            .map(|(_, c)| *c)
            .unwrap_or_else(|| panic!("no sheet {sheet:?} in {:?}", self.names()))
    }
}

/// Rows of a CSV file.
fn csv_file(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

/// CSV as LibreOffice writes every sheet (`NAME-SHEET.csv`): UTF-8, cells as shown when `shown`, else raw
/// numbers; formulas never exported as formulas.
fn csv_filter(shown: bool) -> String {
    format!("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,{shown},false,false,-1")
}

#[test]
fn libreoffice_opens_every_kind_of_workbook_steward_writes() {
    let Some(calc) = Calc::new() else {
        return;
    };
    let dir = tmp();
    let src = fixture("customers.csv");
    let key = write_key(&path_in(&dir, "k.key"), KEY);
    let key = key.to_str().unwrap();
    let p = |name: &str| path_in(&dir, name);
    let run = |args: &[&str]| {
        steward().args(args).assert().success();
    };
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    run(&["import", &src, "-o", &s(&p("all.xlsx"))]);
    run(&["import", &src, "-o", &s(&p("all.csv"))]);
    let share = [
        "pseudonymize",
        &src,
        "--default-region",
        "CN",
        "--key-file",
        key,
    ];
    run(&[&share[..], &["-o", &s(&p("share.xlsx"))]].concat());
    run(&[&share[..], &["-o", &s(&p("share.csv"))]].concat());
    let set = p("set");
    run(&[
        "clean",
        &src,
        "--as-of",
        "2026-11-01",
        "--findings-format",
        "xlsx",
        "--output-format",
        "xlsx",
        "--out",
        &s(&set),
    ]);
    std::fs::write(p("requests.txt"), "wei.zhang@126.com\n").unwrap();
    run(&[
        "erase",
        &s(&p("all.xlsx")),
        "--requests",
        &s(&p("requests.txt")),
        "--key-file",
        key,
        "--receipt",
        &s(&p("receipt.json")),
        "-o",
        &s(&p("erased.xlsx")),
    ]);
    // A user's own workbook, erased beside itself: rewritten, never given an About sheet.
    let user = p("crm.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Customers").unwrap();
    for (r, row) in [
        ["id", "email", "spend"],
        ["00123", "ann@example.com", "12.5"],
        ["2", "wei.zhang@126.com", "3"],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            match (r, c) {
                (1.., 2) => ws.write_number(r as u32, c as u16, v.parse::<f64>().unwrap()),
                _ => ws.write_string(r as u32, c as u16, *v),
            }
            .unwrap();
        }
    }
    wb.save(&user).unwrap();
    run(&[
        "erase",
        &s(&user),
        "--requests",
        &s(&p("requests.txt")),
        "--key-file",
        key,
        "--receipt",
        &s(&p("receipt2.json")),
        "-o",
        &s(&p("crm-erased.xlsx")),
    ]);

    // A control: a real formula, which the check must see.
    let control = p("control.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_formula(0, 0, "=1+2").unwrap();
    wb.save(&control).unwrap();

    let workbooks: Vec<PathBuf> = vec![
        p("all.xlsx"),
        p("share.xlsx"),
        set.join("cleaned.xlsx"),
        set.join("findings.xlsx"),
        set.join("rejects.xlsx"),
        p("erased.xlsx"),
        p("crm-erased.xlsx"),
    ];
    let fods = p("fods");
    let shown = p("shown");
    let raw = p("raw");
    for d in [&fods, &shown, &raw] {
        std::fs::create_dir(d).unwrap();
    }
    let mut files: Vec<&Path> = workbooks.iter().map(|w| w.as_path()).collect();
    files.push(&control);
    calc.convert(&files, "fods", &fods);
    let opened = |w: &Path| Opened::read(&fods.join(w.with_extension("fods").file_name().unwrap()));

    assert_eq!(
        opened(&control).formulas,
        1,
        "the formula check sees formulas"
    );
    // No cell of any of them is a formula, whatever its text starts with (the fixture has =HYPERLINK(...)).
    for w in &workbooks {
        assert_eq!(opened(w).formulas, 0, "{}: formula cells", w.display());
    }
    // New workbooks end with the About sheet; erase's rewrites keep the sheets they had.
    for w in &workbooks[..5] {
        let o = opened(w);
        assert_eq!(
            o.names().last(),
            Some(&"About"),
            "{}: {:?}",
            w.display(),
            o.names()
        );
        assert!(o.cells("About").texts > 10, "{}", w.display());
    }
    assert_eq!(opened(&p("erased.xlsx")).names(), ["customers", "About"]);
    assert_eq!(
        opened(&user.with_file_name("crm-erased.xlsx")).names(),
        ["Customers"]
    );
    // Typed cells where the text is canonical: amounts and counts are numbers, ISO dates are dates.
    for (w, numbers, dates) in [
        (p("all.xlsx"), 400, 300),
        (p("share.xlsx"), 400, 200),
        (set.join("cleaned.xlsx"), 300, 200),
        (p("erased.xlsx"), 400, 300),
    ] {
        let c = opened(&w).cells("customers");
        assert!(
            c.numbers >= numbers && c.dates >= dates,
            "{}: {c:?}",
            w.display()
        );
    }
    let rejects = opened(&set.join("rejects.xlsx")).cells("customers");
    assert!(
        rejects.numbers > 0 && rejects.dates > 0,
        "rejects: {rejects:?}"
    );
    let findings = opened(&set.join("findings.xlsx")).cells("customers");
    assert!(
        findings.texts > 0 && findings.dates == 0,
        "findings: {findings:?}"
    );
    let user_cells = opened(&user.with_file_name("crm-erased.xlsx")).cells("Customers");
    assert_eq!(
        user_cells.numbers, 1,
        "the user's number stays a number: {user_cells:?}"
    );

    // As Calc shows them, the cells hold the very text of steward's CSV output (where the CSV writes
    // the formula guard's apostrophe, Calc shows the text without it).
    calc.convert(&files[..2], &csv_filter(true), &shown);
    calc.convert(&files[..1], &csv_filter(false), &raw);
    for (xlsx, csv) in [("all", "all.csv"), ("share", "share.csv")] {
        let want = csv_file(&p(csv));
        let got = csv_file(&shown.join(format!("{xlsx}-customers.csv")));
        assert_eq!(got.len(), want.len(), "{xlsx}: rows");
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            let w: Vec<String> = w
                .iter()
                .map(|v| v.strip_prefix('\'').unwrap_or(v).to_string())
                .collect();
            assert_eq!(g, &w, "{xlsx}: line {} as LibreOffice shows it", i + 1);
        }
        let about = std::fs::read_to_string(shown.join(format!("{xlsx}-About.csv"))).unwrap();
        assert!(about.contains("Personal data"), "{about}");
        assert!(
            about.contains("customers.csv") && !about.contains("/fixtures/"),
            "{about}"
        );
    }
    // Raw, a typed amount is the number itself: 1672.00 is shown with its decimals, held as 1672.
    let raw_rows = csv_file(&raw.join("all-customers.csv"));
    let shown_rows = csv_file(&shown.join("all-customers.csv"));
    let col = shown_rows[0]
        .iter()
        .position(|h| h == "total_spend")
        .unwrap();
    let zhang = shown_rows.iter().position(|r| r[0] == "10002").unwrap();
    assert_eq!(shown_rows[zhang][col], "1672.00");
    assert_eq!(raw_rows[zhang][col], "1672");
}

/// A review workbook a steward decided in, then opened and saved by LibreOffice: the drop-down, the fills and the
/// decisions survive, and `--labels` reads the saved file.
#[test]
fn libreoffice_keeps_the_review_drop_down_and_its_decisions() {
    use crate::review::{
        fill_decisions, relabel, review_rows, review_sources, same_cluster, xlsx_part, BAND,
    };
    let Some(calc) = Calc::new() else {
        return;
    };
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
        .success();
    let (_, rows) = review_rows(&review);
    let filled = path_in(&dir, "decided.xlsx");
    fill_decisions(&review, &filled, &[(2, "match"), (3, "not a match")]);
    let saved = path_in(&dir, "saved");
    std::fs::create_dir(&saved).unwrap();
    calc.convert(&[&filled], "xlsx:Calc MS Excel 2007 XML", &saved);
    calc.convert(&[&filled], "fods", &saved);
    let resaved = saved.join("decided.xlsx");

    let sheet = xlsx_part(&resaved, "xl/worksheets/sheet1.xml");
    let validation = sheet
        .split("<dataValidation ")
        .nth(1)
        .unwrap_or_else(|| panic!("LibreOffice dropped the drop-down: {sheet}"));
    assert!(validation.contains(r#"type="list""#), "{validation}");
    assert!(
        validation.contains("match,not a match,unsure"),
        "{validation}"
    );
    assert!(validation.contains(r#"sqref="A2:A36""#), "{validation}");
    let fods = std::fs::read_to_string(saved.join("decided.fods")).unwrap();
    assert!(
        fods.contains(r##"fo:background-color="#ffc7ce""##),
        "differing fields keep their fill"
    );
    assert!(
        fods.contains("table:content-validation "),
        "Calc shows the drop-down"
    );

    let (report, clusters) = relabel(&dir, &srcs, &resaved, &BAND[..2], "libreoffice");
    assert_eq!(report["labels_used"], 2, "{report}");
    let id = |r: usize, c: &str| rows[r][c].to_string();
    assert!(same_cluster(&clusters, &id(0, "id_a"), &id(0, "id_b")));
    assert!(!same_cluster(&clusters, &id(1, "id_a"), &id(1, "id_b")));
}

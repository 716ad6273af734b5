//! Workbooks steward writes, as their readers open them: cells typed only where the text is canonical, read back
//! by steward as the very text the CSV output holds.

use crate::common;
use common::*;
use predicates::prelude::*;
use std::path::Path;

const KEY: &str = "0581691fa8477839c940f8e2bd625b5d6c0526100de3651e3f36bdd7ac03a157";

/// Rows of a CSV file, the header first.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Run `args` of a command once with `-o OUT.csv` and once with `-o OUT.xlsx`; re-import the workbook to CSV
/// and check it holds the CSV output's text, cell for cell (the re-import's own lineage left out).
fn same_text_as_csv(dir: &tempfile::TempDir, name: &str, args: &[&str]) {
    let csv_out = path_in(dir, &format!("{name}.csv"));
    let xlsx_out = path_in(dir, &format!("{name}.xlsx"));
    for out in [&csv_out, &xlsx_out] {
        steward().args(args).arg("-o").arg(out).assert().success();
    }
    let back = path_in(dir, &format!("{name}.back.csv"));
    steward()
        .arg("import")
        .arg(&xlsx_out)
        .arg("-o")
        .arg(&back)
        .assert()
        .success();
    let want = csv_rows(&csv_out);
    let mut got = csv_rows(&back);
    // The re-import adds its own _source and _row; those of the workbook come back renamed.
    let lineage_in_want = want[0].iter().any(|c| c == "_source");
    for r in &mut got {
        r.truncate(r.len() - 2);
    }
    if lineage_in_want {
        for c in &mut got[0] {
            if let Some(base) = c.strip_suffix("_2") {
                *c = base.to_string();
            }
        }
    }
    assert_eq!(got.len(), want.len(), "{name}: rows");
    assert!(want.len() > 100, "{name}: the fixture's rows");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "{name}: line {} differs", i + 1);
    }
    // And the workbook has typed cells: numbers in the amounts, dates in the dates.
    let typed = typed_cells(&xlsx_out);
    assert!(
        typed.numbers > 100 && typed.dates > 100,
        "{name}: {typed:?}"
    );
}

#[derive(Debug, Default)]
pub struct TypedCells {
    pub numbers: usize,
    pub dates: usize,
    pub texts: usize,
}

/// The cell types of a workbook's first sheet, as calamine reads them.
pub fn typed_cells(path: &Path) -> TypedCells {
    use calamine::{Data, Reader};
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let first = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&first).unwrap();
    let mut t = TypedCells::default();
    for c in range.used_cells() {
        match c.2 {
            Data::Float(_) | Data::Int(_) => t.numbers += 1,
            Data::DateTime(_) => t.dates += 1,
            Data::String(_) => t.texts += 1,
            _ => {}
        }
    }
    t
}

#[test]
fn workbooks_read_back_as_the_csv_text() {
    let dir = tmp();
    let src = fixture("customers.csv");
    same_text_as_csv(&dir, "import", &["import", &src]);
    same_text_as_csv(
        &dir,
        "normalize",
        &["normalize", &src, "--as-of", "2025-06-30", "-q"],
    );
    let key = write_key(&path_in(&dir, "k.key"), KEY);
    same_text_as_csv(
        &dir,
        "share",
        &[
            "pseudonymize",
            &src,
            "--default-region",
            "CN",
            "--as-of",
            "2025-06-30",
            "--key-file",
            key.to_str().unwrap(),
        ],
    );
}

#[test]
fn identifiers_phones_and_odd_dates_stay_text() {
    let dir = tmp();
    let out = path_in(&dir, "all.xlsx");
    steward()
        .args(["import", &fixture("customers.csv"), "-o"])
        .arg(&out)
        .assert()
        .success();
    use calamine::{Data, Reader};
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = wb.worksheet_range("customers").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row_of = |id: &str| {
        range
            .rows()
            .find(|r| r[col("id")] == Data::String(id.to_string()))
            .unwrap()
            .to_vec()
    };
    // 00123 keeps its zeros; a phone stays text; 2022/12/5 is not ISO and stays text; 1672.00 is a number
    // shown with two decimals; 2024-03-05 is a date.
    let first = row_of("00123");
    assert_eq!(first[col("signup_date")], Data::String("2022/12/5".into()));
    assert_eq!(first[col("postcode")], Data::String("410006".into()));
    assert_eq!(first[col("mobile")], Data::String("18209858251".into()));
    let zhang = row_of("10002");
    assert_eq!(zhang[col("total_spend")], Data::Float(1672.0));
    assert_eq!(zhang[col("mobile")], Data::String("+8613591792479".into()));
    assert!(
        matches!(&zhang[col("signup_date")], Data::DateTime(d) if d.as_datetime().unwrap().to_string() == "2024-03-05 00:00:00"),
        "{:?}",
        zhang[col("signup_date")]
    );
    assert_eq!(
        zhang[col("resident_id")],
        Data::String("11010119930215627X".into())
    );
}

/// A part of an xlsx container as text.
pub fn xlsx_part(path: &Path, part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut text).unwrap();
    text
}

/// The About sheet of a workbook as (label, value) lines.
fn about_lines(path: &Path) -> Vec<(String, String)> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    assert_eq!(
        wb.sheet_names().last().map(String::as_str),
        Some("About"),
        "{}: the About sheet comes last",
        path.display()
    );
    let range = wb.worksheet_range("About").unwrap();
    let mut rows = range.rows();
    assert_eq!(rows.next().unwrap()[..2], ["Item", "Value"]);
    rows.map(|r| (r[0].to_string(), r[1].to_string())).collect()
}

#[test]
fn a_shared_workbook_says_what_it_is() {
    let dir = tmp();
    let key = write_key(&path_in(&dir, "k.key"), KEY);
    let out = path_in(&dir, "share.xlsx");
    steward()
        .args([
            "pseudonymize",
            &fixture("customers.csv"),
            "--default-region",
            "CN",
        ])
        .args(["--domain", "crm-share", "--key-file"])
        .arg(&key)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}.meta.json", out.display())).unwrap(),
    )
    .unwrap();
    let key_id = meta["key_id"].as_str().unwrap();
    let lines = about_lines(&out);
    let all: String = lines.iter().map(|(l, v)| format!("{l}: {v}\n")).collect();
    let value = |label: &str| {
        lines
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {label} in\n{all}"))
    };
    assert!(value("File").contains("Pseudonymized"), "{all}");
    assert!(value("Personal data").starts_with("pseudonymized"), "{all}");
    assert!(value("Protection").contains(key_id), "{all}");
    assert!(value("Protection").contains("\"crm-share\""), "{all}");
    assert!(all.contains("mobile: keyed token"), "{all}");
    assert_eq!(value("Sources"), "customers.csv");
    assert!(!all.contains("/fixtures/"), "no local path: {all}");
    assert!(value("Data").contains("300 row(s)"), "{all}");
    assert_eq!(
        value("Written by"),
        format!("steward {}", env!("CARGO_PKG_VERSION"))
    );
    assert!(value("Created").starts_with("20"), "{all}");
    let key_text = std::fs::read_to_string(&key).unwrap();
    assert!(!all.contains(key_text.trim()), "the key is never written");
    // Document properties: steward's mark, the title, the subject.
    let custom = xlsx_part(&out, "docProps/custom.xml");
    assert!(
        custom.contains(r#"name="steward_about_sheet"><vt:lpwstr>About</vt:lpwstr>"#),
        "{custom}"
    );
    let core = xlsx_part(&out, "docProps/core.xml");
    assert!(core.contains("<dc:title>Pseudonymized"), "{core}");
    assert!(
        core.contains("<cp:keywords>steward</cp:keywords>"),
        "{core}"
    );
    assert!(core.contains("<dcterms:created"), "{core}");

    // A raw import says it holds raw personal data.
    let raw = path_in(&dir, "all.xlsx");
    steward()
        .args(["import", &fixture("customers.csv"), "-o"])
        .arg(&raw)
        .assert()
        .success();
    let lines = about_lines(&raw);
    assert!(
        lines
            .iter()
            .any(|(l, v)| l == "Personal data" && v.starts_with("yes: raw personal data")),
        "{lines:?}"
    );
}

#[test]
fn steward_skips_its_about_sheet_but_reads_a_users_own() {
    let dir = tmp();
    let out = path_in(&dir, "all.xlsx");
    steward()
        .args(["import", &fixture("customers.csv"), "-o"])
        .arg(&out)
        .assert()
        .success();
    let back = path_in(&dir, "back.csv");
    let assert = steward()
        .arg("import")
        .arg(&out)
        .args(["--sheet", "all", "-o"])
        .arg(&back)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("imported 300 rows from 1 source(s)"),
        "{stderr}"
    );
    assert!(!stderr.contains("About"), "{stderr}");
    // Named, it is read like any sheet.
    steward()
        .arg("import")
        .arg(&out)
        .args(["--sheet", "About", "-o", "-"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Personal data"));

    // A user's own sheet called About, without steward's mark, is data.
    let user = path_in(&dir, "user.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (sheet, who) in [("Customers", "Ann"), ("About", "Bo")] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        ws.write_string(0, 0, "id").unwrap();
        ws.write_string(0, 1, "name").unwrap();
        ws.write_string(1, 0, "1").unwrap();
        ws.write_string(1, 1, who).unwrap();
    }
    wb.save(&user).unwrap();
    steward()
        .arg("import")
        .arg(&user)
        .args(["--sheet", "all", "-o", "-"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Ann").and(predicates::str::contains("Bo")));
}

#[test]
fn erase_never_adds_an_about_sheet() {
    use calamine::Reader;
    let dir = tmp();
    let key = write_key(&path_in(&dir, "k.key"), KEY);
    let req = path_in(&dir, "requests.txt");
    std::fs::write(&req, "bo@example.com\n").unwrap();
    // A user's workbook, rewritten in place and beside.
    let user = path_in(&dir, "crm.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Customers").unwrap();
    for (r, row) in [
        ["id", "email"],
        ["1", "ann@example.com"],
        ["2", "bo@example.com"],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(&user).unwrap();
    let beside = path_in(&dir, "crm-erased.xlsx");
    for extra in [vec!["-o", beside.to_str().unwrap()], vec!["--in-place"]] {
        steward()
            .arg("erase")
            .arg(&user)
            .arg("--requests")
            .arg(&req)
            .arg("--key-file")
            .arg(&key)
            .arg("--receipt")
            .arg(path_in(&dir, "receipt.json"))
            .arg("--force")
            .args(&extra)
            .assert()
            .success();
    }
    for path in [&beside, &user] {
        let wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
        assert_eq!(wb.sheet_names(), ["Customers"], "{}", path.display());
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        assert!(
            zip.by_name("docProps/custom.xml").is_err(),
            "{}: no steward mark",
            path.display()
        );
    }
    // A workbook steward wrote keeps its About sheet, still marked, so it is still skipped.
    let own = path_in(&dir, "all.xlsx");
    steward()
        .args(["import", &fixture("customers.csv"), "-o"])
        .arg(&own)
        .assert()
        .success();
    std::fs::write(&req, "wei.zhang@126.com\n").unwrap();
    let erased = path_in(&dir, "all-erased.xlsx");
    steward()
        .arg("erase")
        .arg(&own)
        .arg("--requests")
        .arg(&req)
        .arg("--key-file")
        .arg(&key)
        .arg("--receipt")
        .arg(path_in(&dir, "receipt2.json"))
        .arg("-o")
        .arg(&erased)
        .assert()
        .success();
    let wb: calamine::Xlsx<_> = calamine::open_workbook(&erased).unwrap();
    assert_eq!(wb.sheet_names(), ["customers", "About"]);
    assert!(xlsx_part(&erased, "docProps/custom.xml").contains("steward_about_sheet"));
    steward()
        .arg("import")
        .arg(&erased)
        .args(["--sheet", "all", "-o", "-"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "imported 299 rows from 1 source(s)",
        ));
}

#[test]
fn a_datetime_at_midnight_keeps_its_time() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tmp();
    let src = path_in(&dir, "orders.xlsx");
    let mut wb = Workbook::new();
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let us_datetime = Format::new().set_num_format_index(22);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    for (c, h) in ["id", "ordered_at", "us_time", "signup_date"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let day = |d: u8| ExcelDateTime::from_ymd(2024, 3, d).unwrap();
    for (r, (ordered, joined)) in [
        (day(5), day(5)),
        (day(5).and_hms(14, 30, 0).unwrap(), day(6)),
    ]
    .iter()
    .enumerate()
    {
        let r = r as u32 + 1;
        ws.write_string(r, 0, (r).to_string()).unwrap();
        ws.write_datetime_with_format(r, 1, ordered, &datetime)
            .unwrap();
        ws.write_datetime_with_format(r, 2, ordered, &us_datetime)
            .unwrap();
        ws.write_datetime_with_format(r, 3, joined, &date).unwrap();
    }
    wb.save(&src).unwrap();
    let out = steward()
        .arg("import")
        .arg(&src)
        .args(["-o", "-", "-q"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let (_, rows) = csv_bytes_rows(text.as_bytes());
    let col = |r: usize, c: &str| rows[r][c].clone();
    assert_eq!(col(0, "ordered_at"), "2024-03-05T00:00:00", "{text}");
    assert_eq!(col(0, "us_time"), "2024-03-05T00:00:00", "{text}");
    assert_eq!(col(0, "signup_date"), "2024-03-05", "{text}");
    assert_eq!(col(1, "ordered_at"), "2024-03-05T14:30:00", "{text}");
    assert_eq!(col(1, "signup_date"), "2024-03-06", "{text}");
}

//! Workbooks steward writes, as their readers open them: cells typed only where the text is canonical, read back
//! by steward as the very text the CSV output holds.

use crate::common;
use common::*;
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

//! `steward erase` complete and faithful: every sheet and every column searched, identifiers in free text
//! redacted, each source written in its own format (byte for byte for CSV, in place or beside), requests
//! files with a header, national numbers read in each row's country, and outputs that land together.

use crate::common::*;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const KEY: &str = "0581691fa8477839c940f8e2bd625b5d6c0526100de3651e3f36bdd7ac03a157";

fn key(dir: &tempfile::TempDir) -> PathBuf {
    write_key(&path_in(dir, "k.key"), KEY)
}

/// `steward erase SRC... --requests R --key-file K --receipt RECEIPT` plus `extra`.
fn erase(
    dir: &tempfile::TempDir,
    sources: &[&Path],
    requests: &str,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    let req = path_in(dir, "requests.txt");
    std::fs::write(&req, requests).unwrap();
    let mut cmd = steward();
    cmd.arg("erase").args(sources).arg("--requests").arg(&req);
    cmd.arg("--key-file").arg(key(dir));
    cmd.arg("--receipt").arg(path_in(dir, "receipt.json"));
    cmd.args(extra).assert()
}

fn receipt(dir: &tempfile::TempDir) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path_in(dir, "receipt.json")).unwrap()).unwrap()
}

/// A workbook with a title row above the header, typed values, and a second sheet holding another customer.
fn workbook(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name("Customers").unwrap();
    ws.write_string(0, 0, "Customer list 2024").unwrap();
    for (c, h) in ["id", "name", "email", "code", "spend", "joined"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for (r, (id, name, email)) in [
        (1.0, "Ann Lee", "ann@example.com"),
        (2.0, "Bo Chen", "bo@example.com"),
        (3.0, "Cy Diaz", "cy@example.com"),
    ]
    .iter()
    .enumerate()
    {
        let r = r as u32 + 3;
        ws.write_number(r, 0, *id).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, *email).unwrap();
        ws.write_string(r, 3, "00123").unwrap();
        ws.write_number(r, 4, 12.5).unwrap();
        ws.write_datetime_with_format(r, 5, ExcelDateTime::from_ymd(2024, 3, 1).unwrap(), &date)
            .unwrap();
    }
    let ws2 = wb.add_worksheet();
    ws2.set_name("Wholesale").unwrap();
    for (c, h) in ["id", "name", "email"].iter().enumerate() {
        ws2.write_string(0, c as u16, *h).unwrap();
    }
    ws2.write_number(1, 0, 9.0).unwrap();
    ws2.write_string(1, 1, "Dee Fox").unwrap();
    ws2.write_string(1, 2, "dee@example.com").unwrap();
    ws2.write_number(2, 0, 10.0).unwrap();
    ws2.write_string(2, 1, "Eli Gray").unwrap();
    ws2.write_string(2, 2, "eli@example.com").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn every_sheet_is_searched_and_the_workbook_keeps_its_sheets_titles_and_types() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = tmp();
    let src = path_in(&dir, "crm.xlsx");
    workbook(&src);
    let out = path_in(&dir, "crm-erased.xlsx");
    // Dee is on the second sheet, Bo on the first.
    erase(
        &dir,
        &[&src],
        "dee@example.com\nbo@example.com\n",
        &["-o", out.to_str().unwrap()],
    )
    .success();
    let r = receipt(&dir);
    assert_eq!(r["rows_removed"], 2);
    assert_eq!(r["requests_without_match"], 0);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["Customers", "Wholesale"]);
    let s1 = wb.worksheet_range("Customers").unwrap();
    assert_eq!(
        s1.get_value((0, 0)),
        Some(&Data::String("Customer list 2024".into()))
    );
    let rows: Vec<Vec<Data>> = s1.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows.len(), 5, "title, blank, header, Ann, Cy");
    assert_eq!(rows[3][1], Data::String("Ann Lee".into()));
    assert_eq!(rows[4][1], Data::String("Cy Diaz".into()));
    assert_eq!(rows[3][0], Data::Float(1.0), "numbers stay numbers");
    assert_eq!(
        rows[3][3],
        Data::String("00123".into()),
        "text keeps its leading zeros"
    );
    assert_eq!(rows[3][4], Data::Float(12.5));
    match &rows[3][5] {
        Data::DateTime(d) => assert_eq!(
            d.as_datetime().unwrap().date(),
            chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()
        ),
        other => panic!("the date is no longer a date: {other:?}"),
    }
    let s2 = wb.worksheet_range("Wholesale").unwrap();
    let names: Vec<String> = s2.rows().map(|r| r[1].to_string()).collect();
    assert_eq!(names, ["name", "Eli Gray"]);
}

#[test]
fn unmapped_columns_are_searched_and_free_text_is_redacted_not_deleted() {
    let dir = tmp();
    let src = path_in(&dir, "c.csv");
    std::fs::write(
        &src,
        "id,name,email,Email 2,notes\n\
         1,Ann,ann@x.com,,\n\
         2,Bo,bo@x.com,bo.private@y.com,\n\
         3,Cy,cy@x.com,,referred by Dee@X.com on 2024-01-05\n\
         4,Dee,dee@x.com,,\n\
         5,Eve,eve@x.com,,call +44 7400 074871\n",
    )
    .unwrap();
    let out = path_in(&dir, "out.csv");
    erase(
        &dir,
        &[&src],
        "bo.private@y.com\ndee@x.com\n07400 074871\n",
        &["-o", out.to_str().unwrap(), "--default-region", "GB"],
    )
    .success();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "id,name,email,Email 2,notes\n\
         1,Ann,ann@x.com,,\n\
         3,Cy,cy@x.com,,referred by [erased] on 2024-01-05\n\
         5,Eve,eve@x.com,,call [erased]\n"
    );
    let r = receipt(&dir);
    assert_eq!(r["rows_removed"], 2, "Bo by Email 2, Dee by email");
    assert_eq!(r["values_redacted"], 2);
    assert_eq!(r["rows_removed_by_kind"]["email"], 2);
    assert_eq!(r["values_redacted_by_kind"]["email"], 1);
    assert_eq!(r["values_redacted_by_kind"]["phone"], 1);
    assert_eq!(r["inputs"][0]["redacted_by_column"]["notes"], 2);
    assert_eq!(
        r["inputs"][0]["file"], "c.csv",
        "no local folder in the receipt"
    );
    assert_eq!(
        r["inputs"][0]["identifier_columns"]["Email 2"],
        "email (by values)"
    );
    // Without the creation time, whose nanoseconds may hold any four digits.
    let mut r = r.clone();
    r.as_object_mut().unwrap().remove("created");
    let text = serde_json::to_string(&r).unwrap();
    for secret in ["bo.private", "dee@", "Dee@", "7400", "074871"] {
        assert!(!text.contains(secret), "{secret} in the receipt");
    }
}

/// A GBK file with CRLF line ends, semicolons, quoted fields (one across lines) and no final line break.
fn gbk_source(dir: &tempfile::TempDir) -> (PathBuf, Vec<u8>, Vec<u8>) {
    let records = [
        "客户编号;姓名;手机;备注\r\n",
        "\"001\";张伟;13812345678;\"多行\r\n备注\"\r\n",
        "002;李娜;13912345678;\"引号\"\"内\"\r\n",
        "003;王芳;13712345678;无",
    ];
    let enc = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
    let all: Vec<u8> = records.iter().flat_map(|r| enc(r)).collect();
    let without: Vec<u8> = [records[0], records[1], records[3]]
        .iter()
        .flat_map(|r| enc(r))
        .collect();
    let p = path_in(dir, "gbk.csv");
    std::fs::write(&p, &all).unwrap();
    (p, all, without)
}

#[test]
fn in_place_rewrites_each_source_byte_for_byte_and_leaves_no_copy() {
    let dir = tmp();
    let (gbk, _, gbk_without) = gbk_source(&dir);
    let utf8 = path_in(&dir, "bom.csv");
    std::fs::write(
        &utf8,
        "\u{feff}id,email\n1,a@x.com\n2,\"b@x.com\"\n3,c@x.com\n",
    )
    .unwrap();
    let before = names_in(dir.path());
    erase(
        &dir,
        &[&gbk, &utf8],
        "+86 139 1234 5678\nb@x.com\n",
        &["--in-place"],
    )
    .success();
    assert_eq!(std::fs::read(&gbk).unwrap(), gbk_without);
    assert_eq!(
        std::fs::read_to_string(&utf8).unwrap(),
        "\u{feff}id,email\n1,a@x.com\n3,c@x.com\n"
    );
    let mut after = names_in(dir.path());
    after.retain(|n| !before.contains(n));
    assert_eq!(
        after,
        [
            "k.key",
            "receipt.json",
            "receipt.json.manifest.json",
            "requests.txt"
        ],
        "no backup or temporary file anywhere"
    );
    let r = receipt(&dir);
    assert_eq!(r["mode"], "in_place");
    assert_eq!(r["rows_removed"], 2);
}

#[test]
fn each_source_is_written_beside_in_its_own_format_and_ambiguity_is_refused() {
    let dir = tmp();
    let (gbk, gbk_bytes, gbk_without) = gbk_source(&dir);
    let other = path_in(&dir, "other.csv");
    std::fs::write(&other, "id,email\r\n1,a@x.com\r\n").unwrap();
    let outdir = path_in(&dir, "out");
    std::fs::create_dir(&outdir).unwrap();
    erase(
        &dir,
        &[&gbk, &other],
        "13912345678\n",
        &["-o", outdir.to_str().unwrap(), "--default-region", "CN"],
    )
    .success();
    assert_eq!(std::fs::read(outdir.join("gbk.csv")).unwrap(), gbk_without);
    assert_eq!(
        std::fs::read(outdir.join("other.csv")).unwrap(),
        b"id,email\r\n1,a@x.com\r\n"
    );
    assert_eq!(
        std::fs::read(&gbk).unwrap(),
        gbk_bytes,
        "the input is never modified"
    );
    // Several sources and one file, --in-place with -o, stdin in place, a CSV to a workbook name: exit 2.
    let f = path_in(&dir, "one.csv");
    for extra in [
        vec!["-o", f.to_str().unwrap()],
        vec!["--in-place", "-o", f.to_str().unwrap()],
    ] {
        erase(&dir, &[&gbk, &other], "a@x.com\n", &extra).code(2);
    }
    erase(&dir, &[Path::new("-")], "a@x.com\n", &["--in-place"]).code(2);
    erase(
        &dir,
        &[&other],
        "a@x.com\n",
        &["-o", path_in(&dir, "x.xlsx").to_str().unwrap()],
    )
    .code(2);
    erase(&dir, &[&other], "a@x.com\n", &[]).code(2);
    assert!(!f.exists());
}

#[test]
fn a_requests_header_names_the_kind_of_its_column() {
    let dir = tmp();
    let src = path_in(&dir, "c.csv");
    std::fs::write(
        &src,
        "customer id,mobile,email\nid,13812345678,a@x.com\n7,13912345678,b@x.com\n",
    )
    .unwrap();
    let out = path_in(&dir, "out.csv");
    // Before: the header `email` was a customer id, and erased the customer whose id is "id".
    erase(
        &dir,
        &[&src],
        "email\nb@x.com\n",
        &["-o", out.to_str().unwrap()],
    )
    .success();
    let r = receipt(&dir);
    assert_eq!(r["requests"].as_array().unwrap().len(), 1);
    assert_eq!(r["requests"][0]["kind"], "email");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "customer id,mobile,email\nid,13812345678,a@x.com\n"
    );
    // Several columns, Chinese headers.
    erase(
        &dir,
        &[&src],
        "姓名,手机,邮箱\n张伟,+86 138 1234 5678,\n李娜,,nobody@x.com\n",
        &["-o", out.to_str().unwrap(), "--force"],
    )
    .success();
    let r = receipt(&dir);
    let kinds: Vec<&str> = r["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["phone", "email"]);
    assert_eq!(r["rows_removed"], 1);
}

#[test]
fn a_national_number_matches_in_the_row_own_country() {
    let dir = tmp();
    let src = path_in(&dir, "c.csv");
    std::fs::write(
        &src,
        "id,name,phone,country\n1,Amelia,07400 074871,United Kingdom\n2,Bob,(212) 555-0100,US\n",
    )
    .unwrap();
    let out = path_in(&dir, "out.csv");
    erase(
        &dir,
        &[&src],
        "07400 074871\n",
        &["-o", out.to_str().unwrap(), "--default-region", "US"],
    )
    .success();
    assert_eq!(receipt(&dir)["rows_removed"], 1);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "id,name,phone,country\n2,Bob,(212) 555-0100,US\n"
    );
}

/// Disk full while the outputs are written: exit 73 naming the file, and no new file anywhere (root only:
/// CI runs as root; a developer's machine without root skips it).
#[cfg(target_os = "linux")]
#[test]
fn outputs_land_together_or_not_at_all_when_the_disk_is_full() {
    let dir = tmp();
    let mnt = path_in(&dir, "small");
    let Some(_disk) = small_disk(&mnt, "64k") else {
        return;
    };
    let src = big_input(&dir, 2);
    let before = names_in(dir.path());
    // The data output does not fit: nothing appears, the receipt elsewhere included.
    let out = mnt.join("out.csv");
    erase(
        &dir,
        &[&src],
        "nobody@x.com\n",
        &["-o", out.to_str().unwrap()],
    )
    .code(73)
    .stderr(
        predicates::str::contains("out.csv")
            .and(predicates::str::contains("No space left on device")),
    );
    assert!(names_in(&mnt).is_empty(), "{:?}", names_in(&mnt));
    assert!(!path_in(&dir, "receipt.json").exists());
    // The disk fills up with the receipt: the data output written elsewhere does not appear either.
    fill_disk(&mnt.join("filler"));
    let out = path_in(&dir, "out.csv");
    let req = path_in(&dir, "requests.txt");
    steward()
        .args(["erase", src.to_str().unwrap(), "--requests"])
        .arg(&req)
        .arg("--key-file")
        .arg(key(&dir))
        .arg("--receipt")
        .arg(mnt.join("receipt.json"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(73)
        .stderr(predicates::str::contains("receipt.json"));
    assert_eq!(names_in(&mnt), ["filler"]);
    let mut after = names_in(dir.path());
    after.retain(|n| !before.contains(n));
    assert_eq!(
        after,
        ["k.key", "requests.txt"],
        "no output without its receipt"
    );
}

#[test]
fn a_data_format_is_refused_since_each_source_keeps_its_own() {
    let dir = tmp();
    let src = fixture("customers.csv");
    let out = path_in(&dir, "out.csv");
    for extra in [["--output-format", "xlsx"], ["--format", "xlsx"]] {
        let mut args = vec!["-o", out.to_str().unwrap()];
        args.extend(extra);
        erase(&dir, &[Path::new(&src)], "a@x.com\n", &args).code(2);
    }
    assert!(!out.exists());
}

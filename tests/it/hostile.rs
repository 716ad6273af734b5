//! Hostile and damaged inputs read in bounded time and memory: workbooks whose declared size or inflated size
//! is enormous, UTF-8 with a few bad bytes, thousands of repeated headers, and Excel numbers that lost digits.

use crate::common::*;

/// 30,000 columns all named `dup`: the names are `dup`, `dup_2` ... `dup_30000`, as for a few repeats.
/// (Renaming was quadratic: this took 396 s with a debug build and 31 s with a release build.)
#[test]
fn thirty_thousand_repeated_headers_get_the_usual_names() {
    let dir = tmp();
    let src = path_in(&dir, "dups.csv");
    let n = 30_000;
    let mut text = vec!["dup"; n].join(",");
    text.push('\n');
    text.push_str(&vec!["1"; n].join(","));
    text.push('\n');
    std::fs::write(&src, text).unwrap();
    let out = path_in(&dir, "out.csv");
    steward()
        .args(["import", src.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .assert()
        .success();
    let (headers, rows) = read_csv(&out);
    assert_eq!(headers.len(), n + 2);
    assert_eq!(headers[0], "dup");
    assert_eq!(headers[1], "dup_2");
    assert_eq!(headers[n - 1], format!("dup_{n}"));
    assert_eq!(&headers[n..], ["_source", "_row"]);
    assert_eq!(rows.len(), 1);
}

/// A few repeats, and a header already named like a suffix: the names are those steward always gave.
#[test]
fn repeated_header_names_are_unchanged() {
    let dir = tmp();
    let src = path_in(&dir, "small.csv");
    std::fs::write(&src, "a,a_2,a,a, ,column_5,a_3\n1,2,3,4,5,6,7\n").unwrap();
    let out = steward()
        .args(["import", src.to_str().unwrap(), "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let first = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        first.lines().next().unwrap(),
        "a,a_2,a_3,a_4,column_5,column_5_2,a_3_2,_source,_row"
    );
}

/// Four rows of UTF-8, one with the bytes FF FE inside a name: UTF-8 with errors, not windows-1252.
const MOSTLY_UTF8: &[u8] =
    b"name,email\nZo\xC3\xAB,zoe@x.com\nAnn B\xFF\xFEown,ann@x.com\nBob,bob@x.com\nCara,cara@x.com\n";

#[test]
fn utf8_with_a_bad_sequence_is_refused_not_read_as_windows_1252() {
    let dir = tmp();
    let src = path_in(&dir, "mostly_utf8.csv");
    std::fs::write(&src, MOSTLY_UTF8).unwrap();
    let out = steward()
        .args(["import", src.to_str().unwrap(), "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(out.stdout.is_empty(), "no row is written");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("mostly_utf8.csv: line 3, column 6"), "{err}");
    assert!(err.contains("0xFF 0xFE"), "{err}");
    assert!(err.contains("--encoding"), "{err}");
    assert!(!err.contains("Ã«"), "{err}");

    // Told the encoding, steward reads it so and says so.
    let out = steward()
        .args(["import", src.to_str().unwrap(), "-o", "-"])
        .args(["--encoding", "windows-1252"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().contains("ZoÃ«"));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("mostly_utf8.csv (csv, encoding windows-1252, given)"),
        "{err}"
    );
}

#[test]
fn legacy_encodings_are_still_detected() {
    // GBK (the fixture), and windows-1252 text with no UTF-8 in it.
    let out = steward()
        .args(["import", &fixture("customers_gbk.csv"), "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().contains("欧阳"));
    let dir = tmp();
    let latin = path_in(&dir, "latin.csv");
    std::fs::write(
        &latin,
        b"name,city\nZo\xEB M\xFCller,K\xF6ln\nJos\xE9,Sevilla\n",
    )
    .unwrap();
    let out = steward()
        .args(["import", latin.to_str().unwrap(), "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("Zoë Müller,Köln"));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("encoding windows-1252, detected"));
}

/// import, validate, normalize, pseudonymize and erase state each source's encoding in their summary, and the
/// manifest's inputs record it.
#[test]
fn every_command_states_the_encoding_it_read_with() {
    let dir = tmp();
    let gbk = fixture("customers_gbk.csv");
    let line = "customers_gbk.csv (csv, encoding GBK/GB18030, detected)";
    let run = |args: &[&str]| {
        let out = steward().args(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}: {err}");
        (String::from_utf8(out.stdout).unwrap(), err)
    };
    let manifest_encoding = |out: &std::path::Path| {
        let m: serde_json::Value = serde_json::from_slice(
            &std::fs::read(format!("{}.manifest.json", out.display())).unwrap(),
        )
        .unwrap();
        let input = &m["inputs"][0];
        (
            input["encoding"].as_str().unwrap().to_string(),
            input["encoding_how"].as_str().unwrap().to_string(),
        )
    };
    let detected = ("GBK/GB18030".to_string(), "detected".to_string());

    let imported = path_in(&dir, "imported.csv");
    let (_, err) = run(&["import", &gbk, "-o", imported.to_str().unwrap()]);
    assert!(err.contains(line), "{err}");
    assert_eq!(manifest_encoding(&imported), detected);

    // validate prints its summary on stdout.
    let (summary, _) = run(&["validate", &gbk]);
    assert!(summary.contains(line), "{summary}");
    let (json, _) = run(&["validate", &gbk, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["sources"][0]["encoding"], "GBK/GB18030");
    assert_eq!(v["sources"][0]["encoding_how"], "detected");

    let normalized = path_in(&dir, "normalized.csv");
    let (_, err) = run(&["normalize", &gbk, "-o", normalized.to_str().unwrap()]);
    assert!(err.contains(line), "{err}");
    assert_eq!(manifest_encoding(&normalized), detected);

    let key = path_in(&dir, "team.key");
    run(&["key", "new", key.to_str().unwrap()]);
    let pseudo = path_in(&dir, "pseudo.csv");
    let (_, err) = run(&[
        "pseudonymize",
        &gbk,
        "-o",
        pseudo.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert!(err.contains(line), "{err}");
    assert_eq!(manifest_encoding(&pseudo), detected);

    let requests = path_in(&dir, "requests.txt");
    std::fs::write(&requests, "nobody@example.com\n").unwrap();
    let erased = path_in(&dir, "erased.csv");
    let (_, err) = run(&[
        "erase",
        &gbk,
        "--requests",
        requests.to_str().unwrap(),
        "-o",
        erased.to_str().unwrap(),
        "--receipt",
        path_in(&dir, "receipt.json").to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert!(err.contains(line), "{err}");
    assert_eq!(manifest_encoding(&erased), detected);
}

// ---------------------------------------------------------------------------------------------------------
// Hostile workbooks, built on the fly and read under a memory limit.

/// Address space a run may use (`ulimit -v`, KiB). Steward reads the fixtures in about 50 MB; before these
/// limits, one cell at XFD1048576 asked for 512 GB and a 2 MB bomb for 3 GB.
const MEMORY_LIMIT_KIB: u64 = 1024 * 1024;

/// Run steward under the memory limit.
fn steward_limited(args: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .output()
        .expect("sh runs")
}

/// `import` and `inspect` both refuse the workbook: exit 65, one line naming the file and what in it, no
/// backtrace, nothing written.
fn assert_refused(path: &std::path::Path, names: &[&str]) -> String {
    let dir = tmp();
    let out_file = path_in(&dir, "out.csv");
    let file = path.to_str().unwrap();
    let mut last = String::new();
    for args in [
        vec!["import", file, "-o", out_file.to_str().unwrap()],
        vec!["inspect", file],
    ] {
        let out = steward_limited(&args);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(65), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
        let base = path.file_name().unwrap().to_str().unwrap();
        assert!(err.contains(base), "{err}");
        for n in names {
            assert!(err.contains(n), "{args:?}: no {n:?} in {err}");
        }
        assert!(out.stdout.is_empty());
        assert!(!out_file.exists());
        last = err;
    }
    last
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Customers" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>email</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Ann</t></is></c><c r="B2" t="inlineStr"><is><t>ann@x.com</t></is></c></row>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// An xlsx written part by part with the zip crate; the sheet's XML is `SHEET_HEAD`, `blanks` spaces, the tail.
fn xlsx_with_blanks(path: &std::path::Path, blanks: usize) {
    use std::io::Write;
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    z.write_all(SHEET_HEAD.as_bytes()).unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut left = blanks;
    while left > 0 {
        let n = left.min(chunk.len());
        z.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    z.write_all(SHEET_TAIL.as_bytes()).unwrap();
    z.finish().unwrap();
}

/// Rewrite the inflated size the zip headers declare for the sheet part (local header and central directory).
fn declare_sheet_size(path: &std::path::Path, size: u32) {
    let mut b = std::fs::read(path).unwrap();
    let name = b"xl/worksheets/sheet1.xml";
    let mut i = 0;
    while i + 46 < b.len() {
        let sig = u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
        let (size_at, name_len_at, name_at) = match sig {
            0x0403_4b50 => (22, 26, 30),
            0x0201_4b50 => (24, 28, 46),
            _ => {
                i += 1;
                continue;
            }
        };
        let len = u16::from_le_bytes(b[i + name_len_at..i + name_len_at + 2].try_into().unwrap());
        if b.get(i + name_at..i + name_at + len as usize) == Some(&name[..]) {
            b[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
        }
        i += 4;
    }
    std::fs::write(path, b).unwrap();
}

#[test]
fn one_cell_at_xfd1048576_is_refused_without_allocating_the_sheet() {
    let dir = tmp();
    let path = path_in(&dir, "far.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Customers").unwrap();
    ws.write_string(0, 0, "name").unwrap();
    ws.write_string(0, 1, "email").unwrap();
    ws.write_string(1, 0, "Ann").unwrap();
    ws.write_string(1, 1, "ann@x.com").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(&path).unwrap();
    let err = assert_refused(&path, &["sheet \"Customers\"", "A1:XFD1048576"]);
    assert!(err.contains("17,179,869,184 cells"), "{err}");
}

#[test]
fn a_deflate_bomb_is_refused_before_it_is_inflated() {
    let dir = tmp();
    // 256 MiB of blanks in the sheet compress to about a quarter of a megabyte.
    let path = path_in(&dir, "bomb.xlsx");
    xlsx_with_blanks(&path, 256 << 20);
    assert!(std::fs::metadata(&path).unwrap().len() < 2 << 20);
    assert_refused(&path, &["sheet \"Customers\"", "zip bomb"]);

    // A part declared larger than the absolute limit is refused on its declaration.
    let path = path_in(&dir, "declared.xlsx");
    xlsx_with_blanks(&path, 1 << 20);
    declare_sheet_size(&path, 2_000 << 20);
    assert_refused(&path, &["sheet \"Customers\"", "inflates to 2.0 GiB"]);

    // A part that inflates past what it declares is stopped there, as damaged.
    let path = path_in(&dir, "understated.xlsx");
    xlsx_with_blanks(&path, 32 << 20);
    declare_sheet_size(&path, 1 << 20);
    assert_refused(&path, &["damaged"]);
}

/// An ods whose repeated rows and columns expand to billions of cells.
#[test]
fn ods_repeats_are_counted_before_they_are_expanded() {
    use std::io::Write;
    let dir = tmp();
    let path = path_in(&dir, "repeats.ods");
    let cell = |s: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{s}</text:p></table:table-cell>"#
        )
    };
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Customers"><table:table-row>{}{}</table:table-row><table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#,
        cell("name"),
        cell("email"),
        cell("Ann"),
        cell("ann@x.com")
    );
    let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("content.xml", stored).unwrap();
    z.write_all(content.as_bytes()).unwrap();
    z.finish().unwrap();
    let err = assert_refused(&path, &["sheet \"Customers\""]);
    assert!(err.contains("98,304,") || err.contains("cells"), "{err}");
}

/// The fixture workbooks read as before, within the same memory limit.
#[test]
fn normal_workbooks_read_under_the_memory_limit() {
    for f in ["customers.xlsx", "customers.xls", "customers.ods"] {
        let out = steward_limited(&["import", &fixture(f), "-o", "-"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{f}: {err}");
        let (_, rows) = csv_bytes_rows(&out.stdout);
        assert_eq!(rows.len(), 300, "{f}");
        assert_eq!(
            rows[0]["_row"], "4",
            "{f}: the header is found below the title"
        );
        assert!(
            err.contains("skipped 1 row(s) above the header"),
            "{f}: {err}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// Excel numbers that lost digits.

/// A workbook where a resident ID was typed as a number: Excel keeps 430104196302121000.
fn workbook_with_rounded_id(path: &std::path::Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Customers").unwrap();
    for (c, h) in ["id", "name", "resident_id", "email"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "1").unwrap();
    ws.write_string(1, 1, "Zhang Wei").unwrap();
    ws.write_number(1, 2, 430104196302121229.0).unwrap();
    ws.write_string(1, 3, "zw@example.com").unwrap();
    ws.write_string(2, 0, "2").unwrap();
    ws.write_string(2, 1, "Li Na").unwrap();
    ws.write_string(2, 2, "11010519491231002X").unwrap();
    ws.write_string(2, 3, "ln@example.com").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn rounded_excel_ids_are_reported_as_lost_digits_with_no_suggestion() {
    let dir = tmp();
    let book = path_in(&dir, "ids.xlsx");
    workbook_with_rounded_id(&book);
    let book = book.to_str().unwrap();
    let check = |findings: &std::path::Path| {
        let (_, rows) = read_csv(findings);
        let row2: Vec<_> = rows.iter().filter(|r| r["_row"] == "2").collect();
        assert_eq!(row2.len(), 1, "{rows:?}");
        assert_eq!(row2[0]["field"], "resident_id");
        assert_eq!(row2[0]["rule"], "excel-precision-lost");
        assert_eq!(row2[0]["severity"], "error");
        assert_eq!(row2[0]["value"], "430104196302121000");
        assert_eq!(
            row2[0]["suggestion"], "",
            "no ID is made up from rounded digits"
        );
        assert!(
            rows.iter().all(|r| r["rule"] != "cn-id-checksum"),
            "{rows:?}"
        );
    };

    // import still notes the cell.
    let out = steward()
        .args(["import", book, "-o", "-"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("precision loss: 1 numeric cell(s)"));

    let findings = path_in(&dir, "findings.csv");
    let out = steward()
        .args(["validate", book, "--findings", findings.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the rounded ID is an error");
    assert!(String::from_utf8_lossy(&out.stdout).contains("excel-precision-lost 1"));
    check(&findings);

    // Read whole from stdin (another path through validate).
    let findings_stdin = path_in(&dir, "findings_stdin.csv");
    steward()
        .args(["validate", "-", "--input-format", "xlsx"])
        .args(["--findings", findings_stdin.to_str().unwrap()])
        .pipe_stdin(book)
        .unwrap()
        .assert()
        .code(1);
    let (_, rows) = read_csv(&findings_stdin);
    assert!(rows
        .iter()
        .any(|r| r["rule"] == "excel-precision-lost" && r["suggestion"].is_empty()));

    let out_dir = path_in(&dir, "clean");
    steward()
        .args(["clean", book, "--out", out_dir.to_str().unwrap()])
        .assert()
        .success();
    check(&out_dir.join("findings.csv"));
    let report = std::fs::read_to_string(out_dir.join("report.json")).unwrap();
    assert!(report.contains("excel-precision-lost"), "{report}");
}

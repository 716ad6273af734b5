//! `steward import` on every fixture: values survive byte for byte, provenance is right, outputs are safe.

use crate::common;
use common::*;
use predicates::prelude::*;

fn import_to_csv(
    src: &str,
    extra: &[&str],
) -> (Vec<String>, Vec<std::collections::HashMap<String, String>>) {
    let dir = tmp();
    let out = path_in(&dir, "out.csv");
    steward()
        .arg("import")
        .arg(src)
        .arg("-o")
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    read_csv(&out)
}

#[test]
fn utf8_csv_keeps_text_and_provenance() {
    let (headers, rows) = import_to_csv(&fixture("customers.csv"), &[]);
    assert_eq!(rows.len(), 300);
    assert_eq!(&headers[..3], &["id", "name", "email"]);
    assert_eq!(&headers[headers.len() - 3..], &["备注", "_source", "_row"]);
    let first = &rows[0];
    assert_eq!(first["id"], "00123", "leading zeros survive");
    assert_eq!(first["_row"], "2");
    assert!(first["_source"].ends_with("customers.csv"));
    let zw = row_with(&rows, "name", "张伟");
    assert_eq!(zw["signup_date"], "2024-03-05");
    assert_eq!(zw["_row"], "3");
    let p = row_with(&rows, "id", "10003");
    assert_eq!(
        p["mobile"], "+8613812345678",
        "a plain number is not neutralized"
    );
    // The record after a two-line quoted field starts on line 8.
    assert_eq!(row_with(&rows, "id", "10006")["_row"], "8");
    let note = &row_with(&rows, "id", "10005")["备注"];
    assert!(note.contains('\n') && note.contains("\"call before 6pm\""));
}

#[test]
fn formula_injection_is_neutralized_and_counted() {
    let dir = tmp();
    let out = path_in(&dir, "out.csv");
    steward()
        .args(["import", &fixture("customers.csv"), "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("formula guard"));
    let (_, rows) = read_csv(&out);
    assert_eq!(
        row_with(&rows, "id", "10004")["备注"],
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    // Machine pipelines can turn it off.
    let (_, raw) = import_to_csv(&fixture("customers.csv"), &["--no-formula-guard"]);
    assert_eq!(
        row_with(&raw, "id", "10004")["备注"],
        "=HYPERLINK(\"http://evil.example\",\"click\")"
    );
}

#[test]
fn gbk_csv_gives_the_same_characters() {
    let (_, utf8) = import_to_csv(&fixture("customers.csv"), &[]);
    let (_, gbk) = import_to_csv(&fixture("customers_gbk.csv"), &[]);
    assert_eq!(gbk.len(), utf8.len());
    assert_eq!(gbk[1]["name"], "张伟");
    for (a, b) in utf8.iter().zip(&gbk) {
        for (k, v) in a {
            if k != "_source" {
                assert_eq!(&b[k], v, "column {k}");
            }
        }
    }
}

#[test]
fn semicolon_crlf_bom_with_english_headers_maps_to_same_fields() {
    let (headers, rows) = import_to_csv(&fixture("customers_semicolon.csv"), &[]);
    assert_eq!(headers[0], "id", "BOM is not part of the first header");
    assert!(headers.contains(&"resident_id".to_string()));
    assert!(headers.contains(&"Notes".to_string()));
    assert_eq!(rows[0]["id"], "00123");
    assert_eq!(row_with(&rows, "name", "张伟")["_row"], "3");
    assert!(!rows[0]["id"].contains('\r'));
}

#[test]
fn xlsx_finds_header_below_title_and_renders_cells() {
    let (headers, rows) = import_to_csv(&fixture("customers.xlsx"), &[]);
    assert_eq!(headers[0], "id");
    assert_eq!(rows.len(), 300);
    assert_eq!(rows[0]["_row"], "4", "sheet row numbers");
    assert!(rows[0]["_source"].ends_with("customers.xlsx!客户"));
    assert_eq!(rows[0]["id"], "00123");
    let zw = row_with(&rows, "name", "张伟");
    assert_eq!(zw["signup_date"], "2024-03-05", "date cell as ISO 8601");
    assert_eq!(
        row_with(&rows, "id", "10009")["orders"],
        "3",
        "formula cell as its cached value"
    );
    // Whole numbers without a trailing .0
    assert!(rows.iter().all(|r| !r["total_spend"].ends_with(".0")));
    // The 18-digit ID typed as a number is kept (rounded as Excel stored it).
    assert_eq!(
        row_with(&rows, "id", "10007")["resident_id"],
        "110105199006213000"
    );
}

#[test]
fn xlsx_precision_loss_is_reported() {
    let dir = tmp();
    steward()
        .args(["import", &fixture("customers.xlsx"), "-o"])
        .arg(path_in(&dir, "o.csv"))
        .assert()
        .success()
        .stderr(predicate::str::contains("precision loss").and(predicate::str::contains("E10")));
}

#[test]
fn xls_and_ods_read_like_xlsx() {
    for f in ["customers.xls", "customers.ods"] {
        let (_, rows) = import_to_csv(&fixture(f), &[]);
        assert_eq!(rows.len(), 300, "{f}");
        assert_eq!(rows[0]["id"], "00123", "{f}");
        assert_eq!(
            row_with(&rows, "name", "张伟")["signup_date"],
            "2024-03-05",
            "{f}"
        );
        assert_eq!(rows[0]["_row"], "4", "{f}");
    }
}

#[test]
fn many_sources_and_globs_make_one_table() {
    let dir = tmp();
    let out = path_in(&dir, "all.csv");
    steward()
        .args([
            "import",
            &fixture("customers*.csv"),
            &fixture("customers.xlsx"),
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let (headers, rows) = read_csv(&out);
    assert_eq!(rows.len(), 1200);
    // Unmapped columns from every source are kept: 备注 and Notes.
    assert!(headers.contains(&"备注".to_string()) && headers.contains(&"Notes".to_string()));
    let sources: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["_source"].as_str()).collect();
    assert_eq!(sources.len(), 4);
}

#[test]
fn stdin_to_stdout() {
    let input = std::fs::read(fixture("customers.csv")).unwrap();
    let out = steward()
        .args(["import", "-", "-o", "-"])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let (headers, rows) = csv_bytes_rows(&out);
    assert_eq!(headers[0], "id");
    assert_eq!(rows.len(), 300);
    assert_eq!(rows[0]["_source"], "-");
}

#[test]
fn manual_map_and_user_schema() {
    let dir = tmp();
    let src = path_in(&dir, "in.csv");
    std::fs::write(&src, "Cust No,Kundenname,Notiz\n007,Anna,x\n").unwrap();
    let out = path_in(&dir, "out.csv");
    steward()
        .args(["import"])
        .arg(&src)
        .args(["--map", "Cust No=id", "--map", "Kundenname=name", "-o"])
        .arg(&out)
        .assert()
        .success();
    let (headers, rows) = read_csv(&out);
    assert_eq!(headers, vec!["id", "name", "Notiz", "_source", "_row"]);
    assert_eq!(rows[0]["id"], "007");

    let schema = path_in(&dir, "s.toml");
    std::fs::write(
        &schema,
        "extends = \"builtin\"\n[[field]]\nname = \"note\"\nkind = \"text\"\naliases = [\"Notiz\"]\n",
    )
    .unwrap();
    let out2 = path_in(&dir, "out2.csv");
    steward()
        .args(["import"])
        .arg(&src)
        .arg("--schema")
        .arg(&schema)
        .arg("-o")
        .arg(&out2)
        .assert()
        .success();
    let (headers, _) = read_csv(&out2);
    assert!(headers.contains(&"note".to_string()));
}

#[test]
fn frictionless_schema_is_accepted() {
    let dir = tmp();
    let src = path_in(&dir, "in.csv");
    std::fs::write(&src, "customer_id,email,tier\n1,a@x.com,A\n").unwrap();
    let schema = path_in(&dir, "schema.json");
    std::fs::write(
        &schema,
        r#"{"fields":[{"name":"customer_id","type":"string"},{"name":"email","type":"string","format":"email"},{"name":"tier","type":"string","constraints":{"enum":["A","B"]}}],"primaryKey":"customer_id"}"#,
    )
    .unwrap();
    let out = path_in(&dir, "o.csv");
    steward()
        .args(["import"])
        .arg(&src)
        .arg("--schema")
        .arg(&schema)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let (headers, _) = read_csv(&out);
    assert_eq!(
        headers,
        vec!["customer_id", "email", "tier", "_source", "_row"]
    );
}

#[test]
fn every_output_format_round_trips() {
    let dir = tmp();
    for ext in ["tsv", "jsonl", "parquet", "xlsx"] {
        let out = path_in(&dir, &format!("out.{ext}"));
        steward()
            .args(["import", &fixture("customers.csv"), "-o"])
            .arg(&out)
            .assert()
            .success();
        assert!(out.exists(), "{ext}");
    }
    // JSON lines: one object per row, _row a number.
    let jl = std::fs::read_to_string(path_in(&dir, "out.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(jl.lines().next().unwrap()).unwrap();
    assert_eq!(first["id"], "00123");
    assert_eq!(first["_row"], 2);
    assert_eq!(jl.lines().count(), 300);
    // xlsx: strings, readable back by steward itself.
    let back = path_in(&dir, "back.csv");
    steward()
        .args(["import"])
        .arg(path_in(&dir, "out.xlsx"))
        .arg("--no-formula-guard")
        .arg("-o")
        .arg(&back)
        .assert()
        .success();
    let (_, rows) = read_csv(&back);
    assert_eq!(rows[0]["id"], "00123");
    assert_eq!(row_with(&rows, "name", "张伟")["signup_date"], "2024-03-05");
    let note = &row_with(&rows, "id", "10004")["备注"];
    assert_eq!(
        note, "=HYPERLINK(\"http://evil.example\",\"click\")",
        "xlsx stores the text, never a formula"
    );
    // Parquet: read with polars, all text but _row.
    use polars::prelude::*;
    let f = std::fs::File::open(path_in(&dir, "out.parquet")).unwrap();
    let df = ParquetReader::new(f).finish().unwrap();
    assert_eq!(df.height(), 300);
    let id = df
        .column("id")
        .unwrap()
        .str()
        .unwrap()
        .get(0)
        .unwrap()
        .to_string();
    assert_eq!(id, "00123");
}

#[test]
fn existing_output_needs_force_and_inputs_are_never_overwritten() {
    let dir = tmp();
    let src = path_in(&dir, "in.csv");
    std::fs::write(&src, "id,name\n1,Anna\n").unwrap();
    let out = path_in(&dir, "out.csv");
    std::fs::write(&out, "keep me").unwrap();
    steward()
        .args(["import"])
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(73)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    // Even with --force, and even through a hard link, the input is refused.
    let link = path_in(&dir, "link.csv");
    std::fs::hard_link(&src, &link).unwrap();
    steward()
        .args(["import"])
        .arg(&src)
        .arg("-o")
        .arg(&link)
        .arg("--force")
        .assert()
        .code(73)
        .stderr(predicate::str::contains("input"));
    assert_eq!(std::fs::read_to_string(&src).unwrap(), "id,name\n1,Anna\n");
}

#[test]
fn unwritable_folder_is_exit_73_and_leaves_nothing() {
    let dir = tmp();
    steward()
        .args(["import", &fixture("customers.csv"), "-o"])
        .arg(dir.path().join("missing-folder/out.csv"))
        .assert()
        .code(73);
}

#[test]
fn lenient_sends_bad_rows_to_rejects_and_accounts_for_every_row() {
    let dir = tmp();
    let out = path_in(&dir, "out.csv");
    steward()
        .args(["import", &fixture("bad/ragged.csv"), "--lenient", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("6 in = 5 written + 1 rejected"));
    let (_, rejects) = read_csv(&path_in(&dir, "out.rejects.csv"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["_row"], "5");
    assert!(rejects[0]["reason"].contains("expected 4 fields"));
    assert!(rejects[0]["raw"].contains("多余字段"));
}

#[test]
fn lenient_recovers_after_an_unterminated_quote() {
    let dir = tmp();
    let out = path_in(&dir, "out.csv");
    let rej = path_in(&dir, "bad.csv");
    steward()
        .args([
            "import",
            &fixture("bad/unterminated_quote.csv"),
            "--lenient",
            "--rejects",
        ])
        .arg(&rej)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let (_, rows) = read_csv(&out);
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, vec!["1", "2", "4", "5"]);
    let (_, rejects) = read_csv(&rej);
    assert_eq!(rejects[0]["_row"], "4");
}

#[test]
fn a_device_is_written_to_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    for fmt in ["csv", "parquet", "xlsx"] {
        steward()
            .args([
                "import",
                &fixture("customers.csv"),
                "-o",
                "/dev/null",
                "--format",
                fmt,
            ])
            .assert()
            .success();
        let ft = std::fs::metadata("/dev/null").unwrap().file_type();
        assert!(ft.is_char_device(), "/dev/null must stay a device ({fmt})");
    }
}

#[test]
fn utf16_with_bom_and_tab_separated_read_like_utf8() {
    let dir = tmp();
    let text = std::fs::read_to_string(fixture("customers.csv")).unwrap();
    for (name, bytes) in [
        ("le.csv", {
            let mut b = vec![0xFF, 0xFE];
            b.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
            b
        }),
        ("be.csv", {
            let mut b = vec![0xFE, 0xFF];
            b.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
            b
        }),
    ] {
        let src = path_in(&dir, name);
        std::fs::write(&src, bytes).unwrap();
        let (_, rows) = import_to_csv(src.to_str().unwrap(), &[]);
        assert_eq!(rows.len(), 300, "{name}");
        assert_eq!(rows[1]["name"], "张伟", "{name}");
        assert_eq!(rows[0]["id"], "00123", "{name}");
    }
    // The same data tab-separated, delimiter sniffed.
    let tsv = path_in(&dir, "c.tsv");
    let mut w = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .from_path(&tsv)
        .unwrap();
    let mut r = csv::Reader::from_path(fixture("customers.csv")).unwrap();
    w.write_record(r.headers().unwrap()).unwrap();
    for rec in r.records() {
        w.write_record(&rec.unwrap()).unwrap();
    }
    w.flush().unwrap();
    let (_, rows) = import_to_csv(tsv.to_str().unwrap(), &[]);
    assert_eq!(rows.len(), 300);
    assert_eq!(row_with(&rows, "id", "10003")["mobile"], "+8613812345678");
}

/// Inputs over a few megabytes are read in chunks: rows, lines of errors and stdin behave as for small files.
#[test]
fn large_csv_streams_with_exact_lines_and_counts() {
    let dir = tmp();
    let big = path_in(&dir, "big.csv");
    let mut text = String::from("客户编号,姓名,邮箱,备注\n");
    for i in 0..90_000 {
        // A quoted multi-line note every 1000 rows, so chunk boundaries meet quoted line breaks.
        let note = if i % 1000 == 7 {
            "\"第一行\n第二行, 有逗号\""
        } else {
            "普通备注文字用来填充"
        };
        text.push_str(&format!("{:05},张伟{i},user{i}@example.com,{note}\n", i));
    }
    let lines_before = text.matches('\n').count();
    text.push_str("99999,坏行\n");
    std::fs::write(&big, &text).unwrap();
    assert!(text.len() > 5 << 20);
    // Strict: the short row at the end is named by its physical line.
    steward()
        .args(["import"])
        .arg(&big)
        .args(["-o", "-"])
        .assert()
        .code(65)
        .stderr(predicates::str::contains(format!(
            "line {}",
            lines_before + 1
        )));
    // Lenient: every row accounted for, from a file and from stdin alike.
    for from_stdin in [false, true] {
        let out = path_in(&dir, &format!("out-{from_stdin}.csv"));
        let mut cmd = steward();
        cmd.args(["import", "--lenient", "--rejects"])
            .arg(path_in(&dir, &format!("rej-{from_stdin}.csv")));
        if from_stdin {
            cmd.arg("-").write_stdin(text.clone());
        } else {
            cmd.arg(&big);
        }
        cmd.arg("-o")
            .arg(&out)
            .assert()
            .success()
            .stderr(predicates::str::contains(
                "90001 in = 90000 written + 1 rejected",
            ));
        let (_, rows) = read_csv(&out);
        assert_eq!(rows.len(), 90_000);
        assert_eq!(rows[0]["id"], "00000");
        assert_eq!(rows[7]["备注"], "第一行\n第二行, 有逗号");
        assert_eq!(rows[89_999]["_row"], lines_before.to_string());
    }
}

//! `steward validate` and `steward normalize` on the fixtures: counts reconcile, rule codes are stable,
//! the policy sets the exit code, personal values are masked in the summary, nothing is dropped.

use crate::common;
use common::*;
use predicates::prelude::*;
use std::collections::HashMap;

const AS_OF: &str = "2026-11-01";

#[test]
fn validate_reconciles_and_fails_the_default_policy_on_errors() {
    let dir = tmp();
    let findings = path_in(&dir, "findings.csv");
    let rejects = path_in(&dir, "rejects.csv");
    let out = steward()
        .args([
            "validate",
            &fixture("customers.csv"),
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--findings",
        ])
        .arg(&findings)
        .arg("--rejects")
        .arg(&rejects)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let (rows_in, valid, rejected) = (
        v["rows_in"].as_u64().unwrap(),
        v["rows_valid"].as_u64().unwrap(),
        v["rows_rejected"].as_u64().unwrap(),
    );
    assert_eq!(rows_in, 300);
    assert_eq!(rows_in, valid + rejected);
    assert_eq!(v["policy"]["failed"], true);
    // The five planted wrong check digits are the errors, each with the corrected ID as suggestion.
    let (headers, rows) = read_csv(&findings);
    assert_eq!(
        headers,
        vec![
            "_source",
            "_row",
            "record_id",
            "field",
            "rule",
            "severity",
            "value",
            "message",
            "suggestion"
        ]
    );
    let bad = row_with(&rows, "record_id", "10008");
    assert_eq!(bad["rule"], "cn-id-checksum");
    assert_eq!(bad["_row"], "10");
    assert_eq!(
        bad["value"], "110108196306076322",
        "findings hold raw values"
    );
    assert_eq!(bad["suggestion"], "110108196306076323");
    let typo = rows
        .iter()
        .find(|r| r["rule"] == "email-typo-domain")
        .unwrap();
    assert_eq!(typo["severity"], "warning");
    assert!(!typo["suggestion"].is_empty());
    let (rheaders, rrows) = read_csv(&rejects);
    assert_eq!(rrows.len() as u64, rejected);
    assert_eq!(rheaders.last().unwrap(), "_reasons");
    assert!(rrows
        .iter()
        .all(|r| r["_reasons"].contains("cn-id-checksum")));
}

#[test]
fn policy_flags_decide_the_exit_code() {
    let src = fixture("customers.csv");
    steward()
        .args(["validate", &src, "--as-of", AS_OF, "--fail-on", "never"])
        .assert()
        .code(0);
    steward()
        .args(["validate", &src, "--as-of", AS_OF, "--max-errors", "5"])
        .assert()
        .code(0);
    steward()
        .args(["validate", &src, "--as-of", AS_OF, "--max-errors", "4"])
        .assert()
        .code(1);
    steward()
        .args(["validate", &src, "--as-of", AS_OF, "--max-errors", "2%"])
        .assert()
        .code(0);
    steward()
        .args([
            "validate",
            &src,
            "--as-of",
            AS_OF,
            "--fail-on",
            "warning",
            "--max-errors",
            "2%",
        ])
        .assert()
        .code(1);
}

#[test]
fn summary_masks_personal_values() {
    steward()
        .args([
            "validate",
            &fixture("customers.csv"),
            "--as-of",
            AS_OF,
            "--fail-on",
            "never",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("300 in = 295 valid + 5 rejected")
                .and(predicate::str::contains("***@"))
                .and(predicate::str::contains("110108196306076322").not()),
        );
}

#[test]
fn normalize_writes_every_row_in_order_with_changes() {
    let dir = tmp();
    let out = path_in(&dir, "clean.csv");
    let changes = path_in(&dir, "changes.csv");
    steward()
        .args([
            "normalize",
            &fixture("customers_gbk.csv"),
            "--as-of",
            AS_OF,
            "-o",
        ])
        .arg(&out)
        .arg("--changes")
        .arg(&changes)
        .assert()
        .success();
    let (_, rows) = read_csv(&out);
    assert_eq!(rows.len(), 300);
    let rows_col: Vec<&str> = rows.iter().take(3).map(|r| r["_row"].as_str()).collect();
    assert_eq!(rows_col, vec!["2", "3", "4"]);
    let r = row_with(&rows, "id", "10003");
    assert_eq!(r["mobile"], "+8613812345678");
    assert_eq!(
        r["birth_date"], "1985-08-11",
        "20240305-style dates become ISO"
    );
    assert_eq!(r["country"], "CN");
    assert_eq!(
        row_with(&rows, "id", "10005")["signup_date"],
        "2022-08-09",
        "2022年8月9日"
    );
    assert_eq!(
        row_with(&rows, "id", "10007")["mobile"],
        "+8615945087837",
        "0086-159-4508-7837"
    );
    assert_eq!(row_with(&rows, "id", "00123")["gender"], "female");
    // An invalid value is kept as it was.
    assert_eq!(
        row_with(&rows, "id", "10008")["resident_id"],
        "110108196306076322"
    );
    let (_, ch) = read_csv(&changes);
    let c = ch
        .iter()
        .find(|c| c["_row"] == "4" && c["field"] == "birth_date")
        .unwrap();
    assert_eq!(
        (c["before"].as_str(), c["after"].as_str()),
        ("19850811", "1985-08-11")
    );
}

#[test]
fn normalize_xlsx_and_stdout() {
    let out = steward()
        .args([
            "normalize",
            &fixture("customers.xlsx"),
            "--as-of",
            AS_OF,
            "-o",
            "-",
            "-q",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let (_, rows) = csv_bytes_rows(&out);
    assert_eq!(rows.len(), 300);
    assert_eq!(row_with(&rows, "id", "10002")["signup_date"], "2024-03-05");
}

#[test]
fn split_names_fills_given_and_family() {
    let dir = tmp();
    let out = path_in(&dir, "clean.csv");
    let changes = path_in(&dir, "changes.csv");
    steward()
        .args([
            "normalize",
            &fixture("customers.csv"),
            "--as-of",
            AS_OF,
            "--split-names",
            "-o",
        ])
        .arg(&out)
        .arg("--changes")
        .arg(&changes)
        .assert()
        .success()
        .stderr(predicate::str::contains("split 300 full name(s)"));
    let (headers, rows) = read_csv(&out);
    assert_eq!(&headers[..4], &["id", "name", "given_name", "family_name"]);
    let r = row_with(&rows, "id", "10003");
    assert_eq!(
        (r["family_name"].as_str(), r["given_name"].as_str()),
        ("欧阳", "娜娜")
    );
    let r = row_with(&rows, "id", "10011");
    assert_eq!(
        (r["given_name"].as_str(), r["family_name"].as_str()),
        ("Jean-Luc", "Picard")
    );
    let r = row_with(&rows, "id", "10010");
    assert_eq!(
        r["name"], "Anna van der Berg",
        "Family, Given reordered and recased"
    );
    assert_eq!(
        (r["given_name"].as_str(), r["family_name"].as_str()),
        ("Anna", "van der Berg")
    );
    let (_, ch) = read_csv(&changes);
    assert!(ch
        .iter()
        .any(|c| c["rule"] == "split-name" && c["after"] == "欧阳"));
}

#[test]
fn day_first_is_a_flag_or_a_field_setting_never_a_guess() {
    let dir = tmp();
    let src = path_in(&dir, "in.csv");
    std::fs::write(&src, "id,signup_date\n1,05/03/2024\n2,25/03/2024\n").unwrap();
    // Without a setting, 05/03/2024 is ambiguous: kept as written, with a finding.
    let out = path_in(&dir, "a.csv");
    let findings = path_in(&dir, "f.csv");
    steward()
        .args(["normalize", src.to_str().unwrap(), "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg("--findings")
        .arg(&findings)
        .assert()
        .success();
    let (_, rows) = read_csv(&out);
    assert_eq!(rows[0]["signup_date"], "05/03/2024");
    assert_eq!(rows[1]["signup_date"], "2024-03-25", "25 cannot be a month");
    let (_, f) = read_csv(&findings);
    assert_eq!(f[0]["rule"], "date-ambiguous");
    // The schema can say how a field is written.
    let schema = path_in(&dir, "s.toml");
    std::fs::write(
        &schema,
        "extends = \"builtin\"\n[[field]]\nname = \"signup_date\"\nkind = \"date\"\nday_first = true\naliases = [\"signup_date\"]\n",
    )
    .unwrap();
    let out2 = path_in(&dir, "b.csv");
    steward()
        .args([
            "normalize",
            src.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--schema",
        ])
        .arg(&schema)
        .arg("-o")
        .arg(&out2)
        .assert()
        .success();
    let (_, rows) = read_csv(&out2);
    assert_eq!(rows[0]["signup_date"], "2024-03-05");
}

/// Files are checked as a stream of pieces on every core; stdin is loaded whole. Both must find the same
/// problems, reject the same rows (a repeated id included, found only at the end of a stream) and write the
/// same normalized data, on a file long enough to be cut into many pieces.
#[test]
fn streamed_and_whole_table_checks_agree() {
    let dir = tmp();
    let body = std::fs::read_to_string(fixture("customers.csv")).unwrap();
    let mut lines = body.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let mut big = String::from(header);
    big.push('\n');
    // 100 copies: every id repeats, and the file (over 4 MB) is read as a stream of many pieces.
    for _ in 0..100 {
        for r in &rows {
            big.push_str(r);
            big.push('\n');
        }
    }
    let input = path_in(&dir, "big.csv");
    std::fs::write(&input, &big).unwrap();
    let run = |stdin: bool, tag: &str| {
        let (f, r, n) = (
            path_in(&dir, &format!("f_{tag}.csv")),
            path_in(&dir, &format!("r_{tag}.csv")),
            path_in(&dir, &format!("n_{tag}.csv")),
        );
        let mut cmd = steward();
        cmd.args(["normalize", "--as-of", AS_OF, "--stale-after", "400d", "-q"]);
        if stdin {
            cmd.arg("-").write_stdin(big.clone());
        } else {
            cmd.arg(&input);
        }
        cmd.arg("-o")
            .arg(&n)
            .arg("--findings")
            .arg(&f)
            .arg("--rejects")
            .arg(&r)
            .assert()
            .success();
        // Provenance differs (a path, or stdin); everything else must be equal.
        let strip = |p: &std::path::Path| -> Vec<Vec<String>> {
            let mut rdr = csv::Reader::from_path(p).unwrap();
            let h = rdr.headers().unwrap().clone();
            let src = h.iter().position(|c| c == "_source").unwrap();
            rdr.records()
                .map(|rec| {
                    let rec = rec.unwrap();
                    rec.iter()
                        .enumerate()
                        .filter(|(i, _)| *i != src)
                        .map(|(_, v)| v.to_string())
                        .collect()
                })
                .collect()
        };
        (strip(&f), strip(&r), strip(&n))
    };
    let (f_file, r_file, n_file) = run(false, "file");
    let (f_stdin, r_stdin, n_stdin) = run(true, "stdin");
    assert!(
        f_file
            .iter()
            .any(|f| f.contains(&"unique-error".to_string())),
        "the repeated ids are found"
    );
    // Every record of the fixture 100 times (a quoted field spans lines, so records are not lines).
    assert!(big.len() > 4 << 20);
    assert_eq!(n_file.len() % 100, 0);
    assert!(n_file.len() >= 100 * 290);
    assert!(
        r_file.len() >= n_file.len() * 99 / 100,
        "nearly every row repeats an id: {} of {}",
        r_file.len(),
        n_file.len()
    );
    assert_eq!(f_file, f_stdin);
    assert_eq!(r_file, r_stdin);
    assert_eq!(n_file, n_stdin);
}

/// `NA` in a country column is Namibia (not a missing-value marker, as it is elsewhere), so the row's phone is
/// read in Namibia; Kosovo's user-assigned code `XK` is a country too (found by bench/conformance).
#[test]
fn namibia_and_kosovo_are_countries() {
    let out = steward()
        .args(["normalize", "-", "-o", "-"])
        .write_stdin("id,country,phone\n1,NA,081 123 4567\n2,Namibia,081 123 4567\n3,XK,043 201 234\n4,N/A,\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let (_, rows) = csv_bytes_rows(&out);
    assert_eq!(rows[0]["country"], "NA");
    assert_eq!(rows[0]["phone"], "+264811234567");
    assert_eq!(rows[1]["country"], "NA");
    assert_eq!(rows[2]["country"], "XK");
    assert_eq!(rows[2]["phone"], "+38343201234");
    assert_eq!(rows[3]["country"], "", "N/A is still a missing value");
}

/// Issue #21 conformance: one address however its domain is written (a repeated unique value), an invalid
/// IDNA label named, `00` with the row's own calling code, trunk digits and vanity letters read as
/// libphonenumber reads them, a two-digit year first, day or month 0 impossible, a real provider no typo.
#[test]
fn validate_reads_idn_domains_phones_and_dates_as_the_reference_libraries_do() {
    let dir = tmp();
    let schema = path_in(&dir, "s.toml");
    std::fs::write(
        &schema,
        "[[field]]\nname = \"id\"\nkind = \"id\"\n\
         [[field]]\nname = \"email\"\nkind = \"email\"\nunique = true\n\
         [[field]]\nname = \"mobile\"\nkind = \"phone\"\n\
         [[field]]\nname = \"country\"\nkind = \"country\"\n\
         [[field]]\nname = \"signup_date\"\nkind = \"date\"\n",
    )
    .unwrap();
    let src = path_in(&dir, "in.csv");
    std::fs::write(
        &src,
        "id,email,mobile,country,signup_date\n\
         1,user@münchen.de,00852 2123 4567,HK,97-12-30\n\
         2,user@xn--mnchen-3ya.de,+1 (1) 800 234 5785,US,2024-01-05\n\
         3,a@xn--a.de,+1-800-FLOWERS,US,10/00/2024\n\
         4,li@email.com,008 52 55 1234 5678,HK,0.1.2024\n",
    )
    .unwrap();
    let findings = path_in(&dir, "findings.csv");
    let out = path_in(&dir, "norm.csv");
    steward()
        .arg("validate")
        .arg(&src)
        .arg("--schema")
        .arg(&schema)
        .args(["--as-of", AS_OF, "--findings"])
        .arg(&findings)
        .assert()
        .code(1);
    let (_, f) = read_csv(&findings);
    let found: Vec<(String, String, String)> = f
        .iter()
        .map(|r| (r["_row"].clone(), r["rule"].clone(), r["message"].clone()))
        .collect();
    let rule_of = |row: &str, field: &str| -> Vec<String> {
        f.iter()
            .filter(|r| r["_row"] == row && r["field"] == field)
            .map(|r| r["rule"].clone())
            .collect()
    };
    // Rows 2 and 3 of the file are one address.
    assert_eq!(rule_of("2", "email"), ["unique-error"], "{found:?}");
    assert_eq!(rule_of("3", "email"), ["unique-error"], "{found:?}");
    let idna = row_with(&f, "_row", "4");
    assert_eq!(idna["rule"], "email-syntax");
    assert!(
        idna["message"].contains("domain label 'xn--a' is not a valid IDNA A-label"),
        "{idna:?}"
    );
    // email.com is a provider, not a typo of gmail.com.
    assert!(rule_of("5", "email").is_empty(), "{found:?}");
    // Phones: all four are numbers; the vanity one says how its letters were read.
    for row in ["2", "3", "5"] {
        assert!(rule_of(row, "mobile").is_empty(), "{row}: {found:?}");
    }
    assert_eq!(rule_of("4", "mobile"), ["phone-vanity"]);
    // Dates.
    assert_eq!(rule_of("2", "signup_date"), ["date-two-digit-year"]);
    for row in ["4", "5"] {
        let d = f
            .iter()
            .find(|r| r["_row"] == row && r["field"] == "signup_date")
            .unwrap();
        assert_eq!(d["rule"], "date-impossible");
        assert!(
            d["message"].ends_with("there is no day or month 0"),
            "{d:?}"
        );
    }

    steward()
        .arg("normalize")
        .arg(&src)
        .arg("--schema")
        .arg(&schema)
        .args(["--as-of", AS_OF, "-o"])
        .arg(&out)
        .assert()
        .success();
    let (_, rows) = read_csv(&out);
    let col = |c: &str| -> Vec<String> {
        rows.iter()
            .map(|r| r[c].trim_start_matches('\'').to_string())
            .collect()
    };
    assert_eq!(
        col("email"),
        [
            "user@münchen.de",
            "user@münchen.de",
            "a@xn--a.de",
            "li@email.com"
        ]
    );
    assert_eq!(
        col("mobile"),
        [
            "+85221234567",
            "+18002345785",
            "+18003569377",
            "+525512345678"
        ]
    );
    assert_eq!(
        col("signup_date"),
        ["1997-12-30", "2024-01-05", "10/00/2024", "0.1.2024"]
    );
}

#[test]
fn a_field_of_warnings_never_rejects_a_row() {
    // The built-in total_spend and orders are `severity = "warning"`: a value that is not an amount or a count
    // is reported as a warning and its row kept (segment counts it as missing purchase data).
    let dir = tmp();
    let list = path_in(&dir, "spend.csv");
    std::fs::write(
        &list,
        "id,name,email,total_spend,orders\n1,Ann Lee,ann@example.com,abc,2\n2,Bob Ray,bob@example.com,12.50,many\n",
    )
    .unwrap();
    let findings = path_in(&dir, "findings.csv");
    steward()
        .args(["validate"])
        .arg(&list)
        .arg("--findings")
        .arg(&findings)
        .assert()
        .success()
        .stdout(predicates::str::contains("2 in = 2 valid + 0 rejected"));
    let (_, rows) = read_csv(&findings);
    let of = |field: &str| rows.iter().find(|r| r["field"] == field).unwrap()["severity"].clone();
    assert_eq!(of("total_spend"), "warning");
    assert_eq!(of("orders"), "warning");
}

/// `steward CMD FILE FLAG OUT` and `steward CMD - FLAG OUT` on the same text (streamed from a file; read whole
/// from stdin into a table), exiting with `code`: the rows the file run wrote, after checking that the stdin
/// run wrote the same, column for column but the source's name.
fn from_file_and_stdin(
    text: &str,
    cmd: &str,
    flag: &str,
    code: i32,
) -> Vec<HashMap<String, String>> {
    let dir = tmp();
    let data = path_in(&dir, "in.csv");
    std::fs::write(&data, text).unwrap();
    let (from_file, from_stdin) = (path_in(&dir, "file.csv"), path_in(&dir, "stdin.csv"));
    for (input, out) in [(data.to_str().unwrap(), &from_file), ("-", &from_stdin)] {
        steward()
            .args([cmd, input, flag])
            .arg(out)
            .write_stdin(text)
            .assert()
            .code(code);
    }
    let (h1, file_rows) = read_csv(&from_file);
    let (h2, stdin_rows) = read_csv(&from_stdin);
    assert_eq!(h1, h2);
    assert_eq!(file_rows.len(), stdin_rows.len());
    for (i, (a, b)) in file_rows.iter().zip(&stdin_rows).enumerate() {
        for k in h1.iter().filter(|k| *k != "_source") {
            assert_eq!(a[k], b[k], "row {i} {k}");
        }
    }
    file_rows
}

#[test]
fn a_value_repeated_on_many_rows_names_its_first_rows_read_from_a_file_or_stdin_alike() {
    // One id on 100 rows among 500 distinct ones: 100 findings, each naming the first 20 rows and the count
    // of the rest, not all 100 (a value on a million rows wrote a million row numbers a million times).
    // Read whole from stdin, the table's own cells are sorted in place; streamed, a copy of the keys is.
    let mut text = String::from("id,name\n");
    for i in 0..600 {
        let id = if i % 6 == 0 { 7777 } else { i };
        text.push_str(&format!("{id},Name {i}\n"));
    }
    // Two missing ids are no repeat.
    text.push_str(",Nobody\n,Nobody Else\n");
    let rows = from_file_and_stdin(&text, "validate", "--findings", 1);
    let repeats: Vec<_> = rows
        .iter()
        .filter(|r| r["rule"] == "unique-error")
        .collect();
    assert_eq!(repeats.len(), 100, "{rows:?}");
    let rows_named: Vec<String> = (0..20).map(|k| (2 + 6 * k).to_string()).collect();
    let want = format!(
        "id \"7777\" appears 100 times (rows {}, and 80 more)",
        rows_named.join(", ")
    );
    for r in &repeats {
        assert_eq!(r["value"], "7777");
        assert_eq!(r["message"], want);
    }
    assert!(!rows
        .iter()
        .any(|r| r["value"].is_empty() && r["rule"] == "unique-error"));
}

#[test]
fn normalizing_from_stdin_gives_what_the_file_gives_whatever_the_lengths_of_the_changes() {
    // Read whole from stdin, changed values are put back into the table's columns: in place when each keeps
    // its length (e-mails in other case), into a new column when one does not (a phone losing its spaces,
    // a mixed column). Streamed from the file, rows are written as they are checked. Both must agree.
    let mut text = String::from("id,name,email,mobile,country\n");
    for i in 0..3000 {
        let email = if i % 3 == 0 {
            format!("User.{i}@Example.COM")
        } else {
            format!("user.{i}@example.com")
        };
        let mobile = match i % 4 {
            0 => format!("+44 7700 9{:05}", i),
            1 => format!("+4477009{:05}", i),
            2 => String::new(),
            _ => format!("07700 9{:05}", i),
        };
        text.push_str(&format!("C{i:05},Name {i},{email},{mobile},GB\n"));
    }
    let file_rows = from_file_and_stdin(&text, "normalize", "-o", 0);
    assert_eq!(file_rows.len(), 3000);
    let mut changed = (0, 0);
    for (i, a) in file_rows.iter().enumerate() {
        let local = if i % 3 == 0 { "User" } else { "user" };
        changed.0 += usize::from(a["email"] != format!("{local}.{i}@example.com"));
        changed.1 += usize::from(a["mobile"].contains(' '));
    }
    // The e-mails' domains were lower-cased (their local parts kept as written) and the phones lost their
    // spaces, in both.
    assert_eq!(changed, (0, 0), "{:?}", &file_rows[..4]);
}

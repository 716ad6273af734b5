//! Property tests: any table of text written as CSV reads back value for value, and the formula guard applies
//! to exactly the cells a spreadsheet would run.

use crate::common;

use proptest::prelude::*;
use steward::io::write::{formula_guard, needs_formula_guard};
use steward::io::{open_source, ReadOptions};
use steward::schema::Schema;
use steward::table::{plan_import, run_import};

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,12}",
        "[张伟李娜欧阳司马光,\"\n;|\t ]{0,10}",
        "0[0-9]{1,17}",
        "[=+@-][a-z0-9()+\"]{0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn csv_round_trips_every_value(rows in prop::collection::vec(prop::collection::vec(cell(), 3), 1..20)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        {
            let mut w = csv::Writer::from_path(&path).unwrap();
            w.write_record(["Customer ID", "Notes", "Remark"]).unwrap();
            for r in &rows {
                w.write_record(r).unwrap();
            }
            w.flush().unwrap();
        }
        let opts = ReadOptions { delimiter: Some(b','), ..Default::default() };
        let sources = open_source(path.to_str().unwrap(), &opts).unwrap();
        let schema = Schema::builtin();
        let plan = plan_import(&schema, &sources, &[]).unwrap();
        let mut got: Vec<Vec<String>> = Vec::new();
        let counts = run_import(&plan, &sources, |r| { got.push(r[..3].to_vec()); Ok(()) }, |_, _| Ok(())).unwrap();
        prop_assert_eq!(counts.rows_in, counts.rows_out + counts.rows_rejected);
        prop_assert_eq!(counts.rows_rejected, 0);
        // A row of empty cells is written as a line of bare commas and reads back as such.
        prop_assert_eq!(got, rows);
    }

    /// Phone numbers and amounts (digits, spaces and `+ - ( ) . , /`) and plain numbers are never altered.
    #[test]
    fn phone_shaped_and_numeric_values_are_never_altered(
        phone in "[0-9 +()./,-]{0,24}",
        x in proptest::num::f64::NORMAL,
        sign in "[+-]?",
    ) {
        prop_assert!(!needs_formula_guard(&phone), "{:?}", phone);
        prop_assert_eq!(formula_guard(&phone).to_string(), phone.clone());
        for n in [format!("{sign}{x}"), format!("{sign}{x:e}"), format!("{sign}{}", x.abs())] {
            prop_assert_eq!(formula_guard(&n).to_string(), n.clone());
        }
    }

    /// Every cell a spreadsheet would evaluate as a formula (functions, references, DDE) is neutralized.
    #[test]
    fn every_formula_is_neutralized(
        lead in "[=@\t\r]",
        sign in "[+-]",
        before in "[0-9 ().]{0,3}",
        danger in "[A-Za-z!:|$\"&*^%<>=@;']",
        rest in "\\PC{0,12}",
    ) {
        let always = format!("{lead}{before}{rest}");
        prop_assert!(needs_formula_guard(&always), "{:?}", always);
        prop_assert_eq!(formula_guard(&always).to_string(), format!("'{always}"));
        let signed = format!("{sign}{before}{danger}{rest}");
        // `+1e5` is a number, not a formula: the only letters a plain number may hold.
        prop_assume!(signed[1..].parse::<f64>().is_err());
        prop_assert!(needs_formula_guard(&signed), "{:?}", signed);
        prop_assert_eq!(formula_guard(&signed).to_string(), format!("'{signed}"));
    }

    /// Anything that starts otherwise is left as it is.
    #[test]
    fn other_text_is_never_altered(v in "[^=@\t\r+-]\\PC{0,12}") {
        prop_assert_eq!(formula_guard(&v).to_string(), v.clone());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Row accounting holds for any bytes: every record read is written or rejected (lenient), and strict
    /// reading either writes every row or fails with a one-line error, never a panic.
    #[test]
    fn row_accounting_holds_for_any_bytes(body in proptest::collection::vec(proptest::sample::select(vec![
        b'a', b'b', b',', b';', b'"', b'\n', b'\r', b' ', 0xe5, 0xbc, 0xa0, 0xff, b'1', b'\t', 0x00,
    ]), 0..400)) {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("in.csv");
        let mut bytes = b"id,name,email\n".to_vec();
        bytes.extend_from_slice(&body);
        std::fs::write(&src, &bytes).unwrap();
        let out = dir.path().join("out.csv");
        let rej = dir.path().join("rej.csv");
        let a = common::steward()
            .args(["import", "--lenient", "--delimiter", ",", "--encoding", "utf-8", "--rejects"])
            .arg(&rej)
            .arg(&src)
            .arg("-o")
            .arg(&out)
            .args(["--output-format", "csv"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&a.stderr);
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        if a.status.success() {
            // "imported N rows ...: IN in = OUT written + REJ rejected"
            let line = stderr.lines().next().unwrap_or("");
            let nums: Vec<u64> = line
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.parse().ok())
                .collect();
            prop_assert!(nums.len() >= 4, "{}", line);
            let (rows_in, written, rejected) = (nums[nums.len() - 3], nums[nums.len() - 2], nums[nums.len() - 1]);
            prop_assert_eq!(rows_in, written + rejected, "{}", line);
            let (_, rows) = common::read_csv(&out);
            prop_assert_eq!(rows.len() as u64, written);
            let (_, rejects) = common::read_csv(&rej);
            prop_assert_eq!(rejects.len() as u64, rejected);
        } else {
            let code = a.status.code().unwrap_or(-1);
            prop_assert!(code == 65, "exit {} {}", code, stderr);
            prop_assert_eq!(stderr.trim_end().lines().count(), 1, "{}", stderr);
            prop_assert!(!out.exists());
        }
    }
}

//! Property tests: any table of text written as CSV reads back value for value, and the formula guard applies
//! to exactly the cells a spreadsheet would run.

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

    #[test]
    fn formula_guard_applies_exactly_where_needed(v in "\\PC{0,12}") {
        let first = v.chars().next();
        let plain_number = v.trim_start_matches(['+', '-']).parse::<f64>().is_ok()
            && !v.trim_start_matches(['+', '-']).starts_with(['+', '-'])
            && v.trim_start_matches(['+', '-']).chars().all(|c| c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-');
        let dangerous = match first {
            Some('=') | Some('@') | Some('\t') | Some('\r') => true,
            Some('+') | Some('-') => v.chars().count() > 1 && !plain_number,
            _ => false,
        };
        prop_assert_eq!(needs_formula_guard(&v), dangerous, "{:?}", v);
        let g = formula_guard(&v);
        if dangerous {
            prop_assert_eq!(g.as_ref(), format!("'{v}"));
        } else {
            prop_assert_eq!(g.as_ref(), v.as_str());
        }
    }
}

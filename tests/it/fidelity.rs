//! Values leave as they came unless a rule changes them: the formula guard touches formulas only, never phone
//! numbers or amounts, through every CSV output and a pipe into the next command.

use crate::common;
use common::*;

const INTL: &str = "id,name,mobile,country,total_spend\n\
00123,Zoë Smith,+44 7700 900001,GB,-12.50\n\
00124,Ann Lee,+1 201-565-4873,US,1672.00\n\
00125,Bob Ray,+1 (212) 555-0100,US,3\n\
00126,\"=HYPERLINK(\"\"http://x\"\")\",+8613812345678,CN,+5\n\
00127,-SUM(A1),-,CN,\n";

#[test]
fn phones_and_amounts_pass_through_import_byte_identical_and_formulas_are_guarded() {
    let dir = tmp();
    let src = path_in(&dir, "intl.csv");
    std::fs::write(&src, INTL).unwrap();
    let out = steward()
        .args(["import", src.to_str().unwrap(), "-o", "-"])
        .assert()
        .success()
        .stderr(predicates::str::contains("formula guard: 2 cell(s)"))
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for v in [
        ",+44 7700 900001,",
        ",+1 201-565-4873,",
        ",+1 (212) 555-0100,",
        ",+8613812345678,",
        ",-12.50,",
        ",+5,",
        ",-,",
        "\n00123,",
    ] {
        assert!(text.contains(v), "{v} changed in {text}");
    }
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(text.contains(",'-SUM(A1),"), "{text}");
    // Piped into the next command, the phones are still valid phones.
    let piped = steward()
        .args(["validate", "-", "--format", "json"])
        .write_stdin(text.clone())
        .assert()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&piped).unwrap();
    let mobile = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "mobile")
        .unwrap()
        .clone();
    assert_eq!(mobile["invalid"], 0, "{mobile}");
    assert_eq!(mobile["valid"], 4, "{mobile}");
}

//! `--schema table.json`: a Frictionless Table Schema means what the spec says. Cells are validated raw, by
//! their type, format and constraints; missing values are the schema's; keys are the table's; nothing is
//! normalized unless `--steward-checks` asks for steward's own checks as well.

use crate::common;
use common::*;
use predicates::prelude::*;
use std::collections::BTreeSet;

const SCHEMA: &str = "tableschema/customers.schema.json";
const DATA: &str = "tableschema/customers.csv";

/// What `frictionless validate` (5.21, Table Schema v1) reports on the fixture, as (row, field, error type):
/// probed with its Python package; row and key errors have no field.
const FRICTIONLESS: &[(u32, &str, &str)] = &[
    (4, "", "foreign-key"),
    (4, "country", "constraint-error"),
    (4, "device", "type-error"),
    (4, "email", "type-error"),
    (4, "joined", "constraint-error"),
    (4, "orders", "type-error"),
    (4, "phone", "constraint-error"),
    (4, "vip", "type-error"),
    (4, "website", "type-error"),
    (5, "email", "type-error"),
    (5, "joined", "type-error"),
    (5, "loyalty_no", "constraint-error"),
    (5, "orders", "type-error"),
    (5, "phone", "constraint-error"),
    (5, "vip", "type-error"),
    (6, "joined", "type-error"),
    (6, "orders", "constraint-error"),
    (7, "", "primary-key"),
    (7, "joined", "type-error"),
    (7, "loyalty_no", "unique-error"),
    (7, "spend", "type-error"),
    (8, "", "primary-key"),
    (8, "joined", "constraint-error"),
    (9, "country", "constraint-error"),
    (9, "email", "type-error"),
    (9, "joined", "type-error"),
    (9, "loyalty_no", "constraint-error"),
    (10, "", "primary-key"),
    (10, "vip", "type-error"),
];

type Findings = BTreeSet<(u32, String, String)>;
type Rows = Vec<std::collections::HashMap<String, String>>;

fn findings_of(path: &std::path::Path) -> (Findings, Rows) {
    let (_, rows) = read_csv(path);
    let set = rows
        .iter()
        .map(|r| {
            let rule = r["rule"].clone();
            let field = if rule == "primary-key" || rule == "foreign-key" {
                String::new()
            } else {
                r["field"].clone()
            };
            (r["_row"].parse().unwrap(), field, rule)
        })
        .collect();
    (set, rows)
}

fn want() -> BTreeSet<(u32, String, String)> {
    FRICTIONLESS
        .iter()
        .map(|(r, f, t)| (*r, f.to_string(), t.to_string()))
        .collect()
}

#[test]
fn validates_by_the_spec_as_frictionless_does() {
    let dir = tmp();
    let findings = path_in(&dir, "f.csv");
    steward()
        .args([
            "validate",
            &fixture(DATA),
            "--schema",
            &fixture(SCHEMA),
            "--findings",
        ])
        .arg(&findings)
        .assert()
        .code(1);
    let (got, rows) = findings_of(&findings);
    assert_eq!(got, want());
    let message = |row: &str, field: &str| -> String {
        rows.iter()
            .find(|r| r["_row"] == row && r["field"] == field)
            .map(|r| r["message"].clone())
            .unwrap_or_else(|| panic!("no finding for {field} in row {row}"))
    };
    // Date bounds hold; non-ISO dates are not dates; integers are written as integers.
    assert!(message("4", "joined").contains("below the minimum 2000-01-01"));
    assert!(message("5", "joined").contains("\"2024/3/5\" is not a date in the form YYYY-MM-DD"));
    assert!(message("4", "orders").contains("\"1,000\" is not an integer"));
    assert!(message("5", "orders").contains("\"30.0\" is not an integer"));
    // Enum values, booleans and patterns are tested on the value as written.
    assert!(message("4", "country").contains("enum"));
    assert!(message("4", "vip").contains("\"yes\""));
    assert!(message("5", "phone").contains("pattern"));
    // The composite primary key: each repeat once, naming the first row; the first copy is not flagged.
    assert!(
        message("7", "customer_id, shop").contains("the same as in row 6"),
        "{rows:?}"
    );
    assert!(!rows
        .iter()
        .any(|r| r["_row"] == "6" && r["rule"] == "primary-key"));
    // Nothing steward would add of its own: no postcode check, no future-date or phone-validity rule.
    assert!(!rows.iter().any(|r| r["field"] == "postcode"));
}

#[test]
fn stdin_is_checked_the_same_way() {
    let dir = tmp();
    let findings = path_in(&dir, "f.csv");
    steward()
        .args(["validate", "-", "--schema", &fixture(SCHEMA), "--findings"])
        .arg(&findings)
        .write_stdin(std::fs::read(fixture(DATA)).unwrap())
        .assert()
        .code(1);
    assert_eq!(findings_of(&findings).0, want());
}

#[test]
fn values_leave_as_they_came() {
    let dir = tmp();
    let out = path_in(&dir, "n.csv");
    steward()
        .args(["normalize", &fixture(DATA), "--schema", &fixture(SCHEMA)])
        // `-INF` would be guarded against formula injection in a CSV meant for Excel.
        .arg("--no-formula-guard")
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("0 changed cells"));
    let (_, input) = read_csv(std::path::Path::new(&fixture(DATA)));
    let (_, output) = read_csv(&out);
    assert_eq!(input.len(), output.len());
    for (a, b) in input.iter().zip(&output) {
        for (k, v) in a {
            assert_eq!(&b[k], v, "column {k}");
        }
    }
}

#[test]
fn steward_checks_are_a_named_opt_in() {
    let dir = tmp();
    let findings = path_in(&dir, "f.csv");
    let out = path_in(&dir, "n.csv");
    steward()
        .args([
            "normalize",
            &fixture(DATA),
            "--schema",
            &fixture(SCHEMA),
            "--steward-checks",
            "-o",
        ])
        .arg(&out)
        .arg("--findings")
        .arg(&findings)
        .assert()
        .success();
    let (got, _) = findings_of(&findings);
    // The spec's findings are all still there, and steward's own come on top.
    assert!(
        want().is_subset(&got),
        "{:?}",
        want().difference(&got).collect::<Vec<_>>()
    );
    assert!(got.len() > want().len());
    let (_, rows) = read_csv(&out);
    // Normalized: the lower-case country code becomes the code.
    assert_eq!(row_with(&rows, "_row", "4")["country"], "CN");
}

#[test]
fn missing_values_replace_the_default() {
    let dir = tmp();
    let schema = path_in(&dir, "s.json");
    let data = path_in(&dir, "d.csv");
    std::fs::write(
        &schema,
        r#"{"fields":[{"name":"code","type":"string","constraints":{"required":true}},{"name":"qty","type":"integer"}],"missingValues":["n/a"]}"#,
    )
    .unwrap();
    std::fs::write(&data, "code,qty\n,n/a\nn/a,\nA,1\n").unwrap();
    let findings = path_in(&dir, "f.csv");
    steward()
        .args(["validate"])
        .arg(&data)
        .arg("--schema")
        .arg(&schema)
        .arg("--findings")
        .arg(&findings)
        .assert()
        .code(1);
    let (got, _) = findings_of(&findings);
    let expect: BTreeSet<(u32, String, String)> = [
        // An empty cell is a value once missingValues leaves "" out: an empty code is present,
        // an empty quantity is not an integer.
        (3, "code", "constraint-error"),
        (3, "qty", "type-error"),
    ]
    .iter()
    .map(|(r, f, t)| (*r, f.to_string(), t.to_string()))
    .collect();
    assert_eq!(got, expect);
}

#[test]
fn an_invalid_schema_is_exit_65_naming_field_and_reason() {
    let dir = tmp();
    let data = path_in(&dir, "d.csv");
    std::fs::write(&data, "a\n1\n").unwrap();
    for (text, want) in [
        (
            r#"{"fields":[{"name":"a","type":"int"}]}"#,
            "field \"a\" (fields[0]): type \"int\" is not a Table Schema v1 type",
        ),
        (
            r#"{"fields":[{"name":"a","type":"integer","constraints":{"minimum":"ten"}}]}"#,
            "constraint minimum: \"ten\" is not a value of type integer",
        ),
        (
            r#"{"fields":[{"name":"a","type":"integer","constraints":{"exclusiveMinimum":0}}]}"#,
            "exclusiveMinimum is defined by Table Schema v2; steward follows Table Schema v1",
        ),
    ] {
        let schema = path_in(&dir, "s.json");
        std::fs::write(&schema, text).unwrap();
        steward()
            .args(["validate"])
            .arg(&data)
            .arg("--schema")
            .arg(&schema)
            .assert()
            .code(65)
            .stderr(predicate::str::contains(want).and(predicate::str::contains("s.json")));
    }
}

/// A job names a Table Schema and opts into steward's checks with `steward_checks = true`: the cleaned
/// dataset then holds normalized values; without it, the values as they came.
#[test]
fn a_job_opts_in_with_steward_checks() {
    let dir = tmp();
    let schema = path_in(&dir, "s.json");
    std::fs::write(
        &schema,
        r#"{"fields":[{"name":"id","type":"integer"},{"name":"country","type":"string"},{"name":"email","type":"string"}]}"#,
    )
    .unwrap();
    let data = path_in(&dir, "d.csv");
    std::fs::write(
        &data,
        "id,country,email\n1,china,Li@Example.CN\n2,us,a@b.com\n",
    )
    .unwrap();
    let cleaned = |opt_in: bool| -> Vec<std::collections::HashMap<String, String>> {
        let j = path_in(&dir, "job.toml");
        std::fs::write(
            &j,
            format!(
                "sources = [{:?}]\nout = \"runs\"\nschema = \"s.json\"\nsteps = [\"import\", \"validate\", \"normalize\"]\nsteward_checks = {opt_in}\n",
                data.display().to_string()
            ),
        )
        .unwrap();
        steward().args(["run"]).arg(&j).assert().success();
        read_csv(&path_in(&dir, "runs").join("latest").join("cleaned.csv")).1
    };
    let raw = cleaned(false);
    assert_eq!(raw[0]["country"], "china");
    assert_eq!(raw[0]["email"], "Li@Example.CN");
    let checked = cleaned(true);
    assert_eq!(checked[0]["country"], "CN");
    assert_eq!(checked[1]["country"], "US");
}

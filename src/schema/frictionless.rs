//! Reading a Frictionless Table Schema (JSON), v1 as frictionless 5 validates it, into a steward schema. Each
//! field keeps its Table Schema type, format and constraints (`spec::SpecField`), which decide validity; it
//! also gets a steward field kind and privacy class (from a built-in field whose alias its name matches), which
//! later stages use: dedupe comparisons, protection and `--steward-checks`.
//!
//! What v1 does not define is refused with the field and the reason (exit 65): an unknown type or format, a
//! constraint the type does not take, a constraint value of the wrong type, and v2's additions
//! (`exclusiveMinimum`, `uniqueKeys`, the `list` type, field-level `missingValues`).

use anyhow::Result;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::sync::Arc;

use super::spec::{Caster, Constraints, ForeignKey, SpecField, SpecType, TableSpec, Value};
use super::{header_key, Field, FieldKind, Schema};
use crate::error::StewardError;

/// What steward follows, named in errors.
const FOLLOWS: &str = "steward follows Table Schema v1, as frictionless 5 validates it";

/// Properties Table Schema v2 adds, refused in a v1 schema.
const V2_TABLE: &[&str] = &["uniqueKeys", "fieldsMatch"];
const V2_FIELD: &[&str] = &[
    "missingValues",
    "categories",
    "categoriesOrdered",
    "itemType",
    "itemDelimiter",
];
const V2_CONSTRAINTS: &[&str] = &["exclusiveMinimum", "exclusiveMaximum", "jsonSchema"];

fn bad(origin: &str, what: String) -> anyhow::Error {
    StewardError::data(format!("{origin}: invalid Table Schema: {what}")).into()
}

/// A string or an array of strings (`primaryKey`, foreign key `fields`).
fn names(v: &Json, origin: &str, what: &str) -> Result<Vec<String>> {
    match v {
        Json::String(s) => Ok(vec![s.clone()]),
        Json::Array(a) if !a.is_empty() => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(String::from)
                    .ok_or_else(|| bad(origin, format!("{what} must list field names, found {x}")))
            })
            .collect(),
        other => Err(bad(
            origin,
            format!("{what} must be a field name or a list of them, found {other}"),
        )),
    }
}

fn strings(v: &Json, origin: &str, what: &str) -> Result<Vec<String>> {
    match v {
        Json::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str().map(String::from).ok_or_else(|| {
                    bad(
                        origin,
                        format!("{what} must be a list of strings, found {x}"),
                    )
                })
            })
            .collect(),
        other => Err(bad(
            origin,
            format!("{what} must be a list of strings, found {other}"),
        )),
    }
}

/// A constraint's value (minimum, maximum, an enum entry) as a value of the field's type.
fn constraint_value(caster: &Caster, v: &Json) -> Option<Value> {
    match (caster.ty, v) {
        (_, Json::String(s)) => caster.cast(s).ok(),
        (SpecType::Integer, Json::Number(n)) => n
            .as_i64()
            .map(|i| Value::Int(i as i128))
            .or_else(|| n.as_u64().map(|i| Value::Int(i as i128))),
        (SpecType::Number, Json::Number(n)) => n.as_f64().map(Value::Num),
        (SpecType::Year, Json::Number(n)) => n.as_i64().map(|y| Value::Year(y as i32)),
        (SpecType::Boolean, Json::Bool(b)) => Some(Value::Bool(*b)),
        (SpecType::Object, o @ Json::Object(_)) | (SpecType::Array, o @ Json::Array(_)) => {
            Some(Value::Json(o.clone()))
        }
        (SpecType::Geojson, o @ Json::Object(_)) => Some(Value::Json(o.clone())),
        (SpecType::Any, other) => Some(Value::Str(other.to_string())),
        _ => None,
    }
}

fn read_field(f: &Json, at: usize, origin: &str) -> Result<(String, Map<String, Json>, SpecField)> {
    let obj = f
        .as_object()
        .ok_or_else(|| bad(origin, format!("fields[{at}] must be an object, found {f}")))?;
    let name = match obj.get("name") {
        Some(Json::String(n)) if !n.is_empty() => n.clone(),
        Some(other) => {
            return Err(bad(
                origin,
                format!("fields[{at}]: name must be a non-empty string, found {other}"),
            ))
        }
        None => return Err(bad(origin, format!("fields[{at}] has no name"))),
    };
    let here = format!("field {name:?} (fields[{at}])");
    for k in V2_FIELD {
        if obj.contains_key(*k) {
            return Err(bad(
                origin,
                format!("{here}: `{k}` is defined by Table Schema v2; {FOLLOWS}"),
            ));
        }
    }
    let ty_name = match obj.get("type") {
        None => "string",
        Some(Json::String(t)) => t.as_str(),
        Some(other) => {
            return Err(bad(
                origin,
                format!("{here}: type must be a string, found {other}"),
            ))
        }
    };
    let ty = SpecType::parse(ty_name).ok_or_else(|| {
        let v2 = if ty_name == "list" {
            " (`list` is Table Schema v2)"
        } else {
            ""
        };
        bad(
            origin,
            format!("{here}: type {ty_name:?} is not a Table Schema v1 type{v2}; {FOLLOWS}"),
        )
    })?;
    let format = match obj.get("format") {
        None => "default".to_string(),
        Some(Json::String(s)) => s.clone(),
        Some(other) => {
            return Err(bad(
                origin,
                format!("{here}: format must be a string, found {other}"),
            ))
        }
    };
    if let Some(allowed) = ty.formats() {
        if !allowed.contains(&format.as_str()) {
            return Err(bad(
                origin,
                format!(
                    "{here}: format {format:?} is not defined for type {ty_name} (one of: {})",
                    allowed.join(", ")
                ),
            ));
        }
    }
    let mut caster = Caster::new(ty, &format);
    if ty == SpecType::Boolean {
        if let Some(v) = obj.get("trueValues") {
            caster.true_values = strings(v, origin, &format!("{here}: trueValues"))?;
        }
        if let Some(v) = obj.get("falseValues") {
            caster.false_values = strings(v, origin, &format!("{here}: falseValues"))?;
        }
    }
    if matches!(ty, SpecType::Integer | SpecType::Number) {
        if let Some(v) = obj.get("bareNumber") {
            caster.bare_number = v.as_bool().ok_or_else(|| {
                bad(
                    origin,
                    format!("{here}: bareNumber must be true or false, found {v}"),
                )
            })?;
        }
    }
    if ty == SpecType::Number {
        for (k, slot) in [("groupChar", 0), ("decimalChar", 1)] {
            if let Some(v) = obj.get(k) {
                let c = v.as_str().filter(|c| !c.is_empty()).ok_or_else(|| {
                    bad(
                        origin,
                        format!("{here}: {k} must be a character, found {v}"),
                    )
                })?;
                if slot == 0 {
                    caster.group_char = Some(c.to_string());
                } else {
                    caster.decimal_char = c.to_string();
                }
            }
        }
    }
    let mut constraints = Constraints::default();
    let empty = Map::new();
    let cons = match obj.get("constraints") {
        None => &empty,
        Some(Json::Object(c)) => c,
        Some(other) => {
            return Err(bad(
                origin,
                format!("{here}: constraints must be an object, found {other}"),
            ))
        }
    };
    for (k, v) in cons {
        let what = format!("{here}: constraint {k}");
        if V2_CONSTRAINTS.contains(&k.as_str()) {
            return Err(bad(
                origin,
                format!("{what} is defined by Table Schema v2; {FOLLOWS}"),
            ));
        }
        match k.as_str() {
            "required" | "unique" => {
                let b = v.as_bool().ok_or_else(|| {
                    bad(origin, format!("{what} must be true or false, found {v}"))
                })?;
                if k == "required" {
                    constraints.required = b;
                } else {
                    constraints.unique = b;
                }
                continue;
            }
            _ if !ty.constraints().contains(&k.as_str()) => {
                let known = [
                    "required",
                    "unique",
                    "minLength",
                    "maxLength",
                    "pattern",
                    "enum",
                    "minimum",
                    "maximum",
                ];
                let why = if known.contains(&k.as_str()) {
                    format!("is not defined for type {ty_name} in Table Schema v1")
                } else {
                    "is not a Table Schema constraint".to_string()
                };
                return Err(bad(origin, format!("{what} {why}")));
            }
            "minLength" | "maxLength" => {
                let n = v.as_u64().ok_or_else(|| {
                    bad(origin, format!("{what} must be a whole number, found {v}"))
                })? as usize;
                if k == "minLength" {
                    constraints.min_length = Some(n);
                } else {
                    constraints.max_length = Some(n);
                }
            }
            "pattern" => {
                let p = v
                    .as_str()
                    .ok_or_else(|| bad(origin, format!("{what} must be a string, found {v}")))?;
                let re = regex::Regex::new(&format!("^(?:{p})$")).map_err(|e| {
                    bad(
                        origin,
                        format!("{what} {p:?} is not a regular expression: {e}"),
                    )
                })?;
                constraints.pattern = Some((p.to_string(), re));
            }
            "enum" => {
                let list = v.as_array().filter(|a| !a.is_empty()).ok_or_else(|| {
                    bad(
                        origin,
                        format!("{what} must be a non-empty list, found {v}"),
                    )
                })?;
                let mut values = Vec::with_capacity(list.len());
                for x in list {
                    values.push(constraint_value(&caster, x).ok_or_else(|| {
                        bad(
                            origin,
                            format!("{what}: {x} is not a value of type {ty_name}"),
                        )
                    })?);
                }
                constraints.values = Some(values);
            }
            "minimum" | "maximum" => {
                let value = constraint_value(&caster, v).ok_or_else(|| {
                    bad(
                        origin,
                        format!("{what}: {v} is not a value of type {ty_name}"),
                    )
                })?;
                if k == "minimum" {
                    constraints.minimum = Some(value);
                } else {
                    constraints.maximum = Some(value);
                }
            }
            _ => unreachable!("every v1 constraint is handled above"),
        }
    }
    if let (Some(lo), Some(hi)) = (constraints.min_length, constraints.max_length) {
        if lo > hi {
            return Err(bad(
                origin,
                format!("{here}: minLength {lo} is greater than maxLength {hi}"),
            ));
        }
    }
    if let (Some(lo), Some(hi)) = (&constraints.minimum, &constraints.maximum) {
        if lo.compare(hi) == Some(std::cmp::Ordering::Greater) {
            return Err(bad(
                origin,
                format!(
                    "{here}: minimum {} is greater than maximum {}",
                    lo.show(),
                    hi.show()
                ),
            ));
        }
    }
    Ok((
        name,
        obj.clone(),
        SpecField {
            caster,
            constraints,
        },
    ))
}

pub(super) fn from_json_str(text: &str, origin: &str) -> Result<Schema> {
    let doc: Json = serde_json::from_str(text).map_err(|e| {
        StewardError::data(format!(
            "{origin}: invalid Table Schema at line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let top = doc.as_object().ok_or_else(|| {
        bad(
            origin,
            "the schema must be a JSON object with `fields`".to_string(),
        )
    })?;
    if let Some(Json::String(version)) = top.get("$schema") {
        if version.contains("/v2") || version.contains("table-schema/2") {
            return Err(bad(
                origin,
                format!("$schema {version:?} is Table Schema v2; {FOLLOWS}"),
            ));
        }
    }
    for k in V2_TABLE {
        if top.contains_key(*k) {
            return Err(bad(
                origin,
                format!("`{k}` is defined by Table Schema v2; {FOLLOWS}"),
            ));
        }
    }
    let list = match top.get("fields") {
        Some(Json::Array(a)) if !a.is_empty() => a,
        Some(Json::Array(_)) => return Err(bad(origin, "`fields` is empty".to_string())),
        Some(other) => {
            return Err(bad(
                origin,
                format!("`fields` must be a list, found {other}"),
            ))
        }
        None => return Err(bad(origin, "there is no `fields` list".to_string())),
    };
    let missing_values = match top.get("missingValues") {
        None => vec![String::new()],
        Some(v) => strings(v, origin, "missingValues")?,
    };
    let builtin = Schema::builtin();
    let mut fields = Vec::with_capacity(list.len());
    for (at, f) in list.iter().enumerate() {
        let (name, obj, spec) = read_field(f, at, origin)?;
        let like = {
            let k = header_key(&name);
            builtin
                .fields
                .iter()
                .find(|b| header_key(&b.name) == k || b.aliases.iter().any(|a| header_key(a) == k))
        };
        let kind = match (spec.caster.ty, spec.caster.format.as_str()) {
            (SpecType::String, "email") => FieldKind::Email,
            (SpecType::Integer, _) | (SpecType::Year, _) => FieldKind::Integer,
            (SpecType::Number, _) => like
                .filter(|b| b.kind == FieldKind::Money)
                .map(|b| b.kind)
                .unwrap_or(FieldKind::Number),
            (SpecType::Boolean, _) => FieldKind::Boolean,
            (SpecType::Date, _) => FieldKind::Date,
            (SpecType::Datetime, _) => FieldKind::Datetime,
            (SpecType::String, _) | (SpecType::Any, _) => {
                like.map(|b| b.kind).unwrap_or(FieldKind::Text)
            }
            _ => FieldKind::Text,
        };
        let mut field = Field::new(&name, kind);
        field.privacy = like.map(|b| b.privacy).unwrap_or_default();
        if let Some(Json::String(t)) = obj.get("title") {
            field.aliases.push(t.clone());
        }
        if let Some(b) = like {
            field.aliases.extend(b.aliases.iter().cloned());
        }
        field.description = obj
            .get("description")
            .and_then(|d| d.as_str())
            .map(String::from);
        // Shown by `schema show`; the spec field decides validity.
        field.required = spec.constraints.required;
        field.unique = spec.constraints.unique;
        field.spec = Some(Arc::new(spec));
        fields.push(field);
    }
    let primary_key = match top.get("primaryKey") {
        None => Vec::new(),
        Some(v) => names(v, origin, "primaryKey")?,
    };
    let mut foreign_keys = Vec::new();
    if let Some(v) = top.get("foreignKeys") {
        let list = v
            .as_array()
            .ok_or_else(|| bad(origin, format!("foreignKeys must be a list, found {v}")))?;
        for (at, fk) in list.iter().enumerate() {
            let here = format!("foreignKeys[{at}]");
            let from = names(
                fk.get("fields")
                    .ok_or_else(|| bad(origin, format!("{here} has no fields")))?,
                origin,
                &format!("{here}.fields"),
            )?;
            let reference = fk
                .get("reference")
                .and_then(|r| r.as_object())
                .ok_or_else(|| bad(origin, format!("{here} has no reference object")))?;
            let resource = match reference.get("resource") {
                Some(Json::String(r)) => r.clone(),
                None => String::new(),
                Some(other) => {
                    return Err(bad(
                        origin,
                        format!("{here}.reference.resource must be a string, found {other}"),
                    ))
                }
            };
            let to = names(
                reference
                    .get("fields")
                    .ok_or_else(|| bad(origin, format!("{here}.reference has no fields")))?,
                origin,
                &format!("{here}.reference.fields"),
            )?;
            if from.len() != to.len() {
                return Err(bad(
                    origin,
                    format!(
                        "{here} has {} fields but its reference has {}",
                        from.len(),
                        to.len()
                    ),
                ));
            }
            if resource.is_empty() {
                foreign_keys.push(ForeignKey {
                    fields: from,
                    reference: to,
                });
            } else {
                eprintln!(
                    "steward: warning: {origin}: {here} refers to resource {resource:?}, which only a data package holds; steward checks foreign keys within the table"
                );
            }
        }
    }
    let known = |k: &String| fields.iter().any(|f: &Field| &f.name == k);
    for fk in &foreign_keys {
        for k in fk.fields.iter().chain(&fk.reference) {
            if !known(k) {
                return Err(bad(
                    origin,
                    format!("a foreign key names unknown field {k:?}"),
                ));
            }
        }
    }
    let schema = Schema {
        name: "table-schema".to_string(),
        version: 1,
        extends: None,
        missing_values,
        primary_key,
        fields,
        sections: BTreeMap::new(),
        table: Some(Arc::new(TableSpec { foreign_keys })),
        steward_checks: false,
    };
    schema.check(origin)?;
    Ok(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_types_constraints_and_primary_key() {
        let s = from_json_str(
            r#"{"fields":[
                {"name":"customer_id","type":"string"},
                {"name":"email","type":"string","format":"email","constraints":{"required":true}},
                {"name":"tier","type":"string","constraints":{"enum":["A","B","C"]}},
                {"name":"spend","type":"number","constraints":{"minimum":0}},
                {"name":"joined","type":"date","constraints":{"minimum":"2000-01-01"}}
            ],
            "missingValues":["","NA"],
            "primaryKey":"customer_id"}"#,
            "t.json",
        )
        .unwrap();
        let f = |n: &str| s.field(n).unwrap().clone();
        assert_eq!(f("email").kind, FieldKind::Email);
        assert!(f("email").required);
        let spec = |n: &str| f(n).spec.clone().unwrap();
        assert_eq!(
            spec("tier").constraints.values,
            Some(vec![
                Value::Str("A".into()),
                Value::Str("B".into()),
                Value::Str("C".into())
            ])
        );
        assert_eq!(spec("spend").constraints.minimum, Some(Value::Num(0.0)));
        assert_eq!(
            spec("joined").constraints.minimum,
            Some(Value::Date(
                chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()
            ))
        );
        assert_eq!(f("joined").kind, FieldKind::Date);
        assert_eq!(s.primary_key, vec!["customer_id"]);
        assert_eq!(
            f("customer_id").kind,
            FieldKind::Id,
            "kind borrowed from the built-in id field"
        );
        assert_eq!(s.missing_values, vec!["", "NA"]);
        assert!(s.is_missing("NA") && !s.is_missing(" NA") && !s.is_missing("n/a"));
        assert!(s.spec_only());
    }

    #[test]
    fn missing_values_replace_the_default() {
        let s = from_json_str(
            r#"{"fields":[{"name":"a"}],"missingValues":["n/a"]}"#,
            "t.json",
        )
        .unwrap();
        assert!(s.is_missing("n/a"));
        assert!(
            !s.is_missing(""),
            "the empty string is a value once missingValues leaves it out"
        );
    }

    #[test]
    fn refuses_what_v1_does_not_define() {
        let cases = [
            (
                r#"{"fields":[{"name":"a","type":"nosuch"}]}"#,
                "type \"nosuch\" is not a Table Schema v1 type",
            ),
            (
                r#"{"fields":[{"name":"a","type":"list"}]}"#,
                "`list` is Table Schema v2",
            ),
            (
                r#"{"fields":[{"name":"a","type":"string","format":"nosuch"}]}"#,
                "format \"nosuch\" is not defined",
            ),
            (
                r#"{"fields":[{"name":"a","type":"integer","constraints":{"minimum":"abc"}}]}"#,
                "\"abc\" is not a value of type integer",
            ),
            (
                r#"{"fields":[{"name":"a","type":"integer","constraints":{"minimum":1.5}}]}"#,
                "is not a value of type integer",
            ),
            (
                r#"{"fields":[{"name":"a","type":"integer","constraints":{"exclusiveMinimum":5}}]}"#,
                "exclusiveMinimum is defined by Table Schema v2",
            ),
            (
                r#"{"fields":[{"name":"a","type":"integer","constraints":{"pattern":"1.*"}}]}"#,
                "pattern is not defined for type integer",
            ),
            (
                r#"{"fields":[{"name":"a","type":"string","constraints":{"minimum":"a"}}]}"#,
                "minimum is not defined for type string",
            ),
            (
                r#"{"fields":[{"name":"a","type":"string","constraints":{"bogus":1}}]}"#,
                "bogus is not a Table Schema constraint",
            ),
            (
                r#"{"fields":[{"name":"a","type":"string","constraints":{"required":"yes"}}]}"#,
                "required must be true or false",
            ),
            (
                r#"{"fields":[{"name":"a","type":"string","constraints":{"pattern":"("}}]}"#,
                "is not a regular expression",
            ),
            (
                r#"{"fields":[{"name":"a","type":"integer","constraints":{"minimum":5,"maximum":1}}]}"#,
                "minimum 5 is greater than maximum 1",
            ),
            (
                r#"{"fields":[{"name":"a"}],"uniqueKeys":[["a"]]}"#,
                "`uniqueKeys` is defined by Table Schema v2",
            ),
            (
                r#"{"fields":[{"name":"a","missingValues":["x"]}]}"#,
                "`missingValues` is defined by Table Schema v2",
            ),
            (
                r#"{"fields":[{"name":"a"}],"primaryKey":"b"}"#,
                "primary key names unknown field \"b\"",
            ),
            (
                r#"{"fields":[{"name":"a"}],"foreignKeys":[{"fields":"a","reference":{"resource":"","fields":"b"}}]}"#,
                "unknown field \"b\"",
            ),
            (r#"{"fields":[]}"#, "`fields` is empty"),
            (r#"{"fields":[{"type":"string"}]}"#, "fields[0] has no name"),
        ];
        for (schema, want) in cases {
            let e = format!("{:#}", from_json_str(schema, "t.json").unwrap_err());
            assert!(e.contains("t.json") && e.contains(want), "{schema}: {e}");
        }
    }

    #[test]
    fn accepts_custom_properties_and_date_patterns() {
        let s = from_json_str(
            r#"{"fields":[{"name":"d","type":"date","format":"%d/%m/%Y","rdfType":"x","example":"05/03/2024",
                "constraints":{"maximum":"31/12/2030"}}],"x-custom":1}"#,
            "t.json",
        )
        .unwrap();
        let spec = s.field("d").unwrap().spec.clone().unwrap();
        assert!(spec.check("05/03/2024").is_ok());
        assert_eq!(spec.check("01/01/2031").unwrap_err()[0].0, "maximum");
    }

    #[test]
    fn bad_json_names_line() {
        let e = from_json_str("{\n\"fields\": [\n{\"name\": 3,]}", "t.json").unwrap_err();
        assert!(e.to_string().contains("line 3"), "{e}");
    }
}

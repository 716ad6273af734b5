//! Reading a Frictionless Table Schema (JSON) into a steward schema, so schemas can be shared with
//! frictionless and pandera users. Types map onto field kinds; a field whose name matches a built-in
//! field's alias takes that field's kind and privacy class, which Table Schema cannot express.

use anyhow::Result;
use serde::Deserialize;
use std::collections::BTreeMap;

use super::{header_key, Field, FieldKind, Schema};
use crate::error::StewardError;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TableSchema {
    fields: Vec<TsField>,
    #[serde(default)]
    missing_values: Option<Vec<String>>,
    #[serde(default)]
    primary_key: Option<PrimaryKey>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum PrimaryKey {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct TsField {
    name: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    constraints: Constraints,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Constraints {
    #[serde(default)]
    required: bool,
    #[serde(default)]
    unique: bool,
    #[serde(default)]
    pattern: Option<String>,
    #[serde(default, rename = "enum")]
    values: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    minimum: Option<serde_json::Value>,
    #[serde(default)]
    maximum: Option<serde_json::Value>,
    #[serde(default)]
    min_length: Option<usize>,
    #[serde(default)]
    max_length: Option<usize>,
}

fn number_of(v: &Option<serde_json::Value>) -> Option<f64> {
    match v {
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) fn from_json_str(text: &str, origin: &str) -> Result<Schema> {
    let ts: TableSchema = serde_json::from_str(text).map_err(|e| {
        StewardError::data(format!(
            "{origin}: invalid Table Schema at line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let builtin = Schema::builtin();
    let mut fields = Vec::with_capacity(ts.fields.len());
    for f in ts.fields {
        let like = {
            let k = header_key(&f.name);
            builtin
                .fields
                .iter()
                .find(|b| header_key(&b.name) == k || b.aliases.iter().any(|a| header_key(a) == k))
        };
        let ts_type = f.kind.as_deref().unwrap_or("string");
        let kind = match (ts_type, f.format.as_deref()) {
            ("string", Some("email")) => FieldKind::Email,
            ("integer", _) | ("year", _) => FieldKind::Integer,
            ("number", _) => like
                .filter(|b| b.kind == FieldKind::Money)
                .map(|b| b.kind)
                .unwrap_or(FieldKind::Number),
            ("boolean", _) => FieldKind::Boolean,
            ("date", _) => FieldKind::Date,
            ("datetime", _) => FieldKind::Datetime,
            ("string", _) | ("any", _) => like.map(|b| b.kind).unwrap_or(FieldKind::Text),
            _ => FieldKind::Text,
        };
        let kind = if f.constraints.values.is_some() && kind == FieldKind::Text {
            FieldKind::Enum
        } else {
            kind
        };
        let mut field = Field::new(&f.name, kind);
        field.privacy = like.map(|b| b.privacy).unwrap_or_default();
        if let Some(t) = &f.title {
            field.aliases.push(t.clone());
        }
        if let Some(b) = like {
            field.aliases.extend(b.aliases.iter().cloned());
        }
        field.description = f.description;
        field.required = f.constraints.required;
        field.unique = f.constraints.unique;
        field.pattern = f.constraints.pattern;
        field.min = number_of(&f.constraints.minimum);
        field.max = number_of(&f.constraints.maximum);
        field.min_length = f.constraints.min_length;
        field.max_length = f.constraints.max_length;
        field.values = f
            .constraints
            .values
            .map(|v| v.iter().map(value_text).collect())
            .unwrap_or_default();
        fields.push(field);
    }
    let primary_key = match ts.primary_key {
        Some(PrimaryKey::One(k)) => vec![k],
        Some(PrimaryKey::Many(ks)) => ks,
        None => Vec::new(),
    };
    for k in &primary_key {
        if let Some(f) = fields.iter_mut().find(|f| &f.name == k) {
            f.required = true;
            if primary_key.len() == 1 {
                f.unique = true;
            }
        }
    }
    let schema = Schema {
        name: "table-schema".to_string(),
        version: 1,
        extends: None,
        missing_values: ts.missing_values.unwrap_or_else(|| vec![String::new()]),
        primary_key,
        fields,
        sections: BTreeMap::new(),
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
                {"name":"joined","type":"date"}
            ],
            "missingValues":["","NA"],
            "primaryKey":"customer_id"}"#,
            "t.json",
        )
        .unwrap();
        let f = |n: &str| s.field(n).unwrap().clone();
        assert_eq!(f("email").kind, FieldKind::Email);
        assert!(f("email").required);
        assert_eq!(f("tier").kind, FieldKind::Enum);
        assert_eq!(f("tier").values, vec!["A", "B", "C"]);
        assert_eq!(f("spend").min, Some(0.0));
        assert_eq!(f("joined").kind, FieldKind::Date);
        assert!(f("customer_id").unique && f("customer_id").required);
        assert_eq!(
            f("customer_id").kind,
            FieldKind::Id,
            "kind borrowed from the built-in id field"
        );
        assert_eq!(s.missing_values, vec!["", "NA"]);
    }

    #[test]
    fn bad_json_names_line() {
        let e = from_json_str("{\n\"fields\": [\n{\"name\": 3}]}", "t.json").unwrap_err();
        assert!(e.to_string().contains("line 3"), "{e}");
    }
}

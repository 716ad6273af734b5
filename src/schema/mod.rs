//! The customer schema: fields with a kind, header aliases, rules and a privacy class.
//! Owns loading (built-in TOML, a user's TOML, a Frictionless Table Schema) and mapping headers onto fields.

mod frictionless;
mod mapping;
pub mod spec;
mod vocabulary;

pub use mapping::{header_key, map_headers, ColumnMapping, ManualMap};
pub use vocabulary::{recognise, vocabularies, Vocabulary};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

use crate::error::StewardError;

/// The built-in customer schema, as shipped.
pub const BUILTIN_TOML: &str = include_str!("builtin.toml");

/// How a field's values are validated and normalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Id,
    Text,
    Name,
    Email,
    Phone,
    CnId,
    Date,
    Datetime,
    Enum,
    Boolean,
    Address,
    Country,
    Postcode,
    Money,
    Integer,
    Number,
}

impl FieldKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            FieldKind::Id => "id",
            FieldKind::Text => "text",
            FieldKind::Name => "name",
            FieldKind::Email => "email",
            FieldKind::Phone => "phone",
            FieldKind::CnId => "cn_id",
            FieldKind::Date => "date",
            FieldKind::Datetime => "datetime",
            FieldKind::Enum => "enum",
            FieldKind::Boolean => "boolean",
            FieldKind::Address => "address",
            FieldKind::Country => "country",
            FieldKind::Postcode => "postcode",
            FieldKind::Money => "money",
            FieldKind::Integer => "integer",
            FieldKind::Number => "number",
        }
    }
}

/// How much a field says about a person, which decides its default protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PrivacyClass {
    /// Identifies a person on its own (name, email, phone, resident ID).
    Direct,
    /// Identifies a person in combination with others (birth date, postcode, gender).
    Quasi,
    /// Harmful if disclosed.
    Sensitive,
    #[default]
    None,
}

impl PrivacyClass {
    pub fn as_str(&self) -> &'static str {
        match self {
            PrivacyClass::Direct => "direct",
            PrivacyClass::Quasi => "quasi",
            PrivacyClass::Sensitive => "sensitive",
            PrivacyClass::None => "none",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

/// One field of the schema.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub privacy: PrivacyClass,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// Allowed values (for enum fields, the canonical codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// Allowed ISO 3166-1 alpha-2 countries (for phone, postcode and country fields).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// For date fields: read 05/03/2024 as day/month/year (overrides `--day-first`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_first: Option<bool>,
    /// Default severity of this field's rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Severity per rule, overriding `severity` (e.g. `{ unique = "warning" }`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rule_severity: BTreeMap<String, Severity>,
    /// For a field read from a Table Schema: its type, format and constraints as the spec defines them, which
    /// decide validity (steward's own checks run only with `--steward-checks`).
    #[serde(skip)]
    pub spec: Option<std::sync::Arc<spec::SpecField>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Field {
    pub fn new(name: &str, kind: FieldKind) -> Field {
        Field {
            name: name.to_string(),
            kind,
            privacy: PrivacyClass::None,
            aliases: Vec::new(),
            description: None,
            required: false,
            unique: false,
            pattern: None,
            min: None,
            max: None,
            min_length: None,
            max_length: None,
            values: Vec::new(),
            countries: Vec::new(),
            day_first: None,
            severity: None,
            rule_severity: BTreeMap::new(),
            spec: None,
        }
    }

    /// The severity of one of this field's rules.
    pub fn severity_of(&self, rule: &str) -> Severity {
        self.rule_severity
            .get(rule)
            .copied()
            .or(self.severity)
            .unwrap_or_default()
    }
}

/// A customer schema: the fields a customer list is mapped onto.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Schema {
    #[serde(default = "default_name")]
    pub name: String,
    #[serde(default = "default_version")]
    pub version: u32,
    /// `"builtin"` to start from the built-in schema: fields here replace built-in fields of the same name
    /// and new ones are added after them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Cell values that mean "no value" (compared after trimming).
    #[serde(default = "default_missing")]
    pub missing_values: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub primary_key: Vec<String>,
    #[serde(rename = "field", default)]
    pub fields: Vec<Field>,
    /// Settings for later stages (`[dedupe]`, `[privacy]`, ...), kept as given.
    #[serde(flatten)]
    pub sections: BTreeMap<String, toml::Value>,
    /// For a Table Schema: its keys and the version of the spec it is read by. Cells are then missing only when
    /// they equal one of `missing_values` exactly, and each field validates by its `spec`.
    #[serde(skip)]
    pub table: Option<std::sync::Arc<spec::TableSpec>>,
    /// With a Table Schema: run steward's normalization-aware checks of each field's kind as well
    /// (`--steward-checks`), and normalize values as a steward schema does.
    #[serde(skip)]
    pub steward_checks: bool,
}

fn default_name() -> String {
    "custom".to_string()
}
fn default_version() -> u32 {
    1
}
fn default_missing() -> Vec<String> {
    vec![String::new()]
}

impl Schema {
    /// The built-in customer schema.
    pub fn builtin() -> Schema {
        Self::from_toml_str(BUILTIN_TOML, "built-in schema").expect("the built-in schema is valid")
    }

    /// Parse a schema from TOML text; `origin` names it in errors.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Schema> {
        let mut schema: Schema = toml::from_str(text).map_err(|e| {
            let span = e
                .span()
                .map(|s| {
                    let (line, col) = line_col(text, s.start);
                    format!(" at line {line}, column {col}")
                })
                .unwrap_or_default();
            StewardError::data(format!(
                "{origin}: invalid schema{span}: {}",
                e.message().trim()
            ))
        })?;
        if let Some(base) = schema.extends.clone() {
            if base != "builtin" {
                return Err(StewardError::data(format!(
                    "{origin}: `extends` must be \"builtin\", found {base:?}"
                ))
                .into());
            }
            let mut merged = Schema::builtin();
            for field in schema.fields.drain(..) {
                match merged.fields.iter_mut().find(|f| f.name == field.name) {
                    Some(existing) => *existing = field,
                    None => merged.fields.push(field),
                }
            }
            if schema.missing_values != default_missing() {
                merged.missing_values = schema.missing_values.clone();
            }
            if !schema.primary_key.is_empty() {
                merged.primary_key = schema.primary_key.clone();
            }
            merged.sections.extend(schema.sections);
            merged.name = schema.name;
            merged.version = schema.version;
            merged.extends = Some(base);
            schema = merged;
        }
        schema.check(origin)?;
        Ok(schema)
    }

    /// Parse a Frictionless Table Schema (JSON); `origin` names it in errors.
    pub fn from_json_str(text: &str, origin: &str) -> Result<Schema> {
        frictionless::from_json_str(text, origin)
    }

    /// Load a schema file: TOML (steward's own) or JSON (a Frictionless Table Schema).
    pub fn load(path: &Path) -> Result<Schema> {
        crate::io::write::note_read(path);
        let text = std::fs::read_to_string(path).map_err(|e| {
            StewardError::no_input(format!("cannot read schema {}: {e}", path.display()))
        })?;
        let origin = path.display().to_string();
        let is_json = path
            .extension()
            .map(|e| e.eq_ignore_ascii_case("json"))
            .unwrap_or(false)
            || text.trim_start().starts_with('{');
        if is_json {
            frictionless::from_json_str(&text, &origin)
        } else {
            Self::from_toml_str(&text, &origin)
        }
        .with_context(|| format!("loading schema {origin}"))
    }

    /// The user's schema when given, else the built-in one.
    pub fn load_or_builtin(path: Option<&Path>) -> Result<Schema> {
        match path {
            Some(p) => Self::load(p),
            None => Ok(Self::builtin()),
        }
    }

    /// `load_or_builtin`, with steward's own checks added to a Table Schema's when `steward_checks` (they are
    /// always on for a steward schema).
    pub fn load_with(path: Option<&Path>, steward_checks: bool) -> Result<Schema> {
        let mut schema = Self::load_or_builtin(path)?;
        schema.steward_checks = steward_checks;
        Ok(schema)
    }

    /// Whether fields are validated by the Table Schema spec alone (a Table Schema without `--steward-checks`).
    pub fn spec_only(&self) -> bool {
        self.table.is_some() && !self.steward_checks
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// Whether a cell value counts as missing under this schema: for a Table Schema, when it is one of its
    /// `missingValues` exactly (by default only the empty string); else when, trimmed, it is empty or one of them.
    pub fn is_missing(&self, value: &str) -> bool {
        if self.table.is_some() {
            return self.missing_values.iter().any(|m| m == value);
        }
        let v = value.trim();
        v.is_empty() || self.missing_values.iter().any(|m| m == v)
    }

    fn check(&self, origin: &str) -> Result<()> {
        if self.fields.is_empty() {
            return Err(StewardError::data(format!("{origin}: the schema has no fields")).into());
        }
        let mut seen = std::collections::HashSet::new();
        for f in &self.fields {
            if f.name.trim().is_empty() {
                return Err(
                    StewardError::data(format!("{origin}: a field has an empty name")).into(),
                );
            }
            if f.name.starts_with('_') {
                return Err(StewardError::data(format!(
                    "{origin}: field name {:?} starts with '_', which steward reserves for _source and _row",
                    f.name
                ))
                .into());
            }
            if !seen.insert(f.name.as_str()) {
                return Err(StewardError::data(format!(
                    "{origin}: field {:?} is defined twice",
                    f.name
                ))
                .into());
            }
            if let (Some(lo), Some(hi)) = (f.min, f.max) {
                if lo > hi {
                    return Err(StewardError::data(format!(
                        "{origin}: field {:?} has min {lo} greater than max {hi}",
                        f.name
                    ))
                    .into());
                }
            }
        }
        for k in &self.primary_key {
            if self.field(k).is_none() {
                return Err(StewardError::data(format!(
                    "{origin}: primary key names unknown field {k:?}"
                ))
                .into());
            }
        }
        Ok(())
    }

    /// The schema as TOML text (what `schema init` writes).
    pub fn to_toml(&self) -> Result<String> {
        Ok(toml::to_string_pretty(self)?)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_has_the_customer_fields() {
        let s = Schema::builtin();
        let names: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
        for want in [
            "id",
            "name",
            "given_name",
            "family_name",
            "email",
            "phone",
            "mobile",
            "resident_id",
            "birth_date",
            "gender",
            "address",
            "city",
            "province",
            "postcode",
            "country",
            "company",
            "signup_date",
            "last_purchase_date",
            "total_spend",
            "orders",
            "marketing_consent",
            "updated_at",
            "middle_name",
            "name_suffix",
            "wechat",
            "social_security_number",
            "birth_year",
            "house_number",
            "address_2",
            "email_opt_out",
            "sms_marketing_consent",
            "owner",
        ] {
            assert!(names.contains(&want), "missing field {want}");
        }
        assert_eq!(s.field("resident_id").unwrap().kind, FieldKind::CnId);
        assert_eq!(s.field("email").unwrap().privacy, PrivacyClass::Direct);
    }

    #[test]
    fn builtin_aliases_are_unambiguous() {
        let s = Schema::builtin();
        let mut seen = std::collections::HashMap::new();
        for f in &s.fields {
            for a in f.aliases.iter().chain(std::iter::once(&f.name)) {
                let k = header_key(a);
                if let Some(prev) = seen.insert(k.clone(), f.name.clone()) {
                    assert_eq!(
                        prev, f.name,
                        "alias {a:?} maps to both {prev} and {}",
                        f.name
                    );
                }
            }
        }
    }

    #[test]
    fn extends_builtin_replaces_and_adds() {
        let s = Schema::from_toml_str(
            "extends = \"builtin\"\n[[field]]\nname = \"email\"\nkind = \"email\"\nrequired = true\n[[field]]\nname = \"vip\"\nkind = \"boolean\"\n",
            "t",
        )
        .unwrap();
        assert!(s.field("email").unwrap().required);
        assert!(s.field("vip").is_some());
        assert!(s.field("resident_id").is_some());
    }

    #[test]
    fn bad_schema_names_line() {
        let err = Schema::from_toml_str("[[field]]\nname = \"x\"\nkind = \"nope\"\n", "s.toml")
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("s.toml") && msg.contains("line 3"), "{msg}");
    }

    #[test]
    fn toml_round_trips() {
        let s = Schema::builtin();
        let text = s.to_toml().unwrap();
        let back = Schema::from_toml_str(&text, "x").unwrap();
        assert_eq!(back.fields.len(), s.fields.len());
    }
}

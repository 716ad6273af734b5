//! What happens to each column of a dataset that leaves the team: defaults from the schema's privacy
//! classes, then a policy file, then flags (the last word wins).

use anyhow::Result;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

use super::generalize::Generalization;
use crate::error::StewardError;
use crate::schema::{header_key, ColumnMapping, FieldKind, PrivacyClass, Schema};
use crate::table::{ROW_COLUMN, SOURCE_COLUMN};

/// What is done to one column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action {
    Keep,
    Drop,
    Token,
    Encrypt,
    Mask,
    Generalize(Generalization),
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Keep => "keep",
            Action::Drop => "drop",
            Action::Token => "token",
            Action::Encrypt => "encrypt",
            Action::Mask => "mask",
            Action::Generalize(_) => "generalize",
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Action::Generalize(g) => format!("generalize to {}", g.describe()),
            Action::Token => "keyed token (HMAC-SHA256, 128 bits)".into(),
            Action::Encrypt => "encrypted (AES-SIV, reversible with the key)".into(),
            other => other.name().into(),
        }
    }

    /// Parse `token`, `encrypt`, `mask`, `drop`, `keep`, `generalize:year`, `year`, `3`...
    pub fn parse(spec: &str, kind: FieldKind) -> Result<Action, StewardError> {
        let s = spec.trim();
        Ok(match s.to_ascii_lowercase().as_str() {
            "keep" => Action::Keep,
            "drop" => Action::Drop,
            "token" | "tokenize" => Action::Token,
            "encrypt" => Action::Encrypt,
            "mask" => Action::Mask,
            "hash" | "sha256" | "md5" => {
                return Err(StewardError::usage(
                    "unkeyed hashing is not offered: phone numbers and known emails can be enumerated back from their hashes; use token (keyed HMAC)",
                ))
            }
            other => {
                let g = other.strip_prefix("generalize:").unwrap_or(other);
                Action::Generalize(Generalization::parse(g, kind)?)
            }
        })
    }

    /// Whether the action reads the key.
    pub fn needs_key(&self) -> bool {
        matches!(self, Action::Token | Action::Encrypt)
    }
}

/// The default action for a field by its privacy class and kind.
pub fn default_action(class: PrivacyClass, kind: FieldKind) -> Action {
    match class {
        PrivacyClass::Direct => Action::Token,
        PrivacyClass::Quasi => match kind {
            FieldKind::Date | FieldKind::Datetime => Action::Generalize(Generalization::Year),
            FieldKind::Postcode => Action::Generalize(Generalization::Prefix { chars: 3 }),
            _ => Action::Keep,
        },
        PrivacyClass::Sensitive => Action::Drop,
        PrivacyClass::None => Action::Keep,
    }
}

/// A policy file: `domain = "vendor-a"`, optionally `normalization = "n1"`, and `[columns] email = "token"`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    pub domain: Option<String>,
    /// `normalization = "n1"`: tokens normalized as before n2, to reproduce an older join.
    pub normalization: Option<crate::fields::Normalization>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Kept columns written as they came, not scanned for embedded identifiers.
    #[serde(default)]
    pub no_scan: Vec<String>,
}

impl PolicyFile {
    pub fn load(path: &Path) -> Result<PolicyFile> {
        crate::io::write::note_read(path);
        let text = std::fs::read_to_string(path).map_err(|e| {
            StewardError::no_input(format!("{}: cannot read the policy: {e}", path.display()))
        })?;
        toml::from_str(&text).map_err(|e| {
            // The line and what is wrong there (`unknown variant `n3``), not only where.
            let line = e.span().map(|s| {
                text.as_bytes()[..s.start.min(text.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1
            });
            let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
            StewardError::data(format!(
                "{}: invalid policy{at}: {}",
                path.display(),
                e.message().trim()
            ))
            .into()
        })
    }
}

/// One output column and what is done to it.
#[derive(Debug, Clone)]
pub struct ColumnPolicy {
    /// The column in the imported table (schema field name, unmapped header, `_source`, `_row`).
    pub column: String,
    /// The schema field, if the column is one.
    pub kind: Option<FieldKind>,
    pub class: Option<PrivacyClass>,
    pub action: Action,
    /// Where the action came from: "privacy class direct", "flag", "policy file", "unknown column".
    pub why: String,
}

/// Find the table column a user means: a table column, a schema field or alias, or a source header.
pub fn resolve_column(
    name: &str,
    columns: &[String],
    schema: &Schema,
    mappings: &[Vec<ColumnMapping>],
) -> Result<usize> {
    if let Some(i) = columns.iter().position(|c| c == name) {
        return Ok(i);
    }
    let key = header_key(name);
    for m in mappings.iter().flatten() {
        if m.column == name || header_key(&m.column) == key {
            let target = m.field.clone().unwrap_or_else(|| m.column.clone());
            if let Some(i) = columns.iter().position(|c| *c == target) {
                return Ok(i);
            }
        }
    }
    if let Some(f) = schema
        .fields
        .iter()
        .find(|f| f.aliases.iter().any(|a| header_key(a) == key))
    {
        if let Some(i) = columns.iter().position(|c| *c == f.name) {
            return Ok(i);
        }
    }
    Err(StewardError::usage(format!(
        "no column {name:?} in the input; its columns are: {}",
        columns.join(", ")
    ))
    .into())
}

/// Settings that decide the policy, from flags and a policy file.
#[derive(Debug, Default)]
pub struct PolicyRequest<'a> {
    pub file: Option<&'a PolicyFile>,
    /// (columns, action spec) from flags, in order.
    pub flags: Vec<(Vec<String>, String)>,
}

/// The policy of every table column.
pub fn resolve_policy(
    schema: &Schema,
    columns: &[String],
    mappings: &[Vec<ColumnMapping>],
    req: &PolicyRequest,
) -> Result<Vec<ColumnPolicy>> {
    let mut out: Vec<ColumnPolicy> = columns
        .iter()
        .map(|c| {
            if c == SOURCE_COLUMN || c == ROW_COLUMN {
                return ColumnPolicy {
                    column: c.clone(),
                    kind: None,
                    class: None,
                    action: Action::Keep,
                    why: "provenance".into(),
                };
            }
            match schema.field(c) {
                Some(f) => ColumnPolicy {
                    column: c.clone(),
                    kind: Some(f.kind),
                    class: Some(f.privacy),
                    action: default_action(f.privacy, f.kind),
                    why: format!("privacy class {}", f.privacy.as_str()),
                },
                None => ColumnPolicy {
                    column: c.clone(),
                    kind: None,
                    class: None,
                    action: Action::Drop,
                    why: "not a schema field: its content is unknown (--keep to keep it)".into(),
                },
            }
        })
        .collect();
    let mut apply = |name: &str, spec: &str, why: &str| -> Result<()> {
        let i = resolve_column(name, columns, schema, mappings)?;
        let kind = out[i].kind.unwrap_or(FieldKind::Text);
        out[i].action = Action::parse(spec, kind)
            .map_err(|e| StewardError::usage(format!("{name}: {}", e.message)))?;
        out[i].why = why.to_string();
        Ok(())
    };
    if let Some(f) = req.file {
        for (col, spec) in &f.columns {
            apply(col, spec, "policy file")?;
        }
    }
    for (cols, spec) in &req.flags {
        for c in cols {
            apply(c, spec, "flag")?;
        }
    }
    Ok(out)
}

/// Split `birth_date=year` flags into (column, spec).
pub fn parse_generalize_flag(s: &str) -> Result<(String, String)> {
    match s.split_once('=') {
        Some((c, g)) if !c.trim().is_empty() && !g.trim().is_empty() => {
            Ok((c.trim().to_string(), g.trim().to_string()))
        }
        _ => Err(StewardError::usage(format!(
            "--generalize takes COLUMN=TO such as birth_date=year or postcode=3, found {s:?}"
        ))
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_protect_identifiers_and_drop_unknown_columns() {
        let schema = Schema::builtin();
        let cols: Vec<String> = [
            "email",
            "name",
            "birth_date",
            "postcode",
            "city",
            "notes",
            "_row",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let p = resolve_policy(&schema, &cols, &[], &PolicyRequest::default()).unwrap();
        let a: Vec<&str> = p.iter().map(|c| c.action.name()).collect();
        assert_eq!(
            a,
            [
                "token",
                "token",
                "generalize",
                "generalize",
                "keep",
                "drop",
                "keep"
            ]
        );
    }

    #[test]
    fn flags_override_and_hashing_is_refused() {
        let schema = Schema::builtin();
        let cols: Vec<String> = ["email", "name", "birth_date"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let req = PolicyRequest {
            file: None,
            flags: vec![
                (vec!["name".into()], "mask".into()),
                (vec!["birth_date".into()], "month".into()),
            ],
        };
        let p = resolve_policy(&schema, &cols, &[], &req).unwrap();
        assert_eq!(p[1].action, Action::Mask);
        assert_eq!(p[2].action, Action::Generalize(Generalization::Month));
        let bad = PolicyRequest {
            file: None,
            flags: vec![(vec!["email".into()], "sha256".into())],
        };
        assert!(resolve_policy(&schema, &cols, &[], &bad).is_err());
        let unknown = PolicyRequest {
            file: None,
            flags: vec![(vec!["nope".into()], "drop".into())],
        };
        assert!(resolve_policy(&schema, &cols, &[], &unknown).is_err());
        // A header alias names the field.
        let alias = PolicyRequest {
            file: None,
            flags: vec![(vec!["邮箱".into()], "encrypt".into())],
        };
        let p = resolve_policy(&schema, &cols, &[], &alias).unwrap();
        assert_eq!(p[0].action, Action::Encrypt);
    }
}

//! What the dedupe stage is asked to do (`DedupeOptions`, from a schema's `[dedupe]` section and the caller),
//! which table columns are matched as which kind, and blocking and survivorship rules parsed from their text.

use anyhow::Result;
use serde::Deserialize;
use std::collections::BTreeMap;

use super::{BlockingRule, FieldKind as MK, KeyPart};
use crate::error::StewardError;
use crate::schema::{FieldKind, Schema};

/// The `[dedupe]` section of a schema, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    threshold: Option<f64>,
    review_lower: Option<f64>,
    max_block: Option<usize>,
    blocking: Option<Vec<String>>,
    #[serde(default)]
    survivorship: BTreeMap<String, String>,
    recency_field: Option<String>,
    #[serde(default)]
    ignore: Vec<String>,
}

/// Options of the dedupe stages (`dedupe_table`, `link_tables`, `match_into_golden`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DedupeOptions {
    /// Match probability at which a pair is accepted [default: 0.9].
    pub threshold: Option<f64>,
    /// Lower bound of the review band [default: 0.5; never above the threshold].
    pub review_lower: Option<f64>,
    /// Blocks larger than this are sub-blocked (at least 2) [default: the engine's].
    pub max_block: Option<usize>,
    /// Blocking keys: parts joined by `+` (a field name, `field:N` for a prefix, name_sorted, family_soundex,
    /// given_soundex, family_initial, given_initial, sorted_initials, any_name_soundex, any_name_initial,
    /// birth_year, birth_date) [default: chosen from the compared fields].
    pub blocking: Option<Vec<String>>,
    /// Field -> the rule that picks its golden value [default: most_recent when there is a recency field,
    /// else most_complete].
    pub survivorship: BTreeMap<String, Survive>,
    /// Date field that says which record is most recent [default: updated_at, last_purchase_date, signup_date].
    pub recency_field: Option<String>,
    /// Fields not compared.
    pub ignore: Vec<String>,
    /// Two records (by id, by `_row`, or `source:row`) whose score is explained.
    pub explain: Option<(String, String)>,
    /// Which outputs to build.
    pub outputs: Outputs,
    /// The date a birth date after it is compared as missing [default: today].
    pub today: Option<chrono::NaiveDate>,
    /// Fields whose values a cleanup job's validation has already judged, each with the rows (of the table
    /// deduped) that had a finding on it: only those rows are judged again as evidence, the others passed.
    /// A checked field not listed is judged in every row.
    pub judged: Vec<(String, Vec<u32>)>,
    /// A saved model to score with instead of training one (`--model`): its blocking, comparisons and weights;
    /// the threshold and review band above still apply when set.
    pub model: Option<std::sync::Arc<super::saved::ModelFile>>,
    /// Candidate pairs scored elsewhere with `model` (rows of the table and match probability, as the model's
    /// SQL returns them): clustered as given, nothing blocked or scored here but the chaining guard's pairs.
    pub scored: Option<std::sync::Arc<Vec<(u32, u32, f64)>>>,
}

/// The outputs a dedupe stage builds; each costs time and memory, so only what is asked is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outputs {
    pub golden: bool,
    /// The golden records as a plan (`Deduped::golden_plan`) instead of a table: the caller gathers them
    /// from the input table, consuming it (a cleanup job: never the rows and their golden records at once).
    pub golden_plan: bool,
    pub clusters: bool,
    pub merge_map: bool,
    pub pairs: bool,
    pub review: bool,
}

impl Default for Outputs {
    /// Golden records, clusters and the merge map: what a cleanup job keeps.
    fn default() -> Outputs {
        Outputs {
            golden: true,
            golden_plan: false,
            clusters: true,
            merge_map: true,
            pairs: false,
            review: false,
        }
    }
}

impl DedupeOptions {
    /// `today`, else the local date.
    pub fn today(&self) -> chrono::NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The schema's `[dedupe]` settings (none: the defaults), with every output of `Outputs::default()`.
    pub fn from_schema(schema: &Schema) -> Result<DedupeOptions> {
        let s: Section = match schema.sections.get("dedupe") {
            None => Section::default(),
            Some(v) => v.clone().try_into().map_err(|e: toml::de::Error| {
                StewardError::data(format!(
                    "schema [dedupe]: {}",
                    e.message().lines().next().unwrap_or("invalid")
                ))
            })?,
        };
        Ok(DedupeOptions {
            threshold: s.threshold,
            review_lower: s.review_lower,
            max_block: s.max_block,
            blocking: s.blocking,
            survivorship: s
                .survivorship
                .iter()
                .map(|(f, r)| Ok((f.clone(), parse_survive(r)?)))
                .collect::<Result<_>>()?,
            recency_field: s.recency_field,
            ignore: s.ignore,
            explain: None,
            outputs: Outputs::default(),
            today: None,
            judged: Vec::new(),
            model: None,
            scored: None,
        })
    }
}

/// Which engine kind a table column is matched as, if any.
pub fn match_kind(schema: &Schema, column: &str) -> Option<MK> {
    match column {
        "name" => return Some(MK::FullName),
        "given_name" => return Some(MK::GivenName),
        "family_name" => return Some(MK::FamilyName),
        "birth_date" => return Some(MK::Date),
        "gender" => return Some(MK::Gender),
        "city" => return Some(MK::City),
        "province" => return Some(MK::Province),
        // The second address line is text evidence compared with the address (the built-in field, or an
        // unmapped `address_2` column below).
        "address_2" => return Some(MK::Text),
        _ => {}
    }
    match schema.field(column) {
        Some(f) => match f.kind {
            FieldKind::Id => Some(MK::Id),
            FieldKind::Email => Some(MK::Email),
            FieldKind::Phone => Some(MK::Phone),
            FieldKind::CnId => Some(MK::CnId),
            FieldKind::Address => Some(MK::Address),
            FieldKind::Postcode => Some(MK::Postcode),
            FieldKind::Country => Some(MK::Country),
            _ => None,
        },
        // An unmapped second address line is still evidence.
        None if column.to_lowercase().contains("address") => Some(MK::Text),
        None => None,
    }
}

/// A blocking rule from its text (`family_soundex+birth_year`, `postcode:3+sorted_initials`); `fields` are
/// the compared fields a part may name.
pub fn parse_rule(spec: &str, fields: &[String]) -> Result<BlockingRule> {
    let mut parts = Vec::new();
    for p in spec.split('+').map(str::trim) {
        let part = match p {
            "name_sorted" => KeyPart::NameSorted,
            "family_soundex" => KeyPart::FamilySoundex,
            "given_soundex" => KeyPart::GivenSoundex,
            "family_initial" => KeyPart::FamilyInitial,
            "given_initial" => KeyPart::GivenInitial,
            "sorted_initials" => KeyPart::SortedInitials,
            "any_name_soundex" => KeyPart::AnyNameSoundex,
            "any_name_initial" => KeyPart::AnyNameInitial,
            "birth_year" => KeyPart::BirthYear,
            "birth_date" => KeyPart::BirthDate,
            other => {
                let (name, n) = match other.split_once(':') {
                    Some((f, n)) => (
                        f,
                        Some(n.parse::<usize>().map_err(|_| {
                            StewardError::data(format!("schema [dedupe] blocking {spec:?}: {n:?} is not a number of characters"))
                        })?),
                    ),
                    None => (other, None),
                };
                if !fields.iter().any(|f| f == name) {
                    return Err(StewardError::data(format!(
                        "schema [dedupe] blocking {spec:?}: no compared field {name:?} (fields: {})",
                        fields.join(", ")
                    ))
                    .into());
                }
                match n {
                    Some(n) => KeyPart::FieldPrefix(name.to_string(), n),
                    None => KeyPart::Field(name.to_string()),
                }
            }
        };
        parts.push(part);
    }
    Ok(BlockingRule {
        name: spec.to_string(),
        parts,
    })
}

/// A blocking-rule part as `parse_rule` reads it (`family_soundex`, `postcode:3`).
pub fn part_name(p: &KeyPart) -> String {
    match p {
        KeyPart::Field(f) => f.clone(),
        KeyPart::FieldPrefix(f, n) => format!("{f}:{n}"),
        KeyPart::NameSorted => "name_sorted".into(),
        KeyPart::FamilySoundex => "family_soundex".into(),
        KeyPart::GivenSoundex => "given_soundex".into(),
        KeyPart::FamilyInitial => "family_initial".into(),
        KeyPart::GivenInitial => "given_initial".into(),
        KeyPart::SortedInitials => "sorted_initials".into(),
        KeyPart::AnyNameSoundex => "any_name_soundex".into(),
        KeyPart::AnyNameInitial => "any_name_initial".into(),
        KeyPart::BirthYear => "birth_year".into(),
        KeyPart::BirthDate => "birth_date".into(),
    }
}

/// A survivorship rule: which member of a cluster a golden value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Survive {
    MostRecent,
    MostComplete,
    MostFrequent,
    Longest,
    /// The member whose `_source` contains this text.
    Source(String),
}

/// A survivorship rule from its text (`most_recent`, `recent`, `source:crm`, ...).
pub fn parse_survive(s: &str) -> Result<Survive> {
    Ok(match s.trim() {
        "most_recent" | "recent" => Survive::MostRecent,
        "most_complete" | "complete" => Survive::MostComplete,
        "most_frequent" | "frequent" => Survive::MostFrequent,
        "longest" => Survive::Longest,
        other => match other.strip_prefix("source:") {
            Some(src) if !src.is_empty() => Survive::Source(src.to_string()),
            _ => {
                return Err(StewardError::data(format!(
                    "schema [dedupe] survivorship {other:?}: use most_recent, most_complete, most_frequent, longest or source:NAME"
                ))
                .into())
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Vec<String> {
        ["email", "postcode", "name"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn schema(dedupe: &str) -> Schema {
        let text = format!("extends = \"builtin\"\n[dedupe]\n{dedupe}\n");
        Schema::from_toml_str(&text, "test schema").unwrap()
    }

    #[test]
    fn rules_parse_named_parts_fields_and_prefixes() {
        let r = parse_rule("family_soundex + birth_year", &fields()).unwrap();
        assert_eq!(r.name, "family_soundex + birth_year");
        assert_eq!(r.parts, vec![KeyPart::FamilySoundex, KeyPart::BirthYear]);
        let r = parse_rule("postcode:3+sorted_initials", &fields()).unwrap();
        assert_eq!(
            r.parts,
            vec![
                KeyPart::FieldPrefix("postcode".into(), 3),
                KeyPart::SortedInitials
            ]
        );
        assert_eq!(
            parse_rule("email", &fields()).unwrap().parts,
            vec![KeyPart::Field("email".into())]
        );
    }

    #[test]
    fn rules_naming_no_compared_field_or_a_bad_prefix_are_data_errors() {
        let e = parse_rule("mobile+birth_year", &fields()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("no compared field \"mobile\""), "{msg}");
        assert!(msg.contains("fields: email, postcode, name"), "{msg}");
        let e = parse_rule("postcode:x", &fields()).unwrap_err();
        assert!(e.to_string().contains("\"x\" is not a number"), "{e}");
        let code = e.downcast_ref::<StewardError>().unwrap().code;
        assert_eq!(code, crate::error::ExitCode::DataErr);
        // a name part never falls through to a field of the same name
        assert!(parse_rule("birth_date", &[]).is_ok());
    }

    #[test]
    fn survivorship_rules_and_their_short_forms() {
        for (text, rule) in [
            ("most_recent", Survive::MostRecent),
            (" recent ", Survive::MostRecent),
            ("complete", Survive::MostComplete),
            ("most_frequent", Survive::MostFrequent),
            ("longest", Survive::Longest),
            ("source:crm", Survive::Source("crm".into())),
        ] {
            assert_eq!(parse_survive(text).unwrap(), rule, "{text}");
        }
        for bad in ["newest", "source:", ""] {
            let e = parse_survive(bad).unwrap_err().to_string();
            assert!(e.contains("use most_recent"), "{bad}: {e}");
        }
    }

    #[test]
    fn options_come_from_the_schema_section() {
        let o = DedupeOptions::from_schema(&schema(
            "threshold = 0.95\nblocking = [\"email\"]\nsurvivorship = { email = \"longest\" }\nignore = [\"city\"]",
        ))
        .unwrap();
        assert_eq!(o.threshold, Some(0.95));
        assert_eq!(o.review_lower, None);
        assert_eq!(o.blocking, Some(vec!["email".to_string()]));
        assert_eq!(o.survivorship["email"], Survive::Longest);
        assert_eq!(o.ignore, vec!["city".to_string()]);
        assert_eq!(o.outputs, Outputs::default());
        let e = DedupeOptions::from_schema(&schema("treshold = 0.9")).unwrap_err();
        assert!(e.to_string().starts_with("schema [dedupe]: "), "{e}");
        let e = DedupeOptions::from_schema(&schema("survivorship = { email = \"newest\" }"))
            .unwrap_err();
        assert!(e.to_string().contains("survivorship \"newest\""), "{e}");
    }

    #[test]
    fn columns_are_matched_by_name_or_by_schema_kind() {
        let s = schema("");
        assert_eq!(match_kind(&s, "name"), Some(MK::FullName));
        assert_eq!(match_kind(&s, "birth_date"), Some(MK::Date));
        assert_eq!(match_kind(&s, "email"), Some(MK::Email));
        assert_eq!(match_kind(&s, "Address Line 2"), Some(MK::Text));
        assert_eq!(match_kind(&s, "notes"), None);
    }
}

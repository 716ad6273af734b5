//! What each column of a source holds for erasure: identifiers of one kind (a row matching one is removed),
//! or free text (an identifier found inside is redacted in place). Mapped columns say so by their schema
//! kind; an unmapped or plain-text column whose values are mostly identifiers of one kind counts as such.

use serde::Serialize;

use super::scan::digits_of;
use crate::schema::FieldKind;

/// The kinds of identifier a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    Email,
    Phone,
    Id,
    ResidentId,
}

impl IdKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Email => "email",
            IdKind::Phone => "phone",
            IdKind::Id => "id",
            IdKind::ResidentId => "resident_id",
        }
    }

    pub fn of_field(kind: FieldKind) -> Option<IdKind> {
        match kind {
            FieldKind::Email => Some(IdKind::Email),
            FieldKind::Phone => Some(IdKind::Phone),
            FieldKind::Id => Some(IdKind::Id),
            FieldKind::CnId => Some(IdKind::ResidentId),
            _ => None,
        }
    }
}

/// A column's role in an erasure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRole {
    /// Identifiers of this kind: a match removes the row. `inferred` when its values said so, not the schema.
    Identifier { kind: IdKind, inferred: bool },
    /// Anything else: searched for identifiers written inside, which are redacted.
    Text,
}

/// Rows looked at to learn what an unmapped column holds.
pub const SAMPLE_ROWS: usize = 1000;

/// Share of a column's non-empty sampled values that must have one identifier's shape for the column to be
/// taken as holding identifiers of that kind.
const MOSTLY: f64 = 0.8;

pub fn looks_like_cn_id(v: &str) -> bool {
    let c: Vec<char> = v.trim().chars().collect();
    (c.len() == 18
        && c[..17].iter().all(|d| d.is_ascii_digit())
        && (c[17].is_ascii_digit() || c[17] == 'X' || c[17] == 'x'))
        || (c.len() == 15 && c.iter().all(|d| d.is_ascii_digit()))
}

pub fn looks_like_phone(v: &str) -> bool {
    let digits = digits_of(v).len();
    (7..=17).contains(&digits)
        && v.trim()
            .chars()
            .all(|c| super::scan::digit_value(c).is_some() || " +-().\u{a0}".contains(c))
}

pub fn looks_like_email(v: &str) -> bool {
    let v = v.trim();
    match v.split_once('@') {
        Some((l, d)) => {
            !l.is_empty() && d.contains('.') && !d.contains('@') && !v.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// The role of each column: `mapped` gives the schema kind of the columns the schema maps; `sample` holds
/// the first rows (each as wide as the header, or narrower).
pub fn classify(mapped: &[Option<FieldKind>], sample: &[Vec<String>]) -> Vec<ColumnRole> {
    mapped
        .iter()
        .enumerate()
        .map(|(c, kind)| {
            if let Some(k) = kind.and_then(IdKind::of_field) {
                return ColumnRole::Identifier {
                    kind: k,
                    inferred: false,
                };
            }
            if !matches!(kind, None | Some(FieldKind::Text)) {
                return ColumnRole::Text;
            }
            let values: Vec<&str> = sample
                .iter()
                .filter_map(|r| r.get(c))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .collect();
            if values.is_empty() {
                return ColumnRole::Text;
            }
            let share = |f: fn(&str) -> bool| {
                values.iter().filter(|v| f(v)).count() as f64 / values.len() as f64
            };
            for (kind, shape) in [
                (IdKind::ResidentId, looks_like_cn_id as fn(&str) -> bool),
                (IdKind::Email, looks_like_email),
                (IdKind::Phone, looks_like_phone),
            ] {
                if share(shape) >= MOSTLY {
                    return ColumnRole::Identifier {
                        kind,
                        inferred: true,
                    };
                }
            }
            ColumnRole::Text
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(r: &[&[&str]]) -> Vec<Vec<String>> {
        r.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn mapped_kinds_decide_and_unmapped_columns_are_read_by_their_values() {
        let mapped = [
            Some(FieldKind::Email),
            None,
            None,
            Some(FieldKind::Text),
            None,
            Some(FieldKind::Date),
        ];
        let sample = rows(&[
            &[
                "a@x.com",
                "b@y.com",
                "referred by c@z.com",
                "138 1234 5678",
                "",
                "2024-01-01",
            ],
            &["", "", "nothing", "13912345678", "", "2024-01-02"],
            &["", "d@y.org", "", "+86 137 0000 0000", "", ""],
        ]);
        let roles = classify(&mapped, &sample);
        assert_eq!(
            roles,
            [
                ColumnRole::Identifier {
                    kind: IdKind::Email,
                    inferred: false
                },
                ColumnRole::Identifier {
                    kind: IdKind::Email,
                    inferred: true
                },
                ColumnRole::Text,
                ColumnRole::Identifier {
                    kind: IdKind::Phone,
                    inferred: true
                },
                ColumnRole::Text,
                ColumnRole::Text,
            ]
        );
    }
}

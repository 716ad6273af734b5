//! The summary of a check: counts per field and rule with a masked example, rows valid and rejected, and the
//! policy (`fail_on`, `max_errors`) that decides whether a feed fails.

use serde::Serialize;
use std::collections::BTreeMap;

use super::{FieldStats, Outcome};
use crate::privacy::mask::mask_value;
use crate::schema::{Schema, Severity};

/// Which findings make a run fail.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(Serialize)]
pub struct Reason {
    pub rule: String,
    pub severity: Severity,
    pub count: u64,
    pub example: String,
}

#[derive(Serialize)]
pub struct FieldSummary {
    #[serde(flatten)]
    pub stats: FieldStats,
    pub reasons: Vec<Reason>,
}

#[derive(Serialize)]
pub struct Summary {
    pub rows_in: u64,
    pub rows_valid: u64,
    pub rows_rejected: u64,
    /// Rows that could not be read at all (malformed CSV under --lenient); part of rows_rejected.
    pub rows_unreadable: u64,
    pub errors: u64,
    pub warnings: u64,
    /// Every source with its format and the encoding it was read with (given or detected); set by the command.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<crate::io::source::SourceSummary>,
    pub fields: Vec<FieldSummary>,
    pub policy: Policy,
}

#[derive(Serialize)]
pub struct Policy {
    pub fail_on: &'static str,
    pub max_errors: String,
    pub failed: bool,
}

/// Summarize a check: counts per field and rule with a (masked) example each, rows valid and rejected, and
/// whether the data failed the policy. `rows` were checked; `rows_in` counts the `unreadable` ones too.
pub fn summarize(
    schema: &Schema,
    outcome: &Outcome,
    rows: usize,
    rows_in: u64,
    unreadable: u64,
    policy: &FailPolicy,
) -> Summary {
    let mut per: BTreeMap<(&str, &str), (Severity, u64, String)> = BTreeMap::new();
    let (mut errors, mut warnings) = (0u64, 0u64);
    for f in &outcome.findings {
        match f.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
        let e = per
            .entry((f.field(), f.rule()))
            .or_insert((f.severity, 0, String::new()));
        e.1 += 1;
        if e.2.is_empty() {
            e.2 = masked(schema, f.field(), f.value());
        }
    }
    let fields = outcome
        .fields
        .iter()
        .map(|s| {
            let mut reasons: Vec<Reason> = per
                .iter()
                .filter(|((field, _), _)| *field == s.field)
                .map(|((_, rule), (sev, count, ex))| Reason {
                    rule: rule.to_string(),
                    severity: *sev,
                    count: *count,
                    example: ex.clone(),
                })
                .collect();
            reasons.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(&b.rule)));
            FieldSummary {
                stats: s.clone(),
                reasons,
            }
        })
        .collect();
    let rejected_rows = outcome.row_has_error.iter().filter(|e| **e).count() as u64;
    let rows_valid = rows as u64 - rejected_rows;
    let failed = policy.failed(errors, warnings, rows_in);
    Summary {
        rows_in,
        rows_valid,
        rows_rejected: rejected_rows + unreadable,
        rows_unreadable: unreadable,
        errors,
        warnings,
        sources: Vec::new(),
        fields,
        policy: Policy {
            fail_on: match policy.fail_on {
                FailOn::Error => "error",
                FailOn::Warning => "warning",
                FailOn::Never => "never",
            },
            max_errors: policy.max_errors.clone().unwrap_or_else(|| "0".to_string()),
            failed,
        },
    }
}

/// A value as reports show it: masked when its field holds personal data, else its first 40 characters.
pub fn masked(schema: &Schema, field: &str, value: &str) -> String {
    match schema.field(field) {
        Some(f) if f.privacy != crate::schema::PrivacyClass::None => mask_value(f.kind, value),
        _ => value.chars().take(40).collect(),
    }
}

/// Which findings make a run fail, and how many are tolerated.
#[derive(Debug, Clone)]
pub struct FailPolicy {
    pub fail_on: FailOn,
    /// A count, or a percentage of rows in (`5%`) [default: 0].
    pub max_errors: Option<String>,
}

impl FailPolicy {
    /// Whether the data fails the policy: more findings at or above the `fail_on` level than `max_errors`
    /// allows (a count, or a percentage of rows in).
    pub fn failed(&self, errors: u64, warnings: u64, rows_in: u64) -> bool {
        let counted = match self.fail_on {
            FailOn::Never => return false,
            FailOn::Error => errors,
            FailOn::Warning => errors + warnings,
        };
        let limit = match self.max_errors.as_deref() {
            None => 0.0,
            Some(m) => match m.strip_suffix('%') {
                Some(p) => p.trim().parse::<f64>().unwrap_or(0.0) / 100.0 * rows_in as f64,
                None => m.trim().parse::<f64>().unwrap_or(0.0),
            },
        };
        counted as f64 > limit
    }
}

impl Summary {
    /// The summary for people: counts, then a line per field with its top problems, then the policy result.
    /// `what` names the work ("validated", "normalized").
    pub fn human(&self, what: &str) -> String {
        let mut out = format!(
            "{what} {} rows: {} in = {} valid + {} rejected ({} errors, {} warnings)\n",
            self.rows_in,
            self.rows_in,
            self.rows_valid,
            self.rows_rejected,
            self.errors,
            self.warnings
        );
        for s in &self.sources {
            out.push_str(&format!("  {}\n", s.line()));
        }
        if self.rows_unreadable > 0 {
            out.push_str(&format!(
                "  {} row(s) could not be read (malformed CSV)\n",
                self.rows_unreadable
            ));
        }
        out.push_str(&format!(
            "\n  {:<20} {:>8} {:>8} {:>8} {:>8}  top problems\n",
            "field", "checked", "valid", "invalid", "missing"
        ));
        for f in &self.fields {
            let top: Vec<String> = f
                .reasons
                .iter()
                .take(3)
                .map(|r| {
                    let sev = if r.severity == Severity::Warning {
                        " (warning)"
                    } else {
                        ""
                    };
                    format!("{} {}{sev}, e.g. {}", r.rule, r.count, r.example)
                })
                .collect();
            out.push_str(&format!(
                "  {:<20} {:>8} {:>8} {:>8} {:>8}  {}\n",
                f.stats.field,
                f.stats.checked,
                f.stats.valid,
                f.stats.invalid,
                f.stats.missing,
                top.join("; ")
            ));
        }
        if self.policy.failed {
            out.push_str(&format!(
                "\npolicy failed: --fail-on {} with --max-errors {} (exit code 1)\n",
                self.policy.fail_on, self.policy.max_errors
            ));
        }
        out
    }
}

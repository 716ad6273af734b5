//! Field kinds: one module per kind, each a pure function from a raw text value to a normalized value
//! plus the issues found. No I/O, no printing; `validate` and `normalize` commands build on these.

/// How bad an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
}

/// One problem found in a value, with a stable rule code scripts can filter on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Stable code, e.g. "email-syntax", "phone-invalid", "cn-id-checksum", "date-impossible".
    pub rule: &'static str,
    pub level: Level,
    /// A sentence a steward can act on ("check digit should be 3, found 2").
    pub message: String,
    /// A proposed fix, when there is one ("gmail.com").
    pub suggestion: Option<String>,
}

/// The result of checking one value: its normalized form (the cleaned input when it cannot be normalized,
/// never blanked) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub value: String,
    pub issues: Vec<Issue>,
}

pub mod cn_id;
pub mod country;
pub mod date;
pub mod email;
pub mod enums;
pub mod name;
pub mod number;
pub mod phone;
pub mod postcode;
pub mod text;

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

/// The normalization applied before keyed tokens, uniqueness and matching. It is recorded with every token
/// (pseudonymize manifests, clean reports, erase receipts): tokens made under one version join only with
/// tokens made under the same one, so the older versions stay selectable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Normalization {
    /// Until December 2026: an e-mail domain kept as written (`xn--mnchen-3ya.de` and `münchen.de` apart);
    /// `00852 …` in Hong Kong read as +52 (as libphonenumber does), `+1 (1) 800 …` too long,
    /// `+1-800-FLOWERS` not a number, `78001231202` in Russia not Russian.
    N1,
    /// E-mail domains in one form (UTS-46, Unicode labels); `00` followed by the row's own calling code is
    /// that country; a trunk digit in brackets after the country code dropped; vanity letters read as digits.
    #[default]
    N2,
}

impl Normalization {
    pub const CURRENT: Normalization = Normalization::N2;

    pub const fn as_str(self) -> &'static str {
        match self {
            Normalization::N1 => "n1",
            Normalization::N2 => "n2",
        }
    }

    /// `n1` or `n2` (case and surrounding spaces ignored).
    pub fn parse(s: &str) -> Result<Normalization, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "n1" => Ok(Normalization::N1),
            "n2" => Ok(Normalization::N2),
            other => Err(format!(
                "unknown normalization version {other:?}: n2 (the current one) or n1 (tokens made before n2)"
            )),
        }
    }
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

/// NFKC of a value, without work for the common case: ASCII text, or text the quick check finds normalized
/// (most Chinese text). Normalizing every value was the largest single cost of validation.
pub fn nfkc(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
    if s.is_ascii() || s.chars().all(is_plain_char) || is_nfkc_quick(s.chars()) == IsNormalized::Yes
    {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.nfkc().collect())
    }
}

/// A character NFKC leaves alone whatever surrounds it: ASCII, or a CJK unified ideograph (the bulk of
/// Chinese names and addresses), which decomposes to nothing and composes with nothing. Cheaper to test
/// than the quick check, which looks each character up in tables.
pub fn is_plain_char(c: char) -> bool {
    c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    proptest! {
        #[test]
        fn nfkc_shortcut_equals_full_normalization(s in "\\PC{0,24}") {
            let full: String = s.nfkc().collect();
            let quick = super::nfkc(&s).into_owned();
            prop_assert_eq!(quick, full);
        }

        #[test]
        fn plain_text_is_its_own_nfkc(s in "[ -~\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}]{0,24}") {
            let full: String = s.nfkc().collect();
            prop_assert_eq!(&full, &s);
        }
    }

    #[test]
    fn every_plain_char_is_its_own_nfkc() {
        for c in ('\u{0}'..='\u{7F}')
            .chain('\u{3400}'..='\u{4DBF}')
            .chain('\u{4E00}'..='\u{9FFF}')
        {
            assert!(super::is_plain_char(c));
            let s = c.to_string();
            assert_eq!(s.nfkc().collect::<String>(), s, "{:X}", c as u32);
        }
    }
}

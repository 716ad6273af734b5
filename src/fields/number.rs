//! Numbers: money amounts and integers, normalized to plain decimal text.
//!
//! Normalized form: optional `-`, digits without thousands separators and without leading zeros
//! (`0` kept before the point), `.` as decimal point, then exactly the fraction digits that were
//! given (`1.50` stays `1.50`, so amounts keep their precision). No currency, no `+`, no `-0`.

use super::text::clean_text;
use super::{Checked, Issue, Level};

/// Currency symbols, codes and words stripped from either end of a money value.
/// Longer entries come first so `US$` wins over `$`. ASCII codes match case-insensitively.
const CURRENCY: &[&str] = &[
    "人民币",
    "港币",
    "港元",
    "美元",
    "欧元",
    "英镑",
    "日元",
    "US$",
    "HK$",
    "NT$",
    "CN¥",
    "RMB",
    "CNY",
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "HKD",
    "AUD",
    "CAD",
    "SGD",
    "CHF",
    "TWD",
    "KRW",
    "A$",
    "C$",
    "S$",
    "¥",
    "$",
    "€",
    "£",
    "₩",
    "₹",
    "元",
    "圆",
    "円",
    "块",
];

const MINUS: [char; 2] = ['-', '\u{2212}'];

/// Sign and digits of a parsed number.
struct Parsed {
    negative: bool,
    int: String,
    frac: String,
}

impl Parsed {
    fn is_zero(&self) -> bool {
        self.int.bytes().chain(self.frac.bytes()).all(|b| b == b'0')
    }

    fn render(&self, with_frac: bool) -> String {
        let mut out = String::new();
        if self.negative && !self.is_zero() {
            out.push('-');
        }
        out.push_str(&self.int);
        if with_frac && !self.frac.is_empty() {
            out.push('.');
            out.push_str(&self.frac);
        }
        out
    }
}

/// Strips `prefix` case-insensitively (ASCII) from the start of `s`.
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..cut])
}

/// Removes thousands separators from the integer part, checking the grouping (`1,234,567`).
fn ungroup(int: &str) -> Option<String> {
    let seps: Vec<char> = int.chars().filter(|c| !c.is_ascii_digit()).collect();
    let Some(&sep) = seps.first() else {
        return Some(int.to_string());
    };
    if !matches!(sep, ',' | '.' | ' ' | '\'') || seps.iter().any(|&c| c != sep) {
        return None;
    }
    let groups: Vec<&str> = int.split(sep).collect();
    let ok = (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
    ok.then(|| groups.concat())
}

/// Parses unsigned number text with `,` `.` space or `'` separators.
///
/// The decimal separator is: `,` when `decimal_comma` (a lone `.` followed by other than three
/// digits is still a decimal point); otherwise the last of `.`/`,` when both occur; a lone `,`
/// followed by other than three digits (`12,5`, `1234,50`); a lone `.`. Anything else is grouping.
fn parse_unsigned(s: &str, decimal_comma: bool) -> Option<(String, String)> {
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\''))
        || !s.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let after = |sep: char| s.rsplit(sep).next().map_or(0, str::len);
    let decimal = if decimal_comma {
        if commas > 0 {
            Some(',')
        } else if dots == 1 && after('.') != 3 {
            Some('.')
        } else {
            None
        }
    } else if dots > 0 && commas > 0 {
        Some(if s.rfind('.') > s.rfind(',') {
            '.'
        } else {
            ','
        })
    } else if commas == 1 && after(',') != 3 {
        Some(',')
    } else if dots == 1 {
        Some('.')
    } else {
        None
    };
    let (int, frac) = match decimal {
        Some(d) => {
            let (int, frac) = s.rsplit_once(d)?;
            if int.contains(d) || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (int, frac)
        }
        None => (s, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let int = if int.is_empty() {
        "0".to_string()
    } else {
        ungroup(int)?
    };
    let trimmed = int.trim_start_matches('0');
    let int = if trimmed.is_empty() { "0" } else { trimmed };
    Some((int.to_string(), frac.to_string()))
}

/// Parses a money value: currency symbols/codes at either end, one sign, accounting parentheses.
fn parse_money(s: &str, decimal_comma: bool) -> Option<Parsed> {
    let mut s = s.trim();
    let mut negative = false;
    let mut signs = 0;
    let mut parens = false;
    loop {
        let before = s;
        if let Some(rest) = s.strip_prefix(MINUS) {
            (s, negative, signs) = (rest, true, signs + 1);
        } else if let Some(rest) = s.strip_prefix('+') {
            (s, signs) = (rest, signs + 1);
        } else if !parens && s.starts_with('(') && s.ends_with(')') && s.len() >= 2 {
            (s, negative, parens, signs) = (&s[1..s.len() - 1], true, true, signs + 1);
        }
        for cur in CURRENCY {
            if let Some(rest) = strip_prefix_ci(s, cur).or_else(|| strip_suffix_ci(s, cur)) {
                s = rest;
                break;
            }
        }
        s = s.trim();
        if s == before {
            break;
        }
    }
    if signs > 1 {
        return None;
    }
    let (int, frac) = parse_unsigned(s, decimal_comma)?;
    Some(Parsed {
        negative,
        int,
        frac,
    })
}

fn type_error(value: String, message: String) -> Checked {
    Checked {
        issues: vec![Issue {
            rule: "type-error",
            level: Level::Error,
            message,
            suggestion: None,
        }],
        value,
    }
}

fn blank(cleaned: &str) -> Option<Checked> {
    cleaned.is_empty().then(|| Checked {
        value: String::new(),
        issues: Vec::new(),
    })
}

/// Checks a money amount: `￥1,234.50`, `$1,234.50`, `€1.234,50`, `1 234,50`, `1234.50元`,
/// `RMB 100`, `(12.50)` -> `1234.50`, ..., `-12.50`. With `decimal_comma` a `,` is always the
/// decimal separator and `.` grouping (`1.234` -> `1234`). Error `type-error` when not a number;
/// Warning `money-negative` below zero. Blank input: empty value, no issue.
pub fn check_money(raw: &str, decimal_comma: bool) -> Checked {
    let cleaned = clean_text(raw);
    if let Some(c) = blank(&cleaned) {
        return c;
    }
    let Some(p) = parse_money(&cleaned, decimal_comma) else {
        let message = format!("\"{cleaned}\" is not a money amount");
        return type_error(cleaned, message);
    };
    let value = p.render(true);
    let mut issues = Vec::new();
    if p.negative && !p.is_zero() {
        issues.push(Issue {
            rule: "money-negative",
            level: Level::Warning,
            message: format!("amount is negative ({value})"),
            suggestion: None,
        });
    }
    Checked { value, issues }
}

/// Checks a whole number: thousands separators removed (`1,234` -> `1234`), a zero fraction
/// dropped (`3.0` -> `3`). Error `type-error` for a fraction (`3.5`) or non-number; Warning
/// `number-negative` below zero. No currency symbols. Blank input: empty value, no issue.
pub fn check_integer(raw: &str) -> Checked {
    let cleaned = clean_text(raw);
    if let Some(c) = blank(&cleaned) {
        return c;
    }
    let (negative, body) = match cleaned.strip_prefix(MINUS) {
        Some(rest) => (true, rest),
        None => (false, cleaned.strip_prefix('+').unwrap_or(&cleaned)),
    };
    let Some((int, frac)) = parse_unsigned(body.trim_start(), false) else {
        let message = format!("\"{cleaned}\" is not a whole number");
        return type_error(cleaned, message);
    };
    if frac.bytes().any(|b| b != b'0') {
        let message = format!("\"{cleaned}\" has a fraction; expected a whole number");
        return type_error(cleaned, message);
    }
    let p = Parsed {
        negative,
        int,
        frac: String::new(),
    };
    let value = p.render(false);
    let mut issues = Vec::new();
    if value.starts_with('-') {
        issues.push(Issue {
            rule: "number-negative",
            level: Level::Warning,
            message: format!("number is negative ({value})"),
            suggestion: None,
        });
    }
    Checked { value, issues }
}

/// Parses normalized number text (`-1234.5`, as produced by [`check_money`] / [`check_integer`]).
/// Anything else (`1,234`, `1e3`, `NaN`, `inf`, ` 1`) gives `None`.
pub fn parse_number(s: &str) -> Option<f64> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    (digits(int) && digits(frac))
        .then(|| s.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn money(s: &str) -> String {
        let c = check_money(s, false);
        assert!(
            c.issues.iter().all(|i| i.rule != "type-error"),
            "{s}: {:?}",
            c.issues
        );
        c.value
    }

    fn rules(c: &Checked) -> Vec<&'static str> {
        c.issues.iter().map(|i| i.rule).collect()
    }

    #[test]
    fn money_symbols_and_codes() {
        assert_eq!(money("￥1,234.50"), "1234.50");
        assert_eq!(money("¥1,234.50"), "1234.50");
        assert_eq!(money("$1,234.50"), "1234.50");
        assert_eq!(money("US$ 1,234"), "1234");
        assert_eq!(money("€1.234,50"), "1234.50");
        assert_eq!(money("1.234.567,8 €"), "1234567.8");
        assert_eq!(money("£12"), "12");
        assert_eq!(money("1234.50元"), "1234.50");
        assert_eq!(money("人民币 88"), "88");
        assert_eq!(money("RMB 100"), "100");
        assert_eq!(money("rmb100"), "100");
        assert_eq!(money("CNY 100"), "100");
        assert_eq!(money("100 usd"), "100");
        assert_eq!(money("1 234,50"), "1234.50");
        assert_eq!(money("1'234.50"), "1234.50");
        assert_eq!(money("１２３４．５"), "1234.5");
        assert_eq!(money("12,5"), "12.5");
        assert_eq!(money("1,234"), "1234");
        assert_eq!(money("1.234"), "1.234");
        assert_eq!(money(".5"), "0.5");
        assert_eq!(money("007"), "7");
        assert_eq!(money("5."), "5");
    }

    #[test]
    fn money_negative() {
        for s in ["-12.5", "−12.5", "(12.5)", "-$12.5", "$-12.5", "($12.50)"] {
            let c = check_money(s, false);
            assert_eq!(rules(&c), vec!["money-negative"], "{s}");
            assert_eq!(c.issues[0].level, Level::Warning);
            assert!(
                c.value == "-12.5" || c.value == "-12.50",
                "{s}: {}",
                c.value
            );
        }
        let z = check_money("-0.00", false);
        assert_eq!(z.value, "0.00");
        assert!(z.issues.is_empty());
    }

    #[test]
    fn money_decimal_comma() {
        assert_eq!(check_money("1.234", true).value, "1234");
        assert_eq!(check_money("1,234", true).value, "1.234");
        assert_eq!(check_money("1.234,50 €", true).value, "1234.50");
        assert_eq!(check_money("12.5", true).value, "12.5");
        assert_eq!(check_money("1 234,5", true).value, "1234.5");
    }

    #[test]
    fn money_type_errors() {
        for s in [
            "abc",
            "十二元",
            "12abc",
            "1,2,3",
            "--5",
            "1.2.3,4,5",
            "$",
            "12 34",
            "5万",
            "1e3",
        ] {
            let c = check_money(s, false);
            assert_eq!(rules(&c), vec!["type-error"], "{s}");
            assert_eq!(c.issues[0].level, Level::Error);
            assert_eq!(c.value, clean_text(s));
        }
        assert!(check_money("  ", false).issues.is_empty());
    }

    #[test]
    fn integers() {
        assert_eq!(check_integer("1,234").value, "1234");
        assert_eq!(check_integer("1 234 567").value, "1234567");
        assert_eq!(check_integer("3.0").value, "3");
        assert_eq!(check_integer("+42").value, "42");
        assert_eq!(check_integer("１２").value, "12");
        assert_eq!(check_integer("-0").value, "0");
        assert!(check_integer("-0").issues.is_empty());
        let n = check_integer("-5");
        assert_eq!(n.value, "-5");
        assert_eq!(rules(&n), vec!["number-negative"]);
        for s in ["3.5", "abc", "三", "$3", "1.234", "1,2"] {
            let c = check_integer(s);
            assert_eq!(rules(&c), vec!["type-error"], "{s}");
            assert_eq!(c.value, s);
        }
    }

    #[test]
    fn parse_normalized() {
        assert_eq!(parse_number("1234.5"), Some(1234.5));
        assert_eq!(parse_number("-12"), Some(-12.0));
        assert_eq!(parse_number("0.50"), Some(0.5));
        for s in [
            "1,234", "1e3", "NaN", "inf", "", "-", ".5", "5.", " 1", "+1",
        ] {
            assert_eq!(parse_number(s), None, "{s}");
        }
    }

    /// Normalized amounts are locale-free, so they are re-checked without `decimal_comma`;
    /// a type error keeps the cleaned input, which gives the same error under the same setting.
    fn recheck(once: &Checked, dc: bool) -> Checked {
        let failed = once.issues.iter().any(|i| i.rule == "type-error");
        check_money(&once.value, dc && failed)
    }

    proptest! {
        #[test]
        fn money_idempotent(s in any::<String>(), dc in any::<bool>()) {
            let once = check_money(&s, dc);
            let again = recheck(&once, dc);
            prop_assert_eq!(&again.value, &once.value);
            prop_assert_eq!(again.issues, once.issues);
        }

        #[test]
        fn money_idempotent_on_number_like(s in "[-+()$€¥元 0-9.,']{0,14}", dc in any::<bool>()) {
            let once = check_money(&s, dc);
            let again = recheck(&once, dc);
            prop_assert_eq!(&again.value, &once.value);
            if !once.value.is_empty() && once.issues.iter().all(|i| i.rule != "type-error") {
                prop_assert!(parse_number(&once.value).is_some(), "{}", once.value);
            }
        }

        #[test]
        fn integer_idempotent(s in "[-+ 0-9.,a]{0,12}|\\PC{0,12}") {
            let once = check_integer(&s);
            prop_assert_eq!(check_integer(&once.value).value, once.value.clone());
            if !once.value.is_empty() && once.issues.iter().all(|i| i.rule != "type-error") {
                prop_assert!(parse_number(&once.value).is_some(), "{}", once.value);
            }
        }

        #[test]
        fn money_round_trips_numbers(n in -1_000_000_000i64..1_000_000_000, cents in 0u32..100) {
            let text = format!("{n}.{cents:02}");
            let c = check_money(&text, false);
            prop_assert_eq!(parse_number(&c.value), text.parse::<f64>().ok());
        }
    }
}

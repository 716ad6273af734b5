//! Postal codes with per-country formats (hand-written checks, no regex).

use super::country::lookup;
use super::text::clean_text;
use super::{Checked, Issue, Level};

/// Expected format, as shown to the user, for each country with a check.
fn expected(country: &str) -> Option<&'static str> {
    Some(match country {
        "CN" => "6 digits, e.g. 100000",
        "US" => "5 digits or ZIP+4, e.g. 12345 or 12345-6789",
        "GB" => "a UK postcode, e.g. SW1A 1AA",
        "DE" => "5 digits, e.g. 10115",
        "FR" => "5 digits, e.g. 75001",
        "JP" => "7 digits written 123-4567",
        "CA" => "letter-digit-letter digit-letter-digit, e.g. K1A 0B1",
        "AU" => "4 digits, e.g. 2000",
        _ => return None,
    })
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// UK postcode (compact, upper case): outward `A9`, `A99`, `A9A`, `AA9`, `AA99`, `AA9A` with the
/// Royal Mail letter restrictions, inward `9AA`; plus `GIR0AA`. Returns `OUTWARD INWARD`.
fn format_gb(c: &str) -> Option<String> {
    if c == "GIR0AA" {
        return Some("GIR 0AA".to_string());
    }
    let b = c.as_bytes();
    if !(5..=7).contains(&b.len()) {
        return None;
    }
    let (out, inw) = b.split_at(b.len() - 3);
    let inward_ok = inw[0].is_ascii_digit()
        && inw[1..]
            .iter()
            .all(|&x| x.is_ascii_uppercase() && !b"CIKMOV".contains(&x));
    let first = |x: u8| x.is_ascii_uppercase() && !b"QVX".contains(&x);
    let second = |x: u8| x.is_ascii_uppercase() && !b"IJZ".contains(&x);
    let d = |x: u8| x.is_ascii_digit();
    let outward_ok = match *out {
        [a, n] => first(a) && d(n),
        [a, n, m] => first(a) && d(n) && (d(m) || b"ABCDEFGHJKPSTUW".contains(&m)),
        [a, b2, n, m] => first(a) && second(b2) && d(n) && (d(m) || b"ABEHMNPRVWXY".contains(&m)),
        _ => false,
    } || matches!(*out, [a, b2, n] if first(a) && second(b2) && d(n));
    (outward_ok && inward_ok).then(|| format!("{} {}", &c[..c.len() - 3], &c[c.len() - 3..]))
}

/// Canadian postal code (compact, upper case) `A9A9A9` -> `A9A 9A9`.
fn format_ca(c: &str) -> Option<String> {
    let b = c.as_bytes();
    let letter = |x: u8, first: bool| {
        x.is_ascii_uppercase() && !b"DFIOQU".contains(&x) && !(first && b"WZ".contains(&x))
    };
    let ok = b.len() == 6
        && letter(b[0], true)
        && b[1].is_ascii_digit()
        && letter(b[2], false)
        && b[3].is_ascii_digit()
        && letter(b[4], false)
        && b[5].is_ascii_digit();
    ok.then(|| format!("{} {}", &c[..3], &c[3..]))
}

/// Formats the compact (no spaces or hyphens, upper case) code for a country.
fn format(country: &str, c: &str) -> Option<String> {
    let digits = |n: usize| (c.len() == n && all_digits(c)).then(|| c.to_string());
    match country {
        "CN" => digits(6),
        "DE" | "FR" => digits(5),
        "AU" => digits(4),
        "US" => match c.len() {
            5 if all_digits(c) => Some(c.to_string()),
            9 if all_digits(c) => Some(format!("{}-{}", &c[..5], &c[5..])),
            _ => None,
        },
        "JP" => (c.len() == 7 && all_digits(c)).then(|| format!("{}-{}", &c[..3], &c[3..])),
        "GB" => format_gb(c),
        "CA" => format_ca(c),
        _ => None,
    }
}

/// Where a spreadsheet dropped leading zeros (`2134` for US `02134`), proposes the padded code.
fn zero_pad_suggestion(country: &str, c: &str) -> Option<String> {
    let width = match country {
        "US" | "DE" | "FR" => 5,
        "CN" => 6,
        "AU" => 4,
        _ => return None,
    };
    (all_digits(c) && c.len() + 2 >= width && c.len() < width)
        .then(|| format!("{c:0>width$}"))
        .and_then(|p| format(country, &p))
}

/// Checks a postal code against the format of `country` (an ISO code or any name
/// [`super::country::check_country`] knows). Supported: CN, US, GB, DE, FR, JP, CA, AU.
/// A valid code is normalized (upper case; `sw1a1aa` -> `SW1A 1AA`; JP `1234567` -> `123-4567`;
/// US `123456789` -> `12345-6789`; CA `k1a0b1` -> `K1A 0B1`). A code that does not fit gets
/// Error `postcode-format` naming the expected format and keeps the cleaned input. Other or
/// missing countries: cleaned text, no issue. Blank input: empty value, no issue.
pub fn check_postcode(raw: &str, country: Option<&str>) -> Checked {
    let cleaned = clean_text(raw);
    let code = country.and_then(lookup);
    let (Some(code), false) = (code, cleaned.is_empty()) else {
        return Checked {
            value: cleaned,
            issues: Vec::new(),
        };
    };
    let Some(expect) = expected(code) else {
        return Checked {
            value: cleaned,
            issues: Vec::new(),
        };
    };
    let mut compact: String = cleaned
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .flat_map(char::to_uppercase)
        .collect();
    if code == "JP" {
        compact = compact.trim_start_matches('〒').to_string();
    }
    match format(code, &compact) {
        Some(value) => Checked {
            value,
            issues: Vec::new(),
        },
        None => Checked {
            issues: vec![Issue {
                rule: "postcode-format",
                level: Level::Error,
                message: format!("\"{cleaned}\" is not a valid {code} postcode: expected {expect}"),
                suggestion: zero_pad_suggestion(code, &compact),
            }],
            value: cleaned,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(raw: &str, country: &str, want: &str) {
        let c = check_postcode(raw, Some(country));
        assert!(c.issues.is_empty(), "{raw} {country}: {:?}", c.issues);
        assert_eq!(c.value, want, "{raw} {country}");
    }

    fn bad(raw: &str, country: &str) -> Issue {
        let c = check_postcode(raw, Some(country));
        assert_eq!(c.value, clean_text(raw));
        assert_eq!(c.issues.len(), 1, "{raw} {country}");
        assert_eq!(c.issues[0].rule, "postcode-format");
        assert_eq!(c.issues[0].level, Level::Error);
        c.issues[0].clone()
    }

    #[test]
    fn china() {
        ok("100000", "CN", "100000");
        ok("１０００８０", "中国", "100080");
        ok(" 200 030 ", "CN", "200030");
        assert!(bad("10000", "CN").message.contains("6 digits"));
        bad("1000000", "CN");
        bad("北京", "CN");
    }

    #[test]
    fn united_states() {
        ok("90210", "US", "90210");
        ok("12345-6789", "USA", "12345-6789");
        ok("123456789", "US", "12345-6789");
        ok("12345 6789", "US", "12345-6789");
        assert_eq!(bad("2134", "US").suggestion.as_deref(), Some("02134"));
        assert_eq!(bad("1234", "US").suggestion.as_deref(), Some("01234"));
        bad("1234567", "US");
        bad("ABCDE", "US");
    }

    #[test]
    fn great_britain() {
        ok("sw1a1aa", "GB", "SW1A 1AA");
        ok("SW1A 1AA", "UK", "SW1A 1AA");
        ok("ec1a 1bb", "GB", "EC1A 1BB");
        ok("W1A 0AX", "GB", "W1A 0AX");
        ok("m1 1ae", "GB", "M1 1AE");
        ok("B33 8TH", "GB", "B33 8TH");
        ok("CR2 6XH", "GB", "CR2 6XH");
        ok("DN55 1PT", "GB", "DN55 1PT");
        ok("gir0aa", "GB", "GIR 0AA");
        ok("ＳＷ１Ａ　１ＡＡ", "英国", "SW1A 1AA");
        assert!(bad("SW1A", "GB").message.contains("SW1A 1AA"));
        bad("QW1 1AA", "GB");
        bad("SW1A 1AI", "GB");
        bad("12345", "GB");
        bad("AI1 1AA", "GB");
    }

    #[test]
    fn germany_france_australia() {
        ok("10115", "DE", "10115");
        ok("01067", "Deutschland", "01067");
        assert_eq!(bad("1067", "DE").suggestion.as_deref(), Some("01067"));
        ok("75001", "FR", "75001");
        ok("75 001", "法国", "75001");
        bad("7500", "FR");
        ok("2000", "AU", "2000");
        ok("0800", "澳大利亚", "0800");
        bad("20000", "AU");
    }

    #[test]
    fn japan() {
        ok("1000001", "JP", "100-0001");
        ok("100-0001", "日本", "100-0001");
        ok("〒100-0001", "JP", "100-0001");
        ok("１００－０００１", "JP", "100-0001");
        assert!(bad("100-001", "JP").message.contains("123-4567"));
    }

    #[test]
    fn canada() {
        ok("k1a0b1", "CA", "K1A 0B1");
        ok("K1A 0B1", "Canada", "K1A 0B1");
        ok("H3Z-2Y7", "CA", "H3Z 2Y7");
        bad("D1A 0B1", "CA");
        bad("W1A 0B1", "CA");
        bad("K1A 0B", "CA");
    }

    #[test]
    fn unknown_or_missing_country() {
        let c = check_postcode("  75-0 01 ", None);
        assert_eq!(c.value, "75-0 01");
        assert!(c.issues.is_empty());
        assert!(check_postcode("anything", Some("NL")).issues.is_empty());
        assert!(check_postcode("anything", Some("Atlantis"))
            .issues
            .is_empty());
        assert!(check_postcode("  ", Some("CN")).issues.is_empty());
    }

    proptest! {
        #[test]
        fn idempotent(s in any::<String>(), i in 0usize..10) {
            let country = ["CN", "US", "GB", "DE", "FR", "JP", "CA", "AU", "NL", ""][i];
            let country = (!country.is_empty()).then_some(country);
            let once = check_postcode(&s, country).value;
            prop_assert_eq!(check_postcode(&once, country).value, once.clone());
        }

        #[test]
        fn idempotent_on_code_like(s in "[ a-zA-Z0-9\\-〒]{0,10}", i in 0usize..8) {
            let country = Some(["CN", "US", "GB", "DE", "FR", "JP", "CA", "AU"][i]);
            let first = check_postcode(&s, country);
            let second = check_postcode(&first.value, country);
            prop_assert_eq!(&second.value, &first.value);
            prop_assert_eq!(second.issues.is_empty(), first.issues.is_empty());
        }
    }
}

//! Chinese resident identity numbers (居民身份证号码, GB 11643-1999).
//!
//! 18 characters: 6-digit region code, 8-digit birth date `YYYYMMDD`, 3-digit sequence (odd 17th digit =
//! male) and a check character computed with ISO 7064 MOD 11-2 (`X` stands for 10). Legacy 15-digit
//! numbers (`YYMMDD`, no check character, all born in the 1900s) are upgraded to 18 characters.
//!
//! Cleaning: NFKC (full-width digits), spaces and dashes removed, `x` upper-cased. A blank value is
//! returned blank with no issue: whether the field is required is not this module's business.

use chrono::{Datelike, NaiveDate};

use super::{Checked, Issue, Level};

/// What an identity number says about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CnIdInfo {
    pub birth_date: NaiveDate,
    pub female: bool,
    /// The first 6 digits (administrative division code at the time of issue).
    pub region: String,
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Province-level codes (first two digits) that exist: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65,
/// 71 (Taiwan), 81 (Hong Kong), 82 (Macao), 83 (residence permits of Taiwan residents).
fn valid_province(code: u32) -> bool {
    matches!(code, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83)
}

/// The check character for a 17-digit body, or `None` when `body` is not exactly 17 ASCII digits.
pub fn check_char(body: &str) -> Option<char> {
    if body.len() != 17 || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(CHECK_CHARS[(sum % 11) as usize])
}

/// NFKC, drop whitespace and dashes, `x` -> `X`; repeated until stable, since dropping a character can
/// bring a base and a combining mark together.
fn clean(raw: &str) -> String {
    let pass = |s: &str| -> String {
        super::nfkc(s)
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| if c == 'x' { 'X' } else { c })
            .collect()
    };
    let mut s = pass(raw);
    for _ in 0..8 {
        let next = pass(&s);
        if next == s {
            break;
        }
        s = next;
    }
    s
}

fn error(rule: &'static str, message: String, suggestion: Option<String>) -> Issue {
    Issue {
        rule,
        level: Level::Error,
        message,
        suggestion,
    }
}

fn warning(rule: &'static str, message: String) -> Issue {
    Issue {
        rule,
        level: Level::Warning,
        message,
        suggestion: None,
    }
}

/// Checks the birth date digits (`YYYYMMDD`): a real date, not before 1900, not after `today`.
fn birth_date(digits: &str, today: NaiveDate) -> Result<NaiveDate, Issue> {
    let parse = |r: std::ops::Range<usize>| digits[r].parse::<u32>().ok();
    let (y, m, d) = (parse(0..4), parse(4..6), parse(6..8));
    let date = match (y, m, d) {
        (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d),
        _ => None,
    };
    let fail = |why: &str| {
        Err(error(
            "cn-id-birth-date",
            format!("embedded birth date {digits} {why}"),
            None,
        ))
    };
    match date {
        None => fail("is not a real date"),
        Some(date) if date > today => fail("is in the future"),
        Some(date) if date.year() < 1900 => fail("is before 1900"),
        Some(date) => Ok(date),
    }
}

/// Checks a Chinese resident identity number.
///
/// The value is the cleaned 18-character ID (upgraded from 15 digits when needed), or the cleaned input
/// when it cannot be made one. The info is returned only when the ID has no error.
pub fn check_cn_id(raw: &str, today: NaiveDate) -> (Checked, Option<CnIdInfo>) {
    let cleaned = clean(raw);
    let mut issues = Vec::new();
    if cleaned.is_empty() {
        return (
            Checked {
                value: cleaned,
                issues,
            },
            None,
        );
    }
    let n = cleaned.chars().count();
    let all_digits = cleaned.bytes().all(|b| b.is_ascii_digit());

    let value = match n {
        15 if all_digits => {
            let body = format!("{}19{}", &cleaned[..6], &cleaned[6..]);
            match birth_date(&body[6..14], today) {
                Ok(_) => {
                    // `body` is 17 ASCII digits, so the check char exists.
                    let id = format!("{body}{}", check_char(&body).unwrap_or('0'));
                    issues.push(warning(
                        "cn-id-upgraded",
                        format!("legacy 15-digit number {cleaned} upgraded to 18 characters: {id}"),
                    ));
                    id
                }
                Err(issue) => {
                    issues.push(issue);
                    cleaned
                }
            }
        }
        15 => {
            issues.push(error(
                "cn-id-format",
                "a 15-character number must be all digits".to_string(),
                None,
            ));
            cleaned
        }
        18 => {
            if let Some((pos, c)) = cleaned
                .chars()
                .take(17)
                .enumerate()
                .find(|(_, c)| !c.is_ascii_digit())
            {
                issues.push(error(
                    "cn-id-format",
                    format!("character {} is '{c}', expected a digit", pos + 1),
                    None,
                ));
            } else {
                let body = &cleaned[..17];
                let last = cleaned[17..].chars().next().unwrap_or(' ');
                if !(last.is_ascii_digit() || last == 'X') {
                    issues.push(error(
                        "cn-id-format",
                        format!("check character is '{last}', expected a digit or X"),
                        None,
                    ));
                } else if let Some(expected) = check_char(body).filter(|e| *e != last) {
                    issues.push(error(
                        "cn-id-checksum",
                        format!("check character should be {expected}, found {last}"),
                        Some(format!("{body}{expected}")),
                    ));
                }
                if let Err(issue) = birth_date(&body[6..14], today) {
                    issues.push(issue);
                }
            }
            cleaned
        }
        _ => {
            issues.push(error(
                "cn-id-length",
                format!("expected 18 characters, found {n}"),
                None,
            ));
            cleaned
        }
    };

    // Region and info only for a well-formed 18-character ID.
    let mut info = None;
    if value.len() == 18 && value.as_bytes()[..17].iter().all(u8::is_ascii_digit) {
        let province: u32 = value[..2].parse().unwrap_or(0);
        if !valid_province(province) {
            issues.push(warning(
                "cn-id-region",
                format!(
                    "region code {} does not start with a valid province code",
                    &value[..6]
                ),
            ));
        }
        if !issues.iter().any(|i| i.level == Level::Error) {
            if let Ok(birth) = birth_date(&value[6..14], today) {
                let seq_digit = u32::from(value.as_bytes()[16] - b'0');
                info = Some(CnIdInfo {
                    birth_date: birth,
                    female: seq_digit.is_multiple_of(2),
                    region: value[..6].to_string(),
                });
            }
        }
    }
    (Checked { value, issues }, info)
}

/// Compares what the ID says with the record's own birth date and gender (`"male"`/`"female"`; also
/// accepted: `m`/`f`, `男`/`女`, any case). An unrecognised gender is not compared.
pub fn cross_check(
    info: &CnIdInfo,
    birth_date: Option<NaiveDate>,
    gender: Option<&str>,
) -> Vec<Issue> {
    let mut issues = Vec::new();
    if let Some(b) = birth_date.filter(|b| *b != info.birth_date) {
        issues.push(error(
            "cn-id-birth-mismatch",
            format!(
                "ID number says born {}, birth date field says {b}",
                info.birth_date
            ),
            Some(info.birth_date.to_string()),
        ));
    }
    let female = gender.and_then(|g| match g.trim().to_lowercase().as_str() {
        "male" | "m" | "男" => Some(false),
        "female" | "f" | "女" => Some(true),
        _ => None,
    });
    let word = |f: bool| if f { "female" } else { "male" };
    if let Some(f) = female.filter(|f| *f != info.female) {
        issues.push(error(
            "cn-id-gender-mismatch",
            format!(
                "ID number says {}, gender field says {}",
                word(info.female),
                word(f)
            ),
            Some(word(info.female).to_string()),
        ));
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
    }

    fn rules(c: &Checked) -> Vec<&'static str> {
        c.issues.iter().map(|i| i.rule).collect()
    }

    /// Builds a valid ID from region, birth date and sequence.
    fn make(region: &str, birth: &str, seq: &str) -> String {
        let body = format!("{region}{birth}{seq}");
        format!("{body}{}", check_char(&body).unwrap())
    }

    #[test]
    fn well_known_example_is_valid() {
        let (c, info) = check_cn_id("11010519491231002X", today());
        assert_eq!(c.value, "11010519491231002X");
        assert!(c.issues.is_empty(), "{:?}", c.issues);
        let info = info.unwrap();
        assert_eq!(
            info.birth_date,
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert!(info.female);
        assert_eq!(info.region, "110105");
    }

    #[test]
    fn check_char_matches_known_values() {
        assert_eq!(check_char("11010519491231002"), Some('X'));
        // Sum of weights * digits for this body is 13 -> 13 % 11 = 2 -> 'X'; for 00000000000000000 sum 0 -> '1'.
        assert_eq!(check_char("00000000000000000"), Some('1'));
        assert_eq!(check_char("1101051949123100"), None);
        assert_eq!(check_char("1101051949123100A"), None);
    }

    #[test]
    fn cleaning_spaces_dashes_fullwidth_and_lower_x() {
        for raw in [
            " 110105 19491231 002x ",
            "110105-19491231-002X",
            "１１０１０５１９４９１２３１００２ｘ",
        ] {
            let (c, info) = check_cn_id(raw, today());
            assert_eq!(c.value, "11010519491231002X", "{raw}");
            assert!(c.issues.is_empty(), "{raw}: {:?}", c.issues);
            assert!(info.is_some());
        }
    }

    #[test]
    fn checksum_error_suggests_corrected_id() {
        let good = make("110105", "19900101", "123");
        let last = good.chars().last().unwrap();
        let wrong = if last == '2' { '3' } else { '2' };
        let bad = format!("{}{wrong}", &good[..17]);
        let (c, info) = check_cn_id(&bad, today());
        assert_eq!(c.value, bad);
        assert_eq!(rules(&c), ["cn-id-checksum"]);
        assert_eq!(
            c.issues[0].message,
            format!("check character should be {last}, found {wrong}")
        );
        assert_eq!(c.issues[0].suggestion.as_deref(), Some(good.as_str()));
        assert_eq!(c.issues[0].level, Level::Error);
        assert!(info.is_none());
    }

    #[test]
    fn length_errors() {
        let (c, _) = check_cn_id("1101051949123100", today());
        assert_eq!(rules(&c), ["cn-id-length"]);
        assert_eq!(c.issues[0].message, "expected 18 characters, found 16");
        let (c, _) = check_cn_id("11010519491231002X1", today());
        assert_eq!(c.issues[0].message, "expected 18 characters, found 19");
    }

    #[test]
    fn blank_is_blank_without_issue() {
        let (c, info) = check_cn_id("   ", today());
        assert_eq!(c.value, "");
        assert!(c.issues.is_empty());
        assert!(info.is_none());
    }

    #[test]
    fn format_errors() {
        let (c, _) = check_cn_id("1101051949X231002X", today());
        assert_eq!(rules(&c), ["cn-id-format"]);
        assert!(c.issues[0].message.contains("character 11"));
        let (c, _) = check_cn_id("11010519491231002Y", today());
        assert_eq!(rules(&c), ["cn-id-format"]);
        let (c, _) = check_cn_id("11010549123100A", today());
        assert_eq!(rules(&c), ["cn-id-format"]);
    }

    #[test]
    fn birth_date_errors() {
        for birth in ["19490230", "19491301", "20250101", "18991231"] {
            let id = make("110105", birth, "002");
            let (c, info) = check_cn_id(&id, today());
            assert_eq!(rules(&c), ["cn-id-birth-date"], "{id}");
            assert!(info.is_none());
        }
        // Today itself is fine.
        let (c, _) = check_cn_id(&make("110105", "20240601", "002"), today());
        assert!(c.issues.is_empty());
    }

    #[test]
    fn region_warning() {
        let id = make("990105", "19800101", "001");
        let (c, info) = check_cn_id(&id, today());
        assert_eq!(rules(&c), ["cn-id-region"]);
        assert_eq!(c.issues[0].level, Level::Warning);
        // A warning does not withhold the info.
        assert!(!info.unwrap().female);
        for p in [
            "11", "15", "23", "37", "46", "54", "65", "71", "81", "82", "83",
        ] {
            let (c, _) = check_cn_id(&make(&format!("{p}0101"), "19800101", "001"), today());
            assert!(c.issues.is_empty(), "{p}");
        }
        for p in ["10", "16", "24", "38", "47", "55", "66", "72", "84", "00"] {
            let (c, _) = check_cn_id(&make(&format!("{p}0101"), "19800101", "001"), today());
            assert_eq!(rules(&c), ["cn-id-region"], "{p}");
        }
    }

    #[test]
    fn legacy_15_digit_upgrade() {
        let (c, info) = check_cn_id("110105491231002", today());
        assert_eq!(c.value, "11010519491231002X");
        assert_eq!(rules(&c), ["cn-id-upgraded"]);
        assert_eq!(c.issues[0].level, Level::Warning);
        assert!(info.unwrap().female);
        // An upgraded value checks clean.
        let (again, _) = check_cn_id(&c.value, today());
        assert!(again.issues.is_empty());
        // Impossible embedded date: kept as is, error.
        let (c, info) = check_cn_id("110105490230002", today());
        assert_eq!(c.value, "110105490230002");
        assert_eq!(rules(&c), ["cn-id-birth-date"]);
        assert!(info.is_none());
    }

    #[test]
    fn gender_from_17th_digit() {
        let (_, m) = check_cn_id(&make("110105", "19800101", "001"), today());
        let (_, f) = check_cn_id(&make("110105", "19800101", "008"), today());
        assert!(!m.unwrap().female);
        assert!(f.unwrap().female);
    }

    #[test]
    fn cross_checks() {
        let (_, info) = check_cn_id("11010519491231002X", today());
        let info = info.unwrap();
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert!(cross_check(&info, d(1949, 12, 31), Some("female")).is_empty());
        assert!(cross_check(&info, None, None).is_empty());
        assert!(cross_check(&info, None, Some("Female")).is_empty());
        assert!(cross_check(&info, None, Some("女")).is_empty());
        assert!(cross_check(&info, None, Some("unknown")).is_empty());
        let issues = cross_check(&info, d(1950, 1, 1), Some("male"));
        let r: Vec<_> = issues.iter().map(|i| i.rule).collect();
        assert_eq!(r, ["cn-id-birth-mismatch", "cn-id-gender-mismatch"]);
        assert!(issues.iter().all(|i| i.level == Level::Error));
        assert_eq!(issues[0].suggestion.as_deref(), Some("1949-12-31"));
        assert_eq!(issues[1].suggestion.as_deref(), Some("female"));
    }

    fn valid_body() -> impl Strategy<Value = String> {
        let province = prop::sample::select(vec![
            11u32, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
            50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
        ]);
        (province, 0u32..10_000, 0i64..45_000, 0u32..1000).prop_map(|(p, rest, days, seq)| {
            let birth = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            format!("{p:02}{rest:04}{}{seq:03}", birth.format("%Y%m%d"))
        })
    }

    proptest! {
        #[test]
        fn computed_check_char_makes_valid_id(body in valid_body()) {
            let id = format!("{body}{}", check_char(&body).unwrap());
            let (c, info) = check_cn_id(&id, today());
            prop_assert!(c.issues.is_empty(), "{}: {:?}", id, c.issues);
            prop_assert_eq!(&c.value, &id);
            let info = info.unwrap();
            prop_assert_eq!(info.birth_date.format("%Y%m%d").to_string(), &body[6..14]);
            prop_assert_eq!(info.female, (body.as_bytes()[16] - b'0').is_multiple_of(2));
        }

        #[test]
        fn any_other_check_char_is_a_checksum_error(body in valid_body(), k in 1usize..11) {
            let right = check_char(&body).unwrap();
            let pos = CHECK_CHARS.iter().position(|c| *c == right).unwrap();
            let wrong = CHECK_CHARS[(pos + k) % 11];
            let (c, _) = check_cn_id(&format!("{body}{wrong}"), today());
            prop_assert_eq!(rules(&c), vec!["cn-id-checksum"]);
            prop_assert_eq!(c.issues[0].suggestion.clone(), Some(format!("{body}{right}")));
        }

        #[test]
        fn single_digit_typo_is_detected(body in valid_body(), pos in 0usize..17, delta in 1u8..10) {
            let id = format!("{body}{}", check_char(&body).unwrap());
            let mut bytes = id.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let typo = String::from_utf8(bytes).unwrap();
            let (c, _) = check_cn_id(&typo, today());
            prop_assert!(c.issues.iter().any(|i| i.level == Level::Error), "{}", typo);
        }

        #[test]
        fn idempotent_on_valid_ids(body in valid_body()) {
            let id = format!("{body}{}", check_char(&body).unwrap());
            let once = check_cn_id(&id, today()).0.value;
            prop_assert_eq!(check_cn_id(&once, today()).0.value, once);
        }

        #[test]
        fn idempotent_and_no_panic_on_arbitrary(s in "\\PC{0,24}") {
            let once = check_cn_id(&s, today()).0.value;
            prop_assert_eq!(check_cn_id(&once, today()).0.value, once);
        }

        #[test]
        fn idempotent_on_digitish(s in "[0-9xX -]{10,22}") {
            let once = check_cn_id(&s, today()).0.value;
            prop_assert_eq!(check_cn_id(&once, today()).0.value, once);
        }
    }
}

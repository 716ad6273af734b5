//! Phone numbers: normalize to E.164 (`+8613812345678`) with libphonenumber metadata.
//!
//! Accepts full-width digits (NFKC), `+`/`00`/region IDD prefixes, `(+86)`, spaces, dashes, dots,
//! parentheses, a leading label (`Tel:`, `手机：`) and a trailing extension (`x123`, `ext. 12`,
//! `转 8001`), which is dropped from the value with a `phone-extension` warning.

use super::{Checked, Issue, Level, Normalization};
use phonenumber::country::Id;
use phonenumber::metadata::{Database, Descriptor, Metadata, DATABASE};

/// Regions tried, in order, to explain a nationally written number that is invalid in the row's region.
const HINT_REGIONS: &[&str] = &[
    "CN", "HK", "MO", "TW", "US", "GB", "DE", "FR", "JP", "KR", "SG", "AU", "CA", "IN", "MY", "TH",
    "VN", "PH", "ID", "IT", "ES", "NL", "RU", "BR", "MX",
];

/// Labels that may precede a number in a cell; removed before parsing (lower case, longest first).
const LABELS: &[&str] = &[
    "联系电话",
    "手机号码",
    "手机号",
    "telephone",
    "mobile",
    "phone",
    "手机",
    "电话",
    "座机",
    "cell",
    "tel",
    "mob",
];

/// Extension markers (lower case, longest first within a shared prefix).
const EXT_MARKERS: &[&str] = &["extension", "ext", "分机", "转", "x", "#"];

fn issue(rule: &'static str, level: Level, message: String, suggestion: Option<String>) -> Issue {
    Issue {
        rule,
        level,
        message,
        suggestion,
    }
}

/// The error of a number written without a country code when no region says how to read it.
const NO_REGION: &str = "no country code (+..) and no region to interpret the number";
/// How the error of a national number valid in another region than the row's begins.
const WRONG_COUNTRY: &str = "wrong country:";

/// Why `raw` is no phone number, as far as can be told without guessing a region: None when it is valid,
/// or when only a region could tell (a national number with no region given, or a number that is valid in
/// another region than the one given).
pub fn not_a_phone(raw: &str, region: Option<&str>) -> Option<String> {
    let c = check_phone(raw, region);
    let e = c.issues.into_iter().find(|i| i.level == Level::Error)?;
    (e.message != NO_REGION && !e.message.starts_with(WRONG_COUNTRY)).then_some(e.message)
}

/// Check and normalize one phone number (the current normalization). `region` is an ISO 3166-1 alpha-2
/// code used for numbers written without a country code; a bare Chinese mobile number (`1[3-9]` + 9 digits)
/// is taken as CN when no region is given.
pub fn check_phone(raw: &str, region: Option<&str>) -> Checked {
    check_phone_as(raw, region, Normalization::CURRENT)
}

/// Check and normalize one phone number as `version` reads it. From n2: `00` followed by the row's own
/// calling code is that country (`00852 2123 4567` in HK; libphonenumber takes HK's `008` carrier prefix
/// and reads +52) unless only the other reading is a valid number; a trunk prefix written after the
/// country code is dropped when the rest is valid (`+1 (1) 800 234 5785`); vanity letters after the digits
/// are read as keypad digits (`+1-800-FLOWERS`), with a warning. n1 is kept to reproduce tokens made with it.
pub fn check_phone_as(raw: &str, region: Option<&str>, version: Normalization) -> Checked {
    let cleaned = clean(raw);
    if cleaned.is_empty() {
        return Checked {
            value: String::new(),
            issues: Vec::new(),
        };
    }
    let region = region.and_then(known_region);
    let unlabelled = strip_label(&cleaned);
    let (main, ext) = split_extension(unlabelled);
    if version >= Normalization::N2 {
        if let Some((digits, letters)) = vanity(main) {
            let mut c = check_main(&cleaned, &digits, ext, region, version);
            let keypad: String = letters.chars().filter_map(keypad_digit).collect();
            match c.issues.iter_mut().find(|i| i.level == Level::Error) {
                Some(error) => {
                    error.message = format!(
                        "letters {letters} read as keypad digits {keypad}: {}",
                        error.message
                    )
                }
                None => c.issues.insert(
                    0,
                    issue(
                        "phone-vanity",
                        Level::Warning,
                        format!("letters {letters} read as the keypad digits {keypad}"),
                        None,
                    ),
                ),
            }
            return c;
        }
    }
    check_main(&cleaned, main, ext, region, version)
}

/// A vanity number: digits first, then at least three letters with no digit after them
/// (`1-800-FLOWERS`, `1-800-GO-FEDEX`), as the digits with the letters replaced, and the letters. Letters
/// among digits (`138abc5678`) are a typing error, not a vanity number.
fn vanity(main: &str) -> Option<(String, String)> {
    let first_letter = main.find(|c: char| c.is_ascii_alphabetic())?;
    let (head, tail) = main.split_at(first_letter);
    let ok = head.chars().any(|c| c.is_ascii_digit())
        && head
            .chars()
            .all(|c| c.is_ascii_digit() || " +-.()".contains(c))
        && tail
            .chars()
            .all(|c| c.is_ascii_alphabetic() || " -.".contains(c));
    let letters: String = tail.chars().filter(char::is_ascii_alphabetic).collect();
    if !ok || letters.len() < 3 {
        return None;
    }
    let digits = head.to_string() + &tail.chars().filter_map(keypad_digit).collect::<String>();
    Some((digits, letters.to_ascii_uppercase()))
}

/// The digit of a letter on a telephone keypad (ITU E.161).
fn keypad_digit(c: char) -> Option<char> {
    let d = match c.to_ascii_uppercase() {
        'A'..='C' => '2',
        'D'..='F' => '3',
        'G'..='I' => '4',
        'J'..='L' => '5',
        'M'..='O' => '6',
        'P'..='S' => '7',
        'T'..='V' => '8',
        'W'..='Z' => '9',
        _ => return None,
    };
    Some(d)
}

/// The number without its label and extension (`main`), checked; `cleaned` is the value kept when it is
/// invalid.
fn check_main(
    cleaned: &str,
    main: &str,
    ext: Option<&str>,
    region: Option<&'static str>,
    version: Normalization,
) -> Checked {
    let invalid = |message: String, suggestion: Option<String>| Checked {
        value: cleaned.to_string(),
        issues: vec![issue("phone-invalid", Level::Error, message, suggestion)],
    };

    if let Some(bad) = main
        .chars()
        .find(|c| !(c.is_ascii_digit() || " +-.()/".contains(*c)))
    {
        let why = if bad.is_alphabetic() {
            "contains letters".to_string()
        } else {
            format!("unexpected character '{bad}'")
        };
        return invalid(format!("not a phone number: {why}"), None);
    }
    let groups = main
        .split('/')
        .filter(|p| p.chars().filter(char::is_ascii_digit).count() >= 7)
        .count();
    if groups > 1 {
        return invalid(
            "contains more than one phone number; keep one per field".into(),
            None,
        );
    }
    let significant = main.trim_start_matches(['(', ' ']);
    let plus = significant.starts_with('+');
    if main.matches('+').count() > usize::from(plus) {
        return invalid("not a phone number: misplaced '+'".into(), None);
    }
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 3 {
        return invalid(format!("too short: only {} digit(s)", digits.len()), None);
    }
    if digits.len() > 17 {
        return invalid(format!("too long: {} digits", digits.len()), None);
    }

    // Decide whether the number carries its own country code.
    let intl_digits: Option<&str> = if plus {
        Some(&digits)
    } else if let Some(rest) = region.and_then(|r| strip_idd(r, &digits)) {
        match region.and_then(|r| own_code_after_00(r, &digits)) {
            // `00852 …` in HK: HK's international prefix includes `008`, which reads +52.
            Some(own) if version >= Normalization::N2 && own != rest => {
                let valid = |d: &str| fast_parse(None, &format!("+{d}")).is_some();
                Some(if valid(rest) && !valid(own) {
                    rest
                } else {
                    own
                })
            }
            _ => Some(rest),
        }
    } else if let Some(rest) = digits.strip_prefix("00") {
        Some(rest)
    } else if region.is_none()
        && digits.len() == 13
        && is_cn_mobile(&digits[2..])
        && digits.starts_with("86")
    {
        Some(&digits)
    } else {
        None
    };
    // n2: the row's own country code written without `+` or `00` (`78001231202` in RU), when the digits are
    // not a valid national number but are one after the code (libphonenumber reads it so).
    let intl_digits = match (intl_digits, region) {
        (None, Some(r)) if version >= Normalization::N2 && own_code_without_plus(r, &digits) => {
            Some(digits.as_str())
        }
        (found, _) => found,
    };

    let (parse_region, parse_input) = match intl_digits {
        Some(d) => (None, format!("+{d}")),
        None => {
            let r = match region {
                Some(r) => r,
                None if is_cn_mobile(&digits) => "CN",
                None => return invalid(NO_REGION.into(), None),
            };
            (Some(r), digits.clone())
        }
    };

    // n2: where the region's parsing rule rewrites a national number (Argentina's `0AA 15…` mobiles become
    // `9AA…`), only the parser reads it; the quick readings would take it as written.
    let quick = version == Normalization::N1
        || intl_digits.is_some()
        || !parser_rewrites(parse_region, &parse_input);
    let parsed = match parse(parse_region, &parse_input, quick) {
        Ok(p) => p,
        Err(why) => {
            if let (None, Some(row)) = (intl_digits, parse_region) {
                let hints = other_region_hints(row, &digits);
                if !hints.is_empty() {
                    return hint_error(cleaned, row, hints);
                }
            }
            return invalid(why, None);
        }
    };

    // n2: a trunk prefix written twice after the code (`+46 00 16…`) is not dropped twice, as libphonenumber
    // reads it; the crate's parser drops both.
    if let (Status::Valid, Some(d), Normalization::N2) = (parsed.status, intl_digits, version) {
        if let Some(twice) = trunk_dropped_twice(&parsed, d) {
            return match valid_in(parsed.code, twice) {
                Some(p) => Checked {
                    value: p.e164,
                    issues: extension_issue(ext).into_iter().collect(),
                },
                None => invalid(
                    format!(
                        "not a valid number for +{}: {twice} after the code and its trunk prefix",
                        parsed.code
                    ),
                    None,
                ),
            };
        }
    }
    let parsed = match (parsed.status, intl_digits, version) {
        (Status::Valid, _, _) | (_, None, _) | (_, _, Normalization::N1) => parsed,
        _ => without_trunk(parsed.code, &parsed.national).unwrap_or(parsed),
    };
    match parsed.status {
        Status::Valid => Checked {
            value: parsed.e164,
            issues: extension_issue(ext).into_iter().collect(),
        },
        status => {
            // A possible-only number is only ever reported as another region's when it has the shape of a CN
            // mobile: otherwise the hints would go unused, so they are not looked for.
            let wanted = status != Status::PossibleOnly || is_cn_mobile(&digits);
            if let (None, Some(row), true) = (intl_digits, parse_region, wanted) {
                let hints = other_region_hints(row, &digits);
                let strong = hints.len() == 1 && hints[0].0 == "CN" && is_cn_mobile(&digits);
                if !hints.is_empty() && (strong || status != Status::PossibleOnly) {
                    return hint_error(cleaned, row, hints);
                }
            }
            let place = parsed.region_name();
            match status {
                Status::PossibleOnly => {
                    let mut issues = vec![issue(
                        "phone-possible-only",
                        Level::Warning,
                        format!(
                            "{} has a possible length for {place} but is not in any known number range",
                            parsed.e164
                        ),
                        None,
                    )];
                    issues.extend(extension_issue(ext));
                    Checked {
                        value: parsed.e164,
                        issues,
                    }
                }
                Status::TooShort(min) => invalid(
                    format!(
                        "too short for {place}: {} digit(s) after the country code, at least {min} expected",
                        parsed.national.len()
                    ),
                    None,
                ),
                Status::TooLong(max) => invalid(
                    format!(
                        "too long for {place}: {} digit(s) after the country code, at most {max} expected",
                        parsed.national.len()
                    ),
                    None,
                ),
                Status::BadLength => invalid(
                    format!(
                        "wrong length for {place}: {} digit(s) after the country code",
                        parsed.national.len()
                    ),
                    None,
                ),
                Status::BadPrefix | Status::Valid => invalid(
                    format!("invalid prefix: {} is not a valid number for {place}", parsed.e164),
                    None,
                ),
            }
        }
    }
}

/// NFKC, trim, and collapse every run of whitespace to one space.
/// The warning that an extension was dropped from the value.
fn extension_issue(ext: Option<&str>) -> Option<Issue> {
    ext.map(|ext| {
        issue(
            "phone-extension",
            Level::Warning,
            format!("extension {ext} removed; the value keeps the main number only"),
            None,
        )
    })
}

fn clean(raw: &str) -> String {
    let nfkc = super::nfkc(raw);
    nfkc.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn known_region(region: &str) -> Option<&'static str> {
    let upper = region.trim().to_ascii_uppercase();
    let upper = if upper == "UK" {
        "GB".to_string()
    } else {
        upper
    };
    if upper.len() != 2 || !upper.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    db().by_id(upper.as_str()).map(Metadata::id)
}

/// Load the phone metadata on a thread of its own, while the command opens and sniffs its input: loading
/// takes tens of milliseconds, and the first worker to need it would otherwise hold the others waiting.
pub fn warm_up() {
    std::thread::spawn(|| {
        let _ = db().by_id("CN");
    });
}

fn db() -> &'static Database {
    &DATABASE
}

fn strip_label(s: &str) -> &str {
    let lower = s.to_lowercase();
    for label in LABELS {
        if lower.starts_with(label) && s.is_char_boundary(label.len()) {
            let rest = &s[label.len()..];
            let trimmed = rest.trim_start_matches([' ', ':', '.']);
            let next = trimmed.chars().next();
            let separated = rest.len() != trimmed.len();
            if matches!(next, Some(c) if c.is_ascii_digit() || c == '+' || c == '(')
                && (separated || !label.is_ascii())
            {
                return trimmed;
            }
        }
    }
    s
}

/// Split `main [marker] digits` into the main part and the extension digits.
fn split_extension(s: &str) -> (&str, Option<&str>) {
    let lower = s.to_ascii_lowercase();
    for (i, _) in s.char_indices() {
        let head_digits = s[..i].chars().filter(char::is_ascii_digit).count();
        if head_digits < 5 {
            continue;
        }
        for marker in EXT_MARKERS {
            if !lower[i..].starts_with(marker) {
                continue;
            }
            let rest = s[i + marker.len()..].trim_start_matches([' ', '.', ':', '=', '-']);
            if (1..=7).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit()) {
                let main = s[..i].trim_end_matches([' ', ',', ';', '-', '.']);
                return (main, Some(rest));
            }
        }
    }
    (s, None)
}

fn is_cn_mobile(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

/// Whether `digits` start with `region`'s own calling code and read as a valid number only after it.
fn own_code_without_plus(region: &str, digits: &str) -> bool {
    let Some(meta) = db().by_id(region) else {
        return false;
    };
    let code = meta.country_code();
    digits.starts_with(code.to_string().as_str())
        && fast_parse(Some(region), digits).is_none()
        && fast_parse(None, &format!("+{digits}")).is_some_and(|p| p.code == code)
}

/// Whether the parser rewrites this national number by the region's parsing rule (a transform applied when
/// the rule's last group matched: AR `0AA 15…`): the quick readings, which do not rewrite, must not answer.
pub(crate) fn parser_rewrites(region: Option<&str>, national: &str) -> bool {
    let Some(meta) = region.and_then(|r| db().by_id(r)) else {
        return false;
    };
    meta.national_prefix_transform_rule().is_some()
        && meta
            .national_prefix_for_parsing()
            .and_then(|re| prefix_captures(re.as_str(), national))
            .is_some_and(|(_, last_group)| last_group)
}

/// The digits after `00` when they start with `region`'s own calling code (`00852…` in HK).
fn own_code_after_00<'a>(region: &str, digits: &'a str) -> Option<&'a str> {
    let rest = digits.strip_prefix("00")?;
    let code = DATABASE.by_id(region)?.country_code().to_string();
    rest.starts_with(code.as_str()).then_some(rest)
}

/// `+code national` read as libphonenumber reads it when it is not valid as written: a national prefix of
/// the code's main country written after the code is dropped when what remains is valid (`+1 (1) 800 234
/// 5785`, `+7 (8) 912 …`). The phonenumber crate looks up the region first and, for +1, finds none.
fn without_trunk(code: u16, national: &str) -> Option<Parsed> {
    // The parser's own rule for the prefix (CO's `0([3579]|…)?` is a carrier code it rewrites, not a trunk
    // to drop): what libphonenumber strips, and only that.
    let meta = main_country(code)?;
    let mut rest = without_national_prefix(meta, national)?;
    // libphonenumber drops the prefix once: `+46 00 16…` is not `+46 16…` (the crate's parser, which
    // `without_national_prefix` mirrors for national numbers, strips a plain trunk prefix twice).
    if let (Some(p), None) = (meta.national_prefix(), meta.national_prefix_for_parsing()) {
        if national.starts_with(p) && rest.len() + p.len() < national.len() {
            rest = &national[p.len()..];
        }
    }
    (rest.len() < national.len()).then(|| valid_in(code, rest))?
}

/// Where the parser read `+code PP rest` (the trunk prefix `P` written twice) as `+code rest`: the digits
/// after one prefix, which is what libphonenumber keeps.
fn trunk_dropped_twice<'d>(parsed: &Parsed, intl: &'d str) -> Option<&'d str> {
    let after = intl.strip_prefix(parsed.code.to_string().as_str())?;
    let meta = main_country(parsed.code)?;
    let p = meta.national_prefix()?;
    let once = after.strip_prefix(p)?;
    let twice = once.strip_prefix(p)?;
    (meta.national_prefix_for_parsing().is_none() && twice == parsed.national).then_some(once)
}

/// The main country of a calling code: the one marked so where a code is shared, else its only one.
fn main_country(code: u16) -> Option<&'static Metadata> {
    let metas = db().by_code(&code)?;
    metas
        .iter()
        .find(|m| m.is_main_country_for_code())
        .or(metas.first())
        .copied()
}

/// Whether a number written with its country code (`intl`: the digits after `+` or `00`) continues with a
/// trunk prefix of the code's main country: such a number needs the full reading (`without_trunk`).
pub(crate) fn trunk_after_code(intl: &str) -> bool {
    static TRUNKS: std::sync::OnceLock<Vec<Option<Option<&'static str>>>> =
        std::sync::OnceLock::new();
    // Per calling code: known or not, and its main country's trunk prefix (looked up once: the database
    // returns a new list per lookup, and this runs for every number a token is made of).
    let trunks = TRUNKS.get_or_init(|| {
        (0..1000u16)
            .map(|code| {
                db().by_code(&code)
                    .filter(|m| !m.is_empty())
                    .map(|_| main_country(code).and_then(Metadata::national_prefix))
            })
            .collect()
    });
    // Calling codes are prefix-free: the first known one is the code.
    (1..=3.min(intl.len())).find_map(|len| {
        let code: usize = intl[..len].parse().ok()?;
        trunks[code].map(|trunk| trunk.is_some_and(|p| intl[len..].starts_with(p)))
    }) == Some(true)
}

/// Strip the region's international dialling prefix (e.g. 011 in the US, 0011 in Australia).
fn strip_idd<'a>(region: &str, digits: &'a str) -> Option<&'a str> {
    let meta = DATABASE.by_id(region)?;
    let end = pattern_match(meta.international_prefix()?.as_str(), digits, false)?;
    let rest = &digits[end..];
    (end > 0 && !rest.is_empty() && !rest.starts_with('0')).then_some(rest)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Valid,
    PossibleOnly,
    TooShort(u16),
    TooLong(u16),
    BadLength,
    BadPrefix,
}

struct Parsed {
    e164: String,
    national: String,
    status: Status,
    region: Option<&'static str>,
    code: u16,
}

impl Parsed {
    fn region_name(&self) -> String {
        match self.region {
            Some(r) => format!("{r} (+{})", self.code),
            None => format!("+{}", self.code),
        }
    }
}

thread_local! {
    /// Compiled metadata patterns. phonenumber's own cache holds 100 regexes for the whole process behind a
    /// mutex: checking numbers of many regions evicted and recompiled patterns on nearly every call. Each
    /// thread here compiles a pattern once, found by the address of its text: every pattern comes from the
    /// static metadata database, which lives as long as the program, so an address names one pattern.
    static PATTERNS: std::cell::RefCell<foldhash::HashMap<(usize, usize, bool), Option<regex::Regex>>> =
        std::cell::RefCell::new(foldhash::HashMap::default());
}

/// Where a match of a pattern of the static metadata, starting at the text's first character, ends;
/// `anchored` asks for the whole text.
/// Where a metadata pattern's match at the start of `text` ends, and whether its last group (the whole
/// match when it has none) took part.
fn prefix_captures(pattern: &'static str, text: &str) -> Option<(usize, bool)> {
    pattern_match(pattern, text, false)?;
    let key = (pattern.as_ptr() as usize, pattern.len(), false);
    PATTERNS.with(|cell| {
        let map = cell.borrow();
        let re = map.get(&key)?.as_ref()?;
        let caps = re.captures(text)?;
        Some((caps.get(0)?.end(), caps.get(caps.len() - 1).is_some()))
    })
}

fn pattern_match(pattern: &'static str, text: &str, anchored: bool) -> Option<usize> {
    let key = (pattern.as_ptr() as usize, pattern.len(), anchored);
    PATTERNS.with(|cell| {
        let mut map = cell.borrow_mut();
        let re = map.entry(key).or_insert_with(|| {
            let wrapped = if anchored {
                format!("^(?:{pattern})$")
            } else {
                format!("^(?:{pattern})")
            };
            // phonenumber compiles its metadata with whitespace ignored; so must we.
            regex::RegexBuilder::new(&wrapped)
                .ignore_whitespace(true)
                .build()
                .ok()
        });
        let re = re.as_ref()?;
        if anchored {
            // The whole text or nothing: a yes/no search, cheaper than finding where a match ends.
            return re.is_match(text).then_some(text.len());
        }
        re.find(text).map(|m| m.end())
    })
}

fn full_match(desc: &'static Descriptor, national: &str) -> bool {
    (desc.possible_length().is_empty() || desc.possible_length().contains(&(national.len() as u16)))
        && pattern_match(desc.national_number().as_str(), national, true).is_some()
}

fn is_valid_for(meta: &'static Metadata, national: &str) -> bool {
    let d = meta.descriptors();
    if !full_match(d.general(), national) {
        return false;
    }
    // Mobile first: most numbers in customer lists are mobiles (the order does not change the answer).
    [
        d.mobile(),
        d.fixed_line(),
        d.toll_free(),
        d.premium_rate(),
        d.shared_cost(),
        d.personal_number(),
        d.voip(),
        d.pager(),
        d.uan(),
        d.voicemail(),
    ]
    .into_iter()
    .flatten()
    .any(|desc| full_match(desc, national))
}

/// The common case without the general parser: a valid number written as `+CC…` or in the region's national
/// form (with or without its trunk prefix). Anything else, and every invalid number, goes the long way, which
/// also says why a number is invalid. phonenumber's parser took about 14 µs a number here.
fn fast_parse(region: Option<&str>, input: &str) -> Option<Parsed> {
    fast_candidates(region, input)
        .into_iter()
        .flatten()
        .find_map(|(code, national)| valid_in(code, national))
}

/// The readings the fast path tries, in order: `+CC…` split at the first known code, or the region's
/// national form with and without its trunk prefix.
fn fast_candidates<'a>(region: Option<&str>, input: &'a str) -> [Option<(u16, &'a str)>; 2] {
    if let Some(d) = input.strip_prefix('+') {
        for cc_len in 1..=3.min(d.len().saturating_sub(1)) {
            let Ok(code) = d[..cc_len].parse::<u16>() else {
                return [None, None];
            };
            if db().by_code(&code).is_some_and(|m| !m.is_empty()) {
                return [Some((code, &d[cc_len..])), None];
            }
        }
        return [None, None];
    }
    let Some(meta) = region.and_then(|r| db().by_id(r)) else {
        return [None, None];
    };
    let code = meta.country_code();
    let trunk = meta.national_prefix().and_then(|p| input.strip_prefix(p));
    [trunk.map(|rest| (code, rest)), Some((code, input))]
}

/// `+code national` as a valid number, if it is one in some region of the code.
fn valid_in(code: u16, national: &str) -> Option<Parsed> {
    let metas = db().by_code(&code)?;
    let meta = metas.iter().find(|m| is_valid_for(m, national))?;
    Some(Parsed {
        e164: format!("+{code}{national}"),
        national: national.to_string(),
        status: Status::Valid,
        region: Some(meta.id()).filter(|r| *r != "001"),
        code,
    })
}

/// `quick`: the fast readings may answer (else only the parser does).
fn parse(region: Option<&str>, input: &str, quick: bool) -> Result<Parsed, String> {
    if let Some(p) = fast_parse(region, input).filter(|_| quick) {
        return Ok(p);
    }
    let (code, national) = match quick_national(region, input).filter(|_| quick) {
        Some(found) => found,
        None => parser_national(region, input)?,
    };
    // The fast path has already found this reading invalid: not checked twice.
    let known_invalid = quick
        && fast_candidates(region, input)
            .into_iter()
            .flatten()
            .any(|(c, n)| c == code && n == national);
    diagnose(region, input, code, national, known_invalid)
}

/// What phonenumber's parser makes of a clean number: its country code and national number.
fn parser_national(region: Option<&str>, input: &str) -> Result<(u16, String), String> {
    let id = match region {
        Some(r) => Some(r.parse::<Id>().map_err(|_| format!("unknown region {r}"))?),
        None => None,
    };
    let number = match phonenumber::parse(id, input) {
        // The crate strips a national prefix after `+code` even when too little is left (`+86 1124900`: CN's
        // carrier-code prefix takes 11249, leaving 00). libphonenumber then keeps the number unstripped (its
        // parser's length test after stripping); so does this.
        Err(phonenumber::ParseError::TooShortNsn) if input.starts_with('+') => {
            if let Some(found) = unstripped(input) {
                return Ok(found);
            }
            phonenumber::parse(id, input)
        }
        parsed => parsed,
    };
    let number = number.map_err(|e| match e {
        phonenumber::ParseError::InvalidCountryCode => {
            "invalid country code: no country uses this prefix".to_string()
        }
        phonenumber::ParseError::TooShortNsn | phonenumber::ParseError::TooShortAfterIdd => {
            "too short after the country code".to_string()
        }
        phonenumber::ParseError::TooLong => "too long".to_string(),
        _ => "not a phone number".to_string(),
    })?;
    Ok((number.code().value(), number.national().to_string()))
}

/// Digits after `+` split at the first known calling code (codes are prefix-free): the code and the rest.
fn known_code(d: &str) -> Option<(u16, &str)> {
    (1..=3.min(d.len())).find_map(|len| {
        let code: u16 = d[..len].parse().ok()?;
        db().by_code(&code).map(|_| (code, &d[len..]))
    })
}

/// `+code national` split at the first known calling code, the national number as written (at least two
/// digits, libphonenumber's shortest national number); None when no code is known or too little follows.
fn unstripped(input: &str) -> Option<(u16, String)> {
    let d = input.strip_prefix('+')?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (code, rest) = known_code(d)?;
    (rest.len() >= 2).then(|| (code, rest.to_string()))
}

/// The parser's steps, followed where they are simple: `+digits`, or the digits of a number written the
/// region's way with no international or country prefix and no prefix rewriting (the numbers that are not
/// valid, about one in seven of a customer list, skip the general parser). `None` sends the number to the
/// parser; the test `quick_national_agrees_with_the_parser` holds the two equal on generated numbers.
fn quick_national(region: Option<&str>, input: &str) -> Option<(u16, String)> {
    let db = db();
    let (code, meta, national) = match input.strip_prefix('+') {
        // With a region the parser takes that region's rules even after `+`: not followed here.
        Some(d) if region.is_none() => {
            if d.len() <= 2 || d.starts_with('0') || !d.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let (code, rest) = known_code(d)?;
            (code, source_meta(code, rest.trim_start_matches('0'))?, rest)
        }
        Some(_) => return None,
        None => {
            let meta = db.by_id(region?)?;
            let idd_first = meta
                .international_prefix()
                .and_then(|re| pattern_match(re.as_str(), input, false))
                .is_some();
            if !input.bytes().all(|b| b.is_ascii_digit())
                || idd_first
                || input.starts_with(meta.country_code().to_string().as_str())
            {
                return None;
            }
            (meta.country_code(), Some(meta), input)
        }
    };
    let national = match meta {
        Some(meta) => without_national_prefix(meta, national)?,
        None => national,
    };
    (national.len() >= 2 && national.len() <= 17 && !national.starts_with('0'))
        .then(|| (code, national.to_string()))
}

/// The region whose rules the parser applies to `+code national` (its `source_for`): `Some(None)` when none.
fn source_meta(code: u16, national: &str) -> Option<Option<&'static Metadata>> {
    let db = db();
    let Some(regions) = db.region(&code) else {
        return Some(None);
    };
    if let [only] = regions[..] {
        if only == "001" {
            return Some(db.by_code(&code).and_then(|m| m.into_iter().next()));
        }
        only.parse::<Id>().ok()?;
        return Some(db.by_id(only));
    }
    for region in regions {
        let meta = db.by_id(region)?;
        let hit = match meta.leading_digits() {
            Some(pattern) => pattern_match(pattern.as_str(), national, false).is_some(),
            None => has_type(meta, national),
        };
        if hit {
            region.parse::<Id>().ok()?;
            return Some(Some(meta));
        }
    }
    Some(None)
}

/// The parser's `number_type(..) != Unknown`.
fn has_type(meta: &'static Metadata, national: &str) -> bool {
    let d = meta.descriptors();
    is_match(d.general(), national)
        && [
            d.premium_rate(),
            d.toll_free(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
            d.fixed_line(),
            d.mobile(),
        ]
        .into_iter()
        .flatten()
        .any(|desc| is_match(desc, national))
}

/// phonenumber's `Descriptor::is_match` (a possible length, and the pattern matching from the start, not
/// necessarily to the end), with this module's patterns: the crate's shared cache is a contended mutex.
fn is_match(desc: &'static Descriptor, national: &str) -> bool {
    (desc.possible_length().is_empty() || desc.possible_length().contains(&(national.len() as u16)))
        && pattern_match(desc.national_number().as_str(), national, false).is_some()
}

/// The parser's removal of a national (trunk) prefix; `None` where it rewrites the number instead.
fn without_national_prefix<'a>(meta: &'static Metadata, national: &'a str) -> Option<&'a str> {
    let mut potential = national;
    match meta.national_prefix_for_parsing() {
        None => {
            if let Some(p) = meta.national_prefix() {
                potential = potential.strip_prefix(p).unwrap_or(potential);
            }
        }
        Some(re) => {
            // The parser rewrites the number only when the pattern's last group took part (JP's
            // `(000[2569]\d{4,6})$|…|0` rewrites the first form and strips a plain trunk 0).
            if let Some((end, last_group)) = prefix_captures(re.as_str(), potential) {
                if meta.national_prefix_transform_rule().is_some() && last_group {
                    return None;
                }
                potential = &potential[end..];
            }
        }
    }
    if let Some(p) = meta.national_prefix() {
        potential = potential.strip_prefix(p).unwrap_or(potential);
    }
    // Kept unless too short for the region (the parser's `length(.., Unknown) != TooShort`).
    let general = meta.descriptors().general();
    let lengths = general.possible_length();
    let len = potential.len() as u16;
    let too_short =
        !lengths.is_empty() && !general.possible_local_length().contains(&len) && len < lengths[0];
    Some(if too_short { national } else { potential })
}

/// Whether `+code national` is valid, and if not, why: the status the findings report.
fn diagnose(
    region: Option<&str>,
    input: &str,
    code: u16,
    mut national: String,
    known_invalid: bool,
) -> Result<Parsed, String> {
    let metas: Vec<&'static Metadata> = db().by_code(&code).unwrap_or_default();
    let valid = || metas.iter().find(|m| is_valid_for(m, &national));
    if let Some(meta) = if known_invalid { None } else { valid() } {
        return Ok(Parsed {
            e164: format!("+{code}{national}"),
            national,
            status: Status::Valid,
            region: Some(meta.id()).filter(|r| *r != "001"),
            code,
        });
    }
    // Diagnose what was written after an explicit country code, not what the parser made of it
    // (it may have taken leading digits for a carrier code).
    if let Some(after_code) = input
        .strip_prefix('+')
        .and_then(|d| d.strip_prefix(code.to_string().as_str()))
    {
        if after_code.len() > national.len() + 1 {
            national = after_code.to_string();
        }
    }
    let e164 = format!("+{code}{national}");
    // Prefer the row's region for the diagnosis, else the main country of the code.
    let meta = metas
        .iter()
        .find(|m| Some(m.id()) == region)
        .or_else(|| metas.iter().find(|m| m.is_main_country_for_code()))
        .or_else(|| metas.first());
    let Some(meta) = meta else {
        return Err("invalid country code: no country uses this prefix".into());
    };
    let general = meta.descriptors().general();
    let lengths = possible_lengths(meta);
    let len = national.len() as u16;
    let status = match (lengths.first(), lengths.last()) {
        _ if full_match(general, &national) && lengths.contains(&len) => Status::PossibleOnly,
        (Some(&min), _) if len < min => Status::TooShort(min),
        (_, Some(&max)) if len > max => Status::TooLong(max),
        _ if !lengths.is_empty() && !lengths.contains(&len) => Status::BadLength,
        _ => Status::BadPrefix,
    };
    Ok(Parsed {
        e164,
        national,
        status,
        region: Some(meta.id()).filter(|r| *r != "001"),
        code,
    })
}

/// Whether `len` is among `possible_lengths(meta)`, without building the list.
pub(crate) fn has_possible_length(meta: &Metadata, len: usize) -> bool {
    let d = meta.descriptors();
    let len = len as u16;
    let general = d.general().possible_length();
    if !general.is_empty() {
        return general.contains(&len);
    }
    [
        d.fixed_line(),
        d.mobile(),
        d.toll_free(),
        d.premium_rate(),
        d.voip(),
    ]
    .into_iter()
    .flatten()
    .any(|desc| desc.possible_length().contains(&len))
}

/// Possible national lengths of a region: the general ones, or the union over number types.
pub(crate) fn possible_lengths(meta: &Metadata) -> Vec<u16> {
    let d = meta.descriptors();
    let mut lengths: Vec<u16> = d.general().possible_length().to_vec();
    if lengths.is_empty() {
        lengths = [
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.voip(),
        ]
        .into_iter()
        .flatten()
        .flat_map(|desc| desc.possible_length().iter().copied())
        .collect();
    }
    lengths.sort_unstable();
    lengths.dedup();
    lengths
}

/// Other common regions where a nationally written number (invalid in `row`) is valid, best first.
fn other_region_hints(row: &str, digits: &str) -> Vec<(&'static str, String)> {
    // Numbers with a trunk prefix 0 are written the row region's way; short ones fit too many plans.
    if digits.len() < 8 || digits.starts_with('0') {
        return Vec::new();
    }
    // Valid as written nationally there (with or without the trunk prefix): the parser's fast path answers
    // that; its slow path (about 14 µs a number, for 25 regions) only explains why a number is invalid.
    let valid_in = |r: &'static str| match fast_parse(Some(r), digits) {
        Some(p) if p.region == Some(r) => Some((r, p.e164)),
        _ => None,
    };
    // The unmistakable shape of a CN mobile number wins on its own.
    if is_cn_mobile(digits) && row != "CN" {
        if let Some(hint) = valid_in("CN") {
            return vec![hint];
        }
    }
    let mut hints: Vec<_> = HINT_REGIONS
        .iter()
        .filter(|r| **r != row)
        .filter_map(|r| valid_in(r))
        .take(4)
        .collect();
    if hints.len() > 1 {
        // CN fixed-line ranges accept almost any 10-11 digits: ignore them next to another match.
        hints.retain(|(r, _)| *r != "CN");
    }
    hints.truncate(3);
    hints
}

fn hint_error(cleaned: &str, row: &str, hints: Vec<(&'static str, String)>) -> Checked {
    let list: Vec<String> = hints.iter().map(|(r, n)| format!("{r} ({n})")).collect();
    Checked {
        value: cleaned.to_string(),
        issues: vec![issue(
            "phone-invalid",
            Level::Error,
            format!(
                "{WRONG_COUNTRY} not a valid {row} number, but valid for {}",
                list.join(", ")
            ),
            // Only an unambiguous match is proposed as the fix.
            (hints.len() == 1).then(|| hints[0].1.clone()),
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(raw: &str, region: Option<&str>, expected: &str) {
        let c = check_phone(raw, region);
        assert_eq!(c.value, expected, "{raw:?} {region:?}: {c:?}");
        assert!(
            c.issues.iter().all(|i| i.level != Level::Error),
            "{raw:?}: {c:?}"
        );
    }

    fn err(raw: &str, region: Option<&str>, needle: &str) -> Checked {
        let c = check_phone(raw, region);
        let e = c
            .issues
            .iter()
            .find(|i| i.rule == "phone-invalid")
            .unwrap_or_else(|| panic!("{raw:?}: expected phone-invalid, got {c:?}"));
        assert_eq!(e.level, Level::Error);
        assert!(
            e.message.contains(needle),
            "{raw:?}: message {:?} lacks {needle:?}",
            e.message
        );
        assert_eq!(c.value, clean(raw), "invalid keeps the cleaned input");
        c
    }

    /// `00` and the row's own calling code is that country, as people write it (libphonenumber reads
    /// `00852 …` in HK through HK's `008` prefix as +52); numbers that really dial out still do.
    #[test]
    fn own_calling_code_after_00() {
        ok("00852 2123 4567", Some("HK"), "+85221234567");
        ok("00852 9123 4567", Some("HK"), "+85291234567");
        ok("Tel: 00852-2123-4567", Some("HK"), "+85221234567");
        ok("0086 138 1234 5678", Some("CN"), "+8613812345678");
        ok("0049 151 07379650", Some("DE"), "+4915107379650");
        // Through HK's 008 prefix to Mexico: +852 would be too long for HK, +52 is valid.
        ok("008 52 55 1234 5678", Some("HK"), "+525512345678");
        // Another country dialled with 00 from HK, and 011 from the US.
        ok("0044 20 7946 0958", Some("HK"), "+442079460958");
        ok("011 852 2123 4567", Some("US"), "+85221234567");
        // n1 reads as libphonenumber does.
        let n1 = check_phone_as("00852 2123 4567", Some("HK"), Normalization::N1);
        assert_eq!(n1.value, "00852 2123 4567");
        assert_eq!(n1.issues[0].rule, "phone-invalid");
    }

    /// The row's own code written without `+` (found by the conformance suite against libphonenumber).
    #[test]
    fn own_code_without_plus() {
        ok("78001231202", Some("RU"), "+78001231202");
        ok("7 912 345 67 89", Some("RU"), "+79123456789");
        // BR: `55 800123456` is not a valid national number (area 55, `800…`); +55 800 123 456 is.
        // libphonenumber keeps the national reading (11 digits is a possible length) and calls it invalid:
        // a valid reading is preferred here.
        ok("55800123456", Some("BR"), "+55800123456");
        ok("4930123456", Some("DE"), "+4930123456");
        let n1 = check_phone_as("78001231202", Some("RU"), Normalization::N1);
        assert_eq!(n1.issues[0].rule, "phone-invalid", "{n1:?}");
    }

    /// Argentina's `0AA 15…`: the parser rewrites it to the mobile `+54 9 AA…`, and so it is read whole.
    #[test]
    fn argentine_mobiles_are_read_by_the_parsing_rule() {
        ok("011 15-2345-6789", Some("AR"), "+5491123456789");
        err("011 15-2345-67", Some("AR"), "too short for AR");
        // n1 took the truncated one as a Buenos Aires landline.
        let n1 = check_phone_as("011 15-2345-67", Some("AR"), Normalization::N1);
        assert_eq!(n1.value, "+541115234567");
    }

    /// libphonenumber drops a trunk prefix written after the country code when the rest is a number.
    #[test]
    fn trunk_prefix_after_the_country_code() {
        ok("+1 (1) 800 234 5785", None, "+18002345785");
        ok("+1 1 800 234 5785", None, "+18002345785");
        ok("+1 (1) 212 555 0123", Some("GB"), "+12125550123");
        ok("+7 (8) 912 345 6789", None, "+79123456789");
        ok("+44 (0) 20 7946 0958", None, "+442079460958");
        ok("+86 (0) 138 1234 5678", None, "+8613812345678");
        // CO's prefix rule reads `03` as a carrier code; libphonenumber keeps it and finds no number.
        err("+57 (0)321 123 4567", None, "");
        // +7 800 is a Russian toll-free range: its 8 is not a trunk prefix.
        ok("+7 800 555 3535", None, "+78005553535");
        err("+1 (1) 800 234 57", None, "too short");
        // The prefix goes once: `+46 00 16 09 23 06` is not +46 16092306 (found by bench/conformance).
        err("+46 0016092306", Some("SE"), "");
        ok("+46 (0)8 123 456 78", Some("SE"), "+46812345678");
        let n1 = check_phone_as("+1 (1) 800 234 5785", None, Normalization::N1);
        assert!(n1.issues[0].message.contains("too long"), "{n1:?}");
    }

    /// Letters after the digits are read on the keypad (libphonenumber does the same), with a warning.
    #[test]
    fn vanity_numbers() {
        for (raw, region, e164) in [
            ("+1-800-FLOWERS", None, "+18003569377"),
            ("1-800-flowers", Some("US"), "+18003569377"),
            ("1-800-GO-FEDEX", Some("US"), "+18004633339"),
            ("+44 800 FLOWERS", None, "+448003569377"),
        ] {
            let c = check_phone(raw, region);
            assert_eq!(c.value, e164, "{raw}: {c:?}");
            assert_eq!(c.issues.len(), 1, "{raw}: {c:?}");
            assert_eq!(
                (c.issues[0].rule, c.issues[0].level),
                ("phone-vanity", Level::Warning)
            );
            assert!(c.issues[0].message.starts_with("letters "), "{c:?}");
        }
        let c = check_phone("+1-800-FLOWERS", None);
        assert_eq!(
            c.issues[0].message,
            "letters FLOWERS read as the keypad digits 3569377"
        );
        // Letters among the digits, too few letters, or a number too long once read: not a vanity number.
        err("138abc5678", Some("CN"), "contains letters");
        err("+1 800 FL", None, "contains letters");
        err("call me", Some("US"), "contains letters");
        err("+1 800 FLOWERS 1", None, "contains letters");
        err(
            "+1-800-FLOWERSS",
            None,
            "letters FLOWERSS read as keypad digits 35693777: too long",
        );
        let n1 = check_phone_as("+1-800-FLOWERS", None, Normalization::N1);
        assert!(n1.issues[0].message.contains("contains letters"), "{n1:?}");
    }

    #[test]
    fn fast_path_takes_common_valid_numbers() {
        for (region, input, e164) in [
            (None, "+8613812345678", "+8613812345678"),
            (Some("CN"), "13812345678", "+8613812345678"),
            (Some("CN"), "02162345678", "+862162345678"),
            (None, "+442079460958", "+442079460958"),
            (Some("GB"), "02079460958", "+442079460958"),
            (Some("US"), "4155550132", "+14155550132"),
        ] {
            let p = fast_parse(region, input).unwrap_or_else(|| panic!("{input} not taken"));
            assert_eq!(p.e164, e164);
            assert_eq!(p.status, Status::Valid);
        }
        assert!(fast_parse(Some("CN"), "123").is_none());
    }

    #[test]
    fn empty_is_empty() {
        for raw in ["", "   ", "\u{3000}"] {
            let c = check_phone(raw, Some("CN"));
            assert_eq!(c.value, "");
            assert!(c.issues.is_empty());
        }
    }

    #[test]
    fn chinese_mobiles() {
        ok("13812345678", None, "+8613812345678");
        ok("13812345678", Some("CN"), "+8613812345678");
        ok("138 1234 5678", Some("cn"), "+8613812345678");
        ok("138-1234-5678", None, "+8613812345678");
        ok("１３８１２３４５６７８", None, "+8613812345678");
        ok("+86 138 1234 5678", None, "+8613812345678");
        ok("+86-13812345678", Some("US"), "+8613812345678");
        ok("0086 13812345678", None, "+8613812345678");
        ok("0086-138-1234-5678", Some("CN"), "+8613812345678");
        ok("(+86) 138 1234 5678", None, "+8613812345678");
        ok("(+86)13812345678", Some("CN"), "+8613812345678");
        ok("＋８６　１３８　１２３４　５６７８", None, "+8613812345678");
        ok("8613812345678", None, "+8613812345678");
        ok("8613812345678", Some("CN"), "+8613812345678");
        ok("手机：13812345678", None, "+8613812345678");
        ok("Tel: +86 138.1234.5678", None, "+8613812345678");
        ok("19912345678", None, "+8619912345678");
    }

    #[test]
    fn chinese_landlines() {
        ok("021-62345678", Some("CN"), "+862162345678");
        ok("(021) 6234 5678", Some("CN"), "+862162345678");
        ok("010-12345678", Some("CN"), "+861012345678");
        ok("+86 21 6234 5678", None, "+862162345678");
        ok("0755-8888 8888", Some("CN"), "+8675588888888");
    }

    #[test]
    fn international() {
        ok("(415) 555-0132", Some("US"), "+14155550132");
        ok("415.555.0132", Some("US"), "+14155550132");
        ok("+1 415 555 0132", None, "+14155550132");
        ok("011 44 20 7946 0958", Some("US"), "+442079460958");
        ok("020 7946 0958", Some("GB"), "+442079460958");
        ok("020 7946 0958", Some("UK"), "+442079460958");
        ok("+44 (0)20 7946 0958", None, "+442079460958");
        ok("0044 20 7946 0958", Some("DE"), "+442079460958");
        ok("030 123456", Some("DE"), "+4930123456");
        ok("+852 9123 4567", None, "+85291234567");
        ok("03-1234-5678", Some("JP"), "+81312345678");
        ok("+39 02 3661 8300", None, "+390236618300");
    }

    #[test]
    fn extensions() {
        for raw in [
            "(415) 555-0132 x123",
            "(415) 555-0132 ext. 123",
            "415-555-0132 EXT123",
            "415 555 0132 extension 123",
            "415 555 0132 #123",
        ] {
            let c = check_phone(raw, Some("US"));
            assert_eq!(c.value, "+14155550132", "{raw}");
            assert_eq!(c.issues.len(), 1, "{raw}: {c:?}");
            assert_eq!(c.issues[0].rule, "phone-extension");
            assert_eq!(c.issues[0].level, Level::Warning);
            assert!(c.issues[0].message.contains("123"));
        }
        let c = check_phone("021-62345678 转 8001", Some("CN"));
        assert_eq!(c.value, "+862162345678");
        assert_eq!(c.issues[0].rule, "phone-extension");
        assert!(c.issues[0].message.contains("8001"));
        let c = check_phone("021-62345678分机12", Some("CN"));
        assert_eq!(c.value, "+862162345678");
    }

    #[test]
    fn invalid_reasons() {
        err("138123", Some("CN"), "too short");
        err("12", None, "too short");
        err("1381234567812345678", Some("CN"), "too long");
        err("+86 138 1234 5678 999", None, "too long");
        err("abc", Some("CN"), "letters");
        err("n/a", Some("CN"), "letters");
        err("无", Some("CN"), "letters");
        err("call me", None, "letters");
        err("138*1234*5678", Some("CN"), "unexpected character '*'");
        err("+999 1234 5678", None, "country code");
        err("5551234567", None, "no region");
        err("13812345678 / 13987654321", Some("CN"), "more than one");
        err("+86 138+1234", None, "'+'");
    }

    #[test]
    fn invalid_prefix_for_region() {
        // Length fits CN mobiles but 12x is not allocated.
        err("12345678901", Some("CN"), "CN");
        err("+44 1 234", None, "too short");
    }

    #[test]
    fn wrong_country() {
        let c = err("13812345678", Some("US"), "wrong country");
        assert!(c.issues[0].message.contains("CN"));
        assert_eq!(c.issues[0].suggestion.as_deref(), Some("+8613812345678"));
        let c = err("(415) 555-0132", Some("GB"), "wrong country");
        assert!(c.issues[0].message.contains("US (+14155550132)"), "{c:?}");
    }

    #[test]
    fn possible_only_is_a_warning() {
        // Right length and shape for the plan, but in no allocated range.
        for (raw, region, e164) in [
            ("+1 201 155 0123", None, "+12011550123"),
            ("555-123-4567", Some("US"), "+15551234567"),
            ("+86 123 4567 8901", None, "+8612345678901"),
        ] {
            let c = check_phone(raw, region);
            assert_eq!(c.value, e164, "{raw}");
            assert_eq!(c.issues.len(), 1, "{raw}: {c:?}");
            assert_eq!(c.issues[0].rule, "phone-possible-only");
            assert_eq!(c.issues[0].level, Level::Warning);
        }
    }

    #[test]
    fn valid_values_are_e164() {
        for raw in ["13812345678", "+442079460958", "021 6234 5678"] {
            let c = check_phone(raw, Some("CN"));
            assert!(c.value.starts_with('+') && c.value[1..].bytes().all(|b| b.is_ascii_digit()));
        }
    }

    fn errors(c: &Checked) -> usize {
        c.issues.iter().filter(|i| i.level == Level::Error).count()
    }

    fn region_strategy() -> impl Strategy<Value = Option<&'static str>> {
        prop::sample::select(vec![
            None,
            Some("CN"),
            Some("US"),
            Some("GB"),
            Some("DE"),
            Some("XX"),
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn never_panics(s in "\\PC*", region in region_strategy()) {
            let _ = check_phone(&s, region);
        }

        #[test]
        fn idempotent_phoneish(
            s in "[ +(]{0,2}[0-9０-９]{0,4}[ ()./-]{0,2}[0-9]{0,12}( ?(x|ext\\.?|#) ?[0-9]{1,4})?",
            region in region_strategy(),
        ) {
            let first = check_phone(&s, region);
            let second = check_phone(&first.value, region);
            prop_assert_eq!(&second.value, &first.value);
            prop_assert!(errors(&second) <= errors(&first), "{:?} -> {:?}", first, second);
        }

        /// A vanity number reads as the same number written in digits.
        #[test]
        fn vanity_reads_as_its_digits(head in "[2-9][0-9]{2}", letters in "[A-Za-z]{7}") {
            let digits: String = letters.chars().filter_map(keypad_digit).collect();
            let written = format!("+1-{head}-{letters}");
            let vanity = check_phone(&written, None);
            let plain = check_phone(&format!("+1-{head}-{digits}"), None);
            prop_assert_eq!(errors(&vanity), errors(&plain));
            if errors(&plain) == 0 {
                prop_assert_eq!(&vanity.value, &plain.value);
                prop_assert_eq!(vanity.issues[0].rule, "phone-vanity");
            } else {
                prop_assert_eq!(&vanity.value, &written);
            }
        }

        #[test]
        fn idempotent_any(s in "\\PC{0,30}", region in region_strategy()) {
            let first = check_phone(&s, region);
            let second = check_phone(&first.value, region);
            prop_assert_eq!(&second.value, &first.value);
            prop_assert!(errors(&second) <= errors(&first));
        }
    }

    /// In every region of the metadata, its example numbers written `00` + its own code read as written with
    /// `+`, also where the international prefix is more than `00` (HK `008`, CO `005`, BR `0055`); n1 read
    /// some of them as another country.
    #[test]
    fn own_code_after_00_reads_as_plus_everywhere() {
        let (mut compared, mut n1_differs) = (0, Vec::new());
        let mut regions: Vec<&'static Metadata> = db().iter().filter(|m| m.id() != "001").collect();
        regions.sort_by_key(|m| m.id());
        for meta in regions {
            let d = meta.descriptors();
            let (region, cc) = (meta.id(), meta.country_code());
            for example in [d.mobile(), d.fixed_line()]
                .into_iter()
                .flatten()
                .filter_map(|x| x.example())
            {
                let plus = check_phone(&format!("+{cc} {example}"), Some(region));
                if !plus.issues.is_empty() {
                    continue;
                }
                let written = format!("00{cc} {example}");
                let zeros = check_phone(&written, Some(region));
                assert_eq!(zeros.value, plus.value, "{written} in {region}: {zeros:?}");
                if check_phone_as(&written, Some(region), Normalization::N1).value != plus.value {
                    n1_differs.push(region);
                }
                compared += 1;
            }
        }
        assert!(compared > 300, "{compared}");
        n1_differs.dedup();
        assert!(n1_differs.contains(&"HK"), "{n1_differs:?}");
    }

    /// The quick reading of a number equals the parser's wherever it answers: numbers of every region in
    /// the metadata, from its examples (valid) and made up (mostly not), written nationally, with the trunk
    /// prefix, with `+` and the country code, with the code but no `+`, and with an international prefix.
    #[test]
    fn quick_national_agrees_with_the_parser() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let (mut compared, mut tried) = (0usize, 0usize);
        let mut regions: Vec<&'static Metadata> = db().iter().filter(|m| m.id() != "001").collect();
        regions.sort_by_key(|m| m.id());
        for meta in regions {
            let d = meta.descriptors();
            let examples: Vec<&str> = [d.mobile(), d.fixed_line(), d.toll_free(), d.voip()]
                .into_iter()
                .flatten()
                .filter_map(|desc| desc.example())
                .collect();
            for i in 0..48 {
                let mut digits: String = match examples.get(i % 8) {
                    // An example with its last digits changed: valid or nearly.
                    Some(e) if i % 24 < 16 => {
                        let keep = e.len().saturating_sub((next() % 4) as usize);
                        let tail =
                            (0..e.len() - keep).map(|_| char::from(b'0' + (next() % 10) as u8));
                        e[..keep].chars().chain(tail).collect()
                    }
                    _ => (0..3 + next() % 13)
                        .map(|_| char::from(b'0' + (next() % 10) as u8))
                        .collect(),
                };
                let code = meta.country_code().to_string();
                match next() % 6 {
                    0 | 1 => {}
                    2 => digits.insert_str(0, meta.national_prefix().unwrap_or("0")),
                    3 => digits = format!("+{code}{digits}"),
                    4 => digits.insert_str(0, &code),
                    _ => digits.insert_str(0, if next() % 2 == 0 { "00" } else { "011" }),
                }
                for region in [Some(meta.id()), None] {
                    tried += 1;
                    if let Some(quick) = quick_national(region, &digits) {
                        compared += 1;
                        assert_eq!(
                            parser_national(region, &digits),
                            Ok(quick),
                            "{region:?} {digits}"
                        );
                    }
                }
            }
        }
        // Most numbers take the quick way; the test is only worth as much as that share.
        assert!(compared * 2 > tried / 2, "{compared} of {tried}");
    }
}
#[cfg(test)]
mod unstripped_tests {
    use super::*;

    /// libphonenumber keeps a national number unstripped when its national prefix would leave too little
    /// (`+86 1124900`: possible for CN, not valid), as it reads the same number written the national way.
    #[test]
    fn a_national_prefix_that_would_leave_too_little_is_not_stripped() {
        let level = |raw: &str, region: Option<&str>| {
            let c = check_phone(raw, region);
            (c.value, c.issues.iter().map(|i| i.rule).collect::<Vec<_>>())
        };
        let possible = vec!["phone-possible-only"];
        assert_eq!(
            level("+861124900", None),
            ("+861124900".into(), possible.clone())
        );
        assert_eq!(
            level("0 1124900", Some("CN")),
            ("+861124900".into(), possible)
        );
        assert_eq!(not_a_phone("+861124900", None), None);
        // too little after the code is still too short
        assert!(not_a_phone("+861", None).is_some());
        assert!(not_a_phone("+8612", None).is_some());
    }
}

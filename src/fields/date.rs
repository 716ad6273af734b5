//! Dates and date-times, normalized to ISO 8601 (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS`).
//!
//! Accepted after NFKC (full-width digits and separators) and whitespace trimming/collapsing:
//! - year first: `2024-03-05`, `2024-3-5`, `2024/3/5`, `2024.03.05`, `2024 03 05`;
//! - Chinese: `2024年3月5日`, `2024年3月5号` (a year and month without a day is an error);
//! - compact `20240305` (8 digits), only when it is a real date;
//! - day/month first: `05/03/2024`, `5.3.2024`, `05-03-2024`, and with a two-digit year `05/03/24`;
//!   when one part is over 12 the order is certain, when both are 12 or less and differ the order is
//!   taken from [`DateOptions::day_first`], or refused (`date-ambiguous`) when it is false;
//! - English month names: `5 March 2024`, `March 5, 2024`, `5-Mar-2024`, `Mar 5 2024`, `05 Mar 24`,
//!   `2024-Mar-05`, with optional ordinals (`5th`) and weekday names (`Tue, 5 Mar 2024`);
//! - Excel serial numbers of exactly 5 integer digits (`45356` -> 2024-03-05, 1900 date system), always
//!   with a `date-excel-serial` warning; a fraction is the time of day;
//! - any of these followed by a time `HH:MM` or `HH:MM:SS[.fff]` (fraction dropped), after a space or
//!   `T`, with optional `AM`/`PM` after or `上午`/`下午` before, and an optional zone `Z`/`±HH:MM`
//!   (kept by [`check_datetime`] as `Z`/`±HH:MM`, dropped by [`check_date`]).
//!
//! - a two-digit year first when the first number is over 31 (it cannot be a day or a month):
//!   `97-12-30` is 1997-12-30, year, month, day as in ISO 8601 (`97-30-12` is impossible, not reordered).
//!
//! Two-digit years use a fixed pivot: 00-29 -> 20xx, 30-99 -> 19xx, with a `date-two-digit-year`
//! warning. A day or month 0 (`10/00/2024`, `0.1.2024`) is impossible whatever the order. A blank value is returned blank with no issue (required-ness is checked elsewhere).
//! When a value cannot be normalized, the value returned is the cleaned input.

use chrono::{Datelike, Duration, Months, NaiveDate};

use super::{Checked, Issue, Level};

/// How to read and judge dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateOptions {
    /// Read an ambiguous `05/03/2024` as 5 March (day first). When false, ambiguous dates are refused.
    pub day_first: bool,
    /// The date future and age checks are made against.
    pub today: NaiveDate,
    /// Birth-date plausibility: a future date or one more than 120 years ago is an error.
    pub birth: bool,
    /// Without `birth`: when false, a date after `today` gets a `date-future` warning.
    pub future_ok: bool,
}

/// Years further back than this are implausible for a birth date.
const MAX_AGE_YEARS: u32 = 120;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Time {
    h: u32,
    m: u32,
    s: u32,
    /// `Z` or `+HH:MM` / `-HH:MM`.
    zone: Option<String>,
}

#[derive(Debug)]
enum Fail {
    Impossible(String),
    Ambiguous(String),
    Unparseable(String),
}

struct Parsed {
    date: NaiveDate,
    time: Option<Time>,
    warnings: Vec<Issue>,
}

fn warning(rule: &'static str, message: String) -> Issue {
    Issue {
        rule,
        level: Level::Warning,
        message,
        suggestion: None,
    }
}

fn error(rule: &'static str, message: String) -> Issue {
    Issue {
        rule,
        level: Level::Error,
        message,
        suggestion: None,
    }
}

/// NFKC, trim, collapse runs of whitespace to one space; repeated until stable.
fn clean(raw: &str) -> String {
    let pass = |s: &str| -> String {
        let n = super::nfkc(s);
        n.split_whitespace().collect::<Vec<_>>().join(" ")
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

/// Checks a date and normalizes it to `YYYY-MM-DD`; a time part, if any, is validated and dropped.
pub fn check_date(raw: &str, opts: &DateOptions) -> Checked {
    check(raw, opts, false)
}

/// Checks a date or date-time: `YYYY-MM-DDTHH:MM:SS` (plus `Z`/`±HH:MM` when the input had a zone)
/// when there is a time part, else `YYYY-MM-DD`.
pub fn check_datetime(raw: &str, opts: &DateOptions) -> Checked {
    check(raw, opts, true)
}

fn check(raw: &str, opts: &DateOptions, keep_time: bool) -> Checked {
    iso_fast(raw, opts).unwrap_or_else(|| check_slow(raw, opts, keep_time))
}

/// A real date written `YYYY-MM-DD` and nothing else, the commonest spelling, without the general parser.
/// Gives what the general path gives (a property test says so).
fn iso_fast(raw: &str, opts: &DateOptions) -> Option<Checked> {
    let b = raw.as_bytes();
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| raw[r].parse::<u32>().ok();
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let mut issues = Vec::new();
    plausibility(date, opts, &mut issues);
    Some(Checked {
        value: raw.to_string(),
        issues,
    })
}

fn check_slow(raw: &str, opts: &DateOptions, keep_time: bool) -> Checked {
    let cleaned = clean(raw);
    if cleaned.is_empty() {
        return Checked {
            value: cleaned,
            issues: Vec::new(),
        };
    }
    match parse(&cleaned, opts.day_first) {
        Err(fail) => {
            let issue = match fail {
                Fail::Impossible(m) => error("date-impossible", m),
                Fail::Ambiguous(m) => error("date-ambiguous", m),
                Fail::Unparseable(m) => error("date-unparseable", m),
            };
            Checked {
                value: cleaned,
                issues: vec![issue],
            }
        }
        Ok(Parsed {
            date,
            time,
            mut warnings,
        }) => {
            plausibility(date, opts, &mut warnings);
            let mut value = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
            if let (true, Some(t)) = (keep_time, time) {
                value.push_str(&format!("T{:02}:{:02}:{:02}", t.h, t.m, t.s));
                if let Some(z) = t.zone {
                    value.push_str(&z);
                }
            }
            Checked {
                value,
                issues: warnings,
            }
        }
    }
}

fn plausibility(date: NaiveDate, opts: &DateOptions, issues: &mut Vec<Issue>) {
    let future = date > opts.today;
    if opts.birth {
        if future {
            issues.push(error(
                "date-future",
                format!("birth date {date} is after today ({})", opts.today),
            ));
        } else if opts
            .today
            .checked_sub_months(Months::new(12 * MAX_AGE_YEARS))
            .is_some_and(|limit| date < limit)
        {
            issues.push(error(
                "date-too-old",
                format!("birth date {date} is more than {MAX_AGE_YEARS} years ago"),
            ));
        }
    } else if future && !opts.future_ok {
        issues.push(warning(
            "date-future",
            format!("date {date} is after today ({})", opts.today),
        ));
    }
}

fn parse(s: &str, day_first: bool) -> Result<Parsed, Fail> {
    let mut warnings = Vec::new();
    let (date_part, time_part, pm_prefix) = split_time(s);
    let (date, serial_time) = parse_date(date_part, s, day_first, &mut warnings)?;
    let time = match time_part {
        Some(t) => {
            if serial_time.is_some() {
                return Err(Fail::Unparseable(format!(
                    "'{s}' mixes an Excel serial number and a time"
                )));
            }
            Some(parse_time(t, pm_prefix)?)
        }
        None => serial_time,
    };
    Ok(Parsed {
        date,
        time,
        warnings,
    })
}

/// Splits off a time part, found by its first `:`. Returns the date part, the time part and whether
/// the time was preceded by `上午` (false) or `下午` (true).
fn split_time(s: &str) -> (&str, Option<&str>, Option<bool>) {
    let Some(colon) = s.find(':') else {
        return (s, None, None);
    };
    let hour_start = s[..colon]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map_or(colon, |(i, _)| i);
    let mut date = s[..hour_start].trim_end();
    let mut pm = None;
    for (marker, is_pm) in [("上午", false), ("下午", true)] {
        if let Some(d) = date.strip_suffix(marker) {
            date = d.trim_end();
            pm = Some(is_pm);
        }
    }
    if let Some(d) = date.strip_suffix('T') {
        if d.ends_with(|c: char| c.is_ascii_digit()) {
            date = d;
        }
    }
    (date, Some(&s[hour_start..]), pm)
}

fn digits_at(s: &str, max: usize) -> (&str, &str) {
    let end = s
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(s.len(), |(i, _)| i)
        .min(max);
    s.split_at(end)
}

fn parse_time(t: &str, pm_prefix: Option<bool>) -> Result<Time, Fail> {
    let bad = || Fail::Unparseable(format!("'{t}' is not a time (expected HH:MM or HH:MM:SS)"));
    let (h, rest) = digits_at(t, 2);
    let rest = rest.strip_prefix(':').ok_or_else(bad)?;
    let (m, mut rest) = digits_at(rest, 2);
    if h.is_empty() || m.len() != 2 {
        return Err(bad());
    }
    let mut sec = "0";
    if let Some(r) = rest.strip_prefix(':') {
        let (s2, r) = digits_at(r, 2);
        if s2.len() != 2 {
            return Err(bad());
        }
        sec = s2;
        rest = r;
        if let Some(r) = rest.strip_prefix('.') {
            let (frac, r) = digits_at(r, usize::MAX);
            if frac.is_empty() {
                return Err(bad());
            }
            rest = r;
        }
    }
    let mut rest = rest.trim_start();
    let mut pm = pm_prefix;
    let lower = rest.to_ascii_lowercase();
    for (marker, is_pm) in [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)] {
        if lower.starts_with(marker) && pm.is_none() {
            pm = Some(is_pm);
            rest = rest[marker.len()..].trim_start();
            break;
        }
    }
    let zone = parse_zone(rest).ok_or_else(bad)?;
    let num = |x: &str| x.parse::<u32>().map_err(|_| bad());
    let (mut h, m, s) = (num(h)?, num(m)?, num(sec)?);
    let not_real = || Fail::Impossible(format!("'{t}' is not a real time of day"));
    match pm {
        Some(false) if h > 12 => return Err(not_real()),
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    if h > 23 || m > 59 || s > 59 {
        return Err(not_real());
    }
    Ok(Time { h, m, s, zone })
}

/// `""` -> no zone; `Z` -> `Z`; `+8`, `+08`, `+0800`, `+08:00` -> `+08:00`. `None` when not a zone.
fn parse_zone(z: &str) -> Option<Option<String>> {
    if z.is_empty() {
        return Some(None);
    }
    if z.eq_ignore_ascii_case("z") {
        return Some(Some("Z".to_string()));
    }
    let sign = z.chars().next().filter(|c| *c == '+' || *c == '-')?;
    let body = &z[1..];
    if !body.is_ascii() {
        return None;
    }
    let (hh, mm) = match body.split_once(':') {
        Some((h, m)) => (h, m),
        None if body.len() == 4 => body.split_at(2),
        None => (body, "00"),
    };
    let ok = |x: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit())
    };
    if !ok(hh, 1..=2) || !ok(mm, 2..=2) {
        return None;
    }
    let (h, m) = (hh.parse::<u32>().ok()?, mm.parse::<u32>().ok()?);
    (h <= 14 && m <= 59).then(|| Some(format!("{sign}{h:02}:{m:02}")))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Num(String),
    Word(String),
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// `march`, `mar`, `sept` -> 3 / 9. Abbreviations need at least 3 letters.
fn month_number(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    if word == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(word))
        .map(|i| i as u32 + 1)
}

fn is_weekday(word: &str) -> bool {
    (word.len() >= 3 && WEEKDAYS.iter().any(|d| d.starts_with(word)))
        || matches!(word, "tues" | "thur" | "thurs")
}

fn two_digit_year(yy: u32, warnings: &mut Vec<Issue>) -> i32 {
    let year = if yy <= 29 { 2000 + yy } else { 1900 + yy };
    warnings.push(warning(
        "date-two-digit-year",
        format!("two-digit year {yy:02} read as {year} (00-29 -> 20xx, 30-99 -> 19xx)"),
    ));
    year as i32
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(31, |d| d.day())
}

fn make_date(y: i32, m: u32, d: u32, s: &str) -> Result<NaiveDate, Fail> {
    if !(1..=12).contains(&m) {
        return Err(Fail::Impossible(format!(
            "'{s}' is not a real date: there is no month {m}"
        )));
    }
    if d == 0 {
        return Err(Fail::Impossible(format!(
            "'{s}' is not a real date: there is no day 0"
        )));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        let name = MONTHS[m as usize - 1];
        let mut name = name.to_string();
        name[..1].make_ascii_uppercase();
        Fail::Impossible(format!(
            "'{s}' is not a real date: {name} {y} has {} days, not {d}",
            days_in_month(y, m)
        ))
    })
}

/// Day and month from the first two numbers of `a/b/year`: returns (month, day).
fn day_month(a: u32, b: u32, year: i32, s: &str, day_first: bool) -> Result<(u32, u32), Fail> {
    if a == 0 || b == 0 {
        // Not a question of order: neither reading is a date.
        return Err(Fail::Impossible(format!(
            "'{s}' is not a real date: there is no day or month 0"
        )));
    }
    if a > 12 && b > 12 {
        return Err(Fail::Impossible(format!(
            "'{s}' is not a real date: neither {a} nor {b} can be a month"
        )));
    }
    if a == b || a > 12 {
        return Ok((b, a));
    }
    if b > 12 {
        return Ok((a, b));
    }
    if day_first {
        return Ok((b, a));
    }
    Err(Fail::Ambiguous(format!(
        "'{s}' could be {year:04}-{b:02}-{a:02} (day first) or {year:04}-{a:02}-{b:02} (month first); \
         set the day-first option or write it as YYYY-MM-DD"
    )))
}

/// Converts an Excel serial day number (1900 date system) to a date. Serial 1 is 1900-01-01; serial 60
/// is Lotus 1-2-3's nonexistent 1900-02-29 (`None`); from 61 on, the count is off by that one day.
pub fn excel_serial_to_date(serial: u32) -> Option<NaiveDate> {
    let (base, days) = match serial {
        0 | 60 => return None,
        1..=59 => (NaiveDate::from_ymd_opt(1899, 12, 31)?, serial),
        _ => (NaiveDate::from_ymd_opt(1899, 12, 30)?, serial),
    };
    base.checked_add_signed(Duration::days(i64::from(days)))
}

fn parse_date(
    d: &str,
    whole: &str,
    day_first: bool,
    warnings: &mut Vec<Issue>,
) -> Result<(NaiveDate, Option<Time>), Fail> {
    let unparseable = || Fail::Unparseable(format!("'{whole}' is not a recognised date"));
    if d.contains(['年', '月', '日', '号']) {
        return parse_chinese(d, whole, warnings).map(|date| (date, None));
    }

    // Tokens, and the separators between them.
    let mut toks: Vec<Tok> = Vec::new();
    let mut seps: Vec<String> = vec![String::new()];
    for c in d.chars() {
        let last = toks
            .last_mut()
            .filter(|_| seps.last().is_some_and(String::is_empty));
        if c.is_ascii_digit() {
            match last {
                Some(Tok::Num(n)) => n.push(c),
                _ => {
                    toks.push(Tok::Num(c.to_string()));
                    seps.push(String::new());
                }
            }
        } else if c.is_ascii_alphabetic() {
            match last {
                Some(Tok::Word(w)) => w.push(c.to_ascii_lowercase()),
                _ => {
                    toks.push(Tok::Word(c.to_ascii_lowercase().to_string()));
                    seps.push(String::new());
                }
            }
        } else if matches!(c, '-' | '/' | '.' | ',' | ' ') {
            if toks.is_empty() {
                return Err(unparseable());
            }
            if let Some(s) = seps.last_mut() {
                s.push(c);
            }
        } else {
            return Err(unparseable());
        }
    }
    // seps[i] follows toks[i-1]; seps[0] is always empty. Drop ordinal suffixes and weekday names.
    let mut items: Vec<Tok> = Vec::new();
    let mut between: Vec<String> = Vec::new(); // between[i] sits between items[i] and items[i+1]
    for (i, t) in toks.iter().enumerate() {
        let after = seps[i + 1].clone();
        if let Tok::Word(w) = t {
            let ordinal = matches!(w.as_str(), "st" | "nd" | "rd" | "th")
                && matches!(items.last(), Some(Tok::Num(_)))
                && seps[i].is_empty();
            if ordinal || is_weekday(w) {
                if let Some(b) = between.last_mut() {
                    b.push_str(&after);
                }
                continue;
            }
        }
        items.push(t.clone());
        between.push(after);
    }
    between.pop(); // after the last item
    if items.is_empty()
        || seps
            .last()
            .is_some_and(|s| s.trim_end_matches('.').contains(|c| c != ' '))
    {
        return Err(unparseable());
    }
    let num = |t: &Tok| match t {
        Tok::Num(n) => Some(n.clone()),
        Tok::Word(_) => None,
    };
    let val = |n: &str| n.parse::<u32>().unwrap_or(u32::MAX);

    // Bare numbers: compact YYYYMMDD, or a 5-digit Excel serial.
    if items.len() <= 2 && items.iter().all(|t| num(t).is_some()) {
        let first = num(&items[0]).unwrap_or_default();
        let frac = items.get(1).and_then(num);
        if frac.is_none() && first.len() == 8 {
            let (y, m, dd) = (val(&first[..4]), val(&first[4..6]), val(&first[6..]));
            return make_date(y as i32, m, dd, whole).map(|date| (date, None));
        }
        if first.len() == 5 && !first.starts_with('0') && (frac.is_none() || between[0] == ".") {
            return excel(&first, frac.as_deref(), warnings);
        }
        if let (Some(m), 4) = (&frac, first.len()) {
            if m.len() <= 2 && (1..=12).contains(&val(m)) {
                return Err(Fail::Unparseable(format!(
                    "'{whole}' has a year and a month but no day"
                )));
            }
        }
        return Err(unparseable());
    }
    if items.len() != 3 {
        return Err(unparseable());
    }
    let year = |n: &str, w: &mut Vec<Issue>| match n.len() {
        4 => Some(val(n) as i32),
        2 => Some(two_digit_year(val(n), w)),
        _ => None,
    };
    let small = |n: &str| (1..=2).contains(&n.len());

    let words: Vec<usize> = (0..3).filter(|i| num(&items[*i]).is_none()).collect();
    match words.as_slice() {
        [] => {
            // All numeric: one separator kind, used twice.
            let sep = |b: &str| {
                let t = b.trim();
                if t.is_empty() {
                    Some(' ')
                } else if t.len() == 1 && matches!(t, "-" | "/" | ".") {
                    t.chars().next()
                } else {
                    None
                }
            };
            let (s1, s2) = (sep(&between[0]), sep(&between[1]));
            if s1.is_none() || s1 != s2 {
                return Err(unparseable());
            }
            let [a, b, c] = [0, 1, 2].map(|i| num(&items[i]).unwrap_or_default());
            if a.len() == 4 && small(&b) && small(&c) {
                return make_date(val(&a) as i32, val(&b), val(&c), whole).map(|x| (x, None));
            }
            if a.len() == 2 && val(&a) > 31 && small(&b) && c.len() == 2 {
                // A first number over 31 can only be a year: YY-MM-DD, the ISO order (`97-12-30`).
                let y = year(&a, warnings).ok_or_else(unparseable)?;
                return make_date(y, val(&b), val(&c), whole).map(|x| (x, None));
            }
            if small(&a) && small(&b) && (c.len() == 4 || c.len() == 2) {
                let y = year(&c, warnings).ok_or_else(unparseable)?;
                let (m, dd) = day_month(val(&a), val(&b), y, whole, day_first)?;
                return make_date(y, m, dd, whole).map(|x| (x, None));
            }
            Err(unparseable())
        }
        [w] => {
            let Tok::Word(word) = &items[*w] else {
                return Err(unparseable());
            };
            let m = month_number(word).ok_or_else(unparseable)?;
            let nums: Vec<String> = items.iter().filter_map(num).collect();
            let (a, c) = (&nums[0], &nums[1]);
            let (y, dd) = match w {
                1 if a.len() == 4 && small(c) => (val(a) as i32, val(c)),
                1 if small(a) => (year(c, warnings).ok_or_else(unparseable)?, val(a)),
                0 if small(a) => (year(c, warnings).ok_or_else(unparseable)?, val(a)),
                _ => return Err(unparseable()),
            };
            make_date(y, m, dd, whole).map(|x| (x, None))
        }
        _ => Err(unparseable()),
    }
}

fn excel(
    int: &str,
    frac: Option<&str>,
    warnings: &mut Vec<Issue>,
) -> Result<(NaiveDate, Option<Time>), Fail> {
    let serial: u32 = int.parse().unwrap_or(0);
    let date = excel_serial_to_date(serial)
        .ok_or_else(|| Fail::Impossible(format!("Excel serial {int} is not a real date")))?;
    let (date, time) = match frac {
        None => (date, None),
        Some(f) => {
            let x: f64 = format!("0.{f}").parse().unwrap_or(0.0);
            let secs = (x * 86_400.0).round() as u32;
            let (date, secs) = if secs >= 86_400 {
                (date.succ_opt().unwrap_or(date), secs - 86_400)
            } else {
                (date, secs)
            };
            let time = Time {
                h: secs / 3600,
                m: secs / 60 % 60,
                s: secs % 60,
                zone: None,
            };
            (date, Some(time))
        }
    };
    let shown = match frac {
        Some(f) => format!("{int}.{f}"),
        None => int.to_string(),
    };
    warnings.push(warning(
        "date-excel-serial",
        format!("{shown} read as an Excel serial date: {date}"),
    ));
    Ok((date, time))
}

/// `2024年3月5日`, `2024年3月5号`, `24年3月5日` (two-digit year pivot); spaces ignored.
fn parse_chinese(d: &str, whole: &str, warnings: &mut Vec<Issue>) -> Result<NaiveDate, Fail> {
    let unparseable = || Fail::Unparseable(format!("'{whole}' is not a recognised date"));
    let s: String = d.chars().filter(|c| *c != ' ').collect();
    let (y, rest) = digits_at(&s, usize::MAX);
    let rest = rest.strip_prefix('年').ok_or_else(unparseable)?;
    let (m, rest) = digits_at(rest, usize::MAX);
    let rest = rest.strip_prefix('月').ok_or_else(unparseable)?;
    let (day, rest) = digits_at(rest, usize::MAX);
    if m.is_empty() || m.len() > 2 {
        return Err(unparseable());
    }
    if day.is_empty() && rest.is_empty() {
        return Err(Fail::Unparseable(format!(
            "'{whole}' has a year and a month but no day"
        )));
    }
    if day.is_empty() || day.len() > 2 || !matches!(rest, "" | "日" | "号") {
        return Err(unparseable());
    }
    let year = match y.len() {
        4 => y.parse::<i32>().map_err(|_| unparseable())?,
        2 => two_digit_year(y.parse().map_err(|_| unparseable())?, warnings),
        _ => return Err(unparseable()),
    };
    let num = |x: &str| x.parse::<u32>().map_err(|_| unparseable());
    make_date(year, num(m)?, num(day)?, whole)
}

#[cfg(test)]
mod tests {

    proptest::proptest! {
        #[test]
        fn iso_fast_path_equals_the_general_parser(
            y in 0u32..10000, m in 0u32..14, d in 0u32..33, birth: bool, keep_time: bool
        ) {
            let raw = format!("{y:04}-{m:02}-{d:02}");
            let opts = DateOptions {
                day_first: false,
                today: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                birth,
                future_ok: false,
            };
            if let Some(fast) = iso_fast(&raw, &opts) {
                proptest::prop_assert_eq!(fast, check_slow(&raw, &opts, keep_time));
            }
        }
    }
    use super::*;
    use proptest::prelude::*;

    fn opts() -> DateOptions {
        DateOptions {
            day_first: false,
            today: NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
            birth: false,
            future_ok: true,
        }
    }

    fn rules(c: &Checked) -> Vec<&'static str> {
        c.issues.iter().map(|i| i.rule).collect()
    }

    #[track_caller]
    fn ok(raw: &str, want: &str) {
        let c = check_date(raw, &opts());
        assert_eq!(c.value, want, "{raw}");
        assert!(c.issues.is_empty(), "{raw}: {:?}", c.issues);
    }

    #[track_caller]
    fn with_warning(raw: &str, want: &str, rule: &str) {
        let c = check_date(raw, &opts());
        assert_eq!(c.value, want, "{raw}");
        assert_eq!(rules(&c), [rule], "{raw}");
        assert_eq!(c.issues[0].level, Level::Warning);
    }

    #[track_caller]
    fn fails(raw: &str, rule: &str, o: &DateOptions) {
        let c = check_date(raw, o);
        assert_eq!(rules(&c), [rule], "{raw}: {:?}", c.issues);
        assert_eq!(c.issues[0].level, Level::Error);
        assert_eq!(
            c.value,
            clean(raw),
            "{raw}: value must be the cleaned input"
        );
    }

    #[test]
    fn year_first_forms() {
        for raw in [
            "2024-03-05",
            "2024-3-5",
            "2024/3/5",
            "2024.03.05",
            "2024 03 05",
            " 2024-03-05 ",
            "２０２４－０３－０５",
            "２０２４／３／５",
            "20240305",
        ] {
            ok(raw, "2024-03-05");
        }
    }

    #[test]
    fn chinese_forms() {
        ok("2024年3月5日", "2024-03-05");
        ok("2024年03月05号", "2024-03-05");
        ok("２０２４年３月５日", "2024-03-05");
        ok("2024 年 3 月 5 日", "2024-03-05");
        ok("2024年3月5", "2024-03-05");
        with_warning("24年3月5日", "2024-03-05", "date-two-digit-year");
        let o = opts();
        fails("2024年03月", "date-unparseable", &o);
        assert!(check_date("2024年03月", &o).issues[0]
            .message
            .contains("no day"));
        fails("3月5日", "date-unparseable", &o);
        fails("2024年2月30日", "date-impossible", &o);
    }

    #[test]
    fn datetimes_keep_only_the_date() {
        for raw in [
            "2024-03-05 14:30:00",
            "2024-03-05T14:30:00",
            "2024-03-05T14:30:00Z",
            "2024-03-05T14:30:00.123+08:00",
            "2024-03-05 2:30 PM",
            "2024年3月5日 14:30",
            "2024年3月5日下午2:30",
        ] {
            ok(raw, "2024-03-05");
        }
    }

    #[test]
    fn check_datetime_forms() {
        let dt = |raw: &str| check_datetime(raw, &opts());
        assert_eq!(dt("2024-03-05 14:30:00").value, "2024-03-05T14:30:00");
        assert_eq!(dt("2024-03-05T14:30").value, "2024-03-05T14:30:00");
        assert_eq!(dt("2024-03-05 2:30 pm").value, "2024-03-05T14:30:00");
        assert_eq!(dt("2024-03-05 12:05 AM").value, "2024-03-05T00:05:00");
        assert_eq!(dt("2024-03-05 12:05 PM").value, "2024-03-05T12:05:00");
        assert_eq!(dt("2024年3月5日下午2:30").value, "2024-03-05T14:30:00");
        assert_eq!(dt("2024年3月5日上午9:05:07").value, "2024-03-05T09:05:07");
        assert_eq!(dt("2024-03-05T14:30:00Z").value, "2024-03-05T14:30:00Z");
        assert_eq!(
            dt("2024-03-05T14:30:00.5+0800").value,
            "2024-03-05T14:30:00+08:00"
        );
        assert_eq!(dt("05 Mar 2024 09:00").value, "2024-03-05T09:00:00");
        assert_eq!(dt("2024-03-05").value, "2024-03-05");
        let c = dt("45356.5");
        assert_eq!(c.value, "2024-03-05T12:00:00");
        assert_eq!(rules(&c), ["date-excel-serial"]);
        for raw in [
            "2024-03-05 25:00",
            "2024-03-05 13:00 AM",
            "2024-03-05 10:60",
        ] {
            let c = dt(raw);
            assert_eq!(rules(&c), ["date-impossible"], "{raw}");
            assert_eq!(c.value, raw);
        }
        for raw in ["2024-03-05 14:3", "2024-03-05 14:30 foo", "2024-03-05 :30"] {
            assert_eq!(rules(&dt(raw)), ["date-unparseable"], "{raw}");
        }
    }

    #[test]
    fn day_month_order() {
        let o = opts();
        // Certain orders.
        ok("25/03/2024", "2024-03-25");
        ok("03/25/2024", "2024-03-25");
        ok("25.3.2024", "2024-03-25");
        ok("05/05/2024", "2024-05-05");
        // Ambiguous, day_first false: refused with both readings, raw value kept.
        for raw in ["05/03/2024", "5.3.2024", "05-03-2024"] {
            fails(raw, "date-ambiguous", &o);
            let msg = &check_date(raw, &o).issues[0].message;
            assert!(
                msg.contains("2024-03-05") && msg.contains("2024-05-03"),
                "{msg}"
            );
        }
        // day_first true: D/M/Y silently.
        let df = DateOptions {
            day_first: true,
            ..o
        };
        for raw in ["05/03/2024", "5.3.2024", "05-03-2024"] {
            let c = check_date(raw, &df);
            assert_eq!(c.value, "2024-03-05");
            assert!(c.issues.is_empty());
        }
        // Month-first when the second part can only be a day, even with day_first.
        assert_eq!(check_date("03/25/2024", &df).value, "2024-03-25");
        fails("13/14/2024", "date-impossible", &o);
        assert!(check_date("13/14/2024", &o).issues[0]
            .message
            .contains("neither 13 nor 14"));
        fails("31/04/2024", "date-impossible", &o);
        // Mixed separators are refused.
        fails("05/03-2024", "date-unparseable", &o);
    }

    #[test]
    fn two_digit_years() {
        let df = DateOptions {
            day_first: true,
            ..opts()
        };
        let c = check_date("05/03/24", &df);
        assert_eq!(c.value, "2024-03-05");
        assert_eq!(rules(&c), ["date-two-digit-year"]);
        assert!(c.issues[0].message.contains("2024"));
        let c = check_date("25/12/30", &df);
        assert_eq!(c.value, "1930-12-25");
        let c = check_date("25/12/29", &opts());
        assert_eq!(c.value, "2029-12-25");
        assert_eq!(rules(&check_date("05/03/24", &opts())), ["date-ambiguous"]);
    }

    /// A first number over 31 is a year (no day or month is that large): `97-12-30` is 30 December 1997,
    /// in any order option, not "December 1930 has 31 days, not 97".
    #[test]
    fn two_digit_year_first() {
        for day_first in [false, true] {
            let o = DateOptions {
                day_first,
                ..opts()
            };
            for raw in ["97-12-30", "97/12/30", "97.12.30", "97 12 30"] {
                let c = check_date(raw, &o);
                assert_eq!(c.value, "1997-12-30", "{raw}");
                assert_eq!(rules(&c), ["date-two-digit-year"], "{raw}");
            }
            let c = check_date("45-02-30", &o);
            assert_eq!(
                c.issues[0].message,
                "'45-02-30' is not a real date: February 1945 has 28 days, not 30"
            );
            fails("97-30-12", "date-impossible", &o);
            assert!(check_date("97-30-12", &o).issues[0]
                .message
                .contains("no month 30"));
        }
        // 31 and under may be a day: the order option decides, as before.
        assert_eq!(check_date("24-03-05", &opts()).value, "2005-03-24");
        assert_eq!(check_date("30-12-97", &opts()).value, "1997-12-30");
    }

    /// Day 0 and month 0 are impossible in every order, not ambiguous between two impossible dates.
    #[test]
    fn day_or_month_zero_is_impossible() {
        for day_first in [false, true] {
            let o = DateOptions {
                day_first,
                ..opts()
            };
            for raw in ["10/00/2024", "0.1.2024", "00/00/2024", "00-05-24"] {
                fails(raw, "date-impossible", &o);
                assert_eq!(
                    check_date(raw, &o).issues[0].message,
                    format!("'{raw}' is not a real date: there is no day or month 0")
                );
            }
            fails("2024-01-00", "date-impossible", &o);
            assert_eq!(
                check_date("2024-01-00", &o).issues[0].message,
                "'2024-01-00' is not a real date: there is no day 0"
            );
            assert!(check_date("2024-00-10", &o).issues[0]
                .message
                .contains("no month 0"));
            assert!(check_date("20240100", &o).issues[0]
                .message
                .contains("no day 0"));
        }
    }

    #[test]
    fn month_names() {
        for raw in [
            "5 March 2024",
            "March 5, 2024",
            "5-Mar-2024",
            "Mar 5 2024",
            "mar 5 2024",
            "MARCH 5 2024",
            "5th March 2024",
            "March 5th, 2024",
            "Tue, 5 Mar 2024",
            "Tuesday 5 March 2024",
            "5 Mar. 2024",
            "2024-Mar-05",
            "5/Mar/2024",
        ] {
            ok(raw, "2024-03-05");
        }
        ok("1 Sept 2024", "2024-09-01");
        ok("May 31 2024", "2024-05-31");
        with_warning("05 Mar 24", "2024-03-05", "date-two-digit-year");
        let o = opts();
        fails("30 February 2024", "date-impossible", &o);
        fails("5 Foo 2024", "date-unparseable", &o);
        fails("5 Ma 2024", "date-unparseable", &o);
        fails("March 2024", "date-unparseable", &o);
    }

    #[test]
    fn excel_serials() {
        with_warning("45356", "2024-03-05", "date-excel-serial");
        with_warning("45356.75", "2024-03-05", "date-excel-serial");
        assert_eq!(excel_serial_to_date(1), NaiveDate::from_ymd_opt(1900, 1, 1));
        assert_eq!(
            excel_serial_to_date(59),
            NaiveDate::from_ymd_opt(1900, 2, 28)
        );
        assert_eq!(excel_serial_to_date(60), None);
        assert_eq!(
            excel_serial_to_date(61),
            NaiveDate::from_ymd_opt(1900, 3, 1)
        );
        assert_eq!(
            excel_serial_to_date(45292),
            NaiveDate::from_ymd_opt(2024, 1, 1)
        );
        assert_eq!(
            excel_serial_to_date(2_958_465),
            NaiveDate::from_ymd_opt(9999, 12, 31)
        );
        let o = opts();
        // Other bare numbers are not taken as serials.
        for raw in ["2024", "123", "1234567", "45356,5", "123456789"] {
            fails(raw, "date-unparseable", &o);
        }
        fails("2024.03", "date-unparseable", &o);
    }

    #[test]
    fn impossible_dates() {
        let o = opts();
        for raw in [
            "2023-02-29",
            "2023-02-30",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-01-00",
            "20230230",
            "20241301",
        ] {
            fails(raw, "date-impossible", &o);
        }
        assert!(check_date("2023-02-30", &o).issues[0]
            .message
            .contains("February 2023 has 28 days"));
        assert!(check_date("2024-13-01", &o).issues[0]
            .message
            .contains("no month 13"));
        ok("2024-02-29", "2024-02-29");
    }

    #[test]
    fn unparseable() {
        let o = opts();
        for raw in [
            "hello",
            "2024-03",
            "2024-03-05-01",
            "202-03-05",
            "2024--03",
            "-2024-03-05",
            "2024-03-05 now",
            "next tuesday",
            "٢٠٢٤-٠٣-٠٥",
            "2024-03-05?",
            "12345678901",
        ] {
            fails(raw, "date-unparseable", &o);
        }
        let c = check_date("   ", &o);
        assert_eq!(c.value, "");
        assert!(c.issues.is_empty());
    }

    #[test]
    fn future_and_birth_rules() {
        let o = opts();
        let strict = DateOptions {
            future_ok: false,
            ..o
        };
        let birth = DateOptions { birth: true, ..o };
        // Future, not a birth date.
        assert!(check_date("2030-01-01", &o).issues.is_empty());
        let c = check_date("2030-01-01", &strict);
        assert_eq!(c.value, "2030-01-01");
        assert_eq!(rules(&c), ["date-future"]);
        assert_eq!(c.issues[0].level, Level::Warning);
        assert!(check_date("2024-06-01", &strict).issues.is_empty());
        // Birth dates.
        let c = check_date("2024-06-02", &birth);
        assert_eq!(c.value, "2024-06-02");
        assert_eq!(rules(&c), ["date-future"]);
        assert_eq!(c.issues[0].level, Level::Error);
        let c = check_date("1904-05-31", &birth);
        assert_eq!(rules(&c), ["date-too-old"]);
        assert_eq!(c.issues[0].level, Level::Error);
        assert!(check_date("1904-06-01", &birth).issues.is_empty());
        assert!(check_date("1980-01-01", &birth).issues.is_empty());
        // Warnings add up: excel serial in the future.
        let c = check_date("99999", &strict);
        assert_eq!(rules(&c), ["date-excel-serial", "date-future"]);
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..(365 * 400))
            .prop_map(|d| NaiveDate::from_ymd_opt(1800, 1, 1).unwrap() + Duration::days(d))
    }

    fn month_name(m: u32, short: bool) -> String {
        let n = MONTHS[m as usize - 1];
        if short {
            n[..3].to_string()
        } else {
            n.to_string()
        }
    }

    proptest! {
        #[test]
        fn renderings_of_a_date_parse_back(d in any_date(), style in 0usize..9, short in any::<bool>()) {
            let (y, m, dd) = (d.year(), d.month(), d.day());
            let raw = match style {
                0 => format!("{y}-{m:02}-{dd:02}"),
                1 => format!("{y}/{m}/{dd}"),
                2 => format!("{y}.{m:02}.{dd:02}"),
                3 => format!("{y}年{m}月{dd}日"),
                4 => format!("{y}{m:02}{dd:02}"),
                5 => format!("{dd} {} {y}", month_name(m, short)),
                6 => format!("{} {dd}, {y}", month_name(m, short)),
                7 => format!("{y}-{m:02}-{dd:02}T{:02}:{:02}:00", dd % 24, m * 4),
                _ => format!("{dd:02}.{m:02}.{y}"),
            };
            let df = DateOptions { day_first: true, ..opts() };
            let c = check_date(&raw, &df);
            prop_assert_eq!(&c.value, &d.format("%Y-%m-%d").to_string(), "{}", raw);
            prop_assert!(c.issues.iter().all(|i| i.rule == "date-future"), "{}: {:?}", raw, c.issues);
        }

        /// Every date of 1932-1999 written YY-MM-DD (the first number over 31) reads back, in either order.
        #[test]
        fn two_digit_year_first_reads_back(
            d in (1932i32..=1999, 1u32..=12, 1u32..=31)
                .prop_filter_map("real date", |(y, m, dd)| NaiveDate::from_ymd_opt(y, m, dd)),
            sep in proptest::sample::select(vec!["-", "/", "."]),
            day_first in any::<bool>(),
        ) {
            let raw = format!("{:02}{sep}{:02}{sep}{:02}", d.year() % 100, d.month(), d.day());
            let c = check_date(&raw, &DateOptions { day_first, ..opts() });
            prop_assert_eq!(c.value, d.format("%Y-%m-%d").to_string(), "{}", raw);
        }

        #[test]
        fn idempotent_on_valid_dates(d in any_date(), day_first in any::<bool>()) {
            let o = DateOptions { day_first, ..opts() };
            let raw = d.format("%d/%m/%Y").to_string();
            let once = check_date(&raw, &o).value;
            prop_assert_eq!(check_date(&once, &o).value, once.clone());
            let once = check_datetime(&format!("{raw} 10:11:12 pm"), &o).value;
            prop_assert_eq!(check_datetime(&once, &o).value, once);
        }

        #[test]
        fn idempotent_and_no_panic_on_arbitrary(s in "\\PC{0,30}", day_first in any::<bool>()) {
            let o = DateOptions { day_first, ..opts() };
            let once = check_date(&s, &o).value;
            prop_assert_eq!(check_date(&once, &o).value, once);
            let once = check_datetime(&s, &o).value;
            prop_assert_eq!(check_datetime(&once, &o).value, once);
        }

        #[test]
        fn idempotent_on_date_like(s in "[0-9]{1,8}([-/. :T年月日号]{1,2}[0-9]{1,4}){0,5}( ?[aApP][mM])?") {
            let o = opts();
            let once = check_datetime(&s, &o).value;
            prop_assert_eq!(check_datetime(&once, &o).value, once);
            let once = check_date(&s, &o).value;
            prop_assert_eq!(check_date(&once, &o).value, once);
        }

        #[test]
        fn output_is_iso_or_cleaned_input(s in "\\PC{0,30}") {
            let c = check_date(&s, &opts());
            let has_error = c.issues.iter().any(|i| i.level == Level::Error);
            if has_error && !c.issues.iter().any(|i| matches!(i.rule, "date-future" | "date-too-old")) {
                prop_assert_eq!(c.value, clean(&s));
            } else if !c.value.is_empty() {
                prop_assert!(NaiveDate::parse_from_str(&c.value, "%Y-%m-%d").is_ok(), "{}", c.value);
            }
        }
    }
}

//! Table Schema v1 by the letter: each field's type and format cast a raw cell (never a normalized one), and the
//! field's constraints are tested on the cast value, as frictionless 5 validates a v1 schema. This is what
//! `--schema table.json` means; steward's own normalization-aware checks are the separate `--steward-checks`.
//!
//! Where frictionless follows a quirk of Python rather than the spec, steward follows the spec and the README
//! lists the difference (for example `1_000` and full-width digits, which Python's `int()` accepts).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::cmp::Ordering;

/// The types Table Schema v1 defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecType {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    Date,
    Time,
    Datetime,
    Year,
    Yearmonth,
    Duration,
    Geopoint,
    Geojson,
    Any,
}

impl SpecType {
    pub fn parse(name: &str) -> Option<SpecType> {
        Some(match name {
            "string" => SpecType::String,
            "number" => SpecType::Number,
            "integer" => SpecType::Integer,
            "boolean" => SpecType::Boolean,
            "object" => SpecType::Object,
            "array" => SpecType::Array,
            "date" => SpecType::Date,
            "time" => SpecType::Time,
            "datetime" => SpecType::Datetime,
            "year" => SpecType::Year,
            "yearmonth" => SpecType::Yearmonth,
            "duration" => SpecType::Duration,
            "geopoint" => SpecType::Geopoint,
            "geojson" => SpecType::Geojson,
            "any" => SpecType::Any,
            _ => return None,
        })
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            SpecType::String => "string",
            SpecType::Number => "number",
            SpecType::Integer => "integer",
            SpecType::Boolean => "boolean",
            SpecType::Object => "object",
            SpecType::Array => "array",
            SpecType::Date => "date",
            SpecType::Time => "time",
            SpecType::Datetime => "datetime",
            SpecType::Year => "year",
            SpecType::Yearmonth => "yearmonth",
            SpecType::Duration => "duration",
            SpecType::Geopoint => "geopoint",
            SpecType::Geojson => "geojson",
            SpecType::Any => "any",
        }
    }

    /// The formats v1 defines for the type (`None`: any strptime-like pattern is allowed as well).
    pub fn formats(&self) -> Option<&'static [&'static str]> {
        match self {
            SpecType::String => Some(&["default", "email", "uri", "binary", "uuid"]),
            SpecType::Geopoint => Some(&["default", "array", "object"]),
            SpecType::Geojson => Some(&["default", "topojson"]),
            SpecType::Date | SpecType::Time | SpecType::Datetime => None,
            _ => Some(&["default"]),
        }
    }

    /// The constraints v1 lets a field of this type carry (required and unique apply to every type).
    pub fn constraints(&self) -> &'static [&'static str] {
        match self {
            SpecType::String => &["minLength", "maxLength", "pattern", "enum"],
            SpecType::Array | SpecType::Object => &["minLength", "maxLength", "enum"],
            SpecType::Number
            | SpecType::Integer
            | SpecType::Date
            | SpecType::Time
            | SpecType::Datetime
            | SpecType::Year
            | SpecType::Yearmonth => &["minimum", "maximum", "enum"],
            SpecType::Boolean
            | SpecType::Duration
            | SpecType::Geopoint
            | SpecType::Geojson
            | SpecType::Any => &["enum"],
        }
    }
}

/// A cast cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i128),
    Num(f64),
    Bool(bool),
    Date(NaiveDate),
    /// A date and time, with its offset from UTC in seconds when it has one.
    DateTime(NaiveDateTime, Option<i32>),
    Time(NaiveTime, Option<i32>),
    Year(i32),
    YearMonth(i32, u32),
    Json(serde_json::Value),
    Duration(String),
    Point(f64, f64),
}

impl Value {
    /// Order two values of one field, for minimum and maximum (`None` when they cannot be compared).
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        use Value::*;
        match (self, other) {
            (Int(a), Int(b)) => Some(a.cmp(b)),
            (Int(a), Num(b)) => (*a as f64).partial_cmp(b),
            (Num(a), Int(b)) => a.partial_cmp(&(*b as f64)),
            (Num(a), Num(b)) => a.partial_cmp(b),
            (Date(a), Date(b)) => Some(a.cmp(b)),
            (DateTime(a, oa), DateTime(b, ob)) => match (oa, ob) {
                (Some(x), Some(y)) => {
                    let ua = *a - chrono::Duration::seconds(*x as i64);
                    let ub = *b - chrono::Duration::seconds(*y as i64);
                    Some(ua.cmp(&ub))
                }
                _ => Some(a.cmp(b)),
            },
            (Time(a, _), Time(b, _)) => Some(a.cmp(b)),
            (Year(a), Year(b)) => Some(a.cmp(b)),
            (YearMonth(ya, ma), YearMonth(yb, mb)) => Some((ya, ma).cmp(&(yb, mb))),
            (Str(a), Str(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// Whether two values are the same value (enum membership, uniqueness).
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Json(a), Value::Json(b)) => a == b,
            _ => self.compare(other) == Some(Ordering::Equal) || self == other,
        }
    }

    /// One text per distinct value: equal values (`1` and `01` as integers) have equal keys.
    pub fn key(&self) -> String {
        match self {
            Value::Str(s) | Value::Duration(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Num(n) => format!("{n:?}"),
            Value::Bool(b) => b.to_string(),
            Value::Date(d) => d.to_string(),
            Value::DateTime(d, Some(o)) => {
                (*d - chrono::Duration::seconds(*o as i64)).to_string() + "Z"
            }
            Value::DateTime(d, None) => d.to_string(),
            Value::Time(t, _) => t.to_string(),
            Value::Year(y) => y.to_string(),
            Value::YearMonth(y, m) => format!("{y:04}-{m:02}"),
            Value::Json(j) => j.to_string(),
            Value::Point(a, b) => format!("{a:?},{b:?}"),
        }
    }

    /// How the value reads in a message.
    pub fn show(&self) -> String {
        match self {
            Value::Str(s) | Value::Duration(s) => format!("{s:?}"),
            Value::Num(n) => format!("{n}"),
            Value::DateTime(d, Some(o)) => format!("{d} (UTC{:+})", o / 3600),
            Value::Point(a, b) => format!("{a}, {b}"),
            other => other.key(),
        }
    }

    /// The length minLength and maxLength measure: characters of a string, entries of an array or object.
    fn length(&self) -> Option<usize> {
        match self {
            Value::Str(s) => Some(s.chars().count()),
            Value::Json(serde_json::Value::Array(a)) => Some(a.len()),
            Value::Json(serde_json::Value::Object(o)) => Some(o.len()),
            _ => None,
        }
    }
}

/// How one field reads its cells: type, format and the type's options.
#[derive(Debug, Clone)]
pub struct Caster {
    pub ty: SpecType,
    /// `default`, a named format, `any`, or a strptime-like pattern for dates and times.
    pub format: String,
    pub true_values: Vec<String>,
    pub false_values: Vec<String>,
    pub bare_number: bool,
    pub group_char: Option<String>,
    pub decimal_char: String,
}

impl Caster {
    pub fn new(ty: SpecType, format: &str) -> Caster {
        Caster {
            ty,
            format: format.to_string(),
            true_values: ["true", "True", "TRUE", "1"].map(String::from).to_vec(),
            false_values: ["false", "False", "FALSE", "0"].map(String::from).to_vec(),
            bare_number: true,
            group_char: None,
            decimal_char: ".".to_string(),
        }
    }

    /// What the type and format expect, for messages.
    fn expected(&self) -> String {
        let what = match (self.ty, self.format.as_str()) {
            (SpecType::String, "email") => "an email address".to_string(),
            (SpecType::String, "uri") => "an absolute URI (scheme:...)".to_string(),
            (SpecType::String, "uuid") => "a UUID".to_string(),
            (SpecType::String, "binary") => "base64 text".to_string(),
            (SpecType::Integer, _) => "an integer".to_string(),
            (SpecType::Number, _) => "a number".to_string(),
            (SpecType::Boolean, _) => format!(
                "true or false (one of {} / {})",
                self.true_values.join(", "),
                self.false_values.join(", ")
            ),
            (SpecType::Date, "default") => "a date in the form YYYY-MM-DD".to_string(),
            (SpecType::Date, "any") => "a date".to_string(),
            (SpecType::Date, f) => format!("a date in the format {f}"),
            (SpecType::Datetime, "default") => {
                "a date and time in the form YYYY-MM-DDThh:mm:ss".to_string()
            }
            (SpecType::Datetime, "any") => "a date and time".to_string(),
            (SpecType::Datetime, f) => format!("a date and time in the format {f}"),
            (SpecType::Time, "default") => "a time in the form hh:mm:ss".to_string(),
            (SpecType::Time, "any") => "a time".to_string(),
            (SpecType::Time, f) => format!("a time in the format {f}"),
            (SpecType::Year, _) => "a year of four digits".to_string(),
            (SpecType::Yearmonth, _) => "a year and month in the form YYYY-MM".to_string(),
            (SpecType::Duration, _) => "an ISO 8601 duration such as P1Y2M3DT4H".to_string(),
            (SpecType::Object, _) => "a JSON object".to_string(),
            (SpecType::Array, _) => "a JSON array".to_string(),
            (SpecType::Geopoint, "array") => "a point as a JSON array [lon, lat]".to_string(),
            (SpecType::Geopoint, "object") => {
                "a point as a JSON object {\"lon\": .., \"lat\": ..}".to_string()
            }
            (SpecType::Geopoint, _) => "a point in the form \"lon, lat\"".to_string(),
            (SpecType::Geojson, "topojson") => "a TopoJSON object".to_string(),
            (SpecType::Geojson, _) => "a GeoJSON object".to_string(),
            (SpecType::String, _) | (SpecType::Any, _) => "text".to_string(),
        };
        let format = if self.format == "default" {
            String::new()
        } else {
            format!(", format {}", self.format)
        };
        format!("{what} (Table Schema type {}{format})", self.ty.as_str())
    }

    /// Cast a raw cell by the field's type and format, or say why it is not one.
    pub fn cast(&self, raw: &str) -> Result<Value, String> {
        self.read(raw)
            .ok_or_else(|| format!("{raw:?} is not {}", self.expected()))
    }

    fn read(&self, raw: &str) -> Option<Value> {
        let f = self.format.as_str();
        match self.ty {
            SpecType::String => {
                let ok = match f {
                    "email" => is_email(raw),
                    "uri" => is_uri(raw),
                    "uuid" => is_uuid(raw),
                    "binary" => is_base64(raw),
                    _ => true,
                };
                ok.then(|| Value::Str(raw.to_string()))
            }
            SpecType::Any => Some(Value::Str(raw.to_string())),
            SpecType::Integer => {
                let s = if self.bare_number {
                    raw
                } else {
                    raw.trim_matches(|c: char| !c.is_ascii_digit())
                };
                read_integer(s).map(Value::Int)
            }
            SpecType::Number => {
                let mut s = raw.to_string();
                if !self.bare_number {
                    let d = self.decimal_char.chars().next().unwrap_or('.');
                    s = s
                        .trim_start_matches(|c: char| {
                            !(c.is_ascii_digit() || c == '-' || c == '+' || c == d)
                        })
                        .trim_end_matches(|c: char| !(c.is_ascii_digit() || c == d))
                        .to_string();
                }
                if let Some(g) = &self.group_char {
                    s = s.replace(g.as_str(), "");
                }
                if self.decimal_char != "." {
                    s = s.replace(self.decimal_char.as_str(), ".");
                }
                read_decimal(&s).map(Value::Num)
            }
            SpecType::Boolean => {
                if self.true_values.iter().any(|t| t == raw) {
                    Some(Value::Bool(true))
                } else if self.false_values.iter().any(|t| t == raw) {
                    Some(Value::Bool(false))
                } else {
                    None
                }
            }
            SpecType::Date => match f {
                "default" => read_iso_date(raw).map(Value::Date),
                "any" => any_date(raw).map(Value::Date),
                pattern => NaiveDate::parse_from_str(raw, strip_fmt(pattern))
                    .ok()
                    .map(Value::Date),
            },
            SpecType::Datetime => match f {
                "default" => read_iso_datetime(raw).map(|(d, o)| Value::DateTime(d, o)),
                "any" => read_iso_datetime(raw)
                    .or_else(|| any_datetime(raw).map(|d| (d, None)))
                    .map(|(d, o)| Value::DateTime(d, o)),
                pattern => {
                    let p = strip_fmt(pattern);
                    if p.contains("%z") || p.contains("%:z") {
                        chrono::DateTime::parse_from_str(raw, p).ok().map(|d| {
                            Value::DateTime(d.naive_local(), Some(d.offset().local_minus_utc()))
                        })
                    } else {
                        NaiveDateTime::parse_from_str(raw, p)
                            .ok()
                            .map(|d| Value::DateTime(d, None))
                    }
                }
            },
            SpecType::Time => match f {
                "default" | "any" => read_iso_time(raw).map(|(t, o)| Value::Time(t, o)),
                pattern => NaiveTime::parse_from_str(raw, strip_fmt(pattern))
                    .ok()
                    .map(|t| Value::Time(t, None)),
            },
            SpecType::Year => (raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_digit()))
                .then(|| raw.parse().ok().map(Value::Year))
                .flatten(),
            SpecType::Yearmonth => {
                let (y, m) = raw.split_once('-')?;
                if y.len() != 4 || !(1..=2).contains(&m.len()) || !all_digits(y) || !all_digits(m) {
                    return None;
                }
                let m: u32 = m.parse().ok()?;
                (1..=12)
                    .contains(&m)
                    .then(|| Value::YearMonth(y.parse().unwrap_or(0), m))
            }
            SpecType::Duration => is_duration(raw).then(|| Value::Duration(raw.to_string())),
            SpecType::Object => match serde_json::from_str::<serde_json::Value>(raw) {
                Ok(v @ serde_json::Value::Object(_)) => Some(Value::Json(v)),
                _ => None,
            },
            SpecType::Array => match serde_json::from_str::<serde_json::Value>(raw) {
                Ok(v @ serde_json::Value::Array(_)) => Some(Value::Json(v)),
                _ => None,
            },
            SpecType::Geopoint => read_geopoint(raw, f),
            SpecType::Geojson => {
                let v: serde_json::Value = serde_json::from_str(raw).ok()?;
                let t = v.get("type")?.as_str()?;
                let ok = if f == "topojson" {
                    t == "Topology" && v.get("objects").is_some_and(|o| o.is_object())
                } else {
                    is_geojson(&v, t)
                };
                ok.then_some(Value::Json(v))
            }
        }
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A date, time or datetime pattern may be written `fmt:%d/%m/%Y` (the older form).
fn strip_fmt(p: &str) -> &str {
    p.strip_prefix("fmt:").unwrap_or(p)
}

/// An integer: optional sign and ASCII digits, with white space around it allowed (XML Schema collapses it).
fn read_integer(s: &str) -> Option<i128> {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if !all_digits(digits) {
        return None;
    }
    t.parse::<i128>().ok()
}

/// A number: decimal notation with an optional exponent, or NaN / INF / -INF (any case, as frictionless reads
/// them), white space around it allowed.
fn read_decimal(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "nan" | "inf" | "infinity") {
        let v = if lower == "nan" {
            f64::NAN
        } else {
            f64::INFINITY
        };
        return Some(if t.starts_with('-') { -v } else { v });
    }
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits_ok = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits_ok(int) || !digits_ok(frac) {
        return None;
    }
    if let Some(e) = exp {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if !all_digits(e) {
            return None;
        }
    }
    t.parse::<f64>().ok()
}

/// `YYYY-M-D` with one or two digits for month and day, as Python's strptime reads `%Y-%m-%d`.
fn read_iso_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || y.len() != 4
        || !all_digits(y)
        || !(1..=2).contains(&m.len())
        || !all_digits(m)
        || !(1..=2).contains(&d.len())
        || !all_digits(d)
    {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// An offset from UTC: `Z`, `+08:00`, `+0800` or `+08`, in seconds.
fn read_offset(s: &str) -> Option<i32> {
    if s == "Z" {
        return Some(0);
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = s[1..].replace(':', "");
    if !all_digits(&rest) || !(rest.len() == 2 || rest.len() == 4) {
        return None;
    }
    let h: i32 = rest[..2].parse().ok()?;
    let m: i32 = if rest.len() == 4 {
        rest[2..].parse().ok()?
    } else {
        0
    };
    (h < 24 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// `hh:mm:ss` with optional fraction and offset.
fn read_iso_time(s: &str) -> Option<(NaiveTime, Option<i32>)> {
    let cut = s.find(['Z', '+', '-']).unwrap_or(s.len());
    let (time, off) = s.split_at(cut);
    let offset = if off.is_empty() {
        None
    } else {
        Some(read_offset(off)?)
    };
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let mut parts = hms.split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || [h, m, sec].iter().any(|p| p.len() != 2 || !all_digits(p))
        || (time.contains('.') && !all_digits(frac))
    {
        return None;
    }
    let nanos = if frac.is_empty() {
        0
    } else {
        let mut f = frac.to_string();
        f.truncate(9);
        while f.len() < 9 {
            f.push('0');
        }
        f.parse().ok()?
    };
    let t =
        NaiveTime::from_hms_nano_opt(h.parse().ok()?, m.parse().ok()?, sec.parse().ok()?, nanos)?;
    Some((t, offset))
}

/// `YYYY-MM-DDThh:mm:ss` (or a space for `T`), with optional fraction and offset.
fn read_iso_datetime(s: &str) -> Option<(NaiveDateTime, Option<i32>)> {
    let i = s.find(['T', ' '])?;
    let (d, t) = (&s[..i], &s[i + 1..]);
    let parts: Vec<&str> = d.split('-').collect();
    if parts.len() != 3 || parts[1].len() != 2 || parts[2].len() != 2 {
        return None;
    }
    let date = read_iso_date(d)?;
    let (time, offset) = read_iso_time(t)?;
    Some((date.and_time(time), offset))
}

/// A date in any form steward reads without guessing (`any`): an ambiguous day and month is not a date.
fn any_date(s: &str) -> Option<NaiveDate> {
    if let Some(d) = read_iso_date(s) {
        return Some(d);
    }
    let opts = crate::fields::date::DateOptions {
        day_first: false,
        today: chrono::Local::now().date_naive(),
        birth: false,
        future_ok: true,
    };
    let checked = crate::fields::date::check_date(s, &opts);
    if checked
        .issues
        .iter()
        .any(|i| i.level == crate::fields::Level::Error)
    {
        return None;
    }
    read_iso_date(&checked.value)
}

fn any_datetime(s: &str) -> Option<NaiveDateTime> {
    let opts = crate::fields::date::DateOptions {
        day_first: false,
        today: chrono::Local::now().date_naive(),
        birth: false,
        future_ok: true,
    };
    let checked = crate::fields::date::check_datetime(s, &opts);
    if checked
        .issues
        .iter()
        .any(|i| i.level == crate::fields::Level::Error)
    {
        return None;
    }
    read_iso_datetime(&checked.value)
        .map(|(d, _)| d)
        .or_else(|| read_iso_date(&checked.value).map(|d| d.and_time(NaiveTime::MIN)))
}

/// An ISO 8601 duration: `P` then at least one part (`PT` alone is read as zero, as frictionless does).
fn is_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else {
        return false;
    };
    if rest.is_empty() {
        return false;
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let parts_ok = |text: &str, units: &[char]| -> bool {
        let mut at = 0usize;
        let mut num = String::new();
        for c in text.chars() {
            if c.is_ascii_digit() || (c == '.' && !num.is_empty()) {
                num.push(c);
            } else {
                let Some(pos) = units.iter().position(|u| *u == c) else {
                    return false;
                };
                if num.is_empty() || num.ends_with('.') || pos < at {
                    return false;
                }
                at = pos + 1;
                num.clear();
            }
        }
        num.is_empty()
    };
    parts_ok(date, &['Y', 'M', 'W', 'D']) && time.is_none_or(|t| parts_ok(t, &['H', 'M', 'S']))
}

fn read_geopoint(raw: &str, format: &str) -> Option<Value> {
    let (lon, lat) = match format {
        "array" => {
            let v: serde_json::Value = serde_json::from_str(raw).ok()?;
            let a = v.as_array()?;
            if a.len() != 2 {
                return None;
            }
            (a[0].as_f64()?, a[1].as_f64()?)
        }
        "object" => {
            let v: serde_json::Value = serde_json::from_str(raw).ok()?;
            (v.get("lon")?.as_f64()?, v.get("lat")?.as_f64()?)
        }
        _ => {
            let (a, b) = raw.split_once(',')?;
            (read_decimal(a)?, read_decimal(b)?)
        }
    };
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat))
        .then_some(Value::Point(lon, lat))
}

fn is_geojson(v: &serde_json::Value, t: &str) -> bool {
    let has_array = |k: &str| v.get(k).is_some_and(|x| x.is_array());
    match t {
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon" | "MultiPolygon" => {
            has_array("coordinates")
        }
        "GeometryCollection" => has_array("geometries"),
        "Feature" => v.get("geometry").is_some() && v.get("properties").is_some(),
        "FeatureCollection" => has_array("features"),
        _ => false,
    }
}

/// An email address: a local part (dot-atoms or a quoted string) and a domain of at least two labels, with no
/// white space, as frictionless's `email` format reads it.
fn is_email(s: &str) -> bool {
    let Some(at) = s.rfind('@') else {
        return false;
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.is_empty() || domain.is_empty() || s.chars().any(char::is_whitespace) {
        return false;
    }
    let local_ok = if local.len() >= 2 && local.starts_with('"') && local.ends_with('"') {
        true
    } else {
        !local.contains('@')
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| {
                !c.is_ascii() || c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c)
            })
    };
    let labels: Vec<&str> = domain.split('.').collect();
    local_ok
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars()
                    .all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || c == '-')
        })
}

/// An absolute URI: a scheme, a colon and the rest, with no white space (RFC 3986).
fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut sc = scheme.chars();
    sc.next().is_some_and(|c| c.is_ascii_alphabetic())
        && sc.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
}

/// A UUID as Python's `uuid.UUID` reads it: 32 hex digits, hyphens anywhere, braces or a `urn:uuid:` prefix.
fn is_uuid(s: &str) -> bool {
    let t = s.replace("urn:", "").replace("uuid:", "");
    let t = t.trim_matches(|c| c == '{' || c == '}').replace('-', "");
    t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Base64 with its padding (RFC 4648).
fn is_base64(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(4) {
        return false;
    }
    let pad = b.iter().rev().take_while(|&&c| c == b'=').count();
    pad <= 2
        && b[..b.len() - pad]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

/// A foreign key whose reference is in the same table (`"resource": ""`).
#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub fields: Vec<String>,
    pub reference: Vec<String>,
}

/// What a Table Schema says of the whole table, beyond its fields.
#[derive(Debug, Clone, Default)]
pub struct TableSpec {
    /// Foreign keys within the table; a reference to another resource needs a data package and is not checked
    /// (loading the schema says so).
    pub foreign_keys: Vec<ForeignKey>,
}

/// A field's constraints, with their values cast by the field's type.
#[derive(Debug, Clone, Default)]
pub struct Constraints {
    pub required: bool,
    pub unique: bool,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<(String, regex::Regex)>,
    pub values: Option<Vec<Value>>,
    pub minimum: Option<Value>,
    pub maximum: Option<Value>,
}

/// One field of a Table Schema, as it validates.
#[derive(Debug, Clone)]
pub struct SpecField {
    pub caster: Caster,
    pub constraints: Constraints,
}

impl SpecField {
    /// What is wrong with a cell that is not missing: a `type-error`, or the constraints it breaks.
    pub fn check(&self, raw: &str) -> Result<Value, Vec<(&'static str, String)>> {
        let value = self.caster.cast(raw).map_err(|m| vec![("type-error", m)])?;
        let c = &self.constraints;
        let mut broken = Vec::new();
        if let Some(len) = value.length() {
            if let Some(min) = c.min_length.filter(|m| len < *m) {
                broken.push((
                    "minLength",
                    format!("is {len} long, shorter than the minLength {min}"),
                ));
            }
            if let Some(max) = c.max_length.filter(|m| len > *m) {
                broken.push((
                    "maxLength",
                    format!("is {len} long, longer than the maxLength {max}"),
                ));
            }
        }
        if let Some((p, re)) = &c.pattern {
            if !re.is_match(raw) {
                broken.push(("pattern", format!("{raw:?} does not match the pattern {p}")));
            }
        }
        if let Some(min) = &c.minimum {
            // NaN is no number's equal: outside every range, as frictionless reads it.
            if matches!(value.compare(min), Some(Ordering::Less) | None) {
                broken.push((
                    "minimum",
                    format!("{} is below the minimum {}", value.show(), min.show()),
                ));
            }
        }
        if let Some(max) = &c.maximum {
            if matches!(value.compare(max), Some(Ordering::Greater) | None) {
                broken.push((
                    "maximum",
                    format!("{} is above the maximum {}", value.show(), max.show()),
                ));
            }
        }
        if let Some(values) = &c.values {
            if !values.iter().any(|v| v.same(&value)) {
                let list: Vec<String> = values.iter().map(Value::show).collect();
                broken.push((
                    "enum",
                    format!(
                        "{} is not one of the enum values {}",
                        value.show(),
                        list.join(", ")
                    ),
                ));
            }
        }
        if broken.is_empty() {
            Ok(value)
        } else {
            Err(broken)
        }
    }

    /// The key a cell has for uniqueness and keys: its cast value, or the raw text when it does not cast.
    pub fn key(&self, raw: &str) -> String {
        match self.caster.cast(raw) {
            Ok(v) => v.key(),
            Err(_) => raw.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(ty: SpecType, format: &str, cells: &[&str]) {
        let c = Caster::new(ty, format);
        for cell in cells {
            assert!(
                c.cast(cell).is_ok(),
                "{ty:?}/{format}: {cell:?} should cast"
            );
        }
    }

    fn bad(ty: SpecType, format: &str, cells: &[&str]) {
        let c = Caster::new(ty, format);
        for cell in cells {
            assert!(
                c.cast(cell).is_err(),
                "{ty:?}/{format}: {cell:?} should not cast"
            );
        }
    }

    // Each list below is what frictionless 5.21 accepts or refuses for the same cell (probed with its Python
    // package), except where a comment says steward follows the spec instead.
    #[test]
    fn integers() {
        ok(
            SpecType::Integer,
            "default",
            &["1", "-1", "+1", " 5", "5 ", "1000", "007"],
        );
        bad(
            SpecType::Integer,
            "default",
            &["1,000", "30.0", "1e2", "0x10", "", "  ", "€1"],
        );
        // Python's int() accepts these; the spec's lexical form is ASCII digits.
        bad(SpecType::Integer, "default", &["1_000", "１２"]);
        let mut c = Caster::new(SpecType::Integer, "default");
        c.bare_number = false;
        for cell in ["€1", "1%", "$ 5", "5 EUR"] {
            assert!(c.cast(cell).is_ok(), "{cell}");
        }
    }

    #[test]
    fn numbers() {
        ok(
            SpecType::Number,
            "default",
            &[
                "1", "1.5", "1e2", "1E-2", "-1.5", ".5", "5.", "NaN", "INF", "-INF", "nan", " 1.5",
                "30.0",
            ],
        );
        bad(
            SpecType::Number,
            "default",
            &["1,000.5", "1 000", "", "1.5%", "$1.5", "0x1", "."],
        );
        let mut c = Caster::new(SpecType::Number, "default");
        c.decimal_char = ",".into();
        c.group_char = Some(".".into());
        assert_eq!(c.cast("1.000,5").unwrap(), Value::Num(1000.5));
        assert_eq!(c.cast("1,5").unwrap(), Value::Num(1.5));
    }

    #[test]
    fn booleans() {
        ok(
            SpecType::Boolean,
            "default",
            &["true", "True", "TRUE", "1", "false", "False", "FALSE", "0"],
        );
        bad(
            SpecType::Boolean,
            "default",
            &["yes", "是", "t", "tRUE", " true"],
        );
        let mut c = Caster::new(SpecType::Boolean, "default");
        c.true_values = vec!["yes".into(), "是".into()];
        c.false_values = vec!["no".into()];
        assert_eq!(c.cast("是").unwrap(), Value::Bool(true));
        assert!(c.cast("true").is_err());
    }

    #[test]
    fn dates_and_times() {
        ok(
            SpecType::Date,
            "default",
            &["2024-03-05", "2024-3-5", "0001-01-01"],
        );
        bad(
            SpecType::Date,
            "default",
            &[
                "2024/3/5",
                "20240305",
                "2022年8月9日",
                "2024-02-30",
                "2024-03-05T00:00:00",
                "2024-03-05 ",
                "10000-01-01",
            ],
        );
        ok(SpecType::Date, "%d/%m/%Y", &["05/03/2024", "5/3/2024"]);
        bad(SpecType::Date, "%d/%m/%Y", &["2024-03-05", "31/02/2024"]);
        ok(
            SpecType::Date,
            "any",
            &["5 March 2024", "2024-03-05", "March 5, 2024", "2024/3/5"],
        );
        bad(SpecType::Date, "any", &["garbage"]);
        ok(
            SpecType::Datetime,
            "default",
            &[
                "2024-03-05T10:00:00Z",
                "2024-03-05T10:00:00",
                "2024-03-05T10:00:00+08:00",
                "2024-03-05 10:00:00",
                "2024-03-05T10:00:00.123Z",
            ],
        );
        bad(
            SpecType::Datetime,
            "default",
            &["2024-03-05", "2024-03-05T25:00:00Z", "2024-03-05T10:00Z"],
        );
        ok(
            SpecType::Time,
            "default",
            &["10:00:00", "10:00:00Z", "10:00:00.5", "10:00:00+08:00"],
        );
        bad(SpecType::Time, "default", &["10:00", "25:00:00"]);
        ok(SpecType::Year, "default", &["2024"]);
        bad(
            SpecType::Year,
            "default",
            &["24", "-1", "02024", "2024.0", "10000"],
        );
        ok(SpecType::Yearmonth, "default", &["2024-03", "2024-3"]);
        bad(
            SpecType::Yearmonth,
            "default",
            &["2024-13", "202403", "2024/03"],
        );
        ok(
            SpecType::Duration,
            "default",
            &["P1Y2M", "PT1H", "P1D", "PT", "P1Y2M3DT4H5M6.5S"],
        );
        bad(
            SpecType::Duration,
            "default",
            &["1 day", "P", "PT1Y", "P1H"],
        );
    }

    #[test]
    fn json_geo_and_string_formats() {
        ok(SpecType::Object, "default", &["{}", "{\"a\":1}"]);
        bad(SpecType::Object, "default", &["[]", "1", "nope"]);
        ok(SpecType::Array, "default", &["[]", "[1,2]"]);
        bad(SpecType::Array, "default", &["{}", "1,2"]);
        ok(SpecType::Geopoint, "default", &["90, 45", "90,45"]);
        bad(SpecType::Geopoint, "default", &["181, 45", "90, 91", "x"]);
        ok(SpecType::Geopoint, "array", &["[90, 45]"]);
        bad(SpecType::Geopoint, "array", &["90, 45"]);
        ok(
            SpecType::Geojson,
            "default",
            &["{\"type\":\"Point\",\"coordinates\":[1,2]}"],
        );
        bad(SpecType::Geojson, "default", &["{}", "{\"type\":\"Nope\"}"]);
        ok(
            SpecType::String,
            "email",
            &["a@b.com", "user@münchen.de", "\"q\"@b.com"],
        );
        bad(
            SpecType::String,
            "email",
            &["a@b", "nope", "a@@b.com", " a@b.com"],
        );
        ok(
            SpecType::String,
            "uri",
            &[
                "http://x.com",
                "https://x.com/a?b",
                "mailto:a@b.com",
                "urn:isbn:123",
                "ftp://x",
                "http://",
            ],
        );
        bad(
            SpecType::String,
            "uri",
            &["x.com", "/path", "http://x .com"],
        );
        ok(
            SpecType::String,
            "uuid",
            &[
                "123e4567-e89b-12d3-a456-426614174000",
                "123E4567-E89B-12D3-A456-426614174000",
                "123e4567e89b12d3a456426614174000",
                "{123e4567-e89b-12d3-a456-426614174000}",
            ],
        );
        bad(
            SpecType::String,
            "uuid",
            &["nope", "123e4567-e89b-12d3-a456-42661417400"],
        );
        ok(SpecType::String, "binary", &["aGVsbG8="]);
        bad(SpecType::String, "binary", &["not base64!", "aGVsbG8"]);
    }

    #[test]
    fn constraints_on_cast_values() {
        let mut f = SpecField {
            caster: Caster::new(SpecType::Integer, "default"),
            constraints: Constraints::default(),
        };
        f.constraints.values = Some(vec![Value::Int(1), Value::Int(2)]);
        assert!(f.check("01").is_ok());
        assert_eq!(f.check("3").unwrap_err()[0].0, "enum");
        f.constraints.values = None;
        f.constraints.minimum = Some(Value::Int(10));
        f.constraints.maximum = Some(Value::Int(20));
        assert_eq!(f.check("9").unwrap_err()[0].0, "minimum");
        assert!(f.check("20").is_ok());
        assert_eq!(f.check("21").unwrap_err()[0].0, "maximum");
        assert_eq!(f.check("x").unwrap_err()[0].0, "type-error");
        let nan = SpecField {
            caster: Caster::new(SpecType::Number, "default"),
            constraints: Constraints {
                minimum: Some(Value::Int(0)),
                maximum: Some(Value::Int(100)),
                ..Default::default()
            },
        };
        let broken: Vec<&str> = nan.check("NaN").unwrap_err().iter().map(|b| b.0).collect();
        assert_eq!(
            broken,
            vec!["minimum", "maximum"],
            "NaN is outside every range"
        );
        assert!(nan.check("50").is_ok());
        assert_eq!(f.key("01"), f.key("1"));

        let d = SpecField {
            caster: Caster::new(SpecType::Date, "default"),
            constraints: Constraints {
                minimum: Some(Value::Date(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap())),
                ..Default::default()
            },
        };
        assert_eq!(d.check("1999-12-31").unwrap_err()[0].0, "minimum");
        assert!(d.check("2000-01-01").is_ok());

        let s = SpecField {
            caster: Caster::new(SpecType::String, "default"),
            constraints: Constraints {
                min_length: Some(2),
                max_length: Some(3),
                pattern: Some(("[A-Z]+".into(), regex::Regex::new("^(?:[A-Z]+)$").unwrap())),
                values: Some(vec![Value::Str("AB".into()), Value::Str("ABC".into())]),
                ..Default::default()
            },
        };
        assert!(s.check("AB").is_ok());
        let keys: Vec<&str> = s.check("abcd").unwrap_err().iter().map(|b| b.0).collect();
        assert_eq!(keys, vec!["maxLength", "pattern", "enum"]);
        assert!(s
            .check("中文字")
            .unwrap_err()
            .iter()
            .all(|b| b.0 != "maxLength"));
    }
}

//! What steward puts in a workbook it writes besides its rows as text: cells typed as numbers or dates where the
//! text is already canonical for its column's field kind and the cell's format shows exactly that text, and the
//! About sheet with document properties saying what the file is (marked, so steward's readers skip it).

use crate::schema::FieldKind;

/// The name of the sheet steward adds last to every new workbook it writes.
pub const ABOUT_SHEET: &str = "About";
/// The custom document property naming the About sheet: readers skip a sheet so named only when it is set, so a
/// user's own sheet called "About" is read as usual.
pub const ABOUT_MARK: &str = "steward_about_sheet";

/// How a column's cells may be typed, from its field kind; `None` (text) for every other kind (IDs, phones,
/// postcodes, resident IDs, emails, names...) and for a column without a known kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellType {
    /// `YYYY-MM-DD` as a date, `YYYY-MM-DDTHH:MM:SS` as a date and time.
    Date,
    /// A plain decimal (`1672.00`, `-12.5`, `42`) as a number showing the same decimals.
    Number,
}

impl CellType {
    pub fn of(kind: FieldKind) -> Option<CellType> {
        match kind {
            FieldKind::Date | FieldKind::Datetime => Some(CellType::Date),
            FieldKind::Money | FieldKind::Integer | FieldKind::Number => Some(CellType::Number),
            _ => None,
        }
    }
}

/// How each of `columns` may be typed: by the kind of the schema field of its name; text for the others.
pub fn column_types(schema: &crate::schema::Schema, columns: &[String]) -> Vec<Option<CellType>> {
    columns
        .iter()
        .map(|c| schema.field(c).and_then(|f| CellType::of(f.kind)))
        .collect()
}

/// A cell's text as the value a spreadsheet holds, with the number format that shows that very text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Typed {
    /// A number and its count of decimals (format `0`, `0.0`, `0.00`...).
    Number(f64, u8),
    /// A date (format `yyyy-mm-dd`).
    Date { year: u16, month: u8, day: u8 },
    /// A date and time of day to the second (format `yyyy-mm-dd"T"hh:mm:ss`).
    DateTime {
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    },
}

/// The most digits a typed number may have: Excel and LibreOffice keep 15 significant digits, and any decimal of
/// at most 15 digits reads back from a double as the same text.
const MAX_DIGITS: usize = 15;

/// `text` as a typed cell of a column typed `t`, only when the text is canonical for it (see `CellType`);
/// everything else stays text.
pub fn typed(t: CellType, text: &str) -> Option<Typed> {
    match t {
        CellType::Number => plain_decimal(text),
        CellType::Date => iso_date(text),
    }
}

/// A plain decimal: an optional `-`, digits without grouping or leading zeros (`0` before the point kept), an
/// optional point with at least one digit after it, at most 15 digits in all, not a negative zero.
fn plain_decimal(text: &str) -> Option<Typed> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !frac.is_none_or(digits) {
        return None;
    }
    if int.len() > 1 && int.starts_with('0') {
        return None;
    }
    let decimals = frac.map_or(0, str::len);
    if int.len() + decimals > MAX_DIGITS {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    if value == 0.0 && text.starts_with('-') {
        return None;
    }
    Some(Typed::Number(value, decimals as u8))
}

/// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`, a real date from 1900-03-01 (before it, Excel's calendar counts a
/// 29 February 1900 that never was) to 9999-12-31.
fn iso_date(text: &str) -> Option<Typed> {
    use chrono::{Datelike, Timelike};
    let b = text.as_bytes();
    let shape = |pattern: &[u8]| {
        b.len() == pattern.len()
            && b.iter().zip(pattern).all(|(c, p)| {
                if *p == b'9' {
                    c.is_ascii_digit()
                } else {
                    c == p
                }
            })
    };
    let (date, time) = if shape(b"9999-99-99") {
        (
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?,
            None,
        )
    } else if shape(b"9999-99-99T99:99:99") {
        let dt = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").ok()?;
        (dt.date(), Some(dt.time()))
    } else {
        return None;
    };
    if date < chrono::NaiveDate::from_ymd_opt(1900, 3, 1)? {
        return None;
    }
    let (year, month, day) = (
        u16::try_from(date.year()).ok()?,
        date.month() as u8,
        date.day() as u8,
    );
    Some(match time {
        None => Typed::Date { year, month, day },
        Some(t) => Typed::DateTime {
            year,
            month,
            day,
            hour: t.hour() as u8,
            minute: t.minute() as u8,
            second: t.second() as u8,
        },
    })
}

/// The number format that shows a number with `decimals` decimals and nothing else (`0`, `0.00`).
pub fn decimal_format(decimals: u8) -> String {
    if decimals == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(decimals as usize))
    }
}

pub const DATE_FORMAT: &str = "yyyy-mm-dd";
pub const DATETIME_FORMAT: &str = "yyyy-mm-dd\"T\"hh:mm:ss";

/// What the About sheet and the document properties of a workbook say.
#[derive(Debug, Clone)]
pub struct About {
    /// What the file is: `Customer table imported by steward import`.
    pub what: String,
    /// Whether it holds personal data, in words.
    pub personal_data: String,
    /// How it was protected: `pseudonymized: key K1a2..., domain "crm"`, or `none: raw values`.
    pub protection: Vec<String>,
    /// The run's sources by file name (and sheet), never their folders.
    pub sources: Vec<String>,
    pub created: chrono::DateTime<chrono::Local>,
    /// What else a reader of this file needs (a review file: threshold, review band, model), after the data line.
    pub details: Vec<(&'static str, String)>,
}

impl About {
    /// A file of `command`'s run (`what`), from `sources`, written now; personal data and protection to be said.
    pub fn new(what: impl Into<String>, sources: Vec<String>) -> About {
        About {
            what: what.into(),
            personal_data:
                "yes: raw personal data, as read from the sources; share it only as your rules \
                            allow"
                    .to_string(),
            protection: vec!["none: values as read (and normalized where a rule asked)".to_string()],
            sources,
            created: chrono::Local::now(),
            details: Vec::new(),
        }
    }

    /// Lines saying more of the file (label, text), shown after the data line.
    pub fn with_details(mut self, details: Vec<(&'static str, String)>) -> About {
        self.details = details;
        self
    }

    /// A file without raw personal values, protected as `protection` says (one line each).
    pub fn protected(mut self, protection: Vec<String>) -> About {
        self.personal_data =
            "pseudonymized: no raw personal value where the policy protected a column; \
                              tokens re-identify people only with the key"
                .to_string();
        self.protection = protection;
        self
    }

    /// What a workbook says when its writer was told nothing of it (it may hold personal data).
    pub fn unknown() -> About {
        About {
            what: "Table written by steward".to_string(),
            personal_data: "not stated: treat it as personal data".to_string(),
            protection: vec!["not stated".to_string()],
            sources: Vec::new(),
            created: chrono::Local::now(),
            details: Vec::new(),
        }
    }

    /// The rows of the About sheet: (label, value).
    fn lines(&self, data_sheet: &str, rows: u64) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("File", self.what.clone()),
            (
                "Data",
                format!("sheet {data_sheet:?}, {rows} row(s) under its header"),
            ),
        ];
        out.extend(self.details.iter().cloned());
        out.push(("Personal data", self.personal_data.clone()));
        for (i, p) in self.protection.iter().enumerate() {
            out.push((if i == 0 { "Protection" } else { "" }, p.clone()));
        }
        if self.sources.is_empty() {
            out.push(("Sources", "not recorded".to_string()));
        }
        for (i, s) in self.sources.iter().enumerate() {
            out.push((if i == 0 { "Sources" } else { "" }, s.clone()));
        }
        out.extend([
            (
                "Created",
                self.created.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            ),
            (
                "Written by",
                format!("steward {}", env!("CARGO_PKG_VERSION")),
            ),
        ]);
        // A file that says what its cells hold (a review file) says it instead of the general line.
        if !self.details.iter().any(|(label, _)| *label == "Cells") {
            out.push((
                "Cells",
                "Text as steward holds it, except numbers and dates whose text was already canonical for their \
                 field (a plain decimal, an ISO date), typed and shown exactly as that text. No cell is a formula."
                    .to_string(),
            ));
        }
        out.push((
            "This sheet",
            format!(
                "Added by steward and skipped when steward reads this workbook (document property {ABOUT_MARK})."
            ),
        ));
        out
    }

    /// Add the About sheet last, and the document properties marking it, to `wb`.
    pub fn add_to(
        &self,
        wb: &mut rust_xlsxwriter::Workbook,
        data_sheet: &str,
        rows: u64,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign};
        let bold = Format::new().set_bold().set_align(FormatAlign::Top);
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let ws = wb.add_worksheet();
        ws.set_name(ABOUT_SHEET)?;
        ws.set_column_width(0, 16)?;
        ws.set_column_width(1, 90)?;
        ws.write_string_with_format(0, 0, "Item", &bold)?;
        ws.write_string_with_format(0, 1, "Value", &bold)?;
        for (r, (label, value)) in self.lines(data_sheet, rows).iter().enumerate() {
            ws.write_string_with_format(r as u32 + 1, 0, *label, &bold)?;
            ws.write_string_with_format(r as u32 + 1, 1, value, &wrap)?;
        }
        let mut props = DocProperties::new()
            .set_title(self.what.clone())
            .set_subject(format!("Personal data: {}", self.personal_data))
            .set_keywords("steward")
            .set_comment(format!(
                "Written by steward {}; see the sheet {ABOUT_SHEET:?}",
                env!("CARGO_PKG_VERSION")
            ))
            .set_custom_property(ABOUT_MARK, ABOUT_SHEET)
            .set_custom_property("steward_version", env!("CARGO_PKG_VERSION"));
        if let Ok(t) = ExcelDateTime::from_timestamp(self.created.timestamp()) {
            props = props.set_creation_datetime(&t);
        }
        wb.set_properties(&props);
        Ok(())
    }
}

/// The names the About sheet gives the run's sources (`label`s as read: a path, `path!sheet`, a database URL
/// without password): each file's name with its sheet, never its folders; a database as labelled; each once.
pub fn source_names<'a>(labels: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for label in labels {
        let name = if super::db::is_database(label) {
            label.to_string()
        } else if label == "-" || label == "stdin" {
            "stdin".to_string()
        } else {
            // A sheet name holds no `/`, so the last component is `file` or `file!sheet`.
            std::path::Path::new(label)
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| label.to_string())
        };
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_numbers_are_typed() {
        for (t, want) in [
            ("1672.00", Some((1672.0, 2))),
            ("-12.5", Some((-12.5, 1))),
            ("42", Some((42.0, 0))),
            ("0.5", Some((0.5, 1))),
            ("0", Some((0.0, 0))),
            ("123456789012345", Some((123456789012345.0, 0))),
        ] {
            assert_eq!(
                typed(CellType::Number, t),
                want.map(|(v, d)| Typed::Number(v, d)),
                "{t}"
            );
        }
        for t in [
            "00123",
            "1,672.00",
            "¥1672",
            "+42",
            "1e3",
            ".5",
            "5.",
            "-0",
            "-0.00",
            "1234567890123456",
            "12345678901234.56",
            "",
            "-",
            " 42",
            "NaN",
            "inf",
        ] {
            assert_eq!(typed(CellType::Number, t), None, "{t}");
        }
    }

    #[test]
    fn only_iso_dates_are_typed() {
        assert_eq!(
            typed(CellType::Date, "2024-03-05"),
            Some(Typed::Date {
                year: 2024,
                month: 3,
                day: 5
            })
        );
        assert!(matches!(
            typed(CellType::Date, "2024-03-05T14:30:09"),
            Some(Typed::DateTime {
                hour: 14,
                minute: 30,
                second: 9,
                ..
            })
        ));
        for t in [
            "2024-3-5",
            "2024-02-30",
            "05/03/2024",
            "2024-03-05 14:30:00",
            "2024-03-05T14:30",
            "2024-03-05T14:30:00.5",
            "1900-02-28",
            "20240305",
        ] {
            assert_eq!(typed(CellType::Date, t), None, "{t}");
        }
    }

    #[test]
    fn identifiers_are_never_typed() {
        for k in [
            FieldKind::Id,
            FieldKind::Phone,
            FieldKind::Postcode,
            FieldKind::CnId,
            FieldKind::Email,
            FieldKind::Text,
        ] {
            assert_eq!(CellType::of(k), None);
        }
    }

    #[test]
    fn sources_are_named_by_file_never_folder() {
        assert_eq!(
            source_names([
                "/home/alice/exports/crm.csv",
                "/home/alice/exports/book.xlsx!Customers",
                "crm.csv",
                "-",
                "postgres://steward@db/crm#customers",
            ]),
            [
                "crm.csv",
                "book.xlsx!Customers",
                "stdin",
                "postgres://steward@db/crm#customers"
            ]
        );
    }
}

//! Workbook sources through calamine (xlsx, xlsm, xls, ods): the header row found below titles and blanks,
//! cells rendered as text the way a person reads them (ISO dates, whole numbers without ".0", cached formula
//! values), trailing empty rows and columns dropped, and long numbers that Excel has rounded reported.

use anyhow::Result;
use calamine::{Data, Ods, Range, Reader, Xls, Xlsx};
use std::io::Cursor;

use super::source::{InputFormat, RawRow, ReadOptions, SheetSelector, SourceInfo};
use crate::error::StewardError;

/// Excel keeps 15 significant digits; a whole number with more digits than this has probably lost some.
const EXCEL_DIGITS: usize = 15;

/// Column letters of a 0-based column index (0 -> A, 26 -> AA).
pub fn column_letters(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A cell as the text a person sees. Returns the text and a precision warning for long whole numbers.
pub fn cell_text(cell: &Data) -> (String, bool) {
    match cell {
        Data::Empty => (String::new(), false),
        Data::String(s) => (s.clone(), false),
        Data::Int(i) => (i.to_string(), false),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => (if *b { "TRUE" } else { "FALSE" }.to_string(), false),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                let secs = (dt.as_f64() * 86_400.0).round() as i64;
                let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
                return (format!("{h:02}:{m:02}:{s:02}"), false);
            }
            match dt.as_datetime() {
                Some(ndt) => {
                    // Round to the second: Excel stores times as fractions of a day.
                    let ndt = round_to_second(ndt);
                    let t = ndt.time();
                    if t == chrono::NaiveTime::MIN {
                        (ndt.format("%Y-%m-%d").to_string(), false)
                    } else if time_only(ndt.date()) {
                        (ndt.format("%H:%M:%S").to_string(), false)
                    } else {
                        (ndt.format("%Y-%m-%dT%H:%M:%S").to_string(), false)
                    }
                }
                None => float_text(dt.as_f64()),
            }
        }
        Data::DateTimeIso(s) => (s.strip_suffix("T00:00:00").unwrap_or(s).to_string(), false),
        Data::DurationIso(s) => (s.clone(), false),
        Data::Error(e) => (e.to_string(), false),
    }
}

/// Excel's day zero (1899-12-30, or 12-31 in some writers): a cell holding only a time of day.
fn time_only(d: chrono::NaiveDate) -> bool {
    use chrono::Datelike;
    d.year() == 1899 && d.month() == 12 && (d.day() == 30 || d.day() == 31)
}

fn round_to_second(ndt: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let nanos = ndt.nanosecond() as i64;
    let base = ndt.with_nanosecond(0).unwrap_or(ndt);
    if nanos >= 500_000_000 {
        base + chrono::Duration::seconds(1)
    } else {
        base
    }
}

fn float_text(f: f64) -> (String, bool) {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e21 {
        let s = format!("{f:.0}");
        let digits = s.trim_start_matches('-').len();
        if digits <= EXCEL_DIGITS {
            return (s, false);
        }
        // Show what Excel shows: 15 significant digits, then zeros (110105199006213000).
        let sci = format!("{:.*e}", EXCEL_DIGITS - 1, f.abs());
        let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
        let exp: usize = exp.parse().unwrap_or(0);
        let mut digits_only: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
        while digits_only.len() < exp + 1 {
            digits_only.push('0');
        }
        let sign = if f < 0.0 { "-" } else { "" };
        (format!("{sign}{digits_only}"), true)
    } else {
        // Shortest text that reads back as the same number (1234.5, 0.1).
        (format!("{f}"), false)
    }
}

/// Rows of a sheet as text with their 1-based sheet row numbers; blank rows dropped.
struct SheetRows {
    rows: Vec<(u64, Vec<String>)>,
    precision: Vec<String>,
    blank_rows: usize,
}

fn sheet_rows(range: &Range<Data>) -> SheetRows {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    let mut precision = Vec::new();
    let mut blank_rows = 0usize;
    for (i, r) in range.rows().enumerate() {
        let mut texts = Vec::with_capacity(r.len());
        let row_no = row0 as u64 + i as u64 + 1;
        for (j, c) in r.iter().enumerate() {
            let (t, lossy) = cell_text(c);
            if lossy {
                precision.push(format!("{}{row_no}", column_letters(col0 as usize + j)));
            }
            texts.push(t);
        }
        // Columns left of the used range are empty in the sheet too.
        if col0 > 0 {
            let mut padded = vec![String::new(); col0 as usize];
            padded.extend(texts);
            texts = padded;
        }
        if texts.iter().all(|t| t.trim().is_empty()) {
            blank_rows += 1;
            continue;
        }
        rows.push((row_no, texts));
    }
    SheetRows {
        rows,
        precision,
        blank_rows,
    }
}

/// The header row: among the first 30 rows, the first whose non-empty cells are at least half of the widest
/// row's and at least two, all text. Title rows (one merged cell) and notes above the table are skipped.
fn find_header(rows: &[(u64, Vec<String>)]) -> usize {
    let head = &rows[..rows.len().min(30)];
    let non_empty = |r: &Vec<String>| r.iter().filter(|t| !t.trim().is_empty()).count();
    let widest = head.iter().map(|(_, r)| non_empty(r)).max().unwrap_or(0);
    let need = (widest.div_ceil(2)).max(2);
    head.iter()
        .position(|(_, r)| non_empty(r) >= need)
        .unwrap_or(0)
}

fn open_error(name: &str, what: &str, e: impl std::fmt::Display) -> anyhow::Error {
    let msg = e.to_string().replace('\n', " ");
    StewardError::data(format!(
        "{name}: cannot read the {what}: it is damaged or not a real workbook ({msg})"
    ))
    .into()
}

/// Catch a panic inside the workbook parser and turn it into an error: damaged files must never crash steward.
fn guarded<T>(name: &str, what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        // The parser's internal checks failed on inconsistent structures: a damaged file, not a bug of ours.
        Err(_) => Err(open_error(
            name,
            what,
            "its internal structure is inconsistent",
        )),
    }
}

type SheetList = (Vec<String>, Vec<(String, Range<Data>)>);

fn load_sheets(
    bytes: Vec<u8>,
    fmt: InputFormat,
    name: &str,
    sel: &SheetSelector,
) -> Result<SheetList> {
    fn pick<R: Reader<Cursor<Vec<u8>>>>(
        wb: &mut R,
        name: &str,
        what: &str,
        sel: &SheetSelector,
    ) -> Result<SheetList>
    where
        R::Error: std::fmt::Display,
    {
        let names = wb.sheet_names();
        if names.is_empty() {
            return Err(StewardError::data(format!("{name}: the workbook has no sheets")).into());
        }
        let wanted: Vec<String> = match sel {
            SheetSelector::Name(n) => {
                let found = names
                    .iter()
                    .find(|s| *s == n)
                    .or_else(|| names.iter().find(|s| s.eq_ignore_ascii_case(n)))
                    .cloned();
                match found {
                    Some(s) => vec![s],
                    None => {
                        return Err(StewardError::usage(format!(
                            "{name}: no sheet named {n:?}; the sheets are: {}",
                            names.join(", ")
                        ))
                        .into())
                    }
                }
            }
            SheetSelector::Index(i) => match names.get(i - 1) {
                Some(s) => vec![s.clone()],
                None => {
                    return Err(StewardError::usage(format!(
                        "{name}: there is no sheet {i}; the workbook has {} sheet(s): {}",
                        names.len(),
                        names.join(", ")
                    ))
                    .into())
                }
            },
            SheetSelector::All | SheetSelector::FirstNonEmpty => names.clone(),
        };
        let mut out = Vec::new();
        for s in wanted {
            let range = wb
                .worksheet_range(&s)
                .map_err(|e| open_error(name, what, format!("sheet {s:?}: {e}")))?;
            let empty = range.is_empty();
            if matches!(sel, SheetSelector::FirstNonEmpty) {
                if !empty {
                    out.push((s, range));
                    break;
                }
                continue;
            }
            out.push((s, range));
        }
        if out.is_empty() {
            return Err(StewardError::data(format!(
                "{name}: every sheet of the workbook is empty ({})",
                names.join(", ")
            ))
            .into());
        }
        Ok((names, out))
    }
    let what = match fmt {
        InputFormat::Xls => "xls workbook",
        InputFormat::Ods => "ods spreadsheet",
        _ => "xlsx workbook",
    };
    guarded(name, what, || {
        let cur = Cursor::new(bytes);
        match fmt {
            InputFormat::Xls => {
                let mut wb: Xls<_> = Xls::new(cur).map_err(|e| open_error(name, what, e))?;
                pick(&mut wb, name, what, sel)
            }
            InputFormat::Ods => {
                let mut wb: Ods<_> = Ods::new(cur).map_err(|e| open_error(name, what, e))?;
                pick(&mut wb, name, what, sel)
            }
            _ => {
                let mut wb: Xlsx<_> = Xlsx::new(cur).map_err(|e| open_error(name, what, e))?;
                pick(&mut wb, name, what, sel)
            }
        }
    })
}

pub(crate) fn read_workbook(
    bytes: Vec<u8>,
    fmt: InputFormat,
    path: &str,
    opts: &ReadOptions,
) -> Result<Vec<(SourceInfo, Vec<RawRow>)>> {
    let name = if path == "-" { "stdin" } else { path };
    let total_bytes = bytes.len() as u64;
    let all_names_hint = opts.sheet.clone();
    let (sheet_names, sheets) = load_sheets(bytes, fmt, name, &all_names_hint)?;
    let mut sources = Vec::new();
    for (sheet, range) in sheets {
        let mut sr = sheet_rows(&range);
        if sr.rows.is_empty() {
            if matches!(opts.sheet, SheetSelector::All) {
                continue;
            }
            return Err(StewardError::data(format!("{name}: sheet {sheet:?} is empty")).into());
        }
        let h = find_header(&sr.rows);
        let (header_row, mut headers) = sr.rows[h].clone();
        let mut data: Vec<(u64, Vec<String>)> = sr.rows.split_off(h + 1);
        // Drop trailing columns that are empty in the header and in every row.
        let mut width = headers.len();
        for (_, r) in &data {
            width = width.max(r.len());
        }
        while width > 0
            && headers
                .get(width - 1)
                .map(|t| t.trim().is_empty())
                .unwrap_or(true)
            && data.iter().all(|(_, r)| {
                r.get(width - 1)
                    .map(|t| t.trim().is_empty())
                    .unwrap_or(true)
            })
        {
            width -= 1;
        }
        headers.resize(width, String::new());
        for (_, r) in &mut data {
            r.resize(width, String::new());
        }
        let mut notes = Vec::new();
        if h > 0 {
            notes.push(format!(
                "skipped {h} row(s) above the header at row {header_row} (titles or notes)"
            ));
        }
        if sr.blank_rows > 0 {
            notes.push(format!("skipped {} blank row(s)", sr.blank_rows));
        }
        if !sr.precision.is_empty() {
            let shown: Vec<&str> = sr.precision.iter().take(10).map(|s| s.as_str()).collect();
            notes.push(format!(
                "precision loss: {} numeric cell(s) hold whole numbers of more than {EXCEL_DIGITS} digits ({}{}); Excel keeps only {EXCEL_DIGITS} significant digits, so IDs typed as numbers may have lost their last digits; store such columns as text",
                sr.precision.len(),
                shown.join(", "),
                if sr.precision.len() > 10 { ", ..." } else { "" }
            ));
        }
        let rows: Vec<RawRow> = data
            .into_iter()
            .map(|(row, fields)| RawRow { row, fields })
            .collect();
        sources.push((
            SourceInfo {
                path: path.to_string(),
                label: format!("{path}!{sheet}"),
                format: match fmt {
                    InputFormat::Xls => "xls",
                    InputFormat::Ods => "ods",
                    _ => "xlsx",
                },
                encoding: None,
                encoding_how: None,
                delimiter: None,
                sheet: Some(sheet.clone()),
                sheets: sheet_names.clone(),
                header_row,
                headers,
                bytes: total_bytes,
                notes,
            },
            rows,
        ));
    }
    if sources.is_empty() {
        return Err(
            StewardError::data(format!("{name}: every sheet of the workbook is empty")).into(),
        );
    }
    Ok(sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn numbers_read_as_people_see_them() {
        assert_eq!(cell_text(&Data::Float(300.0)).0, "300");
        assert_eq!(cell_text(&Data::Float(1234.5)).0, "1234.5");
        assert_eq!(cell_text(&Data::Float(-0.25)).0, "-0.25");
        assert_eq!(cell_text(&Data::Int(42)).0, "42");
        let (t, lossy) = cell_text(&Data::Float(110105199001011000.0));
        assert_eq!(t, "110105199001011000");
        assert!(lossy);
        assert!(!cell_text(&Data::Float(13812345678.0)).1);
    }

    #[test]
    fn header_below_title_and_blank_rows() {
        let rows = vec![
            (
                1,
                vec!["客户名单 2024".to_string(), String::new(), String::new()],
            ),
            (3, vec!["编号".into(), "姓名".into(), "手机".into()]),
            (4, vec!["1".into(), "张伟".into(), "138".into()]),
        ];
        assert_eq!(find_header(&rows), 1);
    }
}

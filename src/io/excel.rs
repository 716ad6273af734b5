//! Workbook sources through calamine (xlsx, xlsm, xls, ods): the header row found below titles and blanks,
//! cells rendered as text the way a person reads them (ISO dates, whole numbers without ".0", cached formula
//! values), trailing empty rows and columns dropped, and long numbers that Excel has rounded reported.

use anyhow::Result;
use calamine::{Data, DataRef, Ods, Range, Reader, Xls, Xlsx};
use std::io::Cursor;

use super::source::{InputFormat, RawRow, ReadOptions, SheetSelector, SourceInfo};
use super::workbook::ABOUT_MARK;
use super::workbook_limits::{
    check_ods_content, check_zip_parts, grouped, over_limit, xlsx_custom_property, xlsx_part_name,
    xlsx_sheet_parts, MAX_SHEET_CELLS,
};
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

/// What a cell's number format shows of its value beyond the value itself: a fixed count of decimals (`0.00`
/// shows 1672 as `1672.00`), a time of day (a date and time at midnight keeps `T00:00:00`). Only xlsx cells have
/// one here; calamine gives the format codes of xlsx styles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shown {
    /// The format is exactly `0`, `0.0`, `0.00`...: a number shows this many decimals.
    pub decimals: Option<u8>,
    /// The format shows hours or seconds.
    pub time: bool,
}

impl Shown {
    /// What the number format `code` shows.
    pub fn of_format(code: &str) -> Shown {
        let code = code.trim();
        let decimals = match code.split_once('.') {
            None if code == "0" => Some(0),
            Some(("0", frac))
                if !frac.is_empty() && frac.len() <= 15 && frac.bytes().all(|b| b == b'0') =>
            {
                Some(frac.len() as u8)
            }
            _ => None,
        };
        Shown {
            decimals,
            time: shows_time(code),
        }
    }
}

/// Whether a number format shows a time of day: an hour or second field outside quoted text, escaped
/// characters and brackets (`[Red]`, `[$-409]`; `[h]:mm:ss` shows seconds).
fn shows_time(code: &str) -> bool {
    let mut chars = code.chars();
    let (mut quoted, mut bracket) = (false, false);
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' => {
                chars.next();
            }
            '[' => bracket = true,
            ']' => bracket = false,
            _ if bracket => {}
            'h' | 'H' | 's' | 'S' => return true,
            _ => {}
        }
    }
    false
}

/// A cell as the text a person sees with its number format `shown`: a number in a format with fixed decimals
/// padded with zeros to them (`1672.00`), never rounded (a value with more decimals than shown keeps them all).
pub fn cell_text_shown(cell: &Data, shown: Shown) -> (String, bool) {
    if let Data::DateTime(dt) = cell {
        // A date and time at midnight is still a date and time when the format shows the time.
        if let Some(ndt) = dt.as_datetime().filter(|_| shown.time && !dt.is_duration()) {
            let ndt = round_to_second(ndt);
            if ndt.time() == chrono::NaiveTime::MIN {
                let text = if time_only(ndt.date()) {
                    ndt.format("%H:%M:%S")
                } else {
                    ndt.format("%Y-%m-%dT%H:%M:%S")
                };
                return (text.to_string(), false);
            }
        }
    }
    let (text, lossy) = cell_text(cell);
    match (cell, shown.decimals) {
        (Data::Float(_) | Data::Int(_), Some(d)) if d > 0 && !lossy && !text.contains('e') => {
            let have = text.split_once('.').map_or(0, |(_, f)| f.len());
            if have >= d as usize {
                return (text, lossy);
            }
            let mut padded = text;
            if have == 0 {
                padded.push('.');
            }
            padded.extend(std::iter::repeat_n('0', d as usize - have));
            (padded, false)
        }
        _ => (text, lossy),
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
    /// The same cells as (1-based row, 0-based column).
    lost_digits: Vec<(u64, usize)>,
    blank_rows: usize,
}

/// One used cell of a sheet as text, at its 0-based position; `lossy` when Excel rounded its number.
struct GridCell {
    row: u32,
    col: u32,
    text: String,
    lossy: bool,
}

/// The used cells of a sheet, never its declared rectangle: memory follows the cells a file holds, not the
/// area it claims (one cell at XFD1048576 claims 17 billion). `extent` is the used range (first row, first
/// column, last row, last column) as the parser sees it, blank-text cells included.
#[derive(Default)]
struct Grid {
    cells: Vec<GridCell>,
    extent: Option<(u32, u32, u32, u32)>,
}

impl Grid {
    fn span(&self) -> u64 {
        self.extent
            .map(|(r0, c0, r1, c1)| (r1 as u64 - r0 as u64 + 1) * (c1 as u64 - c0 as u64 + 1))
            .unwrap_or(0)
    }

    fn range_text(&self) -> String {
        match self.extent {
            Some((r0, c0, r1, c1)) => format!(
                "{}{}:{}{}",
                column_letters(c0 as usize),
                r0 as u64 + 1,
                column_letters(c1 as usize),
                r1 as u64 + 1
            ),
            None => String::new(),
        }
    }

    fn widen(&mut self, row: u32, col: u32) {
        self.extent = Some(match self.extent {
            None => (row, col, row, col),
            Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
        });
    }

    /// Refuse a used range larger than the limit: checked as cells arrive, before they are held.
    fn check(&self, name: &str, sheet: &str) -> Result<()> {
        let span = self.span();
        if span > MAX_SHEET_CELLS || self.cells.len() as u64 > MAX_SHEET_CELLS {
            return Err(over_limit(
                name,
                &format!("sheet {sheet:?}"),
                format!(
                    "its used range {} spans {} cells, more than the {} a sheet may span",
                    self.range_text(),
                    grouped(span.max(self.cells.len() as u64)),
                    grouped(MAX_SHEET_CELLS)
                ),
            ));
        }
        Ok(())
    }

    fn push(&mut self, row: u32, col: u32, cell: &Data, shown: Shown) {
        self.widen(row, col);
        let (text, lossy) = cell_text_shown(cell, shown);
        self.cells.push(GridCell {
            row,
            col,
            text,
            lossy,
        });
    }

    /// The used cells of a range the parser built (xls, ods), with its extent.
    fn of_range(range: &Range<Data>) -> Grid {
        let mut g = Grid::default();
        if let (Some(start), Some(end)) = (range.start(), range.end()) {
            for (r, c, cell) in range.used_cells() {
                g.push(
                    start.0 + r as u32,
                    start.1 + c as u32,
                    cell,
                    Shown::default(),
                );
            }
            g.extent = Some((start.0, start.1, end.0, end.1));
        }
        g
    }
}

/// Rows of text from a sheet's used cells: every row of the used range as wide as its last used column (cells
/// left of the range are empty in the sheet too), blank rows counted and dropped. The same rows a dense range
/// gave, built only for rows that hold text.
fn sheet_rows(mut grid: Grid) -> SheetRows {
    let Some((row0, _, row_end, col_end)) = grid.extent else {
        return SheetRows {
            rows: Vec::new(),
            precision: Vec::new(),
            lost_digits: Vec::new(),
            blank_rows: 0,
        };
    };
    let width = col_end as usize + 1;
    // A position given twice keeps its last value, as a dense range does.
    grid.cells.sort_by_key(|c| (c.row, c.col));
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    let mut precision = Vec::new();
    let mut lost_digits = Vec::new();
    let mut i = 0;
    let cells = &mut grid.cells;
    while i < cells.len() {
        let row = cells[i].row;
        let mut texts: Vec<String> = Vec::new();
        while i < cells.len() && cells[i].row == row {
            let last_of_position =
                i + 1 == cells.len() || cells[i + 1].row != row || cells[i + 1].col != cells[i].col;
            if last_of_position {
                let c = &mut cells[i];
                let row_no = c.row as u64 + 1;
                if c.lossy {
                    precision.push(format!("{}{row_no}", column_letters(c.col as usize)));
                    lost_digits.push((row_no, c.col as usize));
                }
                if !c.text.trim().is_empty() {
                    if texts.is_empty() {
                        texts = vec![String::new(); width];
                    }
                    texts[c.col as usize] = std::mem::take(&mut c.text);
                }
            }
            i += 1;
        }
        if !texts.is_empty() {
            rows.push((row as u64 + 1, texts));
        }
    }
    let spanned = (row_end - row0) as usize + 1;
    SheetRows {
        blank_rows: spanned - rows.len(),
        rows,
        precision,
        lost_digits,
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

type SheetList = (Vec<String>, Vec<(String, SheetRows)>);

/// Read the used cells of one sheet of an xlsx, cell by cell: no rectangle is built.
fn xlsx_grid(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str, name: &str) -> Result<Grid> {
    let what = "xlsx workbook";
    let mut reader = match wb.worksheet_cells_reader(sheet) {
        Ok(r) => r,
        // A chart sheet or dialog sheet holds no cells.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Grid::default()),
        Err(e) => return Err(open_error(name, what, format!("sheet {sheet:?}: {e}"))),
    };
    let mut grid = Grid::default();
    // What each style's number format shows, worked out once per style.
    let shown: Vec<Shown> = reader
        .styles()
        .iter()
        .map(|s| {
            s.number_format
                .as_ref()
                .map(|f| Shown::of_format(&f.format_code))
                .unwrap_or_default()
        })
        .collect();
    loop {
        let cell = reader
            .next_cell_with_style_id()
            .map_err(|e| open_error(name, what, format!("sheet {sheet:?}: {e}")))?;
        let Some((cell, style)) = cell else {
            break;
        };
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, col) = cell.get_position();
        let shown = shown.get(style).copied().unwrap_or_default();
        grid.push(row, col, &Data::from(cell.get_value().clone()), shown);
        grid.check(name, sheet)?;
    }
    Ok(grid)
}

fn load_sheets(
    bytes: Vec<u8>,
    fmt: InputFormat,
    name: &str,
    sel: &SheetSelector,
) -> Result<SheetList> {
    fn pick<R: Reader<Cursor<Vec<u8>>>>(
        wb: &mut R,
        name: &str,
        sel: &SheetSelector,
        about: Option<&str>,
        grid_of: &mut dyn FnMut(&mut R, &str) -> Result<Grid>,
    ) -> Result<SheetList> {
        let all_names = wb.sheet_names();
        if all_names.is_empty() {
            return Err(StewardError::data(format!("{name}: the workbook has no sheets")).into());
        }
        // The About sheet of a workbook steward wrote is no data: read only when named.
        let names: Vec<String> = all_names
            .iter()
            .filter(|s| Some(s.as_str()) != about)
            .cloned()
            .collect();
        let wanted: Vec<String> = match sel {
            SheetSelector::Name(n) => {
                let found = all_names
                    .iter()
                    .find(|s| *s == n)
                    .or_else(|| all_names.iter().find(|s| s.eq_ignore_ascii_case(n)))
                    .cloned();
                match found {
                    Some(s) => vec![s],
                    None => {
                        return Err(StewardError::usage(format!(
                            "{name}: no sheet named {n:?}; the sheets are: {}",
                            all_names.join(", ")
                        ))
                        .into())
                    }
                }
            }
            SheetSelector::Index(i) => match all_names.get(i - 1) {
                Some(s) => vec![s.clone()],
                None => {
                    return Err(StewardError::usage(format!(
                        "{name}: there is no sheet {i}; the workbook has {} sheet(s): {}",
                        all_names.len(),
                        all_names.join(", ")
                    ))
                    .into())
                }
            },
            SheetSelector::All | SheetSelector::FirstNonEmpty => names.clone(),
        };
        let mut out = Vec::new();
        // Cells held for the whole workbook, so `--sheet all` is bounded too.
        let mut held = 0u64;
        for s in wanted {
            let grid = grid_of(wb, &s)?;
            grid.check(name, &s)?;
            let empty = grid.cells.is_empty();
            if matches!(sel, SheetSelector::FirstNonEmpty) && empty {
                continue;
            }
            let rows = sheet_rows(grid);
            held += rows.rows.iter().map(|(_, r)| r.len() as u64).sum::<u64>();
            if held > MAX_SHEET_CELLS {
                return Err(over_limit(
                    name,
                    &format!("sheet {s:?}"),
                    format!(
                        "the sheets read so far hold {} cells, more than the {} steward holds for a workbook",
                        grouped(held),
                        grouped(MAX_SHEET_CELLS)
                    ),
                ));
            }
            out.push((s, rows));
            if matches!(sel, SheetSelector::FirstNonEmpty) {
                break;
            }
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
    // Zip containers: every part's inflated size checked before the parser inflates any.
    let mut about = None;
    match fmt {
        InputFormat::Xlsx => {
            let sheets = xlsx_sheet_parts(&bytes);
            check_zip_parts(&bytes, name, &|p| xlsx_part_name(&sheets, p))?;
            about = xlsx_custom_property(&bytes, ABOUT_MARK);
        }
        InputFormat::Ods => {
            check_zip_parts(&bytes, name, &|p| match p {
                "content.xml" => "content.xml (every sheet)".to_string(),
                _ => format!("part {p}"),
            })?;
            check_ods_content(&bytes, name)?;
        }
        _ => {}
    }
    guarded(name, what, || {
        let cur = Cursor::new(bytes);
        let range_grid = |what: &'static str| {
            move |r: std::result::Result<Range<Data>, String>, s: &str| -> Result<Grid> {
                let range = r.map_err(|e| open_error(name, what, format!("sheet {s:?}: {e}")))?;
                Ok(Grid::of_range(&range))
            }
        };
        match fmt {
            InputFormat::Xls => {
                let mut wb: Xls<_> = Xls::new(cur).map_err(|e| open_error(name, what, e))?;
                let to_grid = range_grid(what);
                pick(&mut wb, name, sel, None, &mut |wb: &mut Xls<_>, s: &str| {
                    to_grid(wb.worksheet_range(s).map_err(|e| e.to_string()), s)
                })
            }
            InputFormat::Ods => {
                let mut wb: Ods<_> = Ods::new(cur).map_err(|e| open_error(name, what, e))?;
                let to_grid = range_grid(what);
                pick(&mut wb, name, sel, None, &mut |wb: &mut Ods<_>, s: &str| {
                    to_grid(wb.worksheet_range(s).map_err(|e| e.to_string()), s)
                })
            }
            _ => {
                let mut wb: Xlsx<_> = Xlsx::new(cur).map_err(|e| open_error(name, what, e))?;
                let about = about.as_deref();
                pick(
                    &mut wb,
                    name,
                    sel,
                    about,
                    &mut |wb: &mut Xlsx<_>, s: &str| xlsx_grid(wb, s, name),
                )
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
    for (sheet, mut sr) in sheets {
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
                lost_digits: std::mem::take(&mut sr.lost_digits),
                delimiter: None,
                sheet: Some(sheet.clone()),
                sheets: sheet_names.clone(),
                header_row,
                headers,
                bytes: total_bytes,
                digest: Default::default(),
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

/// One cell of a sheet as the workbook types it, at its 0-based position.
pub(crate) struct TypedCell {
    pub row: u32,
    pub col: u32,
    pub value: Data,
}

/// A sheet's used cells in row order, typed (for rewriting a workbook without changing its values).
pub(crate) struct TypedSheet {
    pub name: String,
    pub cells: Vec<TypedCell>,
}

/// Every sheet of a workbook, in order, with its typed cells; the same limits as reading it for its text.
pub(crate) fn read_typed_sheets(bytes: &[u8], path: &str) -> Result<Vec<TypedSheet>> {
    use super::sniff::{content_kind, ContentKind};
    let name = if path == "-" { "stdin" } else { path };
    let fmt = match content_kind(bytes) {
        ContentKind::Xls => InputFormat::Xls,
        ContentKind::Ods => InputFormat::Ods,
        _ => InputFormat::Xlsx,
    };
    match fmt {
        InputFormat::Xlsx => {
            let sheets = xlsx_sheet_parts(bytes);
            check_zip_parts(bytes, name, &|p| xlsx_part_name(&sheets, p))?;
        }
        InputFormat::Ods => {
            check_zip_parts(bytes, name, &|p| format!("part {p}"))?;
            check_ods_content(bytes, name)?;
        }
        _ => {}
    }
    let what = "workbook";
    guarded(name, what, || {
        fn all<R: Reader<Cursor<Vec<u8>>>>(
            wb: &mut R,
            name: &str,
            cells_of: &mut dyn FnMut(&mut R, &str) -> Result<Vec<TypedCell>>,
        ) -> Result<Vec<TypedSheet>> {
            let mut held = 0u64;
            let mut out = Vec::new();
            for s in wb.sheet_names() {
                let mut cells = cells_of(wb, &s)?;
                held += cells.len() as u64;
                if held > MAX_SHEET_CELLS {
                    return Err(over_limit(
                        name,
                        &format!("sheet {s:?}"),
                        format!(
                            "the workbook holds more than the {} cells steward holds for a workbook",
                            grouped(MAX_SHEET_CELLS)
                        ),
                    ));
                }
                cells.sort_by_key(|c| (c.row, c.col));
                // A position given twice keeps its last value.
                let mut dedup: Vec<TypedCell> = Vec::with_capacity(cells.len());
                for c in cells {
                    match dedup.last_mut() {
                        Some(l) if l.row == c.row && l.col == c.col => *l = c,
                        _ => dedup.push(c),
                    }
                }
                out.push(TypedSheet {
                    name: s,
                    cells: dedup,
                });
            }
            Ok(out)
        }
        let range_cells = |r: Range<Data>| -> Vec<TypedCell> {
            let Some(start) = r.start() else {
                return Vec::new();
            };
            r.used_cells()
                .map(|(row, col, v)| TypedCell {
                    row: start.0 + row as u32,
                    col: start.1 + col as u32,
                    value: v.clone(),
                })
                .collect()
        };
        let cur = Cursor::new(bytes.to_vec());
        match fmt {
            InputFormat::Xls => {
                let mut wb: Xls<_> = Xls::new(cur).map_err(|e| open_error(name, what, e))?;
                all(&mut wb, name, &mut |wb: &mut Xls<_>, s: &str| {
                    let r = wb
                        .worksheet_range(s)
                        .map_err(|e| open_error(name, what, format!("sheet {s:?}: {e}")))?;
                    Ok(range_cells(r))
                })
            }
            InputFormat::Ods => {
                let mut wb: Ods<_> = Ods::new(cur).map_err(|e| open_error(name, what, e))?;
                all(&mut wb, name, &mut |wb: &mut Ods<_>, s: &str| {
                    let r = wb
                        .worksheet_range(s)
                        .map_err(|e| open_error(name, what, format!("sheet {s:?}: {e}")))?;
                    Ok(range_cells(r))
                })
            }
            _ => {
                let mut wb: Xlsx<_> = Xlsx::new(cur).map_err(|e| open_error(name, what, e))?;
                all(&mut wb, name, &mut |wb: &mut Xlsx<_>, s: &str| {
                    let mut reader = match wb.worksheet_cells_reader(s) {
                        Ok(r) => r,
                        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
                        Err(e) => return Err(open_error(name, what, format!("sheet {s:?}: {e}"))),
                    };
                    let mut cells = Vec::new();
                    while let Some(cell) = reader
                        .next_cell()
                        .map_err(|e| open_error(name, what, format!("sheet {s:?}: {e}")))?
                    {
                        if matches!(cell.get_value(), DataRef::Empty) {
                            continue;
                        }
                        let (row, col) = cell.get_position();
                        cells.push(TypedCell {
                            row,
                            col,
                            value: Data::from(cell.get_value().clone()),
                        });
                        if cells.len() as u64 > MAX_SHEET_CELLS {
                            return Err(over_limit(
                                name,
                                &format!("sheet {s:?}"),
                                format!("it holds more than {} cells", grouped(MAX_SHEET_CELLS)),
                            ));
                        }
                    }
                    Ok(cells)
                })
            }
        }
    })
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
    fn formats_that_show_a_time_of_day() {
        for code in [
            "yyyy-mm-dd hh:mm:ss",
            "m/d/yy h:mm",
            "h:mm AM/PM",
            "[h]:mm:ss",
            "yyyy-mm-dd\"T\"hh:mm:ss",
            "mm:ss",
        ] {
            assert!(Shown::of_format(code).time, "{code}");
        }
        for code in [
            "yyyy-mm-dd",
            "mm-dd-yy",
            "d-mmm-yy",
            "General",
            "0.00",
            "[$-409]mmmm d, yyyy",
            "yyyy\"年\"m\"月\"d\"日\"",
            "dd\\h mm",
            "\"shipped\" yyyy-mm-dd",
        ] {
            assert!(!Shown::of_format(code).time, "{code}");
        }
        assert_eq!(Shown::of_format("0.00").decimals, Some(2));
        assert_eq!(Shown::of_format("#,##0.00").decimals, None);
    }

    #[test]
    fn midnight_keeps_its_time_when_the_format_shows_one() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let at = |serial: f64| {
            Data::DateTime(ExcelDateTime::new(
                serial,
                ExcelDateTimeType::DateTime,
                false,
            ))
        };
        let with_time = Shown::of_format("yyyy-mm-dd hh:mm");
        let date_only = Shown::of_format("yyyy-mm-dd");
        // 45356 is 2024-03-05.
        assert_eq!(
            cell_text_shown(&at(45356.0), with_time).0,
            "2024-03-05T00:00:00"
        );
        assert_eq!(cell_text_shown(&at(45356.0), date_only).0, "2024-03-05");
        assert_eq!(
            cell_text_shown(&at(45356.5), with_time).0,
            "2024-03-05T12:00:00"
        );
        assert_eq!(
            cell_text_shown(&at(45356.5), date_only).0,
            "2024-03-05T12:00:00"
        );
        assert_eq!(
            cell_text_shown(&at(0.0), Shown::of_format("hh:mm")).0,
            "00:00:00"
        );
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

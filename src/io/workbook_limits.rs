//! What a workbook may make steward hold, checked before the parser is trusted with it: the inflated size of
//! every part of an xlsx or ods container (against its compressed size and an absolute cap, as zip-bomb
//! defences do), and the cells a sheet spans (rows × columns of its used range, ods repeats counted).

use anyhow::Result;
use std::io::{Cursor, Read};

use crate::error::StewardError;

/// The most cells a sheet's used range may span (rows × columns, from its first to its last used row and
/// column), and the most cells steward holds for one workbook. A sheet with one cell at A1 and one at
/// XFD1048576 spans 17,179,869,184.
pub const MAX_SHEET_CELLS: u64 = 50_000_000;

/// The most bytes one part of an xlsx or ods container (a sheet, the shared strings) may inflate to.
pub const MAX_PART_BYTES: u64 = 1 << 30;

/// The most a part may inflate relative to its compressed size; parts of at most `RATIO_FREE_BYTES` are exempt.
/// Real sheets compress 5 to 30 times; 2 GB of blanks compress to 2 MB (1,000 times).
pub const MAX_INFLATE_RATIO: u64 = 100;

/// Parts this small may compress as well as they like: they cannot hurt.
pub const RATIO_FREE_BYTES: u64 = 16 << 20;

/// The largest row and column counts of a sheet (Excel's and LibreOffice's grid).
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut v = n as f64;
    let mut unit = "bytes";
    for u in UNITS {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}

pub use crate::fields::text::grouped;

/// The error for a workbook over a limit: one line naming the file and the sheet (or part).
pub fn over_limit(name: &str, what: &str, why: String) -> anyhow::Error {
    StewardError::data(format!(
        "{name}: {what}: {why}; steward refuses it to stay within its documented limits (see README, Workbook limits); save the table as CSV, which steward streams"
    ))
    .into()
}

/// Check the declared sizes of every part of a zip container (the central directory gives the compressed and
/// inflated size of each; the zip reader then fails any part that inflates past its declared size). `part_name`
/// turns a part's path into what to call it (`sheet "Customers"`). Containers that do not open as zip are left
/// to the workbook parser, whose error names the damage.
pub fn check_zip_parts(bytes: &[u8], name: &str, part_name: &dyn Fn(&str) -> String) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        let (inflated, compressed) = (part.size(), part.compressed_size());
        let path = part.name().map(|n| n.to_string()).unwrap_or_default();
        if inflated > MAX_PART_BYTES {
            return Err(over_limit(
                name,
                &part_name(&path),
                format!(
                    "it inflates to {}, more than the {} a part may hold",
                    human_bytes(inflated),
                    human_bytes(MAX_PART_BYTES)
                ),
            ));
        }
        if inflated > RATIO_FREE_BYTES && inflated / compressed.max(1) > MAX_INFLATE_RATIO {
            return Err(over_limit(
                name,
                &part_name(&path),
                format!(
                    "it inflates from {} to {} ({} times; a zip bomb), more than the {MAX_INFLATE_RATIO} times steward allows",
                    human_bytes(compressed),
                    human_bytes(inflated),
                    grouped(inflated / compressed.max(1))
                ),
            ));
        }
    }
    Ok(())
}

/// Read one part of a zip container whole (after `check_zip_parts`, so its size is bounded).
fn read_part(bytes: &[u8], path: &str) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut f = zip.by_name(path).ok()?;
    let mut out = Vec::with_capacity(f.size().min(MAX_PART_BYTES) as usize);
    f.read_to_end(&mut out).ok()?;
    Some(out)
}

/// The attributes of one XML start tag, as raw (name, value) pairs; `tag` starts after the tag's name.
fn attributes(tag: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tag.len() {
        while i < tag.len() && (tag[i].is_ascii_whitespace() || tag[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < tag.len() && tag[i] != b'=' && !tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &tag[start..i];
        while i < tag.len() && tag[i] != b'"' && tag[i] != b'\'' {
            i += 1;
        }
        if i >= tag.len() {
            break;
        }
        let quote = tag[i];
        i += 1;
        let vstart = i;
        while i < tag.len() && tag[i] != quote {
            i += 1;
        }
        out.push((key, &tag[vstart..i.min(tag.len())]));
        i += 1;
    }
    out
}

fn attr<'a>(attrs: &[(&[u8], &'a [u8])], key: &[u8]) -> Option<&'a [u8]> {
    attrs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Text of an attribute value with the five predefined entities and numeric references replaced.
fn unescape(v: &[u8]) -> String {
    let s = String::from_utf8_lossy(v);
    if !s.contains('&') {
        return s.into_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = &*s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let Some(end) = rest.find(';') else {
            break;
        };
        let ent = &rest[1..end];
        let c = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// One XML tag seen by `for_each_tag`: its name, the bytes after the name up to `>`, and whether it closes.
struct Tag<'a> {
    name: &'a [u8],
    rest: &'a [u8],
    end: bool,
    self_closing: bool,
}

/// Every tag of an XML text in order, quoted `>` in attribute values respected. Comments, CDATA and processing
/// instructions end at their first `>`: markup inside them may be seen as tags, which only overestimates.
fn for_each_tag(xml: &[u8], mut f: impl FnMut(Tag<'_>) -> Result<()>) -> Result<()> {
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &xml[i..]) {
        let start = i + p + 1;
        let mut j = start;
        let mut quote = 0u8;
        while j < xml.len() {
            let b = xml[j];
            if quote != 0 {
                if b == quote {
                    quote = 0;
                }
            } else if b == b'"' || b == b'\'' {
                quote = b;
            } else if b == b'>' {
                break;
            }
            j += 1;
        }
        let inner = &xml[start..j.min(xml.len())];
        i = (j + 1).min(xml.len());
        let (end, inner) = match inner.strip_prefix(b"/") {
            Some(r) => (true, r),
            None => (false, inner),
        };
        let self_closing = inner.ends_with(b"/");
        let name_len = inner
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(inner.len());
        f(Tag {
            name: &inner[..name_len],
            rest: &inner[name_len..],
            end,
            self_closing,
        })?;
    }
    Ok(())
}

/// The sheet names of an xlsx by the path of their part (`xl/worksheets/sheet1.xml` -> `Customers`), read from
/// the workbook and its relationships; empty when they cannot be read.
pub fn xlsx_sheet_parts(bytes: &[u8]) -> Vec<(String, String)> {
    let (Some(wb), Some(rels)) = (
        read_part(bytes, "xl/workbook.xml"),
        read_part(bytes, "xl/_rels/workbook.xml.rels"),
    ) else {
        return Vec::new();
    };
    let mut targets: Vec<(String, String)> = Vec::new();
    let _ = for_each_tag(&rels, |t| {
        if !t.end && (t.name == b"Relationship" || t.name.ends_with(b":Relationship")) {
            let a = attributes(t.rest);
            if let (Some(id), Some(target)) = (attr(&a, b"Id"), attr(&a, b"Target")) {
                let target = unescape(target);
                let path = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("xl/{target}"),
                };
                targets.push((unescape(id), path));
            }
        }
        Ok(())
    });
    let mut out = Vec::new();
    let _ = for_each_tag(&wb, |t| {
        if !t.end && (t.name == b"sheet" || t.name.ends_with(b":sheet")) {
            let a = attributes(t.rest);
            let id = a
                .iter()
                .find(|(k, _)| k.ends_with(b":id"))
                .map(|(_, v)| unescape(v));
            if let (Some(name), Some(id)) = (attr(&a, b"name"), id) {
                if let Some((_, path)) = targets.iter().find(|(i, _)| *i == id) {
                    out.push((path.clone(), unescape(name)));
                }
            }
        }
        Ok(())
    });
    out
}

/// The text of a custom document property of an xlsx (`docProps/custom.xml`, after `check_zip_parts`), such as
/// the mark steward sets on its About sheet; `None` when absent or not text.
pub fn xlsx_custom_property(bytes: &[u8], name: &str) -> Option<String> {
    let xml = read_part(bytes, "docProps/custom.xml")?;
    let mut found = None;
    let mut inside = false;
    let mut text_from: Option<usize> = None;
    let base = xml.as_ptr() as usize;
    let _ = for_each_tag(&xml, |t| {
        let local = |n: &[u8]| n.rsplit(|b| *b == b':').next().unwrap_or(n).to_vec();
        if !t.end && local(t.name) == b"property" {
            inside = attr(&attributes(t.rest), b"name").map(unescape).as_deref() == Some(name);
        } else if t.end && local(t.name) == b"property" {
            inside = false;
        } else if inside && !t.end && !t.self_closing && local(t.name) == b"lpwstr" {
            // The text starts after this tag's `>`: `rest` ends just before it.
            text_from = Some(t.rest.as_ptr() as usize - base + t.rest.len() + 1);
        } else if inside && t.end && local(t.name) == b"lpwstr" {
            if let Some(from) = text_from.take() {
                let to = t.name.as_ptr() as usize - base - 2;
                if from <= to && to <= xml.len() {
                    found = Some(unescape(&xml[from..to]));
                }
            }
        }
        Ok(())
    });
    found
}

/// What to call a part of an xlsx in a message: its sheet, else its path.
pub fn xlsx_part_name(sheets: &[(String, String)], path: &str) -> String {
    match sheets.iter().find(|(p, _)| p == path) {
        Some((_, sheet)) => format!("sheet {sheet:?} ({path})"),
        None => format!("part {path}"),
    }
}

/// The cells calamine would hold for each sheet of an ods file, counted from `content.xml` without building
/// them: repeated rows and columns (`table:number-rows-repeated`, `table:number-columns-repeated`) expanded
/// as calamine expands them. Refuses a sheet whose cells exceed `MAX_SHEET_CELLS`.
pub fn check_ods_content(bytes: &[u8], name: &str) -> Result<()> {
    let Some(xml) = read_part(bytes, "content.xml") else {
        return Ok(());
    };
    let number = |v: Option<&[u8]>, max: u64| -> u64 {
        match v {
            None => 1,
            // An unreadable count is taken as the largest the grid allows: never an underestimate.
            Some(v) => unescape(v).trim().parse::<u64>().unwrap_or(max).min(max),
        }
    };
    #[derive(Default)]
    struct Sheet {
        name: String,
        /// Cells calamine builds before it expands repeated rows (a row's cells up to its last value).
        listed: u64,
        /// Rows, repeats counted, up to the last row with a value, from the first.
        first_used: Option<u64>,
        last_used: u64,
        width: u64,
        rows: u64,
    }
    let check = |s: &Sheet| -> Result<()> {
        let span = s
            .first_used
            .map(|f| (s.last_used - f + 1).saturating_mul(s.width))
            .unwrap_or(0);
        let cells = span.max(s.listed);
        if cells > MAX_SHEET_CELLS {
            return Err(over_limit(
                name,
                &format!("sheet {:?}", s.name),
                format!(
                    "its repeated rows and columns span {} cells, more than the {} a sheet may span",
                    grouped(cells),
                    grouped(MAX_SHEET_CELLS)
                ),
            ));
        }
        Ok(())
    };
    let mut sheet: Option<Sheet> = None;
    // The current row: its repeat count, cells so far, cells up to the last value, pending empty cells.
    let (mut row_repeat, mut row_cells, mut row_used) = (1u64, 0u64, 0u64);
    for_each_tag(&xml, |t| {
        match (t.name, t.end) {
            (b"table:table", false) => {
                let a = attributes(t.rest);
                sheet = Some(Sheet {
                    name: attr(&a, b"table:name").map(unescape).unwrap_or_default(),
                    ..Default::default()
                });
            }
            (b"table:table", true) => {
                if let Some(s) = sheet.take() {
                    check(&s)?;
                }
            }
            (b"table:table-row", false) => {
                let a = attributes(t.rest);
                row_repeat = number(attr(&a, b"table:number-rows-repeated"), MAX_ROWS);
                (row_cells, row_used) = (0, 0);
                if t.self_closing {
                    if let Some(s) = &mut sheet {
                        s.rows = (s.rows + row_repeat).min(MAX_ROWS);
                    }
                }
            }
            (b"table:table-row", true) => {
                if let Some(s) = &mut sheet {
                    let first = s.rows;
                    s.rows = (s.rows + row_repeat).min(MAX_ROWS);
                    if row_used > 0 {
                        s.first_used.get_or_insert(first);
                        s.last_used = s.rows.saturating_sub(1).max(first);
                        s.width = s.width.max(row_used);
                        s.listed = s.listed.saturating_add(row_used);
                        check(s)?;
                    }
                }
            }
            (b"table:table-cell" | b"table:covered-table-cell", false) => {
                let a = attributes(t.rest);
                let repeat = number(attr(&a, b"table:number-columns-repeated"), MAX_COLUMNS);
                // A cell with a value type, a formula or content holds something; calamine keeps it.
                let valued = !t.self_closing
                    || a.iter()
                        .any(|(k, _)| k.starts_with(b"office:") || *k == b"table:formula");
                row_cells = (row_cells + repeat).min(MAX_COLUMNS);
                if valued {
                    row_used = row_cells;
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    if let Some(s) = sheet {
        check(&s)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_properties_are_read_by_name() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet();
        let props = rust_xlsxwriter::DocProperties::new()
            .set_custom_property("other", "x<y")
            .set_custom_property("steward_about_sheet", "About & more")
            .set_custom_property("count", 3);
        wb.set_properties(&props);
        let bytes = wb.save_to_buffer().unwrap();
        assert_eq!(
            xlsx_custom_property(&bytes, "steward_about_sheet").as_deref(),
            Some("About & more")
        );
        assert_eq!(
            xlsx_custom_property(&bytes, "other").as_deref(),
            Some("x<y")
        );
        assert_eq!(xlsx_custom_property(&bytes, "count"), None, "not text");
        assert_eq!(xlsx_custom_property(&bytes, "missing"), None);
        let mut plain = rust_xlsxwriter::Workbook::new();
        plain.add_worksheet();
        let plain = plain.save_to_buffer().unwrap();
        assert_eq!(xlsx_custom_property(&plain, "steward_about_sheet"), None);
    }

    #[test]
    fn tags_respect_quoted_brackets() {
        let mut seen = Vec::new();
        for_each_tag(b"<a x=\"1>2\" y='3'/><b>text</b>", |t| {
            seen.push((
                String::from_utf8_lossy(t.name).to_string(),
                attributes(t.rest)
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{}={}",
                            String::from_utf8_lossy(k),
                            String::from_utf8_lossy(v)
                        )
                    })
                    .collect::<Vec<_>>(),
                t.end,
                t.self_closing,
            ));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen[0].0, "a");
        assert_eq!(seen[0].1, vec!["x=1>2", "y=3"]);
        assert!(seen[0].3);
        assert_eq!(seen[1].0, "b");
        assert!(seen[2].2);
    }

    #[test]
    fn entities_are_replaced() {
        assert_eq!(
            unescape(b"R&amp;D &#x4E2D;&#25991; &lt;1&gt;"),
            "R&D 中文 <1>"
        );
    }

    #[test]
    fn counts_are_grouped() {
        assert_eq!(grouped(17_179_869_184), "17,179,869,184");
        assert_eq!(grouped(999), "999");
        assert_eq!(human_bytes(2_000 << 20), "2.0 GiB");
        assert_eq!(human_bytes(MAX_PART_BYTES), "1.0 GiB");
    }
}

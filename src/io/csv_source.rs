//! CSV and TSV sources: encoding and delimiter sniffed, title lines above the header skipped, and every
//! malformed record (wrong field count, unterminated quote, bad bytes) named by line, or rejected with `--lenient`.

use anyhow::Result;

use super::read::{Body, Item, ReadOptions, Reject, RowRef, Source, SourceInfo};
use super::sniff::{decode_owned, detect_encoding, sniff_delimiter, BadSpot, TextEncoding};
use crate::error::StewardError;

pub(crate) struct CsvBody {
    text: String,
    delimiter: u8,
    width: usize,
    header_line: u64,
    /// Records before the first data record (title lines and the header).
    skip_records: usize,
    bad: Vec<BadSpot>,
    /// Byte offset, line and column of a quote that is never closed.
    unterminated: Option<(usize, u64, u64)>,
    lenient: bool,
}

/// Physical line numbers of record starts. The CSV reader's own line count is one short after a CRLF
/// (it starts the next record on the LF), so lines are counted here from byte offsets.
struct LineCounter {
    pos: usize,
    line: u64,
}

impl LineCounter {
    fn new() -> Self {
        LineCounter { pos: 0, line: 1 }
    }

    /// The line on which a record starting at byte `off` (possibly on a line break) really begins.
    /// Offsets must not decrease between calls.
    fn line_at(&mut self, text: &str, mut off: usize) -> u64 {
        let b = text.as_bytes();
        while off < b.len() && (b[off] == b'\r' || b[off] == b'\n') {
            off += 1;
        }
        if off > self.pos {
            // A line ends at LF, or at a CR not followed by LF (old Mac files, mixed exports).
            let span = &b[self.pos..off];
            let lf = memchr::memchr_iter(b'\n', span).count();
            let lone_cr = memchr::memchr_iter(b'\r', span)
                .filter(|&i| b.get(self.pos + i + 1) != Some(&b'\n'))
                .count();
            self.line += (lf + lone_cr) as u64;
            self.pos = off;
        }
        self.line
    }
}

/// A field of a record read from `CsvBody::text`.
fn utf8_field(bytes: &[u8]) -> &str {
    // SAFETY: `text` is a valid UTF-8 `String`, and the CSV reader splits and unescapes it only at ASCII bytes
    // (delimiter, quote, CR, LF), which never fall inside a multi-byte character; so every field is valid
    // UTF-8. Validating again per record cost a sixth of import time.
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".to_string(),
        b',' => "comma".to_string(),
        b';' => "semicolon".to_string(),
        b'|' => "pipe".to_string(),
        other => format!("{:?}", other as char),
    }
}

fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

fn shown(path: &str) -> &str {
    if path == "-" {
        "stdin"
    } else {
        path
    }
}

pub(crate) fn read_csv(
    bytes: Vec<u8>,
    path: &str,
    opts: &ReadOptions,
    tab: bool,
) -> Result<Source> {
    let name = shown(path);
    let enc = match opts.encoding {
        Some(e) => {
            let bom_len = match encoding_rs::Encoding::for_bom(&bytes) {
                Some((b, len)) if b == e => len,
                _ => 0,
            };
            TextEncoding {
                encoding: e,
                bom_len,
                how: "given",
            }
        }
        None => detect_encoding(&bytes),
    };
    let total_bytes = bytes.len() as u64;
    let decoded = decode_owned(bytes, enc);
    if decoded.text.trim().is_empty() {
        return Err(StewardError::data(format!(
            "{name}: the file has no header and no data (only blank lines)"
        ))
        .into());
    }
    if !opts.lenient {
        if let Some(b) = decoded.bad.first() {
            let hint = if enc.how == "given" {
                "check --encoding".to_string()
            } else {
                format!(
                    "it was read as {}; pass --encoding with the right one, or --lenient to reject such rows",
                    enc.label()
                )
            };
            return Err(StewardError::data(format!(
                "{name}: line {}, column {}: {} ({hint})",
                b.line, b.column, b.reason
            ))
            .into());
        }
    }
    let delimiter = opts.delimiter.unwrap_or_else(|| {
        if tab {
            b'\t'
        } else {
            sniff_delimiter(&decoded.text)
        }
    });

    // The header is the first record with at least two non-empty fields: lines above it are titles.
    let mut rdr = reader(&decoded.text, delimiter);
    let mut rec = csv::StringRecord::new();
    let mut firsts: Vec<(u64, Vec<String>)> = Vec::new();
    let mut lines = LineCounter::new();
    while firsts.len() < 10 {
        match rdr.read_record(&mut rec) {
            Ok(true) => {
                let off = rec.position().map(|p| p.byte() as usize).unwrap_or(0);
                let line = lines.line_at(&decoded.text, off);
                firsts.push((line, rec.iter().map(|s| s.to_string()).collect()));
            }
            Ok(false) => break,
            Err(e) => return Err(csv_error(name, &e)),
        }
    }
    let non_empty = |f: &Vec<String>| f.iter().filter(|s| !s.trim().is_empty()).count();
    let header_idx = if firsts.iter().any(|(_, f)| non_empty(f) >= 2) {
        firsts
            .iter()
            .position(|(_, f)| non_empty(f) >= 2)
            .unwrap_or(0)
    } else {
        0
    };
    let (header_line, headers) = firsts[header_idx].clone();
    let mut notes = Vec::new();
    if header_idx > 0 {
        notes.push(format!(
            "skipped {header_idx} title line(s) above the header at line {header_line}"
        ));
    }
    if !decoded.bad.is_empty() {
        notes.push(format!(
            "{} bad byte sequence(s) in the text (first at line {}, column {})",
            decoded.bad.len(),
            decoded.bad[0].line,
            decoded.bad[0].column
        ));
    }
    let unterminated = find_unterminated_quote(&decoded.text, delimiter);
    let info = SourceInfo {
        path: path.to_string(),
        label: path.to_string(),
        format: if delimiter == b'\t' { "tsv" } else { "csv" },
        encoding: Some(enc.label()),
        delimiter: Some(delimiter_name(delimiter)),
        sheet: None,
        sheets: Vec::new(),
        header_row: header_line,
        headers: headers.clone(),
        bytes: total_bytes,
        notes,
    };
    let body = CsvBody {
        text: decoded.text,
        delimiter,
        width: headers.len(),
        header_line,
        skip_records: header_idx + 1,
        bad: decoded.bad,
        unterminated,
        lenient: opts.lenient,
    };
    if !opts.lenient {
        if let Some((_, line, col)) = body.unterminated {
            if line <= header_line {
                return Err(StewardError::data(format!(
                    "{name}: line {line}, column {col}: unterminated quote in the header"
                ))
                .into());
            }
        }
    }
    Ok(Source {
        info,
        body: Body::Csv(Box::new(body)),
    })
}

fn csv_error(name: &str, e: &csv::Error) -> anyhow::Error {
    let at = e
        .position()
        .map(|p| format!("line {}: ", p.line()))
        .unwrap_or_default();
    StewardError::data(format!("{name}: {at}malformed CSV: {e}")).into()
}

/// The quote that opens a quoted field and is never closed, if any (it swallows the rest of the file).
/// Follows the CSV rules the reader uses: a quote opens a field only at its start; `""` inside is an escape.
/// Jumps from quote to quote, so the cost follows the number of quotes, not the size of the file.
fn find_unterminated_quote(text: &str, delimiter: u8) -> Option<(usize, u64, u64)> {
    let b = text.as_bytes();
    let mut quotes = memchr::memchr_iter(b'"', b);
    let mut open_at: Option<usize> = None;
    while let Some(i) = quotes.next() {
        match open_at {
            None => {
                let at_field_start =
                    i == 0 || matches!(b[i - 1], b'\n' | b'\r') || b[i - 1] == delimiter;
                if at_field_start {
                    open_at = Some(i);
                }
            }
            Some(_) => {
                if b.get(i + 1) == Some(&b'"') {
                    // An escaped quote: skip its second half.
                    quotes.next();
                } else {
                    open_at = None;
                }
            }
        }
    }
    let off = open_at?;
    let line = memchr::memchr_iter(b'\n', &b[..off]).count() as u64 + 1;
    let line_start = memchr::memrchr(b'\n', &b[..off])
        .map(|p| p + 1)
        .unwrap_or(0);
    Some((off, line, text[line_start..off].chars().count() as u64 + 1))
}

impl CsvBody {
    /// Visit every record. An unterminated quote would swallow the rest of the file; with `--lenient` only the
    /// lines up to the one holding the stray quote are rejected, and reading resumes on the next line.
    pub(crate) fn for_each(
        &self,
        info: &SourceInfo,
        f: &mut dyn FnMut(Item<'_>) -> Result<()>,
    ) -> Result<()> {
        let name = shown(&info.path);
        let mut seg_start = 0usize;
        let mut skip = self.skip_records;
        let mut unterminated = self.unterminated;
        let mut bad_i = 0usize;
        let mut rec = csv::ByteRecord::new();
        let mut lines = LineCounter::new();
        'segments: loop {
            let seg = &self.text[seg_start..];
            let mut rdr = reader(seg, self.delimiter);
            let careful = !self.bad.is_empty() || unterminated.is_some();
            loop {
                match rdr.read_byte_record(&mut rec) {
                    Ok(true) => {}
                    Ok(false) => break 'segments,
                    Err(e) => return Err(csv_error(name, &e)),
                }
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let pos = rec.position().cloned().unwrap_or_else(csv::Position::new);
                let mut start = seg_start + pos.byte() as usize;
                let line = lines.line_at(&self.text, start);
                while start < self.text.len()
                    && matches!(self.text.as_bytes()[start], b'\r' | b'\n')
                {
                    start += 1;
                }
                let end = (seg_start + rdr.position().byte() as usize).max(start);
                let mut reason: Option<String> = None;
                if careful {
                    if let Some((off, ql, qc)) = unterminated {
                        if off >= start && off < end.max(start + 1) {
                            let r = format!(
                                "unterminated quote: the quoted field opened at line {ql}, column {qc} is never closed"
                            );
                            if !self.lenient {
                                return Err(StewardError::data(format!(
                                    "{name}: line {line}: {r}, so it runs to the end of the file"
                                ))
                                .into());
                            }
                            // Reject through the end of the quote's line, then read on from the next line.
                            let line_end = self.text[off..]
                                .find('\n')
                                .map(|i| off + i + 1)
                                .unwrap_or(self.text.len());
                            let raw = self.text[start..line_end]
                                .trim_end_matches(['\r', '\n'])
                                .to_string();
                            f(Item::Reject(Reject {
                                row: line,
                                reason: format!("{r}; this row was set aside and reading went on at the next line"),
                                raw,
                            }))?;
                            seg_start = line_end;
                            lines = LineCounter {
                                pos: line_end,
                                line: ql + 1,
                            };
                            unterminated =
                                find_unterminated_quote(&self.text[seg_start..], self.delimiter)
                                    .map(|(o, l, c)| (o + seg_start, l + ql, c));
                            continue 'segments;
                        }
                    }
                    let raw = &self.text[start..end];
                    let end_line =
                        line + raw.trim_end_matches(['\r', '\n']).matches('\n').count() as u64;
                    while bad_i < self.bad.len() && self.bad[bad_i].line < line {
                        bad_i += 1;
                    }
                    if bad_i < self.bad.len() && self.bad[bad_i].line <= end_line {
                        let b = &self.bad[bad_i];
                        reason = Some(format!("column {}: {}", b.column, b.reason));
                    }
                }
                let n = rec.len();
                let mut fields: Vec<&str> = rec.iter().map(utf8_field).collect();
                if reason.is_none() && n != self.width {
                    if n > self.width && fields[self.width..].iter().all(|s| s.trim().is_empty()) {
                        // Trailing empty fields (a stray delimiter at the end of the line) lose nothing.
                        fields.truncate(self.width);
                    } else if n > self.width {
                        reason = Some(format!(
                            "expected {} fields as in the header (line {}), found {n}: field {} onwards is extra",
                            self.width,
                            self.header_line,
                            self.width + 1
                        ));
                    } else {
                        reason = Some(format!(
                            "expected {} fields as in the header (line {}), found {n}: fields {} to {} are missing",
                            self.width,
                            self.header_line,
                            n + 1,
                            self.width
                        ));
                    }
                }
                match reason {
                    None => f(Item::Row(RowRef {
                        row: line,
                        fields: &fields,
                    }))?,
                    Some(r) => {
                        if !self.lenient {
                            return Err(
                                StewardError::data(format!("{name}: line {line}: {r}")).into()
                            );
                        }
                        let raw = self.text[start..end]
                            .trim_end_matches(['\r', '\n'])
                            .to_string();
                        f(Item::Reject(Reject {
                            row: line,
                            reason: r,
                            raw,
                        }))?;
                    }
                }
            }
        }
        Ok(())
    }
}

//! CSV and TSV sources: encoding and delimiter sniffed, title lines above the header skipped, and every
//! malformed record (wrong field count, unterminated quote, bad bytes) named by line, or rejected with `--lenient`.

use anyhow::Result;
use std::io::Read;

use super::sniff::{decode_owned, detect_encoding, sniff_delimiter, BadSpot, TextEncoding};
use super::source::{Item, ReadOptions, Reject, RowRef, SourceInfo};
use crate::error::StewardError;

pub(crate) struct CsvBody {
    text: String,
    /// The line on which `text` starts (1, or later for a chunk of a streamed file).
    first_line: u64,
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

/// What the start of a CSV text says: delimiter, header line and the records above it, and notes.
struct Preamble {
    delimiter: u8,
    header_idx: usize,
    header_line: u64,
    headers: Vec<String>,
    notes: Vec<String>,
}

fn strict_decode_error(name: &str, enc: TextEncoding, b: &BadSpot) -> anyhow::Error {
    let hint = if enc.how == "given" {
        "check --encoding".to_string()
    } else if enc.how == "utf-8" {
        let guess = enc
            .legacy_guess
            .map(|g| {
                format!(
                    " (the nearest legacy guess is --encoding {})",
                    g.name().to_ascii_lowercase()
                )
            })
            .unwrap_or_default();
        format!(
            "the file is UTF-8 except for a few byte sequences, so it was read as UTF-8; repair them, or pass --encoding with its real encoding if it is not UTF-8{guess}, or --lenient to reject such rows"
        )
    } else {
        format!(
            "it was read as {}; pass --encoding with the right one, or --lenient to reject such rows",
            enc.label()
        )
    };
    StewardError::data(format!(
        "{name}: line {}, column {}: {} ({hint})",
        b.line, b.column, b.reason
    ))
    .into()
}

fn choose_encoding(bytes: &[u8], opts: &ReadOptions) -> TextEncoding {
    match opts.encoding {
        Some(e) => {
            let bom_len = match encoding_rs::Encoding::for_bom(bytes) {
                Some((b, len)) if b == e => len,
                _ => 0,
            };
            TextEncoding {
                encoding: e,
                bom_len,
                how: "given",
                legacy_guess: None,
            }
        }
        None => detect_encoding(bytes),
    }
}

/// Sniff the delimiter and find the header in decoded text (the whole file, or its first records).
fn preamble(
    text: &str,
    bad: &[BadSpot],
    name: &str,
    opts: &ReadOptions,
    tab: bool,
) -> Result<Preamble> {
    let delimiter = opts
        .delimiter
        .unwrap_or_else(|| if tab { b'\t' } else { sniff_delimiter(text) });
    // The header is the first record with at least two non-empty fields: lines above it are titles.
    let mut rdr = reader(text, delimiter);
    let mut rec = csv::StringRecord::new();
    let mut firsts: Vec<(u64, Vec<String>)> = Vec::new();
    let mut lines = LineCounter::new();
    while firsts.len() < 10 {
        match rdr.read_record(&mut rec) {
            Ok(true) => {
                let off = rec.position().map(|p| p.byte() as usize).unwrap_or(0);
                let line = lines.line_at(text, off);
                firsts.push((line, rec.iter().map(|s| s.to_string()).collect()));
            }
            Ok(false) => break,
            Err(e) => return Err(csv_error(name, &e)),
        }
    }
    if firsts.is_empty() {
        return Err(StewardError::data(format!(
            "{name}: the file has no header and no data (only blank lines)"
        ))
        .into());
    }
    let non_empty = |f: &Vec<String>| f.iter().filter(|s| !s.trim().is_empty()).count();
    let header_idx = firsts
        .iter()
        .position(|(_, f)| non_empty(f) >= 2)
        .unwrap_or(0);
    let (header_line, headers) = firsts[header_idx].clone();
    let mut notes = Vec::new();
    if header_idx > 0 {
        notes.push(format!(
            "skipped {header_idx} title line(s) above the header at line {header_line}"
        ));
    }
    if !bad.is_empty() {
        notes.push(format!(
            "{} bad byte sequence(s) in the text (first at line {}, column {})",
            bad.len(),
            bad[0].line,
            bad[0].column
        ));
    }
    Ok(Preamble {
        delimiter,
        header_idx,
        header_line,
        headers,
        notes,
    })
}

fn source_info(path: &str, p: &Preamble, enc: TextEncoding, total_bytes: u64) -> SourceInfo {
    SourceInfo {
        path: path.to_string(),
        label: path.to_string(),
        format: if p.delimiter == b'\t' { "tsv" } else { "csv" },
        encoding: Some(enc.label()),
        lost_digits: Vec::new(),
        encoding_how: Some(if enc.how == "given" {
            "given"
        } else {
            "detected"
        }),
        delimiter: Some(delimiter_name(p.delimiter)),
        sheet: None,
        sheets: Vec::new(),
        header_row: p.header_line,
        headers: p.headers.clone(),
        bytes: total_bytes,
        digest: Default::default(),
        notes: p.notes.clone(),
    }
}

fn header_quote_check(
    name: &str,
    unterminated: Option<(usize, u64, u64)>,
    header_line: u64,
) -> Result<()> {
    if let Some((_, line, col)) = unterminated {
        if line <= header_line {
            return Err(StewardError::data(format!(
                "{name}: line {line}, column {col}: unterminated quote in the header"
            ))
            .into());
        }
    }
    Ok(())
}

pub(crate) fn read_csv(
    bytes: Vec<u8>,
    path: &str,
    opts: &ReadOptions,
    tab: bool,
) -> Result<(SourceInfo, CsvBody)> {
    let name = shown(path);
    let enc = choose_encoding(&bytes, opts);
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
            return Err(strict_decode_error(name, enc, b));
        }
    }
    let pre = preamble(&decoded.text, &decoded.bad, name, opts, tab)?;
    let unterminated = find_unterminated_quote(&decoded.text, pre.delimiter);
    let info = source_info(path, &pre, enc, total_bytes);
    if !opts.lenient {
        header_quote_check(name, unterminated, pre.header_line)?;
    }
    let body = CsvBody {
        text: decoded.text,
        first_line: 1,
        delimiter: pre.delimiter,
        width: pre.headers.len(),
        header_line: pre.header_line,
        skip_records: pre.header_idx + 1,
        bad: decoded.bad,
        unterminated,
        lenient: opts.lenient,
    };
    Ok((info, body))
}

/// How much of a streamed file is decoded and parsed at a time.
const STREAM_CHUNK: usize = 8 << 20;

/// The end of the last complete record in `b`: just past a line feed that is outside quotes, by the
/// reader's rules (a quote opens a field only at its start; `""` inside is an escape).
fn record_cut(b: &[u8], delimiter: u8) -> Option<usize> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut quotes = memchr::memchr_iter(b'"', b);
    let mut open_at: Option<usize> = None;
    while let Some(i) = quotes.next() {
        match open_at {
            None => {
                if i == 0 || matches!(b[i - 1], b'\n' | b'\r') || b[i - 1] == delimiter {
                    open_at = Some(i);
                }
            }
            Some(o) => {
                if b.get(i + 1) == Some(&b'"') {
                    quotes.next();
                } else {
                    spans.push((o, i));
                    open_at = None;
                }
            }
        }
    }
    if let Some(o) = open_at {
        spans.push((o, usize::MAX));
    }
    let mut end = b.len();
    loop {
        let nl = memchr::memrchr(b'\n', &b[..end])?;
        let k = spans.partition_point(|&(o, _)| o < nl);
        if k > 0 && spans[k - 1].1 > nl {
            end = spans[k - 1].0;
            continue;
        }
        return Some(nl + 1);
    }
}

/// Line breaks in a text: LF, and CR not followed by LF.
fn count_lines(text: &str) -> u64 {
    count_lines_bytes(text.as_bytes())
}

/// Fill `buf` from `r` until it holds at least `want` bytes or the input ends; true at the end.
fn fill(r: &mut dyn Read, buf: &mut Vec<u8>, want: usize, name: &str) -> Result<bool> {
    buf.reserve(want.saturating_sub(buf.len()));
    while buf.len() < want {
        let n = match r.take((want - buf.len()) as u64).read_to_end(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(StewardError::no_input(format!("{name}: cannot read: {e}")).into())
            }
        };
        if n == 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Bytes read ahead (the head used for sniffing) and the reader of the rest.
type Pending = (Vec<u8>, Box<dyn Read + Send>);

/// A CSV file read in chunks of whole records: memory stays flat whatever the file's size.
pub(crate) struct StreamBody {
    /// Bytes read but not yet parsed, and the rest of the input; taken by the one pass.
    input: std::sync::Mutex<Option<Pending>>,
    enc: TextEncoding,
    delimiter: u8,
    width: usize,
    header_line: u64,
    skip_records: usize,
    lenient: bool,
    /// Bytes parsed at a time (STREAM_CHUNK; small in tests to cross many chunk boundaries).
    chunk: usize,
}

/// Open a large CSV as a stream. `head` holds the first bytes read from `rest` (at least a few megabytes
/// unless the input is shorter); the preamble is sniffed from its complete records.
pub(crate) fn read_csv_stream(
    head: Vec<u8>,
    rest: Box<dyn Read + Send>,
    total_bytes: u64,
    path: &str,
    opts: &ReadOptions,
    tab: bool,
) -> Result<(SourceInfo, StreamBody)> {
    let name = shown(path);
    // Complete records only: a character cut by the end of the head must not look like a bad byte.
    let cut = record_cut(&head, opts.delimiter.unwrap_or(b',')).unwrap_or(head.len());
    let enc = choose_encoding(&head[..cut], opts);
    let sample = decode_owned(head[..cut].to_vec(), enc);
    if !opts.lenient {
        if let Some(b) = sample.bad.first() {
            return Err(strict_decode_error(name, enc, b));
        }
    }
    let pre = preamble(&sample.text, &sample.bad, name, opts, tab)?;
    if !opts.lenient {
        header_quote_check(
            name,
            find_unterminated_quote(&sample.text, pre.delimiter),
            pre.header_line,
        )?;
    }
    let mut info = source_info(path, &pre, enc, total_bytes);
    info.notes.retain(|n| !n.contains("bad byte sequence"));
    Ok((
        info,
        StreamBody {
            input: std::sync::Mutex::new(Some((head, rest))),
            enc,
            delimiter: pre.delimiter,
            width: pre.headers.len(),
            header_line: pre.header_line,
            skip_records: pre.header_idx + 1,
            lenient: opts.lenient,
            chunk: STREAM_CHUNK,
        },
    ))
}

/// Whole records of a streamed file, not yet decoded, with the line the first of them starts on.
#[derive(Clone)]
pub(crate) struct RawPiece {
    bytes: Vec<u8>,
    first_line: u64,
    /// The start of the file: it holds the byte-order mark and the header.
    first: bool,
}

impl RawPiece {
    /// The raw bytes of the piece, as in the file (a rewrite copies them).
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub(crate) fn first_line(&self) -> u64 {
        self.first_line
    }
}

impl StreamBody {
    pub(crate) fn for_each(
        &self,
        info: &SourceInfo,
        f: &mut dyn FnMut(Item<'_>) -> Result<()>,
    ) -> Result<()> {
        let pool = crate::io::write::BufferPool::default();
        self.cut(info, self.chunk, &pool, &mut |piece| {
            pool.give(self.parse(info, piece, f)?);
            Ok(())
        })
    }

    /// Cut the input into pieces of about `size` bytes of whole records, in order. Lines are counted on the
    /// raw bytes: exact for every streamed encoding, since none of them uses a line-break byte inside another
    /// character (UTF-16 files are read whole). Pieces can then be parsed on any thread.
    pub(crate) fn cut(
        &self,
        info: &SourceInfo,
        size: usize,
        pool: &crate::io::write::BufferPool,
        f: &mut dyn FnMut(RawPiece) -> Result<()>,
    ) -> Result<()> {
        let name = shown(&info.path);
        let taken = self
            .input
            .lock()
            .map_err(|_| {
                StewardError::new(crate::error::ExitCode::Software, "input lock poisoned")
            })?
            .take();
        let Some((mut carry, mut rest)) = taken else {
            return Err(StewardError::new(
                crate::error::ExitCode::Software,
                format!("{name}: a streamed input can be read only once"),
            )
            .into());
        };
        let mut first = true;
        let mut next_line = 1u64;
        let mut want = size;
        // The file's digest for the manifest, taken in passing: the bytes are in the cache now.
        let mut digest = (info.path != "-").then(crate::io::digest::Hasher::default);
        loop {
            let eof = fill(rest.as_mut(), &mut carry, want, name)?;
            let cut = if eof {
                carry.len()
            } else {
                match record_cut(&carry, self.delimiter) {
                    Some(c) => c,
                    None => {
                        // One record longer than the piece (or an open quote): read more.
                        want = carry.len() * 2;
                        continue;
                    }
                }
            };
            want = size;
            let mut next = pool.take(size + (1 << 16));
            next.extend_from_slice(&carry[cut..]);
            carry.truncate(cut);
            let bytes = std::mem::replace(&mut carry, next);
            let lines = count_lines_bytes(&bytes);
            if let Some(h) = &mut digest {
                h.update(&bytes);
            }
            f(RawPiece {
                bytes,
                first_line: next_line,
                first,
            })?;
            first = false;
            next_line += lines;
            if eof && carry.is_empty() {
                if let Some(h) = digest {
                    info.digest
                        .set(std::path::Path::new(&info.path), h.finish());
                }
                return Ok(());
            }
        }
    }

    /// Decode and parse one piece cut by `cut`, with the same checks and line numbers as reading it whole.
    /// Gives back its buffer for reuse.
    pub(crate) fn parse(
        &self,
        info: &SourceInfo,
        piece: RawPiece,
        f: &mut dyn FnMut(Item<'_>) -> Result<()>,
    ) -> Result<Vec<u8>> {
        let name = shown(&info.path);
        let next_line = piece.first_line;
        let enc = TextEncoding {
            bom_len: if piece.first { self.enc.bom_len } else { 0 },
            ..self.enc
        };
        let mut decoded = decode_owned(piece.bytes, enc);
        for b in &mut decoded.bad {
            b.line += next_line - 1;
        }
        if !self.lenient {
            if let Some(b) = decoded.bad.first() {
                return Err(strict_decode_error(name, self.enc, b));
            }
        }
        let unterminated = find_unterminated_quote(&decoded.text, self.delimiter)
            .map(|(o, l, c)| (o, l + next_line - 1, c));
        let body = CsvBody {
            text: decoded.text,
            first_line: next_line,
            delimiter: self.delimiter,
            width: self.width,
            header_line: self.header_line,
            skip_records: if piece.first { self.skip_records } else { 0 },
            bad: decoded.bad,
            unterminated,
            lenient: self.lenient,
        };
        body.for_each(info, f)?;
        Ok(body.text.into_bytes())
    }
}

/// Line breaks in `b[from..to]`: LF, and CR not followed by LF (looking past `to`, so a CRLF cut after its
/// CR counts once, at its LF).
fn line_breaks(b: &[u8], from: usize, to: usize) -> u64 {
    let span = &b[from..to];
    let lf = memchr::memchr_iter(b'\n', span).count();
    let lone_cr = memchr::memchr_iter(b'\r', span)
        .filter(|&i| b.get(from + i + 1) != Some(&b'\n'))
        .count();
    (lf + lone_cr) as u64
}

/// Line breaks in raw bytes of an ASCII-compatible encoding: LF, and CR not followed by LF.
fn count_lines_bytes(b: &[u8]) -> u64 {
    let lf = memchr::memchr_iter(b'\n', b).count();
    let lone_cr = memchr::memchr_iter(b'\r', b)
        .filter(|&i| b.get(i + 1) != Some(&b'\n'))
        .count();
    (lf + lone_cr) as u64
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
    // Lines counted as the reader counts them: LF, and CR not followed by LF.
    let line = count_lines(&text[..off]) + 1;
    let line_start = memchr::memrchr2(b'\n', b'\r', &b[..off])
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
        if self.bad.is_empty() && self.unterminated.is_none() && self.delimiter.is_ascii() {
            return self.for_each_lines(name, self.skip_records, f);
        }
        self.for_each_csv(name, f)
    }

    /// Every record by the CSV reader, with the checks for bad bytes and unterminated quotes.
    fn for_each_csv(&self, name: &str, f: &mut dyn FnMut(Item<'_>) -> Result<()>) -> Result<()> {
        let mut seg_start = 0usize;
        let mut skip = self.skip_records;
        let mut unterminated = self.unterminated;
        let mut bad_i = 0usize;
        let mut rec = csv::ByteRecord::new();
        let mut lines = LineCounter {
            pos: 0,
            line: self.first_line,
        };
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
                let mut fields: Vec<&str> = rec.iter().map(utf8_field).collect();
                self.emit(name, line, start, end, &mut fields, reason, f)?;
            }
        }
        Ok(())
    }

    /// Most records of most exports have no quotes and end in LF or CRLF: each such line is split at its
    /// delimiters directly. Any other record (quoted fields, line breaks inside quotes, a lone CR) is read
    /// by the CSV reader from where it starts, and splitting goes on after it. Same records, lines and
    /// rejects as the reader alone (empty lines skipped), at about half the cost; a test holds them equal.
    fn for_each_lines(
        &self,
        name: &str,
        mut skip: usize,
        f: &mut dyn FnMut(Item<'_>) -> Result<()>,
    ) -> Result<()> {
        let text = self.text.as_str();
        let b = text.as_bytes();
        let mut fields: Vec<&str> = Vec::with_capacity(self.width + 1);
        let mut core = csv_core::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .build();
        let (mut out, mut ends) = (vec![0u8; 4096], vec![0usize; 64]);
        // Primed with an empty line: it strips a byte-order mark only at the start of its input, and this
        // text's mark (if any) is gone already.
        let _ = core.read_record(b"\n", &mut out, &mut ends);
        let mut line = self.first_line;
        let mut pos = 0usize;
        while pos < b.len() {
            // Empty lines (LF, CRLF or a lone CR) hold no record.
            match b[pos] {
                b'\n' => {
                    line += 1;
                    pos += 1;
                    continue;
                }
                b'\r' => {
                    line += 1;
                    pos += if b.get(pos + 1) == Some(&b'\n') { 2 } else { 1 };
                    continue;
                }
                _ => {}
            }
            let end = memchr::memchr(b'\n', &b[pos..])
                .map(|i| pos + i + 1)
                .unwrap_or(b.len());
            let mut record = &text[pos..end];
            record = record.strip_suffix('\n').unwrap_or(record);
            record = record.strip_suffix('\r').unwrap_or(record);
            if record.is_empty() {
                line += 1;
                pos = end;
                continue;
            }
            let emit = skip == 0;
            skip = skip.saturating_sub(1);
            let (rec_end, lines) = if memchr::memchr2(b'"', b'\r', record.as_bytes()).is_none() {
                if emit {
                    fields.clear();
                    let mut from = 0;
                    for at in memchr::memchr_iter(self.delimiter, record.as_bytes()) {
                        fields.push(&record[from..at]);
                        from = at + 1;
                    }
                    fields.push(&record[from..]);
                    self.emit(name, line, pos, end, &mut fields, None, f)?;
                }
                (end, 1)
            } else {
                // One record by the CSV state machine, read in place from where it starts.
                let input = &b[pos..];
                let (mut nin, mut nout, mut nend) = (0usize, 0usize, 0usize);
                loop {
                    let (res, i, o, e) =
                        core.read_record(&input[nin..], &mut out[nout..], &mut ends[nend..]);
                    nin += i;
                    nout += o;
                    nend += e;
                    match res {
                        csv_core::ReadRecordResult::InputEmpty => {}
                        csv_core::ReadRecordResult::OutputFull => out.resize(out.len() * 2, 0),
                        csv_core::ReadRecordResult::OutputEndsFull => {
                            ends.resize(ends.len() * 2, 0)
                        }
                        csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => {
                            break
                        }
                    }
                }
                let rec_end = (pos + nin).clamp(pos + 1, b.len());
                if emit {
                    let mut quoted: Vec<&str> = Vec::with_capacity(nend);
                    let mut from = 0;
                    for &to in &ends[..nend] {
                        quoted.push(utf8_field(&out[from..to]));
                        from = to;
                    }
                    self.emit(name, line, pos, rec_end, &mut quoted, None, f)?;
                }
                (rec_end, line_breaks(b, pos, rec_end))
            };
            line += lines;
            pos = rec_end;
        }
        Ok(())
    }

    /// A record read: given to `f` as a row, or as a reject when its width (or an earlier reason) says so.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &self,
        name: &str,
        line: u64,
        start: usize,
        end: usize,
        fields: &mut Vec<&str>,
        mut reason: Option<String>,
        f: &mut dyn FnMut(Item<'_>) -> Result<()>,
    ) -> Result<()> {
        let n = fields.len();
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
                fields,
                label: None,
            }))?,
            Some(r) => {
                if !self.lenient {
                    return Err(StewardError::data(format!("{name}: line {line}: {r}")).into());
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
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn long_quoted_records_read_whole() {
        let long = "x".repeat(10_000);
        let many = vec!["\"a\"\"b\""; 100].join(",");
        let text = format!("a,\"{long}\"\r\n{many}\nplain,1\n");
        let body = CsvBody {
            text,
            first_line: 1,
            delimiter: b',',
            width: 2,
            header_line: 1,
            skip_records: 0,
            bad: Vec::new(),
            unterminated: None,
            lenient: true,
        };
        let mut seen = Vec::new();
        body.for_each_lines("t.csv", 0, &mut |item| {
            seen.push(match item {
                Item::Row(r) => (
                    r.row,
                    r.fields.iter().map(|f| f.len()).sum::<usize>(),
                    r.fields.len(),
                ),
                Item::Reject(r) => (r.row, 0, 0),
            });
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, vec![(1, 10_001, 2), (2, 0, 0), (3, 6, 2)]);
    }

    proptest! {
        /// Lines split directly give what the CSV reader gives: rows, line numbers, widths and rejects.
        #[test]
        fn lines_read_as_the_csv_reader_reads_them(
            text in proptest::collection::vec(
                prop_oneof![9 => "[a-c;,|\t \u{4E2D}\n\r]", 1 => Just("\"".to_string())], 0..60)
                .prop_map(|v| v.concat()),
            width in 1usize..4,
            skip in 0usize..2,
            tab in proptest::bool::ANY,
        ) {
            let delimiter = if tab { b'\t' } else { b',' };
            prop_assume!(find_unterminated_quote(&text, delimiter).is_none());
            let body = CsvBody {
                text: text.clone(),
                first_line: 3,
                delimiter,
                width,
                header_line: 2,
                skip_records: skip,
                bad: Vec::new(),
                unterminated: None,
                lenient: true,
            };
            let run = |plain: bool| -> Vec<String> {
                let mut out = Vec::new();
                let mut f = |item: Item<'_>| {
                    out.push(match item {
                        Item::Row(r) => format!("row {} {:?}", r.row, r.fields),
                        Item::Reject(r) => format!("reject {} {} {:?}", r.row, r.reason, r.raw),
                    });
                    Ok(())
                };
                if plain {
                    body.for_each_lines("t.csv", skip, &mut f).unwrap();
                } else {
                    body.for_each_csv("t.csv", &mut f).unwrap();
                }
                out
            };
            prop_assert_eq!(run(true), run(false));
        }
    }

    /// Every item a body yields as text: rows with their line and fields, rejects with line and reason.
    fn items(
        for_each: impl FnOnce(&mut dyn FnMut(Item<'_>) -> Result<()>) -> Result<()>,
    ) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for_each(&mut |item| {
            out.push(match item {
                Item::Row(r) => format!("row {} {:?}", r.row, r.fields),
                Item::Reject(r) => format!("reject {} {} {:?}", r.row, r.reason, r.raw),
            });
            Ok(())
        })?;
        Ok(out)
    }

    fn streamed(bytes: &[u8], opts: &ReadOptions, chunk: usize) -> Result<Vec<String>> {
        let head_len = bytes.len().min(chunk.max(64));
        let (info, s) = read_csv_stream(
            bytes[..head_len].to_vec(),
            Box::new(std::io::Cursor::new(bytes[head_len..].to_vec())),
            bytes.len() as u64,
            "t.csv",
            opts,
            false,
        )?;
        let small = StreamBody {
            input: std::sync::Mutex::new(s.input.lock().unwrap().take()),
            enc: s.enc,
            delimiter: s.delimiter,
            width: s.width,
            header_line: s.header_line,
            skip_records: s.skip_records,
            lenient: s.lenient,
            chunk,
        };
        items(|f| small.for_each(&info, f))
    }

    fn whole(bytes: &[u8], opts: &ReadOptions) -> Result<Vec<String>> {
        let (info, body) = read_csv(bytes.to_vec(), "t.csv", opts, false)?;
        items(|f| body.for_each(&info, f))
    }

    #[test]
    fn record_cut_never_splits_a_quoted_field() {
        let b = b"a,b\n1,\"x\ny\"\n2,\"open\n";
        assert_eq!(record_cut(b, b','), Some(12));
        assert_eq!(record_cut(b"no line break", b','), None);
        assert_eq!(record_cut(b"a,\"\"\"q\n\"\n", b','), Some(9));
    }

    #[test]
    fn streaming_reports_the_same_lines_as_whole_reading() {
        let text = "title line\n\nid,name,note\r\n1,a,\"multi\nline\"\r\n2,b,plain\n3,c\n4,d,\"x\"\"y\"\n5,e,z\n";
        let lenient = ReadOptions {
            lenient: true,
            ..ReadOptions::default()
        };
        for chunk in [1usize, 7, 16, 64, 4096] {
            assert_eq!(
                streamed(text.as_bytes(), &lenient, chunk).unwrap(),
                whole(text.as_bytes(), &lenient).unwrap(),
                "chunk {chunk}"
            );
            let e1 = streamed(text.as_bytes(), &ReadOptions::default(), chunk).unwrap_err();
            let e2 = whole(text.as_bytes(), &ReadOptions::default()).unwrap_err();
            assert_eq!(e1.to_string(), e2.to_string());
        }
    }

    #[test]
    fn streaming_finds_bad_bytes_and_decodes_gbk_like_whole_reading() {
        let mut bytes = b"id,name\n".to_vec();
        for i in 0..50 {
            bytes.extend_from_slice(format!("{i},plain\n").as_bytes());
        }
        bytes.extend_from_slice(b"99,bad \xff byte\n100,after\n");
        let utf8 = ReadOptions {
            encoding: Some(encoding_rs::UTF_8),
            ..ReadOptions::default()
        };
        let lenient = ReadOptions {
            lenient: true,
            ..utf8.clone()
        };
        for chunk in [8usize, 100, 1000] {
            let e1 = streamed(&bytes, &utf8, chunk).unwrap_err().to_string();
            let e2 = whole(&bytes, &utf8).unwrap_err().to_string();
            assert_eq!(e1, e2);
            assert!(e1.contains("line 52"), "{e1}");
            assert_eq!(
                streamed(&bytes, &lenient, chunk).unwrap(),
                whole(&bytes, &lenient).unwrap()
            );
        }
        let (gbk, _, _) = encoding_rs::GBK.encode("编号,姓名\n1,张伟\n2,\"李\n娜\"\n3,王芳\n");
        let opts = ReadOptions {
            encoding: Some(encoding_rs::GB18030),
            ..ReadOptions::default()
        };
        for chunk in [4usize, 9, 64] {
            assert_eq!(
                streamed(&gbk, &opts, chunk).unwrap(),
                whole(&gbk, &opts).unwrap()
            );
        }
    }

    proptest! {
        #[test]
        fn streaming_equals_whole_reading(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-c,\"\n\r é张]{0,6}", 3),
                1..30,
            ),
            chunk in 1usize..200,
        ) {
            let mut text = String::from("h1,h2,h3\n");
            for r in &rows {
                let cells: Vec<String> = r
                    .iter()
                    .map(|c| {
                        if c.contains([',', '"', '\n', '\r']) {
                            format!("\"{}\"", c.replace('"', "\"\""))
                        } else {
                            c.clone()
                        }
                    })
                    .collect();
                text.push_str(&cells.join(","));
                text.push('\n');
            }
            // Some raw noise too: stray quotes and short rows, read leniently.
            text.push_str("x,\"unclosed\n");
            // The encoding is given: a tiny head is too little text to detect it from.
            let opts = ReadOptions {
                lenient: true,
                encoding: Some(encoding_rs::UTF_8),
                ..ReadOptions::default()
            };
            let a = streamed(text.as_bytes(), &opts, chunk);
            let b = whole(text.as_bytes(), &opts);
            prop_assert_eq!(a.map_err(|e| e.to_string()), b.map_err(|e| e.to_string()));
        }
    }
}

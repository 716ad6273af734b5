//! Rewriting a source without its erased records, in its own format: a CSV file by copying the raw bytes of
//! every kept record (encoding, delimiter, quoting, line endings and byte-order mark stay as they were), a
//! workbook sheet by sheet with typed cells; and the small set of staged files that appear together or not at all.

use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::digest::Digest;
use super::read::Source;
use super::source::Item;
use crate::error::StewardError;

/// What becomes of one record of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordAction {
    Keep,
    Remove,
    /// Kept, with each `found` text of a field replaced by the marker.
    Redact(Vec<Redaction>),
}

/// An identifier found inside a field, to be replaced where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    pub col: usize,
    pub found: String,
}

/// Decides record by record what a rewrite keeps. It is shown the first records first (`sample`, until it
/// returns false or they run out), so it can learn what its columns hold before it judges any.
pub trait RecordJudge {
    fn sample(&mut self, fields: &[&str]) -> bool;
    fn judge(&mut self, row: u64, fields: &[&str]) -> Result<RecordAction>;
}

/// Bytes a streamed CSV is cut into for the rewrite.
const PIECE: usize = 8 << 20;

/// The source's text encoding, from the label its reader gave it.
fn encoding_of(src: &Source) -> &'static encoding_rs::Encoding {
    let label = src.info.encoding.as_deref().unwrap_or("UTF-8");
    let label = label.trim_end_matches(" (BOM)");
    let label = if label == "GBK/GB18030" {
        "gb18030"
    } else {
        label
    };
    encoding_rs::Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::UTF_8)
}

/// Finds where lines start in raw bytes: a line ends at LF, or at a CR not followed by LF, as the CSV reader
/// counts them. `unit` is 2 for UTF-16 (`big`: big-endian), else 1 (every other encoding steward reads keeps
/// CR and LF out of its multi-byte characters). Offsets are asked in increasing line order.
struct LineCursor {
    pos: usize,
    line: u64,
    unit: usize,
    big: bool,
}

impl LineCursor {
    fn unit_at(&self, raw: &[u8], i: usize) -> Option<u16> {
        if self.unit == 1 {
            return raw.get(i).map(|&b| b as u16);
        }
        let b = raw.get(i..i + 2)?;
        Some(if self.big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    }

    fn offset_of(&mut self, raw: &[u8], line: u64) -> usize {
        while self.line < line && self.pos < raw.len() {
            if self.unit == 1 {
                match memchr::memchr2(b'\n', b'\r', &raw[self.pos..]) {
                    None => self.pos = raw.len(),
                    Some(i) => {
                        let at = self.pos + i;
                        self.pos = at + 1;
                        if raw[at] == b'\r' && raw.get(at + 1) == Some(&b'\n') {
                            continue;
                        }
                        self.line += 1;
                    }
                }
                continue;
            }
            let u = self.unit_at(raw, self.pos);
            self.pos += self.unit;
            match u {
                Some(0x0A) => self.line += 1,
                Some(0x0D) if self.unit_at(raw, self.pos) != Some(0x0A) => self.line += 1,
                _ => {}
            }
        }
        self.pos.min(raw.len())
    }
}

/// A record's raw bytes with each found identifier replaced by `marker`, in the record's own encoding.
fn redact_raw(
    raw: &[u8],
    enc: &'static encoding_rs::Encoding,
    subs: &[Redaction],
    marker: &str,
) -> Vec<u8> {
    let (text, _) = enc.decode_without_bom_handling(raw);
    let mut text = text.into_owned();
    for r in subs {
        if !r.found.is_empty() {
            text = text.replace(&r.found, marker);
        }
    }
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        let big = enc == encoding_rs::UTF_16BE;
        return text
            .encode_utf16()
            .flat_map(|u| {
                if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect();
    }
    enc.encode(&text).0.into_owned()
}

/// Write one chunk of raw records (starting on line `first_line`) without its removed records: kept bytes
/// are copied as they are, in runs between the records that change.
fn emit_chunk(
    raw: &[u8],
    first_line: u64,
    enc: &'static encoding_rs::Encoding,
    actions: &[(u64, RecordAction)],
    marker: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let utf16 = enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE;
    let mut cursor = LineCursor {
        pos: 0,
        line: first_line,
        unit: if utf16 { 2 } else { 1 },
        big: enc == encoding_rs::UTF_16BE,
    };
    let mut copied = 0usize;
    for (i, (line, action)) in actions.iter().enumerate() {
        if *action == RecordAction::Keep {
            continue;
        }
        let start = cursor.offset_of(raw, *line);
        // The record runs to where the next one starts (blank lines after it go with it).
        let end = match actions.get(i + 1) {
            Some((next, _)) => cursor.offset_of(raw, *next),
            None => raw.len(),
        };
        out.write_all(&raw[copied..start])?;
        if let RecordAction::Redact(subs) = action {
            out.write_all(&redact_raw(&raw[start..end], enc, subs, marker))?;
        }
        copied = end;
    }
    out.write_all(&raw[copied..])
}

/// The error that stops a sample pass early.
#[derive(Debug)]
struct SampleDone;
impl std::fmt::Display for SampleDone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("sample complete")
    }
}
impl std::error::Error for SampleDone {}

/// Offer a source's first records to `judge.sample` (a second reading of a whole body, which is cheap).
fn sample_rows(src: &Source, judge: &mut dyn RecordJudge) -> Result<()> {
    let r = src.for_each(|item| {
        if let Item::Row(r) = item {
            if !judge.sample(r.fields) {
                return Err(SampleDone.into());
            }
        }
        Ok(())
    });
    match r {
        Err(e) if e.downcast_ref::<SampleDone>().is_none() => Err(e),
        _ => Ok(()),
    }
}

/// Every record of a source judged, in order, with its row (line or sheet row).
pub fn judge_rows(src: &Source, judge: &mut dyn RecordJudge) -> Result<Vec<(u64, RecordAction)>> {
    sample_rows(src, judge)?;
    let mut actions = Vec::new();
    src.for_each(|item| {
        if let Item::Row(r) = item {
            actions.push((r.row, judge.judge(r.row, r.fields)?));
        }
        Ok(())
    })?;
    Ok(actions)
}

/// Rewrite a CSV source to `out` without its removed records. `raw` is the whole file as read, unless the
/// source streams (then its own pieces are copied). `out_name` names the output in errors.
pub fn rewrite_csv(
    src: &Source,
    raw: Option<&[u8]>,
    judge: &mut dyn RecordJudge,
    marker: &str,
    out: &mut dyn Write,
    out_name: &Path,
) -> Result<()> {
    let enc = encoding_of(src);
    let werr = |e: std::io::Error| write_error(out_name, e);
    let Some(stream) = src.stream() else {
        let raw = raw.ok_or_else(|| {
            StewardError::new(
                crate::error::ExitCode::Software,
                format!("{}: the raw bytes of the source are missing", src.info.path),
            )
        })?;
        let actions = judge_rows(src, judge)?;
        return emit_chunk(raw, 1, enc, &actions, marker, out).map_err(werr);
    };
    let pool = super::write::BufferPool::default();
    let mut sampled = false;
    let mut actions: Vec<(u64, RecordAction)> = Vec::new();
    stream.cut(&src.info, PIECE, &pool, &mut |piece| {
        let raw = piece.bytes().to_vec();
        let first_line = piece.first_line();
        if !sampled {
            sampled = true;
            let r = stream.parse(&src.info, piece.clone(), &mut |item| {
                if let Item::Row(r) = item {
                    if !judge.sample(r.fields) {
                        return Err(SampleDone.into());
                    }
                }
                Ok(())
            });
            if let Err(e) = r {
                if e.downcast_ref::<SampleDone>().is_none() {
                    return Err(e);
                }
            }
        }
        actions.clear();
        let buf = stream.parse(&src.info, piece, &mut |item| {
            if let Item::Row(r) = item {
                actions.push((r.row, judge.judge(r.row, r.fields)?));
            }
            Ok(())
        })?;
        pool.give(buf);
        emit_chunk(&raw, first_line, enc, &actions, marker, out).map_err(werr)?;
        Ok(())
    })
}

/// A source opened for erasure with the raw bytes a rewrite copies: a streamed CSV brings its own pieces; any
/// other source (a small CSV, a workbook, stdin) is read whole and its bytes are kept.
pub struct RawInput {
    pub sources: Vec<Source>,
    pub raw: Option<Vec<u8>>,
}

impl RawInput {
    pub fn open(path: &str, opts: &super::ReadOptions) -> Result<RawInput> {
        let streamable = path != "-"
            && std::fs::metadata(path).is_ok_and(|m| m.len() >= 4 << 20)
            && !matches!(
                Path::new(path)
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(|e| e.to_ascii_lowercase())
                    .as_deref(),
                Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
            );
        if streamable {
            let sources = super::open_source(path, opts)?;
            if sources.iter().all(|s| s.stream().is_some()) {
                return Ok(RawInput { sources, raw: None });
            }
        }
        let bytes = read_whole(path)?;
        let sources = super::open_bytes(bytes.clone(), path, opts)?;
        Ok(RawInput {
            sources,
            raw: Some(bytes),
        })
    }
}

impl RawInput {
    /// The source as target planning sees it.
    pub fn file<'a>(&self, path: &'a str) -> SourceFile<'a> {
        let info = &self.sources[0].info;
        SourceFile {
            path,
            workbook: info.sheet.is_some(),
            xlsx: info.format == "xlsx",
        }
    }

    /// The input as a manifest records it (size, SHA-256, encoding); `None` for stdin. Taken before any
    /// rewrite lands, so an input rewritten in place is recorded as it was read.
    pub fn record(&self, path: &str) -> Option<serde_json::Value> {
        if path == "-" {
            return None;
        }
        let info = &self.sources[0].info;
        let rec = crate::report::FileRecord::input(Path::new(path), Some(&info.digest))?;
        let mut v = serde_json::to_value(rec).ok()?;
        if let (Some(e), Some(how), Some(o)) =
            (&info.encoding, info.encoding_how, v.as_object_mut())
        {
            o.insert("encoding".into(), e.clone().into());
            o.insert("encoding_how".into(), how.into());
        }
        Some(v)
    }
}

fn read_whole(path: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| {
                StewardError::no_input(format!(
                    "stdin: cannot read: {}",
                    super::read::io_reason(&e)
                ))
            })?;
        return Ok(bytes);
    }
    super::write::note_read(Path::new(path));
    std::fs::read(path).map_err(|e| {
        StewardError::no_input(format!(
            "{path}: cannot read: {}",
            super::read::io_reason(&e)
        ))
        .into()
    })
}

// ---------------------------------------------------------------------------------------------------------
// Workbooks

/// Rewrite a workbook as xlsx: every sheet in order with every cell of the rows kept, typed as it was read
/// (text stays text, numbers numbers, dates dates, booleans booleans); rows removed close up; redacted cells
/// become text. `actions` gives, per sheet name, the judged rows (1-based sheet rows). It never adds a sheet: a
/// user's workbook gets no About sheet; one steward wrote keeps its own, still marked so readers skip it.
pub fn rewrite_workbook(
    bytes: &[u8],
    path: &str,
    actions: &[(String, Vec<(u64, RecordAction)>)],
    marker: &str,
    out: &mut std::fs::File,
    out_name: &Path,
) -> Result<()> {
    use calamine::Data;
    use rust_xlsxwriter::{Format, Workbook};
    let sheets = super::excel::read_typed_sheets(bytes, path)?;
    let werr = |e: rust_xlsxwriter::XlsxError| write_error(out_name, e);
    let mut wb = Workbook::new();
    let mark = super::workbook_limits::xlsx_custom_property(bytes, super::workbook::ABOUT_MARK)
        .filter(|about| sheets.iter().any(|s| &s.name == about));
    if let Some(about) = mark {
        let props = rust_xlsxwriter::DocProperties::new()
            .set_custom_property(super::workbook::ABOUT_MARK, about.as_str());
        wb.set_properties(&props);
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let time = Format::new().set_num_format("hh:mm:ss");
    let duration = Format::new().set_num_format("[h]:mm:ss");
    for sheet in sheets {
        let ws = wb.add_worksheet_with_constant_memory().map_err(werr)?;
        ws.set_name(&sheet.name).map_err(werr)?;
        let judged: std::collections::HashMap<u64, &RecordAction> = actions
            .iter()
            .find(|(n, _)| *n == sheet.name)
            .map(|(_, a)| {
                a.iter()
                    .filter(|(_, a)| *a != RecordAction::Keep)
                    .map(|(r, a)| (*r, a))
                    .collect()
            })
            .unwrap_or_default();
        // Rows removed close up: a kept row moves up by the removed rows above it.
        let mut removed: Vec<u32> = judged
            .iter()
            .filter(|(_, a)| ***a == RecordAction::Remove)
            .map(|(r, _)| (*r - 1) as u32)
            .collect();
        removed.sort_unstable();
        for cell in &sheet.cells {
            let sheet_row = cell.row as u64 + 1;
            let action = judged.get(&sheet_row).copied();
            if action == Some(&RecordAction::Remove) {
                continue;
            }
            let row = cell.row - removed.partition_point(|&r| r < cell.row) as u32;
            let col = cell.col as u16;
            if let Some(RecordAction::Redact(subs)) = action {
                let here: Vec<&Redaction> =
                    subs.iter().filter(|s| s.col == cell.col as usize).collect();
                if !here.is_empty() {
                    let (mut text, _) = super::excel::cell_text(&cell.value);
                    for s in here {
                        if !s.found.is_empty() {
                            text = text.replace(&s.found, marker);
                        }
                    }
                    ws.write_string(row, col, &text).map_err(werr)?;
                    continue;
                }
            }
            match &cell.value {
                Data::Empty => {}
                Data::String(s) => {
                    ws.write_string(row, col, s).map_err(werr)?;
                }
                Data::Int(i) => {
                    ws.write_number(row, col, *i as f64).map_err(werr)?;
                }
                Data::Float(f) => {
                    ws.write_number(row, col, *f).map_err(werr)?;
                }
                Data::Bool(b) => {
                    ws.write_boolean(row, col, *b).map_err(werr)?;
                }
                Data::DateTime(dt) => {
                    let v = dt.as_f64();
                    let fmt = if dt.is_duration() {
                        &duration
                    } else if v.fract() == 0.0 {
                        &date
                    } else if v < 1.0 {
                        &time
                    } else {
                        &datetime
                    };
                    ws.write_number_with_format(row, col, v, fmt)
                        .map_err(werr)?;
                }
                Data::DateTimeIso(s) => match iso_datetime(s) {
                    Some((dt, has_time)) => {
                        let fmt = if has_time { &datetime } else { &date };
                        ws.write_datetime_with_format(row, col, dt, fmt)
                            .map_err(werr)?;
                    }
                    None => {
                        ws.write_string(row, col, s).map_err(werr)?;
                    }
                },
                Data::DurationIso(s) => {
                    ws.write_string(row, col, s).map_err(werr)?;
                }
                Data::Error(e) => {
                    ws.write_string(row, col, e.to_string()).map_err(werr)?;
                }
            }
        }
    }
    wb.save_to_writer(out).map_err(werr)?;
    Ok(())
}

/// An ISO date or date-time of an OpenDocument cell, and whether it has a time of day.
fn iso_datetime(s: &str) -> Option<(rust_xlsxwriter::ExcelDateTime, bool)> {
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some((
            rust_xlsxwriter::ExcelDateTime::from_ymd(
                u16::try_from(chrono::Datelike::year(&d)).ok()?,
                chrono::Datelike::month(&d) as u8,
                chrono::Datelike::day(&d) as u8,
            )
            .ok()?,
            false,
        ));
    }
    let dt = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok()?;
    use chrono::{Datelike, Timelike};
    let x = rust_xlsxwriter::ExcelDateTime::from_ymd(
        u16::try_from(dt.year()).ok()?,
        dt.month() as u8,
        dt.day() as u8,
    )
    .ok()?
    .and_hms(dt.hour() as u16, dt.minute() as u8, dt.second() as f64)
    .ok()?;
    Some((x, true))
}

// ---------------------------------------------------------------------------------------------------------
// Where each source goes

/// Where one rewritten source is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stdout,
    /// A new file (`in_place` false) or the source itself, resolved through links.
    File {
        path: PathBuf,
        in_place: bool,
    },
}

/// A source to be rewritten: its path as given (`-` for stdin) and whether it is a workbook (written as
/// xlsx) and, for a workbook, whether steward can write its format back (xlsx, not xls or ods).
pub struct SourceFile<'a> {
    pub path: &'a str,
    pub workbook: bool,
    pub xlsx: bool,
}

fn usage(msg: String) -> anyhow::Error {
    StewardError::usage(msg).into()
}

/// Where each source is written: `--in-place` (each source over itself), `-o FILE` (one source, `-` for
/// stdout), or `-o DIR` (an existing folder: each source under its own file name, a workbook as .xlsx).
/// Ambiguous or impossible combinations are usage errors; an existing output needs `force`; nothing is ever
/// written over a file in `protected` (requests, key, schema), and only `--in-place` writes over a source.
pub fn plan_targets(
    sources: &[SourceFile<'_>],
    output: Option<&str>,
    in_place: bool,
    force: bool,
    protected: &[(String, super::write::FileIdentity)],
) -> Result<Vec<Target>> {
    use super::write::{check_output_path, input_identities, FileIdentity};
    let inputs = input_identities(
        &sources
            .iter()
            .map(|s| s.path.to_string())
            .collect::<Vec<_>>(),
    );
    let mut targets = Vec::new();
    if in_place {
        let mut seen: Vec<FileIdentity> = Vec::new();
        for s in sources {
            if s.path == "-" {
                return Err(usage(
                    "--in-place rewrites files; stdin (-) has none to rewrite, give -o FILE".into(),
                ));
            }
            if s.workbook && !s.xlsx {
                return Err(usage(format!(
                    "{}: --in-place cannot rewrite this workbook in its own format (steward writes xlsx only); give -o FILE.xlsx",
                    s.path
                )));
            }
            let real = std::fs::canonicalize(s.path).map_err(|e| {
                StewardError::no_input(format!(
                    "{}: cannot open: {}",
                    s.path,
                    super::read::io_reason(&e)
                ))
            })?;
            let id = FileIdentity::of(&real);
            if let Some((p, _)) = protected.iter().find(|(_, i)| Some(*i) == id) {
                return Err(usage(format!(
                    "{}: is {p}, which erase reads and never rewrites",
                    s.path
                )));
            }
            if let Some(id) = id {
                if seen.contains(&id) {
                    return Err(usage(format!("{}: given twice", s.path)));
                }
                seen.push(id);
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                let links = std::fs::metadata(&real).map(|m| m.nlink()).unwrap_or(1);
                if links > 1 {
                    return Err(StewardError::cant_create(format!(
                        "{}: has {links} hard links; rewriting it would leave the erased rows under the other names (remove them first)",
                        s.path
                    ))
                    .into());
                }
            }
            targets.push(Target::File {
                path: real,
                in_place: true,
            });
        }
        return Ok(targets);
    }
    let Some(out) = output else {
        return Err(usage(
            "give -o FILE (one source), -o DIR (several) or --in-place".into(),
        ));
    };
    let mut all_protected = inputs.clone();
    all_protected.extend(protected.iter().cloned());
    let dir = Path::new(out);
    if out != "-" && dir.is_dir() {
        for s in sources {
            if s.path == "-" {
                return Err(usage(
                    "stdin (-) has no file name to write under in a folder; give -o FILE".into(),
                ));
            }
            let mut name = PathBuf::from(Path::new(s.path).file_name().unwrap_or_default());
            if s.workbook && !s.xlsx {
                name.set_extension("xlsx");
            }
            let path = dir.join(name);
            if targets.contains(&Target::File {
                path: path.clone(),
                in_place: false,
            }) {
                return Err(usage(format!(
                    "two sources would both be written as {}; rewrite them in two runs or --in-place",
                    path.display()
                )));
            }
            check_output_path(&path, force, &all_protected)?;
            targets.push(Target::File {
                path,
                in_place: false,
            });
        }
        return Ok(targets);
    }
    if sources.len() > 1 {
        return Err(usage(format!(
            "{} sources: -o must be an existing folder (each source is written there under its own name), or use --in-place",
            sources.len()
        )));
    }
    let s = &sources[0];
    if out == "-" {
        if s.workbook {
            return Err(usage(
                "a workbook is written to a file: give -o FILE.xlsx".into(),
            ));
        }
        return Ok(vec![Target::Stdout]);
    }
    let ext = dir
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let workbook_ext = matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods");
    if s.workbook && ext != "xlsx" {
        return Err(usage(format!(
            "{}: a workbook is rewritten as a workbook, every sheet kept; name the output .xlsx",
            s.path
        )));
    }
    if !s.workbook && (workbook_ext || matches!(ext.as_str(), "parquet" | "jsonl")) {
        return Err(usage(format!(
            "{}: erase writes a source in its own format, byte for byte; a text file cannot become .{ext} (convert it with `steward import` first)",
            s.path
        )));
    }
    check_output_path(dir, force, &all_protected)?;
    Ok(vec![Target::File {
        path: dir.to_path_buf(),
        in_place: false,
    }])
}

// ---------------------------------------------------------------------------------------------------------
// Staged files

pub fn write_error(path: &Path, e: impl std::fmt::Display) -> anyhow::Error {
    let msg = e.to_string();
    let msg = msg.split(" (os error").next().unwrap_or(&msg).to_string();
    StewardError::cant_create(format!("{}: cannot write: {msg}", path.display())).into()
}

/// One file of a `StagedSet`: written to a temporary file beside its target.
struct Staged {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
    mode: u32,
    /// Owner and group to give the new file (a source rewritten in place keeps its own).
    owner: Option<(u32, u32)>,
    /// Whether the target existed before: a file this run created is removed again if a later rename fails.
    existed: bool,
    /// What was written, when its writer hashed it.
    digest: Option<Digest>,
}

/// Files that appear together or not at all: each is written to a temporary file beside its target; `commit`
/// flushes every one to disk and only then renames them into place. Dropped before `commit` (an error, a
/// signal), every temporary file is removed and no target changes. Local to erase until the general output
/// transaction of `io` replaces it.
#[derive(Default)]
pub struct StagedSet {
    files: Vec<Staged>,
}

impl Drop for StagedSet {
    fn drop(&mut self) {
        for f in &self.files {
            super::interrupt::unregister(f.tmp.path());
        }
    }
}

impl StagedSet {
    /// Stage a file for `target` with permissions `mode`; returns its index.
    pub fn stage(&mut self, target: &Path, mode: u32, owner: Option<(u32, u32)>) -> Result<usize> {
        // A rename over a device or pipe (`/dev/null`) would replace it with a regular file.
        if std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            return Err(crate::error::StewardError::cant_create(format!(
                "{}: is a device or pipe; erase writes its outputs and receipt to regular files",
                target.display()
            ))
            .into());
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let stem = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "out".to_string());
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{stem}."))
            .suffix(".steward-tmp")
            .tempfile_in(&dir)
            .map_err(|e| write_error(target, e))?;
        super::interrupt::register(tmp.path());
        self.files.push(Staged {
            tmp,
            target: target.to_path_buf(),
            mode,
            owner,
            existed: std::fs::symlink_metadata(target).is_ok(),
            digest: None,
        });
        Ok(self.files.len() - 1)
    }

    /// Stage the output of a target: a new file holds raw personal data (0600); a source rewritten in place
    /// keeps its own mode and owner. `None` for stdout.
    pub fn stage_target(&mut self, target: &Target) -> Result<Option<usize>> {
        let Target::File { path, in_place } = target else {
            return Ok(None);
        };
        let (mut mode, mut owner) = (0o600, None);
        #[cfg(unix)]
        if *in_place {
            use std::os::unix::fs::MetadataExt;
            if let Ok(m) = std::fs::metadata(path) {
                (mode, owner) = (m.mode() & 0o7777, Some((m.uid(), m.gid())));
            }
        }
        self.stage(path, mode, owner).map(Some)
    }

    /// Stage a JSON document (receipt, manifest: no raw personal data, so the umask's mode).
    pub fn stage_json(&mut self, target: &Path, value: &impl serde::Serialize) -> Result<usize> {
        let i = self.stage(target, 0o666 & !super::write::umask(), None)?;
        let f = self.file(i);
        let mut text = serde_json::to_vec_pretty(value).map_err(|e| write_error(target, e))?;
        text.push(b'\n');
        f.write_all(&text).map_err(|e| write_error(target, e))?;
        self.set_digest(i, Digest::of_bytes(&text));
        Ok(i)
    }

    /// The record of a staged file for a manifest: its target's path, the staged content's size and hash.
    pub fn record(&self, i: usize, name: &str) -> Option<crate::report::FileRecord> {
        let d = self.digest(i)?;
        Some(crate::report::FileRecord {
            name: name.to_string(),
            path: std::path::absolute(self.target(i))
                .unwrap_or_else(|_| self.target(i).to_path_buf())
                .display()
                .to_string(),
            bytes: d.bytes,
            sha256: d.sha256,
            rows: None,
        })
    }

    /// Note the digest of what its writer wrote to a staged file, so it is not read again.
    pub fn set_digest(&mut self, i: usize, d: Digest) {
        self.files[i].digest = Some(d);
    }

    /// The size and SHA-256 of a staged file: as its writer noted it, else read from the temporary file.
    pub fn digest(&self, i: usize) -> Option<Digest> {
        let f = &self.files[i];
        f.digest.clone().or_else(|| Digest::of_file(f.tmp.path()))
    }

    pub fn file(&mut self, i: usize) -> &mut std::fs::File {
        self.files[i].tmp.as_file_mut()
    }

    pub fn target(&self, i: usize) -> &Path {
        &self.files[i].target
    }

    /// The temporary file's path (to hash what was written before it lands).
    pub fn temp_path(&self, i: usize) -> &Path {
        self.files[i].tmp.path()
    }

    /// Flush every file to disk, then rename each over its target. A failure before the renames leaves no
    /// new file; a rename that fails (after every byte is on disk) removes the files this run created.
    pub fn commit(mut self) -> Result<()> {
        for f in &self.files {
            let file = f.tmp.as_file();
            file.sync_all().map_err(|e| write_error(&f.target, e))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                if let Some((uid, gid)) = f.owner {
                    // Only a privileged run can give a file away; otherwise it stays the runner's.
                    let _ = std::os::unix::fs::fchown(file, Some(uid), Some(gid));
                }
                file.set_permissions(std::fs::Permissions::from_mode(f.mode))
                    .map_err(|e| write_error(&f.target, e))?;
            }
        }
        let files = std::mem::take(&mut self.files);
        let mut landed: Vec<(PathBuf, bool)> = Vec::new();
        for f in files {
            let tmp_path = f.tmp.path().to_path_buf();
            let r = f.tmp.persist(&f.target);
            super::interrupt::unregister(&tmp_path);
            if let Err(e) = r {
                for (p, existed) in &landed {
                    if !existed {
                        let _ = std::fs::remove_file(p);
                    }
                }
                return Err(write_error(&f.target, e.error));
            }
            landed.push((f.target, f.existed));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actions(list: &[(u64, RecordAction)]) -> Vec<(u64, RecordAction)> {
        list.to_vec()
    }

    #[test]
    fn kept_records_are_copied_byte_for_byte() {
        // CRLF, a quoted field across lines, a blank line, no final line break.
        let raw = b"id,note\r\n1,\"a\r\nb\"\r\n2,x\r\n\r\n3,y";
        let mut out = Vec::new();
        emit_chunk(
            raw,
            1,
            encoding_rs::UTF_8,
            &actions(&[
                (2, RecordAction::Keep),
                (4, RecordAction::Remove),
                (6, RecordAction::Keep),
            ]),
            "[erased]",
            &mut out,
        )
        .unwrap();
        assert_eq!(out, b"id,note\r\n1,\"a\r\nb\"\r\n3,y");
        let mut out = Vec::new();
        emit_chunk(
            raw,
            1,
            encoding_rs::UTF_8,
            &actions(&[
                (2, RecordAction::Remove),
                (4, RecordAction::Keep),
                (6, RecordAction::Remove),
            ]),
            "[erased]",
            &mut out,
        )
        .unwrap();
        assert_eq!(out, b"id,note\r\n2,x\r\n\r\n");
    }

    #[test]
    fn a_redacted_record_keeps_its_encoding_and_the_rest_its_bytes() {
        let text = "编号,备注\n1,推荐人 a@x.com\n2,无\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let mut out = Vec::new();
        emit_chunk(
            &gbk,
            1,
            encoding_rs::GB18030,
            &actions(&[
                (
                    2,
                    RecordAction::Redact(vec![Redaction {
                        col: 1,
                        found: "a@x.com".into(),
                    }]),
                ),
                (3, RecordAction::Keep),
            ]),
            "[erased]",
            &mut out,
        )
        .unwrap();
        let (want, _, _) = encoding_rs::GBK.encode("编号,备注\n1,推荐人 [erased]\n2,无\n");
        assert_eq!(out, want.into_owned());
    }

    #[test]
    fn utf16_lines_are_counted_in_code_units() {
        let text = "id\r\n1\r\n2\r\n";
        let mut raw = vec![0xFF, 0xFE];
        raw.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut out = Vec::new();
        emit_chunk(
            &raw,
            1,
            encoding_rs::UTF_16LE,
            &actions(&[(2, RecordAction::Remove), (3, RecordAction::Keep)]),
            "[erased]",
            &mut out,
        )
        .unwrap();
        let mut want = vec![0xFF, 0xFE];
        want.extend("id\r\n2\r\n".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(out, want);
    }
}

//! Opening sources: files, globs and stdin (`-`); format by content, then by extension; one `Source`
//! per table (a CSV file, or one sheet of a workbook). Values stay text; each row keeps its source row number.

use anyhow::Result;
use std::io::Read;
use std::path::Path;

use super::csv_source::CsvBody;
use super::sniff::{content_kind, ContentKind};
use super::source::{InputFormat, Item, RawRow, ReadOptions, RowRef, SourceInfo};
use crate::error::StewardError;

pub(crate) enum Body {
    Csv(Box<CsvBody>),
    Stream(Box<super::csv_source::StreamBody>),
    Rows(Vec<RawRow>),
    Db(Box<super::db::DbBody>),
}

/// One table to read: a CSV file or one sheet.
pub struct Source {
    pub info: SourceInfo,
    pub(crate) body: Body,
}

impl Source {
    /// The streamed body of a large CSV file, which can be cut and parsed in pieces on several threads.
    pub(crate) fn stream(&self) -> Option<&super::csv_source::StreamBody> {
        match &self.body {
            Body::Stream(s) => Some(s),
            _ => None,
        }
    }

    /// Visit every row in order. In strict mode the first malformed row is an error naming file, line and problem.
    pub fn for_each(&self, mut f: impl FnMut(Item<'_>) -> Result<()>) -> Result<()> {
        match &self.body {
            Body::Csv(csv) => csv.for_each(&self.info, &mut f),
            Body::Stream(s) => s.for_each(&self.info, &mut f),
            Body::Db(d) => d.for_each(&self.info, &mut f),
            Body::Rows(rows) => {
                let mut refs: Vec<&str> = Vec::new();
                for r in rows {
                    refs.clear();
                    refs.extend(r.fields.iter().map(|s| s.as_str()));
                    f(Item::Row(RowRef {
                        row: r.row,
                        fields: &refs,
                        label: None,
                    }))?;
                }
                Ok(())
            }
        }
    }

    /// The number of data rows, counting rejects (reads the source once).
    pub fn count_rows(&self) -> Result<(u64, u64)> {
        let (mut rows, mut rejects) = (0u64, 0u64);
        self.for_each(|item| {
            match item {
                Item::Row(_) => rows += 1,
                Item::Reject(_) => rejects += 1,
            }
            Ok(())
        })?;
        Ok((rows, rejects))
    }
}

fn has_glob_chars(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Expand the command line's sources: `-` stays, globs expand (sorted), plain paths must exist as files.
pub fn expand_inputs(args: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" || super::db::is_database(a) {
            out.push(a.clone());
            continue;
        }
        if !Path::new(a).exists() && has_glob_chars(a) {
            let paths = glob::glob(a)
                .map_err(|e| StewardError::usage(format!("bad glob pattern {a:?}: {e}")))?;
            let mut matched: Vec<String> = paths
                .filter_map(|p| p.ok())
                .filter(|p| p.is_file())
                .map(|p| p.display().to_string())
                .collect();
            if matched.is_empty() {
                return Err(
                    StewardError::no_input(format!("{a}: no file matches this pattern")).into(),
                );
            }
            matched.sort();
            out.extend(matched);
            continue;
        }
        let p = Path::new(a);
        match std::fs::metadata(p) {
            Err(e) => {
                return Err(
                    StewardError::no_input(format!("{a}: cannot open: {}", io_reason(&e))).into(),
                )
            }
            Ok(m) if m.is_dir() => {
                return Err(StewardError::no_input(format!(
                    "{a}: is a directory, not a file (use a glob such as '{a}/*.csv')"
                ))
                .into())
            }
            Ok(_) => out.push(a.clone()),
        }
    }
    if out.is_empty() {
        return Err(
            StewardError::usage("no input given (pass a file, a glob or - for stdin)").into(),
        );
    }
    Ok(out)
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_lowercase()
        }
    }
}

fn read_all(path: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| {
                StewardError::no_input(format!("stdin: cannot read: {}", io_reason(&e)))
            })?;
    } else {
        let mut f = std::fs::File::open(path).map_err(|e| {
            StewardError::no_input(format!("{path}: cannot open: {}", io_reason(&e)))
        })?;
        super::write::note_read(Path::new(path));
        let meta = f.metadata().ok();
        if meta.as_ref().map(|m| m.is_dir()).unwrap_or(false) {
            return Err(
                StewardError::no_input(format!("{path}: is a directory, not a file")).into(),
            );
        }
        // One allocation for the whole file instead of repeated doubling.
        bytes.reserve_exact(meta.map(|m| m.len() as usize + 1).unwrap_or(0));
        f.read_to_end(&mut bytes).map_err(|e| {
            StewardError::no_input(format!("{path}: cannot read: {}", io_reason(&e)))
        })?;
    }
    Ok(bytes)
}

fn extension_format(path: &str) -> Option<InputFormat> {
    let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" => Some(InputFormat::Csv),
        "tsv" | "tab" => Some(InputFormat::Tsv),
        "xlsx" | "xlsm" | "xlsb" => Some(InputFormat::Xlsx),
        "xls" => Some(InputFormat::Xls),
        "ods" => Some(InputFormat::Ods),
        _ => None,
    }
}

/// Open one input (a path or `-`) as one or more sources (several when `--sheet all`).
pub fn open_source(path: &str, opts: &ReadOptions) -> Result<Vec<Source>> {
    if super::db::is_database(path) {
        return super::db::open(path, opts);
    }
    if opts.db != Default::default() {
        return Err(StewardError::usage(format!(
            "{path}: --table and --query read a database source (postgres://..., mysql://..., sqlite:FILE); this is a file"
        ))
        .into());
    }
    if opts.stream {
        return open_streaming(path, opts);
    }
    open_bytes(read_all(path)?, path, opts)
}

/// Inputs smaller than this are read whole even when streaming is asked for.
const STREAM_HEAD: usize = 4 << 20;

/// Open an input for one streamed pass: a CSV larger than a few megabytes is read in chunks; anything else
/// (workbooks, UTF-16 text, small files) is read whole.
fn open_streaming(path: &str, opts: &ReadOptions) -> Result<Vec<Source>> {
    let shown = if path == "-" { "stdin" } else { path };
    let (mut reader, total): (Box<dyn Read + Send>, Option<u64>) = if path == "-" {
        (Box::new(std::io::stdin()), None)
    } else {
        let f = std::fs::File::open(path).map_err(|e| {
            StewardError::no_input(format!("{path}: cannot open: {}", io_reason(&e)))
        })?;
        super::write::note_read(Path::new(path));
        let meta = f.metadata().ok();
        if meta.as_ref().is_some_and(|m| m.is_dir()) {
            return Err(
                StewardError::no_input(format!("{path}: is a directory, not a file")).into(),
            );
        }
        (Box::new(f), meta.map(|m| m.len()))
    };
    let mut head = Vec::with_capacity(STREAM_HEAD);
    (&mut reader)
        .take(STREAM_HEAD as u64)
        .read_to_end(&mut head)
        .map_err(|e| StewardError::no_input(format!("{shown}: cannot read: {}", io_reason(&e))))?;
    let declared = opts.format.or(extension_format(path));
    let text_ok = !matches!(
        declared,
        Some(InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods)
    );
    let streamable = head.len() == STREAM_HEAD
        && text_ok
        && content_kind(&head) == ContentKind::Text
        && !matches!(
            opts.encoding
                .unwrap_or(super::sniff::detect_encoding(&head).encoding)
                .name(),
            "UTF-16LE" | "UTF-16BE"
        );
    if !streamable {
        reader.read_to_end(&mut head).map_err(|e| {
            StewardError::no_input(format!("{shown}: cannot read: {}", io_reason(&e)))
        })?;
        return open_bytes(head, path, opts);
    }
    let tab = declared == Some(InputFormat::Tsv);
    let (info, body) =
        super::csv_source::read_csv_stream(head, reader, total.unwrap_or(0), path, opts, tab)?;
    Ok(vec![Source {
        info,
        body: Body::Stream(Box::new(body)),
    }])
}

/// Open bytes already read as one or more sources; `path` names them (and its extension is a format hint).
pub fn open_bytes(bytes: Vec<u8>, path: &str, opts: &ReadOptions) -> Result<Vec<Source>> {
    let shown = if path == "-" { "stdin" } else { path };
    if bytes.is_empty() {
        return Err(StewardError::data(format!("{shown}: the file is empty (0 bytes)")).into());
    }
    let kind = content_kind(&bytes);
    let by_ext = extension_format(path);
    let declared = opts.format.or(by_ext);
    let text_declared = matches!(declared, Some(InputFormat::Csv | InputFormat::Tsv));
    match kind {
        ContentKind::EncryptedOoxml => Err(StewardError::data(format!(
            "{shown}: the workbook is password-protected (encrypted); remove the password in Excel (File > Info > Protect Workbook) and save a copy"
        ))
        .into()),
        ContentKind::OtherZip => Err(StewardError::data(format!(
            "{shown}: this is a zip archive but not a spreadsheet (no xl/ or OpenDocument content); unzip it first"
        ))
        .into()),
        ContentKind::Xlsx | ContentKind::Ods | ContentKind::Xls if text_declared => {
            let what = match kind {
                ContentKind::Ods => "an OpenDocument spreadsheet (.ods)",
                ContentKind::Xls => "a legacy Excel workbook (.xls)",
                _ => "an Excel workbook (.xlsx)",
            };
            Err(StewardError::data(format!(
                "{shown}: the file is {what}, not CSV text as its name or --input-format says; rename it or pass --input-format {}",
                match kind {
                    ContentKind::Ods => "ods",
                    ContentKind::Xls => "xls",
                    _ => "xlsx",
                }
            ))
            .into())
        }
        ContentKind::Xlsx | ContentKind::Ods | ContentKind::Xls => {
            let fmt = match kind {
                ContentKind::Ods => InputFormat::Ods,
                ContentKind::Xls => InputFormat::Xls,
                _ => InputFormat::Xlsx,
            };
            let mut sources: Vec<Source> = super::excel::read_workbook(bytes, fmt, path, opts)?
                .into_iter()
                .map(|(info, rows)| Source {
                    info,
                    body: Body::Rows(rows),
                })
                .collect();
            if let Some(d @ (InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods)) = declared {
                if d != fmt {
                    for s in &mut sources {
                        s.info.notes.push(format!(
                            "the content is {}, not what the extension says; read by content",
                            s.info.format
                        ));
                    }
                }
            }
            Ok(sources)
        }
        ContentKind::Text => {
            if matches!(declared, Some(InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods)) {
                return Err(StewardError::data(format!(
                    "{shown}: the file is not a valid workbook (its content is not a spreadsheet container, it may be text or damaged)"
                ))
                .into());
            }
            let tab = declared == Some(InputFormat::Tsv);
            let (info, body) = super::csv_source::read_csv(bytes, path, opts, tab)?;
            Ok(vec![Source {
                info,
                body: Body::Csv(Box::new(body)),
            }])
        }
    }
}

//! Writing datasets: CSV, TSV, JSON lines, Parquet and xlsx, always through a temporary file in the target
//! folder that is renamed into place, never over an input, and with spreadsheet formula injection neutralized.

use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::StewardError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Csv,
    Tsv,
    Jsonl,
    Parquet,
    Xlsx,
}

impl OutputFormat {
    /// The format an output path's extension asks for.
    pub fn from_path(path: &Path) -> Option<OutputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Some(OutputFormat::Csv),
            "tsv" | "tab" => Some(OutputFormat::Tsv),
            "jsonl" | "ndjson" | "json" => Some(OutputFormat::Jsonl),
            "parquet" | "pq" => Some(OutputFormat::Parquet),
            "xlsx" => Some(OutputFormat::Xlsx),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Formula-injection guard (OWASP "CSV injection")

/// A plain number a spreadsheet reads as a number, not a formula: `+8613812345678`, `-12.5`, `1e3`.
fn is_plain_number(v: &str) -> bool {
    let s = v.strip_prefix(['+', '-']).unwrap_or(v);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits_ok = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits_ok(int)
        && frac.map(digits_ok).unwrap_or(true)
        && (!int.is_empty() || frac.map(|f| !f.is_empty()).unwrap_or(false));
    let exp_ok = match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && digits_ok(e)
        }
    };
    mantissa_ok && exp_ok
}

/// Whether a spreadsheet program would run this cell as a formula.
pub fn needs_formula_guard(v: &str) -> bool {
    match v.as_bytes().first() {
        Some(b'=') | Some(b'@') | Some(b'\t') | Some(b'\r') => true,
        // A lone sign cannot form a formula; "-" is a common "no value" mark.
        Some(b'+') | Some(b'-') => v.len() > 1 && !is_plain_number(v),
        _ => false,
    }
}

/// The cell as a spreadsheet shows it as text: a leading apostrophe, which spreadsheets hide.
pub fn formula_guard(v: &str) -> Cow<'_, str> {
    if needs_formula_guard(v) {
        Cow::Owned(format!("'{v}"))
    } else {
        Cow::Borrowed(v)
    }
}

// ---------------------------------------------------------------------------------------------------------
// Atomic output files

/// Identity of an input file (device and inode), so an output never replaces one, even through a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    dev: u64,
    ino: u64,
}

impl FileIdentity {
    pub fn of(path: &Path) -> Option<FileIdentity> {
        let m = std::fs::metadata(path).ok()?;
        Some(Self::from_meta(&m))
    }
    #[cfg(unix)]
    fn from_meta(m: &std::fs::Metadata) -> FileIdentity {
        use std::os::unix::fs::MetadataExt;
        FileIdentity {
            dev: m.dev(),
            ino: m.ino(),
        }
    }
    #[cfg(not(unix))]
    fn from_meta(m: &std::fs::Metadata) -> FileIdentity {
        FileIdentity {
            dev: 0,
            ino: m.len(),
        }
    }
}

/// Identities of the inputs (stdin and missing files are skipped).
pub fn input_identities(inputs: &[String]) -> Vec<(String, FileIdentity)> {
    inputs
        .iter()
        .filter(|p| p.as_str() != "-")
        .filter_map(|p| FileIdentity::of(Path::new(p)).map(|id| (p.clone(), id)))
        .collect()
}

/// Check that an output may be written: not an input, not existing unless `force`, folder present.
pub fn check_output_path(
    path: &Path,
    force: bool,
    inputs: &[(String, FileIdentity)],
) -> Result<()> {
    if let Some(id) = FileIdentity::of(path) {
        if let Some((input, _)) = inputs.iter().find(|(_, i)| *i == id) {
            return Err(StewardError::cant_create(format!(
                "{}: refusing to write over the input file {input} (steward never modifies its inputs)",
                path.display()
            ))
            .into());
        }
    }
    if let Ok(m) = std::fs::symlink_metadata(path) {
        if m.is_dir() {
            return Err(StewardError::cant_create(format!(
                "{}: is a directory; give a file name",
                path.display()
            ))
            .into());
        }
        if !force {
            return Err(StewardError::cant_create(format!(
                "{}: already exists; pass --force to replace it",
                path.display()
            ))
            .into());
        }
    }
    let dir = parent_dir(path);
    if !dir.is_dir() {
        return Err(StewardError::cant_create(format!(
            "{}: the folder {} does not exist",
            path.display(),
            dir.display()
        ))
        .into());
    }
    Ok(())
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> anyhow::Error {
    let msg = e.to_string();
    let msg = msg.split(" (os error").next().unwrap_or(&msg).to_string();
    StewardError::cant_create(format!("{}: cannot write: {msg}", path.display())).into()
}

/// A file being written: a temporary file beside the target, renamed into place by `commit`.
/// Dropped without `commit` (an error, a panic), it removes itself and leaves nothing behind.
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
}

impl AtomicFile {
    pub fn create(target: &Path) -> Result<AtomicFile> {
        let dir = parent_dir(target);
        let stem = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "out".to_string());
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{stem}."))
            .suffix(".steward-tmp")
            .tempfile_in(&dir)
            .map_err(|e| write_error(target, e))?;
        Ok(AtomicFile {
            tmp,
            target: target.to_path_buf(),
        })
    }

    pub fn file(&mut self) -> &mut std::fs::File {
        self.tmp.as_file_mut()
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flush to disk and rename over the target.
    pub fn commit(self) -> Result<()> {
        let target = self.target.clone();
        self.tmp
            .as_file()
            .sync_all()
            .map_err(|e| write_error(&target, e))?;
        // Keep the permissions a new file would get: tempfile creates 0600, right for keys but not for data.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = self
                .tmp
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644));
        }
        self.tmp
            .persist(&target)
            .map_err(|e| write_error(&target, e.error))?;
        Ok(())
    }
}

/// Where a dataset goes: a file written atomically, or stdout.
pub enum Destination {
    File(AtomicFile),
    Stdout,
}

impl Destination {
    /// `-` is stdout; a path is checked (not an input, `--force` to replace) and opened as a temp file.
    pub fn open(path: &str, force: bool, inputs: &[(String, FileIdentity)]) -> Result<Destination> {
        if path == "-" {
            return Ok(Destination::Stdout);
        }
        let p = Path::new(path);
        check_output_path(p, force, inputs)?;
        Ok(Destination::File(AtomicFile::create(p)?))
    }

    fn name(&self) -> String {
        match self {
            Destination::File(f) => f.target().display().to_string(),
            Destination::Stdout => "stdout".to_string(),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Dataset writers

/// What a writer did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WriteStats {
    pub rows: u64,
    /// Cells written with a leading apostrophe so spreadsheets show them as text.
    pub neutralized_cells: u64,
}

/// How to write a dataset.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    pub format: OutputFormat,
    pub formula_guard: bool,
    /// Columns written as numbers where the format has types (`_row`).
    pub integer_columns: Vec<bool>,
}

enum Sink {
    Delimited(Box<csv::Writer<Box<dyn Write>>>),
    Jsonl(BufWriter<Box<dyn Write>>),
    Parquet {
        columns: Vec<polars::prelude::StringChunkedBuilder>,
        ints: Vec<Vec<u64>>,
    },
    Xlsx(Box<XlsxState>),
}

struct XlsxState {
    workbook: rust_xlsxwriter::Workbook,
    pending: Vec<Vec<String>>,
    started: bool,
    next_row: u32,
}

const XLSX_MAX_ROWS: u64 = 1_048_576;
const XLSX_WIDTH_SAMPLE: usize = 1000;

/// Writes rows of text to one destination in one format. Call `finish` to commit; dropping it discards.
pub struct DatasetWriter {
    dest: Option<Destination>,
    sink: Sink,
    columns: Vec<String>,
    opts: WriteOptions,
    stats: WriteStats,
}

impl DatasetWriter {
    pub fn new(
        mut dest: Destination,
        columns: &[String],
        opts: WriteOptions,
    ) -> Result<DatasetWriter> {
        let sink = match opts.format {
            OutputFormat::Csv | OutputFormat::Tsv | OutputFormat::Jsonl => {
                let raw: Box<dyn Write> = match &mut dest {
                    Destination::Stdout => Box::new(std::io::stdout().lock()),
                    Destination::File(f) => Box::new(
                        f.file()
                            .try_clone()
                            .map_err(|e| write_error(f.target(), e))?,
                    ),
                };
                if opts.format == OutputFormat::Jsonl {
                    Sink::Jsonl(BufWriter::with_capacity(256 * 1024, raw))
                } else {
                    let mut w = csv::WriterBuilder::new()
                        .delimiter(if opts.format == OutputFormat::Tsv {
                            b'\t'
                        } else {
                            b','
                        })
                        .buffer_capacity(256 * 1024)
                        .from_writer(raw);
                    w.write_record(columns)
                        .map_err(|e| write_error_csv(&dest, e))?;
                    Sink::Delimited(Box::new(w))
                }
            }
            OutputFormat::Parquet => Sink::Parquet {
                columns: columns
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !opts.integer_columns.get(*i).copied().unwrap_or(false))
                    .map(|(_, c)| {
                        polars::prelude::StringChunkedBuilder::new(c.as_str().into(), 1024)
                    })
                    .collect(),
                ints: columns
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| opts.integer_columns.get(*i).copied().unwrap_or(false))
                    .map(|_| Vec::new())
                    .collect(),
            },
            OutputFormat::Xlsx => Sink::Xlsx(Box::new(XlsxState {
                workbook: rust_xlsxwriter::Workbook::new(),
                pending: Vec::new(),
                started: false,
                next_row: 1,
            })),
        };
        Ok(DatasetWriter {
            dest: Some(dest),
            sink,
            columns: columns.to_vec(),
            opts,
            stats: WriteStats::default(),
        })
    }

    pub fn write_row(&mut self, row: &[String]) -> Result<()> {
        self.stats.rows += 1;
        match &mut self.sink {
            Sink::Delimited(w) => {
                if self.opts.formula_guard {
                    for v in row {
                        let g = formula_guard(v);
                        if matches!(g, Cow::Owned(_)) {
                            self.stats.neutralized_cells += 1;
                        }
                        w.write_field(g.as_bytes())
                            .map_err(|e| write_error_csv(self.dest.as_ref().unwrap(), e))?;
                    }
                    w.write_record(None::<&[u8]>)
                        .map_err(|e| write_error_csv(self.dest.as_ref().unwrap(), e))?;
                } else {
                    w.write_record(row)
                        .map_err(|e| write_error_csv(self.dest.as_ref().unwrap(), e))?;
                }
            }
            Sink::Jsonl(w) => {
                let mut line = String::with_capacity(256);
                line.push('{');
                for (i, (c, v)) in self.columns.iter().zip(row).enumerate() {
                    if i > 0 {
                        line.push(',');
                    }
                    line.push_str(&serde_json::to_string(c)?);
                    line.push(':');
                    if self.opts.integer_columns.get(i).copied().unwrap_or(false)
                        && !v.is_empty()
                        && v.bytes().all(|b| b.is_ascii_digit())
                    {
                        line.push_str(v);
                    } else {
                        line.push_str(&serde_json::to_string(v)?);
                    }
                }
                line.push_str("}\n");
                let name = self.dest.as_ref().unwrap().name();
                w.write_all(line.as_bytes())
                    .map_err(|e| write_error(Path::new(&name), e))?;
            }
            Sink::Parquet { columns, ints } => {
                let (mut s, mut n) = (0usize, 0usize);
                for (i, v) in row.iter().enumerate() {
                    if self.opts.integer_columns.get(i).copied().unwrap_or(false) {
                        ints[n].push(v.parse().unwrap_or(0));
                        n += 1;
                    } else {
                        columns[s].append_value(v.as_str());
                        s += 1;
                    }
                }
            }
            Sink::Xlsx(x) => {
                if self.stats.rows >= XLSX_MAX_ROWS {
                    return Err(StewardError::cant_create(format!(
                        "{}: an xlsx sheet holds at most {} rows; write CSV or Parquet instead",
                        self.dest.as_ref().unwrap().name(),
                        XLSX_MAX_ROWS - 1
                    ))
                    .into());
                }
                x.pending.push(row.to_vec());
                if !x.started && x.pending.len() >= XLSX_WIDTH_SAMPLE {
                    start_xlsx(x, &self.columns, &self.opts)?;
                }
                if x.started {
                    flush_xlsx(x, &self.opts)?;
                }
            }
        }
        Ok(())
    }

    /// Finish the file and move it into place.
    pub fn finish(mut self) -> Result<WriteStats> {
        let dest = self.dest.take().expect("destination present until finish");
        let name = dest.name();
        match std::mem::replace(
            &mut self.sink,
            Sink::Parquet {
                columns: vec![],
                ints: vec![],
            },
        ) {
            Sink::Delimited(w) => {
                let mut inner = w
                    .into_inner()
                    .map_err(|e| write_error(Path::new(&name), e.error()))?;
                inner
                    .flush()
                    .map_err(|e| write_error(Path::new(&name), e))?;
            }
            Sink::Jsonl(w) => {
                let mut inner = w
                    .into_inner()
                    .map_err(|e| write_error(Path::new(&name), e.error()))?;
                inner
                    .flush()
                    .map_err(|e| write_error(Path::new(&name), e))?;
            }
            Sink::Parquet { columns, ints } => {
                use polars::prelude::*;
                let mut cols: Vec<Column> = Vec::with_capacity(self.columns.len());
                let (mut strs, mut nums) = (columns.into_iter(), ints.into_iter());
                for (i, name) in self.columns.iter().enumerate() {
                    if self.opts.integer_columns.get(i).copied().unwrap_or(false) {
                        let v = nums.next().unwrap_or_default();
                        cols.push(Column::new(name.as_str().into(), v));
                    } else {
                        cols.push(
                            strs.next()
                                .expect("string column")
                                .finish()
                                .into_series()
                                .into(),
                        );
                    }
                }
                let mut df = DataFrame::new_infer_height(cols).map_err(|e| {
                    StewardError::new(crate::error::ExitCode::Software, e.to_string())
                })?;
                match &dest {
                    Destination::Stdout => {
                        let mut out = std::io::stdout().lock();
                        let mut buf = Vec::new();
                        ParquetWriter::new(&mut buf)
                            .finish(&mut df)
                            .map_err(|e| write_error(Path::new(&name), e))?;
                        out.write_all(&buf)
                            .map_err(|e| write_error(Path::new(&name), e))?;
                    }
                    Destination::File(_) => {}
                }
                if let Destination::File(mut f) = dest {
                    ParquetWriter::new(f.file())
                        .finish(&mut df)
                        .map_err(|e| write_error(Path::new(&name), e))?;
                    f.commit()?;
                }
                return Ok(self.stats.clone());
            }
            Sink::Xlsx(mut x) => {
                if !x.started {
                    start_xlsx(&mut x, &self.columns, &self.opts)?;
                }
                flush_xlsx(&mut x, &self.opts)?;
                match dest {
                    Destination::Stdout => {
                        let buf = x
                            .workbook
                            .save_to_buffer()
                            .map_err(|e| write_error(Path::new(&name), e))?;
                        std::io::stdout()
                            .lock()
                            .write_all(&buf)
                            .map_err(|e| write_error(Path::new(&name), e))?;
                    }
                    Destination::File(mut f) => {
                        x.workbook
                            .save_to_writer(f.file())
                            .map_err(|e| write_error(Path::new(&name), e))?;
                        f.commit()?;
                    }
                }
                return Ok(self.stats.clone());
            }
        }
        if let Destination::File(f) = dest {
            f.commit()?;
        }
        Ok(self.stats.clone())
    }
}

fn write_error_csv(dest: &Destination, e: csv::Error) -> anyhow::Error {
    write_error(Path::new(&dest.name()), e)
}

fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !c.is_ascii() {
                2
            } else {
                1
            }
        })
        .sum()
}

fn start_xlsx(x: &mut XlsxState, columns: &[String], _opts: &WriteOptions) -> Result<()> {
    use rust_xlsxwriter::Format;
    let xerr = |e: rust_xlsxwriter::XlsxError| -> anyhow::Error {
        StewardError::cant_create(format!("xlsx: {e}")).into()
    };
    let ws = x
        .workbook
        .add_worksheet_with_constant_memory()
        .map_err(xerr)?;
    ws.set_name("customers").map_err(xerr)?;
    let bold = Format::new().set_bold();
    for (i, c) in columns.iter().enumerate() {
        let mut w = display_width(c);
        for r in &x.pending {
            if let Some(v) = r.get(i) {
                w = w.max(display_width(v).min(60));
            }
        }
        ws.set_column_width(i as u16, (w as f64 + 2.0).min(62.0))
            .map_err(xerr)?;
    }
    for (i, c) in columns.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, c, &bold)
            .map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    x.started = true;
    Ok(())
}

fn flush_xlsx(x: &mut XlsxState, _opts: &WriteOptions) -> Result<()> {
    let xerr = |e: rust_xlsxwriter::XlsxError| -> anyhow::Error {
        StewardError::cant_create(format!("xlsx: {e}")).into()
    };
    let pending = std::mem::take(&mut x.pending);
    let ws = x.workbook.worksheet_from_index(0).map_err(xerr)?;
    for r in pending {
        for (i, v) in r.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(x.next_row, i as u16, v).map_err(xerr)?;
            }
        }
        x.next_row += 1;
    }
    Ok(())
}

/// Write a small CSV (rejects, findings) in one go, atomically, with the formula guard.
pub fn write_csv_file(
    path: &str,
    force: bool,
    inputs: &[(String, FileIdentity)],
    columns: &[String],
    rows: impl IntoIterator<Item = Vec<String>>,
    guard: bool,
) -> Result<WriteStats> {
    let dest = Destination::open(path, force, inputs)?;
    let mut w = DatasetWriter::new(
        dest,
        columns,
        WriteOptions {
            format: OutputFormat::Csv,
            formula_guard: guard,
            integer_columns: vec![],
        },
    )?;
    for r in rows {
        w.write_row(&r)?;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_neutralizes_formulas_but_not_numbers() {
        for v in [
            "=1+2",
            "@SUM(A1)",
            "+cmd",
            "-2+3",
            "\tx",
            "\rx",
            "=HYPERLINK(\"x\")",
            "+86 138 0013 8000",
            "--1",
        ] {
            assert!(needs_formula_guard(v), "{v:?} should be guarded");
        }
        for v in [
            "+8613812345678",
            "-12.5",
            "12",
            "",
            "-",
            "+",
            "abc",
            "1e5",
            "-.5",
            "张伟",
            "a=b",
        ] {
            assert!(!needs_formula_guard(v), "{v:?} should not be guarded");
        }
        assert_eq!(formula_guard("=1+2"), "'=1+2");
    }

    #[test]
    fn formats_from_extension() {
        assert_eq!(
            OutputFormat::from_path(Path::new("a.PARQUET")),
            Some(OutputFormat::Parquet)
        );
        assert_eq!(
            OutputFormat::from_path(Path::new("a.jsonl")),
            Some(OutputFormat::Jsonl)
        );
        assert_eq!(OutputFormat::from_path(Path::new("a")), None);
    }
}

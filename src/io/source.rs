//! What a source is, below every reader: how to read it (`ReadOptions`), what was detected about it
//! (`SourceInfo`), and the rows and rejects it yields. CSV and workbook readers build these; `read` opens them.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    Csv,
    Tsv,
    Xlsx,
    Xls,
    Ods,
}

/// Which sheets of a workbook to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetSelector {
    /// The first sheet that has any data.
    FirstNonEmpty,
    Name(String),
    /// 1-based position.
    Index(usize),
    All,
}

impl std::str::FromStr for SheetSelector {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.eq_ignore_ascii_case("all") {
            return Ok(SheetSelector::All);
        }
        if let Ok(n) = s.parse::<usize>() {
            if n == 0 {
                return Err("sheet numbers start at 1".to_string());
            }
            return Ok(SheetSelector::Index(n));
        }
        Ok(SheetSelector::Name(s.to_string()))
    }
}

/// How to read sources; `None` means detect.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub delimiter: Option<u8>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub format: Option<InputFormat>,
    pub sheet: SheetSelector,
    /// Send malformed rows to rejects instead of failing.
    pub lenient: bool,
    /// Read large CSV inputs in chunks (one pass, flat memory) instead of whole.
    pub stream: bool,
    /// The table or query of a database source (`--table`, `--query`).
    pub db: super::db::DbSelect,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            delimiter: None,
            encoding: None,
            format: None,
            sheet: SheetSelector::FirstNonEmpty,
            lenient: false,
            stream: false,
            db: Default::default(),
        }
    }
}

/// What was detected about one source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    /// The file as given (`-` for stdin).
    pub path: String,
    /// The `_source` value of its rows: the path, and `!sheet` for a workbook sheet.
    pub label: String,
    pub format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// How the encoding was chosen: `given` (--encoding) or `detected` (byte-order mark, valid UTF-8, or a
    /// guess); `None` for workbooks. Summaries and manifests state it; `inspect --format json` leaves it out.
    #[serde(skip)]
    pub encoding_how: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<String>,
    /// 1-based line (CSV) or row (sheet) of the header.
    pub header_row: u64,
    pub headers: Vec<String>,
    pub bytes: u64,
    /// The file's SHA-256, taken while it was read (for the manifest).
    #[serde(skip)]
    pub digest: super::digest::ReadDigest,
    /// Things a steward should know: skipped title rows, precision loss in Excel numbers.
    pub notes: Vec<String>,
    /// Workbook cells whose number Excel rounded to 15 significant digits (an ID typed as a number): sheet row
    /// (1-based) and column (0-based, as in `headers`). Validation reports each as `excel-precision-lost`.
    #[serde(skip)]
    pub lost_digits: Vec<(u64, usize)>,
}

impl SourceInfo {
    /// The input as a manifest records it: the file as given, or a database's URL without password and
    /// its table (`#query` for a query).
    pub fn recorded_path(&self) -> &str {
        if super::db::is_database(&self.path) {
            &self.label
        } else {
            &self.path
        }
    }
}

/// One data row, as text, with the line or sheet row on which it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub row: u64,
    pub fields: Vec<String>,
}

/// A row lent to a visitor: its fields borrow the source, so reading allocates nothing per field.
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'a> {
    pub row: u64,
    pub fields: &'a [&'a str],
}

/// A row that could not be read, kept whole with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reject {
    pub row: u64,
    pub reason: String,
    pub raw: String,
}

pub enum Item<'a> {
    Row(RowRef<'a>),
    Reject(Reject),
}

/// One source as a summary states it: its label, format, and the encoding it was read with.
#[derive(Debug, Clone, Serialize)]
pub struct SourceSummary {
    pub source: String,
    pub format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding_how: Option<&'static str>,
}

impl SourceSummary {
    /// `source: f.csv (csv, encoding GBK/GB18030, detected)`, or `source: book.xlsx!Customers (xlsx)`.
    pub fn line(&self) -> String {
        match (&self.encoding, self.encoding_how) {
            (Some(e), Some(how)) => {
                format!(
                    "source: {} ({}, encoding {e}, {how})",
                    self.source, self.format
                )
            }
            _ => format!("source: {} ({})", self.source, self.format),
        }
    }
}

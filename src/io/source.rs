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
    /// What `_row` says when it is not the number `row`: a table's primary key that is text or has several
    /// columns.
    pub label: Option<&'a str>,
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

/// Give each file source the shortest `_source` that tells the run's files apart: the file name, or as many
/// trailing folders as it takes (`2025/customers.csv` beside `2026/customers.csv`), then `!sheet` for a
/// workbook. Outputs leave the team; the folders of the machine that ran steward stay in the manifest, which
/// records each input's path as given. Stdin and database sources keep their labels.
pub fn short_labels<'a>(sources: impl IntoIterator<Item = &'a mut super::Source>) {
    let mut sources: Vec<&mut super::Source> = sources.into_iter().collect();
    use std::path::{Component, Path};
    let parts = |p: &str| -> Vec<String> {
        Path::new(p)
            .components()
            .filter(|c| !matches!(c, Component::CurDir))
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect()
    };
    let is_file = |i: &SourceInfo| i.path != "-" && !super::db::is_database(&i.path);
    let mut paths: Vec<Vec<String>> = sources
        .iter()
        .filter(|s| is_file(&s.info))
        .map(|s| parts(&s.info.path))
        .collect();
    paths.sort();
    paths.dedup();
    let suffix = |p: &[String], k: usize| p[p.len().saturating_sub(k)..].join("/");
    for s in sources.iter_mut().filter(|s| is_file(&s.info)) {
        let s = &mut **s;
        let Some(rest) = s.info.label.strip_prefix(s.info.path.as_str()) else {
            continue;
        };
        let mine = parts(&s.info.path);
        let Some(k) = (1..=mine.len()).find(|&k| {
            let name = suffix(&mine, k);
            paths
                .iter()
                .filter(|p| **p != mine)
                .all(|p| suffix(p, k) != name)
        }) else {
            continue;
        };
        s.info.label = format!("{}{rest}", suffix(&mine, k));
    }
}

#[cfg(test)]
mod short_label_tests {
    use super::*;

    fn src(path: &str, sheet: Option<&str>) -> crate::io::Source {
        let label = match sheet {
            Some(s) => format!("{path}!{s}"),
            None => path.to_string(),
        };
        crate::io::Source {
            info: SourceInfo {
                path: path.into(),
                label,
                format: "csv",
                encoding: None,
                encoding_how: None,
                delimiter: None,
                sheet: sheet.map(String::from),
                sheets: Vec::new(),
                header_row: 1,
                headers: Vec::new(),
                bytes: 0,
                digest: Default::default(),
                notes: Vec::new(),
                lost_digits: Vec::new(),
            },
            body: crate::io::read::Body::Rows(Vec::new()),
        }
    }

    fn labels(list: &[(&str, Option<&str>)]) -> Vec<String> {
        let mut s: Vec<_> = list.iter().map(|(p, sh)| src(p, *sh)).collect();
        short_labels(s.iter_mut());
        s.into_iter().map(|s| s.info.label).collect()
    }

    #[test]
    fn the_file_name_when_it_tells_the_sources_apart() {
        assert_eq!(
            labels(&[
                ("/home/alice/exports/crm.csv", None),
                ("/home/alice/shop/book.xlsx", Some("Customers")),
                ("/home/alice/shop/book.xlsx", Some("Leads")),
                ("-", None),
                ("sqlite:/home/alice/crm.db", None),
            ]),
            vec![
                "crm.csv",
                "book.xlsx!Customers",
                "book.xlsx!Leads",
                "-",
                "sqlite:/home/alice/crm.db"
            ]
        );
    }

    #[test]
    fn as_many_folders_as_it_takes() {
        assert_eq!(
            labels(&[
                ("/data/2025/customers.csv", None),
                ("/data/2026/customers.csv", None),
                ("./other.csv", None),
                ("exports/x/a.csv", None),
            ]),
            vec![
                "2025/customers.csv",
                "2026/customers.csv",
                "other.csv",
                "a.csv"
            ]
        );
        // The same file given twice keeps one label; a relative path already minimal stays as given.
        assert_eq!(
            labels(&[("a.csv", None), ("./a.csv", None)]),
            vec!["a.csv", "a.csv"]
        );
    }
}

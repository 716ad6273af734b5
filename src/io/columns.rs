//! Named columns of a small result file an engine wrote back (CSV or Parquet, by extension): the scored pairs
//! and training counts of a model's SQL. Every value as text, each row with where it stands, for messages.

use anyhow::Result;
use std::path::Path;

use crate::error::StewardError;

/// The columns asked for, row by row.
pub struct NamedColumns {
    pub origin: String,
    pub names: Vec<String>,
    /// Per asked column: its 1-based position in the file, or None for an optional one it lacks.
    pub positions: Vec<Option<usize>>,
    /// Per row: its line (CSV) or row number (Parquet), and the asked columns' values ("" where absent).
    pub rows: Vec<(u64, Vec<String>)>,
    parquet: bool,
}

impl NamedColumns {
    /// Where row `r`'s value of asked column `k` stands: `line 2, column 3 (row_b)` or `row 2, column row_b`.
    pub fn at(&self, r: usize, k: usize) -> String {
        let (n, name) = (self.rows[r].0, &self.names[k]);
        match (self.parquet, self.positions[k]) {
            (false, Some(c)) => format!("line {n}, column {c} ({name})"),
            _ => format!("row {n}, column {name}"),
        }
    }

    /// A data error (exit 65) about this file.
    pub fn error(&self, what: String) -> anyhow::Error {
        StewardError::data(format!("{}: {what}", self.origin)).into()
    }
}

/// Read the columns `want` (name, required) of `path`; a missing required column is an error naming it.
pub fn read_columns(path: &Path, want: &[(&str, bool)]) -> Result<NamedColumns> {
    let origin = path.display().to_string();
    let bad =
        |what: String| -> anyhow::Error { StewardError::data(format!("{origin}: {what}")).into() };
    let file = std::fs::File::open(path)
        .map_err(|e| StewardError::no_input(format!("{origin}: cannot read it: {e}")))?;
    crate::io::write::note_read(path);
    let required: Vec<&str> = want.iter().filter(|w| w.1).map(|w| w.0).collect();
    let locate = |names: &[String]| -> Result<Vec<Option<usize>>> {
        want.iter()
            .map(|&(n, req)| {
                let at = names
                    .iter()
                    .position(|h| h.trim_start_matches('\u{feff}') == n);
                match at {
                    None if req => Err(bad(format!(
                        "no column {n} (it needs {})",
                        required.join(", ")
                    ))),
                    at => Ok(at),
                }
            })
            .collect()
    };
    let names: Vec<String> = want.iter().map(|w| w.0.to_string()).collect();
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
    {
        use polars::prelude::*;
        let df = ParquetReader::new(file)
            .finish()
            .map_err(|e| bad(format!("not a Parquet file: {e}")))?;
        let header: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let at = locate(&header)?;
        let cols: Vec<Option<Series>> = at
            .iter()
            .map(|a| {
                a.map(|i| {
                    df.columns()[i]
                        .as_materialized_series()
                        .cast(&DataType::String)
                        .map_err(|e| bad(format!("column {}: {e}", header[i])))
                })
                .transpose()
            })
            .collect::<Result<_>>()?;
        let strs: Vec<Option<&StringChunked>> = cols
            .iter()
            .map(|c| c.as_ref().map(|c| c.str()).transpose())
            .collect::<PolarsResult<_>>()?;
        let rows = (0..df.height())
            .map(|i| {
                let row = strs
                    .iter()
                    .map(|c| c.and_then(|c| c.get(i)).unwrap_or("").to_string())
                    .collect();
                (i as u64 + 1, row)
            })
            .collect();
        return Ok(NamedColumns {
            origin,
            names,
            positions: at.iter().map(|a| a.map(|i| i + 1)).collect(),
            rows,
            parquet: true,
        });
    }
    let mut r = csv::ReaderBuilder::new().from_reader(std::io::BufReader::new(file));
    let header: Vec<String> = r
        .headers()
        .map_err(|e| bad(format!("line 1: {e}")))?
        .iter()
        .map(String::from)
        .collect();
    let at = locate(&header)?;
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let row = at
            .iter()
            .map(|a| a.and_then(|i| rec.get(i)).unwrap_or("").to_string())
            .collect();
        rows.push((line, row));
    }
    Ok(NamedColumns {
        origin,
        names,
        positions: at.iter().map(|a| a.map(|i| i + 1)).collect(),
        rows,
        parquet: false,
    })
}

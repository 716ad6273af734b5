//! The erasure's counts and its receipt: per source, per request and per kind of identifier, rows removed
//! and values redacted; requests named only by keyed token, so the receipt holds no personal data.

use serde::Serialize;
use std::collections::BTreeMap;

use super::{Found, IdKind, RequestKind, Requests, REDACTED};
use crate::privacy::token::TOKEN_VERSION;

/// What was read from one source (a file, or a sheet of a workbook) and what its erasure changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReceipt {
    pub file: String,
    pub sha256: Option<String>,
    pub rows_in: u64,
    pub rows_removed: u64,
    pub values_redacted: u64,
    /// Columns searched as identifier columns, with their kind (`email (by values)` when the values said so).
    pub identifier_columns: BTreeMap<String, String>,
    /// Values redacted per column.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub redacted_by_column: BTreeMap<String, u64>,
    /// Where the source was written (itself with `--in-place`), and the SHA-256 of what was written.
    pub output: String,
    pub output_sha256: Option<String>,
}

/// Counts of an erasure as rows pass: per source, per request, per kind of identifier.
#[derive(Debug, Clone)]
pub struct Tally {
    pub(super) by_request: Vec<BTreeMap<String, u64>>,
    redacted_by_request: Vec<u64>,
    pub files: Vec<FileReceipt>,
    pub rows_in: u64,
    pub rows_out: u64,
    /// Rows removed per kind of the identifier column that matched (a row matched in two kinds counts in each).
    pub removed_by_kind: BTreeMap<IdKind, u64>,
    /// Values redacted inside free text, per kind of identifier.
    pub redacted_by_kind: BTreeMap<IdKind, u64>,
}

impl Tally {
    pub fn new(requests: &Requests) -> Self {
        Tally {
            by_request: vec![BTreeMap::new(); requests.len()],
            redacted_by_request: vec![0; requests.len()],
            files: Vec::new(),
            rows_in: 0,
            rows_out: 0,
            removed_by_kind: BTreeMap::new(),
            redacted_by_kind: BTreeMap::new(),
        }
    }

    /// The rows counted next come from this source.
    pub fn start_file(&mut self, file: String, sha256: Option<String>, output: String) {
        self.files.push(FileReceipt {
            file,
            sha256,
            rows_in: 0,
            rows_removed: 0,
            values_redacted: 0,
            identifier_columns: BTreeMap::new(),
            redacted_by_column: BTreeMap::new(),
            output,
            output_sha256: None,
        });
    }

    pub(super) fn file(&mut self) -> &mut FileReceipt {
        self.files
            .last_mut()
            .expect("Tally::start_file before counting rows")
    }

    /// A kept row.
    pub fn keep(&mut self) {
        self.file().rows_in += 1;
        self.rows_in += 1;
        self.rows_out += 1;
    }

    /// A removed row with the requests it matched (ascending, each once) and the kinds of the columns that did.
    pub fn remove(&mut self, hits: &[usize], kinds: &[IdKind]) {
        let file = self.file();
        file.rows_in += 1;
        file.rows_removed += 1;
        let name = file.file.clone();
        self.rows_in += 1;
        for &h in hits {
            *self.by_request[h].entry(name.clone()).or_default() += 1;
        }
        for k in kinds {
            *self.removed_by_kind.entry(*k).or_default() += 1;
        }
    }

    /// An identifier redacted in a kept row's column.
    pub fn redact(&mut self, column: &str, found: &Found) {
        let file = self.file();
        file.values_redacted += 1;
        *file
            .redacted_by_column
            .entry(column.to_string())
            .or_default() += 1;
        for &r in &found.requests {
            self.redacted_by_request[r] += 1;
        }
        *self.redacted_by_kind.entry(found.kind).or_default() += 1;
    }
}

/// What the erasure of one request removed and redacted.
#[derive(Debug, Clone, Serialize)]
pub struct RequestReceipt {
    /// Line of the request in the requests file.
    pub line: usize,
    pub kind: RequestKind,
    /// Keyed token of the identifier: the receipt holds no personal data.
    pub token: String,
    pub rows_removed: u64,
    pub values_redacted: u64,
    pub by_file: BTreeMap<String, u64>,
}

/// Where the receipt's tokens come from: the key, its domain, and when; and how the sources were written.
#[derive(Debug, Clone)]
pub struct ReceiptContext {
    pub created: String,
    pub key_id: String,
    pub domain: String,
    /// The normalization the request tokens were made with.
    pub normalization: crate::fields::Normalization,
    /// `in_place` or `copy`.
    pub mode: &'static str,
}

/// The erasure receipt: tokens and counts only, so it can be shown to the person and an auditor.
#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub tool: &'static str,
    pub version: &'static str,
    pub created: String,
    pub key_id: String,
    pub domain: String,
    pub token_version: &'static str,
    pub normalization_version: &'static str,
    pub mode: &'static str,
    /// The marker that replaced identifiers found inside free text.
    pub redaction_marker: &'static str,
    pub inputs: Vec<FileReceipt>,
    pub rows_in: u64,
    pub rows_out: u64,
    pub rows_removed: u64,
    pub values_redacted: u64,
    pub rows_removed_by_kind: BTreeMap<IdKind, u64>,
    pub values_redacted_by_kind: BTreeMap<IdKind, u64>,
    pub requests: Vec<RequestReceipt>,
    pub requests_without_match: u64,
}

impl Receipt {
    pub fn new(ctx: ReceiptContext, requests: &Requests, tally: Tally) -> Receipt {
        let reqs: Vec<RequestReceipt> = requests
            .list
            .iter()
            .zip(tally.by_request)
            .zip(tally.redacted_by_request)
            .map(|((r, by), redacted)| RequestReceipt {
                line: r.line,
                kind: r.kind,
                token: r.token.clone(),
                rows_removed: by.values().sum(),
                values_redacted: redacted,
                by_file: by,
            })
            .collect();
        let unmatched = reqs
            .iter()
            .filter(|r| r.rows_removed == 0 && r.values_redacted == 0)
            .count() as u64;
        Receipt {
            tool: "steward",
            version: env!("CARGO_PKG_VERSION"),
            created: ctx.created,
            key_id: ctx.key_id,
            domain: ctx.domain,
            token_version: TOKEN_VERSION,
            normalization_version: ctx.normalization.as_str(),
            mode: ctx.mode,
            redaction_marker: REDACTED,
            values_redacted: tally.files.iter().map(|f| f.values_redacted).sum(),
            inputs: tally.files,
            rows_in: tally.rows_in,
            rows_out: tally.rows_out,
            rows_removed: tally.rows_in - tally.rows_out,
            rows_removed_by_kind: tally.removed_by_kind,
            values_redacted_by_kind: tally.redacted_by_kind,
            requests: reqs,
            requests_without_match: unmatched,
        }
    }

    /// Lines (in the requests file) of the requests that matched nothing.
    pub fn unmatched_lines(&self) -> impl Iterator<Item = usize> + '_ {
        self.requests
            .iter()
            .filter(|r| r.rows_removed == 0 && r.values_redacted == 0)
            .map(|r| r.line)
    }
}

impl Receipt {
    /// The summary a person reads: counts, each source with where it went and what was searched, the
    /// requests that matched nothing.
    pub fn lines(&self, in_place: bool) -> Vec<String> {
        let mut out = vec![format!(
            "erased {} row(s) and redacted {} value(s) in free text for {} request(s): {} in = {} kept + {} erased",
            self.rows_removed,
            self.values_redacted,
            self.requests.len(),
            self.rows_in,
            self.rows_out,
            self.rows_removed
        )];
        for f in &self.inputs {
            let cols: Vec<String> = f
                .identifier_columns
                .iter()
                .map(|(c, k)| format!("{c} ({k})"))
                .collect();
            out.push(format!(
                "source: {} -> {}{}: {} removed, {} redacted; identifier columns: {}",
                f.file,
                f.output,
                if in_place { " (in place)" } else { "" },
                f.rows_removed,
                f.values_redacted,
                if cols.is_empty() {
                    "none".to_string()
                } else {
                    cols.join(", ")
                }
            ));
        }
        if self.requests_without_match > 0 {
            let lines: Vec<String> = self
                .unmatched_lines()
                .take(10)
                .map(|l| l.to_string())
                .collect();
            out.push(format!(
                "{} request(s) matched nothing (see the receipt; lines {})",
                self.requests_without_match,
                lines.join(", ")
            ));
        }
        out
    }
}

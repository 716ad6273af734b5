//! Pseudonymizing a table: every column's action (policy by privacy class, policy file, flags), the per-row
//! transform (keyed tokens, encryption, masking, generalization, consent), k-anonymity on top, and the record
//! of what was done (`Protection`, and the `Metadata` file of `steward pseudonymize`). No I/O: the command
//! streams pieces of rows through `Pseudonymizer::piece`; `pseudonymize_table` does a table held whole.

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

use super::freetext::{self, Counts, Embedded};
use super::generalize::Generalization;
use super::kanon::{enforce_k, MaxSuppress};
use super::key::Key;
use super::mask::mask_value;
use super::policy::{
    parse_generalize_flag, resolve_column, resolve_policy, Action, ColumnPolicy, PolicyFile,
    PolicyRequest,
};
use super::risk::{quasi_columns, singling_out, CodedColumn, SinglingOut};
use super::token::{Protector, TOKEN_VERSION};
use crate::error::StewardError;
use crate::fields::{self, Normalization};
use crate::io::workbook::CellType;
use crate::io::write::{
    DatasetWriter, Destination, EncodedRows, RowEncoder, WriteOptions, WriteStats,
};
use crate::schema::{ColumnMapping, FieldKind, Schema};
use crate::table::{FlatRows, Table, TableView};
use crate::validate::{check_kind, CheckOptions};

/// What the record of a pseudonymized dataset says it is.
pub const STATUS_PSEUDONYMIZED: &str = "pseudonymized personal data";
pub const LEGAL_NOTE: &str = "Pseudonymized data is still personal data: GDPR Art. 4(5) and Recital 26; PIPL Art. 73 \
(去标识化, de-identified, is not 匿名化, anonymized). Whoever holds the key (or a mapping file) can link tokens back \
to people. Handle it under the same agreements as the source.";

/// What to do to a dataset: the actions asked for by column (on top of the schema's privacy classes and the
/// policy file), the token domain, and the options of consent and k-anonymity.
#[derive(Debug, Clone)]
pub struct PseudonymizeOptions {
    /// Columns (schema field names, aliases or source headers) to keep, mask, tokenize, encrypt or drop.
    pub keep: Vec<String>,
    pub mask: Vec<String>,
    pub token: Vec<String>,
    pub encrypt: Vec<String>,
    pub drop: Vec<String>,
    /// Kept columns written as they came: not scanned for embedded e-mails, phones and resident IDs.
    pub no_scan: Vec<String>,
    /// `COLUMN=TO`, e.g. `birth_date=year`, `postcode=3`, `total_spend=band:1000`.
    pub generalize: Vec<String>,
    /// A policy file's domain and actions; flags above override it.
    pub policy: Option<PolicyFile>,
    /// The token domain [default: the policy file's, else "default"].
    pub domain: Option<String>,
    /// The normalization before tokens [default: the policy file's, else the current one].
    pub normalization: Option<Normalization>,
    /// Region for phone numbers of rows without a country (ISO 3166-1 alpha-2).
    pub default_region: Option<String>,
    /// Age bands are counted at this date.
    pub as_of: chrono::NaiveDate,
    /// Keep only the rows whose consent column says yes.
    pub consent_field: Option<String>,
    /// Generalize further or suppress records until every group of quasi-identifiers has at least k records.
    pub k: Option<usize>,
    /// Quasi-identifiers for `k` [default: the schema's quasi-identifier fields that are written].
    pub quasi: Vec<String>,
    pub max_suppress: MaxSuppress,
}

impl PseudonymizeOptions {
    /// The schema's defaults by privacy class, nothing else asked for.
    pub fn new(as_of: chrono::NaiveDate) -> PseudonymizeOptions {
        PseudonymizeOptions {
            keep: Vec::new(),
            mask: Vec::new(),
            token: Vec::new(),
            encrypt: Vec::new(),
            drop: Vec::new(),
            no_scan: Vec::new(),
            generalize: Vec::new(),
            policy: None,
            domain: None,
            normalization: None,
            default_region: None,
            as_of,
            consent_field: None,
            k: None,
            quasi: Vec::new(),
            max_suppress: MaxSuppress::default(),
        }
    }

    /// The token domain: asked for, else the policy file's, else "default".
    pub fn domain(&self) -> String {
        self.domain
            .clone()
            .or_else(|| self.policy.as_ref().and_then(|p| p.domain.clone()))
            .unwrap_or_else(|| "default".to_string())
    }

    /// The normalization before tokens: asked for, else the policy file's, else the current one.
    pub fn normalization(&self) -> Normalization {
        self.normalization
            .or_else(|| self.policy.as_ref().and_then(|p| p.normalization))
            .unwrap_or(Normalization::CURRENT)
    }
}

/// The action of every column: the schema's privacy classes, then the policy file, then the column lists of
/// the options (keep, mask, token, encrypt, drop, generalize, in that order: the last word wins).
pub fn column_policy(
    schema: &Schema,
    columns: &[String],
    mappings: &[Vec<ColumnMapping>],
    opts: &PseudonymizeOptions,
) -> Result<Vec<ColumnPolicy>> {
    let mut flags: Vec<(Vec<String>, String)> = Vec::new();
    for (cols, action) in [
        (&opts.keep, "keep"),
        (&opts.mask, "mask"),
        (&opts.token, "token"),
        (&opts.encrypt, "encrypt"),
        (&opts.drop, "drop"),
    ] {
        if !cols.is_empty() {
            flags.push((cols.clone(), action.to_string()));
        }
    }
    for g in &opts.generalize {
        let (c, spec) = parse_generalize_flag(g)?;
        flags.push((vec![c], spec));
    }
    resolve_policy(
        schema,
        columns,
        mappings,
        &PolicyRequest {
            file: opts.policy.as_ref(),
            flags,
        },
    )
}

/// What one column's action did.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnReport {
    pub column: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privacy: Option<&'static str>,
    pub action: &'static str,
    pub detail: String,
    pub why: String,
    /// Cells whose value the action changed.
    pub cells_changed: u64,
    /// For a kept column scanned for embedded identifiers: those replaced by their tokens, by kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedded_redacted: Option<Counts>,
}

/// Where k-anonymity ended.
#[derive(Debug, Clone, Serialize)]
pub struct KReport {
    pub k: usize,
    pub quasi_identifiers: Vec<String>,
    /// The generalization each quasi-identifier ended at.
    pub generalized_to: Vec<(String, String)>,
    pub rows_suppressed: u64,
    pub k_anonymous: bool,
    /// Kept columns outside the quasi-identifiers (privacy class none, or kept by request) on which, alone or
    /// together, most written records are unique: k-anonymity over the quasi-identifiers does not cover them.
    pub kept_columns_singling_out: Vec<SinglingOut>,
}

/// What protection a dataset got: its status, the key id (never the key) and domain, the token and
/// normalization versions, rows left out, and each column's action and how many cells it changed.
#[derive(Debug, Clone, Serialize)]
pub struct Protection {
    pub status: &'static str,
    pub key_id: Option<String>,
    pub domain: String,
    pub token_version: &'static str,
    pub normalization_version: &'static str,
    /// Rows written.
    pub rows_out: u64,
    pub rows_excluded_no_consent: u64,
    pub rows_suppressed: u64,
    pub columns: Vec<ColumnReport>,
    pub k_anonymity: Option<KReport>,
}

/// The first line of a protected file's About sheet: how its tokens were made.
fn key_line(key_id: Option<&str>, domain: &str) -> String {
    match key_id {
        Some(id) => format!(
            "pseudonymized with keyed tokens ({TOKEN_VERSION}): key id {id}, domain {domain:?}; the key itself is \
             recorded nowhere"
        ),
        None => "pseudonymized without a key: no column tokenized or encrypted".to_string(),
    }
}

impl Protection {
    /// How the table is protected, for a workbook's About sheet: the key id and domain, then each column's
    /// action.
    pub fn about_lines(&self) -> Vec<String> {
        let mut out = vec![key_line(self.key_id.as_deref(), &self.domain)];
        out.extend(
            self.columns
                .iter()
                .map(|c| format!("{}: {} ({})", c.column, c.action, c.detail)),
        );
        out
    }

    /// How a workbook of the protected table may type `columns`: by the kind of their field where the policy
    /// kept the column as it was; every other column is text.
    pub fn cell_types(&self, schema: &Schema, columns: &[String]) -> Vec<Option<CellType>> {
        columns
            .iter()
            .map(|c| {
                let r = self
                    .columns
                    .iter()
                    .find(|r| &r.column == c && r.action == Action::Keep.name())?;
                let field = schema.field(r.field.as_deref().unwrap_or(c))?;
                CellType::of(field.kind)
            })
            .collect()
    }

    /// For people: the key id, domain and versions, a line per column, and where k-anonymity ended.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(id) = &self.key_id {
            out.push(format!(
                "key {id}, domain {:?}, {}/{}",
                self.domain, self.token_version, self.normalization_version
            ));
        }
        for c in &self.columns {
            out.push(format!(
                "  {:<20} {:<40} {:>7} changed  [{}]",
                c.column, c.detail, c.cells_changed, c.why
            ));
            if let Some(e) = c.embedded_redacted.filter(|e| e.total() > 0) {
                out.push(format!(
                    "  {:<20} embedded identifiers replaced by their tokens in {} value(s): {}",
                    "",
                    c.cells_changed,
                    e.describe()
                ));
            }
        }
        if let Some(k) = &self.k_anonymity {
            out.push(format!(
                "k-anonymity: every group of {} has at least {} records; {} record(s) suppressed; {}",
                k.quasi_identifiers.join(", "),
                k.k,
                k.rows_suppressed,
                k.generalized_to
                    .iter()
                    .map(|(c, g)| format!("{c}: {g}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            if !k.kept_columns_singling_out.is_empty() {
                out.push(format!(
                    "kept columns outside the quasi-identifiers still single records out (generalize them, e.g. --generalize {}=month, or drop them):",
                    k.kept_columns_singling_out[0].columns[0]
                ));
                for s in &k.kept_columns_singling_out {
                    out.push(format!("  {}", s.line()));
                }
            }
        }
        out
    }
}

/// The metadata file beside a pseudonymized dataset (`OUT.meta.json`): its protection and where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct Metadata {
    pub tool: &'static str,
    pub version: &'static str,
    pub created: String,
    pub status: &'static str,
    pub legal_note: &'static str,
    pub key_id: Option<String>,
    pub domain: String,
    pub token_version: &'static str,
    pub normalization_version: &'static str,
    pub inputs: Vec<String>,
    pub output: String,
    pub rows_in: u64,
    pub rows_out: u64,
    pub rows_rejected: u64,
    pub rows_excluded_no_consent: u64,
    pub rows_suppressed: u64,
    pub columns: Vec<ColumnReport>,
    pub k_anonymity: Option<KReport>,
    /// Whether a token -> value mapping was written (its path is not recorded here).
    pub mapping_written: bool,
}

/// Where a pseudonymized dataset came from and went, for its metadata.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub inputs: Vec<String>,
    pub output: String,
    /// Rows read, counting those that could not be read.
    pub rows_in: u64,
    /// Rows in the written dataset.
    pub rows_out: u64,
    pub rows_rejected: u64,
    pub mapping_written: bool,
    pub created: chrono::DateTime<chrono::Local>,
}

impl Metadata {
    pub fn new(p: Protection, from: Provenance) -> Metadata {
        Metadata {
            tool: "steward",
            version: env!("CARGO_PKG_VERSION"),
            created: from.created.to_rfc3339(),
            status: p.status,
            legal_note: LEGAL_NOTE,
            key_id: p.key_id,
            domain: p.domain,
            token_version: p.token_version,
            normalization_version: p.normalization_version,
            inputs: from.inputs,
            output: from.output,
            rows_in: from.rows_in,
            rows_out: from.rows_out,
            rows_rejected: from.rows_rejected,
            rows_excluded_no_consent: p.rows_excluded_no_consent,
            rows_suppressed: p.rows_suppressed,
            columns: p.columns,
            k_anonymity: p.k_anonymity,
            mapping_written: from.mapping_written,
        }
    }
}

/// One column's work: where its value comes from and what to do with it.
struct Plan {
    col: usize,
    kind: FieldKind,
    action: Action,
    /// A kept column whose embedded identifiers are replaced by their tokens.
    scan: bool,
}

/// Token (or ciphertext) -> (column, original value), for the mapping file.
pub type Mapping = HashMap<String, (usize, String)>;

/// Counts kept while rows go through: changed cells per input column, embedded identifiers replaced per
/// input column, rows left out for consent.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub changed: Vec<u64>,
    pub embedded: Vec<Counts>,
    pub excluded: u64,
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        for (a, b) in self.changed.iter_mut().zip(&other.changed) {
            *a += b;
        }
        for (a, b) in self.embedded.iter_mut().zip(&other.embedded) {
            a.add(b);
        }
        self.excluded += other.excluded;
    }
}

/// A piece's output: encoded (CSV, TSV, JSON lines) or as rows for the writer (Parquet, xlsx, a table).
pub enum PieceOut {
    Encoded(EncodedRows),
    Rows(FlatRows),
}

/// What the work on one piece gives: its output, and its changed cells and rows left out for consent.
pub struct PieceDone {
    pub out: PieceOut,
    pub tally: Tally,
}

/// Rows held for k-anonymity until the groups are known, with their quasi-identifiers normalized.
#[derive(Debug)]
pub struct Held {
    rows: Vec<Vec<String>>,
    quasi: Vec<Vec<String>>,
    /// The kept columns of privacy class none, normalized, for the records they single out.
    kept_none: Vec<CodedColumn>,
}

/// The policy of a dataset made ready to apply: which columns are written, what is done to each, the key's
/// protector, consent and quasi-identifier columns. Shared by the streaming command and `pseudonymize_table`.
pub struct Pseudonymizer<'a> {
    schema: &'a Schema,
    columns: Vec<String>,
    policy: Vec<ColumnPolicy>,
    plans: Vec<Plan>,
    /// Input columns written, in order.
    kept: Vec<usize>,
    out_columns: Vec<String>,
    consent_col: Option<usize>,
    quasi: Vec<usize>,
    /// With k: the kept columns outside the quasi-identifiers whose records may still be unique.
    kept_none: Vec<usize>,
    k: Option<usize>,
    max_suppress: MaxSuppress,
    /// Whether any tokenized or encrypted column is a phone number (whose region comes from the row).
    needs_region: bool,
    protector: Option<Protector>,
    key_id: Option<String>,
    domain: String,
    check: CheckOptions,
    country_col: Option<usize>,
    default_region: Option<String>,
    as_of: chrono::NaiveDate,
}

impl<'a> Pseudonymizer<'a> {
    /// Make the `policy` (from `column_policy`) ready for rows of `columns`. `key` is needed when a column is
    /// tokenized or encrypted. Errors: the consent or a quasi-identifier column is not there, every column is
    /// dropped, or k-anonymity cannot be reached with these quasi-identifiers.
    pub fn new(
        schema: &'a Schema,
        columns: &[String],
        mappings: &[Vec<ColumnMapping>],
        policy: Vec<ColumnPolicy>,
        opts: &PseudonymizeOptions,
        key: Option<&Key>,
    ) -> Result<Pseudonymizer<'a>> {
        let domain = opts.domain();
        let normalization = opts.normalization();
        let protector = key.map(|k| Protector::new(k, &domain, normalization));
        let consent_col = opts
            .consent_field
            .as_deref()
            .map(|c| resolve_column(c, columns, schema, mappings))
            .transpose()?;
        // An opt-out column says yes for "no marketing": read as consent it would keep exactly the people
        // who said no.
        if let (Some(c), Some(asked)) = (consent_col, opts.consent_field.as_deref()) {
            if columns[c] == "email_opt_out" {
                return Err(StewardError::usage(format!(
                    "--consent-field {asked}: that column is email_opt_out, an opt-out (yes means no marketing), \
                     not a consent; name the consent column (e.g. marketing_consent)"
                ))
                .into());
            }
        }
        let country_col = columns.iter().position(|c| {
            schema
                .field(c)
                .is_some_and(|f| f.kind == FieldKind::Country)
        });
        let mut unscanned = vec![false; columns.len()];
        let policy_no_scan = opts.policy.iter().flat_map(|p| p.no_scan.iter());
        for c in policy_no_scan.chain(&opts.no_scan) {
            unscanned[resolve_column(c, columns, schema, mappings)?] = true;
        }
        let plans: Vec<Plan> = policy
            .iter()
            .enumerate()
            .map(|(i, c)| Plan {
                col: i,
                kind: c.kind.unwrap_or(FieldKind::Text),
                action: c.action,
                scan: c.action == Action::Keep && !unscanned[i] && scans(c),
            })
            .collect();
        let kept: Vec<usize> = plans
            .iter()
            .filter(|p| p.action != Action::Drop)
            .map(|p| p.col)
            .collect();
        if kept.is_empty() {
            return Err(StewardError::usage(
                "the policy drops every column: nothing would be written",
            )
            .into());
        }
        let out_columns: Vec<String> = kept.iter().map(|&i| columns[i].clone()).collect();

        // Quasi-identifiers for k: named, else the schema's quasi fields that are written.
        let quasi: Vec<usize> = if opts.k.is_some() {
            quasi_columns(&opts.quasi, columns, schema, mappings, kept.iter().copied())?
        } else {
            Vec::new()
        };
        if let Some(k) = opts.k {
            if k < 2 {
                return Err(StewardError::usage("--k must be at least 2").into());
            }
            if quasi.is_empty() {
                return Err(StewardError::usage(
                    "--k needs quasi-identifiers: name them with --quasi (none of the schema's quasi-identifier fields is in the output)",
                )
                .into());
            }
            for &q in &quasi {
                if matches!(
                    plans[q].action,
                    Action::Drop | Action::Token | Action::Encrypt
                ) {
                    return Err(StewardError::usage(format!(
                        "--quasi {}: the column is {} by the policy, so it cannot be generalized for k-anonymity",
                        columns[q],
                        policy[q].action.name()
                    ))
                    .into());
                }
            }
        }
        let needs_region = plans.iter().any(|p| {
            p.scan
                || (p.kind == FieldKind::Phone
                    && matches!(p.action, Action::Token | Action::Encrypt))
        });
        let kept_none: Vec<usize> = if opts.k.is_some() {
            plans
                .iter()
                .filter(|p| {
                    p.action == Action::Keep
                        && !quasi.contains(&p.col)
                        && !is_provenance(&columns[p.col])
                        && policy[p.col]
                            .class
                            .is_none_or(|c| c == crate::schema::PrivacyClass::None)
                })
                .map(|p| p.col)
                .collect()
        } else {
            Vec::new()
        };
        Ok(Pseudonymizer {
            schema,
            columns: columns.to_vec(),
            policy,
            plans,
            kept,
            out_columns,
            consent_col,
            kept_none,
            quasi,
            k: opts.k,
            max_suppress: opts.max_suppress,
            needs_region,
            protector,
            key_id: key.map(|k| k.id()),
            domain,
            check: CheckOptions {
                default_region: opts.default_region.clone(),
                day_first: false,
                today: opts.as_of,
                stale_after_days: None,
                normalization,
            },
            country_col,
            default_region: opts.default_region.clone(),
            as_of: opts.as_of,
        })
    }

    /// The columns written, in order.
    pub fn out_columns(&self) -> &[String] {
        &self.out_columns
    }

    /// How the written table is protected, for a workbook's About sheet: the key id (never the key) and domain,
    /// then each column's action.
    pub fn about_lines(&self) -> Vec<String> {
        let mut out = vec![key_line(self.key_id.as_deref(), &self.domain)];
        out.extend(
            self.policy
                .iter()
                .map(|c| format!("{}: {}", c.column, c.action.describe())),
        );
        out
    }

    /// How a workbook may type each written column: by its field's kind where the column is kept as it was;
    /// a token, a mask or a generalization is text.
    pub fn out_cell_types(&self) -> Vec<Option<CellType>> {
        self.kept
            .iter()
            .map(|&i| {
                let p = &self.plans[i];
                (p.action == Action::Keep)
                    .then(|| CellType::of(p.kind))
                    .flatten()
            })
            .collect()
    }

    /// Whether rows must be held until every row is seen (k-anonymity).
    pub fn holds_rows(&self) -> bool {
        self.k.is_some()
    }

    /// A tally with nothing counted yet.
    pub fn tally(&self) -> Tally {
        Tally {
            changed: vec![0; self.columns.len()],
            embedded: vec![Counts::default(); self.columns.len()],
            excluded: 0,
        }
    }

    fn region(&self, row: &[impl AsRef<str>]) -> Option<String> {
        self.region_of(self.country_col.map(|c| row[c].as_ref()))
    }

    /// The phone region of a row: its country, else the default region.
    fn region_of(&self, country: Option<&str>) -> Option<String> {
        country
            .map(|c| fields::country::check_country(c).value)
            .filter(|c| c.len() == 2)
            .or_else(|| self.default_region.clone())
    }

    /// The normalized form of a value (ISO dates, E.164 phones), or the cleaned value when it cannot be.
    fn normalized(&self, field: &str, kind: FieldKind, raw: &str, region: Option<&str>) -> String {
        match self.schema.field(field) {
            Some(f) => check_kind(f, raw, region, &self.check).value,
            None => {
                let f = crate::schema::Field::new(field, kind);
                check_kind(&f, raw, region, &self.check).value
            }
        }
    }

    fn apply<'r>(
        &self,
        name: &str,
        p: &Plan,
        raw: &'r str,
        region: Option<&str>,
        mapping: Option<&mut Mapping>,
        embedded: &mut Counts,
    ) -> Result<Cow<'r, str>> {
        if p.action == Action::Keep {
            if !p.scan {
                return Ok(Cow::Borrowed(raw));
            }
            return Ok(self.redact_embedded(p.col, raw, region, mapping, embedded));
        }
        if raw.trim().is_empty() {
            return Ok(Cow::Borrowed(""));
        }
        Ok(Cow::Owned(match p.action {
            Action::Keep | Action::Drop => String::new(),
            Action::Token => {
                let prot = self.protector.as_ref().ok_or_else(|| {
                    StewardError::usage("tokens need a key: pass --key-file or set STEWARD_KEY")
                })?;
                let t = prot.token(p.kind, raw, region);
                if let Some(m) = mapping {
                    m.entry(t.clone())
                        .or_insert_with(|| (p.col, raw.trim().to_string()));
                }
                t
            }
            Action::Encrypt => {
                let prot = self.protector.as_ref().ok_or_else(|| {
                    StewardError::usage(
                        "encryption needs a key: pass --key-file or set STEWARD_KEY",
                    )
                })?;
                let v = prot.encrypt(&self.normalized(name, p.kind, raw, region))?;
                if let Some(m) = mapping {
                    m.entry(v.clone())
                        .or_insert_with(|| (p.col, raw.trim().to_string()));
                }
                v
            }
            Action::Mask => mask_value(p.kind, &fields::text::clean_text(raw)),
            Action::Generalize(g) => {
                g.apply(&self.normalized(name, p.kind, raw, region), self.as_of)
            }
        }))
    }

    /// A kept value with every embedded e-mail, phone number and resident ID replaced by the token it gets in
    /// its own column (same key, domain and row region, so joins still work), or by `[email]`, `[phone]`,
    /// `[resident_id]` when there is no key.
    fn redact_embedded<'r>(
        &self,
        col: usize,
        raw: &'r str,
        region: Option<&str>,
        mut mapping: Option<&mut Mapping>,
        embedded: &mut Counts,
    ) -> Cow<'r, str> {
        // A plain value of a typed column (a date, an amount, a count, a country) is not free text: only one
        // that holds letters or an @ is read for identifiers.
        let typed = matches!(
            self.plans[col].kind,
            FieldKind::Date
                | FieldKind::Datetime
                | FieldKind::Boolean
                | FieldKind::Money
                | FieldKind::Integer
                | FieldKind::Number
                | FieldKind::Postcode
                | FieldKind::Country
                | FieldKind::Enum
        );
        if typed && !raw.bytes().any(|b| b == b'@' || b.is_ascii_alphabetic()) {
            return Cow::Borrowed(raw);
        }
        let regions: &[&str] = match &region {
            Some(r) => std::slice::from_ref(r),
            None => &[],
        };
        let (out, counts) = freetext::redact(raw, regions, |kind: Embedded, id: &str| match &self
            .protector
        {
            Some(prot) => {
                let t = prot.token(kind.field_kind(), id, region);
                if let Some(m) = mapping.as_deref_mut() {
                    m.entry(t.clone())
                        .or_insert_with(|| (col, id.trim().to_string()));
                }
                t
            }
            None => format!("[{}]", kind.name()),
        });
        embedded.add(&counts);
        out
    }

    /// Whether a row may be used: it has consent, or no consent column was asked for.
    fn consented(&self, row: &[impl AsRef<str>], tally: &mut Tally) -> bool {
        if let Some(c) = self.consent_col {
            if fields::enums::check_boolean(row[c].as_ref()).value != "true" {
                tally.excluded += 1;
                return false;
            }
        }
        true
    }

    fn transform(
        &self,
        row: &[impl AsRef<str>],
        region: Option<&str>,
        tally: &mut Tally,
        mut mapping: Option<&mut Mapping>,
        out: &mut Vec<String>,
    ) -> Result<()> {
        out.clear();
        for &i in &self.kept {
            let raw = row[i].as_ref();
            let v = self.apply(
                &self.columns[i],
                &self.plans[i],
                raw,
                region,
                mapping.as_deref_mut(),
                &mut tally.embedded[i],
            )?;
            if v != raw {
                tally.changed[i] += 1;
            }
            out.push(v.into_owned());
        }
        Ok(())
    }

    /// One row, cell by cell (the path of `--mapping`): `Ok(false)` when left out for consent, else `out`
    /// holds the cells written. Tokens and ciphertexts go into `mapping` when given.
    pub fn row(
        &self,
        row: &[impl AsRef<str>],
        tally: &mut Tally,
        mapping: Option<&mut Mapping>,
        out: &mut Vec<String>,
    ) -> Result<bool> {
        if !self.consented(row, tally) {
            out.clear();
            return Ok(false);
        }
        let region = self.region(row);
        self.transform(row, region.as_deref(), tally, mapping, out)?;
        Ok(true)
    }

    /// Empty storage for the rows held for k-anonymity.
    pub fn held(&self) -> Held {
        Held {
            rows: Vec::new(),
            quasi: vec![Vec::new(); self.quasi.len()],
            kept_none: vec![CodedColumn::new(); self.kept_none.len()],
        }
    }

    /// One row transformed as `row` does, and held for k-anonymity with its quasi-identifiers normalized.
    pub fn hold(
        &self,
        row: &[impl AsRef<str>],
        tally: &mut Tally,
        mapping: Option<&mut Mapping>,
        held: &mut Held,
    ) -> Result<()> {
        if !self.consented(row, tally) {
            return Ok(());
        }
        let region = self.region(row);
        let mut out = Vec::new();
        self.transform(row, region.as_deref(), tally, mapping, &mut out)?;
        for (qi, &q) in self.quasi.iter().enumerate() {
            held.quasi[qi].push(self.normalized(
                &self.columns[q],
                self.plans[q].kind,
                row[q].as_ref(),
                region.as_deref(),
            ));
        }
        for (i, &c) in self.kept_none.iter().enumerate() {
            held.kept_none[i].push(row[c].as_ref());
        }
        held.rows.push(out);
        Ok(())
    }

    /// k-anonymity over the held rows: the quasi-identifiers generalized as far as needed, the records still
    /// in too small groups suppressed. Returns the rows to write, in order, and the report.
    pub fn anonymize(&self, held: Held, tally: &mut Tally) -> (Vec<Vec<String>>, Option<KReport>) {
        let Some(k) = self.k else {
            return (held.rows, None);
        };
        let Held {
            rows: mut held_rows,
            quasi: held_quasi,
            mut kept_none,
        } = held;
        for (codes, &c) in kept_none.iter_mut().zip(&self.kept_none) {
            // Normalized once per distinct value (the row region does not matter for these kinds).
            codes.recode(|v| {
                self.normalized(&self.columns[c], self.plans[c].kind, v, None)
                    .to_lowercase()
            });
        }
        let (plans, quasi, as_of) = (&self.plans, &self.quasi, self.as_of);
        let start: Vec<Option<Generalization>> = quasi
            .iter()
            .map(|&q| match plans[q].action {
                Action::Generalize(g) => Some(g),
                _ => None,
            })
            .collect();
        let kinds: Vec<FieldKind> = quasi.iter().map(|&q| plans[q].kind).collect();
        let (levels, keep_row) = enforce_k(
            k,
            &held_quasi,
            &start,
            &kinds,
            self.max_suppress.of(held_rows.len() as u64),
            as_of,
        );
        let out_pos: Vec<usize> = quasi
            .iter()
            .map(|q| {
                self.kept
                    .iter()
                    .position(|k| k == q)
                    .expect("quasi columns are written")
            })
            .collect();
        let mut suppressed = 0u64;
        let mut written = Vec::with_capacity(held_rows.len());
        for (r, row) in held_rows.iter_mut().enumerate() {
            if !keep_row[r] {
                suppressed += 1;
                continue;
            }
            for (qi, &pos) in out_pos.iter().enumerate() {
                if let Some(g) = levels[qi] {
                    let v = g.apply(&held_quasi[qi][r], as_of);
                    if v != row[pos] {
                        // Counted once per cell: the first pass may have kept it as it was.
                        if plans[quasi[qi]].action == Action::Keep {
                            tally.changed[quasi[qi]] += 1;
                        }
                    }
                    row[pos] = v;
                }
            }
            written.push(std::mem::take(row));
        }
        let report = KReport {
            k,
            quasi_identifiers: quasi.iter().map(|&q| self.columns[q].clone()).collect(),
            generalized_to: quasi
                .iter()
                .zip(&levels)
                .map(|(&q, g)| {
                    (
                        self.columns[q].clone(),
                        g.map(|g| g.describe())
                            .unwrap_or_else(|| "kept as it was".into()),
                    )
                })
                .collect(),
            rows_suppressed: suppressed,
            k_anonymous: true,
            kept_columns_singling_out: singling_out(
                &self
                    .kept_none
                    .iter()
                    .map(|&c| self.columns[c].clone())
                    .collect::<Vec<_>>(),
                &kept_none,
                Some(&keep_row),
            ),
        };
        (written, Some(report))
    }

    /// The rows of the mapping file (token, column, value), sorted.
    pub fn mapping_rows<'m>(&'m self, mapping: &'m Mapping) -> Vec<[&'m str; 3]> {
        let mut entries: Vec<(&String, &(usize, String))> = mapping.iter().collect();
        entries.sort();
        entries
            .into_iter()
            .map(|(tok, (col, val))| [tok.as_str(), self.columns[*col].as_str(), val.as_str()])
            .collect()
    }

    /// What was done: `tally` from the rows, `rows_out` written, the k-anonymity report if any.
    pub fn protection(&self, tally: &Tally, rows_out: u64, k: Option<KReport>) -> Protection {
        Protection {
            status: STATUS_PSEUDONYMIZED,
            key_id: self.key_id.clone(),
            domain: self.domain.clone(),
            token_version: TOKEN_VERSION,
            normalization_version: self.check.normalization.as_str(),
            rows_out,
            rows_excluded_no_consent: tally.excluded,
            rows_suppressed: k.as_ref().map_or(0, |k| k.rows_suppressed),
            columns: self
                .policy
                .iter()
                .enumerate()
                .map(|(i, c)| ColumnReport {
                    column: c.column.clone(),
                    field: self.schema.field(&c.column).map(|f| f.name.clone()),
                    privacy: c.class.map(|p| p.as_str()),
                    action: c.action.name(),
                    detail: c.action.describe(),
                    why: c.why.clone(),
                    cells_changed: tally.changed[i],
                    embedded_redacted: self.plans[i].scan.then(|| tally.embedded[i]),
                })
                .collect(),
            k_anonymity: k,
        }
    }

    /// A piece of rows (in the input's columns) transformed: encoded with `encoder` when given (CSV, TSV, JSON
    /// lines), else as rows. The hot path of `steward pseudonymize`: no allocation per cell for tokens.
    pub fn piece(&self, batch: &FlatRows, encoder: Option<&RowEncoder>) -> Result<PieceDone> {
        let n = batch.len();
        let mut buf = encoder.map(|e| e.buffer(batch.text_len() * 2));
        let mut rows = FlatRows::new(
            if buf.is_some() { 0 } else { self.kept.len() },
            if buf.is_some() { 0 } else { n },
        );
        let mut changed = vec![0u64; self.columns.len()];
        let mut embedded = vec![Counts::default(); self.columns.len()];
        let mut excluded = 0u64;
        // The phone region of each distinct country value (a handful): no allocation per row.
        let mut regions: foldhash::HashMap<String, Option<String>> = Default::default();
        // Emptied after each row and reused (the cells borrow this row's tokens).
        let mut spare_cells: Vec<Cow<'static, str>> = Vec::with_capacity(self.kept.len());
        // Tokens are written into buffers kept for the piece (one per kept column), not allocated per cell.
        let token_cols: Vec<bool> = self
            .kept
            .iter()
            .map(|&i| self.plans[i].action == Action::Token && self.protector.is_some())
            .collect();
        let mut tokens: Vec<String> = vec![String::new(); self.kept.len()];
        for r in 0..n {
            if let Some(c) = self.consent_col {
                if fields::enums::check_boolean(batch.cell(r, c)).value != "true" {
                    excluded += 1;
                    continue;
                }
            }
            let region: Option<&str> = match (self.needs_region, self.country_col) {
                (true, Some(c)) => {
                    let raw = batch.cell(r, c);
                    if !regions.contains_key(raw) {
                        if regions.len() >= 1024 {
                            // Free-text countries: keep the map small.
                            regions.clear();
                        }
                        regions.insert(raw.to_string(), self.region_of(Some(raw)));
                    }
                    regions.get(raw).and_then(|r| r.as_deref())
                }
                _ => self.default_region.as_deref(),
            };
            for (k, &i) in self.kept.iter().enumerate() {
                if let (true, Some(prot)) = (token_cols[k], self.protector.as_ref()) {
                    let raw = batch.cell(r, i);
                    tokens[k].clear();
                    if !raw.trim().is_empty() {
                        prot.token_into(self.plans[i].kind, raw, region, &mut tokens[k]);
                        if tokens[k] != raw {
                            changed[i] += 1;
                        }
                    }
                }
            }
            let mut cells: Vec<Cow<str>> = std::mem::take(&mut spare_cells);
            for (k, &i) in self.kept.iter().enumerate() {
                if token_cols[k] {
                    cells.push(Cow::Borrowed(tokens[k].as_str()));
                    continue;
                }
                let raw = batch.cell(r, i);
                let v = self.apply(
                    &self.columns[i],
                    &self.plans[i],
                    raw,
                    region,
                    None,
                    &mut embedded[i],
                )?;
                if matches!(&v, Cow::Owned(o) if o != raw) {
                    changed[i] += 1;
                }
                cells.push(v);
            }
            match &mut buf {
                Some(b) => b.write_row(&cells)?,
                None => rows.push(&cells),
            }
            cells.clear();
            // An empty vector changes its lifetime in place, keeping its allocation.
            spare_cells = cells.into_iter().map(|_| Cow::Borrowed("")).collect();
        }
        let out = match buf {
            Some(b) => PieceOut::Encoded(b.finish()?),
            None => PieceOut::Rows(rows),
        };
        Ok(PieceDone {
            out,
            tally: Tally {
                changed,
                embedded,
                excluded,
            },
        })
    }
}

/// Whether a kept column is scanned for embedded identifiers: every kept column but the provenance ones and
/// a column that is itself an identifier kept on purpose (`--keep email`: its values are the identifier).
fn is_provenance(column: &str) -> bool {
    column == crate::table::SOURCE_COLUMN || column == crate::table::ROW_COLUMN
}

fn scans(c: &ColumnPolicy) -> bool {
    let provenance = is_provenance(&c.column);
    let identifier = matches!(
        c.kind,
        Some(FieldKind::Email | FieldKind::Phone | FieldKind::CnId | FieldKind::Id)
    );
    !provenance && !identifier
}

/// Rows per piece when a table is pseudonymized on every core.
const TABLE_PIECE_ROWS: usize = 8 * 1024;

/// Pseudonymize a table held whole by the same policy and per-row transform as `steward pseudonymize`: the
/// same tokens for the same values, key and domain. Rows left out for consent or suppressed for k-anonymity are
/// not in the result. Without k, pieces of rows are transformed on every core.
pub fn pseudonymize_table(
    schema: &Schema,
    table: &Table,
    opts: &PseudonymizeOptions,
    key: &Key,
) -> Result<(Table, Protection)> {
    pseudonymize_view(schema, &TableView::default().all(table), opts, key)
}

/// `pseudonymize_table` for columns of one or more tables read together (a stage's output that joins its
/// input's columns to its own, as clusters do), without copying them into a table first.
pub fn pseudonymize_view(
    schema: &Schema,
    table: &TableView,
    opts: &PseudonymizeOptions,
    key: &Key,
) -> Result<(Table, Protection)> {
    let columns = table.column_names();
    let policy = column_policy(schema, &columns, &[], opts)?;
    let p = Pseudonymizer::new(schema, &columns, &[], policy, opts, Some(key))?;
    protect_whole(&p, table)
}

/// Every row of `table` protected by `p` into a table (held whole first under k-anonymity).
fn protect_whole(p: &Pseudonymizer, table: &TableView) -> Result<(Table, Protection)> {
    let mut out = Table::new(p.out_columns().to_vec());
    let mut tally = p.tally();
    let mut k_report = None;
    if p.holds_rows() {
        let mut held = p.held();
        for r in 0..table.len() {
            p.hold(&table.row(r), &mut tally, None, &mut held)?;
        }
        let (rows, report) = p.anonymize(held, &mut tally);
        for row in &rows {
            out.push_row(row)?;
        }
        k_report = report;
    } else {
        protect_pieces(p, table, None, &mut tally, |d| {
            if let PieceOut::Rows(rows) = d {
                for r in 0..rows.len() {
                    out.push_row(&rows.row(r))?;
                }
            }
            Ok(())
        })?;
    }
    let protection = p.protection(&tally, out.len() as u64, k_report);
    Ok((out, protection))
}

/// `pseudonymize_view` written straight to `dest`: pieces of rows are protected and encoded on every core and
/// written in order as they are made, so the protected table is never held in memory. `write_opts` gets the
/// protection (its columns, actions and key; no counts yet) and the written columns, for the file's About
/// lines and cell types. With k-anonymity every row must be seen first: the table is protected whole, then
/// written.
pub fn pseudonymize_view_into(
    schema: &Schema,
    table: &TableView,
    opts: &PseudonymizeOptions,
    key: &Key,
    dest: Destination,
    write_opts: &(dyn Fn(&Protection, &[String]) -> WriteOptions + Sync),
) -> Result<(WriteStats, Protection)> {
    let columns = table.column_names();
    let policy = column_policy(schema, &columns, &[], opts)?;
    let p = Pseudonymizer::new(schema, &columns, &[], policy, opts, Some(key))?;
    if p.holds_rows() {
        let (out, prot) = protect_whole(&p, table)?;
        let mut w = DatasetWriter::new(dest, &out.columns, write_opts(&prot, &out.columns))?;
        for r in 0..out.len() {
            w.write_row(&out.row(r))?;
        }
        return Ok((w.finish()?, prot));
    }
    let mut tally = p.tally();
    let out_opts = write_opts(&p.protection(&tally, 0, None), p.out_columns());
    let mut w = DatasetWriter::new(dest, p.out_columns(), out_opts)?;
    let encoder = w.encoder();
    protect_pieces(&p, table, encoder.as_ref(), &mut tally, |d| match d {
        PieceOut::Encoded(e) => w.write_encoded(e),
        PieceOut::Rows(rows) => (0..rows.len()).try_for_each(|r| w.write_row(&rows.row(r))),
    })?;
    let stats = w.finish()?;
    let prot = p.protection(&tally, stats.rows, None);
    Ok((stats, prot))
}

/// Protect a table's rows in pieces on every core, a few pieces per core at a time (the input is never copied
/// whole), encoded with `encoder` when given; each piece's output goes to `sink` in order and its counts to
/// `tally`.
fn protect_pieces(
    p: &Pseudonymizer,
    table: &TableView,
    encoder: Option<&RowEncoder>,
    tally: &mut Tally,
    mut sink: impl FnMut(PieceOut) -> Result<()>,
) -> Result<()> {
    let width = table.column_names().len();
    let starts: Vec<usize> = (0..table.len()).step_by(TABLE_PIECE_ROWS).collect();
    for window in starts.chunks(4 * rayon::current_num_threads().max(1)) {
        let done: Vec<Result<PieceDone>> = window
            .par_iter()
            .map(|&start| {
                let end = (start + TABLE_PIECE_ROWS).min(table.len());
                let mut batch = FlatRows::new(width, end - start);
                for r in start..end {
                    batch.push(&table.row(r));
                }
                p.piece(&batch, encoder)
            })
            .collect();
        for d in done {
            let d = d?;
            tally.add(&d.tally);
            sink(d.out)?;
        }
    }
    Ok(())
}

//! Validation and normalization of a whole table against the schema: each value checked by its field kind,
//! then the schema's rules (required, unique, pattern, range, length, values), cross-field rules and staleness.
//! One mechanism, `RowChecker`, checks pieces of rows on every core: streamed from a file (validate, normalize)
//! or cut from a table held whole (`check_table`: stdin, `--split-names`, clean), with the same results.

pub mod files;
pub mod names;
pub mod run;
pub mod streamed;
pub mod summary;

pub use summary::FailOn;

use chrono::NaiveDate;
use foldhash::HashMap;
use foldhash::HashMapExt;
use serde::Serialize;

use crate::fields::{self, Checked, Issue, Level};
use crate::schema::{Field, FieldKind, Schema, Severity};
use crate::table::{FlatRows, LostDigits, Table, TextColumn, ROW_COLUMN, SOURCE_COLUMN};

/// One problem in one cell (or row), as written to the findings file. Its eight texts lie in one allocation,
/// read through their accessors: at 10M rows validation holds 1.75M findings, and eight `String`s each (216
/// bytes inline, eight allocations) held 0.75 GB of the job's peak; packed they take under half.
#[derive(Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the row in the table (0-based), for joining back; not written out.
    pub row_index: usize,
    /// Position of the field in the schema, to list a row's findings in schema order.
    pub order: usize,
    pub severity: Severity,
    /// `_source`, `_row`, `record_id`, `field`, `rule`, `value`, `message`, `suggestion`, one after another.
    text: Box<str>,
    /// Where each text but the last ends in `text`.
    ends: [u32; 7],
}

/// The parts of a finding, in the findings file's order (`Finding::new`).
pub struct FindingText<'a> {
    pub source: &'a str,
    pub row: &'a str,
    pub record_id: &'a str,
    pub field: &'a str,
    pub rule: &'a str,
    pub value: &'a str,
    pub message: &'a str,
    pub suggestion: &'a str,
}

/// The longest text a finding keeps of a value or message (a cell of hundreds of megabytes is quoted in part):
/// a finding's texts together stay within its 32-bit offsets.
const FINDING_TEXT_MAX: usize = 64 << 20;

impl Finding {
    pub fn new(row_index: usize, order: usize, severity: Severity, t: FindingText<'_>) -> Finding {
        let parts = [
            t.source,
            t.row,
            t.record_id,
            t.field,
            t.rule,
            t.value,
            t.message,
            t.suggestion,
        ]
        .map(|p| cut_at_char(p, FINDING_TEXT_MAX));
        let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        let mut ends = [0u32; 7];
        for (i, p) in parts.iter().enumerate() {
            text.push_str(p);
            if i < ends.len() {
                // At most 8 x 64 MiB: within u32.
                ends[i] = text.len() as u32;
            }
        }
        Finding {
            row_index,
            order,
            severity,
            text: text.into_boxed_str(),
            ends,
        }
    }

    /// The `i`th text (0 `_source` ... 7 `suggestion`).
    #[inline]
    fn part(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends.get(i).map_or(self.text.len(), |&e| e as usize);
        &self.text[start..end]
    }

    /// All its texts at once.
    pub fn text(&self) -> FindingText<'_> {
        FindingText {
            source: self.part(0),
            row: self.part(1),
            record_id: self.part(2),
            field: self.part(3),
            rule: self.part(4),
            value: self.part(5),
            message: self.part(6),
            suggestion: self.part(7),
        }
    }

    /// The file (or table) the row came from.
    pub fn source(&self) -> &str {
        self.part(0)
    }
    /// The row's number in its source, as written in `_row`.
    pub fn row(&self) -> &str {
        self.part(1)
    }
    pub fn record_id(&self) -> &str {
        self.part(2)
    }
    pub fn field(&self) -> &str {
        self.part(3)
    }
    pub fn rule(&self) -> &str {
        self.part(4)
    }
    pub fn value(&self) -> &str {
        self.part(5)
    }
    pub fn message(&self) -> &str {
        self.part(6)
    }
    pub fn suggestion(&self) -> &str {
        self.part(7)
    }

    /// The same finding about `field` (a key of several fields is named by all of them).
    pub fn with_field(self, field: &str) -> Finding {
        let t = self.text();
        Finding::new(
            self.row_index,
            self.order,
            self.severity,
            FindingText { field, ..t },
        )
    }
}

/// `s`, or its first `max` bytes at most, cut at a character's start.
fn cut_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl std::fmt::Debug for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.text();
        f.debug_struct("Finding")
            .field("row_index", &self.row_index)
            .field("order", &self.order)
            .field("source", &t.source)
            .field("row", &t.row)
            .field("record_id", &t.record_id)
            .field("field", &t.field)
            .field("rule", &t.rule)
            .field("severity", &self.severity)
            .field("value", &t.value)
            .field("message", &t.message)
            .field("suggestion", &t.suggestion)
            .finish()
    }
}

/// As the findings file's columns (row_index and order are the table's, not written).
impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let t = self.text();
        let mut m = s.serialize_struct("Finding", 9)?;
        m.serialize_field("_source", t.source)?;
        m.serialize_field("_row", t.row)?;
        m.serialize_field("record_id", t.record_id)?;
        m.serialize_field("field", t.field)?;
        m.serialize_field("rule", t.rule)?;
        m.serialize_field("severity", &self.severity)?;
        m.serialize_field("value", t.value)?;
        m.serialize_field("message", t.message)?;
        m.serialize_field("suggestion", t.suggestion)?;
        m.end()
    }
}

/// One change normalization made to a cell.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    #[serde(skip)]
    pub row_index: usize,
    #[serde(rename = "_source")]
    pub source: String,
    #[serde(rename = "_row")]
    pub row: String,
    pub field: String,
    pub before: String,
    pub after: String,
    pub rule: String,
}

/// Settings a run gives the checks.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Region for phone numbers whose row has no country (ISO 3166-1 alpha-2).
    pub default_region: Option<String>,
    /// Read 05/03/2024 as 5 March.
    pub day_first: bool,
    /// The date checks count from (future dates, ages, staleness).
    pub today: NaiveDate,
    /// Flag records whose updated_at or last purchase is older than this many days.
    pub stale_after_days: Option<i64>,
    /// How e-mails and phone numbers are normalized (n1 only to reproduce tokens made before n2).
    pub normalization: fields::Normalization,
}

/// Per-field counts for the summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FieldStats {
    pub field: String,
    pub checked: u64,
    pub valid: u64,
    pub invalid: u64,
    pub missing: u64,
    pub warnings: u64,
}

/// The outcome of checking a table.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub changes: Vec<Change>,
    /// Whether each row has at least one error.
    pub row_has_error: Vec<bool>,
    pub fields: Vec<FieldStats>,
}

/// A schema field bound to its column in the table.
struct Bound<'a> {
    field: &'a Field,
    col: usize,
    pattern: Option<regex::Regex>,
}

fn level_to_severity(field: &Field, rule: &str, level: Level) -> Severity {
    if let Some(s) = field.rule_severity.get(rule) {
        return *s;
    }
    // A field's `severity = "warning"` is the default of all its rules, its kind's checks included: such a
    // field never rejects a row (a total_spend that is not an amount is reported, the row kept). Its
    // `"error"` does not raise the kind's warnings (a suggestion stays a suggestion).
    match (level, field.severity) {
        (Level::Error, Some(Severity::Warning)) => Severity::Warning,
        (Level::Error, _) => Severity::Error,
        (Level::Warning, _) => Severity::Warning,
    }
}

/// Check one value by its field kind: its normalized form and what is wrong with it.
pub fn check_kind(field: &Field, raw: &str, country: Option<&str>, opts: &CheckOptions) -> Checked {
    match field.kind {
        FieldKind::Id => Checked {
            value: fields::text::clean_text(raw),
            issues: vec![],
        },
        FieldKind::Text | FieldKind::Address => fields::text::check_text(raw),
        FieldKind::Name => fields::name::check_name(raw),
        FieldKind::Email => fields::email::check_email_as(raw, opts.normalization),
        FieldKind::Phone => fields::phone::check_phone_as(
            raw,
            country.or(opts.default_region.as_deref()),
            opts.normalization,
        ),
        FieldKind::CnId => fields::cn_id::check_cn_id(raw, opts.today).0,
        FieldKind::Date => fields::date::check_date(raw, &date_options(field, opts)),
        FieldKind::Datetime => fields::date::check_datetime(raw, &date_options(field, opts)),
        FieldKind::Enum => {
            let gender_like = field.name == "gender"
                || (!field.values.is_empty()
                    && field
                        .values
                        .iter()
                        .all(|v| ["male", "female", "other", "unknown"].contains(&v.as_str())));
            if gender_like {
                fields::enums::check_gender(raw)
            } else {
                fields::enums::check_enum(raw, &field.values)
            }
        }
        FieldKind::Boolean => fields::enums::check_boolean(raw),
        FieldKind::Country => fields::country::check_country(raw),
        FieldKind::Postcode => fields::postcode::check_postcode(raw, country),
        FieldKind::Money | FieldKind::Number => fields::number::check_money(raw, false),
        FieldKind::Integer => fields::number::check_integer(raw),
    }
}

fn date_options(field: &Field, opts: &CheckOptions) -> fields::date::DateOptions {
    fields::date::DateOptions {
        day_first: field.day_first.unwrap_or(opts.day_first),
        today: opts.today,
        birth: field.name == "birth_date" || field.name.contains("birth"),
        future_ok: false,
    }
}

/// The schema rules a normalized value breaks, as (rule key for severities, message).
fn constraint_violations(
    f: &Field,
    pattern: Option<&regex::Regex>,
    value: &str,
) -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    if let Some(re) = pattern {
        if !re.is_match(value) {
            v.push((
                "pattern",
                format!("does not match the pattern {}", re.as_str()),
            ));
        }
    }
    // Lengths and numbers only when a rule asks (most fields have none).
    let len = if f.min_length.is_some() || f.max_length.is_some() {
        value.chars().count()
    } else {
        0
    };
    if let Some(min) = f.min_length.filter(|m| len < *m) {
        v.push((
            "min_length",
            format!("is {len} characters long, shorter than {min}"),
        ));
    }
    if let Some(max) = f.max_length.filter(|m| len > *m) {
        v.push((
            "max_length",
            format!("is {len} characters long, longer than {max}"),
        ));
    }
    if let Some(n) = (f.min.is_some() || f.max.is_some())
        .then(|| fields::number::parse_number(value))
        .flatten()
    {
        if let Some(min) = f.min.filter(|m| n < *m) {
            v.push(("min", format!("{n} is below the minimum {min}")));
        }
        if let Some(max) = f.max.filter(|m| n > *m) {
            v.push(("max", format!("{n} is above the maximum {max}")));
        }
    }
    if !f.values.is_empty() && f.kind != FieldKind::Enum && !f.values.iter().any(|a| a == value) {
        v.push((
            "values",
            format!("is not one of the allowed values ({})", f.values.join(", ")),
        ));
    }
    if !f.countries.is_empty()
        && f.kind == FieldKind::Country
        && !f.countries.iter().any(|c| c == value)
    {
        v.push((
            "countries",
            format!(
                "country {value} is not allowed ({})",
                f.countries.join(", ")
            ),
        ));
    }
    v
}

/// Where the provenance and the record id of a row are, for findings.
struct TableContext {
    source_col: Option<usize>,
    row_col: Option<usize>,
    id_col: Option<usize>,
}

/// Kinds whose values repeat (codes, dates, amounts): their results are remembered per distinct value.
fn memoizable(kind: FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::Enum
            | FieldKind::Boolean
            | FieldKind::Country
            | FieldKind::Date
            | FieldKind::Datetime
            | FieldKind::Money
            | FieldKind::Integer
            | FieldKind::Number
            | FieldKind::Postcode
    )
}

/// At most this many remembered results with findings or a changed value per thread and field; then the memory
/// starts afresh. Values that repeat (dates, codes) fit; values that hardly repeat (amounts) gain nothing from more.
const MEMO_LIMIT: usize = 50_000;

/// Slots of a field's memory (a power of two): a value lands in one slot, by its hash, and takes it from the value
/// there before. 32 bytes each, so a megabyte per field and thread.
const MEMO_SLOTS: usize = 1 << 15;

/// The longest key (country and raw value) a slot holds; longer values are checked each time.
const MEMO_KEY: usize = 22;

/// One remembered value: its key inline (one cache line to find it), and how it checked.
#[derive(Clone, Copy)]
struct MemoSlot {
    key: [u8; MEMO_KEY],
    /// Key length; 0 for an empty slot (a key is never empty: the country part has two bytes).
    len: u8,
    /// Whether the value is valid as it is (no issue, not changed); else its result is `results[result]`.
    clean: bool,
    result: u32,
    /// Part of the key's hash, to pass over most other keys without comparing them.
    tag: u32,
}

const EMPTY_SLOT: MemoSlot = MemoSlot {
    key: [0; MEMO_KEY],
    len: 0,
    clean: false,
    result: 0,
    tag: 0,
};

/// Remembered results of one field, by country and raw value. A field whose values hardly repeat (amounts,
/// street numbers) stops remembering after a trial: there it only costs time and memory.
#[derive(Default)]
struct Memo {
    slots: Vec<MemoSlot>,
    /// Results with an issue or a changed value; a clean value needs none.
    results: Vec<Checked>,
    lookups: u32,
    hits: u32,
    off: bool,
}

/// Lookups before deciding whether remembering pays, and the share of hits it needs.
const MEMO_TRIAL: u32 = 8192;

/// A field's result from its memory: valid as it is, remembered, or checked now.
enum Memoized<'m> {
    Clean,
    Found(&'m Checked),
    Fresh(Checked),
}

impl Memo {
    fn check(
        &mut self,
        raw: &str,
        country: Option<[u8; 2]>,
        check: impl FnOnce() -> Checked,
    ) -> Memoized<'_> {
        use std::hash::{BuildHasher, Hasher};
        let country = country.unwrap_or(*b"--");
        if self.off || raw.len() > MEMO_KEY - 2 {
            return Memoized::Fresh(check());
        }
        let mut key = [0u8; MEMO_KEY];
        key[..2].copy_from_slice(&country);
        key[2..2 + raw.len()].copy_from_slice(raw.as_bytes());
        let len = 2 + raw.len();
        let mut h = foldhash::fast::FixedState::with_seed(0).build_hasher();
        h.write(&key[..len]);
        let hash = h.finish();
        let tag = (hash >> 32) as u32;
        if self.slots.is_empty() {
            self.slots = vec![EMPTY_SLOT; MEMO_SLOTS];
        }
        let at = hash as usize & (MEMO_SLOTS - 1);
        self.lookups = self.lookups.saturating_add(1);
        let slot = self.slots[at];
        // Whole arrays compared (no call): the bytes after a key are zero in both.
        if slot.len as usize == len && slot.tag == tag && slot.key == key {
            self.hits += 1;
            return if slot.clean {
                Memoized::Clean
            } else {
                Memoized::Found(&self.results[slot.result as usize])
            };
        }
        if self.lookups == MEMO_TRIAL && self.hits < MEMO_TRIAL / 8 {
            self.off = true;
            self.slots = Vec::new();
            self.results = Vec::new();
            return Memoized::Fresh(check());
        }
        let checked = check();
        let clean = checked.issues.is_empty() && checked.value == raw;
        if !clean && self.results.len() >= MEMO_LIMIT {
            self.slots.iter_mut().for_each(|s| *s = EMPTY_SLOT);
            self.results.clear();
        }
        self.slots[at] = MemoSlot {
            key,
            len: len as u8,
            clean,
            result: if clean { 0 } else { self.results.len() as u32 },
            tag,
        };
        if clean {
            return Memoized::Fresh(checked);
        }
        self.results.push(checked);
        Memoized::Found(&self.results[self.results.len() - 1])
    }
}

thread_local! {
    /// Per thread: the checker whose results are remembered, and per field its memo. Pieces of one run land
    /// on the same threads, so values seen in earlier pieces (dates, amounts, codes) are not checked again.
    static MEMOS: std::cell::RefCell<(u64, Vec<Memo>)> = const { std::cell::RefCell::new((0, Vec::new())) };
}

static NEXT_CHECKER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Where a finding points: the row (its index in the table or piece), its provenance and record id.
struct Loc<'a> {
    index: usize,
    source: &'a str,
    row: &'a str,
    record_id: &'a str,
}

impl Loc<'_> {
    #[allow(clippy::too_many_arguments)]
    fn finding(
        &self,
        order: usize,
        field: &Field,
        rule: &str,
        severity: Severity,
        value: &str,
        message: String,
        suggestion: Option<String>,
    ) -> Finding {
        Finding::new(
            self.index,
            order,
            severity,
            FindingText {
                source: self.source,
                row: self.row,
                record_id: self.record_id,
                field: &field.name,
                rule,
                value,
                message: &message,
                suggestion: suggestion.as_deref().unwrap_or(""),
            },
        )
    }

    fn change(&self, f: &Field, before: &str, after: &str, rule: &str) -> Change {
        Change {
            row_index: self.index,
            source: self.source.to_string(),
            row: self.row.to_string(),
            field: f.name.clone(),
            before: before.to_string(),
            after: after.to_string(),
            rule: rule.to_string(),
        }
    }
}

/// Where checking cells puts what it finds.
struct CellOut<'o> {
    findings: &'o mut Vec<Finding>,
    changes: &'o mut Vec<Change>,
    stats: &'o mut FieldStats,
}

/// Check one cell of a field: its findings, change and counts go to `out`. Returns the normalized value and
/// whether it has an error.
#[allow(clippy::too_many_arguments)]
fn check_cell(
    schema: &Schema,
    b: &Bound,
    order: usize,
    raw: &str,
    country: Option<[u8; 2]>,
    opts: &CheckOptions,
    want_changes: bool,
    memo: Option<&mut Memo>,
    loc: &Loc,
    out: &mut CellOut,
    value: &mut String,
) -> bool {
    let f = b.field;
    value.clear();
    // A Table Schema field: by the spec alone, or (--steward-checks) the spec's type and constraints on the
    // raw value and then steward's checks.
    let mut spec_invalid = false;
    if let Some(spec) = f.spec.as_deref() {
        if schema.spec_only() {
            return check_spec_cell(schema, f, spec, order, raw, loc, out, value);
        }
        spec_invalid = !schema.is_missing(raw) && spec_findings(f, spec, order, raw, loc, out);
    }
    let invalid = check_cell_by_kind(
        schema,
        b,
        order,
        raw,
        country,
        opts,
        want_changes,
        memo,
        loc,
        out,
        value,
    );
    if spec_invalid && !invalid {
        out.stats.valid -= 1;
        out.stats.invalid += 1;
    }
    invalid || spec_invalid
}

/// The findings of a Table Schema field on a cell that is not missing: a type error, or each broken
/// constraint. Returns whether one is an error.
fn spec_findings(
    f: &Field,
    spec: &crate::schema::spec::SpecField,
    order: usize,
    raw: &str,
    loc: &Loc,
    out: &mut CellOut,
) -> bool {
    let Err(broken) = spec.check(raw) else {
        return false;
    };
    let mut invalid = false;
    for (rule, message) in broken {
        let (key, rule) = if rule == "type-error" {
            ("type", "type-error")
        } else {
            (rule, "constraint-error")
        };
        let message = if rule == "type-error" {
            message
        } else {
            format!("{message} (constraint {key})")
        };
        let sev = f.severity_of(key);
        invalid |= sev == Severity::Error;
        out.findings
            .push(loc.finding(order, f, rule, sev, raw, message, None));
    }
    invalid
}

/// A cell of a Table Schema field checked by the spec alone: missing only when it is one of the schema's
/// missing values, cast by its type and format, its constraints tested on the cast value. The value is kept
/// as it came. Returns whether it has an error.
#[allow(clippy::too_many_arguments)]
fn check_spec_cell(
    schema: &Schema,
    f: &Field,
    spec: &crate::schema::spec::SpecField,
    order: usize,
    raw: &str,
    loc: &Loc,
    out: &mut CellOut,
    value: &mut String,
) -> bool {
    value.push_str(raw);
    let missing = schema.is_missing(raw);
    if missing && !spec.constraints.required {
        out.stats.missing += 1;
        return false;
    }
    out.stats.checked += 1;
    if missing {
        let sev = f.severity_of("required");
        out.findings.push(loc.finding(
            order,
            f,
            "constraint-error",
            sev,
            raw,
            format!(
                "{} is required but the cell is missing (constraint required)",
                f.name
            ),
            None,
        ));
        let invalid = sev == Severity::Error;
        if invalid {
            out.stats.invalid += 1;
        } else {
            out.stats.valid += 1;
            out.stats.warnings += 1;
        }
        return invalid;
    }
    let first = out.findings.len();
    let invalid = spec_findings(f, spec, order, raw, loc, out);
    if invalid {
        out.stats.invalid += 1;
    } else {
        out.stats.valid += 1;
        if out.findings.len() > first {
            out.stats.warnings += 1;
        }
    }
    invalid
}

/// Check one cell by steward's field kind and the schema's rules (see `check_cell`).
#[allow(clippy::too_many_arguments)]
fn check_cell_by_kind(
    schema: &Schema,
    b: &Bound,
    order: usize,
    raw: &str,
    country: Option<[u8; 2]>,
    opts: &CheckOptions,
    want_changes: bool,
    memo: Option<&mut Memo>,
    loc: &Loc,
    out: &mut CellOut,
    value: &mut String,
) -> bool {
    let f = b.field;
    // `NA` is Namibia in a country column, whatever the missing values say elsewhere.
    let namibia = f.kind == FieldKind::Country && raw.trim() == "NA";
    if schema.is_missing(raw) && !namibia {
        let mut invalid = false;
        if f.required {
            let sev = f.severity_of("required");
            out.findings.push(loc.finding(
                order,
                f,
                "missing-cell",
                sev,
                raw,
                format!("{} is required but empty", f.name),
                None,
            ));
            out.stats.checked += 1;
            out.stats.invalid += 1;
            invalid = sev == Severity::Error;
        } else {
            out.stats.missing += 1;
        }
        if !raw.is_empty() && want_changes {
            // A missing-value marker ("NULL", "N/A") becomes empty, and the change is recorded.
            out.changes.push(loc.change(f, raw, "", "missing-value"));
        }
        return invalid;
    }
    let country_str = country.as_ref().and_then(|c| std::str::from_utf8(c).ok());
    let memoized = match memo {
        Some(memo) => memo.check(raw, country, || check_kind(f, raw, country_str, opts)),
        None => Memoized::Fresh(check_kind(f, raw, country_str, opts)),
    };
    let (checked_value, issues): (&str, &[Issue]) = match &memoized {
        Memoized::Clean => (raw, &[]),
        Memoized::Found(c) => (&c.value, &c.issues),
        Memoized::Fresh(c) => (&c.value, &c.issues),
    };
    let (mut invalid, mut warned) = (false, false);
    for Issue {
        rule,
        level,
        message,
        suggestion,
    } in issues.iter()
    {
        let sev = level_to_severity(f, rule, *level);
        invalid |= sev == Severity::Error;
        warned |= sev == Severity::Warning;
        out.findings.push(loc.finding(
            order,
            f,
            rule,
            sev,
            raw,
            message.clone(),
            suggestion.clone(),
        ));
    }
    for (rule_key, message) in constraint_violations(f, b.pattern.as_ref(), checked_value) {
        let sev = f.severity_of(rule_key);
        invalid |= sev == Severity::Error;
        warned |= sev == Severity::Warning;
        out.findings
            .push(loc.finding(order, f, "constraint-error", sev, raw, message, None));
    }
    if want_changes && checked_value != raw {
        let rule = format!("normalize-{}", f.kind.as_str());
        out.changes.push(loc.change(f, raw, checked_value, &rule));
    }
    out.stats.checked += 1;
    if invalid {
        out.stats.invalid += 1;
    } else {
        out.stats.valid += 1;
    }
    if warned {
        out.stats.warnings += 1;
    }
    match memoized {
        Memoized::Fresh(c) => *value = c.value,
        Memoized::Found(c) => value.push_str(&c.value),
        Memoized::Clean => value.push_str(raw),
    }
    invalid
}

/// A cell whose Excel number lost digits: one `excel-precision-lost` finding, no suggestion, the value kept as
/// read. Returns whether it is an error (the schema may lower the rule's severity).
fn precision_lost(
    f: &Field,
    order: usize,
    raw: &str,
    loc: &Loc,
    out: &mut CellOut,
    value: &mut String,
) -> bool {
    let sev = level_to_severity(f, "excel-precision-lost", Level::Error);
    out.findings.push(loc.finding(
        order,
        f,
        "excel-precision-lost",
        sev,
        raw,
        "the workbook stores this as a number, and Excel keeps only 15 significant digits: the digits after the 15th are not the ones typed and cannot be recovered from the file; store the column as text in the workbook and export it again".to_string(),
        None,
    ));
    out.stats.checked += 1;
    if sev == Severity::Error {
        out.stats.invalid += 1;
    } else {
        out.stats.valid += 1;
        out.stats.warnings += 1;
    }
    value.clear();
    value.push_str(raw);
    sev == Severity::Error
}

/// Rows per piece when a whole table is checked.
const TABLE_PIECE_ROWS: usize = 8 * 1024;

/// An ISO date at the start of a normalized value (`2024-03-05`, `2024-03-05T10:00:00`).
fn iso_date(v: &str) -> Option<NaiveDate> {
    let b = v.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| v.get(r)?.parse::<u32>().ok();
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// Check and normalize every field of a table whose columns are named after schema fields. The table's field
/// columns are replaced by their normalized values; the same rows stay in the same order.
pub fn check_table(
    schema: &Schema,
    table: &mut Table,
    opts: &CheckOptions,
    want_changes: bool,
) -> anyhow::Result<Outcome> {
    check_table_with(schema, table, opts, want_changes, &LostDigits::default())
}

/// `check_table`, with the cells whose Excel number lost digits reported as such instead of checked.
pub fn check_table_with(
    schema: &Schema,
    table: &mut Table,
    opts: &CheckOptions,
    want_changes: bool,
    lost: &LostDigits,
) -> anyhow::Result<Outcome> {
    use rayon::prelude::*;
    // The streamed checks, run over pieces of the table on every core, reading the cells where they are.
    let checker =
        RowChecker::new(schema, &table.columns, opts, want_changes)?.with_lost_digits(lost);
    let n = table.len();
    let starts: Vec<usize> = (0..n).step_by(TABLE_PIECE_ROWS).collect();
    let checked = checker.checked_columns();
    let mut outcome = Outcome {
        fields: checker.empty_stats(),
        ..Default::default()
    };
    // Per checked column, the values normalization changed, piece by piece. Pieces are checked a few per core
    // at a time, so that only their findings and changed values outlive them.
    let mut patches: Vec<Vec<Patch>> = checked.iter().map(|_| Vec::new()).collect();
    let batch = 4 * rayon::current_num_threads().max(1);
    for group in starts.chunks(batch) {
        let done: Vec<anyhow::Result<(CheckedPiece, Vec<Patch>)>> = group
            .par_iter()
            .map(|&start| {
                let end = (start + TABLE_PIECE_ROWS).min(n);
                checker.check_table_rows(table, start..end, &checked)
            })
            .collect();
        for (&start, piece) in group.iter().zip(done) {
            let (mut piece, changed) = piece?;
            for (all, patch) in patches.iter_mut().zip(changed) {
                if !patch.rows.is_empty() {
                    all.push(patch);
                }
            }
            outcome.absorb(&mut piece, start);
        }
    }
    // Each changed column is patched in place, or written anew and replaces the old at once, one column at a
    // time: two copied at once on two cores (0.55 GB at 10M rows) were the run's peak.
    let mut changed: Vec<(&mut TextColumn, Vec<Patch>)> = Vec::new();
    let mut data: Vec<Option<&mut TextColumn>> = table.data.iter_mut().map(Some).collect();
    for (c, p) in checked.iter().zip(patches) {
        if let (false, Some(col)) = (p.is_empty(), data[*c].take()) {
            changed.push((col, p));
        }
    }
    for (col, p) in changed {
        patch(col, &p)?;
    }

    // Uniqueness and keys, once every row is seen (on the values written: normalized, or as they came under a
    // Table Schema).
    let ctx = &checker.ctx;
    let cell = |c: Option<usize>, i: usize| c.map(|c| table.get(i, c)).unwrap_or("");
    let source = |i| cell(ctx.source_col, i).to_string();
    let row = |i: usize| {
        ctx.row_col
            .map(|c| table.get(i, c).to_string())
            .unwrap_or_else(|| (i + 1).to_string())
    };
    let id = |i| cell(ctx.id_col, i).to_string();
    // One key rule at a time: its key columns are a copy of its fields' values, and memory held every rule's
    // at once at the end of validation (at 10M rows the run's peak, 4.0 GB, was there). A unique field read
    // as it stands needs no copy: the table's own cells are sorted.
    let mut buf = String::new();
    for k in 0..checker.key_rules() {
        if let Some(bi) = checker.unique_in_place(k) {
            let found = checker.unique_findings_in(bi, table, &source, &row, &id);
            outcome.findings.extend(found);
            continue;
        }
        let mut keys: Vec<TextColumn> = (0..checker.key_rule_width(k))
            .map(|_| TextColumn::with_capacity(n))
            .collect();
        for i in 0..n {
            checker.push_rule_keys(k, &|c| table.get(i, c), &mut keys, &mut buf)?;
        }
        outcome
            .findings
            .extend(checker.rule_findings(k, &keys, &source, &row, &id));
    }
    for f in &outcome.findings {
        if f.severity == Severity::Error {
            outcome.row_has_error[f.row_index] = true;
        }
    }
    outcome.findings.sort_by_key(|f| (f.row_index, f.order));
    outcome.changes.sort_by_key(|c| c.row_index);
    Ok(outcome)
}

// ---------------------------------------------------------------------------------------------------------
// Streaming: the same checks row by row on pieces of rows, so a file of any size is checked on every core in
// little memory. Uniqueness is settled at the end from the unique fields' values, which are all that is kept.

/// The checks of a schema for rows with the given columns, one piece of rows at a time.
pub struct RowChecker<'a> {
    schema: &'a Schema,
    opts: &'a CheckOptions,
    want_changes: bool,
    bound: Vec<Bound<'a>>,
    /// Country fields first: phones and postcodes are read by the row's country.
    order: Vec<usize>,
    ctx: TableContext,
    width: usize,
    /// Which checker the per-thread memos belong to.
    id: u64,
    cross: CrossFields,
    /// Row buffers given back after use, for the next pieces (fresh megabytes cost page faults).
    spare: std::sync::Mutex<Vec<FlatRows>>,
    /// Cells whose Excel number lost digits: reported, not checked.
    lost: Option<&'a LostDigits>,
    /// Rules over whole columns (unique fields, primary and foreign keys), settled once every row is seen.
    keys: Vec<KeyRule>,
}

/// A rule over whole columns. Positions are among the bound fields.
#[derive(Debug, Clone)]
enum KeyRule {
    /// A field whose values must not repeat.
    Unique(usize),
    /// A primary key: its fields' values together must not repeat.
    Primary(Vec<usize>),
    /// The values of `from` must be among the values of `to`, in the same table.
    Foreign { from: Vec<usize>, to: Vec<usize> },
}

impl KeyRule {
    /// How many key columns the rule collects.
    fn width(&self) -> usize {
        match self {
            KeyRule::Foreign { .. } => 2,
            _ => 1,
        }
    }
}

/// The key of a missing cell (or of a key with a missing part, where that makes it no key).
const NO_KEY: &str = "\u{0}";
/// Between the parts of a key of several fields.
const KEY_SEP: char = '\u{1f}';

/// The rules over whole columns of a schema bound to its columns.
fn key_rules(schema: &Schema, bound: &[Bound]) -> Vec<KeyRule> {
    let pos = |name: &str| bound.iter().position(|b| b.field.name == name);
    let all = |names: &[String]| -> Option<Vec<usize>> { names.iter().map(|n| pos(n)).collect() };
    let mut rules = Vec::new();
    let pk = all(&schema.primary_key).filter(|p| !p.is_empty());
    for (bi, b) in bound.iter().enumerate() {
        // A one-field primary key of a Table Schema is reported as a primary key, as frictionless does.
        let is_pk = schema.table.is_some() && pk.as_deref() == Some(&[bi][..]);
        if b.field.unique && !is_pk {
            rules.push(KeyRule::Unique(bi));
        }
    }
    if let Some(p) = pk {
        let unique_already = p.len() == 1 && bound[p[0]].field.unique && schema.table.is_none();
        if !unique_already {
            rules.push(KeyRule::Primary(p));
        }
    }
    if let Some(t) = &schema.table {
        for fk in &t.foreign_keys {
            if let (Some(from), Some(to)) = (all(&fk.fields), all(&fk.reference)) {
                rules.push(KeyRule::Foreign { from, to });
            }
        }
    }
    rules
}

/// The fields cross-field rules read (positions among the bound fields).
#[derive(Clone, Copy)]
struct CrossFields {
    birth: Option<usize>,
    gender: Option<usize>,
    signup: Option<usize>,
    last: Option<usize>,
    updated: Option<usize>,
    cn_id: Option<usize>,
}

/// The values normalization changed in a column within a piece: their rows (from the piece's first row
/// `start`, ascending) and their values.
#[derive(Default)]
struct Patch {
    start: usize,
    rows: Vec<u32>,
    values: TextColumn,
}

/// Put the changed values of `patches` into `column`: in place when each is as long as the value it replaces
/// (a name or e-mail address in other case), else into a new column that replaces it.
fn patch(column: &mut TextColumn, patches: &[Patch]) -> anyhow::Result<()> {
    let same_lengths = patches.iter().all(|p| {
        p.rows
            .iter()
            .enumerate()
            .all(|(k, &r)| column.get(p.start + r as usize).len() == p.values.get(k).len())
    });
    if same_lengths {
        for p in patches {
            for (k, &r) in p.rows.iter().enumerate() {
                column.overwrite(p.start + r as usize, p.values.get(k))?;
            }
        }
        return Ok(());
    }
    *column = patched(column, patches)?;
    Ok(())
}

/// `column` with the changed values of `patches` (in row order) put in.
fn patched(column: &TextColumn, patches: &[Patch]) -> anyhow::Result<TextColumn> {
    let extra: usize = patches.iter().map(|p| p.values.text_len()).sum();
    let mut out = TextColumn::with_capacities(column.len(), column.text_len() + extra);
    let mut next = 0usize;
    for p in patches {
        for (k, &r) in p.rows.iter().enumerate() {
            let r = p.start + r as usize;
            out.extend_from(column, next..r)?;
            out.push(p.values.get(k))?;
            next = r + 1;
        }
    }
    out.extend_from(column, next..column.len())?;
    Ok(out)
}

/// Rows a checker reads: a piece cut from a file, or a run of a table's rows where they are.
trait PieceRows {
    fn len(&self) -> usize;
    fn cell(&self, r: usize, c: usize) -> &str;
}

impl PieceRows for FlatRows {
    fn len(&self) -> usize {
        FlatRows::len(self)
    }
    fn cell(&self, r: usize, c: usize) -> &str {
        FlatRows::cell(self, r, c)
    }
}

/// Rows `start..start + len` of a table.
struct TableRows<'t> {
    table: &'t Table,
    start: usize,
    len: usize,
}

impl PieceRows for TableRows<'_> {
    fn len(&self) -> usize {
        self.len
    }
    fn cell(&self, r: usize, c: usize) -> &str {
        self.table.get(self.start + r, c)
    }
}

/// One row (`r` of its piece) once checked: the normalized value of each checked column, the others as read.
struct CheckedRow<'a> {
    r: usize,
    raws: &'a [&'a str],
    values: &'a [String],
    normalized: &'a [bool],
}

impl<'a> CheckedRow<'a> {
    fn value(&self, c: usize) -> &'a str {
        if self.normalized[c] {
            self.values[c].as_str()
        } else {
            self.raws[c]
        }
    }

    fn raw(&self, c: usize) -> &'a str {
        self.raws[c]
    }
}

/// A piece of rows checked: normalized rows (same columns), findings and changes (row indices within the
/// piece), whether each row has an error, and per-field counts.
pub struct CheckedPiece {
    pub rows: FlatRows,
    pub findings: Vec<Finding>,
    pub changes: Vec<Change>,
    pub row_has_error: Vec<bool>,
    pub fields: Vec<FieldStats>,
}

impl Outcome {
    /// The rows with an error finding that `counts` accepts, ascending, each with those findings worded by
    /// `reason`: only those rows (a list for every row held 24 bytes a row, 240 MB at 10M).
    pub fn error_reasons(
        &self,
        counts: impl Fn(&Finding) -> bool,
        reason: impl Fn(&Finding) -> String,
    ) -> std::collections::BTreeMap<usize, Vec<String>> {
        let mut reasons: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
        for f in self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error && counts(f))
        {
            reasons.entry(f.row_index).or_default().push(reason(f));
        }
        reasons
    }

    /// Add what a piece whose first row is row `base` of the whole found: findings and changes (with their
    /// row indexes moved by `base`), error flags and field counts. The piece keeps its rows.
    pub fn absorb(&mut self, piece: &mut CheckedPiece, base: usize) {
        self.findings.extend(
            std::mem::take(&mut piece.findings)
                .into_iter()
                .map(|mut f| {
                    f.row_index += base;
                    f
                }),
        );
        self.changes
            .extend(std::mem::take(&mut piece.changes).into_iter().map(|mut c| {
                c.row_index += base;
                c
            }));
        self.row_has_error.append(&mut piece.row_has_error);
        for (all, p) in self
            .fields
            .iter_mut()
            .zip(std::mem::take(&mut piece.fields))
        {
            all.checked += p.checked;
            all.valid += p.valid;
            all.invalid += p.invalid;
            all.missing += p.missing;
            all.warnings += p.warnings;
        }
    }
}

impl<'a> RowChecker<'a> {
    pub fn new(
        schema: &'a Schema,
        columns: &[String],
        opts: &'a CheckOptions,
        want_changes: bool,
    ) -> anyhow::Result<RowChecker<'a>> {
        let bound = bind(schema, columns)?;
        let order: Vec<usize> = (0..bound.len())
            .filter(|&i| bound[i].field.kind == FieldKind::Country)
            .chain((0..bound.len()).filter(|&i| bound[i].field.kind != FieldKind::Country))
            .collect();
        let col = |name: &str| columns.iter().position(|c| c == name);
        let ctx = TableContext {
            source_col: col(SOURCE_COLUMN),
            row_col: col(ROW_COLUMN),
            id_col: schema
                .fields
                .iter()
                .find(|f| f.kind == FieldKind::Id)
                .and_then(|f| col(&f.name))
                .or_else(|| match schema.primary_key.as_slice() {
                    [one] => col(one),
                    _ => None,
                }),
        };
        let col_of = |name: &str| bound.iter().position(|b| b.field.name == name);
        let cross = CrossFields {
            birth: col_of("birth_date"),
            gender: col_of("gender"),
            signup: col_of("signup_date"),
            last: col_of("last_purchase_date"),
            updated: col_of("updated_at"),
            cn_id: bound.iter().position(|b| b.field.kind == FieldKind::CnId),
        };
        let keys = key_rules(schema, &bound);
        Ok(RowChecker {
            keys,
            lost: None,
            spare: std::sync::Mutex::new(Vec::new()),
            cross,
            schema,
            opts,
            want_changes,
            bound,
            order,
            ctx,
            width: columns.len(),
            id: NEXT_CHECKER.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Report the cells of `lost` as `excel-precision-lost` (an error, with no suggestion) instead of checking
    /// their digits: a checksum "fix" computed from rounded digits would invent an ID.
    pub fn with_lost_digits(mut self, lost: &'a LostDigits) -> RowChecker<'a> {
        self.lost = (!lost.is_empty()).then_some(lost);
        self
    }

    /// Per-field counts, all zero, in schema order.
    pub fn empty_stats(&self) -> Vec<FieldStats> {
        self.bound
            .iter()
            .map(|b| FieldStats {
                field: b.field.name.clone(),
                ..Default::default()
            })
            .collect()
    }

    /// How many key columns `push_keys` fills per row (none when the schema has no unique field or key).
    pub fn key_columns(&self) -> usize {
        self.keys.iter().map(KeyRule::width).sum()
    }

    /// Add one row's keys to `cols` (`key_columns` of them); `cell` gives the row's value in a table column.
    pub fn push_keys<'v>(
        &self,
        cell: &dyn Fn(usize) -> &'v str,
        cols: &mut [TextColumn],
    ) -> anyhow::Result<()> {
        let mut at = 0;
        let mut buf = String::new();
        for k in 0..self.keys.len() {
            let w = self.keys[k].width();
            self.push_rule_keys(k, cell, &mut cols[at..at + w], &mut buf)?;
            at += w;
        }
        Ok(())
    }

    /// How many key rules there are (unique fields, the primary key, foreign keys).
    pub fn key_rules(&self) -> usize {
        self.keys.len()
    }

    /// How many key columns key rule `k` fills per row (2 for a foreign key, else 1).
    pub fn key_rule_width(&self, k: usize) -> usize {
        self.keys[k].width()
    }

    /// `push_keys` for key rule `k` alone, into its `key_rule_width(k)` columns.
    pub fn push_rule_keys<'v>(
        &self,
        k: usize,
        cell: &dyn Fn(usize) -> &'v str,
        cols: &mut [TextColumn],
        buf: &mut String,
    ) -> anyhow::Result<()> {
        match &self.keys[k] {
            KeyRule::Unique(bi) => {
                let b = &self.bound[*bi];
                let v = cell(b.col);
                if self.schema.is_missing(v) {
                    cols[0].push(NO_KEY)?;
                } else if let Some(spec) = &b.field.spec {
                    cols[0].push(&spec.key(v))?;
                } else {
                    cols[0].push(v)?;
                }
            }
            KeyRule::Primary(parts) => {
                let any = self.joined_key(parts, cell, buf, true);
                cols[0].push(if any { buf } else { NO_KEY })?;
            }
            KeyRule::Foreign { from, to } => {
                let whole = self.joined_key(from, cell, buf, false);
                cols[0].push(if whole { buf } else { NO_KEY })?;
                let whole = self.joined_key(to, cell, buf, false);
                cols[1].push(if whole { buf } else { NO_KEY })?;
            }
        }
        Ok(())
    }

    /// The key of several fields in `buf`, a missing part as `NO_KEY` when `missing_ok`. Returns whether any
    /// part is present (`missing_ok`) or every part is (else).
    fn joined_key<'v>(
        &self,
        parts: &[usize],
        cell: &dyn Fn(usize) -> &'v str,
        buf: &mut String,
        missing_ok: bool,
    ) -> bool {
        buf.clear();
        let mut present = 0;
        for (i, &bi) in parts.iter().enumerate() {
            if i > 0 {
                buf.push(KEY_SEP);
            }
            let b = &self.bound[bi];
            let v = cell(b.col);
            if self.schema.is_missing(v) {
                buf.push_str(NO_KEY);
            } else {
                present += 1;
                match &b.field.spec {
                    Some(spec) => buf.push_str(&spec.key(v)),
                    None => buf.push_str(v),
                }
            }
        }
        if missing_ok {
            present > 0
        } else {
            present == parts.len()
        }
    }

    /// The findings of the key rules, from the key columns `push_keys` filled for every row; `source`, `row` and
    /// `id` give each row's provenance and record id.
    pub fn key_findings(
        &self,
        cols: &[TextColumn],
        source: &dyn Fn(usize) -> String,
        row: &dyn Fn(usize) -> String,
        id: &dyn Fn(usize) -> String,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut at = 0;
        for k in 0..self.keys.len() {
            let w = self.keys[k].width();
            out.extend(self.rule_findings(k, &cols[at..at + w], source, row, id));
            at += w;
        }
        out
    }

    /// `key_findings` for key rule `k` alone, from its columns (`push_rule_keys`).
    pub fn rule_findings(
        &self,
        k: usize,
        cols: &[TextColumn],
        source: &dyn Fn(usize) -> String,
        row: &dyn Fn(usize) -> String,
        id: &dyn Fn(usize) -> String,
    ) -> Vec<Finding> {
        match &self.keys[k] {
            KeyRule::Unique(bi) => self.unique_findings(*bi, &cols[0], source, row, id),
            KeyRule::Primary(parts) => self.primary_findings(parts, &cols[0], source, row, id),
            KeyRule::Foreign { from, to } => {
                self.foreign_findings(from, to, &cols[0], &cols[1], source, row, id)
            }
        }
    }

    fn names(&self, parts: &[usize]) -> String {
        parts
            .iter()
            .map(|&bi| self.bound[bi].field.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Rows whose primary key repeats an earlier row's (each repeat once, naming the first), and rows whose
    /// key cells are all missing.
    fn primary_findings(
        &self,
        parts: &[usize],
        keys: &TextColumn,
        source: &dyn Fn(usize) -> String,
        row: &dyn Fn(usize) -> String,
        id: &dyn Fn(usize) -> String,
    ) -> Vec<Finding> {
        let field = &self.bound[parts[0]].field;
        let names = self.names(parts);
        let sev = field.severity_of("primary-key");
        let mut out = Vec::new();
        let mut push = |i: usize, value: &str, message: String| {
            let (s, r, d) = (source(i), row(i), id(i));
            let loc = Loc {
                index: i,
                source: &s,
                row: &r,
                record_id: &d,
            };
            let f = loc.finding(parts[0], field, "primary-key", sev, value, message, None);
            out.push(f.with_field(&names));
        };
        let mut first: HashMap<&str, usize> = HashMap::new();
        for i in 0..keys.len() {
            let k = keys.get(i);
            if k == NO_KEY {
                push(
                    i,
                    "",
                    format!("every cell of the primary key ({names}) is missing"),
                );
                continue;
            }
            match first.get(k) {
                Some(&f) => {
                    let shown = k.replace(NO_KEY, "").replace(KEY_SEP, ", ");
                    push(
                        i,
                        &shown,
                        format!(
                            "primary key ({names}) {} is the same as in row {}",
                            quoted(&shown),
                            row(f)
                        ),
                    );
                }
                None => {
                    first.insert(k, i);
                }
            }
        }
        out
    }

    /// Rows whose foreign key is not among the referenced fields' values in the table.
    #[allow(clippy::too_many_arguments)]
    fn foreign_findings(
        &self,
        from: &[usize],
        to: &[usize],
        keys: &TextColumn,
        targets: &TextColumn,
        source: &dyn Fn(usize) -> String,
        row: &dyn Fn(usize) -> String,
        id: &dyn Fn(usize) -> String,
    ) -> Vec<Finding> {
        let field = &self.bound[from[0]].field;
        let (names, refs) = (self.names(from), self.names(to));
        let sev = field.severity_of("foreign-key");
        let known: foldhash::HashSet<&str> = (0..targets.len())
            .map(|i| targets.get(i))
            .filter(|k| *k != NO_KEY)
            .collect();
        let mut out = Vec::new();
        for i in 0..keys.len() {
            let k = keys.get(i);
            if k == NO_KEY || known.contains(k) {
                continue;
            }
            let shown = k.replace(KEY_SEP, ", ");
            let (s, r, d) = (source(i), row(i), id(i));
            let loc = Loc {
                index: i,
                source: &s,
                row: &r,
                record_id: &d,
            };
            let f = loc.finding(
                from[0],
                field,
                "foreign-key",
                sev,
                &shown,
                format!(
                    "{names} {} is not among the values of {refs} in the table (foreign key)",
                    quoted(&shown)
                ),
                None,
            );
            out.push(f.with_field(&names));
        }
        out
    }

    pub fn id_column(&self) -> Option<usize> {
        self.ctx.id_col
    }

    /// Check every row of a piece, as `check_table` checks a whole table (without uniqueness).
    pub fn check_piece(&self, rows: &FlatRows) -> anyhow::Result<CheckedPiece> {
        let mut out = match self.spare.lock().ok().and_then(|mut s| s.pop()) {
            Some(mut r) => {
                r.reset(self.width);
                r
            }
            None => FlatRows::new(self.width, rows.len()),
        };
        let mut done = self.with_memos(|memos| {
            self.check_rows(rows, memos, |row| {
                for c in 0..self.width {
                    out.push_cell(row.value(c));
                }
                Ok(())
            })
        })?;
        done.rows = out;
        Ok(done)
    }

    /// Check rows `range` of a table where they are (no copy of the piece): what `check_piece` finds, and for
    /// each column in `columns` the values normalization changed.
    fn check_table_rows(
        &self,
        table: &Table,
        range: std::ops::Range<usize>,
        columns: &[usize],
    ) -> anyhow::Result<(CheckedPiece, Vec<Patch>)> {
        let rows = TableRows {
            table,
            start: range.start,
            len: range.len(),
        };
        let mut patches: Vec<Patch> = columns
            .iter()
            .map(|_| Patch {
                start: range.start,
                ..Patch::default()
            })
            .collect();
        let done = self.with_memos(|memos| {
            self.check_rows(&rows, memos, |row| {
                for (patch, &c) in patches.iter_mut().zip(columns) {
                    let v = row.value(c);
                    if v != row.raw(c) {
                        patch.rows.push(row.r as u32);
                        patch.values.push(v)?;
                    }
                }
                Ok(())
            })
        })?;
        Ok((done, patches))
    }

    /// Run `f` with this thread's memos for this checker.
    fn with_memos<T>(&self, f: impl FnOnce(&mut [Memo]) -> T) -> T {
        MEMOS.with(|m| {
            let mut m = m.borrow_mut();
            if m.0 != self.id {
                *m = (
                    self.id,
                    self.bound.iter().map(|_| Memo::default()).collect(),
                );
            }
            f(&mut m.1)
        })
    }

    /// Give back the rows of a checked piece once used.
    pub fn recycle(&self, rows: FlatRows) {
        if let Ok(mut spare) = self.spare.lock() {
            if spare.len() < 16 {
                spare.push(rows);
            }
        }
    }

    /// The table columns the checks write (those of the bound fields), in table order.
    fn checked_columns(&self) -> Vec<usize> {
        let mut cols: Vec<usize> = self.bound.iter().map(|b| b.col).collect();
        cols.sort_unstable();
        cols.dedup();
        cols
    }

    /// Check every row of `rows`; `emit` receives each checked row, in order. The piece returned has no rows:
    /// they went to `emit`.
    fn check_rows<R: PieceRows>(
        &self,
        rows: &R,
        memos: &mut [Memo],
        mut emit: impl FnMut(&CheckedRow<'_>) -> anyhow::Result<()>,
    ) -> anyhow::Result<CheckedPiece> {
        let n = rows.len();
        let mut done = CheckedPiece {
            rows: FlatRows::default(),
            findings: Vec::new(),
            changes: Vec::new(),
            row_has_error: vec![false; n],
            fields: self.empty_stats(),
        };
        let mut values: Vec<String> = vec![String::new(); self.width];
        let mut scratch = String::new();
        let mut normalized = vec![false; self.width];
        let mut invalid_field = vec![false; self.bound.len()];
        // Each row's cells, found once.
        let mut raws: Vec<&str> = Vec::with_capacity(self.width);
        for r in 0..n {
            raws.clear();
            raws.extend((0..self.width).map(|c| rows.cell(r, c)));
            let cell = |c: Option<usize>| c.map(|c| raws[c]).unwrap_or("");
            normalized.iter_mut().for_each(|x| *x = false);
            let first = done.findings.len();
            let source = cell(self.ctx.source_col);
            let row_no = cell(self.ctx.row_col);
            let mut country: Option<[u8; 2]> = None;
            let mut country_seen = false;
            let lost_cols = self.lost.map(|l| l.columns(source, row_no)).unwrap_or(&[]);
            for &bi in &self.order {
                let b = &self.bound[bi];
                let raw = raws[b.col];
                let record_id = match self.ctx.id_col {
                    Some(c) if normalized[c] => values[c].as_str(),
                    Some(c) => raws[c],
                    None => "",
                };
                let loc = Loc {
                    index: r,
                    source,
                    row: row_no,
                    record_id,
                };
                let mut out = CellOut {
                    findings: &mut done.findings,
                    changes: &mut done.changes,
                    stats: &mut done.fields[bi],
                };
                let memo = memoizable(b.field.kind).then(|| &mut memos[bi]);
                let invalid = if lost_cols.contains(&b.field.name) {
                    precision_lost(b.field, bi, raw, &loc, &mut out, &mut scratch)
                } else {
                    check_cell(
                        self.schema,
                        b,
                        bi,
                        raw,
                        if country_seen { country } else { None },
                        self.opts,
                        self.want_changes,
                        memo,
                        &loc,
                        &mut out,
                        &mut scratch,
                    )
                };
                if b.field.kind == FieldKind::Country && !country_seen {
                    let v = scratch.as_bytes();
                    country = (v.len() == 2 && !invalid).then(|| [v[0], v[1]]);
                    country_seen = true;
                }
                invalid_field[bi] = invalid;
                // The old buffer becomes the next scratch: no allocation per cell.
                std::mem::swap(&mut values[b.col], &mut scratch);
                normalized[b.col] = true;
            }
            let row = CheckedRow {
                r,
                raws: &raws,
                values: &values,
                normalized: &normalized,
            };
            let value_of = |c: usize| row.value(c);
            let record_id = self.ctx.id_col.map(value_of).unwrap_or("");
            let loc = Loc {
                index: r,
                source,
                row: row_no,
                record_id,
            };
            if !self.schema.spec_only() {
                let cn_id_invalid = self.cross.cn_id.is_some_and(|ci| invalid_field[ci]);
                self.cross_field(&loc, &value_of, cn_id_invalid, &mut done.findings);
            }
            done.row_has_error[r] = done.findings[first..]
                .iter()
                .any(|f| f.severity == Severity::Error);
            emit(&row)?;
        }
        Ok(done)
    }

    /// The cross-field rules of one row, on its normalized values (as in `check_table`).
    fn cross_field<'v>(
        &self,
        loc: &Loc,
        value_of: &dyn Fn(usize) -> &'v str,
        cn_id_invalid: bool,
        findings: &mut Vec<Finding>,
    ) {
        let bound = &self.bound;
        let date_at = |bi: Option<usize>| bi.and_then(|bi| iso_date(value_of(bound[bi].col)));
        let CrossFields {
            birth,
            gender,
            signup,
            last,
            updated,
            cn_id,
        } = self.cross;
        if let Some(ci) = cn_id {
            let b = &bound[ci];
            let id = value_of(b.col);
            if (birth.is_some() || gender.is_some())
                && !cn_id_invalid
                && !self.schema.is_missing(id)
            {
                if let Some(info) = fields::cn_id::check_cn_id(id, self.opts.today).1 {
                    let g = gender.map(|g| value_of(bound[g].col));
                    for Issue {
                        rule,
                        level,
                        message,
                        suggestion,
                    } in fields::cn_id::cross_check(&info, date_at(birth), g)
                    {
                        let sev = level_to_severity(b.field, rule, level);
                        findings.push(loc.finding(ci, b.field, rule, sev, id, message, suggestion));
                    }
                }
            }
        }
        if let (Some(s), Some(l)) = (signup, last) {
            if let (Some(sd), Some(ld)) = (date_at(Some(s)), date_at(Some(l))) {
                if ld < sd {
                    let b = &bound[l];
                    findings.push(loc.finding(
                        l,
                        b.field,
                        "purchase-before-signup",
                        Severity::Warning,
                        value_of(b.col),
                        format!("last purchase {ld} is before signup {sd}"),
                        None,
                    ));
                }
            }
        }
        if let Some(days) = self.opts.stale_after_days {
            if let Some(anchor) = updated.or(last) {
                let newest = [date_at(updated), date_at(last)]
                    .into_iter()
                    .flatten()
                    .max();
                if let Some(d) = newest {
                    if (self.opts.today - d).num_days() > days {
                        let b = &bound[anchor];
                        findings.push(loc.finding(
                            anchor,
                            b.field,
                            "stale-record",
                            Severity::Warning,
                            value_of(b.col),
                            format!(
                                "last updated or active {d}, more than {days} days before {}",
                                self.opts.today
                            ),
                            Some("review or refresh this record".to_string()),
                        ));
                    }
                }
            }
        }
    }

    /// The findings of repeated values of one unique field (schema position `bi`): `values` holds the field's
    /// key for every row (its value, or its cast value under a Table Schema). Under a steward schema every copy
    /// is listed with the rows it shares the value with; under a Table Schema each repeat once, naming the
    /// first row, as frictionless reports them.
    fn unique_findings(
        &self,
        bi: usize,
        values: &TextColumn,
        source: &dyn Fn(usize) -> String,
        row: &dyn Fn(usize) -> String,
        id: &dyn Fn(usize) -> String,
    ) -> Vec<Finding> {
        self.unique_findings_by(
            bi,
            values.len(),
            |i| values.get(i) != NO_KEY,
            |i| values.get(i),
            source,
            row,
            id,
        )
    }

    /// For key rule `k`, when it is a unique field whose key is its value as it stands (no Table Schema
    /// constraint reads it otherwise), that field's column in the table: its findings are then taken from
    /// the table's own cells (`unique_findings_in`), with no copy of the column.
    pub fn unique_in_place(&self, k: usize) -> Option<usize> {
        match &self.keys[k] {
            KeyRule::Unique(bi) if self.bound[*bi].field.spec.is_none() => Some(*bi),
            _ => None,
        }
    }

    /// The findings of the unique field `bi` (`unique_in_place`), read from its column of `table`.
    pub fn unique_findings_in(
        &self,
        bi: usize,
        table: &Table,
        source: &dyn Fn(usize) -> String,
        row: &dyn Fn(usize) -> String,
        id: &dyn Fn(usize) -> String,
    ) -> Vec<Finding> {
        let col = &table.data[self.bound[bi].col];
        self.unique_findings_by(
            bi,
            col.len(),
            // As `push_rule_keys` reads them: a missing cell is no key (nor is one that is `NO_KEY` itself).
            |i| {
                let v = col.get(i);
                v != NO_KEY && !self.schema.is_missing(v)
            },
            |i| col.get(i),
            source,
            row,
            id,
        )
    }

    /// Rows whose value of unique field `bi` repeats: `value(i)` for each of the `n` rows where `present(i)`.
    /// A group lists its first rows in each message (a value repeated on a million rows would otherwise
    /// write a million row numbers a million times).
    #[allow(clippy::too_many_arguments)]
    fn unique_findings_by<'v>(
        &self,
        bi: usize,
        n: usize,
        present: impl Fn(usize) -> bool,
        value: impl Fn(usize) -> &'v str,
        source: &dyn Fn(usize) -> String,
        row: &dyn Fn(usize) -> String,
        id: &dyn Fn(usize) -> String,
    ) -> Vec<Finding> {
        let b = &self.bound[bi];
        let by_spec = b.field.spec.is_some();
        let mut idx: Vec<u32> = (0..n as u32).filter(|&i| present(i as usize)).collect();
        // Sorted by value, then row: equal values are neighbours, listed in row order.
        idx.sort_unstable_by(|&a, &c| value(a as usize).cmp(value(c as usize)).then(a.cmp(&c)));
        let sev = b.field.severity_of("unique");
        let mut out = Vec::new();
        let mut start = 0;
        while start < idx.len() {
            let v = value(idx[start] as usize);
            let mut end = start + 1;
            while end < idx.len() && value(idx[end] as usize) == v {
                end += 1;
            }
            if end - start > 1 {
                let group = &idx[start..end];
                let first = row(group[0] as usize);
                let listed_rows = if by_spec {
                    String::new()
                } else {
                    let mut l: Vec<String> = group
                        .iter()
                        .take(UNIQUE_ROWS_LISTED)
                        .map(|&i| row(i as usize))
                        .collect();
                    if group.len() > UNIQUE_ROWS_LISTED {
                        l.push(format!("and {} more", group.len() - UNIQUE_ROWS_LISTED));
                    }
                    l.join(", ")
                };
                let listed = if by_spec { &group[1..] } else { group };
                for &i in listed {
                    let i = i as usize;
                    let (s, r, d) = (source(i), row(i), id(i));
                    let loc = Loc {
                        index: i,
                        source: &s,
                        row: &r,
                        record_id: &d,
                    };
                    let message = if by_spec {
                        format!(
                            "{} {} is the same as in row {first} (constraint unique)",
                            b.field.name,
                            quoted(v)
                        )
                    } else {
                        format!(
                            "{} {} appears {} times (rows {listed_rows})",
                            b.field.name,
                            quoted(v),
                            group.len(),
                        )
                    };
                    out.push(loc.finding(bi, b.field, "unique-error", sev, v, message, None));
                }
            }
            start = end;
        }
        out
    }
}

/// A value quoted in a message, its first 200 characters and "…" when longer: the value itself is in the
/// finding's own column, and a message quoting a long cell whole held it twice (a repeated unique value of
/// megabytes on many rows).
fn quoted(v: &str) -> String {
    const SHOWN: usize = 200;
    match v.char_indices().nth(SHOWN) {
        None => format!("{v:?}"),
        Some((cut, _)) => format!("{:?}…", &v[..cut]),
    }
}

/// How many rows a repeated unique value's message lists.
const UNIQUE_ROWS_LISTED: usize = 20;

/// The schema fields found among the columns, with their compiled patterns.
fn bind<'s>(schema: &'s Schema, columns: &[String]) -> anyhow::Result<Vec<Bound<'s>>> {
    let mut bound = Vec::new();
    for f in &schema.fields {
        if let Some(col) = columns.iter().position(|c| *c == f.name) {
            let pattern = match &f.pattern {
                None => None,
                Some(p) => Some(regex::Regex::new(&format!("^(?:{p})$")).map_err(|e| {
                    crate::error::StewardError::data(format!(
                        "schema field {}: bad pattern {p:?}: {e}",
                        f.name
                    ))
                })?),
            };
            bound.push(Bound {
                field: f,
                col,
                pattern,
            });
        }
    }
    Ok(bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_keeps_its_eight_texts_apart() {
        let texts = FindingText {
            source: "客户.csv",
            row: "12",
            record_id: "",
            field: "name",
            rule: "name-digits",
            value: "Zoë 2",
            message: "name contains digits",
            suggestion: "",
        };
        let f = Finding::new(11, 3, Severity::Warning, texts);
        let got = [
            f.source(),
            f.row(),
            f.record_id(),
            f.field(),
            f.rule(),
            f.value(),
            f.message(),
            f.suggestion(),
        ];
        assert_eq!(
            got,
            [
                "客户.csv",
                "12",
                "",
                "name",
                "name-digits",
                "Zoë 2",
                "name contains digits",
                ""
            ]
        );
        assert_eq!(
            (f.row_index, f.order, f.severity),
            (11, 3, Severity::Warning)
        );
        let g = f.clone().with_field("name, email");
        assert_eq!(
            (g.field(), g.rule(), g.value()),
            ("name, email", "name-digits", "Zoë 2")
        );
        // Written with the findings file's names, in its order.
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(
            json,
            r#"{"_source":"客户.csv","_row":"12","record_id":"","field":"name","rule":"name-digits","severity":"warning","value":"Zoë 2","message":"name contains digits","suggestion":""}"#
        );
        // A message quotes a long value in part, cut at a character.
        assert_eq!(quoted("a\"b"), r#""a\"b""#);
        let long = "é".repeat(300);
        assert_eq!(quoted(&long), format!("\"{}\"…", "é".repeat(200)));
        assert_eq!(quoted(&long[..400]), format!("{:?}", "é".repeat(200)));
        // A text beyond the limit is cut at a character's start.
        assert_eq!(cut_at_char("aé", 2), "a");
        assert_eq!(cut_at_char("aé", 3), "aé");
    }

    #[test]
    fn memo_gives_what_the_check_gives_through_evictions_and_restarts() {
        let check = |raw: &str, country: Option<[u8; 2]>| {
            let n: usize = raw.trim_start_matches('v').parse().unwrap_or(0);
            let issues = if n.is_multiple_of(3) {
                vec![Issue {
                    rule: "odd",
                    level: Level::Warning,
                    message: format!("{raw} in {country:?}"),
                    suggestion: None,
                }]
            } else {
                vec![]
            };
            let value = if n.is_multiple_of(2) {
                raw.to_string()
            } else {
                format!("{raw}!")
            };
            Checked { value, issues }
        };
        let mut memo = Memo::default();
        let (mut calls, mut lookups) = (0, 0);
        // Repeats first (so the trial keeps the memory on), then more values than slots and than the limit.
        let keys = (0..20_000usize)
            .map(|i| i % 500)
            .chain((0..300_000usize).map(|i| (i * 7919) % 150_000));
        for (i, k) in keys.enumerate() {
            let raw = format!("v{k}");
            let country = i.is_multiple_of(2).then_some(*b"GB");
            let want = check(&raw, country);
            let got = match memo.check(&raw, country, || {
                calls += 1;
                check(&raw, country)
            }) {
                Memoized::Clean => Checked {
                    value: raw.clone(),
                    issues: vec![],
                },
                Memoized::Found(c) => c.clone(),
                Memoized::Fresh(c) => c,
            };
            lookups += 1;
            assert_eq!(got, want, "{raw} {country:?}");
        }
        // Most repeats were remembered, not checked again.
        assert!(lookups - calls > 15_000, "{calls} checks of {lookups}");
        // A value longer than a slot's key is checked each time.
        let long = "v".repeat(40);
        assert!(matches!(
            memo.check(&long, None, || check(&long, None)),
            Memoized::Fresh(_)
        ));
    }

    #[test]
    fn patched_columns_keep_unchanged_values_and_put_in_changed_ones() {
        let mut col = TextColumn::default();
        for v in ["a", "b", "", "d", "e", "f"] {
            col.push(v).unwrap();
        }
        let patch = |start: usize, changed: &[(u32, &str)]| {
            let mut p = Patch {
                start,
                ..Patch::default()
            };
            for (r, v) in changed {
                p.rows.push(*r);
                p.values.push(v).unwrap();
            }
            p
        };
        // Pieces of 3 rows: row 0 and 2 of the first changed, row 1 of the second (table row 4).
        let out = patched(
            &col,
            &[patch(0, &[(0, "A"), (2, "CC")]), patch(3, &[(1, "")])],
        )
        .unwrap();
        let got: Vec<&str> = out.iter().collect();
        assert_eq!(got, vec!["A", "b", "CC", "d", "", "f"]);
        assert_eq!(
            patched(&col, &[]).unwrap().iter().collect::<Vec<_>>(),
            col.iter().collect::<Vec<_>>()
        );
        let mut part = TextColumn::default();
        part.extend_from(&col, 2..5).unwrap();
        part.extend_from(&col, 0..1).unwrap();
        part.extend_from(&col, 6..6).unwrap();
        assert_eq!(part.iter().collect::<Vec<_>>(), vec!["", "d", "e", "a"]);
    }

    #[test]
    fn constraints_report_each_broken_rule() {
        let mut f = Field::new("code", FieldKind::Text);
        f.min_length = Some(3);
        f.values = vec!["AB".into(), "ABC".into()];
        let re = regex::Regex::new("^(?:[A-Z]+)$").unwrap();
        let v = constraint_violations(&f, Some(&re), "ab");
        let keys: Vec<&str> = v.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, vec!["pattern", "min_length", "values"]);
        assert!(constraint_violations(&f, Some(&re), "ABC").is_empty());
        let mut n = Field::new("spend", FieldKind::Money);
        n.min = Some(0.0);
        n.max = Some(100.0);
        assert_eq!(constraint_violations(&n, None, "-1")[0].0, "min");
        assert_eq!(constraint_violations(&n, None, "101")[0].0, "max");
        assert!(constraint_violations(&n, None, "50").is_empty());
    }
}

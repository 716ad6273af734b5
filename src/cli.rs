//! The command line: clap definitions for every subcommand, with examples in each `--help`.
//! Completions and man pages are generated from these definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

use crate::error::StewardError;
use crate::io::write::OutputFormat;
use crate::io::{InputFormat, SheetSelector};
use crate::schema::ManualMap;

pub const EXIT_CODES: &str = "\
Exit codes:
  0   done
  1   done, but the data failed the declared policy (e.g. --fail-on error)
  2   usage error (bad option or argument)
  65  input malformed (bad CSV, wrong encoding, corrupt or encrypted workbook, bad schema)
  66  input missing or unreadable
  70  internal error (a bug: please report it)
  73  cannot write output (exists without --force, is an input, disk full, read-only folder)
  130 interrupted (SIGINT, SIGTERM): outputs being written are removed";

#[derive(Parser, Debug)]
#[command(
    name = "steward",
    version,
    about = "Data stewardship for customer lists: import, validate, normalize, dedupe, pseudonymize, audit",
    long_about = "steward reads customer lists from CSV/TSV (any delimiter; UTF-8, UTF-16, GBK) and Excel \
(xlsx, xls, ods), maps their headers (English and Chinese) onto a customer schema, and keeps every value \
as text with the file and row it came from.",
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    /// Print no messages on stderr (errors still go there)
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Inspect(InspectArgs),
    Import(ImportArgs),
    Validate(ValidateArgs),
    Normalize(NormalizeArgs),
    Clean(Box<CleanArgs>),
    Run(RunArgs),
    Profile(Box<ProfileArgs>),
    Diff(Box<DiffArgs>),
    Dedupe(Box<DedupeArgs>),
    Segment(Box<SegmentArgs>),
    Pseudonymize(Box<PseudonymizeArgs>),
    Reveal(RevealArgs),
    Risk(RiskArgs),
    Erase(EraseArgs),
    /// Keys for tokens and encryption: create one (0600), print its id
    #[command(subcommand)]
    Key(KeyCommand),
    /// Audit logs: verify the hash chain and the outputs each entry records
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The customer schema: show it, or write an editable copy
    #[command(subcommand)]
    Schema(SchemaCommand),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// How to read the sources.
#[derive(Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]
    #[arg(short, long, value_name = "CHAR")]
    pub delimiter: Option<String>,

    /// Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]
    #[arg(long, value_name = "NAME|INDEX|all")]
    pub sheet: Option<SheetSelector>,

    /// Read every source as this format instead of detecting it
    #[arg(long, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
}

/// Which schema to map onto.
#[derive(Args, Debug, Clone, Default)]
pub struct SchemaArgs {
    /// A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,

    /// Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable.
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub maps: Vec<ManualMap>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    #[default]
    Human,
    Json,
}

/// Show what steward detects in a file: format, encoding, delimiter, header row, counts and column mapping.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward inspect customers.csv
  steward inspect export.xlsx --sheet all
  steward inspect customers_gbk.csv --format json | jq '.sources[0].encoding'
  cat customers.csv | steward inspect -")]
pub struct InspectArgs {
    /// Files, globs, or - for stdin
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Output format of the report
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    /// How many sample values to show per column
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub samples: usize,

    /// Show sample values of personal fields unmasked (they are masked by default)
    #[arg(long)]
    pub unmask: bool,
}

/// Read customer lists and write one table: schema fields, then unmapped columns, then _source and _row.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward import customers.csv -o customers.clean.csv
  steward import 'exports/*.csv' shop.xlsx -o all.parquet
  steward import customers_gbk.csv --map \"Cust No=id\" -o - | head
  steward import ragged.csv --lenient --rejects bad-rows.csv -o out.csv
  cat customers.csv | steward import - -o customers.xlsx

Output format comes from the extension of -o (csv, tsv, jsonl, parquet, xlsx) or --format.
Cells a spreadsheet would run as formulas (=, @, or + and - before letters) are written with a leading apostrophe;
phone numbers and amounts (digits, spaces and + - ( ) . , /) are never changed.")]
pub struct ImportArgs {
    /// Files, globs, or - for stdin
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Output file, or - for stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: String,

    /// Output format [default: from the extension of OUT, else csv]
    #[arg(short, long, value_enum)]
    pub format: Option<OutputFormat>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Send malformed rows to a rejects file instead of failing
    #[arg(long)]
    pub lenient: bool,

    /// Rejects file for --lenient [default: OUT with .rejects.csv]
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<String>,

    /// Replace output files that already exist
    #[arg(long)]
    pub force: bool,

    /// Do not neutralize spreadsheet formulas in CSV/TSV output (for machine pipelines)
    #[arg(long)]
    pub no_formula_guard: bool,
}

#[derive(Subcommand, Debug)]
pub enum SchemaCommand {
    Show(SchemaShowArgs),
    Init(SchemaInitArgs),
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SchemaFormat {
    #[default]
    Human,
    Toml,
    Json,
}

/// Print the schema: fields, kinds, privacy classes, rules and header aliases.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward schema show
  steward schema show --format toml
  steward schema show --schema my-schema.toml --format json")]
pub struct SchemaShowArgs {
    /// Show this schema instead of the built-in one
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,

    #[arg(long, value_enum, default_value_t = SchemaFormat::Human)]
    pub format: SchemaFormat,
}

/// Write an editable copy of the built-in schema.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward schema init my-schema.toml
  steward import customers.csv --schema my-schema.toml -o out.csv")]
pub struct SchemaInitArgs {
    /// Where to write the schema (TOML)
    pub file: String,

    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// Print a shell completion script.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward completions bash > /etc/bash_completion.d/steward
  steward completions zsh > \"${fpath[1]}/_steward\"")]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Write man pages (one per subcommand) into a folder.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward man man/
  man -l man/steward-import.1")]
pub struct ManArgs {
    /// Folder to write the pages into
    pub dir: PathBuf,
}

/// Parse a --delimiter value.
pub fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s.to_ascii_lowercase().as_str() {
        "comma" | "," => Ok(b','),
        "semicolon" | ";" => Ok(b';'),
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "pipe" | "|" => Ok(b'|'),
        other if other.len() == 1 && other.is_ascii() => Ok(other.as_bytes()[0]),
        _ => Err(format!(
            "--delimiter takes one ASCII character or comma, semicolon, tab, pipe; found {s:?}"
        )),
    }
}

/// `--stale-after`: `365d`, `52w`, `12m` (30-day months), `1y` (365 days), or a bare number of days.
pub fn parse_days(s: &str) -> anyhow::Result<i64> {
    let t = s.trim();
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: i64 = num.parse().map_err(|_| {
        StewardError::usage(format!(
            "--stale-after takes a span like 365d, 12m or 1y, found {s:?}"
        ))
    })?;
    let days = match unit {
        "" | "d" => n,
        "w" => n * 7,
        "m" => n * 30,
        "y" => n * 365,
        _ => {
            return Err(StewardError::usage(format!(
                "--stale-after takes a span like 365d, 12m or 1y, found {s:?}"
            ))
            .into())
        }
    };
    Ok(days)
}

pub use crate::validate::FailOn;

/// Options shared by `validate` and `normalize`.
#[derive(Args, Debug, Clone)]
pub struct ValidationArgs {
    /// Files, globs, or - for stdin
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Write every finding (_source, _row, record_id, field, rule, severity, value, message, suggestion) to FILE
    #[arg(long, value_name = "FILE")]
    pub findings: Option<String>,

    /// Write the rows with errors, each with its reasons, to FILE
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<String>,

    /// Which findings make the run fail (exit code 1) [default: error for validate, never for normalize]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// How many failing findings are tolerated: a count, or a percentage of rows such as 2%
    #[arg(long, value_name = "N|P%")]
    pub max_errors: Option<String>,

    /// Summary format (json goes to stdout for validate, stderr for normalize)
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    /// Mask personal values in the findings and rejects files too
    #[arg(long)]
    pub mask_values: bool,

    /// Region for phone numbers of rows without a country, e.g. CN, US, GB
    #[arg(long, value_name = "CC")]
    pub default_region: Option<String>,

    /// Read dates like 05/03/2024 as day/month/year (otherwise such ambiguous dates are findings)
    #[arg(long)]
    pub day_first: bool,

    /// Flag records not updated or active for this long: 365d, 52w, 12m, 1y
    #[arg(long, value_name = "SPAN")]
    pub stale_after: Option<String>,

    /// The date checks count from (future dates, ages, staleness) [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,

    /// Send malformed CSV rows to the rejects instead of failing
    #[arg(long)]
    pub lenient: bool,
}

/// Check every row against the schema and report, per field, what is valid, invalid and missing.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward validate customers.csv
  steward validate customers.csv --findings findings.csv --rejects rejects.csv
  steward validate 'feeds/*.csv' --fail-on error --max-errors 2% || echo 'feed rejected'
  steward validate customers.xlsx --default-region CN --format json | jq .rows_rejected

Rule codes: missing-cell, type-error, constraint-error, unique-error, email-syntax, email-typo-domain,
phone-invalid, cn-id-checksum, date-impossible, date-ambiguous, enum-invalid, stale-record, ...
Exit code 1 when the policy fails (--fail-on, --max-errors).")]
pub struct ValidateArgs {
    #[command(flatten)]
    pub check: ValidationArgs,

    /// Replace findings and rejects files that already exist
    #[arg(long)]
    pub force: bool,
}

/// Write the table with every value normalized (E.164 phones, ISO dates, clean text); nothing is dropped.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward normalize customers.csv -o clean.csv --changes changes.csv
  steward normalize customers_gbk.csv --default-region CN -o clean.xlsx
  steward normalize customers.csv --split-names -o clean.csv
  cat customers.csv | steward normalize - -o - > clean.csv

A value that cannot be normalized is kept as it was, with a finding.")]
pub struct NormalizeArgs {
    #[command(flatten)]
    pub check: ValidationArgs,

    /// Output file, or - for stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: String,

    /// Output format [default: from the extension of OUT, else csv]
    #[arg(long = "output-format", value_enum)]
    pub output_format: Option<OutputFormat>,

    /// Write every change (_source, _row, field, before, after, rule) to FILE
    #[arg(long, value_name = "FILE")]
    pub changes: Option<String>,

    /// Fill given_name and family_name from the full name where both are empty (Chinese: family name first,
    /// compound surnames such as 欧阳; Latin: particles stay with the family name)
    #[arg(long)]
    pub split_names: bool,

    /// Replace output files that already exist
    #[arg(long)]
    pub force: bool,

    /// Do not neutralize spreadsheet formulas in CSV/TSV output
    #[arg(long)]
    pub no_formula_guard: bool,
}

/// Find records of the same customer, cluster them, and write one golden record per cluster.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward dedupe customers.csv -o golden.csv --clusters clusters.csv --merge-map merge-map.csv
  steward dedupe customers.xlsx -o golden.xlsx --pairs pairs.csv --review review.xlsx
  steward dedupe customers.csv -o golden.csv --labels review.xlsx        # after a steward filled in decisions
  steward dedupe customers.csv --explain 10002 10417
  steward dedupe --link crm.csv shop.csv -o links.csv
  steward dedupe new-signups.csv --against golden.csv -o golden-updated.csv --merge-map new-map.csv

Matching: blocking on several keys (email, phone, resident ID, names, birth date, postcode, address), never
all pairs; Fellegi-Sunter weights with m and u estimated without labels (EM; u from random pairs); guards
against merging households, twins and father/son; clusters checked against chaining.
A [dedupe] section of the schema sets threshold, review_lower, blocking and survivorship, e.g.
  [dedupe]
  threshold = 0.95
  blocking = [\"email\", \"phone\", \"family_soundex+birth_year\", \"postcode+sorted_initials\"]
  survivorship = { email = \"most_recent\", name = \"most_frequent\", address = \"source:crm\" }
Survivorship rules: most_recent, most_complete, most_frequent, longest, source:NAME.")]
pub struct DedupeArgs {
    /// Files, globs, or - for stdin (with --link: exactly two lists, A then B)
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Golden records (one per cluster); with --link, each row of B with its match in A
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<String>,

    /// Output format [default: from the extension of OUT, else csv]
    #[arg(short, long, value_enum)]
    pub format: Option<OutputFormat>,

    /// Every input row with cluster_id, cluster_size and match_probability
    #[arg(long, value_name = "FILE")]
    pub clusters: Option<String>,

    /// Scored candidate pairs with a per-field breakdown (level and weight of each comparison)
    #[arg(long, value_name = "FILE")]
    pub pairs: Option<String>,

    /// Old record -> golden id, to update other systems
    #[arg(long, value_name = "FILE")]
    pub merge_map: Option<String>,

    /// Uncertain pairs side by side with an empty decision column (xlsx or csv), for a steward to review
    #[arg(long, value_name = "FILE")]
    pub review: Option<String>,

    /// A filled-in review file: decided pairs are obeyed (match / not a match) and refine the weights
    #[arg(long, value_name = "FILE")]
    pub labels: Option<String>,

    /// Link two lists: for each row of the second, the matching customer in the first
    #[arg(long)]
    pub link: bool,

    /// Match new records into existing golden records (a previous OUT), keeping their golden ids
    #[arg(long, value_name = "GOLDEN")]
    pub against: Option<String>,

    /// Print why two records (by id, or by row number) do or do not match, field by field
    #[arg(long, num_args = 2, value_names = ["ID1", "ID2"])]
    pub explain: Vec<String>,

    /// Match probability at which a pair is accepted [default: 0.9, or the schema's [dedupe] threshold]
    #[arg(long, value_name = "P")]
    pub threshold: Option<f64>,

    /// Lower bound of the review band [default: 0.5]
    #[arg(long, value_name = "P")]
    pub review_lower: Option<f64>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Summary format (json goes to stdout unless data does)
    #[arg(long = "report-format", value_enum, default_value_t = ReportFormat::Human)]
    pub report_format: ReportFormat,

    /// Send malformed CSV rows to the report instead of failing
    #[arg(long)]
    pub lenient: bool,

    /// Replace output files that already exist
    #[arg(long)]
    pub force: bool,

    /// Do not neutralize spreadsheet formulas in CSV/TSV output
    #[arg(long)]
    pub no_formula_guard: bool,
}

/// Grade customers by value (RFM scores and segment, A/B/C tier) and place them in their lifecycle stage.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward segment golden.csv -o segmented.csv --as-of 2026-11-01
  steward segment customers.xlsx -o segmented.xlsx --churn-days 540 --loyal-orders 8
  steward segment customers.csv -o - --format json > segments.json

Columns added: recency_days, frequency, monetary, r_score, f_score, m_score (1-5 by quintiles of this data),
rfm_segment, value_tier (A: customers making the first 80% of spend, B: up to 95%, C: the rest), lifecycle_stage.
RFM segments from the R and F scores: champions (R5 F4-5), loyal (R3-4 F4-5), potential loyalist (R4-5 F2-3),
new (R5 F1), promising (R4 F1), need attention (R3 F3), about to sleep (R3 F1-2), at risk (R1-2 F3-4),
cannot lose (R1-2 F5), hibernating (R1-2 F1-2), lost (R1 F1).
Stages, in order: prospect (no purchase: 0 orders), unknown (purchase data missing or invalid), churned (no purchase
for --churn-days), at risk (for --at-risk-days), new (one order, within --new-days), loyal (at least --loyal-orders),
active (the rest).")]
pub struct SegmentArgs {
    /// Files, globs, or - for stdin (customers, or golden records after dedupe)
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Output file, or - for stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: String,

    /// Output format [default: from the extension of OUT, else csv]
    #[arg(long = "output-format", value_enum)]
    pub output_format: Option<OutputFormat>,

    /// The date recency is counted from [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,

    /// A customer whose only order is at most this many days old is new
    #[arg(long, default_value_t = 90, value_name = "DAYS")]
    pub new_days: i64,

    /// Orders that make a recent customer loyal
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub loyal_orders: i64,

    /// No purchase for this many days: at risk
    #[arg(long, default_value_t = 180, value_name = "DAYS")]
    pub at_risk_days: i64,

    /// No purchase for this many days: churned
    #[arg(long, default_value_t = 365, value_name = "DAYS")]
    pub churn_days: i64,

    /// Cumulative share of spend that makes tier A, and A+B (percent)
    #[arg(long, default_value = "80,95", value_name = "A,B")]
    pub tiers: String,

    /// Summary format (json goes to stdout unless the data does)
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Replace output files that already exist
    #[arg(long)]
    pub force: bool,

    /// Do not neutralize spreadsheet formulas in CSV/TSV output
    #[arg(long)]
    pub no_formula_guard: bool,
}

/// The whole cleanup job in one command: import, validate, normalize, dedupe, segment, and pseudonymize when a
/// key is given; every output, a report and a manifest with checksums written into one folder.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward clean customers.csv --out cleaned/
  steward clean 'exports/*.csv' crm.xlsx --out cleaned/ --key-file team.key --audit-log audit.jsonl
  STEWARD_KEY=$(cat team.key) steward clean customers_gbk.csv --out out/ --default-region CN --format json

Writes into DIR: cleaned.csv (golden records; pseudonymized when a key is given), golden.csv, rejects.csv,
findings.csv, clusters.csv, merge-map.csv, segments.csv (when the data has purchase fields), report.json,
report.html and manifest.json. The first line of the summary reconciles:
rows in = rows out + rows rejected + rows merged.
Rows with an error finding are rejected (with their reasons); the rest are normalized and deduplicated.")]
pub struct CleanArgs {
    /// Files, globs, or - for stdin
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Folder for every output (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: std::path::PathBuf,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Pseudonymize the cleaned dataset with this key (or STEWARD_KEY); without a key it keeps personal data
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,

    /// Purpose or recipient of the tokens [default: default]
    #[arg(long, value_name = "NAME")]
    pub domain: Option<String>,

    /// Append this run to a hash-chained audit log (JSON lines; each entry sealed when a key is given)
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,

    /// Region for phone numbers of rows without a country, e.g. CN
    #[arg(long, value_name = "CC")]
    pub default_region: Option<String>,

    /// Read dates like 05/03/2024 as day/month/year
    #[arg(long)]
    pub day_first: bool,

    /// Flag records not updated or active for this long: 365d, 52w, 12m, 1y
    #[arg(long, value_name = "SPAN")]
    pub stale_after: Option<String>,

    /// Dates are checked and customers segmented as of this date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,

    /// Match probability at which two records are merged [default: 0.9]
    #[arg(long, value_name = "P")]
    pub threshold: Option<f64>,

    /// Steps to leave out: dedupe (every valid row becomes its own golden record), segment
    #[arg(long, value_delimiter = ',', value_name = "STEPS")]
    pub skip: Vec<CleanStep>,

    /// Format of the cleaned dataset (cleaned.csv, .tsv, .jsonl, .parquet or .xlsx)
    #[arg(long = "output-format", value_enum, default_value_t = OutputFormat::Csv)]
    pub output_format: OutputFormat,

    /// Summary format
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    /// Send malformed CSV rows to the rejects instead of failing
    #[arg(long)]
    pub lenient: bool,

    /// With a key: leave the raw files (golden records, rejects, findings, clusters, merge map, segments) out
    /// of the set instead of writing them to DIR/restricted/
    #[arg(long)]
    pub no_restricted: bool,

    /// Replace the output set already in DIR (the whole set: no earlier file survives)
    #[arg(long)]
    pub force: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProfileFormat {
    #[default]
    Human,
    Json,
    Md,
}

/// A data-quality profile: per column completeness, validity, uniqueness, distinct values, top values,
/// value patterns, ranges, stale records, and an estimate of duplicate records.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward profile customers.csv
  steward profile customers.xlsx --format md > profile.md
  steward profile customers.csv --html profile.html --format json | jq '.columns[] | {column, completeness}'

Top values of personal fields (names, emails, phones, IDs, addresses) are masked unless --unmask.
Patterns: 9 a digit, A an upper-case and a a lower-case letter, 中 a CJK character; + repeats the letter class.")]
pub struct ProfileArgs {
    /// Files, globs, or - for stdin
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    #[arg(long, value_enum, default_value_t = ProfileFormat::Human)]
    pub format: ProfileFormat,

    /// Also write a self-contained HTML report (inline CSS and SVG, no network)
    #[arg(long, value_name = "FILE")]
    pub html: Option<String>,

    /// Records whose updated_at or last purchase is older than this are stale: 365d, 52w, 12m, 1y
    #[arg(long, value_name = "SPAN", default_value = "365d")]
    pub stale_after: String,

    /// Dates are checked as of this date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,

    /// Region for phone numbers of rows without a country, e.g. CN
    #[arg(long, value_name = "CC")]
    pub default_region: Option<String>,

    /// How many top values and patterns to show per column
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub top: usize,

    /// Show top values of personal fields unmasked
    #[arg(long)]
    pub unmask: bool,

    /// Count malformed CSV rows instead of failing
    #[arg(long)]
    pub lenient: bool,

    /// Replace the HTML file if it exists
    #[arg(long)]
    pub force: bool,
}

/// Compare two versions of a customer list: customers added, removed and changed (which fields).
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward diff last-month.csv this-month.csv --key id
  steward diff old.xlsx new.csv --key email --changes changes.csv --format json

Values are compared after normalization (1990/1/2 and 1990-01-02 are equal).
Exit code 0 whether or not there are differences; read the counts (or --format json).")]
pub struct DiffArgs {
    /// The older list
    pub old: String,

    /// The newer list
    pub new: String,

    /// The field (or column) that identifies a customer in both lists
    #[arg(long, default_value = "id", value_name = "FIELD")]
    pub key: String,

    /// Write every difference (key, status, field, old, new) to FILE
    #[arg(long, value_name = "FILE")]
    pub changes: Option<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    /// Values in the changes file are masked for personal fields
    #[arg(long)]
    pub mask_values: bool,

    /// Replace the changes file if it exists
    #[arg(long)]
    pub force: bool,
}

/// Run a declared cleanup job (TOML): sources, schema, options, outputs and a policy; one folder per run.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward run fixtures/job.toml --dry-run
  steward run jobs/weekly.toml
  # crontab: every Monday at 06:00, keep a log, alert when the policy fails (exit 1)
  0 6 * * 1  cd /srv/data && steward run jobs/weekly.toml -q || mail -s 'customer feed failed' steward@example.com

Each run writes into OUT/<timestamp>/ and points OUT/latest at it; a lock file (OUT/.lock) stops two runs of one
job at once, and a lock left by a process that no longer exists is taken over. Paths in the job file are relative
to the job file. Exit code 1 when the policy fails (rejected or merged rows above the limits).")]
pub struct RunArgs {
    /// The job file (TOML)
    pub job: PathBuf,

    /// Print what the job would do, without doing it
    #[arg(long)]
    pub dry_run: bool,

    /// Summary format
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

/// Steps of `clean` that can be left out.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CleanStep {
    Dedupe,
    Segment,
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    Verify(AuditVerifyArgs),
}

/// Check an audit log: every entry chained to the one before, each entry's own hash and (with keys) its seal,
/// and every recorded output still as recorded; prints the entry count and the head hash to anchor elsewhere.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward audit verify audit.jsonl
  steward audit verify audit.jsonl --key-file team.key
  steward audit verify audit.jsonl --key-file old.key --key-file team.key --chain-only
  steward audit verify audit.jsonl --expect-entries 2 --expect-head \"$(cat audit.head)\"
  steward audit verify audit.jsonl --format json

A run with a key (--key-file, STEWARD_KEY or the job's key) seals its entry with a key derived
from it for the audit log alone; with that key (several across a key rotation) an edit of any
entry, the last included, is detected. Without a key the output says the seals were not checked.
A removed last entry is detected against the head and entry count that `clean` and `audit verify`
print, kept elsewhere (a ticket, a second log; audit.head above): --expect-head, --expect-entries.
An empty log fails unless --expect-entries 0. Exit code 1 when a problem is found.")]
pub struct AuditVerifyArgs {
    /// The audit log (JSON lines written by --audit-log)
    pub log: PathBuf,

    /// Check only the chain, hashes and seals, not the output files
    #[arg(long)]
    pub chain_only: bool,

    /// Check seals with this key (repeatable, for a log that spans a key rotation; STEWARD_KEY is used too)
    #[arg(long = "key-file", value_name = "FILE")]
    pub key_files: Vec<PathBuf>,

    /// The head hash anchored elsewhere: detects a removed or edited last entry
    #[arg(long, value_name = "HASH")]
    pub expect_head: Option<String>,

    /// The number of entries anchored elsewhere: detects removed entries at the end
    #[arg(long, value_name = "N")]
    pub expect_entries: Option<u64>,

    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

/// Where the key comes from: a file only its owner can read, or STEWARD_KEY. Never an argument.
#[derive(Args, Debug, Clone, Default)]
pub struct KeyArgs {
    /// Key file (from `steward key new`; mode 0600) [default: the STEWARD_KEY environment variable, hex]
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,

    /// Purpose or recipient the tokens are for: another domain gives unrelated tokens [default: default]
    #[arg(long, value_name = "NAME")]
    pub domain: Option<String>,
}

/// Write a dataset that can leave the team: identifiers tokenized, quasi-identifiers generalized,
/// sensitive fields dropped, each as the schema's privacy classes say unless a policy or flag says otherwise.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward key new team.key
  steward pseudonymize customers.csv -o share.csv --key-file team.key
  steward pseudonymize customers.csv -o vendor-a.csv --key-file team.key --domain vendor-a \\
      --token email,phone --mask name --generalize birth_date=year,postcode=3 --drop resident_id --keep city
  STEWARD_KEY=$(cat team.key) steward pseudonymize customers.xlsx -o share.xlsx --k 5 --quasi birth_date,gender,postcode
  steward pseudonymize customers.csv -o share.csv --key-file team.key --consent-field marketing_consent --consent-only

Defaults by privacy class: direct identifiers (name, email, phone, resident ID, id, address) are tokenized;
dates that are quasi-identifiers go to their year and postcodes to 3 characters; other quasi-identifiers are
kept; sensitive fields and columns the schema does not know are dropped (--keep to keep one).
Actions: token (HMAC-SHA256, 128 bits, prefix such as em_), encrypt (AES-SIV, `steward reveal` undoes it),
mask (138****5678), generalize (year, month, 5y, decade, age10, N characters, band:W), drop, keep.
Unkeyed hashing is not offered: phone numbers and known emails can be enumerated.
The output is pseudonymized personal data (GDPR Art. 4(5); PIPL Art. 73: 去标识化), not anonymous data;
OUT.meta.json records the policy, key id and domain, never the key.")]
pub struct PseudonymizeArgs {
    /// Files, globs, or - for stdin
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Output file, or - for stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: String,

    /// Output format [default: from the extension of OUT, else csv]
    #[arg(short, long, value_enum)]
    pub format: Option<OutputFormat>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    #[command(flatten)]
    pub key: KeyArgs,

    /// Policy file (TOML): `domain = "..."` and a [columns] table of COLUMN = "ACTION"
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Tokenize these columns (schema field names or source headers)
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub token: Vec<String>,

    /// Encrypt these columns (AES-SIV; `steward reveal` decrypts them)
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub encrypt: Vec<String>,

    /// Mask these columns for people reading them
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub mask: Vec<String>,

    /// Generalize columns: birth_date=year, signup_date=month, birth_date=age10, postcode=3, total_spend=band:1000
    #[arg(long, value_delimiter = ',', value_name = "COL=TO")]
    pub generalize: Vec<String>,

    /// Drop these columns
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub drop: Vec<String>,

    /// Keep these columns as they are
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub keep: Vec<String>,

    /// Generalize further or suppress records until every group of quasi-identifiers has at least K records
    #[arg(long, value_name = "K")]
    pub k: Option<usize>,

    /// Quasi-identifiers for --k [default: the schema's quasi-identifier fields in the output]
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub quasi: Vec<String>,

    /// With --k: the share of records that may be suppressed before generalizing further
    #[arg(long, value_name = "P%", default_value = "5%")]
    pub max_suppress: String,

    /// Write token -> original value to FILE (mode 0600), for whoever may re-identify; never by default
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<String>,

    /// The consent field (e.g. marketing_consent), with --consent-only
    #[arg(long, value_name = "COL")]
    pub consent_field: Option<String>,

    /// Keep only customers whose consent field says yes
    #[arg(long, requires = "consent_field")]
    pub consent_only: bool,

    /// Metadata file [default: OUT.meta.json; required when OUT is stdout]
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<String>,

    /// Region for phone numbers of rows without a country, e.g. CN
    #[arg(long, value_name = "CC")]
    pub default_region: Option<String>,

    /// Age bands are counted at this date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,

    /// Summary format (json goes to stdout when OUT is a file)
    #[arg(long = "report-format", value_enum, default_value_t = ReportFormat::Human)]
    pub report_format: ReportFormat,

    /// Send malformed CSV rows to the rejects instead of failing
    #[arg(long)]
    pub lenient: bool,

    /// Replace output files that already exist
    #[arg(long)]
    pub force: bool,

    /// Do not neutralize spreadsheet formulas in CSV/TSV output
    #[arg(long)]
    pub no_formula_guard: bool,
}

/// Decrypt values written by `pseudonymize --encrypt`, for a person authorized to hold the key.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward reveal share.csv --key-file team.key --columns email -o revealed.csv
  steward reveal share.csv --key-file team.key --domain vendor-a -o -")]
pub struct RevealArgs {
    /// Files, globs, or - for stdin
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Output file, or - for stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: String,

    /// Columns to decrypt [default: every column holding encrypted values]
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub columns: Vec<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub key: KeyArgs,

    /// Replace output files that already exist
    #[arg(long)]
    pub force: bool,
}

/// Report re-identification risk: how many records share each combination of quasi-identifiers.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward risk customers.csv --quasi birth_date,gender,postcode -k 5
  steward risk share.csv --quasi birth_date,postcode --format json | jq .records_below_k

Values are normalized by field kind first (dates to ISO), so two spellings are one group.
Exit code 1 when some record is in a group smaller than k.")]
pub struct RiskArgs {
    /// Files, globs, or - for stdin
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Quasi-identifiers (schema field names or source headers) [default: the schema's quasi-identifiers]
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub quasi: Vec<String>,

    /// The smallest acceptable group size
    #[arg(short, long, default_value_t = 5)]
    pub k: usize,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

/// Remove every row of the people who asked to be deleted, with a receipt that holds no personal data.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward erase customers.csv --requests erasure-requests.txt -o customers.csv.new --receipt receipt.json --key-file team.key
  steward erase crm.xlsx --requests requests.txt -o crm-erased.xlsx --receipt r.json

The requests file has one identifier per line: an email, a phone number, a customer id or a resident ID
(optionally typed: `email:`, `phone:`, `id:`, `resident_id:`). Each is normalized as its kind, so every
spelling matches (A@X.com and a@x.com; +86 138 1234 5678 and 13812345678).
The receipt names each request only by its keyed token.")]
pub struct EraseArgs {
    /// Files, globs, or - for stdin
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// File of identifiers to erase, one per line
    #[arg(long, value_name = "FILE")]
    pub requests: PathBuf,

    /// Output file, or - for stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: String,

    /// Output format [default: from the extension of OUT, else csv]
    #[arg(short, long, value_enum)]
    pub format: Option<OutputFormat>,

    /// Erasure receipt (JSON)
    #[arg(long, value_name = "FILE")]
    pub receipt: String,

    #[command(flatten)]
    pub key: KeyArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Region for phone numbers written without a country code, e.g. CN
    #[arg(long, value_name = "CC")]
    pub default_region: Option<String>,

    /// Replace output files that already exist
    #[arg(long)]
    pub force: bool,

    /// Do not neutralize spreadsheet formulas in CSV/TSV output
    #[arg(long)]
    pub no_formula_guard: bool,
}

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    New(KeyNewArgs),
    Id(KeyIdArgs),
}

/// Create a 256-bit random key file readable by its owner only (0600).
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward key new team.key
  steward key id team.key

Keep the key out of the data folder and out of version control; whoever has it can link tokens.")]
pub struct KeyNewArgs {
    /// Where to write the key
    pub file: PathBuf,

    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
}

/// Print a key's id: a fingerprint that reveals nothing of the key.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward key id team.key
  STEWARD_KEY=... steward key id")]
pub struct KeyIdArgs {
    /// Key file [default: the STEWARD_KEY environment variable]
    pub file: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definitions_are_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}

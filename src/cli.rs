//! The command line: clap definitions for every subcommand, with examples in each `--help`.
//! Completions and man pages are generated from these definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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
Cells a spreadsheet would run as formulas (=, @, +, -) are written with a leading apostrophe.")]
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

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

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

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definitions_are_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}

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
    /// A saved matching model past one machine: its features table, SQL for DuckDB, native scores
    #[command(subcommand)]
    Model(ModelCommand),
    /// The customer schema: show it, or write an editable copy
    #[command(subcommand)]
    Schema(SchemaCommand),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

impl Command {
    /// Usage errors clap cannot see: `--format` given a data format where it never named one, or the summary
    /// format given twice.
    pub fn check(&self) -> Result<(), String> {
        let (report, legacy_data_format) = match self {
            Command::Import(a) => (&a.report, true),
            Command::Dedupe(a) => (&a.report, true),
            Command::Pseudonymize(a) => (&a.report, true),
            Command::Erase(a) => (&a.report, false),
            Command::Inspect(a) => (&a.report, false),
            Command::Validate(a) => (&a.check.report, false),
            Command::Normalize(a) => (&a.check.report, false),
            Command::Clean(a) => (&a.report, false),
            Command::Run(a) => (&a.report, false),
            Command::Diff(a) => (&a.report, false),
            Command::Segment(a) => (&a.report, false),
            Command::Risk(a) => (&a.report, false),
            Command::Audit(AuditCommand::Verify(a)) => (&a.report, false),
            Command::Profile(_)
            | Command::Reveal(_)
            | Command::Key(_)
            | Command::Model(_)
            | Command::Schema(_)
            | Command::Completions(_)
            | Command::Man(_) => return Ok(()),
        };
        report.check(legacy_data_format)
    }
}

/// The command line as `steward` parses it and prints its help: the definitions above, with each
/// subcommand's examples printed as written. clap wraps after-help text at the terminal's width, which would
/// cut a long example in two; the examples go into the help template instead, which clap prints as it is.
/// Man pages are rendered from `Cli::command()`, where the examples stay in the after-help.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    literal_examples(Cli::command())
}

fn literal_examples(cmd: clap::Command) -> clap::Command {
    let cmd = cmd.mut_subcommands(literal_examples);
    let Some(after) = cmd.get_after_help().map(|s| s.to_string()) else {
        return cmd;
    };
    let Some((examples, rest)) = split_examples(&after) else {
        return cmd;
    };
    let head = "{before-help}{about-with-newline}\n{usage-heading} {usage}\n\n{all-args}\n\n";
    if rest.is_empty() {
        cmd.help_template(format!("{head}{examples}"))
            .after_help(None::<&str>)
    } else {
        cmd.help_template(format!("{head}{examples}{{after-help}}"))
            .after_help(rest.to_string())
    }
}

/// The `Examples:` block of an after-help text (up to the first blank line) and the text after it.
pub fn split_examples(after_help: &str) -> Option<(&str, &str)> {
    let start = after_help.find("Examples:\n")?;
    if !after_help[..start].trim().is_empty() {
        return None;
    }
    let block = &after_help[start..];
    Some(match block.find("\n\n") {
        Some(end) => (&block[..end], block[end + 2..].trim_start_matches('\n')),
        None => (block.trim_end(), ""),
    })
}

/// The example command lines of an after-help text: the lines of its `Examples:` block, a line ending in
/// `\\` joined with the next; comment lines (`# ...`) left out.
pub fn examples(after_help: &str) -> Vec<String> {
    let Some((block, _)) = split_examples(after_help) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    let mut continued = false;
    for line in block.lines().skip(1) {
        let line = line.trim();
        if line.starts_with('#') && !continued {
            continue;
        }
        if continued {
            if let Some(last) = out.last_mut() {
                last.push(' ');
                last.push_str(line.trim_end_matches('\\').trim_end());
            }
        } else {
            out.push(line.trim_end_matches('\\').trim_end().to_string());
        }
        continued = line.ends_with('\\');
    }
    out
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

    /// The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)
    #[arg(long, value_name = "TABLE")]
    pub table: Option<String>,

    /// A query whose result is read from a database source, instead of --table
    #[arg(long, value_name = "SQL", conflicts_with = "table")]
    pub query: Option<String>,
}

/// Where a dataset goes when `-o` names a database (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR).
#[derive(Args, Debug, Clone, Default)]
pub struct DbOutputArgs {
    /// The table to write when -o names a database; loaded in one transaction that commits with the
    /// command's other outputs
    #[arg(long, value_name = "TABLE")]
    pub out_table: Option<String>,

    /// When the --out-table exists: fail (the default; the table is created), replace its rows (one
    /// transaction, the table itself kept), or append to it
    #[arg(long, value_enum, value_name = "MODE", default_value_t = crate::io::db::IfExists::Fail)]
    pub if_exists: crate::io::db::IfExists,
}

impl DbOutputArgs {
    /// The table to write when `output` (the data output, `-o`) is a database; `--out-table` with a file or
    /// stdout is refused rather than ignored.
    pub fn target_for(&self, output: Option<&str>) -> anyhow::Result<crate::io::db::DbTarget> {
        if let (Some(table), false) = (
            &self.out_table,
            output.is_some_and(crate::io::db::is_database),
        ) {
            return Err(crate::error::StewardError::usage(format!(
                "--out-table {table} names a database table, but -o is {}; give -o a database URL \
                 (postgres://..., mysql://... or sqlite:FILE) or leave --out-table out",
                output.unwrap_or("not given")
            ))
            .into());
        }
        Ok(crate::io::db::DbTarget {
            table: self.out_table.clone(),
            if_exists: self.if_exists,
            kinds: Vec::new(),
        })
    }
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

    /// With a Table Schema: also run steward's own checks of each field's kind (email, phone and postcode by
    /// country, dates in other forms, ...) and normalize values, besides the spec's types and constraints
    #[arg(long)]
    pub steward_checks: bool,
}

impl SchemaArgs {
    /// The schema these arguments name, or the built-in one.
    pub fn load(&self) -> anyhow::Result<crate::schema::Schema> {
        crate::schema::Schema::load_with(self.schema.as_deref(), self.steward_checks)
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    #[default]
    Human,
    Json,
}

/// A value of `--format`: a summary format, or (hidden) a data format, the old meaning of `--format` on
/// import, dedupe, pseudonymize and erase. The two sets of names are disjoint.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatArg {
    Human,
    Json,
    #[value(hide = true)]
    Csv,
    #[value(hide = true)]
    Tsv,
    #[value(hide = true)]
    Jsonl,
    #[value(hide = true)]
    Parquet,
    #[value(hide = true)]
    Xlsx,
}

impl FormatArg {
    /// The data format this value names, when it names one.
    pub fn data_format(self) -> Option<OutputFormat> {
        match self {
            FormatArg::Human | FormatArg::Json => None,
            FormatArg::Csv => Some(OutputFormat::Csv),
            FormatArg::Tsv => Some(OutputFormat::Tsv),
            FormatArg::Jsonl => Some(OutputFormat::Jsonl),
            FormatArg::Parquet => Some(OutputFormat::Parquet),
            FormatArg::Xlsx => Some(OutputFormat::Xlsx),
        }
    }
}

/// `--format`: the format of the summary a command prints, on every command that prints one.
/// `--report-format` and `-f` are its old spellings, accepted but not shown; on import, dedupe, pseudonymize
/// and erase it also takes a data format, its old meaning (`-f xlsx --report-format json` still reads as it did).
#[derive(Args, Debug, Clone, Default)]
pub struct ReportArgs {
    /// Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to
    /// stdout) [default: human]
    #[arg(
        long = "format",
        short_alias = 'f',
        alias = "report-format",
        value_enum,
        value_name = "FORMAT",
        action = clap::ArgAction::Append
    )]
    pub format: Vec<FormatArg>,
}

impl ReportArgs {
    /// The summary format asked for: human unless `--format json`.
    pub fn summary(&self) -> ReportFormat {
        match self.format.iter().rev().find(|f| f.data_format().is_none()) {
            Some(FormatArg::Json) => ReportFormat::Json,
            _ => ReportFormat::Human,
        }
    }

    pub fn is_json(&self) -> bool {
        self.summary() == ReportFormat::Json
    }

    /// A data format given to `--format` (its old meaning on import, dedupe, pseudonymize and erase).
    pub fn legacy_data_format(&self) -> Option<OutputFormat> {
        self.format.iter().rev().find_map(|f| f.data_format())
    }

    /// Usage errors clap cannot see: a data format given to `--format` where it never meant one, and a
    /// format given twice.
    fn check(&self, legacy_data_format: bool) -> Result<(), String> {
        let name = |f: &FormatArg| {
            f.to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default()
        };
        let (data, summary): (Vec<&FormatArg>, Vec<&FormatArg>) =
            self.format.iter().partition(|f| f.data_format().is_some());
        if let (Some(f), false) = (data.first(), legacy_data_format) {
            return Err(format!(
                "--format {}: --format is the summary format (human or json); the format of data written \
                 is --output-format",
                name(f)
            ));
        }
        for (what, given) in [("summary", &summary), ("data", &data)] {
            if given.windows(2).any(|w| w[0] != w[1]) {
                let all: Vec<String> = given.iter().map(|f| name(f)).collect();
                return Err(format!(
                    "--format given two {what} formats ({}): give one",
                    all.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// `--output-format`: the format of the data a command writes, on every command that writes a dataset.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct DataFormatArgs {
    /// Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub output_format: Option<OutputFormat>,

    #[command(flatten)]
    pub bom: BomArgs,
}

/// `--bom`: one meaning on every command that writes CSV or TSV files.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct BomArgs {
    /// Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese
    /// and other non-ASCII text correctly (files only; other formats are unchanged)
    #[arg(long)]
    pub bom: bool,
}

impl DataFormatArgs {
    /// The data format given on the command line: `--output-format`, or its old spelling `--format FORMAT`.
    pub fn given(&self, report: &ReportArgs) -> Option<OutputFormat> {
        self.output_format.or(report.legacy_data_format())
    }

    /// `--output-format`, else csv (for outputs named by steward, such as `clean`'s `cleaned.csv`).
    pub fn given_or_csv(&self) -> OutputFormat {
        self.output_format.unwrap_or(OutputFormat::Csv)
    }
}

/// A dataset file named by an option (`--findings`, `--rejects`, `--clusters`...): its extension says its
/// format, so an extension steward cannot write is refused before any work is done.
pub fn data_file(s: &str) -> Result<String, String> {
    let p = std::path::Path::new(s);
    match p.extension() {
        Some(ext) if s != "-" && OutputFormat::from_path(p).is_none() => Err(format!(
            ".{} is not a format steward writes; name the file .csv, .tsv, .jsonl, .parquet or .xlsx",
            ext.to_string_lossy()
        )),
        _ => Ok(s.to_string()),
    }
}

/// `--normalization`: n2 (the current one) or n1.
pub fn normalization(s: &str) -> Result<crate::fields::Normalization, String> {
    crate::fields::Normalization::parse(s)
}

/// A file steward writes as JSON (`--receipt`, `--metadata`, `--save-model`): named .json, or without an extension.
pub fn json_file(s: &str) -> Result<String, String> {
    fixed_format_file(s, &["json"], "JSON")
}

/// A file steward writes as Parquet (`model features`).
pub fn parquet_file(s: &str) -> Result<String, String> {
    fixed_format_file(s, &["parquet"], "Parquet")
}

/// A file steward writes as HTML (`--html`): named .html or .htm, or without an extension.
pub fn html_file(s: &str) -> Result<String, String> {
    fixed_format_file(s, &["html", "htm"], "HTML")
}

fn fixed_format_file(s: &str, exts: &[&str], what: &str) -> Result<String, String> {
    match std::path::Path::new(s).extension() {
        Some(ext) if !exts.contains(&ext.to_string_lossy().to_ascii_lowercase().as_str()) => {
            Err(format!(
                "this file is written as {what}: name it .{} (not .{})",
                exts[0],
                ext.to_string_lossy()
            ))
        }
        _ => Ok(s.to_string()),
    }
}

/// Show what steward detects in a file: format, encoding, delimiter, header row, counts and column mapping.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward inspect customers.csv
  steward inspect export.xlsx --sheet all
  steward inspect customers_gbk.csv --format json | jq '.sources[0].encoding'
  cat customers.csv | steward inspect -")]
pub struct InspectArgs {
    /// Files, globs, - for stdin, or a database (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE, env:VAR) with --table or --query
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    #[command(flatten)]
    pub report: ReportArgs,

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
  steward import crm.csv --map \"Cust No=id\" -o - | head
  steward import ragged.csv --lenient --rejects bad-rows.csv -o out.csv
  cat customers.csv | steward import - -o customers.xlsx
  steward import customers.csv -o all.csv --format json | jq .rows_out

The data format comes from the extension of -o (csv, tsv, jsonl, parquet, xlsx) or --output-format \
(`--format csv` and the other data formats still work, as its old spelling). Cells a spreadsheet would run \
as formulas (=, @, or + and - before letters) are written with a leading apostrophe; phone numbers and \
amounts (digits, spaces and + - ( ) . , /) are never changed.")]
pub struct ImportArgs {
    /// Files, globs, - for stdin, or a database (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE, env:VAR) with --table or --query
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Output file, or - for stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: String,

    #[command(flatten)]
    pub data: DataFormatArgs,

    #[command(flatten)]
    pub db_out: DbOutputArgs,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Send malformed rows to a rejects file instead of failing
    #[arg(long)]
    pub lenient: bool,

    /// Rejects file for --lenient [default: OUT with .rejects.csv]
    #[arg(long, value_name = "FILE", value_parser = data_file)]
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
  steward completions bash > ~/.local/share/bash-completion/completions/steward
  steward completions zsh > ~/.zfunc/_steward   # with fpath+=(~/.zfunc) before compinit in ~/.zshrc
  steward completions fish > ~/.config/fish/completions/steward.fish")]
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
    /// Files, globs, - for stdin, or a database (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE, env:VAR) with --table or --query
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Write every finding (_source, _row, record_id, field, rule, severity, value, message, suggestion) to FILE
    #[arg(long, value_name = "FILE", value_parser = data_file)]
    pub findings: Option<String>,

    /// Write the rows with errors, each with its reasons, to FILE
    #[arg(long, value_name = "FILE", value_parser = data_file)]
    pub rejects: Option<String>,

    /// Which findings make the run fail (exit code 1) [default: error for validate, never for normalize]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// How many failing findings are tolerated: a count, or a percentage of rows such as 2%
    #[arg(long, value_name = "N|P%")]
    pub max_errors: Option<String>,

    #[command(flatten)]
    pub report: ReportArgs,

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
  steward validate customers.csv --findings findings.csv --rejects rejects.xlsx
  steward validate 'feeds/*.csv' --fail-on error --max-errors 2% || echo 'feed rejected'
  steward validate customers.xlsx --default-region CN --format json | jq .rows_rejected

Rule codes: missing-cell, type-error, constraint-error, unique-error, email-syntax, email-typo-domain, \
phone-invalid, cn-id-checksum, date-impossible, date-ambiguous, enum-invalid, stale-record, ...
The findings and rejects files are written in the format their extension names (csv, tsv, jsonl, parquet, \
xlsx). Exit code 1 when the policy fails (--fail-on, --max-errors).")]
pub struct ValidateArgs {
    #[command(flatten)]
    pub check: ValidationArgs,

    #[command(flatten)]
    pub bom: BomArgs,

    /// Replace findings and rejects files that already exist
    #[arg(long)]
    pub force: bool,
}

/// Write the table with every value normalized (E.164 phones, ISO dates, clean text); nothing is dropped.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward normalize customers.csv -o clean.csv --changes changes.csv
  steward normalize customers_gbk.csv --default-region CN -o clean.xlsx
  steward normalize customers.csv --split-names -o names.csv
  cat customers.csv | steward normalize - -o - > clean-stdin.csv
  steward normalize customers.csv -o clean.parquet --format json > summary.json

A value that cannot be normalized is kept as it was, with a finding.")]
pub struct NormalizeArgs {
    #[command(flatten)]
    pub check: ValidationArgs,

    /// Output file, or - for stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: String,

    #[command(flatten)]
    pub data: DataFormatArgs,

    #[command(flatten)]
    pub db_out: DbOutputArgs,

    /// Write every change (_source, _row, field, before, after, rule) to FILE
    #[arg(long, value_name = "FILE", value_parser = data_file)]
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
  steward dedupe customers.xlsx -o golden.xlsx --pairs pairs.csv --review review.xlsx --review-html review.html
  steward dedupe customers.csv -o golden-reviewed.csv --labels review.xlsx   # once decisions are filled in
  steward dedupe customers.csv -o golden-decided.csv --labels review-decisions.csv   # saved from review.html
  steward dedupe customers.csv --explain 10076 10058
  steward dedupe customers.csv --save-model model.json   # train once, keep the model
  steward dedupe new.csv -o golden-new.csv --model model.json   # score with it: no training
  steward dedupe --link crm.csv shop.csv -o links.csv
  steward dedupe new-signups.csv --against golden.csv -o golden-updated.csv --merge-map new-map.csv

Every FILE option writes the format its extension names (csv, tsv, jsonl, parquet, xlsx).
Matching: blocking on several keys (email, phone, resident ID, names, birth date, postcode, address), never \
all pairs; Fellegi-Sunter weights with m and u estimated without labels (EM; u from random pairs); guards \
against merging households, twins and father/son; clusters checked against chaining.
A [dedupe] section of the schema sets threshold, review_lower, blocking and survivorship, e.g.
  [dedupe]
  threshold = 0.95
  blocking = [\"email\", \"phone\", \"family_soundex+birth_year\", \"postcode+sorted_initials\"]
  survivorship = { email = \"most_recent\", name = \"most_frequent\", address = \"source:crm\" }
Survivorship rules: most_recent, most_complete, most_frequent, longest, source:NAME.")]
pub struct DedupeArgs {
    /// Files, globs, - for stdin, or a database (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE, env:VAR) with --table or --query (with --link: exactly two lists, A then B)
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Golden records (one per cluster); with --link, each row of B with its match in A
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<String>,

    #[command(flatten)]
    pub data: DataFormatArgs,

    #[command(flatten)]
    pub db_out: DbOutputArgs,

    #[command(flatten)]
    pub report: ReportArgs,

    /// Every input row with cluster_id, cluster_size and match_probability
    #[arg(long, value_name = "FILE", value_parser = data_file)]
    pub clusters: Option<String>,

    /// Scored candidate pairs with a per-field breakdown (level and weight of each comparison)
    #[arg(long, value_name = "FILE", value_parser = data_file)]
    pub pairs: Option<String>,

    /// Old record -> golden id, to update other systems
    #[arg(long, value_name = "FILE", value_parser = data_file)]
    pub merge_map: Option<String>,

    /// Uncertain pairs side by side with a decision column (xlsx: a drop-down of match / not a match /
    /// unsure, differing fields filled, the threshold, band and model on its About sheet; or csv), for a
    /// steward to decide
    #[arg(long, value_name = "FILE", value_parser = data_file)]
    pub review: Option<String>,

    /// The uncertain pairs as one self-contained page: each pair's fields and weights, decided with a click
    /// or a key (m / n / u, j / k to move), filtered by probability and field, saved as a CSV for --labels
    #[arg(long, value_name = "FILE", value_parser = html_file)]
    pub review_html: Option<String>,

    /// A filled-in review file (the xlsx or csv of --review, or the CSV saved from --review-html): decided
    /// pairs are obeyed (match / not a match; unsure is skipped) and refine the weights
    #[arg(long, value_name = "FILE")]
    pub labels: Option<String>,

    /// Write the trained model (blocking rules, comparison levels, m and u per level, the prior, guards and
    /// thresholds; no personal value) as JSON, to score later lists the same way with --model
    #[arg(long, value_name = "FILE", value_parser = json_file)]
    pub save_model: Option<String>,

    /// Score with a saved model (from --save-model) instead of training one: its blocking and weights, the
    /// same decisions run after run; with --labels, the labels refine it. --threshold still applies
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,

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
  steward segment customers.csv -o customers-segmented.csv --format json > segments.json

Columns added: recency_days, frequency, monetary, r_score, f_score, m_score (1-5 by quintiles of this data), \
rfm_segment, value_tier (A: customers making the first 80% of spend, B: up to 95%, C: the rest), lifecycle_stage.
RFM segments from the R and F scores: champions (R5 F4-5), loyal (R3-4 F4-5), potential loyalist (R4-5 F2-3), \
new (R5 F1), promising (R4 F1), need attention (R3 F3), about to sleep (R3 F1-2), at risk (R1-2 F3-4), \
cannot lose (R1-2 F5), hibernating (R1-2 F1-2), lost (R1 F1).
Stages, in order: prospect (no purchase: 0 orders), unknown (purchase data missing or invalid), churned (no \
purchase for --churn-days), at risk (for --at-risk-days), new (one order, within --new-days), loyal (at least \
--loyal-orders), active (the rest).")]
pub struct SegmentArgs {
    /// Files, globs, - for stdin, or a database (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE, env:VAR) with --table or --query (customers, or golden records after dedupe)
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Output file, or - for stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: String,

    #[command(flatten)]
    pub data: DataFormatArgs,

    #[command(flatten)]
    pub db_out: DbOutputArgs,

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

    #[command(flatten)]
    pub report: ReportArgs,

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
  steward clean 'exports/*.csv' crm.xlsx --out shared/ --key-file team.key --audit-log audit.jsonl
  STEWARD_KEY=$(cat team.key) steward clean customers_gbk.csv --out out/ --default-region CN --format json

Writes one output set into DIR, moved into place whole or not at all (a signal or an error leaves DIR as it \
was): cleaned.csv (the golden records, one per customer, with their segment columns when the data has \
purchase fields), merge-map.csv (every valid row to its golden record), findings.csv, rejects.csv, \
report.json, report.html and manifest.json. Without a key the data files hold personal data (files 0600). \
With a key (--key-file or STEWARD_KEY) cleaned.csv is pseudonymized by one policy (cleaned.meta.json says \
how) and the raw files go to DIR/restricted/ (0700), or are left out with --no-restricted. DIR must be new, \
empty, or an earlier steward set (--force replaces it whole). The first line of the summary reconciles: rows \
in = rows out + rows rejected + rows merged. A table of over 512 MiB waits between stages in unnamed files \
beside DIR rather than in memory (STEWARD_SPILL_ABOVE: the size in bytes; 0 always).
Rows with an error finding are rejected (with their reasons); the rest are normalized and deduplicated.")]
#[command(mut_arg("output_format", |a| a.help(
    "Format of the cleaned dataset: csv, tsv, jsonl, parquet or xlsx (cleaned.csv, cleaned.tsv...) [default: csv]"
)))]
pub struct CleanArgs {
    /// Files, globs, - for stdin, or a database (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE, env:VAR) with --table or --query
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Folder for every output (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: std::path::PathBuf,

    /// Also load the cleaned dataset into a database table (postgres://USER@HOST/DB, sqlite:FILE or
    /// env:VAR, with --out-table): committed when the output set lands, and only then
    #[arg(short, long, value_name = "URL")]
    pub output: Option<String>,

    #[command(flatten)]
    pub db_out: DbOutputArgs,

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

    /// Normalization before tokens: n2, or n1 to reproduce tokens made before n2 (e-mail domains kept
    /// as written, phone numbers read as before n2; README: Normalization versions) [default: n2]
    #[arg(long, value_name = "VERSION", value_parser = normalization, default_value = "n2")]
    pub normalization: crate::fields::Normalization,

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

    /// Match probability at which two records are merged [default: 0.9, or the model's]
    #[arg(long, value_name = "P")]
    pub threshold: Option<f64>,

    /// Dedupe with a saved model (model.json of an earlier run, or dedupe --save-model) instead of training
    /// one on this run's rows: the same weights and decisions run after run
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,

    /// Steps to leave out: dedupe (every valid row becomes its own golden record), segment
    #[arg(long, value_delimiter = ',', value_name = "STEPS")]
    pub skip: Vec<CleanStep>,

    #[command(flatten)]
    pub data: DataFormatArgs,

    #[command(flatten)]
    pub report: ReportArgs,

    /// Send malformed CSV rows to the rejects instead of failing
    #[arg(long)]
    pub lenient: bool,

    /// With a key: leave the raw files (golden records, rejects, findings, clusters, merge map, segments) out
    /// of the set instead of writing them to DIR/restricted/
    #[arg(long)]
    pub no_restricted: bool,

    /// Format of the findings and rejects in the set, the files a steward reviews: csv, tsv, jsonl, parquet or
    /// xlsx (a workbook with a frozen header and filters, for Excel) [default: csv]
    #[arg(long, value_name = "FORMAT")]
    pub findings_format: Option<OutputFormat>,

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

Top values of personal fields (names, emails, phones, IDs, addresses) are masked unless --unmask. \
Patterns: 9 a digit, A an upper-case and a a lower-case letter, 中 a CJK character; + repeats the letter class.")]
pub struct ProfileArgs {
    /// Files, globs, - for stdin, or a database (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE, env:VAR) with --table or --query
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Report format: human, json or md (Markdown); on stdout
    #[arg(long, short_alias = 'f', alias = "report-format", value_enum, default_value_t = ProfileFormat::Human)]
    pub format: ProfileFormat,

    /// Also write a self-contained HTML report (inline CSS and SVG, no network)
    #[arg(long, value_name = "FILE", value_parser = html_file)]
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

Values are compared after normalization (1990/1/2 and 1990-01-02 are equal). \
The changes file is written in the format its extension names. Exit code 0 whether or not there are differences; read the counts (or --format json).")]
pub struct DiffArgs {
    /// The older list
    pub old: String,

    /// The newer list
    pub new: String,

    /// The field (or column) that identifies a customer in both lists
    #[arg(long, default_value = "id", value_name = "FIELD")]
    pub key: String,

    /// Write every difference (key, status, field, old, new) to FILE
    #[arg(long, value_name = "FILE", value_parser = data_file)]
    pub changes: Option<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    #[command(flatten)]
    pub report: ReportArgs,

    /// Values in the changes file are masked for personal fields
    #[arg(long)]
    pub mask_values: bool,

    #[command(flatten)]
    pub bom: BomArgs,

    /// Replace the changes file if it exists
    #[arg(long)]
    pub force: bool,
}

/// Run a declared cleanup job (TOML): sources, schema, options, outputs and a policy; one folder per run.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward run fixtures/job.toml --dry-run
  steward run jobs/weekly.toml
  steward run jobs/weekly.toml -q --format json | jq '{policy_failed, run_dir}'
  # crontab: every Monday at 06:00, mail when the policy fails (exit 1)
  # 0 6 * * 1  cd /srv/data && steward run jobs/weekly.toml -q || mail -s 'feed failed' steward@example.com

Each run writes into OUT/<timestamp>/ and points OUT/latest at it; a lock file (OUT/.lock) stops two runs of \
one job at once, and a lock left by a process that no longer exists is taken over. Paths in the job file are \
relative to the job file. Exit code 1 when the policy fails (rejected or merged rows above the limits).")]
pub struct RunArgs {
    /// The job file (TOML)
    pub job: PathBuf,

    /// Print what the job would do, without doing it
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub report: ReportArgs,
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

    #[command(flatten)]
    pub report: ReportArgs,
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
      --token email,mobile --mask name --generalize birth_date=year,postcode=3 --drop resident_id --keep city
  STEWARD_KEY=$(cat team.key) steward pseudonymize customers.xlsx -o share.xlsx --k 5 --quasi birth_date,gender,postcode
  steward pseudonymize customers.csv -o consented.csv --key-file team.key --consent-field marketing_consent --consent-only

Defaults by privacy class: direct identifiers (name, email, phone, resident ID, id, address) are tokenized; \
dates that are quasi-identifiers go to their year and postcodes to 3 characters; other quasi-identifiers are \
kept; sensitive fields and columns the schema does not know are dropped (--keep to keep one). \
Kept columns are scanned for embedded e-mails, phone numbers and resident IDs (`call Bob +44 7700 900444` \
becomes `call Bob ph_…`), each replaced by the token it gets in its own column; --no-scan COLS leaves a \
column as it came.
Actions: token (HMAC-SHA256, 128 bits, prefix such as em_), encrypt (AES-SIV, `steward reveal` undoes it), \
mask (138****5678), generalize (year, month, 5y, decade, age10, N characters, band:W), drop, keep.
Unkeyed hashing is not offered: phone numbers and known emails can be enumerated.
The output is pseudonymized personal data (GDPR Art. 4(5); PIPL Art. 73: 去标识化), not anonymous data; \
OUT.meta.json records the policy, key id and domain, never the key.")]
pub struct PseudonymizeArgs {
    /// Files, globs, - for stdin, or a database (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE, env:VAR) with --table or --query
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Output file, or - for stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: String,

    #[command(flatten)]
    pub data: DataFormatArgs,

    #[command(flatten)]
    pub db_out: DbOutputArgs,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    #[command(flatten)]
    pub key: KeyArgs,

    /// Policy file (TOML): `domain = "..."` and a [columns] table of COLUMN = "ACTION"
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Normalization before tokens: n2, or n1 to reproduce tokens made before n2 (e-mail domains kept
    /// as written, phone numbers read as before n2; README: Normalization versions)
    /// [default: the policy file's, else n2]
    #[arg(long, value_name = "VERSION", value_parser = normalization)]
    pub normalization: Option<crate::fields::Normalization>,

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

    /// Keep these columns as they are (e-mails, phone numbers and resident IDs written inside them are
    /// still replaced by their tokens; see --no-scan)
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub keep: Vec<String>,

    /// Kept columns NOT to scan for embedded e-mails, phone numbers and resident IDs (they are written
    /// exactly as they came)
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub no_scan: Vec<String>,

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
    #[arg(long, value_name = "FILE", value_parser = data_file)]
    pub mapping: Option<String>,

    /// The consent field (e.g. marketing_consent), with --consent-only
    #[arg(long, value_name = "COL")]
    pub consent_field: Option<String>,

    /// Keep only customers whose consent field says yes
    #[arg(long, requires = "consent_field")]
    pub consent_only: bool,

    /// Metadata file [default: OUT.meta.json; required when OUT is stdout]
    #[arg(long, value_name = "FILE", value_parser = json_file)]
    pub metadata: Option<String>,

    /// Region for phone numbers of rows without a country, e.g. CN
    #[arg(long, value_name = "CC")]
    pub default_region: Option<String>,

    /// Age bands are counted at this date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,

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
  steward reveal vendor-a.csv --key-file team.key --domain vendor-a -o -")]
pub struct RevealArgs {
    /// Files, globs, - for stdin, or a database (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE, env:VAR) with --table or --query
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Output file, or - for stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: String,

    #[command(flatten)]
    pub data: DataFormatArgs,

    #[command(flatten)]
    pub db_out: DbOutputArgs,

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
    /// Files, globs, - for stdin, or a database (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE, env:VAR) with --table or --query
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

    #[command(flatten)]
    pub report: ReportArgs,
}

/// Remove every row of the people who asked to be deleted, with a receipt that holds no personal data.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward erase customers.csv --requests erasure-requests.txt -o customers-erased.csv --receipt receipt.json --key-file team.key
  STEWARD_KEY=$(cat team.key) steward erase crm.xlsx --requests requests.txt -o crm-erased.xlsx --receipt r.json
  steward erase crm.csv shop.csv --requests requests.txt --in-place --receipt erasure.json --key-file team.key
  steward erase sqlite:crm.db --table customers --requests requests.txt --in-place --receipt erased.json --key-file team.key
  steward erase crm.csv --requests requests.txt --dry-run --key-file team.key

The requests file has one identifier per line: an email, a phone number, a customer id or a resident ID \
(optionally typed: `email:`, `phone:`, `id:`, `resident_id:`), or a header line naming the kind of each \
column (`email`, `phone`, `id`, `手机`, `邮箱`: the schema's field names and aliases). Each is normalized as \
its kind, so every spelling matches (A@X.com and a@x.com; +86 138 1234 5678 and 13812345678); a number \
without country code is read in each row's own country (its country column, else --default-region).
Every sheet of a workbook and every column is searched. A match in an identifier column (mapped, or \
holding mostly emails, phone numbers or resident IDs) removes the row; an email, phone number or resident \
ID written inside other text is replaced by [erased] and the row kept.
Each source is written in its own format: a CSV with every kept record byte for byte as it was (encoding, \
delimiter, quoting, line endings), a workbook with every sheet, title row and value type. -o FILE for one \
source (- for stdout), -o DIR for several (each under its own name), or --in-place to replace each source \
(atomically, no backup left behind). Outputs, receipt and manifest appear together or not at all.
A database table (postgres://USER@HOST/DB or sqlite:FILE with --table) is erased --in-place: its rows are \
read, matched and deleted (and identifiers in its free text redacted) in one transaction that keeps other \
writers out and commits with the receipt; a failure changes nothing. --dry-run counts what would be erased \
and writes nothing.
The receipt names each request only by its keyed token.")]
pub struct EraseArgs {
    /// Files, globs, or - for stdin
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// File of identifiers to erase: one per line, or columns under a header naming their kind
    #[arg(long, value_name = "FILE")]
    pub requests: PathBuf,

    /// Output file for one source (- for stdout), or an existing folder for several
    #[arg(
        short,
        long,
        value_name = "FILE|DIR",
        required_unless_present_any = ["in_place", "dry_run"],
        conflicts_with_all = ["in_place", "dry_run"]
    )]
    pub output: Option<String>,

    /// Rewrite each source in place, atomically, in its own format (no backup copy is kept); a database
    /// table has its rows deleted in one transaction
    #[arg(long)]
    pub in_place: bool,

    /// Count what would be erased and redacted, and write nothing (no output, no receipt)
    #[arg(long, conflicts_with = "receipt")]
    pub dry_run: bool,

    #[command(flatten)]
    pub report: ReportArgs,

    /// Erasure receipt (JSON)
    #[arg(
        long,
        value_name = "FILE",
        value_parser = json_file,
        required_unless_present = "dry_run"
    )]
    pub receipt: Option<String>,

    #[command(flatten)]
    pub key: KeyArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Region for phone numbers written without a country code in rows without a country, e.g. CN
    #[arg(long, value_name = "CC")]
    pub default_region: Option<String>,

    /// Normalization the receipt's request tokens are made with: n2, or n1 to join with data tokenized
    /// before n2 (requests are matched with the current one either way) [default: n2]
    #[arg(long, value_name = "VERSION", value_parser = normalization, default_value = "n2")]
    pub normalization: crate::fields::Normalization,

    /// Replace output files that already exist
    #[arg(long)]
    pub force: bool,
}

#[derive(Subcommand, Debug)]
pub enum ModelCommand {
    Features(ModelFeaturesArgs),
    Sql(ModelSqlArgs),
    Score(ModelScoreArgs),
    Cluster(ModelClusterArgs),
    Train(ModelTrainArgs),
}

/// Cluster a list by candidate pairs a warehouse engine scored with a saved model's SQL: connected components
/// of the pairs at or above the threshold, with the chaining guard, as `steward dedupe --model` clusters.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward dedupe customers.csv --save-model model.json
  steward model cluster customers.csv --model model.json --pairs pairs.csv -o clusters.csv --merge-map map.csv

PAIRS is the SQL's result saved as CSV or Parquet (row_a, row_b, match_probability; other columns are ignored), \
e.g. in DuckDB: COPY (...) TO 'pairs.parquet'. Rows are the features table's, so SRC is the list featurized.")]
pub struct ModelClusterArgs {
    /// Files, globs, - for stdin, or a database with --table or --query: the list the features were made of
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// Every input row with golden_id, cluster_id, cluster_size and match_probability
    #[arg(short, long, value_name = "OUT", value_parser = data_file)]
    pub output: String,

    /// Old record -> golden id
    #[arg(long, value_name = "FILE", value_parser = data_file)]
    pub merge_map: Option<String>,

    /// The saved model that scored the pairs
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,

    /// The scored pairs (.csv or .parquet): row_a, row_b, match_probability
    #[arg(long, value_name = "FILE")]
    pub pairs: PathBuf,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Send malformed CSV rows to the report instead of failing
    #[arg(long)]
    pub lenient: bool,

    /// Replace output files that already exist
    #[arg(long)]
    pub force: bool,
}

/// Every per-record value a saved model's comparisons and blocking rules need, one row per record, as Parquet
/// for a warehouse engine to score with `steward model sql`.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward dedupe customers.csv --save-model model.json
  steward model features customers.csv --model model.json -o features.parquet
  steward model features part-2.csv --model model.json --row-offset 1000000 -o features-2.parquet

Columns: row (0-based record index, the pair's row_a/row_b), id, k0.. (each blocking rule's keys), s0 and s1 \
(the sort keys of windowed blocks), n_* (name parts, nickname groups and formal names), c0_.. (each comparison's \
normalized value and what its level needs: tokens, squashed address, letter mask, date digits and days).
The layout is versioned with the model's features_version; a model of another version is refused.")]
pub struct ModelFeaturesArgs {
    /// Files, globs, - for stdin, or a database with --table or --query
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// The features table (.parquet)
    #[arg(short, long, value_name = "OUT", value_parser = parquet_file)]
    pub output: String,

    /// The saved model (dedupe --save-model, or a cleanup's model.json)
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,

    /// The first record's row number: a shard of a list featurized on its own starts where the shards
    /// before it end, so the shards' tables together are the whole list's
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub row_offset: u32,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Send malformed CSV rows to the report instead of failing
    #[arg(long)]
    pub lenient: bool,

    /// Replace an output file that already exists
    #[arg(long)]
    pub force: bool,
}

/// SQL that scores a saved model's candidate pairs over its features table in DuckDB, as steward does
/// natively: the same pairs, levels and probabilities.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward dedupe customers.csv --save-model model.json
  steward model sql --model model.json -o predict.sql

Run it in DuckDB over the features table: CREATE VIEW features AS SELECT * FROM 'features.parquet'; then the \
script; its last statement returns row_a, row_b, id_a, id_b, each comparison's level, guard, match_weight and \
match_probability for every candidate pair at or above the model's review_lower.")]
pub struct ModelSqlArgs {
    /// The saved model
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,

    /// The SQL dialect
    #[arg(long, value_enum, default_value_t = SqlDialect::Duckdb)]
    pub dialect: SqlDialect,

    /// The SQL file [default: stdout]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,

    /// SQL returning the counts `steward model train` fits a model from (level patterns of the candidate
    /// pairs and of random pairs), instead of the scores
    #[arg(long)]
    pub counts: bool,

    /// With --counts: random pairs whose levels estimate u
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1_000_000,
        requires = "counts"
    )]
    pub random_pairs: u64,

    /// Replace an output file that already exists
    #[arg(long)]
    pub force: bool,
}

/// Train a model from the counts its SQL returned in a warehouse engine (`model sql --counts`): u from the
/// random pairs' levels, m and the prior by EM over the candidate pairs' patterns, as the native engine does.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward dedupe sample.csv --save-model base.json
  steward model sql --model base.json --counts -o counts.sql
  steward model train --model base.json --counts counts.csv --save-model trained.json

The base model gives the blocking rules, comparisons, guards and thresholds; its weights are not used. \
COUNTS is the SQL's result saved as CSV or Parquet: source, each comparison's level, guard, n.")]
pub struct ModelTrainArgs {
    /// The model whose configuration is trained (dedupe --save-model, or a cleanup's model.json)
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,

    /// The counts (.csv or .parquet)
    #[arg(long, value_name = "FILE")]
    pub counts: PathBuf,

    /// Where the trained model is written
    #[arg(long, value_name = "FILE", value_parser = json_file)]
    pub save_model: String,

    /// Replace an output file that already exists
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlDialect {
    Duckdb,
    /// Spark SQL 4 (the session registers st_jw: see the SQL's first lines)
    Spark,
}

/// Score a list's candidate pairs natively with a saved model, in the columns `steward model sql` returns
/// (to compare an engine's result with steward's).
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  steward dedupe customers.csv --save-model model.json
  steward model score customers.csv --model model.json -o scores.csv")]
pub struct ModelScoreArgs {
    /// Files, globs, - for stdin, or a database with --table or --query
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<String>,

    /// The scored pairs (csv, tsv, jsonl, parquet, xlsx by extension; - for stdout)
    #[arg(short, long, value_name = "OUT", value_parser = data_file)]
    pub output: String,

    /// The saved model
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Send malformed CSV rows to the report instead of failing
    #[arg(long)]
    pub lenient: bool,

    /// Replace an output file that already exists
    #[arg(long)]
    pub force: bool,
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
  STEWARD_KEY=$(cat team.key) steward key id")]
pub struct KeyIdArgs {
    /// Key file [default: the STEWARD_KEY environment variable]
    pub file: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(argv: &[&str]) -> Command {
        let mut full = vec!["steward"];
        full.extend(argv);
        Cli::try_parse_from(full).expect("parses").command
    }

    #[test]
    fn clap_definitions_are_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn format_is_the_summary_and_output_format_the_data() {
        let Command::Import(a) = parse(&["import", "a.csv", "-o", "b.csv", "--format", "json"])
        else {
            unreachable!()
        };
        assert_eq!(a.report.summary(), ReportFormat::Json);
        assert_eq!(a.data.given(&a.report), None);
        let Command::Import(a) = parse(&["import", "a.csv", "-o", "-", "--output-format", "xlsx"])
        else {
            unreachable!()
        };
        assert_eq!(a.report.summary(), ReportFormat::Human);
        assert_eq!(a.data.given(&a.report), Some(OutputFormat::Xlsx));
    }

    #[test]
    fn old_spellings_are_read_as_before() {
        // `-f xlsx --report-format json`: the data format and the summary format, as dedupe took them.
        let c = parse(&[
            "dedupe",
            "a.csv",
            "-o",
            "g.csv",
            "-f",
            "xlsx",
            "--report-format",
            "json",
        ]);
        let Command::Dedupe(a) = &c else {
            unreachable!()
        };
        assert_eq!(a.report.summary(), ReportFormat::Json);
        assert_eq!(a.data.given(&a.report), Some(OutputFormat::Xlsx));
        assert_eq!(c.check(), Ok(()));
        // --report-format on a command where --format always was the summary format.
        let c = parse(&["validate", "a.csv", "--report-format", "json"]);
        let Command::Validate(a) = &c else {
            unreachable!()
        };
        assert_eq!(a.check.report.summary(), ReportFormat::Json);
        assert_eq!(c.check(), Ok(()));
    }

    #[test]
    fn format_takes_a_data_format_only_where_it_once_meant_one() {
        assert!(parse(&["validate", "a.csv", "--format", "csv"])
            .check()
            .is_err());
        assert!(parse(&["segment", "a.csv", "-o", "-", "--format", "xlsx"])
            .check()
            .is_err());
        // erase writes each source in its own format: a data format is refused there now.
        assert!(parse(&[
            "erase",
            "a.csv",
            "--requests",
            "r",
            "-o",
            "-",
            "--receipt",
            "r.json",
            "-f",
            "tsv"
        ])
        .check()
        .is_err());
        assert!(parse(&["pseudonymize", "a.csv", "-o", "-", "-f", "tsv"])
            .check()
            .is_ok());
        assert!(parse(&[
            "risk",
            "a.csv",
            "--format",
            "json",
            "--report-format",
            "human"
        ])
        .check()
        .is_err());
        // Hidden values are refused by clap where no value enum has them.
        assert!(
            Cli::try_parse_from(["steward", "import", "a", "-o", "b", "--format", "pdf"]).is_err()
        );
    }

    #[test]
    fn output_files_with_an_extension_steward_cannot_write_are_refused() {
        assert_eq!(data_file("f.xlsx"), Ok("f.xlsx".into()));
        assert_eq!(data_file("findings"), Ok("findings".into()));
        assert_eq!(data_file("-"), Ok("-".into()));
        assert!(data_file("f.pdf").unwrap_err().contains(".pdf"));
        assert!(data_file("f.xls").is_err());
        assert!(
            json_file("r.json").is_ok() && json_file("r").is_ok() && json_file("r.csv").is_err()
        );
        assert!(html_file("p.HTML").is_ok() && html_file("p.csv").is_err());
        let err = Cli::try_parse_from(["steward", "validate", "a.csv", "--findings", "f.pdf"])
            .unwrap_err();
        assert!(err.to_string().contains("--findings"), "{err}");
    }

    #[test]
    fn examples_are_read_from_the_after_help() {
        let text = "Examples:\n  steward a x.csv\n  # a comment\n  steward b \\\n      --long y\n\nProse after.";
        assert_eq!(examples(text), ["steward a x.csv", "steward b --long y"]);
        let (block, rest) = split_examples(text).unwrap();
        assert!(block.ends_with("--long y"));
        assert_eq!(rest, "Prose after.");
        assert_eq!(split_examples("No examples here."), None);
    }
}

//! `steward inspect`: what steward detects in each source (format, encoding, delimiter, header row, counts)
//! and how every column maps onto the schema, with a few sample values (personal ones masked).

use anyhow::Result;
use serde::Serialize;

use super::{open_all, read_options, Ui};
use crate::cli::{InspectArgs, ReportFormat};
use crate::io::{Item, SourceInfo};
use crate::privacy::freetext::mask_for_display;
use crate::privacy::mask::mask_value;
use crate::schema::{map_headers, recognise, PrivacyClass};

#[derive(Serialize)]
struct InspectReport {
    sources: Vec<SourceReport>,
}

#[derive(Serialize)]
struct SourceReport {
    #[serde(flatten)]
    info: SourceInfo,
    rows: u64,
    columns_count: usize,
    malformed_rows: u64,
    /// The export whose header vocabulary was recognised (`Shopify customers export`), if any.
    vocabulary: Option<String>,
    /// Columns that map onto schema fields.
    mapped_columns: usize,
    /// The first malformed rows, by line, with the reason.
    problems: Vec<String>,
    columns: Vec<ColumnReport>,
}

#[derive(Serialize)]
struct ColumnReport {
    index: usize,
    column: String,
    header: String,
    field: Option<String>,
    kind: Option<&'static str>,
    privacy: Option<&'static str>,
    mapped_by: &'static str,
    non_empty: u64,
    samples: Vec<String>,
    samples_masked: bool,
}

pub fn run(args: &InspectArgs, _ui: Ui) -> Result<()> {
    let opts = read_options(&args.input, true)?;
    let schema = args.schema.load()?;
    let (_paths, sources) = open_all(&args.sources, &opts)?;
    let mut reports = Vec::new();
    for s in &sources {
        let mapping = map_headers(&schema, &s.info.headers, &args.schema.maps)?;
        let width = s.info.headers.len();
        // Each sample with its row's country, the region its national phone numbers are read in.
        let country_col = mapping.iter().position(|m| {
            m.field
                .as_deref()
                .and_then(|f| schema.field(f))
                .is_some_and(|f| f.kind == crate::schema::FieldKind::Country)
        });
        let mut samples: Vec<Vec<(String, Option<String>)>> = vec![Vec::new(); width];
        let mut non_empty = vec![0u64; width];
        let (mut rows, mut malformed) = (0u64, 0u64);
        let mut problems = Vec::new();
        s.for_each(|item| {
            match item {
                Item::Row(r) => {
                    rows += 1;
                    for (i, v) in r.fields.iter().enumerate().take(width) {
                        if schema.is_missing(v) {
                            continue;
                        }
                        non_empty[i] += 1;
                        if samples[i].len() < args.samples && !samples[i].iter().any(|x| x.0 == *v)
                        {
                            let country = country_col.and_then(|c| r.fields.get(c));
                            samples[i].push((v.to_string(), country.map(|c| c.to_string())));
                        }
                    }
                }
                Item::Reject(rej) => {
                    malformed += 1;
                    if problems.len() < 5 {
                        problems.push(format!("line {}: {}", rej.row, rej.reason));
                    }
                }
            }
            Ok(())
        })?;
        let columns = mapping
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let field = m.field.as_deref().and_then(|f| schema.field(f));
                // Customer numbers are the steward's own keys, not personal values worth hiding here.
                let personal = field
                    .map(|f| {
                        matches!(f.privacy, PrivacyClass::Direct | PrivacyClass::Sensitive)
                            && f.kind != crate::schema::FieldKind::Id
                    })
                    .unwrap_or(false);
                let masked = personal && !args.unmask;
                // Other columns show their text with the identifiers written inside it masked.
                let shown: Vec<String> = samples[i]
                    .iter()
                    .map(|(v, country)| match (masked, field) {
                        (true, Some(f)) => mask_value(f.kind, v),
                        _ if args.unmask => v.clone(),
                        _ => mask_for_display(v, country.as_deref()).into_owned(),
                    })
                    .collect();
                let masked = masked || shown.iter().zip(&samples[i]).any(|(s, (v, _))| s != v);
                ColumnReport {
                    index: i + 1,
                    column: m.column.clone(),
                    header: m.header.clone(),
                    field: m.field.clone(),
                    kind: field.map(|f| f.kind.as_str()),
                    privacy: field.map(|f| f.privacy.as_str()),
                    mapped_by: m.how,
                    non_empty: non_empty[i],
                    samples: shown,
                    samples_masked: masked,
                }
            })
            .collect();
        reports.push(SourceReport {
            info: s.info.clone(),
            rows,
            columns_count: width,
            malformed_rows: malformed,
            vocabulary: recognise(&s.info.headers).map(|v| v.name.clone()),
            mapped_columns: mapping.iter().filter(|m| m.field.is_some()).count(),
            problems,
            columns,
        });
    }
    let report = InspectReport { sources: reports };
    match args.report.summary() {
        ReportFormat::Json => super::emit_json(&report, false)?,
        ReportFormat::Human => super::print_stdout(&human(&report))?,
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    let one_line = s.replace(['\n', '\r'], "⏎");
    if one_line.chars().count() <= n {
        one_line
    } else {
        format!("{}…", one_line.chars().take(n - 1).collect::<String>())
    }
}

/// Pad to a display width, counting CJK characters as two columns.
fn pad(s: &str, width: usize) -> String {
    format!(
        "{s}{}",
        " ".repeat(width.saturating_sub(crate::fields::text::display_width(s)))
    )
}

fn human(report: &InspectReport) -> String {
    let mut out = String::new();
    for (n, s) in report.sources.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let i = &s.info;
        out.push_str(&format!("{}\n", i.label));
        let mut fmt = i.format.to_string();
        if let Some(d) = &i.delimiter {
            fmt.push_str(&format!(", {d}-delimited"));
        }
        out.push_str(&format!("  format      {fmt}\n"));
        if let Some(e) = &i.encoding {
            out.push_str(&format!("  encoding    {e}\n"));
        }
        if let Some(sh) = &i.sheet {
            out.push_str(&format!(
                "  sheet       {sh} (workbook sheets: {})\n",
                i.sheets.join(", ")
            ));
        }
        let unit = if i.sheet.is_some() { "row" } else { "line" };
        // A database table has column names, not a header line.
        if i.header_row > 0 {
            out.push_str(&format!("  header      {unit} {}\n", i.header_row));
        }
        out.push_str(&format!(
            "  rows        {} data rows, {} columns\n",
            s.rows, s.columns_count
        ));
        if s.malformed_rows > 0 {
            out.push_str(&format!(
                "  malformed   {} row(s) (import fails on them unless --lenient)\n",
                s.malformed_rows
            ));
            for p in &s.problems {
                out.push_str(&format!("              {p}\n"));
            }
        }
        for note in &i.notes {
            out.push_str(&format!("  note        {note}\n"));
        }
        match &s.vocabulary {
            Some(v) => out.push_str(&format!(
                "  headers     {v} ({} of {} columns mapped)\n\n",
                s.mapped_columns,
                s.columns.len()
            )),
            None => out.push_str(&format!(
                "  mapping     {} of {} columns map onto schema fields\n\n",
                s.mapped_columns,
                s.columns.len()
            )),
        }
        let colw = s
            .columns
            .iter()
            .map(|c| crate::fields::text::display_width(&truncate(&c.column, 24)) + 2)
            .max()
            .unwrap_or(8)
            .clamp(8, 28);
        let fields: Vec<String> = s
            .columns
            .iter()
            .map(|c| match (&c.field, c.mapped_by) {
                (Some(f), "manual") => format!("{f} (--map)"),
                (Some(f), "vocabulary") => format!("{f} (export)"),
                (Some(f), _) => f.clone(),
                (None, _) => "unmapped".to_string(),
            })
            .collect();
        let fieldw = fields
            .iter()
            .map(|f| crate::fields::text::display_width(f) + 2)
            .max()
            .unwrap_or(20)
            .max(20);
        out.push_str(&format!(
            "  {:>3}  {}{}{}samples\n",
            "#",
            pad("column", colw),
            pad("field", fieldw),
            pad("filled", 8)
        ));
        for (c, field) in s.columns.iter().zip(&fields) {
            let samples: Vec<String> = c.samples.iter().map(|v| truncate(v, 24)).collect();
            out.push_str(&format!(
                "  {:>3}  {}{}{}{}\n",
                c.index,
                pad(&truncate(&c.column, 24), colw),
                pad(field, fieldw),
                pad(&c.non_empty.to_string(), 8),
                samples.join(" | ")
            ));
        }
    }
    out
}

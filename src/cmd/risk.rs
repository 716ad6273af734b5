//! `steward risk`: k-anonymity of a table over its quasi-identifiers.

use anyhow::Result;

use super::{open_all, read_options, Ui};
use crate::cli::{ReportFormat, RiskArgs};
use crate::error::{fail, ExitCode, StewardError};
use crate::privacy::risk::{
    assess, kept_columns, quasi_columns, singling_out, CodedColumn, RiskReport,
};
use crate::schema::FieldKind;
use crate::table::{plan_import, run_import};
use crate::validate::{check_kind, CheckOptions};

pub fn run(args: &RiskArgs, ui: Ui) -> Result<()> {
    if args.k == 0 {
        return Err(StewardError::usage("-k must be at least 1").into());
    }
    let opts = read_options(&args.input, false)?;
    let schema = args.schema.load()?;
    let (_paths, sources) = open_all(&args.sources, &opts)?;
    let plan = plan_import(&schema, &sources, &args.schema.maps)?;
    let columns = &plan.columns;
    let quasi = quasi_columns(
        &args.quasi,
        columns,
        &schema,
        &plan.mappings,
        0..columns.len(),
    )?;
    if quasi.is_empty() {
        return Err(StewardError::usage(
            "no quasi-identifiers: name them with --quasi (the input has none of the schema's quasi-identifier fields)",
        )
        .into());
    }
    let check = CheckOptions {
        default_region: None,
        day_first: false,
        today: chrono::Local::now().date_naive(),
        stale_after_days: None,
        normalization: crate::fields::Normalization::CURRENT,
    };
    let fields: Vec<crate::schema::Field> = quasi
        .iter()
        .map(|&q| {
            schema
                .field(&columns[q])
                .cloned()
                .unwrap_or_else(|| crate::schema::Field::new(&columns[q], FieldKind::Text))
        })
        .collect();
    let kept = kept_columns(columns, &schema, &quasi);
    let kept_fields: Vec<crate::schema::Field> = kept
        .iter()
        .filter_map(|&c| schema.field(&columns[c]).cloned())
        .collect();
    let mut kept_codes: Vec<CodedColumn> = vec![CodedColumn::new(); kept.len()];
    let mut values: Vec<Vec<String>> = vec![Vec::new(); quasi.len()];
    let counts = run_import(
        &plan,
        &sources,
        |row| {
            for (i, &q) in quasi.iter().enumerate() {
                // Normalized, so two spellings of one value are one group; case folded for text.
                let v = check_kind(&fields[i], &row[q], None, &check).value;
                values[i].push(v.to_lowercase());
            }
            for (i, &c) in kept.iter().enumerate() {
                kept_codes[i].push(&row[c]);
            }
            Ok(())
        },
        |_, _| Ok(()),
    )?;
    let names: Vec<String> = quasi.iter().map(|&q| columns[q].clone()).collect();
    let keys: Vec<&[String]> = values.iter().map(|v| v.as_slice()).collect();
    let mut report = assess(&names, &keys, counts.rows_out as usize, args.k);
    for (codes, field) in kept_codes.iter_mut().zip(&kept_fields) {
        // Normalized, so two spellings of one value are one group; case folded for text.
        codes.recode(|v| check_kind(field, v, None, &check).value.to_lowercase());
    }
    let kept_names: Vec<String> = kept.iter().map(|&c| columns[c].clone()).collect();
    report.kept_columns_singling_out = singling_out(&kept_names, &kept_codes, None);
    match args.report.summary() {
        ReportFormat::Json => super::emit_json(&report, false)?,
        ReportFormat::Human => super::print_stdout(&human(&report, &names))?,
    }
    if counts.rows_rejected > 0 {
        ui.say(format!(
            "{} malformed row(s) were not counted",
            counts.rows_rejected
        ));
    }
    if !report.k_anonymous {
        return Err(fail(
            ExitCode::PolicyFailed,
            format!(
                "not {}-anonymous: {} record(s) are in groups smaller than {} (generalize with `steward pseudonymize --k {}`)",
                args.k, report.records_below_k, args.k, args.k
            ),
        ));
    }
    ui.say(format!("{}-anonymous over {}", args.k, names.join(", ")));
    Ok(())
}

/// The report for people: counts, group sizes and the riskiest combinations.
fn human(report: &RiskReport, names: &[String]) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} records, quasi-identifiers: {}\n",
        report.rows,
        names.join(", ")
    ));
    out.push_str(&format!(
                "groups: {}; smallest group: {}; records in groups smaller than k={}: {} ({:.1}%); unique records: {}\n",
                report.groups,
                report.smallest_group,
                report.k,
                report.records_below_k,
                report.share_below_k * 100.0,
                report.unique_records
            ));
    out.push_str(&format!(
        "group sizes: {}\n",
        report
            .group_sizes
            .iter()
            .map(|(b, n)| format!("{b}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if !report.riskiest_combinations.is_empty() {
        out.push_str("riskiest combinations (records below k):\n");
        for c in &report.riskiest_combinations {
            out.push_str(&format!(
                "  {:<50} {:>8} ({:.1}%), {} unique\n",
                c.columns.join(" + "),
                c.records_below_k,
                c.share_below_k * 100.0,
                c.unique_records
            ));
        }
    }
    if !report.kept_columns_singling_out.is_empty() {
        out.push_str(
            "kept columns (privacy class none, shared as they are) that make most records unique:\n",
        );
        for s in &report.kept_columns_singling_out {
            out.push_str(&format!("  {}\n", s.line()));
        }
    }
    out
}

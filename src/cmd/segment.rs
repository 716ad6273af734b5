//! `steward segment`: RFM scores and segment, A/B/C value tier and lifecycle stage for every customer, with a
//! summary per segment, tier and stage that reconciles to the row count. The figures are `segment`; this wires
//! arguments, sources and the output.

use anyhow::Result;
use std::borrow::Cow;

use super::{emit_json, open_all, read_options, Ui};
use crate::cli::{ReportFormat, SegmentArgs};
use crate::error::StewardError;
use crate::io::outputs::Outputs;
use crate::io::workbook::{column_types, source_names, About};
use crate::io::write::{input_identities, DatasetWriter, WriteOptions};
use crate::segment::{segment_table, SegmentOptions, StageRules};
use crate::table::load_table_counted;

fn parse_tiers(s: &str) -> Result<(f64, f64)> {
    let bad = || {
        StewardError::usage(format!(
            "--tiers takes two percentages A,B with 0 < A < B <= 100, found {s:?}"
        ))
    };
    let (a, b) = s.split_once(',').ok_or_else(bad)?;
    let (a, b): (f64, f64) = (
        a.trim().trim_end_matches('%').parse().map_err(|_| bad())?,
        b.trim().trim_end_matches('%').parse().map_err(|_| bad())?,
    );
    if !(a > 0.0 && a < b && b <= 100.0) {
        return Err(bad().into());
    }
    Ok((a, b))
}

pub fn run(args: &SegmentArgs, ui: Ui) -> Result<()> {
    // --out-table without a database -o is refused before any work.
    args.db_out.target_for(Some(&args.output))?;
    let started = chrono::Local::now();
    let as_of = super::as_of_date(args.as_of.as_deref())?;
    let (tier_a, tier_b) = parse_tiers(&args.tiers)?;
    for (name, v) in [
        ("--new-days", args.new_days),
        ("--loyal-orders", args.loyal_orders),
        ("--at-risk-days", args.at_risk_days),
        ("--churn-days", args.churn_days),
    ] {
        if v < 0 {
            return Err(StewardError::usage(format!("{name} cannot be negative")).into());
        }
    }
    if args.churn_days < args.at_risk_days {
        return Err(StewardError::usage("--churn-days must be at least --at-risk-days").into());
    }
    let rules = StageRules {
        new_days: args.new_days,
        loyal_orders: args.loyal_orders,
        at_risk_days: args.at_risk_days,
        churn_days: args.churn_days,
    };
    let format = super::output_format(&args.output, args.data.output_format)?;
    let schema = args.schema.load()?;
    let opts = read_options(&args.input, false)?;
    let (paths, sources) = open_all(&args.sources, &opts)?;
    let progress = ui.progress("reading");
    let loaded = load_table_counted(&schema, &sources, &args.schema.maps, &mut |n| {
        progress.set_rows(n)
    })?;
    let inputs = input_identities(&paths);
    progress.stage("segmenting");
    let opts = SegmentOptions {
        as_of,
        rules,
        tiers: (tier_a, tier_b),
    };
    let (segments, summary) = segment_table(&loaded.table, &opts)?;
    let mut files = Outputs::new(args.force, &inputs).with_db_target(
        args.db_out
            .target_for(Some(&args.output))?
            .typed_by(args.schema.schema.as_deref())?,
    );
    let mut w = DatasetWriter::new(
        files
            .open("output", &args.output)?
            .with_bom(args.data.bom.bom),
        &segments.columns(),
        WriteOptions::new(format, !args.no_formula_guard)
            .typed(column_types(&schema, &segments.columns()))
            .about(About::new(
                "Customer segments (RFM scores, tiers, lifecycle) by steward segment, with the customers' fields",
                source_names(sources.iter().map(|s| s.info.label.as_str())),
            )),
    )?;
    let mut row: Vec<Cow<str>> = Vec::new();
    for r in 0..segments.len() {
        segments.row_into(r, &mut row);
        w.write_row(&row)?;
    }
    w.finish()?;
    progress.finish();
    crate::report::write_manifest(
        &mut files,
        "output",
        "segment",
        started,
        &paths,
        serde_json::json!({"rows_in": loaded.counts.rows_in, "rows_out": summary.rows, "scored": summary.scored}),
        None,
    )?;
    files.commit()?;
    if args.report.summary() == ReportFormat::Json {
        return emit_json(&summary, args.output == "-");
    }
    ui.say(format!(
        "segmented {} customers as of {}: {} scored; last purchase missing {} / invalid {}, orders missing {} / invalid {}, spend missing {} / invalid {}",
        summary.rows,
        summary.as_of,
        summary.scored,
        summary.last_purchase_missing,
        summary.last_purchase_invalid,
        summary.orders_missing,
        summary.orders_invalid,
        summary.spend_missing,
        summary.spend_invalid
    ));
    for (title, groups) in [
        ("lifecycle stage", &summary.stages),
        ("value tier", &summary.tiers),
        ("RFM segment", &summary.segments),
    ] {
        ui.say(format!(
            "  {title:<20} {:>9} {:>7} {:>14} {:>10}",
            "customers", "share", "total spend", "avg spend"
        ));
        for g in groups.iter() {
            ui.say(format!(
                "  {:<20} {:>9} {:>6.1}% {:>14.2} {:>10}",
                g.name,
                g.customers,
                g.share * 100.0,
                g.total_spend,
                g.avg_spend.map(|a| format!("{a:.2}")).unwrap_or_default()
            ));
        }
        let total: u64 = groups.iter().map(|g| g.customers).sum();
        ui.say(format!(
            "  {:<20} {:>9} (= {} rows)",
            "total", total, summary.rows
        ));
    }
    Ok(())
}

//! `steward segment`: RFM scores and segment, A/B/C value tier and lifecycle stage for every customer, with a
//! summary per segment, tier and stage (aggregated with polars) that reconciles to the row count.

use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use super::{emit_json, open_all, read_options, Ui};
use crate::cli::{ReportFormat, SegmentArgs};
use crate::error::StewardError;
use crate::fields::{self, Level};
use crate::io::write::{input_identities, DatasetWriter, Destination, OutputFormat, WriteOptions};
use crate::schema::Schema;
use crate::segment::{lifecycle_stage, quintile_scores, rfm_segment, value_tiers, StageRules};
use crate::table::load_table;

#[derive(Serialize)]
struct Group {
    name: String,
    customers: u64,
    share: f64,
    total_spend: f64,
    avg_spend: Option<f64>,
}

#[derive(Serialize)]
pub(crate) struct Summary {
    rows: u64,
    as_of: String,
    /// Rows whose last purchase date is missing or not a date.
    last_purchase_missing: u64,
    last_purchase_invalid: u64,
    orders_missing: u64,
    orders_invalid: u64,
    spend_missing: u64,
    spend_invalid: u64,
    /// Customers with an RFM score (all three figures known).
    scored: u64,
    segments: Vec<Group>,
    tiers: Vec<Group>,
    stages: Vec<Group>,
}

/// A figure read from a column: the value, or why there is none.
enum Figure<T> {
    Missing,
    Invalid,
    Value(T),
}

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

/// Group customers by a label and aggregate count and spend with polars.
fn summarize(labels: &[String], spend: &[Option<f64>], order: &[&str]) -> Result<Vec<Group>> {
    use polars::prelude::*;
    let n = labels.len() as f64;
    let df = DataFrame::new_infer_height(vec![
        Column::new("label".into(), labels),
        Column::new("spend".into(), spend),
    ])?;
    let out = df
        .lazy()
        .group_by([col("label")])
        .agg([
            len().alias("customers"),
            col("spend").sum().alias("total"),
            col("spend").mean().alias("avg"),
        ])
        .collect()?;
    let names = out.column("label")?.str()?;
    let counts = out.column("customers")?.cast(&DataType::UInt64)?;
    let counts = counts.u64()?;
    let totals = out.column("total")?.f64()?;
    let avgs = out.column("avg")?.f64()?;
    let mut groups: Vec<Group> = (0..out.height())
        .map(|i| Group {
            name: names.get(i).unwrap_or("").to_string(),
            customers: counts.get(i).unwrap_or(0),
            share: counts.get(i).unwrap_or(0) as f64 / n.max(1.0),
            total_spend: (totals.get(i).unwrap_or(0.0) * 100.0).round() / 100.0,
            avg_spend: avgs.get(i).map(|a| (a * 100.0).round() / 100.0),
        })
        .collect();
    groups.sort_by_key(|g| {
        order
            .iter()
            .position(|o| *o == g.name)
            .unwrap_or(usize::MAX)
    });
    Ok(groups)
}

pub fn run(args: &SegmentArgs, ui: Ui) -> Result<()> {
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
    let schema = Schema::load_or_builtin(args.schema.schema.as_deref())?;
    let opts = read_options(&args.input, false)?;
    let (paths, sources) = open_all(&args.sources, &opts)?;
    let loaded = load_table(&schema, &sources, &args.schema.maps)?;
    let inputs = input_identities(&paths);
    let summary = segment_table(args, &loaded.table, &inputs, as_of, rules, (tier_a, tier_b))?;
    crate::report::write_manifest(
        "segment",
        started,
        &paths,
        &[("output", args.output.as_str())],
        serde_json::json!({"rows_in": loaded.counts.rows_in, "rows_out": summary.rows, "scored": summary.scored}),
        None,
    )?;
    if args.format == ReportFormat::Json {
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

/// Segment a loaded table and write it with the added columns to the arguments' output. Used by
/// `steward segment` and by `steward clean` (on the golden records).
pub(crate) fn segment_table(
    args: &SegmentArgs,
    t: &crate::table::Table,
    inputs: &[(String, crate::io::write::FileIdentity)],
    as_of: chrono::NaiveDate,
    rules: StageRules,
    (tier_a, tier_b): (f64, f64),
) -> Result<Summary> {
    let (Some(lp), Some(oc), Some(sc)) = (
        t.column_index("last_purchase_date"),
        t.column_index("orders"),
        t.column_index("total_spend"),
    ) else {
        let have: Vec<&str> = ["last_purchase_date", "orders", "total_spend"]
            .into_iter()
            .filter(|f| t.column_index(f).is_some())
            .collect();
        return Err(StewardError::usage(format!(
            "segment needs the fields last_purchase_date, orders and total_spend (found: {}); map columns with --map \"Column=field\"",
            if have.is_empty() { "none".to_string() } else { have.join(", ") }
        ))
        .into());
    };
    let n = t.len();
    let date_opts = fields::date::DateOptions {
        day_first: false,
        today: as_of,
        birth: false,
        future_ok: false,
    };
    let bad = |c: &fields::Checked| c.issues.iter().any(|i| i.level == Level::Error);
    let mut memo: HashMap<&str, Figure<i64>> = HashMap::new();
    let recency: Vec<Figure<i64>> = (0..n)
        .map(|r| {
            let v = t.get(r, lp);
            if v.trim().is_empty() {
                return Figure::Missing;
            }
            match memo.entry(v).or_insert_with(|| {
                let c = fields::date::check_date(v, &date_opts);
                match chrono::NaiveDate::parse_from_str(c.value.get(..10).unwrap_or(""), "%Y-%m-%d")
                {
                    Ok(d) if !bad(&c) && d <= as_of => Figure::Value((as_of - d).num_days()),
                    _ => Figure::Invalid,
                }
            }) {
                Figure::Value(d) => Figure::Value(*d),
                Figure::Missing => Figure::Missing,
                Figure::Invalid => Figure::Invalid,
            }
        })
        .collect();
    // Counts and amounts repeat a lot: each distinct spelling is parsed once.
    let mut order_memo: HashMap<&str, Option<i64>> = HashMap::new();
    let orders: Vec<Figure<i64>> = (0..n)
        .map(|r| {
            let v = t.get(r, oc);
            if v.trim().is_empty() {
                return Figure::Missing;
            }
            let parsed = *order_memo.entry(v).or_insert_with(|| {
                let c = fields::number::check_integer(v);
                c.value.parse::<i64>().ok().filter(|o| !bad(&c) && *o >= 0)
            });
            parsed.map_or(Figure::Invalid, Figure::Value)
        })
        .collect();
    let mut spend_memo: HashMap<&str, Option<f64>> = HashMap::new();
    let spend: Vec<Figure<f64>> = (0..n)
        .map(|r| {
            let v = t.get(r, sc);
            if v.trim().is_empty() {
                return Figure::Missing;
            }
            let parsed = *spend_memo.entry(v).or_insert_with(|| {
                let c = {
                    let c = fields::number::check_money(v, false);
                    c.value.parse::<f64>().ok().filter(|_| !bad(&c))
                };
                c.filter(|s| *s >= 0.0 && s.is_finite())
            });
            parsed.map_or(Figure::Invalid, Figure::Value)
        })
        .collect();
    let val_i = |f: &Figure<i64>| match f {
        Figure::Value(v) => Some(*v),
        _ => None,
    };
    let spend_v: Vec<Option<f64>> = spend
        .iter()
        .map(|f| match f {
            Figure::Value(v) => Some(*v),
            _ => None,
        })
        .collect();
    // Only customers with all three figures (and at least one order) get RFM scores.
    let scored: Vec<bool> = (0..n)
        .map(|r| {
            val_i(&recency[r]).is_some()
                && val_i(&orders[r]).is_some_and(|o| o > 0)
                && spend_v[r].is_some()
        })
        .collect();
    let masked = |v: Vec<Option<f64>>| -> Vec<Option<f64>> {
        v.into_iter()
            .zip(&scored)
            .map(|(x, &s)| if s { x } else { None })
            .collect()
    };
    let r_scores = quintile_scores(
        &masked(recency.iter().map(|f| val_i(f).map(|d| d as f64)).collect()),
        true,
    );
    let f_scores = quintile_scores(
        &masked(orders.iter().map(|f| val_i(f).map(|o| o as f64)).collect()),
        false,
    );
    let m_scores = quintile_scores(&masked(spend_v.clone()), false);
    let tiers = value_tiers(&spend_v, tier_a, tier_b);

    let mut cols = t.columns[..t.columns.len() - 2].to_vec();
    let added = [
        "recency_days",
        "frequency",
        "monetary",
        "r_score",
        "f_score",
        "m_score",
        "rfm_segment",
        "value_tier",
        "lifecycle_stage",
    ];
    cols.extend(added.iter().map(|s| s.to_string()));
    cols.extend(["_source".to_string(), "_row".to_string()]);
    let format = args
        .output_format
        .or_else(|| OutputFormat::from_path(Path::new(&args.output)))
        .unwrap_or(OutputFormat::Csv);
    let mut w = DatasetWriter::new(
        Destination::open(&args.output, args.force, inputs)?,
        &cols,
        WriteOptions {
            format,
            formula_guard: !args.no_formula_guard,
            integer_columns: vec![],
        },
    )?;
    let mut seg_labels = Vec::with_capacity(n);
    let mut tier_labels = Vec::with_capacity(n);
    let mut stage_labels = Vec::with_capacity(n);
    let opt = |v: Option<u8>| v.map(|x| x.to_string()).unwrap_or_default();
    let nc = t.columns.len();
    let mut row: Vec<Cow<str>> = Vec::with_capacity(cols.len());
    for r in 0..n {
        let segment = match (r_scores[r], f_scores[r]) {
            (Some(rs), Some(fs)) => rfm_segment(rs, fs),
            _ => "",
        };
        let stage = lifecycle_stage(val_i(&orders[r]), val_i(&recency[r]), &rules);
        let tier = tiers[r].map(|c| c.to_string()).unwrap_or_default();
        row.clear();
        row.extend((0..nc - 2).map(|c| Cow::Borrowed(t.get(r, c))));
        row.push(
            val_i(&recency[r])
                .map(|d| d.to_string())
                .unwrap_or_default()
                .into(),
        );
        row.push(
            val_i(&orders[r])
                .map(|o| o.to_string())
                .unwrap_or_default()
                .into(),
        );
        row.push(
            spend_v[r]
                .map(|s| format!("{s:.2}"))
                .unwrap_or_default()
                .into(),
        );
        row.push(opt(r_scores[r]).into());
        row.push(opt(f_scores[r]).into());
        row.push(opt(m_scores[r]).into());
        row.push(segment.into());
        row.push(tier.clone().into());
        row.push(stage.into());
        row.push(t.get(r, nc - 2).into());
        row.push(t.get(r, nc - 1).into());
        w.write_row(&row)?;
        seg_labels.push(if segment.is_empty() {
            "(not scored)".to_string()
        } else {
            segment.to_string()
        });
        tier_labels.push(if tier.is_empty() {
            "(spend unknown)".to_string()
        } else {
            tier
        });
        stage_labels.push(stage.to_string());
    }
    w.finish()?;

    let count = |v: &[Figure<i64>], missing: bool| {
        v.iter()
            .filter(|f| {
                matches!(
                    (f, missing),
                    (Figure::Missing, true) | (Figure::Invalid, false)
                )
            })
            .count() as u64
    };
    let summary = Summary {
        rows: n as u64,
        as_of: as_of.to_string(),
        last_purchase_missing: count(&recency, true),
        last_purchase_invalid: count(&recency, false),
        orders_missing: count(&orders, true),
        orders_invalid: count(&orders, false),
        spend_missing: spend
            .iter()
            .filter(|f| matches!(f, Figure::Missing))
            .count() as u64,
        spend_invalid: spend
            .iter()
            .filter(|f| matches!(f, Figure::Invalid))
            .count() as u64,
        scored: scored.iter().filter(|s| **s).count() as u64,
        segments: summarize(
            &seg_labels,
            &spend_v,
            &[
                "champions",
                "loyal",
                "potential loyalist",
                "new",
                "promising",
                "need attention",
                "about to sleep",
                "at risk",
                "cannot lose",
                "hibernating",
                "lost",
                "(not scored)",
            ],
        )?,
        tiers: summarize(&tier_labels, &spend_v, &["A", "B", "C", "(spend unknown)"])?,
        stages: summarize(
            &stage_labels,
            &spend_v,
            &[
                "prospect", "new", "active", "loyal", "at risk", "churned", "unknown",
            ],
        )?,
    };
    Ok(summary)
}

//! Incremental matching: new rows matched into existing golden records. Existing golden ids never change
//! and two existing golden records are never joined; new customers get ids after the largest existing one.

use anyhow::Result;
use std::collections::{BTreeMap, HashMap};

use super::cluster::Dsu;
use super::matching::{
    config_for, fit_to_model, matching_columns, normalized_columns, record_label, stacked_input,
};
use super::settings::DedupeOptions;
use super::stage::{engine_timings, IncrementalReport, Report};
use super::survivorship::Survivor;
use super::{Mode, ScoredPair};
use crate::error::StewardError;
use crate::schema::Schema;
use crate::table::{Table, TextColumn, ROW_COLUMN, SOURCE_COLUMN};

/// What `match_into_golden` found. Each output is `Some` when `DedupeOptions::outputs` asked for it.
pub struct Incremental {
    /// The updated golden records: each existing one with its new members, then the new customers
    /// (`golden_id`, `cluster_size`, value columns, `_source`, `_row`, `_lineage`).
    pub golden: Option<Table>,
    /// Per new row: `_source`, `_row`, `record_id`, `golden_id`, `status` (matched existing / new customer).
    pub merge_map: Option<Table>,
    pub report: Report,
}

/// Match the rows of `new` into `golden` (golden records an earlier dedupe wrote, named `golden_name` in
/// messages and in the `_source` of their members).
pub fn match_into_golden(
    schema: &Schema,
    golden: &Table,
    golden_name: &str,
    new: &Table,
    opts: &DedupeOptions,
) -> Result<Incremental> {
    let (tg, tn) = (golden, new);
    let gid_col = tg.column_index("golden_id").ok_or_else(|| {
        StewardError::data(format!(
            "{golden_name}: no golden_id column: --against takes golden records written by `steward dedupe -o`"
        ))
    })?;
    let (ng_norm, nn_norm) = (
        normalized_columns(schema, tg, opts.today(), &[])?,
        normalized_columns(schema, tn, opts.today(), &[])?,
    );
    let m = fit_to_model(
        matching_columns(schema, opts, (tg, &ng_norm), Some((tn, &nn_norm))),
        opts,
    )?;
    let cfg = config_for(&m, opts, Mode::Incremental)?;
    let ng = tg.len();
    let mut src = vec![0u8; ng];
    src.extend(std::iter::repeat_n(1u8, tn.len()));
    let input = stacked_input(&m, Some(src));
    let outcome = super::run(
        &input,
        &cfg,
        &[],
        opts.model.as_ref().map(|m| &m.saved.model),
    );

    // Union accepted pairs, strongest first, never joining two existing golden records.
    let total = ng + tn.len();
    let mut groups_of = Dsu::new(total);
    // Per root: the existing golden record its group belongs to, if any.
    let mut old: Vec<Option<usize>> = (0..total).map(|r| (r < ng).then_some(r)).collect();
    let mut accepted: Vec<&ScoredPair> = outcome
        .pairs
        .iter()
        .filter(|p| p.prob >= cfg.threshold)
        .collect();
    accepted.sort_by(|a, b| b.prob.total_cmp(&a.prob));
    for p in &accepted {
        let (ra, rb) = (groups_of.find(p.a), groups_of.find(p.b));
        if ra == rb || (old[ra as usize].is_some() && old[rb as usize].is_some()) {
            continue;
        }
        let kept = old[ra as usize].or(old[rb as usize]);
        groups_of.union(ra, rb);
        old[groups_of.find(ra) as usize] = kept;
    }
    // Existing ids stay; new groups get ids after the largest existing number.
    let max_id = (0..ng)
        .filter_map(|r| {
            tg.get(r, gid_col)
                .trim()
                .trim_start_matches('G')
                .parse::<u64>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    let mut next = max_id;
    let mut id_of_root: HashMap<usize, String> = HashMap::new();
    let mut row_gid: Vec<String> = Vec::with_capacity(total);
    let mut changed: Vec<String> = Vec::new();
    let mut matched = 0u64;
    for r in 0..total {
        let root = groups_of.find(r as u32) as usize;
        let gid = match old[root] {
            Some(g) => tg.get(g, gid_col).trim().to_string(),
            None => id_of_root
                .entry(root)
                .or_insert_with(|| {
                    next += 1;
                    format!("G{next:07}")
                })
                .clone(),
        };
        if r >= ng && old[root].is_some() {
            matched += 1;
            if !changed.contains(&gid) {
                changed.push(gid.clone());
            }
        }
        row_gid.push(gid);
    }
    changed.sort();
    let added = id_of_root.len() as u64;

    // The updated golden records: each existing one with its new members, then the new customers.
    let mut combined = Table::new(tg.columns[..tg.columns.len() - 2].to_vec());
    for c in tn.columns.iter().take(tn.columns.len() - 2) {
        if combined.column_index(c).is_none() {
            combined.columns.push(c.clone());
            combined.data.push(TextColumn::default());
        }
    }
    combined
        .columns
        .extend([SOURCE_COLUMN.to_string(), ROW_COLUMN.to_string()]);
    combined
        .data
        .extend([TextColumn::default(), TextColumn::default()]);
    for (tab, label) in [(tg, true), (tn, false)] {
        for r in 0..tab.len() {
            let row: Vec<String> = combined
                .columns
                .iter()
                .map(|c| {
                    if label && c == SOURCE_COLUMN {
                        format!("{golden_name} (golden)")
                    } else {
                        tab.column_index(c)
                            .map(|i| tab.get(r, i).to_string())
                            .unwrap_or_default()
                    }
                })
                .collect();
            combined.push_row(&row)?;
        }
    }
    let surv = Survivor::new(&combined, schema, opts)?;
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (r, g) in row_gid.iter().enumerate() {
        groups.entry(g.clone()).or_default().push(r);
    }
    let golden_out = if opts.outputs.golden {
        let skip: Vec<&str> = vec!["golden_id", "cluster_size", "_lineage"];
        let value_cols: Vec<usize> = (0..combined.columns.len() - 2)
            .filter(|&c| !skip.contains(&combined.columns[c].as_str()))
            .collect();
        let mut out = Table::new(surv.record_columns(Some(&value_cols)));
        let size_col = tg.column_index("cluster_size");
        for (gid, members) in &groups {
            // cluster_size counts every record ever merged: the old size plus new members.
            let old_size: usize = members
                .iter()
                .filter(|&&r| r < ng)
                .map(|&r| {
                    size_col
                        .and_then(|c| tg.get(r, c).trim().parse().ok())
                        .unwrap_or(1)
                })
                .sum();
            let size = old_size + members.iter().filter(|&&r| r >= ng).count();
            out.push_row(&surv.record(gid.clone(), size, members, Some(&value_cols)))?;
        }
        Some(out)
    } else {
        None
    };
    let merge_map = if opts.outputs.merge_map {
        let mut out = Table::new(
            ["_source", "_row", "record_id", "golden_id", "status"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        );
        let id_col = tn.column_index("id");
        let nc = tn.columns.len();
        for r in 0..tn.len() {
            let root = groups_of.find((ng + r) as u32) as usize;
            out.push_row(&[
                tn.get(r, nc - 2),
                tn.get(r, nc - 1),
                &record_label(tn, id_col, r),
                &row_gid[ng + r],
                if old[root].is_some() {
                    "matched existing"
                } else {
                    "new customer"
                },
            ])?;
        }
        Some(out)
    } else {
        None
    };
    let report = Report {
        rows_in: tn.len() as u64,
        golden_records: groups.len() as u64,
        rows_merged: tn.len() as u64 - added.min(tn.len() as u64),
        candidate_pairs: outcome.candidate_pairs,
        accepted_pairs: accepted.len() as u64,
        threshold: cfg.threshold,
        review_lower: cfg.review_lower,
        timings: engine_timings(&outcome),
        incremental: Some(IncrementalReport {
            golden_before: ng as u64,
            new_rows: tn.len() as u64,
            new_rows_matched: matched,
            golden_changed: changed,
            golden_added: added,
        }),
        ..Report::default()
    };
    Ok(Incremental {
        golden: golden_out,
        merge_map,
        report,
    })
}

//! Linking two lists: for each row of B, the best match in A (the reference), by the same engine in link
//! mode (only pairs across the two lists are compared).

use anyhow::Result;

use super::matching::{
    config_for, fit_to_model, matching_columns, normalized_columns, record_label, stacked_input,
};
use super::settings::DedupeOptions;
use super::stage::{engine_timings, LinkReport, Report};
use super::Mode;
use crate::schema::Schema;
use crate::table::{Table, TableView};

/// What `link_tables` found.
pub struct Linked<'b> {
    b: &'b Table,
    /// Per row of B: `match_id`, `match_source`, `match_row`, `match_probability` (empty: no match).
    pub matches: Table,
    pub report: Report,
}

impl Linked<'_> {
    /// Every row of B with its match in A.
    pub fn links(&self) -> TableView<'_> {
        TableView::default().all(self.b).all(&self.matches)
    }
}

/// Link B to A: each row of B gets the most probable row of A at or above the threshold, if any.
pub fn link_tables<'b>(
    schema: &Schema,
    a: &Table,
    b: &'b Table,
    opts: &DedupeOptions,
) -> Result<Linked<'b>> {
    let (na_norm, nb_norm) = (
        normalized_columns(schema, a, opts.today(), &[])?,
        normalized_columns(schema, b, opts.today(), &[])?,
    );
    let m = fit_to_model(
        matching_columns(schema, opts, (a, &na_norm), Some((b, &nb_norm))),
        opts,
    )?;
    let cfg = config_for(&m, opts, Mode::Link)?;
    let mut src = vec![0u8; a.len()];
    src.extend(std::iter::repeat_n(1u8, b.len()));
    let input = stacked_input(&m, Some(src));
    let outcome = super::run(
        &input,
        &cfg,
        &[],
        opts.model.as_ref().map(|m| &m.saved.model),
    );
    let na = a.len();
    let mut best: Vec<Option<(usize, f64)>> = vec![None; b.len()];
    for p in &outcome.pairs {
        if p.prob < cfg.threshold {
            continue;
        }
        let (x, y) = (p.a as usize, p.b as usize);
        let (ra, rb) = if x < na { (x, y - na) } else { (y, x - na) };
        if best[rb].is_none_or(|(_, q)| p.prob > q) {
            best[rb] = Some((ra, p.prob));
        }
    }
    let ida = a.column_index("id");
    let nca = a.columns.len();
    let mut matches = Table::new(
        ["match_id", "match_source", "match_row", "match_probability"]
            .iter()
            .map(|c| c.to_string())
            .collect(),
    );
    for m in &best {
        match m {
            Some((r, p)) => matches.push_row(&[
                record_label(a, ida, *r),
                a.get(*r, nca - 2).to_string(),
                a.get(*r, nca - 1).to_string(),
                format!("{p:.4}"),
            ])?,
            None => matches.push_row(&["", "", "", ""])?,
        }
    }
    let report = Report {
        candidate_pairs: outcome.candidate_pairs,
        threshold: cfg.threshold,
        review_lower: cfg.review_lower,
        timings: engine_timings(&outcome),
        link: Some(LinkReport {
            rows_a: a.len() as u64,
            rows_b: b.len() as u64,
            rows_b_matched: best.iter().filter(|m| m.is_some()).count() as u64,
        }),
        ..Report::default()
    };
    Ok(Linked { b, matches, report })
}

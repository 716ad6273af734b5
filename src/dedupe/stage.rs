//! The dedupe stage over a steward table: golden records, clusters, merge map, scored pairs and review rows,
//! an explanation of one pair, and the report's figures. Typed values in and out; the caller writes them.

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use std::fmt::Write as _;
use std::time::Instant;

use super::matching::{
    config_for, find_row, fit_to_model, matching_columns, normalized_columns, record_label,
    stacked_input, Prepared,
};
use super::review::{ReviewPair, ReviewSet, Weighed};
use super::settings::DedupeOptions;
use super::survivorship::{GoldenPlan, Survivor};
use super::{
    explain, level_names, CompareKind, Config, Explanation, Label, Mode, Model, Outcome, ScoredPair,
};
use crate::io::write::Rows;
use crate::schema::Schema;
use crate::table::{Table, TableView, TextColumn};

/// The figures of a dedupe run, as `--report-format json` prints them and manifests record them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub rows_in: u64,
    pub rows_rejected: u64,
    /// Golden records written (one per cluster).
    pub golden_records: u64,
    /// Rows folded into another row's golden record.
    pub rows_merged: u64,
    pub clusters_with_duplicates: u64,
    pub largest_cluster: u64,
    /// Clusters the chaining guard split or could not verify: worth a look.
    pub clusters_flagged: u64,
    pub candidate_pairs: u64,
    /// Candidate pairs whose birth dates disagree outright, met only by a key that holds the birth year or
    /// as neighbours in birth-date order: scored on the birth dates alone, not compared field by field.
    pub scored_on_birth_date: u64,
    pub accepted_pairs: u64,
    pub review_pairs: u64,
    pub labels_used: u64,
    /// Per compared field, how many values failed validation (an impossible or future birth date, a phone
    /// number that cannot be one, an e-mail address with bad syntax) and were compared as missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compared_as_missing: Vec<(String, u64)>,
    /// With labels: labelled matches, and how many of them blocking made candidate pairs: `(reached, of)`,
    /// the blocking's recall over the labels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocking_reached: Option<(u64, u64)>,
    /// Labelled matches blocking did not reach (record ids; the first `MISSED_SHOWN`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocking_missed: Vec<(String, String)>,
    /// With labels: what they changed against the model trained without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<LabelReport>,
    pub threshold: f64,
    pub review_lower: f64,
    /// Seconds per stage.
    pub timings: Vec<(String, f64)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incremental: Option<IncrementalReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<LinkReport>,
    /// The model that scored the pairs and the blocking that chose them, for the report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelSummary>,
}

/// How many labelled matches blocking missed are named in the report.
const MISSED_SHOWN: usize = 10;

/// What decided the matches: a Fellegi-Sunter model whose weights EM trained on this data (the prior and, per
/// comparison, P(level | match) and P(level | non-match)), and the pairs each blocking rule proposed.
#[derive(Debug, Clone, Serialize)]
pub struct ModelSummary {
    pub kind: String,
    /// The saved model that scored the pairs (`--model`), when one did: nothing was trained on this data
    /// (but with labels, which refined it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved_model: Option<String>,
    pub prior_match: f64,
    pub em_iterations: u32,
    pub comparisons: Vec<ComparisonSummary>,
    pub blocking_rules: Vec<BlockingRule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComparisonSummary {
    pub name: String,
    pub levels: Vec<String>,
    pub m: Vec<f64>,
    pub u: Vec<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlockingRule {
    pub rule: String,
    pub pairs: u64,
    /// Blocks of more than `max_block` rows (a very common key value), compared within windows of `window`
    /// neighbours (in `sort_orders` sort orders) rather than pair by pair, and the rows in them.
    pub windowed_blocks: u64,
    pub windowed_rows: u64,
    pub max_block: usize,
    pub window: usize,
    /// 2: by the first date, then by address and other tokens; 1: by address and tokens only, when the key
    /// holds that date.
    pub sort_orders: usize,
    /// The largest of those blocks, largest first: which key, how many records, how many windows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub largest_windowed: Vec<WindowedBlock>,
    /// With labels: how many labelled matches this rule made candidate pairs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labelled_reached: Option<u64>,
}

/// A block cut into windows.
#[derive(Debug, Clone, Serialize)]
pub struct WindowedBlock {
    /// The key's value per part of the rule (`name_sorted` -> `j*** s****`), masked where the field holds
    /// personal data, as every summary masks it.
    pub key: Vec<(String, String)>,
    pub records: u64,
    /// Window positions: in each sort order, a window of `window + 1` neighbouring records starts
    /// at every record but the last `window`.
    pub windows: u64,
    /// A record with that key (its id, else `source:row`), to look the block up.
    pub example: String,
}

impl WindowedBlock {
    fn describe(&self) -> String {
        let key: Vec<String> = self.key.iter().map(|(p, v)| format!("{p}={v}")).collect();
        format!(
            "{} ({} records, {} windows, e.g. record {})",
            key.join(" + "),
            crate::fields::text::grouped(self.records),
            crate::fields::text::grouped(self.windows),
            self.example
        )
    }
}

impl BlockingRule {
    /// A note for the report when the rule cut blocks into windows: pairs there may have been missed.
    pub fn note(&self) -> Option<String> {
        (self.windowed_blocks > 0).then(|| {
            let largest: Vec<String> = self.largest_windowed.iter().map(WindowedBlock::describe).collect();
            format!(
                "blocking rule {}: {} block(s) of more than {} rows ({} rows in all) were cut into windows of {} \
                 neighbouring records in {}, not compared pair by pair; a duplicate pair inside them can \
                 be missed; {}: {}",
                self.rule,
                crate::fields::text::grouped(self.windowed_blocks),
                self.max_block,
                crate::fields::text::grouped(self.windowed_rows),
                self.window + 1,
                if self.sort_orders == 1 { "one sort order" } else { "two sort orders" },
                if self.windowed_blocks > 1 { "largest keys" } else { "key" },
                largest.join("; ")
            )
        })
    }
}

impl ModelSummary {
    /// `label` names a row for people; `shown` masks a key part's value (part, value) as summaries do.
    pub fn of(
        outcome: &Outcome,
        label: &dyn Fn(u32) -> String,
        shown: &dyn Fn(&str, &str) -> String,
    ) -> ModelSummary {
        let m = &outcome.model;
        let labelled = outcome.labelled_matches > 0;
        ModelSummary {
            kind: "Fellegi-Sunter, weights trained by EM".to_string(),
            saved_model: None,
            prior_match: m.lambda,
            em_iterations: m.em_iterations,
            comparisons: m
                .comparisons
                .iter()
                .map(|c| ComparisonSummary {
                    name: c.name.clone(),
                    levels: c.levels.clone(),
                    m: c.m.clone(),
                    u: c.u.clone(),
                })
                .collect(),
            blocking_rules: outcome
                .rules
                .iter()
                .map(|r| BlockingRule {
                    rule: r.name.clone(),
                    pairs: r.pairs,
                    windowed_blocks: r.windowed_blocks,
                    windowed_rows: r.windowed_rows,
                    max_block: outcome.max_block,
                    window: outcome.window,
                    sort_orders: r.sort_orders,
                    largest_windowed: r
                        .largest_windowed
                        .iter()
                        .map(|w| WindowedBlock {
                            key: w
                                .key
                                .iter()
                                .map(|(p, v)| (p.clone(), shown(p, v)))
                                .collect(),
                            records: w.rows,
                            windows: w.windows,
                            example: label(w.example_row),
                        })
                        .collect(),
                    labelled_reached: labelled.then_some(r.labelled_reached),
                })
                .collect(),
        }
    }
}

/// What labels changed: pairs they decided otherwise than the model alone, and each comparison level's m and u
/// (P(level | match), P(level | non-match)) before and after.
#[derive(Debug, Clone, Serialize)]
pub struct LabelReport {
    /// Labelled matches the model alone left below the threshold (or blocking never compared): now accepted.
    pub accepted_by_labels: u64,
    /// Labelled non-matches the model alone accepted: now rejected.
    pub rejected_by_labels: u64,
    /// Labelled pairs decided as the model alone had them.
    pub agreed_with_model: u64,
    /// Blocking recall on the labels: of the labelled matches, how many blocking made candidate pairs.
    pub labelled_matches: u64,
    pub labelled_matches_blocked: u64,
    /// Every comparison level (but null), largest move first.
    pub weights_moved: Vec<WeightMove>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeightMove {
    pub comparison: String,
    pub level: String,
    pub m_before: f64,
    pub m_after: f64,
    pub u_before: f64,
    pub u_after: f64,
}

impl WeightMove {
    /// How the level's weight moved, in bits (log2 of m/u after, less before).
    pub fn signed_bits(&self) -> f64 {
        let w = |m: f64, u: f64| (m / u).log2();
        w(self.m_after, self.u_after) - w(self.m_before, self.u_before)
    }

    fn bits(&self) -> f64 {
        self.signed_bits().abs()
    }
}

/// A probability with four significant digits (0.9837, 0.0007988), so a small one still shows its move.
fn significant(p: f64) -> String {
    if p <= 0.0 || !p.is_finite() {
        return format!("{p}");
    }
    let decimals = (3 - p.log10().floor() as i64).clamp(0, 12) as usize;
    format!("{p:.decimals$}")
}

impl LabelReport {
    pub fn of(outcome: &Outcome) -> Option<LabelReport> {
        let e = outcome.label_effect.as_ref()?;
        let mut moved: Vec<WeightMove> = Vec::new();
        for (before, after) in e.before.comparisons.iter().zip(&outcome.model.comparisons) {
            for (l, level) in after.levels.iter().enumerate().skip(1) {
                let (Some(&mb), Some(&ma), Some(&ub), Some(&ua)) = (
                    before.m.get(l),
                    after.m.get(l),
                    before.u.get(l),
                    after.u.get(l),
                ) else {
                    continue;
                };
                moved.push(WeightMove {
                    comparison: after.name.clone(),
                    level: level.clone(),
                    m_before: mb,
                    m_after: ma,
                    u_before: ub,
                    u_after: ua,
                });
            }
        }
        moved.sort_by(|a, b| b.bits().total_cmp(&a.bits()));
        Some(LabelReport {
            accepted_by_labels: e.accepted,
            rejected_by_labels: e.rejected,
            agreed_with_model: e.agreed,
            labelled_matches: outcome.labelled_matches,
            labelled_matches_blocked: outcome.labelled_reached,
            weights_moved: moved,
        })
    }

    /// For people: what the labels decided otherwise, and the weights that moved most.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "labels changed {} pair(s): {} accepted that the model alone did not accept, {} rejected that it \
             accepted; {} as the model alone had them",
            self.accepted_by_labels + self.rejected_by_labels,
            self.accepted_by_labels,
            self.rejected_by_labels,
            self.agreed_with_model
        )];
        let moves: Vec<String> = self
            .weights_moved
            .iter()
            .take(3)
            .map(|w| {
                format!(
                    "{} {} {:+.2} bits (m {} -> {}, u {} -> {})",
                    w.comparison,
                    w.level,
                    w.signed_bits(),
                    significant(w.m_before),
                    significant(w.m_after),
                    significant(w.u_before),
                    significant(w.u_after)
                )
            })
            .collect();
        if !moves.is_empty() {
            out.push(format!(
                "weights the labels moved most: {}",
                moves.join("; ")
            ));
        }
        out
    }
}

/// A blocking key part's value as summaries show it: derived codes (soundex, initials, a birth year) as they
/// are, a name or a field's value masked when the field holds personal data.
pub(super) fn shown_key_part(schema: &Schema, part: &str, value: &str) -> String {
    match part {
        "family_soundex" | "given_soundex" | "family_initial" | "given_initial"
        | "sorted_initials" | "any_name_soundex" | "any_name_initial" | "birth_year" => {
            value.to_string()
        }
        "name_sorted" => crate::privacy::mask::mask_value(
            crate::schema::FieldKind::Name,
            &value.replace('|', " "),
        ),
        "birth_date" => crate::validate::summary::masked(schema, "birth_date", value),
        field => crate::validate::summary::masked(
            schema,
            field.split_once(':').map_or(field, |(f, _)| f),
            value,
        ),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct IncrementalReport {
    pub golden_before: u64,
    pub new_rows: u64,
    pub new_rows_matched: u64,
    pub golden_changed: Vec<String>,
    pub golden_added: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkReport {
    pub rows_a: u64,
    pub rows_b: u64,
    pub rows_b_matched: u64,
}

/// Why two records do or do not match, with the labels people know them by.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    pub record_a: String,
    pub record_b: String,
    pub same_cluster: bool,
    pub threshold: f64,
    /// Values of the two records that failed validation and were compared as missing, and why
    /// (`birth_date: 2031-10-24 is in the future, compared as missing`).
    pub compared_as_missing: Vec<String>,
    #[serde(flatten)]
    pub explanation: Explanation,
}

impl Explained {
    /// For people: the verdict, then the weight of the prior, of each comparison and of each guard that fired.
    pub fn lines(&self) -> Vec<String> {
        let e = self;
        let mut out = Vec::new();
        let (same_cluster, threshold) = (e.same_cluster, e.threshold);
        let x = &e.explanation;
        if x.shared_blocking_keys.is_empty() {
            out.push(format!(
                "{} vs {}: never compared (no blocking key in common); had they been, match probability {:.4} \
                 (total weight {:.2} bits; accepted at {threshold}) -> {}",
                e.record_a,
                e.record_b,
                x.probability,
                x.total_weight,
                if same_cluster { "same customer (one cluster, through other records)" } else { "different clusters" }
            ));
        } else {
            out.push(format!(
                "{} vs {}: match probability {:.4} (total weight {:.2} bits; accepted at {threshold}) -> {}",
                e.record_a,
                e.record_b,
                x.probability,
                x.total_weight,
                if same_cluster { "same customer (one cluster)" } else { "different clusters" }
            ));
        }
        out.push(format!(
            "  {:<16} {:>8}  prior (share of candidate pairs that match)",
            "prior",
            format!("{:+.2}", x.prior_weight)
        ));
        for it in &x.items {
            out.push(format!(
                "  {:<16} {:>8}  {:<14} {:?} vs {:?}",
                it.comparison,
                format!("{:+.2}", it.weight),
                it.level_name,
                it.value_a,
                it.value_b
            ));
        }
        for (g, w) in &x.guards {
            out.push(format!("  {:<16} {:>8}  {g}", "guard", format!("{w:+.2}")));
        }
        for n in &e.compared_as_missing {
            out.push(format!("  note: {n}"));
        }
        out
    }
}

impl Report {
    /// For people: the reconciliation of rows, what was matched, and the time per stage.
    /// What a steward should know of how pairs were found: blocks compared within a window.
    pub fn notes(&self) -> Vec<String> {
        self.model
            .iter()
            .flat_map(|m| m.blocking_rules.iter().filter_map(BlockingRule::note))
            .collect()
    }

    pub fn lines(&self) -> Vec<String> {
        let r = self;
        let mut out = Vec::new();
        if let Some(i) = &r.incremental {
            out.push(format!(
                "{} new rows in = {} matched existing golden records + {} new golden records + {} merged among new rows",
                i.new_rows,
                i.new_rows_matched,
                i.golden_added,
                i.new_rows - i.new_rows_matched - i.golden_added.min(i.new_rows - i.new_rows_matched)
            ));
        } else if let Some(l) = &r.link {
            out.push(format!(
                "linked {} of {} rows of B to A ({} rows in A); {} rows in = {} + {}",
                l.rows_b_matched, l.rows_b, l.rows_a, r.rows_in, l.rows_a, l.rows_b
            ));
        } else {
            out.push(format!(
                "{} rows in = {} golden records + {} rows merged{}",
                r.rows_in,
                r.golden_records,
                r.rows_merged,
                if r.rows_rejected > 0 {
                    format!(" + {} rejected", r.rows_rejected)
                } else {
                    String::new()
                }
            ));
            let gated = if r.scored_on_birth_date > 0 {
                format!(
                    " ({} of them scored on birth dates that disagree outright)",
                    r.scored_on_birth_date
                )
            } else {
                String::new()
            };
            out.push(format!(
                "{} clusters with duplicates (largest {}); {} candidate pairs{gated}, {} accepted at p >= {}, {} to review (p >= {})",
                r.clusters_with_duplicates, r.largest_cluster, r.candidate_pairs, r.accepted_pairs, r.threshold, r.review_pairs, r.review_lower
            ));
            if let Some(path) = r.model.as_ref().and_then(|m| m.saved_model.as_ref()) {
                out.push(format!(
                    "scored with the saved model {path}{}",
                    if r.labels_used > 0 {
                        ", refined by the labels"
                    } else {
                        " (nothing trained on this data)"
                    }
                ));
            }
            if r.golden_records == 0 {
                out.push(
                    "no data rows to deduplicate: the outputs hold their header only".to_string(),
                );
            }
        }
        if r.clusters_flagged > 0 {
            out.push(format!(
                "{} cluster(s) were split or flagged by the chaining guard (members that did not all match one another)",
                r.clusters_flagged
            ));
        }
        if let Some(i) = &r.incremental {
            out.push(format!(
                "incremental: {} golden records before; {} new rows, {} matched existing customers; {} golden record(s) changed, {} added",
                i.golden_before,
                i.new_rows,
                i.new_rows_matched,
                i.golden_changed.len(),
                i.golden_added
            ));
        }
        if !r.compared_as_missing.is_empty() {
            let each: Vec<String> = r
                .compared_as_missing
                .iter()
                .map(|(f, n)| format!("{f} {}", crate::fields::text::grouped(*n)))
                .collect();
            out.push(format!(
                "values that fail validation compared as missing (evidence of nothing): {}",
                each.join(", ")
            ));
        }
        out.extend(r.notes());
        if r.labels_used > 0 {
            out.push(format!(
                "labels: {} decided pair(s) obeyed and used to refine the weights",
                r.labels_used
            ));
        }
        if let Some(l) = &r.labels {
            out.extend(l.lines());
        }
        if let Some((reached, matches)) = r.blocking_reached {
            let by_rule: Vec<String> = r
                .model
                .iter()
                .flat_map(|m| &m.blocking_rules)
                .filter_map(|b| {
                    let n = b.labelled_reached.filter(|n| *n > 0)?;
                    Some(format!("{} {n}", b.rule))
                })
                .collect();
            let mut line = format!(
                "blocking recall: the blocking rules made candidate pairs of {reached} of {matches} labelled \
                 matches ({:.1} %; by rule: {})",
                100.0 * reached as f64 / matches as f64,
                if by_rule.is_empty() {
                    "none".to_string()
                } else {
                    by_rule.join(", ")
                }
            );
            if reached == matches {
                line.push_str(
                    "; pairs from a review file were candidates by construction: add matches found another \
                     way to the labels to measure it",
                );
            } else {
                let missed: Vec<String> = r
                    .blocking_missed
                    .iter()
                    .map(|(a, b)| format!("{a} & {b}"))
                    .collect();
                line.push_str(&format!(
                    "; missed: {}{}",
                    missed.join(", "),
                    if (missed.len() as u64) < matches - reached {
                        ", ..."
                    } else {
                        ""
                    }
                ));
            }
            out.push(line);
        }
        out.push(format!(
            "time: {}",
            r.timings
                .iter()
                .map(|(n, s)| format!("{n} {s:.2}s"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        out
    }
}

/// What `dedupe_table` found. Each output is there when `DedupeOptions::outputs` asked for it.
pub struct Deduped<'a> {
    input: &'a Table,
    /// One record per cluster, in order of first appearance: `golden_id`, `cluster_size`, the input's columns
    /// (without `_source`, `_row`), then `_source`, `_row` of the base record and `_lineage`.
    pub golden: Option<Table>,
    /// The golden records planned, when `Outputs::golden_plan` asked for them so.
    pub golden_plan: Option<GoldenPlan>,
    /// Per input row: `golden_id`, `cluster_id`, `cluster_size`, `match_probability`, `record_id`; read
    /// through `clusters` and `merge_map`.
    per_row: Option<Table>,
    pub explained: Option<Explained>,
    pub report: Report,
    /// The model that scored the pairs with its configuration, as `--save-model` writes it.
    pub saved_model: Option<super::SavedModel>,
    outputs: super::Outputs,
    /// What pair rows are formatted from, kept when pairs or review rows were asked for.
    scored: Scored,
}

/// The scored pairs (at or above the review bound) and what their rows show: the compared fields as
/// matched (dates normalized), the comparisons and the model's weights.
#[derive(Default)]
struct Scored {
    pairs: Vec<ScoredPair>,
    /// Pairs in the review band (indexes into `pairs`), strongest first.
    review: Vec<usize>,
    /// Compared fields, and the columns they were matched on where those differ from the table's.
    fields: Vec<String>,
    normalized: Option<Prepared>,
    comparisons: Vec<(String, CompareKind)>,
    model: Option<Model>,
    id_col: Option<usize>,
    /// Why each review pair scored as it did (aligned with `review`), when review rows were asked for.
    explanations: Vec<Explanation>,
}

/// The columns of merge-map.csv (`Deduped::merge_map`).
pub const MERGE_MAP_COLUMNS: [&str; 7] = [
    "_source",
    "_row",
    "record_id",
    "golden_id",
    "cluster_id",
    "cluster_size",
    "match_probability",
];

/// Columns of `Deduped::per_row`.
const GOLDEN_ID: usize = 0;
const CLUSTER_ID: usize = 1;
const CLUSTER_SIZE: usize = 2;
const MATCH_PROBABILITY: usize = 3;
const RECORD_ID: usize = 4;

impl Deduped<'_> {
    /// The scored pairs (asked with `Outputs::pairs`) as `steward model score` writes them, the columns of
    /// `steward model sql`'s result: `row_a`, `row_b` (0-based rows), `id_a`, `id_b`, each comparison's
    /// level as a number, the guard bits, the weight and the probability at full precision.
    pub fn model_pairs(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let sc = &self.scored;
        let mut cols: Vec<String> = ["row_a", "row_b", "id_a", "id_b"]
            .map(String::from)
            .to_vec();
        cols.extend(sc.comparisons.iter().map(|(n, _)| format!("{n}_level")));
        cols.extend(["guard", "match_weight", "match_probability"].map(String::from));
        let rows = sc
            .pairs
            .iter()
            .map(|p| {
                let mut r = vec![
                    p.a.to_string(),
                    p.b.to_string(),
                    record_label(self.input, sc.id_col, p.a as usize),
                    record_label(self.input, sc.id_col, p.b as usize),
                ];
                r.extend(p.levels.iter().map(|l| l.to_string()));
                r.push(p.guard.to_string());
                r.push(format!("{:?}", p.weight));
                r.push(format!("{:?}", p.prob));
                r
            })
            .collect();
        (cols, rows)
    }

    /// Every input row with `golden_id`, `cluster_id`, `cluster_size`, `match_probability` (its best
    /// probability to another member; empty for a single record): the rows of clusters.csv.
    pub fn clusters(&self) -> Option<TableView<'_>> {
        let per_row = self.per_row.as_ref().filter(|_| self.outputs.clusters)?;
        let view = TableView::default().all(self.input);
        Some(
            [GOLDEN_ID, CLUSTER_ID, CLUSTER_SIZE, MATCH_PROBABILITY]
                .iter()
                .fold(view, |v, &c| v.column(per_row, c)),
        )
    }

    /// Per input row `_source`, `_row`, `record_id` (the id, else `source:row`), `golden_id`, `cluster_id`,
    /// `cluster_size`, `match_probability`: the rows of merge-map.csv, which trace every kept row to its golden
    /// record and let other systems update theirs.
    pub fn merge_map(&self) -> Option<TableView<'_>> {
        let per_row = self.per_row.as_ref().filter(|_| self.outputs.merge_map)?;
        let n = self.input.columns.len();
        let view = TableView::default()
            .column(self.input, n - 2)
            .column(self.input, n - 1);
        Some(
            [
                RECORD_ID,
                GOLDEN_ID,
                CLUSTER_ID,
                CLUSTER_SIZE,
                MATCH_PROBABILITY,
            ]
            .iter()
            .fold(view, |v, &c| v.column(per_row, c)),
        )
    }
}

impl Deduped<'_> {
    /// Every scored pair at or above the review bound, with the level and weight of each comparison.
    pub fn pairs(&self) -> Option<PairRows<'_>> {
        self.outputs.pairs.then(|| self.pair_rows(false))
    }

    /// Pairs in the review band, strongest first: both records' compared fields side by side and an empty
    /// `decision` column for a steward to fill in.
    pub fn review(&self) -> Option<PairRows<'_>> {
        self.outputs.review.then(|| self.pair_rows(true))
    }

    /// The review band as a steward decides it: each pair with both records' fields side by side and the
    /// weight of each comparison, and the threshold, band and model that put it there.
    pub fn review_set(&self) -> Option<ReviewSet> {
        if !self.outputs.review {
            return None;
        }
        let rows = self.pair_rows(true);
        let sc = &self.scored;
        let t = self.input;
        let nc = t.columns.len();
        let r = &self.report;
        let model = match &r.model {
            Some(m) => format!(
                "{} ({} EM iterations on this data; prior match probability {:.4}); {} comparison(s): {}{}",
                m.kind,
                m.em_iterations,
                m.prior_match,
                m.comparisons.len(),
                m.comparisons
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                if r.labels_used > 0 {
                    format!("; refined by {} labelled pair(s)", r.labels_used)
                } else {
                    String::new()
                }
            ),
            None => "not recorded".to_string(),
        };
        let pairs = sc
            .review
            .iter()
            .zip(&sc.explanations)
            .map(|(&i, e)| {
                let p = &sc.pairs[i];
                let (a, b) = (p.a as usize, p.b as usize);
                ReviewPair {
                    id_a: record_label(t, sc.id_col, a),
                    id_b: record_label(t, sc.id_col, b),
                    source_a: t.get(a, nc - 2).to_string(),
                    row_a: t.get(a, nc - 1).to_string(),
                    source_b: t.get(b, nc - 2).to_string(),
                    row_b: t.get(b, nc - 1).to_string(),
                    probability: p.prob,
                    weight: if p.weight.is_finite() {
                        p.weight
                    } else {
                        e.total_weight
                    },
                    values: rows
                        .fields
                        .iter()
                        .map(|(_, col)| {
                            [
                                col.map(|c| c.get(a)).unwrap_or("").to_string(),
                                col.map(|c| c.get(b)).unwrap_or("").to_string(),
                            ]
                        })
                        .collect(),
                    prior: e.prior_weight,
                    comparisons: e
                        .items
                        .iter()
                        .map(|it| Weighed {
                            comparison: it.comparison.clone(),
                            fields: it.fields.clone(),
                            level: it.level_name.clone(),
                            weight: it.weight,
                        })
                        .collect(),
                    guards: e.guards.clone(),
                }
            })
            .collect();
        Some(ReviewSet {
            threshold: r.threshold,
            review_lower: r.review_lower,
            model,
            fields: rows.fields.iter().map(|(n, _)| n.to_string()).collect(),
            pairs,
        })
    }

    fn pair_rows(&self, review: bool) -> PairRows<'_> {
        let sc = &self.scored;
        let t = self.input;
        // The id is shown once, as id_a and id_b.
        let id_name = sc.id_col.map(|c| t.columns[c].as_str());
        let fields = sc
            .fields
            .iter()
            .filter(|n| Some(n.as_str()) != id_name)
            .map(|n| {
                let col = match &sc.normalized {
                    Some(p) => p.shown(t, n),
                    None => t.column_index(n).map(|i| &t.data[i]),
                };
                (n.as_str(), col)
            })
            .collect();
        PairRows {
            t,
            scored: sc,
            fields,
            review,
        }
    }
}

/// Rows of pairs, formatted as they are written (pairs can outnumber the input's rows many times).
pub struct PairRows<'a> {
    t: &'a Table,
    scored: &'a Scored,
    fields: Vec<(&'a str, Option<&'a TextColumn>)>,
    review: bool,
}

impl Rows for PairRows<'_> {
    fn columns(&self) -> Vec<String> {
        let mut cols: Vec<String> = [
            "id_a",
            "id_b",
            "_source_a",
            "_row_a",
            "_source_b",
            "_row_b",
            "match_probability",
            "match_weight",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if self.review {
            cols.push("decision".into());
            for (name, _) in &self.fields {
                cols.push(format!("{name}_a"));
                cols.push(format!("{name}_b"));
            }
        }
        for (name, _) in &self.scored.comparisons {
            cols.push(format!("{name}_level"));
            cols.push(format!("{name}_weight"));
        }
        cols
    }

    fn len(&self) -> usize {
        if self.review {
            self.scored.review.len()
        } else {
            self.scored.pairs.len()
        }
    }

    fn for_each_row(&self, f: &mut dyn FnMut(&[&str]) -> anyhow::Result<()>) -> anyhow::Result<()> {
        let sc = self.scored;
        let pairs: Box<dyn Iterator<Item = &ScoredPair>> = if self.review {
            Box::new(sc.review.iter().map(|&i| &sc.pairs[i]))
        } else {
            Box::new(sc.pairs.iter())
        };
        for p in pairs {
            let row = self.row(p);
            f(&row.iter().map(String::as_str).collect::<Vec<_>>())?;
        }
        Ok(())
    }
}

impl PairRows<'_> {
    fn row(&self, p: &ScoredPair) -> Vec<String> {
        let (t, sc) = (self.t, self.scored);
        let nc = t.columns.len();
        let (a, b) = (p.a as usize, p.b as usize);
        let mut row = vec![
            record_label(t, sc.id_col, a),
            record_label(t, sc.id_col, b),
            t.get(a, nc - 2).to_string(),
            t.get(a, nc - 1).to_string(),
            t.get(b, nc - 2).to_string(),
            t.get(b, nc - 1).to_string(),
            format!("{:.6}", p.prob),
            if p.weight.is_finite() {
                format!("{:.2}", p.weight)
            } else {
                "label".into()
            },
        ];
        if self.review {
            row.push(String::new());
            for (_, col) in &self.fields {
                row.push(col.map(|c| c.get(a)).unwrap_or("").to_string());
                row.push(col.map(|c| c.get(b)).unwrap_or("").to_string());
            }
        }
        let weights = match &sc.model {
            Some(m) if p.levels.len() == m.comparisons.len() => m.contributions(&p.levels),
            _ => vec![0.0; p.levels.len()],
        };
        for (i, (_, kind)) in sc.comparisons.iter().enumerate() {
            let l = p.levels.get(i).copied().unwrap_or(0);
            row.push(
                level_names(*kind)
                    .get(l as usize)
                    .unwrap_or(&"?")
                    .to_string(),
            );
            row.push(format!("{:.2}", weights.get(i).copied().unwrap_or(0.0)));
        }
        row
    }
}

/// Deduplicate a table (columns as imported, `_source` and `_row` last) into clusters and golden records.
/// `labels` are decided pairs (row indexes of `t`): obeyed, and used to refine the weights. A table without
/// rows gives no golden record and empty outputs.
pub fn dedupe_table<'a>(
    schema: &Schema,
    t: &'a Table,
    opts: &DedupeOptions,
    labels: &[Label],
) -> Result<Deduped<'a>> {
    let tp = Instant::now();
    let norm = normalized_columns(schema, t, opts.today(), &opts.judged)?;
    let prepare_secs = tp.elapsed().as_secs_f64();
    let m = fit_to_model(matching_columns(schema, opts, (t, &norm), None), opts)?;
    let cfg = config_for(&m, opts, Mode::Dedupe)?;
    // A spilled table's pages go back to the kernel once the features hold what the engine compares.
    let release = || t.release();
    let mut input = stacked_input(&m, None);
    input.release = Some(&release);
    let id_col = t.column_index("id");
    let explain_rows = match &opts.explain {
        Some((a, b)) => Some((find_row(t, id_col, a)?, find_row(t, id_col, b)?)),
        None => None,
    };
    let outcome = super::run_with(
        &input,
        &cfg,
        labels,
        opts.model.as_ref().map(|m| &m.saved.model),
        opts.scored.as_deref().map(Vec::as_slice),
    );
    let explained = explain_rows.map(|(a, b)| {
        let mut explanation = explain(&input, &cfg, &outcome.model, a, b);
        let mut compared_as_missing = Vec::new();
        for it in &mut explanation.items {
            for field in &it.fields {
                let Some(kind) = m.names.iter().position(|n| n == field).map(|i| m.kinds[i]) else {
                    continue;
                };
                for (r, value) in [(a, &mut it.value_a), (b, &mut it.value_b)] {
                    if let Some(why) = norm.why_invalid(t, field, kind, r) {
                        // The engine saw nothing there: show what was written.
                        *value = t
                            .column_index(field)
                            .map(|c| t.get(r, c).to_string())
                            .unwrap_or_default();
                        if !compared_as_missing.contains(&why) {
                            compared_as_missing.push(why);
                        }
                    }
                }
            }
        }
        Explained {
            record_a: record_label(t, id_col, a),
            record_b: record_label(t, id_col, b),
            same_cluster: outcome.cluster[a] == outcome.cluster[b],
            threshold: cfg.threshold,
            compared_as_missing,
            explanation,
        }
    });
    let mut report = Report {
        rows_in: t.len() as u64,
        candidate_pairs: outcome.candidate_pairs,
        scored_on_birth_date: outcome.birth_gated,
        threshold: cfg.threshold,
        review_lower: cfg.review_lower,
        labels_used: labels.len() as u64,
        compared_as_missing: norm.invalid.clone(),
        blocking_reached: (outcome.labelled_matches > 0)
            .then_some((outcome.labelled_reached, outcome.labelled_matches)),
        ..Report::default()
    };
    report.timings = engine_timings(&outcome);
    // The matching view (dates read, invalid values judged) before the engine.
    report
        .timings
        .insert(0, ("prepare".to_string(), prepare_secs));
    report.model = Some(ModelSummary::of(
        &outcome,
        &|r| record_label(t, id_col, r as usize),
        &|p, v| shown_key_part(schema, p, v),
    ));
    if let (Some(mf), Some(summary)) = (&opts.model, report.model.as_mut()) {
        summary.saved_model = Some(mf.path.clone());
        summary.kind = format!(
            "Fellegi-Sunter, weights of the saved model {} (trained on {} rows){}",
            mf.path,
            crate::fields::text::grouped(mf.saved.trained.rows),
            if labels.is_empty() {
                ""
            } else {
                ", refined by EM with the labels"
            }
        );
    }
    report.labels = LabelReport::of(&outcome);
    report.blocking_missed = outcome
        .labelled_missed
        .iter()
        .take(MISSED_SHOWN)
        .map(|&(a, b)| {
            (
                record_label(t, id_col, a as usize),
                record_label(t, id_col, b as usize),
            )
        })
        .collect();
    let fields: Vec<(String, super::FieldKind)> = m
        .names
        .iter()
        .cloned()
        .zip(m.kinds.iter().copied())
        .collect();
    let saved_model = super::SavedModel::new(
        &cfg,
        &fields,
        &outcome.model,
        super::saved::Trained {
            rows: t.len() as u64,
            candidate_pairs: outcome.candidate_pairs,
            labels: labels.len() as u64,
            em_iterations: outcome.model.em_iterations,
            refined: opts.model.is_some(),
        },
    );
    // A saved model not refined by labels is the file it came from, unchanged.
    let saved_model = match &opts.model {
        Some(mf) if labels.is_empty() => mf.saved.clone(),
        _ => saved_model,
    };
    let tw = Instant::now();
    let mut d = outputs(schema, opts, t, id_col, &cfg, outcome, &mut report)?;
    d.saved_model = Some(saved_model);
    // The explanation of each review pair (its waterfall), timed on its own.
    let survive_secs = tw.elapsed().as_secs_f64();
    let te = Instant::now();
    if opts.outputs.review {
        if let Some(model) = &d.scored.model {
            let sc = &d.scored;
            let explanations = sc
                .review
                .iter()
                .map(|&i| {
                    let p = &sc.pairs[i];
                    explain(&input, &cfg, model, p.a as usize, p.b as usize)
                })
                .collect();
            d.scored.explanations = explanations;
        }
    }
    if opts.outputs.pairs || opts.outputs.review {
        // Pair rows show the compared fields as they were matched.
        d.scored.fields = m.names.clone();
        d.scored.normalized = Some(norm);
    }
    report.timings.push(("survive".to_string(), survive_secs));
    if opts.outputs.review {
        report
            .timings
            .push(("review".to_string(), te.elapsed().as_secs_f64()));
    }
    d.explained = explained;
    d.report = report;
    Ok(d)
}

/// Seconds per engine stage, for the report.
pub(super) fn engine_timings(outcome: &Outcome) -> Vec<(String, f64)> {
    outcome
        .timings
        .iter()
        .map(|(n, s)| (n.to_string(), *s))
        .collect()
}

/// The golden id of the `i`-th golden record (0-based), in order of first appearance.
pub fn golden_id_of(i: usize) -> String {
    format!("G{:07}", i + 1)
}

#[allow(clippy::too_many_arguments)]
fn outputs<'a>(
    schema: &Schema,
    opts: &DedupeOptions,
    t: &'a Table,
    id_col: Option<usize>,
    cfg: &Config,
    outcome: Outcome,
    report: &mut Report,
) -> Result<Deduped<'a>> {
    let want = opts.outputs;
    let n = t.len();
    let ncl = outcome
        .cluster
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    // Each cluster's rows, ascending (one buffer and offsets), and the clusters in order of their first row.
    let mut offsets = vec![0usize; ncl + 1];
    for &c in &outcome.cluster {
        offsets[c as usize + 1] += 1;
    }
    for c in 0..ncl {
        offsets[c + 1] += offsets[c];
    }
    let mut rows = vec![0usize; n];
    let mut next = offsets.clone();
    let mut order: Vec<usize> = Vec::with_capacity(ncl);
    for (r, &c) in outcome.cluster.iter().enumerate() {
        let c = c as usize;
        if next[c] == offsets[c] {
            order.push(c);
        }
        rows[next[c]] = r;
        next[c] += 1;
    }
    drop(next);
    let members = |c: usize| &rows[offsets[c]..offsets[c + 1]];
    // Golden ids in order of first appearance.
    let mut rank = vec![0u32; ncl];
    for (i, &c) in order.iter().enumerate() {
        rank[c] = i as u32;
    }
    let golden_id = |c: usize| golden_id_of(rank[c] as usize);
    // Best probability of each row to another member of its cluster.
    let mut best = vec![0f64; n];
    let mut accepted = 0u64;
    let mut review: Vec<usize> = Vec::new();
    for (i, p) in outcome.pairs.iter().enumerate() {
        let (a, b) = (p.a as usize, p.b as usize);
        if p.prob >= cfg.threshold {
            accepted += 1;
        } else if p.prob >= cfg.review_lower {
            review.push(i);
        }
        if outcome.cluster[a] == outcome.cluster[b] {
            best[a] = best[a].max(p.prob);
            best[b] = best[b].max(p.prob);
        }
    }
    // Pairs no output shows go now, before the golden records are planned.
    let mut outcome = outcome;
    if !(want.pairs || want.review) {
        outcome.pairs = Vec::new();
    }
    report.accepted_pairs = accepted;
    report.review_pairs = review.len() as u64;
    report.golden_records = ncl as u64;
    report.rows_merged = n as u64 - ncl as u64;
    report.clusters_with_duplicates = (0..ncl).filter(|&c| members(c).len() > 1).count() as u64;
    report.largest_cluster = (0..ncl).map(|c| members(c).len()).max().unwrap_or(0) as u64;
    report.clusters_flagged = outcome.flagged_clusters.len() as u64;

    let (golden, golden_plan) = if want.golden || want.golden_plan {
        let surv = Survivor::new(t, schema, opts)?;
        let plan = surv.golden_plan(ncl, &|i| members(order[i]), &golden_id_of, None);
        if want.golden_plan {
            // Planning read every column of every cluster's rows: a spilled table's pages go back to the
            // kernel until the plan's gather reads them again, column by column (at 10M rows 1.75 GiB of them
            // stayed mapped while the merge map was built, the dedupe stage's peak).
            t.release();
            (None, Some(plan))
        } else {
            (Some(plan.build(t)?), None)
        }
    } else {
        (None, None)
    };
    let per_row = if want.clusters || want.merge_map {
        // Column by column, in parallel: no row of Strings per record.
        let names = [
            "golden_id",
            "cluster_id",
            "cluster_size",
            "match_probability",
            "record_id",
        ];
        let data = (0..names.len())
            .into_par_iter()
            .map(|j| -> Result<TextColumn> {
                let mut col = TextColumn::with_capacity(n);
                let mut buf = String::new();
                for (r, &best_r) in best.iter().enumerate() {
                    let c = outcome.cluster[r] as usize;
                    let size = members(c).len();
                    buf.clear();
                    match j {
                        0 => buf.push_str(&golden_id(c)),
                        1 => write!(buf, "{c}")?,
                        2 => write!(buf, "{size}")?,
                        3 if size > 1 => write!(buf, "{best_r:.4}")?,
                        3 => {}
                        _ => buf.push_str(&record_label(t, id_col, r)),
                    }
                    col.push(&buf)?;
                }
                Ok(col)
            })
            .collect::<Result<Vec<_>>>()?;
        Some(Table {
            columns: names.iter().map(|c| c.to_string()).collect(),
            data,
        })
    } else {
        None
    };
    let scored = if want.pairs || want.review {
        review.sort_by(|&a, &b| outcome.pairs[b].prob.total_cmp(&outcome.pairs[a].prob));
        Scored {
            review,
            comparisons: cfg
                .comparisons
                .iter()
                .map(|c| (c.name.clone(), c.kind))
                .collect(),
            model: Some(outcome.model),
            pairs: outcome.pairs,
            id_col,
            ..Scored::default()
        }
    } else {
        Scored::default()
    };
    Ok(Deduped {
        input: t,
        golden,
        golden_plan,
        per_row,
        explained: None,
        saved_model: None,
        report: Report::default(),
        outputs: want,
        scored,
    })
}

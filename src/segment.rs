//! Customer value and lifecycle: RFM scores by quintiles, the RFM segment, A/B/C tiers by cumulative spend
//! (Pareto), and lifecycle stages; `segment_table` applies them to a table of customers. No I/O: `steward segment`
//! and `steward clean` read and write.

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

use crate::error::StewardError;
use crate::fields::{self, Level};
use crate::table::{Table, TextColumn};

/// Quintile scores 1-5 of the known values: the lowest fifth scores 1 (or 5 when `low_is_best`). Equal values
/// get equal scores (the score of their first position in sorted order); unknown values get none.
pub fn quintile_scores(values: &[Option<f64>], low_is_best: bool) -> Vec<Option<u8>> {
    let mut known: Vec<(f64, usize)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|x| (x, i)))
        .collect();
    // Unstable and parallel: equal values get one score whatever their order (the first of their run's).
    known.par_sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let n = known.len();
    let mut out = vec![None; values.len()];
    let mut first = 0usize;
    for pos in 0..n {
        if pos > 0 && known[pos].0 != known[pos - 1].0 {
            first = pos;
        }
        let q = (first * 5 / n) as u8 + 1;
        out[known[pos].1] = Some(if low_is_best { 6 - q } else { q });
    }
    out
}

/// The RFM segment of recency and frequency scores (1-5), by the widely used R-F grid.
pub fn rfm_segment(r: u8, f: u8) -> &'static str {
    match (r, f) {
        (1, 1) => "lost",
        (1..=2, 1..=2) => "hibernating",
        (1..=2, 3..=4) => "at risk",
        (1..=2, _) => "cannot lose",
        (3, 1..=2) => "about to sleep",
        (3, 3) => "need attention",
        (3..=4, 4..=5) => "loyal",
        (4, 1) => "promising",
        (5, 1) => "new",
        (4..=5, 2..=3) => "potential loyalist",
        _ => "champions",
    }
}

/// Value tiers by cumulative share of spend: A for the customers making the first `a` percent of all spend
/// (largest first), B up to `b` percent, C the rest (also customers with no spend). Unknown spend: no tier.
pub fn value_tiers(spend: &[Option<f64>], a: f64, b: f64) -> Vec<Option<char>> {
    let mut order: Vec<usize> = (0..spend.len()).filter(|&i| spend[i].is_some()).collect();
    // A total order (ties by row), so the parallel unstable sort gives the one result.
    order.par_sort_unstable_by(|&x, &y| {
        spend[y]
            .unwrap_or(0.0)
            .total_cmp(&spend[x].unwrap_or(0.0))
            .then(x.cmp(&y))
    });
    let total: f64 = order
        .iter()
        .map(|&i| spend[i].unwrap_or(0.0).max(0.0))
        .sum();
    let mut out = vec![None; spend.len()];
    let mut before = 0.0f64;
    for &i in &order {
        let v = spend[i].unwrap_or(0.0).max(0.0);
        // A customer belongs to the tier in which their spend starts.
        let share = if total > 0.0 {
            before / total * 100.0
        } else {
            100.0
        };
        out[i] = Some(if v <= 0.0 {
            'C'
        } else if share < a {
            'A'
        } else if share < b {
            'B'
        } else {
            'C'
        });
        before += v;
    }
    out
}

/// Thresholds of the lifecycle stages.
#[derive(Debug, Clone, Copy)]
pub struct StageRules {
    pub new_days: i64,
    pub loyal_orders: i64,
    pub at_risk_days: i64,
    pub churn_days: i64,
}

impl Default for StageRules {
    /// The thresholds `steward segment` uses unless told otherwise (its flags' defaults).
    fn default() -> StageRules {
        StageRules {
            new_days: 90,
            loyal_orders: 5,
            at_risk_days: 180,
            churn_days: 365,
        }
    }
}

/// The lifecycle stage of a customer from their order count and days since the last purchase.
/// `None` means missing or invalid.
pub fn lifecycle_stage(
    orders: Option<i64>,
    recency_days: Option<i64>,
    r: &StageRules,
) -> &'static str {
    match (orders, recency_days) {
        (Some(0), _) => "prospect",
        (None, None) => "unknown",
        (_, None) => "unknown",
        (o, Some(d)) => {
            if d > r.churn_days {
                "churned"
            } else if d > r.at_risk_days {
                "at risk"
            } else if o == Some(1) && d <= r.new_days {
                "new"
            } else if o.is_some_and(|o| o >= r.loyal_orders) {
                "loyal"
            } else {
                "active"
            }
        }
    }
}

/// What segmentation needs besides the table.
#[derive(Debug, Clone, Copy)]
pub struct SegmentOptions {
    /// Recency is counted in days up to this date.
    pub as_of: chrono::NaiveDate,
    pub rules: StageRules,
    /// Cumulative shares of spend (percent, 0 < A < B <= 100) that make tier A, and tiers A and B.
    pub tiers: (f64, f64),
}

/// Customers in one segment, tier or stage.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub name: String,
    pub customers: u64,
    pub share: f64,
    pub total_spend: f64,
    pub avg_spend: Option<f64>,
}

/// Counts of a segmentation, each list of groups reconciling to `rows`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub rows: u64,
    pub as_of: String,
    /// Rows whose last purchase date is missing or not a date.
    pub last_purchase_missing: u64,
    pub last_purchase_invalid: u64,
    pub orders_missing: u64,
    pub orders_invalid: u64,
    pub spend_missing: u64,
    pub spend_invalid: u64,
    /// Customers with an RFM score (all three figures known).
    pub scored: u64,
    pub segments: Vec<Group>,
    pub tiers: Vec<Group>,
    pub stages: Vec<Group>,
}

/// A figure read from a column: the value, or why there is none.
enum Figure<T> {
    Missing,
    Invalid,
    Value(T),
}

/// The columns segmentation adds, before `_source` and `_row`.
pub const SEGMENT_COLUMNS: [&str; 9] = [
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

/// The segments of a table: each of its rows with the segment columns added before `_source` and `_row`
/// (the rows of segments.csv), produced on demand from per-row figures rather than held as text.
pub struct Segments<'t> {
    table: &'t Table,
    recency: Vec<Option<i64>>,
    orders: Vec<Option<i64>>,
    spend: Vec<Option<f64>>,
    r_scores: Vec<Option<u8>>,
    f_scores: Vec<Option<u8>>,
    m_scores: Vec<Option<u8>>,
    segment: Vec<&'static str>,
    tier: Vec<Option<char>>,
    stage: Vec<&'static str>,
}

impl<'t> Segments<'t> {
    /// The table's columns with the segment columns before `_source` and `_row`.
    pub fn columns(&self) -> Vec<String> {
        let t = self.table;
        let mut cols = t.columns[..t.columns.len() - 2].to_vec();
        cols.extend(SEGMENT_COLUMNS.iter().map(|s| s.to_string()));
        cols.extend(["_source".to_string(), "_row".to_string()]);
        cols
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Row `r` into `row` (emptied first): the input values, then the segment columns, then `_source`, `_row`.
    pub fn row_into<'s>(&'s self, r: usize, row: &mut Vec<Cow<'s, str>>) {
        let t = self.table;
        let nc = t.columns.len();
        let opt = |v: Option<u8>| v.map(|x| x.to_string()).unwrap_or_default();
        row.clear();
        row.extend((0..nc - 2).map(|c| Cow::Borrowed(t.get(r, c))));
        row.push(
            self.recency[r]
                .map(|d| d.to_string())
                .unwrap_or_default()
                .into(),
        );
        row.push(
            self.orders[r]
                .map(|o| o.to_string())
                .unwrap_or_default()
                .into(),
        );
        row.push(
            self.spend[r]
                .map(|s| format!("{s:.2}"))
                .unwrap_or_default()
                .into(),
        );
        row.push(opt(self.r_scores[r]).into());
        row.push(opt(self.f_scores[r]).into());
        row.push(opt(self.m_scores[r]).into());
        row.push(self.segment[r].into());
        row.push(
            self.tier[r]
                .map(|c| c.to_string())
                .unwrap_or_default()
                .into(),
        );
        row.push(self.stage[r].into());
        row.push(t.get(r, nc - 2).into());
        row.push(t.get(r, nc - 1).into());
    }

    /// Every row as owned text, in order.
    pub fn rows(&self) -> impl Iterator<Item = Vec<String>> + '_ {
        let mut row = Vec::new();
        (0..self.len()).map(move |r| {
            self.row_into(r, &mut row);
            row.drain(..).map(Cow::into_owned).collect()
        })
    }

    /// The segment columns (`SEGMENT_COLUMNS`, in order), built column by column in parallel: what
    /// `row_into` puts between the input values and `_source`, without a row of Strings per customer.
    pub fn segment_columns(&self) -> Result<Vec<TextColumn>> {
        use rayon::prelude::*;
        use std::fmt::Write as _;
        let n = self.len();
        (0..SEGMENT_COLUMNS.len())
            .into_par_iter()
            .map(|j| -> Result<TextColumn> {
                let mut col = TextColumn::with_capacity(n);
                let mut buf = String::new();
                let opt = |buf: &mut String, v: Option<u8>| -> std::fmt::Result {
                    match v {
                        Some(x) => write!(buf, "{x}"),
                        None => Ok(()),
                    }
                };
                for r in 0..n {
                    buf.clear();
                    match j {
                        0 => {
                            if let Some(d) = self.recency[r] {
                                write!(buf, "{d}")?;
                            }
                        }
                        1 => {
                            if let Some(o) = self.orders[r] {
                                write!(buf, "{o}")?;
                            }
                        }
                        2 => {
                            if let Some(s) = self.spend[r] {
                                write!(buf, "{s:.2}")?;
                            }
                        }
                        3 => opt(&mut buf, self.r_scores[r])?,
                        4 => opt(&mut buf, self.f_scores[r])?,
                        5 => opt(&mut buf, self.m_scores[r])?,
                        6 => buf.push_str(self.segment[r]),
                        7 => {
                            if let Some(c) = self.tier[r] {
                                buf.push(c);
                            }
                        }
                        _ => buf.push_str(self.stage[r]),
                    }
                    col.push(&buf)?;
                }
                Ok(col)
            })
            .collect()
    }

    /// The segments as a table of their own.
    pub fn to_table(&self) -> Result<Table> {
        let mut out = self.table.clone();
        let at = out.columns.len() - 2;
        for (k, col) in self.segment_columns()?.into_iter().enumerate() {
            out.insert_column(at + k, SEGMENT_COLUMNS[k], col);
        }
        Ok(out)
    }
}

/// Segment the customers of a table: recency, order count and spend read from `last_purchase_date`, `orders`
/// and `total_spend`; RFM quintile scores and segment for customers with all three (and an order); value tier
/// by cumulative spend; lifecycle stage. The summary counts missing and invalid figures and each group.
pub fn segment_table<'t>(t: &'t Table, opts: &SegmentOptions) -> Result<(Segments<'t>, Summary)> {
    let as_of = opts.as_of;
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
    let recency: Vec<Figure<i64>> = figures(t, lp, |v| {
        let c = fields::date::check_date(v, &date_opts);
        match chrono::NaiveDate::parse_from_str(c.value.get(..10).unwrap_or(""), "%Y-%m-%d") {
            Ok(d) if !bad(&c) && d <= as_of => Some((as_of - d).num_days()),
            _ => None,
        }
    });
    let orders: Vec<Figure<i64>> = figures(t, oc, |v| {
        let c = fields::number::check_integer(v);
        c.value.parse::<i64>().ok().filter(|o| !bad(&c) && *o >= 0)
    });
    let spend: Vec<Figure<f64>> = figures(t, sc, |v| {
        let c = fields::number::check_money(v, false);
        c.value
            .parse::<f64>()
            .ok()
            .filter(|s| !bad(&c) && *s >= 0.0 && s.is_finite())
    });
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
    // The four rankings at once (each sorts on both cores; their other passes are one core's).
    let ((r_scores, f_scores), (m_scores, tiers)) = rayon::join(
        || {
            rayon::join(
                || {
                    quintile_scores(
                        &masked(recency.iter().map(|f| val_i(f).map(|d| d as f64)).collect()),
                        true,
                    )
                },
                || {
                    quintile_scores(
                        &masked(orders.iter().map(|f| val_i(f).map(|o| o as f64)).collect()),
                        false,
                    )
                },
            )
        },
        || {
            rayon::join(
                || quintile_scores(&masked(spend_v.clone()), false),
                || value_tiers(&spend_v, opts.tiers.0, opts.tiers.1),
            )
        },
    );

    let segment: Vec<&'static str> = (0..n)
        .map(|r| match (r_scores[r], f_scores[r]) {
            (Some(rs), Some(fs)) => rfm_segment(rs, fs),
            _ => "",
        })
        .collect();
    let stage: Vec<&'static str> = (0..n)
        .map(|r| lifecycle_stage(val_i(&orders[r]), val_i(&recency[r]), &opts.rules))
        .collect();
    let seg_labels: Vec<&str> = segment
        .iter()
        .map(|s| if s.is_empty() { "(not scored)" } else { s })
        .collect();
    let tier_labels: Vec<&str> = tiers
        .iter()
        .map(|t| match t {
            Some('A') => "A",
            Some('B') => "B",
            Some(_) => "C",
            None => "(spend unknown)",
        })
        .collect();
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
            &stage,
            &spend_v,
            &[
                "prospect", "new", "active", "loyal", "at risk", "churned", "unknown",
            ],
        )?,
    };
    let segments = Segments {
        table: t,
        recency: recency.iter().map(val_i).collect(),
        orders: orders.iter().map(val_i).collect(),
        spend: spend_v,
        r_scores,
        f_scores,
        m_scores,
        segment,
        tier: tiers,
        stage,
    };
    Ok((segments, summary))
}

/// One figure of every row of column `col`: missing when blank, else what `read` makes of the value (invalid
/// when None). Rows on every core, each piece with its own memo: dates, counts and amounts repeat a lot, so each
/// distinct spelling is read once a piece. (One core did this at 10M rows: the stage ran at 1.0-1.3 cores.)
fn figures<T: Copy + Send>(
    t: &Table,
    col: usize,
    read: impl Fn(&str) -> Option<T> + Sync,
) -> Vec<Figure<T>> {
    (0..t.len())
        .into_par_iter()
        .with_min_len(16384)
        .map_init(foldhash::HashMap::<&str, Option<T>>::default, |memo, r| {
            let v = t.get(r, col);
            if v.trim().is_empty() {
                return Figure::Missing;
            }
            memo.entry(v)
                .or_insert_with(|| read(v))
                .map_or(Figure::Invalid, Figure::Value)
        })
        .collect()
}

/// Group customers by a label: count, total and mean spend (compensated sums, so a total of cents stays
/// exact to the cent however many rows), in `order`, then labels outside it as they first appear.
fn summarize(labels: &[&str], spend: &[Option<f64>], order: &[&str]) -> Result<Vec<Group>> {
    #[derive(Default)]
    struct Acc {
        customers: u64,
        with_spend: u64,
        sum: f64,
        compensation: f64,
    }
    let n = labels.len() as f64;
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut accs: Vec<(&str, Acc)> = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let at = *index.entry(label).or_insert_with(|| {
            accs.push((label, Acc::default()));
            accs.len() - 1
        });
        let acc = &mut accs[at].1;
        acc.customers += 1;
        if let Some(x) = spend.get(i).copied().flatten() {
            // Neumaier's summation.
            let t = acc.sum + x;
            acc.compensation += if acc.sum.abs() >= x.abs() {
                (acc.sum - t) + x
            } else {
                (x - t) + acc.sum
            };
            acc.sum = t;
            acc.with_spend += 1;
        }
    }
    let mut groups: Vec<Group> = accs
        .into_iter()
        .map(|(name, a)| {
            let total = a.sum + a.compensation;
            Group {
                name: name.to_string(),
                customers: a.customers,
                share: a.customers as f64 / n.max(1.0),
                total_spend: (total * 100.0).round() / 100.0,
                avg_spend: (a.with_spend > 0)
                    .then(|| (total / a.with_spend as f64 * 100.0).round() / 100.0),
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quintiles_by_hand() {
        let v: Vec<Option<f64>> = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
            .iter()
            .map(|x| Some(*x))
            .collect();
        let s: Vec<u8> = quintile_scores(&v, false).into_iter().flatten().collect();
        assert_eq!(s, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        let r: Vec<u8> = quintile_scores(&v, true).into_iter().flatten().collect();
        assert_eq!(r, [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
        let ties = quintile_scores(&[Some(1.0), Some(1.0), Some(1.0), Some(9.0), None], false);
        assert_eq!(ties, [Some(1), Some(1), Some(1), Some(4), None]);
    }

    #[test]
    fn pareto_tiers_by_hand() {
        // Total 1000: 500 (0-50%) A, 300 (50-80%) A, 100 (80-90%) B, 50 (90-95%) B, 50 (95-100%) C.
        let spend = [
            Some(100.0),
            Some(500.0),
            Some(50.0),
            Some(300.0),
            Some(50.0),
            Some(0.0),
            None,
        ];
        let t = value_tiers(&spend, 80.0, 95.0);
        assert_eq!(
            t,
            [
                Some('B'),
                Some('A'),
                Some('B'),
                Some('A'),
                Some('C'),
                Some('C'),
                None
            ]
        );
    }

    #[test]
    fn stages_by_hand() {
        let r = StageRules {
            new_days: 90,
            loyal_orders: 5,
            at_risk_days: 180,
            churn_days: 365,
        };
        assert_eq!(lifecycle_stage(Some(0), None, &r), "prospect");
        assert_eq!(lifecycle_stage(None, None, &r), "unknown");
        assert_eq!(lifecycle_stage(Some(3), None, &r), "unknown");
        assert_eq!(lifecycle_stage(Some(1), Some(30), &r), "new");
        assert_eq!(lifecycle_stage(Some(1), Some(120), &r), "active");
        assert_eq!(lifecycle_stage(Some(8), Some(10), &r), "loyal");
        assert_eq!(lifecycle_stage(Some(8), Some(200), &r), "at risk");
        assert_eq!(lifecycle_stage(Some(8), Some(400), &r), "churned");
        assert_eq!(rfm_segment(5, 5), "champions");
        assert_eq!(rfm_segment(1, 1), "lost");
        assert_eq!(rfm_segment(1, 5), "cannot lose");
        assert_eq!(rfm_segment(3, 3), "need attention");
    }

    proptest! {
        #[test]
        fn every_score_pair_has_a_segment_and_scores_stay_in_range(
            v in proptest::collection::vec(proptest::option::of(0.0f64..1e6), 0..200)
        ) {
            for r in 1..=5 { for f in 1..=5 { prop_assert!(!rfm_segment(r, f).is_empty()); } }
            let s = quintile_scores(&v, false);
            prop_assert_eq!(s.iter().filter(|x| x.is_some()).count(), v.iter().filter(|x| x.is_some()).count());
            prop_assert!(s.iter().flatten().all(|&q| (1..=5).contains(&q)));
            let t = value_tiers(&v, 80.0, 95.0);
            prop_assert_eq!(t.iter().filter(|x| x.is_some()).count(), v.iter().filter(|x| x.is_some()).count());
        }
    }
}

//! Customer value and lifecycle: RFM scores by quintiles, the RFM segment, A/B/C tiers by cumulative spend
//! (Pareto), and lifecycle stages. Pure functions over per-customer figures; `steward segment` reads and writes.

/// Quintile scores 1-5 of the known values: the lowest fifth scores 1 (or 5 when `low_is_best`). Equal values
/// get equal scores (the score of their first position in sorted order); unknown values get none.
pub fn quintile_scores(values: &[Option<f64>], low_is_best: bool) -> Vec<Option<u8>> {
    let mut known: Vec<(f64, usize)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|x| (x, i)))
        .collect();
    known.sort_by(|a, b| a.0.total_cmp(&b.0));
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
    order.sort_by(|&x, &y| {
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

//! Reaching k-anonymity: quasi-identifiers generalized step by step (Datafly), then the records still in groups
//! smaller than k suppressed, within a bound on how many may be.

use anyhow::Result;
use chrono::NaiveDate;

use super::generalize::Generalization;
use super::risk::group_sizes;
use crate::error::StewardError;
use crate::schema::FieldKind;

/// How many records may be suppressed: a count, or a percentage of the records.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxSuppress {
    Count(u64),
    Percent(f64),
}

impl Default for MaxSuppress {
    fn default() -> Self {
        MaxSuppress::Percent(5.0)
    }
}

impl MaxSuppress {
    /// `5%` or `12`.
    pub fn parse(s: &str) -> Result<MaxSuppress> {
        let t = s.trim();
        let bad = || {
            StewardError::usage(format!(
                "--max-suppress takes a count or a percentage such as 5%, found {s:?}"
            ))
        };
        if let Some(p) = t.strip_suffix('%') {
            let p: f64 = p.trim().parse().map_err(|_| bad())?;
            if !(0.0..=100.0).contains(&p) {
                return Err(bad().into());
            }
            Ok(MaxSuppress::Percent(p))
        } else {
            Ok(MaxSuppress::Count(t.parse().map_err(|_| bad())?))
        }
    }

    /// The number of records of `rows` that may be suppressed.
    pub fn of(&self, rows: u64) -> u64 {
        match *self {
            MaxSuppress::Count(n) => n,
            MaxSuppress::Percent(p) => (rows as f64 * p / 100.0).floor() as u64,
        }
    }
}

/// Datafly-style k-anonymity: while more records than allowed sit in groups smaller than k, coarsen the
/// quasi-identifier with the most distinct values by one step; then suppress the records still below k.
/// Returns the final generalization per quasi-identifier (`None`: kept as it was) and which rows stay.
///
/// `values` holds each quasi-identifier's normalized values (one vector per column, a value per record),
/// `start` the generalization each column already has (`None`: kept as it is) and `kinds` their field kinds.
pub fn enforce_k(
    k: usize,
    values: &[Vec<String>],
    start: &[Option<Generalization>],
    kinds: &[FieldKind],
    max_suppress: u64,
    as_of: NaiveDate,
) -> (Vec<Option<Generalization>>, Vec<bool>) {
    let rows = values.first().map(Vec::len).unwrap_or(0);
    let mut levels: Vec<Option<Generalization>> = start.to_vec();
    loop {
        let current: Vec<Vec<String>> = values
            .iter()
            .zip(&levels)
            .map(|(col, g)| match g {
                Some(g) => col.iter().map(|v| g.apply(v, as_of)).collect(),
                None => col.clone(),
            })
            .collect();
        let keys: Vec<&[String]> = current.iter().map(|c| c.as_slice()).collect();
        let all: Vec<usize> = (0..values.len()).collect();
        let sizes = group_sizes(&keys, rows, &all);
        let below = sizes.iter().filter(|&&s| (s as usize) < k).count() as u64;
        if below <= max_suppress {
            return (levels, sizes.iter().map(|&s| s as usize >= k).collect());
        }
        // Coarsen the column with the most distinct values that can still be coarsened.
        let mut best: Option<(usize, usize, Generalization)> = None;
        for (qi, col) in current.iter().enumerate() {
            let next = match levels[qi] {
                Some(g) => g.coarser(),
                None => {
                    let len = values[qi]
                        .iter()
                        .map(|v| v.chars().count())
                        .max()
                        .unwrap_or(0);
                    Some(Generalization::first_step(kinds[qi], len))
                }
            };
            let Some(next) = next else {
                continue;
            };
            let distinct = col.iter().collect::<std::collections::HashSet<_>>().len();
            if best.is_none_or(|(_, d, _)| distinct > d) {
                best = Some((qi, distinct, next));
            }
        }
        match best {
            Some((qi, _, next)) => levels[qi] = Some(next),
            None => return (levels, sizes.iter().map(|&s| s as usize >= k).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppression_bounds() {
        assert_eq!(MaxSuppress::parse("5%").unwrap().of(1000), 50);
        assert_eq!(MaxSuppress::parse(" 7 ").unwrap().of(1000), 7);
        assert_eq!(MaxSuppress::parse("0.5%").unwrap().of(999), 4);
        assert!(MaxSuppress::parse("150%").is_err());
        assert!(MaxSuppress::parse("x").is_err());
    }

    #[test]
    fn coarsens_until_every_group_has_k_records() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let dates: Vec<String> = ["1990-01-02", "1990-05-06", "1991-03-04", "1991-07-08"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (levels, keep) = enforce_k(2, &[dates], &[None], &[FieldKind::Date], 0, as_of);
        assert_eq!(levels, [Some(Generalization::Year)]);
        assert_eq!(keep, [true; 4]);
        // One record may go: the lone one is suppressed and nothing is coarsened.
        let one = vec![vec!["a".to_string(), "a".to_string(), "b".to_string()]];
        let (levels, keep) = enforce_k(2, &one, &[None], &[FieldKind::Enum], 1, as_of);
        assert_eq!((levels, keep), (vec![None], vec![true, true, false]));
        // None may go: the column is coarsened to nothing, and every record stays.
        let (levels, keep) = enforce_k(2, &one, &[None], &[FieldKind::Enum], 0, as_of);
        assert_eq!(levels, [Some(Generalization::Suppress)]);
        assert_eq!(keep, [true; 3]);
    }
}

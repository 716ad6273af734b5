//! Re-identification risk by k-anonymity: records are grouped by their quasi-identifiers (birth date,
//! gender, postcode...); a record in a group smaller than k is at risk of being singled out.

use anyhow::Result;
use serde::Serialize;
use std::collections::HashMap;

use super::policy::resolve_column;
use crate::schema::{ColumnMapping, PrivacyClass, Schema};

/// The quasi-identifier columns of a table: the `named` ones (schema field names, aliases or source headers),
/// else those `among` the given columns whose schema field is a quasi-identifier.
pub fn quasi_columns(
    named: &[String],
    columns: &[String],
    schema: &Schema,
    mappings: &[Vec<ColumnMapping>],
    among: impl IntoIterator<Item = usize>,
) -> Result<Vec<usize>> {
    if named.is_empty() {
        Ok(among
            .into_iter()
            .filter(|&i| {
                schema
                    .field(&columns[i])
                    .is_some_and(|f| f.privacy == PrivacyClass::Quasi)
            })
            .collect())
    } else {
        named
            .iter()
            .map(|q| resolve_column(q, columns, schema, mappings))
            .collect()
    }
}

/// Group sizes of rows by a set of key columns; `keys[c][r]` is column c's value in row r.
/// Returns, per row, the size of its group.
// Rows index every key column at once: a row loop is clearer than zipped column iterators.
#[allow(clippy::needless_range_loop)]
pub fn group_sizes(keys: &[&[String]], rows: usize, active: &[usize]) -> Vec<u32> {
    let mut ids: HashMap<Vec<&str>, u32> = HashMap::with_capacity(rows / 2 + 1);
    let mut group_of = Vec::with_capacity(rows);
    let mut sizes: Vec<u32> = Vec::new();
    for r in 0..rows {
        let k: Vec<&str> = active.iter().map(|&c| keys[c][r].as_str()).collect();
        let next = sizes.len() as u32;
        let g = *ids.entry(k).or_insert(next);
        if g == next {
            sizes.push(0);
        }
        sizes[g as usize] += 1;
        group_of.push(g);
    }
    group_of.into_iter().map(|g| sizes[g as usize]).collect()
}

/// The risk of one combination of quasi-identifiers.
#[derive(Debug, Clone, Serialize)]
pub struct Combination {
    pub columns: Vec<String>,
    pub groups: u64,
    pub smallest_group: u64,
    pub records_below_k: u64,
    pub share_below_k: f64,
    pub unique_records: u64,
}

/// A risk report.
#[derive(Debug, Clone, Serialize)]
pub struct RiskReport {
    pub rows: u64,
    pub k: usize,
    pub quasi_identifiers: Vec<String>,
    pub groups: u64,
    pub smallest_group: u64,
    pub records_below_k: u64,
    pub share_below_k: f64,
    /// Records alone in their group (k = 1): singled out by their quasi-identifiers.
    pub unique_records: u64,
    pub k_anonymous: bool,
    /// Group-size distribution: (size band, records).
    pub group_sizes: Vec<(String, u64)>,
    /// Subsets of the quasi-identifiers, riskiest first.
    pub riskiest_combinations: Vec<Combination>,
}

fn combination(
    names: &[String],
    keys: &[&[String]],
    rows: usize,
    active: &[usize],
    k: usize,
) -> (Combination, Vec<u32>) {
    let sizes = group_sizes(keys, rows, active);
    let below = sizes.iter().filter(|&&s| (s as usize) < k).count() as u64;
    let unique = sizes.iter().filter(|&&s| s == 1).count() as u64;
    let groups: f64 = sizes.iter().map(|&s| 1.0 / s as f64).sum();
    let c = Combination {
        columns: active.iter().map(|&i| names[i].clone()).collect(),
        groups: groups.round() as u64,
        smallest_group: sizes.iter().copied().min().unwrap_or(0) as u64,
        records_below_k: below,
        share_below_k: if rows == 0 {
            0.0
        } else {
            below as f64 / rows as f64
        },
        unique_records: unique,
    };
    (c, sizes)
}

/// Assess k-anonymity over every quasi-identifier, and over their subsets (all of them up to six columns;
/// beyond, each single column and each set missing one column).
pub fn assess(names: &[String], keys: &[&[String]], rows: usize, k: usize) -> RiskReport {
    let q = names.len();
    let all: Vec<usize> = (0..q).collect();
    let (whole, sizes) = combination(names, keys, rows, &all, k);
    let mut subsets: Vec<Vec<usize>> = Vec::new();
    if q <= 6 {
        for mask in 1u32..(1 << q) {
            if mask.count_ones() as usize == q {
                continue;
            }
            subsets.push((0..q).filter(|i| mask & (1 << i) != 0).collect());
        }
    } else {
        for i in 0..q {
            subsets.push(vec![i]);
            subsets.push((0..q).filter(|&j| j != i).collect());
        }
    }
    let mut combos: Vec<Combination> = vec![whole.clone()];
    combos.extend(
        subsets
            .iter()
            .map(|s| combination(names, keys, rows, s, k).0),
    );
    combos.sort_by(|a, b| {
        b.records_below_k
            .cmp(&a.records_below_k)
            .then(a.columns.len().cmp(&b.columns.len()))
    });
    combos.retain(|c| c.records_below_k > 0);
    combos.truncate(10);
    let bands: [(u32, u32, &str); 6] = [
        (1, 1, "1"),
        (2, 2, "2"),
        (3, 4, "3-4"),
        (5, 9, "5-9"),
        (10, 99, "10-99"),
        (100, u32::MAX, "100+"),
    ];
    let group_sizes = bands
        .iter()
        .map(|(lo, hi, name)| {
            (
                name.to_string(),
                sizes.iter().filter(|&&s| s >= *lo && s <= *hi).count() as u64,
            )
        })
        .collect();
    RiskReport {
        rows: rows as u64,
        k,
        quasi_identifiers: names.to_vec(),
        groups: whole.groups,
        smallest_group: whole.smallest_group,
        records_below_k: whole.records_below_k,
        share_below_k: whole.share_below_k,
        unique_records: whole.unique_records,
        k_anonymous: whole.records_below_k == 0,
        group_sizes,
        riskiest_combinations: combos,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn groups_and_records_below_k() {
        let year = col(&["1990", "1990", "1990", "1985", "1985", "1970"]);
        let sex = col(&["F", "F", "M", "M", "M", "F"]);
        let names = col(&["year", "sex"]);
        let keys: Vec<&[String]> = vec![&year, &sex];
        let r = assess(&names, &keys, 6, 2);
        assert_eq!(r.smallest_group, 1);
        // Groups: (1990,F)x2, (1990,M)x1, (1985,M)x2, (1970,F)x1.
        assert_eq!(r.groups, 4);
        assert_eq!(r.records_below_k, 2);
        assert_eq!(r.unique_records, 2);
        assert!(!r.k_anonymous);
        assert_eq!(r.riskiest_combinations[0].columns, names);
        let r1 = assess(&names, &keys, 6, 1);
        assert!(r1.k_anonymous);
    }
}

//! Re-identification risk by k-anonymity: records are grouped by their quasi-identifiers (birth date,
//! gender, postcode...); a record in a group smaller than k is at risk of being singled out.

use anyhow::Result;
use rayon::prelude::*;
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
    /// Columns of privacy class none (kept as they are when shared) on which, alone or together, most
    /// records are unique.
    pub kept_columns_singling_out: Vec<SinglingOut>,
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
        kept_columns_singling_out: Vec::new(),
    }
}

/// The columns of privacy class none (kept as they are when shared by default) that are not among `quasi`.
pub fn kept_columns(columns: &[String], schema: &Schema, quasi: &[usize]) -> Vec<usize> {
    (0..columns.len())
        .filter(|c| !quasi.contains(c))
        .filter(|&c| {
            schema
                .field(&columns[c])
                .is_some_and(|f| f.privacy == PrivacyClass::None)
        })
        .collect()
}

/// One column's values as integer codes (equal values, equal codes): what uniqueness is counted on, lean
/// enough for millions of rows.
#[derive(Debug, Clone, Default)]
pub struct CodedColumn {
    ids: foldhash::HashMap<String, u32>,
    codes: Vec<u32>,
}

impl CodedColumn {
    pub fn new() -> CodedColumn {
        CodedColumn::default()
    }

    pub fn push(&mut self, value: &str) {
        let next = self.ids.len() as u32;
        let code = match self.ids.get(value) {
            Some(&c) => c,
            None => {
                self.ids.insert(value.to_string(), next);
                next
            }
        };
        self.codes.push(code);
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    fn distinct(&self) -> usize {
        self.ids.len()
    }

    /// The codes of `f(value)` instead of the values: `f` (a normalization, costly) runs once per distinct
    /// value, not once per record.
    pub fn recode(&mut self, f: impl Fn(&str) -> String) {
        let mut by_old: Vec<u32> = vec![0; self.ids.len()];
        let mut ids: foldhash::HashMap<String, u32> = Default::default();
        for (value, &old) in &self.ids {
            let next = ids.len() as u32;
            by_old[old as usize] = *ids.entry(f(value)).or_insert(next);
        }
        for c in &mut self.codes {
            *c = by_old[*c as usize];
        }
        self.ids = ids;
    }
}

/// Kept columns, alone or together, on which most records are unique.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SinglingOut {
    pub columns: Vec<String>,
    /// Records alone in their group on these columns.
    pub unique_records: u64,
    pub records: u64,
}

impl SinglingOut {
    /// `4,238 of 4,926 records unique on signup_date+total_spend`.
    pub fn line(&self) -> String {
        format!(
            "{} of {} records unique on {}",
            thousands(self.unique_records),
            thousands(self.records),
            self.columns.join("+")
        )
    }
}

use crate::fields::text::grouped as thousands;

/// Columns looked at together, at most: the ones with the most distinct values (pairs of 8 columns are 28
/// passes, triples of the first 5 are 10 more: bounded work on any number of columns).
const PAIR_COLUMNS: usize = 8;
const TRIPLE_COLUMNS: usize = 5;

/// The single columns, pairs and triples of `columns` (kept as they are, not quasi-identifiers) on which
/// more than half of the records (those with `keep` true, or all) are unique, smallest sets first: a set is
/// not listed when a part of it already is. At most ten, most unique records first.
pub fn singling_out(
    names: &[String],
    columns: &[CodedColumn],
    keep: Option<&[bool]>,
) -> Vec<SinglingOut> {
    let rows: Vec<usize> = match keep {
        Some(k) => (0..k.len()).filter(|&r| k[r]).collect(),
        None => (0..columns.first().map_or(0, CodedColumn::len)).collect(),
    };
    let n = rows.len() as u64;
    if n < 2 {
        return Vec::new();
    }
    let most = |unique: u64| unique * 2 > n;
    // Columns by distinct values, most first; a column with a single value singles nobody out.
    let mut order: Vec<usize> = (0..columns.len())
        .filter(|&c| columns[c].distinct() > 1)
        .collect();
    order.sort_by_key(|&c| std::cmp::Reverse(columns[c].distinct()));
    // Up to three codes packed in one integer key: no allocation per row.
    let unique_on = |set: &[usize]| -> u64 {
        if let [c] = set {
            let mut counts = vec![0u32; columns[*c].distinct()];
            for &r in &rows {
                counts[columns[*c].codes[r] as usize] += 1;
            }
            return counts.iter().filter(|&&n| n == 1).count() as u64;
        }
        let mut counts: foldhash::HashMap<u128, u32> = Default::default();
        counts.reserve(rows.len());
        for &r in &rows {
            let key = set
                .iter()
                .fold(0u128, |k, &c| (k << 32) | u128::from(columns[c].codes[r]));
            *counts.entry(key).or_default() += 1;
        }
        counts.values().filter(|&&n| n == 1).count() as u64
    };
    // Singles, then pairs, then triples, each level's sets counted in parallel; a set is skipped when a
    // part of it was already found.
    let pairs = &order[..order.len().min(PAIR_COLUMNS)];
    let triples = &order[..order.len().min(TRIPLE_COLUMNS)];
    let levels: [Vec<Vec<usize>>; 3] = [
        order.iter().map(|&c| vec![c]).collect(),
        (0..pairs.len())
            .flat_map(|i| (i + 1..pairs.len()).map(move |j| vec![pairs[i], pairs[j]]))
            .collect(),
        (0..triples.len())
            .flat_map(|i| {
                (i + 1..triples.len()).flat_map(move |j| {
                    (j + 1..triples.len()).map(move |k| vec![triples[i], triples[j], triples[k]])
                })
            })
            .collect(),
    ];
    let mut found: Vec<(Vec<usize>, u64)> = Vec::new();
    for sets in levels {
        let todo: Vec<Vec<usize>> = sets
            .into_iter()
            .filter(|set| !found.iter().any(|(f, _)| f.iter().all(|c| set.contains(c))))
            .collect();
        let counted: Vec<(Vec<usize>, u64)> = todo
            .into_par_iter()
            .map(|set| {
                let u = unique_on(&set);
                (set, u)
            })
            .filter(|(_, u)| most(*u))
            .collect();
        found.extend(counted);
    }
    found.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then(b.1.cmp(&a.1)));
    found.truncate(10);
    found
        .into_iter()
        .map(|(set, u)| {
            let mut set = set;
            set.sort_unstable();
            SinglingOut {
                columns: set.iter().map(|&c| names[c].clone()).collect(),
                unique_records: u,
                records: n,
            }
        })
        .collect()
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

    fn coded(values: &[&str]) -> CodedColumn {
        let mut c = CodedColumn::new();
        for v in values {
            c.push(v);
        }
        c
    }

    #[test]
    fn kept_columns_that_single_records_out() {
        // Neither column alone makes most records unique; together they make 5 of 6 unique.
        let date = coded(&["d1", "d1", "d2", "d2", "d3", "d3"]);
        let spend = coded(&["10", "20", "10", "20", "10", "10"]);
        let flag = coded(&["y", "y", "y", "y", "y", "y"]);
        let names = col(&["signup_date", "total_spend", "consent"]);
        let cols = [date.clone(), spend.clone(), flag];
        let got = singling_out(&names, &cols, None);
        assert_eq!(
            got,
            vec![SinglingOut {
                columns: col(&["signup_date", "total_spend"]),
                unique_records: 4,
                records: 6
            }]
        );
        assert_eq!(
            got[0].line(),
            "4 of 6 records unique on signup_date+total_spend"
        );
        // Normalized, two spellings of one value are one.
        let mut spelled = coded(&["2024-01-02", "2024/1/2", "2024-01-03"]);
        spelled.recode(|v| v.replace('/', "-").replace("-1-2", "-01-02"));
        let c = &spelled.codes;
        assert!(c[0] == c[1] && c[1] != c[2], "{c:?}");
        assert_eq!(spelled.distinct(), 2);
        // Suppressed records are not counted: of the 4 kept, d1/10, d1/20, d2/10 and d2/20 are all unique.
        let keep = [true, true, true, true, false, false];
        let got = singling_out(&names, &cols, Some(&keep));
        assert_eq!(got[0].unique_records, 4);
        assert_eq!(got[0].records, 4);
        // A column unique by itself is listed alone, and no set containing it.
        let id = coded(&["a", "b", "c", "d", "e", "f"]);
        let got = singling_out(&col(&["x", "date"]), &[id, date], None);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].columns, col(&["x"]));
        assert_eq!(thousands(4238), "4,238");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(12), "12");
    }
}

//! Survivorship: per cluster, the base record and the member each golden value comes from (most recent,
//! most complete, most frequent, longest, or a preferred source), with the lineage of borrowed values.

use anyhow::Result;
use rayon::prelude::*;
use std::collections::HashMap;

use super::matching::iso_date;
use super::settings::{DedupeOptions, Survive};
use crate::error::StewardError;
use crate::schema::Schema;
use crate::table::{Table, TextColumn};

/// Choose, per cluster, the record each field's value comes from.
pub struct Survivor<'a> {
    table: &'a Table,
    rules: Vec<Survive>,
    /// Per row: how recent it is, as the rank of its ISO date (0 when unknown).
    recency: Vec<u32>,
    completeness: Vec<u16>,
    source_col: usize,
}

impl<'a> Survivor<'a> {
    pub fn new(table: &'a Table, schema: &Schema, opts: &DedupeOptions) -> Result<Survivor<'a>> {
        let recency_col = match &opts.recency_field {
            Some(f) => Some(table.column_index(f).ok_or_else(|| {
                StewardError::data(format!(
                    "schema [dedupe] recency_field {f:?}: no such column"
                ))
            })?),
            None => ["updated_at", "last_purchase_date", "signup_date"]
                .iter()
                .find_map(|f| table.column_index(f)),
        };
        // Recency as the rank of its ISO date among the column's distinct dates ("" ranks first), so ordering
        // by it is ordering by the date text, at 4 bytes a row instead of a String.
        let recency = match recency_col {
            None => vec![0; table.len()],
            Some(c) => {
                let mut memo: foldhash::HashMap<&str, String> = Default::default();
                for r in 0..table.len() {
                    let v = table.get(r, c);
                    memo.entry(v)
                        .or_insert_with(|| iso_date(v).unwrap_or_default());
                }
                let mut distinct: Vec<&str> = memo.values().map(String::as_str).collect();
                distinct.push("");
                distinct.sort_unstable();
                distinct.dedup();
                let rank: foldhash::HashMap<&str, u32> = memo
                    .iter()
                    .map(|(&v, iso)| (v, distinct.binary_search(&iso.as_str()).unwrap_or(0) as u32))
                    .collect();
                let ranks = (0..table.len())
                    .into_par_iter()
                    .map(|r| rank[table.get(r, c)])
                    .collect();
                table.data[c].release();
                ranks
            }
        };
        let n = table.columns.len();
        // Column by column, the rows of each on every core (one core, row by row, was the largest part of the
        // survive step); a spilled column's pages go back once it is counted, so a large table is never all
        // in memory at once.
        let mut completeness = vec![0u16; table.len()];
        for c in 0..n - 2 {
            let col = &table.data[c];
            completeness
                .par_iter_mut()
                .enumerate()
                .with_min_len(1 << 14)
                .for_each(|(r, k)| *k += u16::from(!col.get(r).trim().is_empty()));
            col.release();
        }
        let mut rules = Vec::new();
        for c in &table.columns {
            let rule = match opts.survivorship.get(c) {
                Some(s) => s.clone(),
                None if recency_col.is_some() => Survive::MostRecent,
                None => Survive::MostComplete,
            };
            rules.push(rule);
        }
        for f in opts.survivorship.keys() {
            if table.column_index(f).is_none() && schema.field(f).is_none() {
                return Err(StewardError::data(format!(
                    "schema [dedupe] survivorship: no column {f:?}"
                ))
                .into());
            }
        }
        Ok(Survivor {
            table,
            rules,
            recency,
            completeness,
            source_col: n - 2,
        })
    }

    /// The base record of a cluster: most recent, then most complete, then first.
    fn base(&self, members: &[usize]) -> usize {
        *members
            .iter()
            .max_by(|&&a, &&b| {
                self.recency[a]
                    .cmp(&self.recency[b])
                    .then(self.completeness[a].cmp(&self.completeness[b]))
                    .then(b.cmp(&a))
            })
            .expect("clusters have members")
    }

    fn pick(&self, col: usize, members: &[usize], base: usize) -> usize {
        let t = self.table;
        let filled: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&r| !t.get(r, col).trim().is_empty())
            .collect();
        if filled.is_empty() || filled.contains(&base) && self.rules[col] == Survive::MostRecent {
            return if filled.is_empty() {
                base
            } else {
                self.best_recent(&filled, base)
            };
        }
        let complete = |v: &[usize]| -> usize {
            *v.iter()
                .max_by(|&&a, &&b| {
                    self.completeness[a]
                        .cmp(&self.completeness[b])
                        .then(b.cmp(&a))
                })
                .expect("non-empty")
        };
        match &self.rules[col] {
            Survive::MostRecent => self.best_recent(&filled, base),
            Survive::MostComplete => {
                if filled.contains(&base) {
                    base
                } else {
                    complete(&filled)
                }
            }
            Survive::Longest => *filled
                .iter()
                .max_by(|&&a, &&b| {
                    t.get(a, col)
                        .chars()
                        .count()
                        .cmp(&t.get(b, col).chars().count())
                        .then(b.cmp(&a))
                })
                .expect("non-empty"),
            Survive::MostFrequent => {
                let mut counts: HashMap<String, usize> = HashMap::new();
                for &r in &filled {
                    *counts
                        .entry(t.get(r, col).trim().to_lowercase())
                        .or_default() += 1;
                }
                *filled
                    .iter()
                    .max_by(|&&a, &&b| {
                        let ca = counts[&t.get(a, col).trim().to_lowercase()];
                        let cb = counts[&t.get(b, col).trim().to_lowercase()];
                        ca.cmp(&cb)
                            .then((a == base).cmp(&(b == base)))
                            .then(b.cmp(&a))
                    })
                    .expect("non-empty")
            }
            Survive::Source(name) => {
                let preferred: Vec<usize> = filled
                    .iter()
                    .copied()
                    .filter(|&r| t.get(r, self.source_col).contains(name.as_str()))
                    .collect();
                if preferred.is_empty() {
                    if filled.contains(&base) {
                        base
                    } else {
                        complete(&filled)
                    }
                } else {
                    complete(&preferred)
                }
            }
        }
    }

    fn best_recent(&self, filled: &[usize], base: usize) -> usize {
        *filled
            .iter()
            .max_by(|&&a, &&b| {
                self.recency[a]
                    .cmp(&self.recency[b])
                    .then((a == base).cmp(&(b == base)))
                    .then(self.completeness[a].cmp(&self.completeness[b]))
                    .then(b.cmp(&a))
            })
            .expect("non-empty")
    }

    /// The columns of golden records: `golden_id`, `cluster_size`, the table's columns `keep` (all but
    /// `_source`, `_row` when `None`), `_source`, `_row` and `_lineage`.
    pub fn record_columns(&self, keep: Option<&[usize]>) -> Vec<String> {
        let t = self.table;
        let mut cols: Vec<String> = vec!["golden_id".into(), "cluster_size".into()];
        match keep {
            None => cols.extend(t.columns[..t.columns.len() - 2].iter().cloned()),
            Some(keep) => cols.extend(keep.iter().map(|&c| t.columns[c].clone())),
        }
        cols.extend(["_source".into(), "_row".into(), "_lineage".into()]);
        cols
    }

    /// The golden record of a cluster, in the columns of `record_columns(keep)`: its values, then `_source`
    /// and `_row` of its base record and the lineage of values taken from other members.
    pub fn record(
        &self,
        golden_id: String,
        size: usize,
        members: &[usize],
        keep: Option<&[usize]>,
    ) -> Vec<String> {
        let (values, base, lineage) = self.golden(members);
        let (t, nc) = (self.table, self.table.columns.len());
        let mut row = vec![golden_id, size.to_string()];
        match keep {
            None => row.extend(values),
            Some(keep) => row.extend(keep.iter().map(|&c| values[c].clone())),
        }
        row.push(t.get(base, nc - 2).to_string());
        row.push(t.get(base, nc - 1).to_string());
        row.push(lineage);
        row
    }

    /// Where the golden records of many clusters take their values, in the columns of `record_columns(keep)`,
    /// without reading them yet: cluster `i` has the golden id `gid(i)` and the rows `members(i)`; a
    /// single-record cluster (most of them) takes its record's cells, a larger one the row `pick` chose per
    /// column. `GoldenPlan::build` or `gather` makes the records, column by column.
    pub fn golden_plan<'m>(
        &self,
        count: usize,
        members: &(dyn Fn(usize) -> &'m [usize] + Sync),
        gid: &(dyn Fn(usize) -> String + Sync),
        keep: Option<&[usize]>,
    ) -> GoldenPlan {
        use rayon::prelude::*;
        let nc = self.table.columns.len();
        let multi: Vec<usize> = (0..count).filter(|&i| members(i).len() > 1).collect();
        let plans: Vec<(Vec<usize>, usize, String)> =
            multi.par_iter().map(|&i| self.plan(members(i))).collect();
        let mut slot = vec![u32::MAX; count];
        for (k, &i) in multi.iter().enumerate() {
            slot[i] = k as u32;
        }
        let value_cols: Vec<usize> = match keep {
            None => (0..nc - 2).collect(),
            Some(k) => k.to_vec(),
        };
        let mut cells = vec![Cell::Gid, Cell::Size];
        cells.extend(value_cols.iter().map(|&c| Cell::Col(c)));
        cells.extend([Cell::Base(nc - 2), Cell::Base(nc - 1), Cell::Lineage]);
        GoldenPlan {
            columns: self.record_columns(keep),
            cells,
            gids: {
                let mut ids = TextColumn::with_capacity(count);
                for i in 0..count {
                    // A golden id is short: an error here would be a column of 4 GiB.
                    let _ = ids.push(&gid(i));
                }
                ids
            },
            first: (0..count).map(|i| members(i)[0] as u32).collect(),
            sizes: (0..count).map(|i| members(i).len() as u32).collect(),
            slot,
            plans,
        }
    }

    /// The golden values of a cluster (every column but _source/_row), its base record and the lineage of
    /// values taken from other members.
    fn golden(&self, members: &[usize]) -> (Vec<String>, usize, String) {
        let (rows, base, lineage) = self.plan(members);
        let values = rows
            .iter()
            .enumerate()
            .map(|(c, &r)| self.table.get(r, c).to_string())
            .collect();
        (values, base, lineage)
    }

    /// Where a cluster's golden values come from: the row of each column (every column but _source/_row),
    /// the base record, and the lineage of values taken from other members.
    fn plan(&self, members: &[usize]) -> (Vec<usize>, usize, String) {
        let n = self.table.columns.len() - 2;
        if let [only] = members {
            // Most clusters are single records: their golden record is the record.
            return (vec![*only; n], *only, String::new());
        }
        let base = self.base(members);
        let mut rows = Vec::with_capacity(n);
        let mut lineage = Vec::new();
        for c in 0..n {
            let r = self.pick(c, members, base);
            rows.push(r);
            if r != base {
                lineage.push(format!(
                    "{}={}:{}",
                    self.table.columns[c],
                    self.table.get(r, n),
                    self.table.get(r, n + 1)
                ));
            }
        }
        (rows, base, lineage.join("; "))
    }
}

/// What column j of a golden record holds.
enum Cell {
    Gid,
    Size,
    /// A value column of the table.
    Col(usize),
    /// `_source` or `_row` of the base record.
    Base(usize),
    Lineage,
}

/// The golden records of a dedupe, planned: for each (in order) its golden id, size, first member, and for a
/// larger cluster the row each value comes from. `build` reads a table; `gather` consumes it column by column,
/// so a cleanup job never holds its rows and their golden records whole at the same time.
pub struct GoldenPlan {
    columns: Vec<String>,
    cells: Vec<Cell>,
    gids: TextColumn,
    first: Vec<u32>,
    sizes: Vec<u32>,
    slot: Vec<u32>,
    plans: Vec<(Vec<usize>, usize, String)>,
}

impl GoldenPlan {
    /// Golden records read from `t` (the table the plan was made from).
    pub fn build(&self, t: &Table) -> Result<Table> {
        use rayon::prelude::*;
        let data = (0..self.cells.len())
            .into_par_iter()
            .map(|j| self.column(j, |c| &t.data[c]))
            .collect::<Result<Vec<_>>>()?;
        Ok(Table {
            columns: self.columns.clone(),
            data,
        })
    }

    /// Golden records made from `t` (the table the plan was made from), which is consumed: each of its
    /// columns is dropped once nothing more is read from it.
    ///
    /// With `spill`, each golden column goes to a spill file in that folder as soon as it is made
    /// (`TextColumn::spill_into`): memory never holds the whole golden table (at 10M rows, 2 GB).
    pub fn gather(&self, t: Table, spill: Option<&std::path::Path>) -> Result<Table> {
        use rayon::prelude::*;
        let Table { data, .. } = t;
        let mut source: Vec<Option<TextColumn>> = data.into_iter().map(Some).collect();
        let mut out: Vec<TextColumn> = Vec::with_capacity(self.cells.len());
        let empty = TextColumn::default();
        // As many columns at a time as there are cores (one core made them one by one: at 10M rows the
        // gather took 3 s at one core's pace), so memory holds that many new columns beside the sources.
        let at_once = rayon::current_num_threads().max(1);
        let mut j = 0;
        while j < self.cells.len() {
            let end = (j + at_once).min(self.cells.len());
            let made: Vec<Result<TextColumn>> = (j..end)
                .into_par_iter()
                .map(|k| self.column(k, |c| source[c].as_ref().unwrap_or(&empty)))
                .collect();
            for col in made {
                out.push(match spill {
                    Some(dir) => col?.spill_into(dir)?,
                    None => col?,
                });
            }
            // Sources read by no later cell are dropped now (a spilled column's pages back to the kernel
            // first: its file stays mapped until the last column goes).
            for (c, src) in source.iter_mut().enumerate() {
                let later = self.cells[end..]
                    .iter()
                    .any(|x| matches!(x, Cell::Col(k) | Cell::Base(k) if *k == c));
                if !later {
                    if let Some(done) = src.take() {
                        done.release();
                    }
                }
            }
            j = end;
        }
        Ok(Table {
            columns: self.columns.clone(),
            data: out,
        })
    }

    fn column<'t>(&self, j: usize, src: impl Fn(usize) -> &'t TextColumn) -> Result<TextColumn> {
        use std::fmt::Write as _;
        let count = self.first.len();
        let bytes = match self.cells[j] {
            Cell::Col(c) | Cell::Base(c) => src(c).text_len(),
            Cell::Gid => self.gids.text_len(),
            _ => count,
        };
        let mut col = TextColumn::with_capacities(count, bytes);
        let mut buf = String::new();
        for i in 0..count {
            let plan = (self.slot[i] != u32::MAX).then(|| &self.plans[self.slot[i] as usize]);
            let first = self.first[i] as usize;
            match self.cells[j] {
                Cell::Gid => col.push(self.gids.get(i))?,
                Cell::Size if self.sizes[i] == 1 => col.push("1")?,
                Cell::Size => {
                    buf.clear();
                    write!(buf, "{}", self.sizes[i])?;
                    col.push(&buf)?
                }
                Cell::Col(c) => col.push(src(c).get(plan.map_or(first, |p| p.0[c])))?,
                Cell::Base(c) => col.push(src(c).get(plan.map_or(first, |p| p.1)))?,
                Cell::Lineage => col.push(plan.map_or("", |p| p.2.as_str()))?,
            }
        }
        Ok(col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three records of one customer from two sources; the second is the most recent.
    fn table() -> Table {
        let mut t = Table::new(
            ["name", "email", "city", "updated_at", "_source", "_row"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        );
        for r in [
            ["Li Na", "li@a.com", "Beijing", "2023-01-01", "crm.csv", "2"],
            ["LI NA", "", "", "2025-06-01", "shop.csv", "2"],
            [
                "Li  Na (Lena)",
                "li@b.com",
                "Beijing",
                "2024-01-01",
                "crm.csv",
                "3",
            ],
        ] {
            t.push_row(&r).unwrap();
        }
        t
    }

    fn golden(rules: &[(&str, Survive)]) -> (Vec<String>, usize, String) {
        let t = table();
        let opts = DedupeOptions {
            survivorship: rules
                .iter()
                .map(|(f, r)| (f.to_string(), r.clone()))
                .collect(),
            ..DedupeOptions::default()
        };
        let s = Survivor::new(&t, &Schema::builtin(), &opts).unwrap();
        s.golden(&[0, 1, 2])
    }

    #[test]
    fn the_most_recent_record_is_the_base_and_fills_its_gaps_from_the_next_most_recent() {
        let (values, base, lineage) = golden(&[]);
        assert_eq!(base, 1);
        assert_eq!(values, ["LI NA", "li@b.com", "Beijing", "2025-06-01"]);
        assert_eq!(lineage, "email=crm.csv:3; city=crm.csv:3");
    }

    #[test]
    fn rules_per_field_pick_their_member() {
        let (values, _, lineage) = golden(&[
            ("name", Survive::Longest),
            ("city", Survive::MostFrequent),
            ("email", Survive::Source("crm.csv".into())),
        ]);
        assert_eq!(values[0], "Li  Na (Lena)");
        assert_eq!(values[2], "Beijing");
        // both crm.csv records have an email: the more complete one, then the earlier, wins
        assert_eq!(values[1], "li@a.com");
        assert!(
            lineage.starts_with("name=crm.csv:3; email=crm.csv:2"),
            "{lineage}"
        );
    }

    #[test]
    fn a_single_record_is_its_own_golden_record_and_unknown_fields_are_errors() {
        let t = table();
        let s = Survivor::new(&t, &Schema::builtin(), &DedupeOptions::default()).unwrap();
        let (values, base, lineage) = s.golden(&[2]);
        assert_eq!((base, lineage.as_str()), (2, ""));
        assert_eq!(values[0], "Li  Na (Lena)");
        let opts = DedupeOptions {
            survivorship: [("nosuch".to_string(), Survive::Longest)].into(),
            ..DedupeOptions::default()
        };
        let e = Survivor::new(&t, &Schema::builtin(), &opts).err().unwrap();
        assert!(e.to_string().contains("no column \"nosuch\""), "{e}");
        let opts = DedupeOptions {
            recency_field: Some("nope".into()),
            ..DedupeOptions::default()
        };
        assert!(Survivor::new(&t, &Schema::builtin(), &opts).is_err());
    }
}

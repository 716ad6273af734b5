//! The matching view of one or two tables: the columns compared, as the engine's kinds, with dates and
//! split house numbers normalized and values that fail validation blanked; the engine configuration they
//! and the options give; record labels.

use anyhow::Result;
use chrono::NaiveDate;
use rayon::prelude::*;

use super::evidence;
use super::settings::{match_kind, parse_rule, DedupeOptions};
use super::{Column, Config, FieldKind as MK, Input, Mode};
use crate::error::StewardError;
use crate::schema::Schema;
use crate::table::{Table, TextColumn, ROW_COLUMN, SOURCE_COLUMN};

impl Column for TextColumn {
    fn len(&self) -> usize {
        TextColumn::len(self)
    }
    fn get(&self, row: usize) -> &str {
        TextColumn::get(self, row)
    }
}

/// Two tables' columns of one field, one after the other (old then new, or A then B).
pub(super) struct Stacked<'a> {
    first: Option<&'a TextColumn>,
    first_len: usize,
    second: Option<&'a TextColumn>,
    second_len: usize,
}

impl Column for Stacked<'_> {
    fn len(&self) -> usize {
        self.first_len + self.second_len
    }
    fn get(&self, row: usize) -> &str {
        if row < self.first_len {
            self.first.map(|c| c.get(row)).unwrap_or("")
        } else {
            self.second
                .map(|c| c.get(row - self.first_len))
                .unwrap_or("")
        }
    }
}

/// The matching view of one or two loaded tables.
pub(super) struct Matching<'a> {
    pub names: Vec<String>,
    pub kinds: Vec<MK>,
    pub columns: Vec<Stacked<'a>>,
}

/// A date in any spelling (`19560409`, `1956/4/9`, `1956年4月9日`) as an ISO date; `None` when it is not one.
pub(super) fn iso_date(v: &str) -> Option<String> {
    let opts = crate::fields::date::DateOptions {
        day_first: false,
        today: chrono::NaiveDate::MAX,
        birth: false,
        future_ok: true,
    };
    let c = crate::fields::date::check_date(v, &opts);
    let error = c
        .issues
        .iter()
        .any(|i| i.level == crate::fields::Level::Error);
    (!error).then_some(c.value)
}

/// Dates compared as ISO dates, whatever their spelling; values that are not dates stay as they are.
/// Distinct values are few, so each is parsed once. None when every value already reads as itself (a
/// column a cleanup job normalized): the table's own column is then the matching view.
fn iso_dates(col: &TextColumn) -> Result<Option<TextColumn>> {
    let as_written = (0..col.len())
        .into_par_iter()
        .try_for_each_init(foldhash::HashSet::<&str>::default, |seen, r| {
            let v = col.get(r);
            if seen.contains(v) || iso_date(v).is_none_or(|n| n == v) {
                seen.insert(v);
                Ok(())
            } else {
                Err(())
            }
        })
        .is_ok();
    if as_written {
        return Ok(None);
    }
    let mut memo: foldhash::HashMap<&str, String> = Default::default();
    let mut out = TextColumn::with_capacity(col.len());
    for v in col.iter() {
        let n = memo
            .entry(v)
            .or_insert_with(|| iso_date(v).unwrap_or_else(|| v.to_string()));
        out.push(n)?;
    }
    Ok(Some(out))
}

/// The columns of one table as matching sees them, where they differ from the table's own.
pub(super) struct Prepared {
    /// As compared: dates as ISO dates, the address with its house number when an export keeps that in a
    /// column of its own, and values that fail validation blanked (`evidence`: compared as missing).
    pub matched: Vec<(String, TextColumn)>,
    /// Columns in `matched` that had values blanked: the column as people read it (ISO dates, invalid ones
    /// as written), or None for the table's own.
    shown: Vec<(String, Option<TextColumn>)>,
    /// Per matched field with values that fail validation: how many rows.
    pub invalid: Vec<(String, u64)>,
    /// The row's country (ISO alpha-2) comes from this column, for phone numbers without a country code.
    country: Option<usize>,
    today: NaiveDate,
}

impl Prepared {
    /// The column of field `name` as pair and review rows show it: as matched, except that a value compared
    /// as missing is shown as written.
    pub fn shown<'a>(&'a self, t: &'a Table, name: &str) -> Option<&'a TextColumn> {
        if let Some((_, col)) = self.shown.iter().find(|(c, _)| c == name) {
            return col
                .as_ref()
                .or_else(|| t.column_index(name).map(|i| &t.data[i]));
        }
        self.matched
            .iter()
            .find(|(c, _)| c == name)
            .map(|(_, col)| col)
            .or_else(|| t.column_index(name).map(|i| &t.data[i]))
    }

    /// Why the value of `field` (matched as `kind`) in row `r` of `t` was compared as missing, if it was.
    pub fn why_invalid(&self, t: &Table, field: &str, kind: MK, r: usize) -> Option<String> {
        if !self.invalid.iter().any(|(f, _)| f == field) {
            return None;
        }
        let raw = t.get(r, t.column_index(field)?);
        let region = self
            .country
            .and_then(|c| crate::fields::country::lookup(t.get(r, c)));
        evidence::why_invalid(kind, raw, region, self.today)
            .map(|why| evidence::note(field, raw, &why))
    }
}

/// The matching view of one table's columns (see `Prepared`); `today` is what a future birth date is after.
/// `judged`: fields whose values validation already judged, with the only rows to judge again (see
/// `DedupeOptions::judged`).
pub(super) fn normalized_columns(
    schema: &Schema,
    t: &Table,
    today: NaiveDate,
    judged: &[(String, Vec<u32>)],
) -> Result<Prepared> {
    let mut matched: Vec<(String, TextColumn)> = t
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| match_kind(schema, c) == Some(MK::Date))
        .filter_map(|(i, c)| {
            iso_dates(&t.data[i])
                .transpose()
                .map(|d| Ok((c.clone(), d?)))
        })
        .collect::<Result<_>>()?;
    // The built-in `house_number` field (FEBRL's street_number, a 门牌号 column), or such a column left
    // unmapped by a schema of the user's own.
    let number = t.column_index("house_number").or_else(|| {
        t.columns.iter().position(|c| {
            let k = crate::schema::header_key(c);
            [
                "streetnumber",
                "streetno",
                "housenumber",
                "houseno",
                "门牌号",
                "门牌",
            ]
            .contains(&k.as_str())
        })
    });
    if let (Some(nc), Some(ac)) = (number, t.column_index("address")) {
        let mut col = TextColumn::with_capacity(t.len());
        for r in 0..t.len() {
            let (n, a) = (t.get(r, nc).trim(), t.get(r, ac).trim());
            if n.is_empty() || a.is_empty() {
                col.push(a)?;
            } else {
                col.push(&format!("{n} {a}"))?;
            }
        }
        matched.push(("address".to_string(), col));
    }
    let country = t
        .columns
        .iter()
        .position(|c| match_kind(schema, c) == Some(MK::Country));
    let mut p = Prepared {
        matched,
        shown: Vec::new(),
        invalid: Vec::new(),
        country,
        today,
    };
    for (i, c) in t.columns.iter().enumerate() {
        let Some(kind) = match_kind(schema, c).filter(|k| evidence::is_checked(*k)) else {
            continue;
        };
        let region = |r: usize| country.and_then(|cc| crate::fields::country::lookup(t.get(r, cc)));
        let again = judged.iter().find(|(f, _)| f == c).map(|(_, rows)| rows);
        // Phone numbers and e-mail addresses are nearly all distinct: each row is judged, on every core.
        // Birth dates repeat (some 24,000 a lifetime): each is judged once per core.
        let bad: Vec<bool> = if let Some(rows) = again {
            // Validation passed every other row; its findings name the few to judge as evidence.
            let mut bad = vec![false; t.len()];
            for &r in rows {
                let r = r as usize;
                let region = if kind == MK::Phone { region(r) } else { None };
                bad[r] = evidence::why_invalid(kind, t.get(r, i), region, today).is_some();
            }
            bad
        } else if kind == MK::Date {
            (0..t.len())
                .into_par_iter()
                .map_init(foldhash::HashMap::<&str, bool>::default, |memo, r| {
                    let v = t.get(r, i);
                    *memo
                        .entry(v)
                        .or_insert_with(|| evidence::why_invalid(kind, v, None, today).is_some())
                })
                .collect()
        } else {
            // The country of each row read once per distinct spelling and core.
            (0..t.len())
                .into_par_iter()
                .map_init(
                    foldhash::HashMap::<&str, Option<&'static str>>::default,
                    |regions, r| {
                        let region = match country {
                            Some(cc) if kind == MK::Phone => {
                                *regions.entry(t.get(r, cc)).or_insert_with(|| region(r))
                            }
                            _ => None,
                        };
                        evidence::why_invalid(kind, t.get(r, i), region, today).is_some()
                    },
                )
                .collect()
        };
        let n = bad.iter().filter(|b| **b).count() as u64;
        if n == 0 {
            continue;
        }
        let at = p.matched.iter().position(|(m, _)| m == c);
        let shown = at.map(|j| p.matched.swap_remove(j).1);
        let source = shown.as_ref().unwrap_or(&t.data[i]);
        let mut col = TextColumn::with_capacity(t.len());
        for (r, b) in bad.iter().enumerate() {
            col.push(if *b { "" } else { source.get(r) })?;
        }
        p.matched.push((c.clone(), col));
        p.shown.push((c.clone(), shown));
        p.invalid.push((c.clone(), n));
    }
    Ok(p)
}

pub(super) fn matching_columns<'a>(
    schema: &Schema,
    opts: &DedupeOptions,
    first: (&'a Table, &'a Prepared),
    second: Option<(&'a Table, &'a Prepared)>,
) -> Matching<'a> {
    let mut names: Vec<String> = Vec::new();
    for c in first
        .0
        .columns
        .iter()
        .chain(second.iter().flat_map(|t| t.0.columns.iter()))
    {
        if c == SOURCE_COLUMN || c == ROW_COLUMN || names.contains(c) || opts.ignore.contains(c) {
            continue;
        }
        if match_kind(schema, c).is_some() {
            names.push(c.clone());
        }
    }
    let kinds = names
        .iter()
        .map(|n| match_kind(schema, n).expect("kept columns have a kind"))
        .collect();
    let pick = |(t, norm): (&'a Table, &'a Prepared), n: &str| -> Option<&'a TextColumn> {
        norm.matched
            .iter()
            .find(|(c, _)| c == n)
            .map(|(_, col)| col)
            .or_else(|| t.column_index(n).map(|i| &t.data[i]))
    };
    let columns = names
        .iter()
        .map(|n| Stacked {
            first: pick(first, n),
            first_len: first.0.len(),
            second: second.and_then(|s| pick(s, n)),
            second_len: second.map(|s| s.0.len()).unwrap_or(0),
        })
        .collect();
    Matching {
        names,
        kinds,
        columns,
    }
}

/// With a saved model, the matching view as the model was trained on: its fields, in its order (checked to be
/// there, matched as the same kinds); other columns are not the engine's input.
pub(super) fn fit_to_model<'a>(m: Matching<'a>, opts: &DedupeOptions) -> Result<Matching<'a>> {
    let Some(mf) = &opts.model else {
        return Ok(m);
    };
    let fields: Vec<(String, MK)> = m
        .names
        .iter()
        .cloned()
        .zip(m.kinds.iter().copied())
        .collect();
    mf.saved.fits(&fields, &mf.path)?;
    let Matching {
        names,
        kinds,
        columns,
    } = m;
    let mut columns: Vec<Option<Stacked<'a>>> = columns.into_iter().map(Some).collect();
    let mut out = Matching {
        names: Vec::new(),
        kinds: Vec::new(),
        columns: Vec::new(),
    };
    for f in &mf.saved.fields {
        let i = names
            .iter()
            .position(|n| *n == f.name)
            .expect("fits: every field is there");
        out.names.push(names[i].clone());
        out.kinds.push(kinds[i]);
        out.columns
            .push(columns[i].take().expect("each field once"));
    }
    Ok(out)
}

pub(super) fn config_for(m: &Matching, opts: &DedupeOptions, mode: Mode) -> Result<Config> {
    let fields: Vec<(String, MK)> = m
        .names
        .iter()
        .cloned()
        .zip(m.kinds.iter().copied())
        .collect();
    let mut cfg = match &opts.model {
        None => Config::auto(&fields),
        // A saved model brings its blocking, comparisons, guards and band; the input must fit it.
        Some(mf) => mf.saved.config.clone(),
    };
    cfg.mode = mode;
    if let Some(b) = &opts.blocking {
        let rules: Vec<_> = b
            .iter()
            .map(|r| parse_rule(r, &m.names))
            .collect::<Result<_>>()?;
        if let Some(mf) = opts
            .model
            .as_ref()
            .filter(|mf| mf.saved.config.blocking != rules)
        {
            return Err(crate::error::StewardError::usage(format!(
                "{}: the model blocks by its own rules ({}), not the schema's [dedupe] blocking: a model \
                 scores the candidate pairs it was trained on; train again for other rules",
                mf.path,
                mf.saved
                    .config
                    .blocking
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .into());
        }
        cfg.blocking = rules;
    }
    if let Some(mb) = opts.max_block.filter(|_| opts.model.is_none()) {
        cfg.max_block = mb.max(2);
    }
    cfg.threshold = opts.threshold.unwrap_or(cfg.threshold);
    cfg.review_lower = opts.review_lower.unwrap_or(cfg.review_lower);
    for (what, p) in [
        ("threshold", cfg.threshold),
        ("review lower bound", cfg.review_lower),
    ] {
        if !(0.0..=1.0).contains(&p) || p.is_nan() {
            return Err(StewardError::usage(format!(
                "the {what} is a probability between 0 and 1, found {p}"
            ))
            .into());
        }
    }
    if cfg.review_lower > cfg.threshold {
        cfg.review_lower = cfg.threshold;
    }
    // u needs enough random pairs to see rare agreements; a small list has few distinct pairs to see.
    let rows = m.columns.first().map(|c| c.len()).unwrap_or(0) as u64;
    cfg.u_samples = (rows * 60).clamp(250_000, cfg.u_samples.max(250_000));
    Ok(cfg)
}

/// The engine input over a matching view; `source` says per row which table it came from (0 or 1), if two.
pub(super) fn stacked_input<'a>(m: &'a Matching<'a>, source: Option<Vec<u8>>) -> Input<'a> {
    Input {
        fields: m
            .names
            .iter()
            .zip(&m.kinds)
            .zip(&m.columns)
            .map(|((n, k), c)| (n.clone(), *k, c as &dyn Column))
            .collect(),
        source,
        release: None,
    }
}

/// The row label people use: the id field when there is one, else `source:row`.
pub(super) fn record_label(t: &Table, id_col: Option<usize>, r: usize) -> String {
    match id_col.map(|c| t.get(r, c).trim()) {
        Some(id) if !id.is_empty() => id.to_string(),
        _ => format!(
            "{}:{}",
            t.get(r, t.columns.len() - 2),
            t.get(r, t.columns.len() - 1)
        ),
    }
}

/// Find a row by record id, or by `_row` (with `source:row` to pick a source).
pub(super) fn find_row(t: &Table, id_col: Option<usize>, key: &str) -> Result<usize> {
    let key = key.trim();
    if let Some(c) = id_col {
        if let Some(r) = (0..t.len()).find(|&r| t.get(r, c).trim() == key) {
            return Ok(r);
        }
    }
    let n = t.columns.len();
    let (src, row) = match key.rsplit_once(':') {
        Some((s, r)) => (Some(s), r),
        None => (None, key),
    };
    (0..t.len())
        .find(|&r| t.get(r, n - 1) == row && src.is_none_or(|s| t.get(r, n - 2) == s))
        .ok_or_else(|| {
            StewardError::usage(format!("--explain: no record with id or row {key:?}")).into()
        })
}

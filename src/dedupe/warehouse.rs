//! The matching model past one machine: every per-record value its comparisons and blocking rules need, as a
//! features table (`steward model features`), and SQL that scores candidate pairs over that table in DuckDB
//! (`steward model sql`) with the same pairs, levels and probabilities as the native engine. The comparisons
//! that look at one record at a time (normalization, pinyin, nickname groups, token hashes, squashed
//! addresses, blocking keys and window sort keys) are done here, natively; the SQL only compares two
//! records' features, with functions the engine has (Jaro-Winkler, Damerau-Levenshtein, list intersections).

use anyhow::Result;
use polars::prelude::*;
use rayon::prelude::*;

use super::compare::RComp;
use super::features::{ColKind, Features};
use super::matching::{
    config_for, fit_to_model, matching_columns, normalized_columns, record_label, stacked_input,
};
use super::names::formal_initials;
use super::saved::SavedModel;
use super::{blocking, features, CompareKind, Config, DedupeOptions, Input, Mode};
use crate::error::StewardError;
use crate::io::columns::NamedColumns;
use crate::schema::Schema;
use crate::table::Table;

/// The layout of the features table; part of `saved::FEATURES_VERSION`'s promise (raised with it).
pub const FEATURES_TABLE_VERSION: u32 = 1;

/// Nickname groups and formal names of a lowercase given or family name (for `is_nickname` and
/// `is_nickname_fuzzy` in SQL): the groups it is in, and the formal names of those groups other than itself.
fn nick(n: &str) -> (Vec<u32>, Vec<String>) {
    let (groups, formals) = super::names::nick_groups(n);
    (
        groups.into_iter().map(u32::from).collect(),
        formals
            .into_iter()
            .filter(|f| *f != n)
            .map(String::from)
            .collect(),
    )
}

/// Letters mask of `compare::letters_overlap`.
fn letter_mask(s: &str) -> i64 {
    // bits as a signed 64-bit integer: engines without unsigned types (Spark) read it as one
    s.bytes().fold(0u64, |m, c| m | 1u64 << (c & 63)) as i64
}

fn toks_u32(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

fn has_number(t: &[u32]) -> bool {
    t.iter().any(|x| x & 0x8000_0000 != 0)
}

/// Sorted union of two sorted, deduplicated token lists; None beyond 64 tokens (as `compare::merge_toks`).
fn union(a: &[u32], b: &[u32]) -> Option<Vec<u32>> {
    let mut out: Vec<u32> = a.iter().chain(b).copied().collect();
    out.sort_unstable();
    out.dedup();
    (out.len() <= 64).then_some(out)
}

fn strip_email(e: &str) -> String {
    e.chars()
        .filter(|c| !matches!(c, '.' | '_' | '-') && !c.is_ascii_digit())
        .collect()
}

/// Columns under construction.
enum Col {
    Str(Vec<Option<String>>),
    U32(Vec<u32>),
    U64(Vec<u64>),
    I64(Vec<Option<i64>>),
    I32(Vec<Option<i32>>),
    Bool(Vec<bool>),
    ListU32(Vec<Option<Vec<u32>>>),
    ListU64(Vec<Vec<u64>>),
    ListStr(Vec<Vec<String>>),
}

impl Col {
    fn series(self, name: &str) -> Series {
        let name: PlSmallStr = name.into();
        match self {
            Col::Str(v) => Series::new(name, v),
            Col::U32(v) => Series::new(name, v),
            Col::U64(v) => Series::new(name, v),
            Col::I64(v) => Series::new(name, v),
            Col::I32(v) => Series::new(name, v),
            Col::Bool(v) => Series::new(name, v),
            Col::ListU32(v) => {
                let values = v.iter().flatten().map(Vec::len).sum();
                let mut b = ListPrimitiveChunkedBuilder::<UInt32Type>::new(
                    name,
                    v.len(),
                    values,
                    DataType::UInt32,
                );
                for x in &v {
                    match x {
                        Some(x) => b.append_slice(x),
                        None => b.append_null(),
                    }
                }
                b.finish().into_series()
            }
            Col::ListU64(v) => {
                let values = v.iter().map(Vec::len).sum();
                let mut b = ListPrimitiveChunkedBuilder::<UInt64Type>::new(
                    name,
                    v.len(),
                    values,
                    DataType::UInt64,
                );
                for x in &v {
                    b.append_slice(x);
                }
                b.finish().into_series()
            }
            Col::ListStr(v) => {
                let values = v.iter().map(Vec::len).sum();
                let mut b = ListStringChunkedBuilder::new(name, v.len(), values);
                for x in &v {
                    b.append_values_iter(x.iter().map(String::as_str));
                }
                b.finish().into_series()
            }
        }
    }
}

/// The engine's view of a model without data: its fields as empty columns, for what the configuration
/// resolves to (which comparisons have a column, the guards, which blocking rules apply).
pub(super) struct Layout {
    pub comps: Vec<RComp>,
    pub guard: super::compare::GuardIdx,
    pub birth: Option<usize>,
    pub has_name: bool,
    pub kinds: Vec<ColKind>,
    /// Per blocking rule of the configuration: resolved (it applies) and its window sort orders.
    pub rules: Vec<Option<Vec<usize>>>,
    /// The comparison the birth gate reads (`Config::birth_gate`), and per blocking rule whether its key
    /// holds the birth year (the gate judges all its pairs, not only neighbours in birth-date order).
    pub gate: Option<usize>,
    pub year_keyed: Vec<bool>,
    /// What a features table is made for (its version, the model's fields, blocking rules and comparisons):
    /// the column `made_for` of every row, checked by the SQL before it scores anything.
    pub made_for: String,
}

/// What the features and pairs of a model are made for (their `made_for` column).
pub fn made_for(saved: &SavedModel) -> String {
    layout(saved).made_for
}

pub(super) fn layout(saved: &SavedModel) -> Layout {
    let empty: Vec<String> = Vec::new();
    let input = Input {
        fields: saved
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.kind, &empty as &dyn super::Column))
            .collect(),
        source: None,
        release: None,
    };
    let f = features::build(&input);
    layout_of(&input, &f, &saved.config)
}

fn layout_of(input: &Input, f: &Features, cfg: &Config) -> Layout {
    let ctx = super::resolve(input, cfg);
    let names: Vec<String> = input.fields.iter().map(|x| x.0.clone()).collect();
    let rules = cfg
        .blocking
        .iter()
        .map(|r| blocking::resolve(r, &names, ctx.birth).map(|res| blocking::passes(f, &res)))
        .collect();
    let fields: Vec<(&str, super::FieldKind)> =
        input.fields.iter().map(|x| (x.0.as_str(), x.1)).collect();
    let text = serde_json::to_string(&(
        FEATURES_TABLE_VERSION,
        &fields,
        &cfg.blocking,
        &cfg.comparisons,
    ))
    .unwrap_or_default();
    let digest = <sha2::Sha256 as sha2::Digest>::digest(text.as_bytes());
    let made_for = format!(
        "features v{FEATURES_TABLE_VERSION} {}",
        digest
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let gate = super::gate_comparison(cfg, &ctx, f);
    Layout {
        made_for,
        comps: ctx.comps,
        guard: ctx.guard,
        birth: ctx.birth,
        has_name: f.has_name,
        kinds: f.kinds.clone(),
        rules,
        gate,
        year_keyed: cfg
            .blocking
            .iter()
            .map(|r| {
                r.parts
                    .iter()
                    .any(|p| matches!(p, super::KeyPart::BirthYear))
            })
            .collect(),
    }
}

/// Rows per Parquet row group (and per frame built at once): the features of 10M records are never all in
/// columns at once.
const FEATURE_ROWS: usize = 1 << 20;

/// Write the features table of a table under a saved model (`opts.model`) as Parquet: one row per record, `row`
/// its index. Returns the rows and columns written.
pub fn write_features<W: std::io::Write + Send>(
    schema: &Schema,
    t: &Table,
    opts: &DedupeOptions,
    row_offset: u32,
    out: W,
) -> Result<(usize, usize)> {
    if opts.model.is_none() {
        return Err(StewardError::usage("features are made for a model: give --model").into());
    }
    let norm = normalized_columns(schema, t, opts.today(), &opts.judged)?;
    let m = fit_to_model(matching_columns(schema, opts, (t, &norm), None), opts)?;
    let cfg = config_for(&m, opts, Mode::Dedupe)?;
    let input = stacked_input(&m, None);
    let f = features::build(&input);
    let lay = layout_of(&input, &f, &cfg);
    let names: Vec<String> = input.fields.iter().map(|x| x.0.clone()).collect();
    let resolved: Vec<Option<blocking::Resolved>> = cfg
        .blocking
        .iter()
        .map(|r| blocking::resolve(r, &names, lay.birth))
        .collect();
    let id_col = t.column_index("id");
    let n = f.n;
    if row_offset as u64 + n as u64 > u32::MAX as u64 + 1 {
        return Err(StewardError::usage(format!(
            "--row-offset {row_offset} with {n} records goes past row {}: a features table numbers its rows in 32 bits",
            u32::MAX
        ))
        .into());
    }
    let mut writer: Option<polars::io::parquet::write::BatchedWriter<W>> = None;
    let mut out = Some(out);
    let mut width;
    let mut at = 0;
    loop {
        let rows = at..(at + FEATURE_ROWS).min(n);
        let mut df = frame(t, &f, &lay, &resolved, id_col, row_offset, rows.clone())?;
        width = df.width();
        if writer.is_none() {
            let w = out.take().expect("one writer");
            writer = Some(ParquetWriter::new(w).batched(df.schema())?);
        }
        if let Some(w) = writer.as_mut() {
            df.rechunk_mut();
            w.write_batch(&df)?;
        }
        at = rows.end;
        if at >= n {
            break;
        }
    }
    if let Some(w) = writer {
        w.finish()?;
    }
    Ok((n, width))
}

/// The features of `rows`.
fn frame(
    t: &Table,
    f: &Features,
    lay: &Layout,
    resolved: &[Option<blocking::Resolved>],
    id_col: Option<usize>,
    row_offset: u32,
    rows: std::ops::Range<usize>,
) -> Result<DataFrame> {
    let n = rows.len();
    let mut cols: Vec<(String, Col)> = vec![
        (
            "row".into(),
            Col::U32(rows.clone().map(|r| row_offset + r as u32).collect()),
        ),
        (
            "id".into(),
            Col::Str(
                rows.clone()
                    .map(|r| Some(record_label(t, id_col, r)))
                    .collect(),
            ),
        ),
        (
            "made_for".into(),
            Col::Str(vec![Some(lay.made_for.clone()); n]),
        ),
    ];
    for (k, res) in resolved.iter().enumerate() {
        let keys: Vec<Vec<u64>> = rows
            .clone()
            .map(|i| match &res {
                Some(res) => blocking::row_keys(f, res, i)
                    .into_iter()
                    .map(|k| {
                        if blocking::is_multi_rule(res) {
                            k
                        } else {
                            k.min(u64::MAX - 1)
                        }
                    })
                    .collect(),
                None => Vec::new(),
            })
            .collect();
        cols.push((format!("k{k}"), Col::ListU64(keys)));
    }
    for p in 0..2 {
        cols.push((
            format!("s{p}"),
            Col::U64(
                rows.clone()
                    .into_par_iter()
                    .map(|i| blocking::secondary(f, i, p))
                    .collect(),
            ),
        ));
    }
    if f.has_name {
        let part = |i: usize, p: usize| -> String {
            let nm = f.name(i);
            [
                nm.given,
                nm.given_all,
                nm.family,
                nm.given_cjk,
                nm.family_cjk,
            ][p]
                .to_string()
        };
        for (p, c) in ["g", "ga", "f", "gc", "fc"].iter().enumerate() {
            cols.push((
                format!("n_{c}"),
                Col::Str(
                    rows.clone()
                        .into_par_iter()
                        .map(|i| Some(part(i, p)))
                        .collect(),
                ),
            ));
        }
        cols.push((
            "n_sfx".into(),
            Col::U32(
                rows.clone()
                    .into_par_iter()
                    .map(|i| f.name(i).suffix as u32)
                    .collect(),
            ),
        ));
        for (p, c) in [(0, "g"), (1, "ga"), (2, "f")] {
            type Nick = (Option<Vec<u32>>, Vec<String>, Option<String>, u32);
            let all: Vec<Nick> = rows
                .clone()
                .into_par_iter()
                .map(|i| {
                    let s = part(i, p);
                    let (g, fm) = nick(&s);
                    let fi = formal_initials(&s)
                        .into_iter()
                        .map(char::from)
                        .collect::<String>();
                    (
                        Some(g),
                        fm,
                        Some(fi),
                        s.as_bytes().first().map(|&b| b as u32).unwrap_or(0),
                    )
                })
                .collect();
            let (mut groups, mut formals, mut initials, mut first) =
                (vec![], vec![], vec![], vec![]);
            for (g, fm, fi, b0) in all {
                groups.push(g);
                formals.push(fm);
                initials.push(fi);
                first.push(b0);
            }
            cols.push((format!("n_{c}_nick"), Col::ListU32(groups)));
            cols.push((format!("n_{c}_fml"), Col::ListStr(formals)));
            cols.push((format!("n_{c}_fi"), Col::Str(initials)));
            cols.push((format!("n_{c}_b0"), Col::U32(first)));
        }
    }
    for (ci, c) in lay.comps.iter().enumerate() {
        let Some(col) = c.col else { continue };
        let p = format!("c{ci}");
        if f.kinds[col] == ColKind::Date {
            let d: Vec<_> = rows
                .clone()
                .into_par_iter()
                .map(|i| f.date(i, col))
                .collect();
            let base = rows.start;
            let some = |i: usize| d[i - base].is_some();
            cols.push((
                format!("{p}_dig"),
                Col::Str(
                    rows.clone()
                        .map(|i| {
                            some(i).then(|| {
                                String::from_utf8_lossy(&d[i - base].digits()).into_owned()
                            })
                        })
                        .collect(),
                ),
            ));
            cols.push((
                format!("{p}_y"),
                Col::I32(
                    rows.clone()
                        .map(|i| some(i).then_some(d[i - base].y as i32))
                        .collect(),
                ),
            ));
            cols.push((
                format!("{p}_m"),
                Col::I32(
                    rows.clone()
                        .map(|i| some(i).then_some(d[i - base].m as i32))
                        .collect(),
                ),
            ));
            cols.push((
                format!("{p}_d"),
                Col::I32(
                    rows.clone()
                        .map(|i| some(i).then_some(d[i - base].d as i32))
                        .collect(),
                ),
            ));
            cols.push((
                format!("{p}_days"),
                Col::I64(
                    rows.clone()
                        .map(|i| some(i).then(|| d[i - base].days()))
                        .collect(),
                ),
            ));
            continue;
        }
        cols.push((
            p.clone(),
            Col::Str(
                rows.clone()
                    .map(|i| Some(f.str(i, col).to_string()))
                    .collect(),
            ),
        ));
        match c.kind {
            CompareKind::Email => cols.push((
                format!("{p}_strip"),
                Col::Str(
                    rows.clone()
                        .map(|i| Some(strip_email(f.str(i, col))))
                        .collect(),
                ),
            )),
            CompareKind::City | CompareKind::Text => cols.push((
                format!("{p}_mask"),
                Col::I64(
                    rows.clone()
                        .into_par_iter()
                        .map(|i| Some(letter_mask(f.str(i, col))))
                        .collect(),
                ),
            )),
            CompareKind::Address => {
                let toks: Vec<Vec<u32>> = rows
                    .clone()
                    .into_par_iter()
                    .map(|i| toks_u32(f.toks(i, col)))
                    .collect();
                cols.push((
                    format!("{p}_num"),
                    Col::Bool(toks.iter().map(|t| has_number(t)).collect()),
                ));
                type Squashed = (Option<String>, bool, Option<i32>, Option<String>);
                let all: Vec<Squashed> = rows
                    .clone()
                    .into_par_iter()
                    .map(|i| {
                        let (s, skip) = f.squashed(i, col);
                        if s.is_empty() {
                            return (None, false, None, None);
                        }
                        let view: String = s.chars().filter(|&c| !(skip && c == ' ')).collect();
                        let letters = view.bytes().filter(u8::is_ascii_alphabetic).count() as i32;
                        let digits: String = view
                            .bytes()
                            .filter(u8::is_ascii_digit)
                            .map(char::from)
                            .collect();
                        let ascii = s.is_ascii() && view.len() <= 128 && !view.is_empty();
                        (Some(view), ascii, Some(letters), Some(digits))
                    })
                    .collect();
                let (mut sq, mut sqa, mut letters, mut digits) = (vec![], vec![], vec![], vec![]);
                for (a, b, c, d) in all {
                    sq.push(a);
                    sqa.push(b);
                    letters.push(c);
                    digits.push(d);
                }
                cols.push((format!("{p}_sq"), Col::Str(sq)));
                cols.push((format!("{p}_sqa"), Col::Bool(sqa)));
                cols.push((format!("{p}_sql"), Col::I32(letters)));
                cols.push((format!("{p}_sqd"), Col::Str(digits)));
                if let Some(alt) = c.alt {
                    let alt_toks: Vec<Vec<u32>> = rows
                        .clone()
                        .into_par_iter()
                        .map(|i| toks_u32(f.toks(i, alt)))
                        .collect();
                    let u: Vec<Option<Vec<u32>>> =
                        (0..n).map(|k| union(&toks[k], &alt_toks[k])).collect();
                    cols.push((
                        format!("{p}_unum"),
                        Col::Bool(
                            u.iter()
                                .map(|t| t.as_deref().is_some_and(has_number))
                                .collect(),
                        ),
                    ));
                    cols.push((format!("{p}_u"), Col::ListU32(u)));
                    cols.push((
                        format!("{p}_a2e"),
                        Col::Bool(alt_toks.iter().map(|t| t.is_empty()).collect()),
                    ));
                }
                cols.push((
                    format!("{p}_tok"),
                    Col::ListU32(toks.into_iter().map(Some).collect()),
                ));
            }
            _ => {}
        }
    }
    let series: Vec<Column> = cols
        .into_iter()
        .map(|(name, c)| c.series(&name).into_column())
        .collect();
    Ok(DataFrame::new(n, series)?)
}

/// A SQL dialect the model is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    DuckDb,
    /// Spark SQL 4 (SQL functions for the macros; `st_jw`, Jaro-Winkler as steward computes it, is registered
    /// by the session: Spark's own `jaro_winkler_similarity` gives other values).
    Spark,
}

impl Dialect {
    fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "DuckDB",
            Dialect::Spark => "Spark SQL",
        }
    }
    /// The dialect's spelling of SQL written with DuckDB's function names.
    fn spell(self, sql: &str) -> String {
        match self {
            Dialect::DuckDb => sql.to_string(),
            Dialect::Spark => {
                let s = sql
                    .replace("strlen(", "octet_length(")
                    .replace("list_intersect(", "array_intersect(")
                    .replace("list_filter(", "filter(")
                    .replace("lambda t: ", "t -> ")
                    .replace("starts_with(", "startswith(")
                    .replace("unnest(", "explode(")
                    .replace(" // ", " div ")
                    .replace("error('", "raise_error('");
                regex::Regex::new(r"\blen\(")
                    .expect("a valid pattern")
                    .replace_all(&s, "size(")
                    .into_owned()
            }
        }
    }
    fn ident(self, s: &str) -> String {
        match self {
            Dialect::DuckDb => format!("\"{}\"", s.replace('"', "\"\"")),
            Dialect::Spark => format!("`{}`", s.replace('`', "``")),
        }
    }
}

/// A double as SQL: parsed from its shortest round-trip text, so the engine holds the same bits.
fn lit(x: f64) -> String {
    format!("CAST('{x:?}' AS DOUBLE)")
}

const MACROS: &str = "\
CREATE OR REPLACE TEMP MACRO st_jw(a, b) AS
  CASE WHEN a = '' AND b = '' THEN CAST(1 AS DOUBLE) ELSE jaro_winkler_similarity(a, b) END;
CREATE OR REPLACE TEMP MACRO st_one(a, b) AS damerau_levenshtein(a, b) <= 1;
CREATE OR REPLACE TEMP MACRO st_initial(a, b) AS
  CASE WHEN strlen(a) <= strlen(b) THEN length(a) = 1 AND starts_with(b, a)
       ELSE length(b) = 1 AND starts_with(a, b) END;
CREATE OR REPLACE TEMP MACRO st_iof(a, b, afi, bfi) AS
  CASE WHEN strlen(a) <= strlen(b) THEN strlen(a) = 1 AND contains(bfi, a)
       ELSE strlen(b) = 1 AND contains(afi, b) END;
CREATE OR REPLACE TEMP MACRO st_nick(a, b, an, bn) AS a <> b AND len(list_intersect(an, bn)) > 0;
CREATE OR REPLACE TEMP MACRO st_fuzzy(a, b, afml, bfml) AS
  (strlen(a) >= 4 AND len(list_filter(bfml, lambda t: damerau_levenshtein(a, t) <= 1)) > 0)
  OR (strlen(b) >= 4 AND len(list_filter(afml, lambda t: damerau_levenshtein(b, t) <= 1)) > 0);
CREATE OR REPLACE TEMP MACRO st_jwl(jw, ml, one, top) AS
  CASE WHEN jw >= CAST('0.94' AS DOUBLE) OR (ml >= 4 AND one) THEN top - 1
       WHEN jw >= CAST('0.8' AS DOUBLE) OR (ml >= 2 AND one) THEN top - 2 ELSE 1 END;
CREATE OR REPLACE TEMP MACRO st_given(xf, xa, xc, yf, ya, yc, xfn, xan, yfn, yan, xfi, yfi, xfml, yfml) AS
  CASE WHEN xc <> '' AND yc <> '' THEN (CASE WHEN xc = yc THEN 5 WHEN xa = ya THEN 4 ELSE 1 END)
       WHEN xa = ya OR xf = yf THEN 5
       WHEN st_initial(xf, yf) OR st_initial(xa, ya) OR st_iof(xf, yf, xfi, yfi) THEN 2
       WHEN st_nick(xf, yf, xfn, yfn) OR st_nick(xa, ya, xan, yan) THEN 4
       WHEN st_fuzzy(xf, yf, xfml, yfml) THEN 3
       ELSE st_jwl(greatest(st_jw(xa, ya), CASE WHEN xf <> xa OR yf <> ya THEN st_jw(xf, yf)
                                                ELSE CAST(0 AS DOUBLE) END),
                   least(strlen(xa), strlen(ya)), st_one(xa, ya), 5) END;
CREATE OR REPLACE TEMP MACRO st_family(xa, xc, ya, yc) AS
  CASE WHEN xc <> '' AND yc <> '' THEN (CASE WHEN xc = yc THEN 4 WHEN xa = ya THEN 3 ELSE 1 END)
       WHEN xa = ya THEN 4
       ELSE st_jwl(st_jw(xa, ya), least(strlen(xa), strlen(ya)), st_one(xa, ya), 4) END;
CREATE OR REPLACE TEMP MACRO st_dice(ta, tb) AS
  CAST(2 * len(list_intersect(ta, tb)) AS DOUBLE) / CAST(greatest(len(ta) + len(tb), 1) AS DOUBLE);
CREATE OR REPLACE TEMP MACRO st_numcommon(ta, tb) AS
  len(list_filter(list_intersect(ta, tb), lambda t: t >= 2147483648)) > 0;
";

/// SQL using the macros, as dialect `d` runs it: as it is where the macros are defined, expanded elsewhere.
fn in_dialect(sql: &str, d: Dialect) -> String {
    match d {
        Dialect::DuckDb => sql.to_string(),
        Dialect::Spark => expand(sql, &macro_defs(d)),
    }
}

/// A statement that stops the script when the features table was made for another model or by another
/// version (its `made_for` column), instead of scoring features that mean something else.
fn made_for_check(lay: &Layout) -> String {
    format!(
        "SELECT CASE WHEN count(*) FILTER (WHERE made_for IS DISTINCT FROM '{m}') > 0 \
         THEN error('the features table was made for another model or by another steward (this SQL reads \
         {m}): run steward model features with this model') ELSE 'features fit the model' END AS checked \
         FROM features;\n",
        m = lay.made_for
    )
}

const SPARK_NOTE: &str = "\
-- Spark: register st_jw(a STRING, b STRING) -> DOUBLE, Jaro-Winkler as steward (strsim) computes it, before
-- running this (bench/warehouse/spark_run.py registers one); Spark's jaro_winkler_similarity gives other values.
";

/// OSA distance at most 1 in Spark SQL (it has no Damerau-Levenshtein): one edit, or one transposition of
/// neighbouring characters, written inline (Spark refuses a SQL function inside a lambda).
fn spark_one(x: &str, y: &str) -> String {
    let diff =
        format!("filter(sequence(1, length({x})), i -> substr({x}, i, 1) <> substr({y}, i, 1))");
    format!(
        "(levenshtein({x}, {y}) <= 1 OR (length({x}) = length({y}) AND length({x}) >= 2 AND size({diff}) = 2 \
         AND element_at({diff}, 2) = element_at({diff}, 1) + 1 \
         AND substr({x}, element_at({diff}, 1), 1) = substr({y}, element_at({diff}, 2), 1) \
         AND substr({x}, element_at({diff}, 2), 1) = substr({y}, element_at({diff}, 1), 1)))"
    )
}

fn functions(d: Dialect) -> String {
    match d {
        Dialect::DuckDb => MACROS.to_string(),
        // Spark has SQL functions, but refuses one inside a lambda or one calling another that has lambdas:
        // the macros are expanded in place instead (`expand`).
        Dialect::Spark => String::new(),
    }
}

/// The macros of `MACROS` as (name, parameters, body) in dialect `d`'s spelling; for Spark, `st_one` is
/// written without Damerau-Levenshtein and `st_jw` is left to the session (a registered function).
fn macro_defs(d: Dialect) -> Vec<(String, Vec<String>, String)> {
    let mut out = Vec::new();
    for stmt in MACROS.split(";\n") {
        let Some(rest) = stmt.trim().strip_prefix("CREATE OR REPLACE TEMP MACRO ") else {
            continue;
        };
        let (sig, body) = rest.split_once(" AS").expect("a macro has a body");
        let (name, params) = sig.split_once('(').expect("a macro has parameters");
        let params: Vec<String> = params
            .trim_end_matches(')')
            .split(',')
            .map(|p| p.trim().to_string())
            .collect();
        let mut body = d.spell(body.trim());
        if d == Dialect::Spark {
            match name {
                "st_jw" => continue,
                "st_one" => body = spark_one("a", "b"),
                "st_fuzzy" => {
                    body = body
                        .replace("damerau_levenshtein(a, t) <= 1", "st_one(a, t)")
                        .replace("damerau_levenshtein(b, t) <= 1", "st_one(b, t)")
                }
                _ => {}
            }
        }
        out.push((name.to_string(), params, body));
    }
    out
}

/// Expand every call of the macros `defs` in `text`, innermost arguments first, until none is left.
fn expand(text: &str, defs: &[(String, Vec<String>, String)]) -> String {
    let mut s = text.to_string();
    for _ in 0..10_000 {
        // the first call of any macro, at an identifier boundary and outside quoted text
        let mut quoted_at = Vec::with_capacity(s.len());
        let mut q = false;
        for b in s.bytes() {
            if b == b'\'' {
                q = !q;
            }
            quoted_at.push(q);
        }
        let mut first: Option<(usize, usize)> = None;
        for (k, (name, _, _)) in defs.iter().enumerate() {
            let pat = format!("{name}(");
            let mut from = 0;
            while let Some(at) = s[from..].find(&pat).map(|x| x + from) {
                let boundary = at == 0
                    || !s.as_bytes()[at - 1].is_ascii_alphanumeric()
                        && s.as_bytes()[at - 1] != b'_';
                if boundary && !quoted_at[at] {
                    if first.is_none_or(|(f, _)| at < f) {
                        first = Some((at, k));
                    }
                    break;
                }
                from = at + 1;
            }
        }
        let Some((at, k)) = first else {
            return s;
        };
        let (name, params, body) = &defs[k];
        let open = at + name.len();
        // the arguments: split at top-level commas up to the matching parenthesis
        let (mut depth, mut args, mut start, mut end) = (0i32, Vec::new(), open + 1, open);
        let mut quoted = false;
        for (i, c) in s[open..].char_indices() {
            let i = i + open;
            match c {
                '\'' => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted => {
                    depth -= 1;
                    if depth == 0 {
                        args.push(s[start..i].trim().to_string());
                        end = i;
                        break;
                    }
                }
                ',' if !quoted && depth == 1 => {
                    args.push(s[start..i].trim().to_string());
                    start = i + 1;
                }
                _ => {}
            }
        }
        let pattern = format!(r"\b({})\b", params.join("|"));
        let re = regex::Regex::new(&pattern).expect("parameter names");
        let expanded = re.replace_all(body, |c: &regex::Captures| {
            let p = params.iter().position(|x| *x == c[1]).expect("a parameter");
            format!("({})", args.get(p).cloned().unwrap_or_default())
        });
        s = format!("{}({}){}", &s[..at], expanded, &s[end + 1..]);
    }
    s
}

/// Positions 1..=8 of two 8-digit date strings that differ.
fn date_nd(x: &str, y: &str) -> String {
    let terms: Vec<String> = (1..=8)
        .map(|i| format!("CAST(substr({x}, {i}, 1) <> substr({y}, {i}, 1) AS INTEGER)"))
        .collect();
    format!("({})", terms.join(" + "))
}

fn date_level(p: &str, tol: u32) -> String {
    let (x, y) = (format!("fa.{p}_dig"), format!("fb.{p}_dig"));
    let nd = date_nd(&x, &y);
    let transposed: Vec<String> = (1..=7)
        .map(|i| {
            let j = i + 1;
            format!(
                "(substr({x}, {i}, 1) <> substr({y}, {i}, 1) AND substr({x}, {j}, 1) <> substr({y}, {j}, 1) \
                 AND substr({x}, {i}, 1) = substr({y}, {j}, 1) AND substr({x}, {j}, 1) = substr({y}, {i}, 1))"
            )
        })
        .collect();
    let swapped = format!("(substr({x}, 1, 4) || substr({x}, 7, 2) || substr({x}, 5, 2))");
    format!(
        "CASE WHEN {x} IS NULL OR {y} IS NULL THEN 0 WHEN {x} = {y} THEN 5 \
         WHEN {nd} = 1 OR ({nd} = 2 AND ({t})) OR (fa.{p}_y = fb.{p}_y AND fa.{p}_m = fb.{p}_d AND fa.{p}_d = fb.{p}_m) THEN 4 \
         WHEN {nd} = 2 OR {sw} = 1 THEN 3 \
         WHEN abs(fa.{p}_days - fb.{p}_days) <= {tol} THEN 2 ELSE 1 END",
        t = transposed.join(" OR "),
        sw = date_nd(&swapped, &y),
    )
}

/// The level expression of comparison `i` (its raw level, before second address lines and guards).
fn level_expr(i: usize, c: &RComp, lay: &Layout) -> String {
    let p = format!("c{i}");
    let Some(col) = c.col else {
        return "0".into();
    };
    if lay.kinds[col] == ColKind::Date {
        return date_level(&p, c.tol_days);
    }
    let (x, y) = (format!("fa.{p}"), format!("fb.{p}"));
    let body = match c.kind {
        CompareKind::Email => format!(
            "WHEN {x} = {y} THEN 3 WHEN st_one({x}, {y}) AND fa.{p}_strip <> fb.{p}_strip THEN 2 ELSE 1"
        ),
        CompareKind::Phone | CompareKind::CnId | CompareKind::Postcode => {
            format!("WHEN {x} = {y} THEN 3 WHEN st_one({x}, {y}) THEN 2 ELSE 1")
        }
        CompareKind::Gender | CompareKind::Province | CompareKind::Country => {
            format!("WHEN {x} = {y} THEN 2 ELSE 1")
        }
        CompareKind::City | CompareKind::Text => format!(
            "WHEN {x} = {y} THEN 3 \
             WHEN NOT (CAST(bit_count(fa.{p}_mask & fb.{p}_mask) AS DOUBLE) >= CAST('0.6' AS DOUBLE) * \
                       CAST(greatest(bit_count(fa.{p}_mask), bit_count(fb.{p}_mask)) AS DOUBLE)) THEN 1 \
             WHEN st_jw({x}, {y}) >= CAST('0.88' AS DOUBLE) THEN 2 ELSE 1"
        ),
        CompareKind::Address => {
            let (ta, tb) = (format!("fa.{p}_tok"), format!("fb.{p}_tok"));
            let num_ok = format!("(NOT (fa.{p}_num AND fb.{p}_num) OR st_numcommon({ta}, {tb}))");
            let dice = format!("st_dice({ta}, {tb})");
            let tl = format!(
                "CASE WHEN {dice} >= CAST('0.999' AS DOUBLE) AND {num_ok} THEN 4 \
                 WHEN {num_ok} AND ({dice} >= CAST('0.75' AS DOUBLE) OR ({dice} >= CAST('0.3' AS DOUBLE) AND \
                      st_jw({x}, {y}) >= CAST('0.95' AS DOUBLE))) THEN 3 \
                 WHEN {dice} >= CAST('0.5' AS DOUBLE) THEN 2 ELSE 1 END"
            );
            let sq = format!(
                "CASE WHEN fa.{p}_sq IS NULL OR fb.{p}_sq IS NULL THEN 0 WHEN fa.{p}_sq = fb.{p}_sq THEN 4 \
                 WHEN fa.{p}_sqa AND fb.{p}_sqa AND least(fa.{p}_sql, fb.{p}_sql) >= 6 AND fa.{p}_sqd = fb.{p}_sqd \
                      AND st_one(fa.{p}_sq, fb.{p}_sq) THEN 3 ELSE 0 END"
            );
            format!("WHEN {x} = {y} THEN 4 ELSE greatest({tl}, {sq})")
        }
        // names are levelled together (see `names`); nothing else is compared
        _ => return "0".into(),
    };
    format!("CASE WHEN {x} = '' OR {y} = '' THEN 0 {body} END")
}

/// The level of both address lines of each record together (`compare::address_union_level`), 0 for none.
fn union_level(i: usize) -> String {
    let p = format!("c{i}");
    let (ua, ub) = (format!("fa.{p}_u"), format!("fb.{p}_u"));
    format!(
        "CASE WHEN fa.{p}_a2e AND fb.{p}_a2e THEN 0 WHEN {ua} IS NULL OR {ub} IS NULL THEN 0 \
         WHEN len({ua}) = 0 OR len({ub}) = 0 THEN 0 \
         WHEN fa.{p}_unum AND fb.{p}_unum AND NOT st_numcommon({ua}, {ub}) THEN 0 \
         WHEN st_dice({ua}, {ub}) >= CAST('0.999' AS DOUBLE) THEN 4 \
         WHEN st_dice({ua}, {ub}) >= CAST('0.75' AS DOUBLE) THEN 3 ELSE 0 END"
    )
}

fn any_of(v: &[String]) -> String {
    if v.is_empty() {
        "false".into()
    } else {
        format!("({})", v.join(" OR "))
    }
}

/// What both scripts start with after their header: Spark's note, the dialect's functions and the check that
/// the features table fits the model; returns the blocking CTEs (the last one `cand (a, b, gp)`).
fn preamble(
    sql: &mut String,
    cfg: &Config,
    lay: &Layout,
    origin: &str,
    d: Dialect,
) -> Result<Vec<String>> {
    if d == Dialect::Spark {
        sql.push_str(SPARK_NOTE);
    }
    sql.push_str(&functions(d));
    sql.push_str(&d.spell(&made_for_check(lay)));
    blocking_ctes(cfg, lay, origin)
}

/// The candidate pairs of the blocking rules as CTEs, the last one `cand (a, b, gp)` (`gp`: whether the
/// birth gate judges the pair).
fn blocking_ctes(cfg: &Config, lay: &Layout, origin: &str) -> Result<Vec<String>> {
    let mut ctes: Vec<String> = Vec::new();
    let mut rule_pairs: Vec<String> = Vec::new();
    for (r, passes) in lay.rules.iter().enumerate() {
        let Some(passes) = passes else { continue };
        ctes.push(format!(
            "k{r} AS (SELECT row, unnest(k{r}) AS key, s0, s1 FROM features)"
        ));
        ctes.push(format!(
            "b{r} AS (SELECT key, count(*) AS n FROM k{r} GROUP BY key HAVING count(*) >= 2)"
        ));
        ctes.push(format!(
            "w{r} AS (SELECT x.row, x.key, b.n, x.s1, \
             row_number() OVER (PARTITION BY x.key ORDER BY x.s0, x.row) AS r0, \
             row_number() OVER (PARTITION BY x.key ORDER BY x.s1, x.row) AS r1 \
             FROM k{r} x JOIN b{r} b USING (key))"
        ));
        // `gp`: 1 where the birth gate judges the pair (`blocking::rule_pairs`): every pair of a key that
        // holds the birth year, and neighbours in birth-date order (pass 0).
        let gated = |pass: Option<usize>| {
            u8::from(lay.gate.is_some() && (lay.year_keyed[r] || pass == Some(0)))
        };
        let mut parts = vec![format!(
            "SELECT x.row AS a, y.row AS b, {gp} AS gp FROM w{r} x JOIN w{r} y ON x.key = y.key AND x.row < y.row \
             WHERE x.n <= {mb}",
            gp = gated(None),
            mb = cfg.max_block
        )];
        for p in passes {
            // The second order is a hash of the token fields (`blocking::secondary`, name bits below 2^16):
            // neighbours there are paired only when those fields are equal, as natively.
            let equal = if *p == 0 {
                String::new()
            } else {
                format!(" AND x.s{p} // 65536 = y.s{p} // 65536")
            };
            parts.push(format!(
                "SELECT least(x.row, y.row) AS a, greatest(x.row, y.row) AS b, {gp} AS gp FROM w{r} x JOIN w{r} y \
                 ON x.key = y.key AND y.r{p} > x.r{p} AND y.r{p} <= x.r{p} + {w}{equal} WHERE x.n > {mb}",
                gp = gated(Some(*p)),
                w = cfg.window,
                mb = cfg.max_block
            ));
        }
        ctes.push(format!("p{r} AS ({})", parts.join("\n  UNION ALL ")));
        rule_pairs.push(format!("SELECT a, b, gp FROM p{r}"));
    }
    if rule_pairs.is_empty() {
        return Err(StewardError::data(format!(
            "{origin}: none of the model's blocking rules applies to its fields: it makes no candidate pair"
        ))
        .into());
    }
    // A pair the gate judges on every way it was proposed keeps `gp` 1.
    ctes.push(format!(
        "cand AS (SELECT a, b, min(gp) AS gp FROM ({}) GROUP BY a, b)",
        rule_pairs.join(" UNION ALL ")
    ));
    Ok(ctes)
}

/// The levels and guard bits of the pairs of CTE `cand` (a, b, and with `gated` gp: the candidate pairs,
/// whose birth dates the gate may judge) as CTEs named with `pre`; returns them and the last one's name
/// (columns a, b, id_a, id_b, l0.., guard).
fn level_ctes(lay: &Layout, cand: &str, pre: &str, gated: bool) -> (Vec<String>, String) {
    let mut ctes: Vec<String> = Vec::new();
    let gate = lay.gate.filter(|_| gated);
    // 1. Raw levels, with the name parts compared straight and swapped.
    let mut sel = vec![
        "c.a".to_string(),
        "c.b".into(),
        "fa.id AS id_a".into(),
        "fb.id AS id_b".into(),
    ];
    if gate.is_some() {
        sel.push("c.gp AS gp".into());
    }
    let names = lay.has_name
        && lay
            .comps
            .iter()
            .any(|c| matches!(c.kind, CompareKind::GivenName | CompareKind::FamilyName));
    if names {
        let given = |x: &str, y: &str, yp: &str| {
            // The given scale compares x's first and all given names with y's `yp` part: its given names
            // (g, ga), or swapped, its family name for both.
            let (yf, ya) = if yp == "f" { ("f", "f") } else { ("g", "ga") };
            format!(
                "st_given({x}.n_g, {x}.n_ga, {x}.n_gc, {y}.n_{yf}, {y}.n_{ya}, {y}.n_{yc}, \
                 {x}.n_g_nick, {x}.n_ga_nick, {y}.n_{yf}_nick, {y}.n_{ya}_nick, {x}.n_g_fi, {y}.n_{yf}_fi, \
                 {x}.n_g_fml, {y}.n_{yf}_fml)",
                yc = if yp == "f" { "fc" } else { "gc" }
            )
        };
        sel.push(format!(
            "CASE WHEN fa.n_ga = '' OR fb.n_ga = '' THEN 0 ELSE {} END AS ng",
            given("fa", "fb", "g")
        ));
        sel.push(
            "CASE WHEN fa.n_f = '' OR fb.n_f = '' THEN 0 ELSE st_family(fa.n_f, fa.n_fc, fb.n_f, fb.n_fc) END AS nf"
                .into(),
        );
        let swap_ok = "(fa.n_ga <> '' AND fa.n_f <> '' AND fb.n_ga <> '' AND fb.n_f <> '' \
                       AND NOT (fa.n_fc <> '' AND fb.n_fc <> '') \
                       AND (fa.n_ga_b0 = fb.n_f_b0 OR fa.n_f_b0 = fb.n_ga_b0))";
        sel.push(format!("{swap_ok} AS swap_ok"));
        sel.push(format!(
            "CASE WHEN {swap_ok} THEN {} ELSE 0 END AS sg",
            given("fa", "fb", "f")
        ));
        sel.push(format!(
            "CASE WHEN {swap_ok} THEN st_family(fa.n_f, fa.n_fc, fb.n_ga, fb.n_gc) ELSE 0 END AS sf"
        ));
        sel.push("fa.n_sfx AS sfx_a".into());
        sel.push("fb.n_sfx AS sfx_b".into());
    }
    for (i, c) in lay.comps.iter().enumerate() {
        if matches!(c.kind, CompareKind::GivenName | CompareKind::FamilyName) {
            continue;
        }
        sel.push(format!("{} AS l{i}", level_expr(i, c, lay)));
        if c.kind == CompareKind::Address && c.col.is_some() && c.alt.is_some() {
            sel.push(format!("{} AS ul{i}", union_level(i)));
        }
    }
    ctes.push(format!(
        "{pre}j AS (SELECT {} FROM {cand} c JOIN features fa ON fa.row = c.a JOIN features fb ON fb.row = c.b)",
        sel.join(",\n  ")
    ));
    let mut prev = format!("{pre}j");
    if names {
        let score = |g: &str, f: &str| {
            format!("(2 * {g} + 2 * {f} + CAST({g} >= 4 AS INTEGER) + CAST({f} >= 3 AS INTEGER))")
        };
        let use_swap = format!(
            "(NOT (ng >= 4 AND nf >= 3) AND swap_ok AND {} > {} + 2)",
            score("sg", "sf"),
            score("ng", "nf")
        );
        let mut cols = Vec::new();
        for (i, c) in lay.comps.iter().enumerate() {
            match c.kind {
                CompareKind::GivenName => {
                    cols.push(format!("CASE WHEN {use_swap} THEN sg ELSE ng END AS l{i}"))
                }
                CompareKind::FamilyName => {
                    cols.push(format!("CASE WHEN {use_swap} THEN sf ELSE nf END AS l{i}"))
                }
                _ => {}
            }
        }
        ctes.push(format!(
            "{pre}n AS (SELECT *, {} FROM {prev})",
            cols.join(", ")
        ));
        prev = format!("{pre}n");
    } else {
        let cols: Vec<String> = lay
            .comps
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.kind, CompareKind::GivenName | CompareKind::FamilyName))
            .map(|(i, _)| format!("0 AS l{i}"))
            .collect();
        if !cols.is_empty() {
            ctes.push(format!(
                "{pre}n AS (SELECT *, {} FROM {prev})",
                cols.join(", ")
            ));
            prev = format!("{pre}n");
        }
    }
    // Stages that change a level add it under a new name (no `SELECT * REPLACE`, which not every engine
    // has); `cur` is each comparison's current column, renamed back to l0.. afterwards.
    let mut cur: Vec<String> = (0..lay.comps.len()).map(|i| format!("l{i}")).collect();
    // 2. Second address lines: both lines of each record together, when the address alone is not close and
    // the second lines are not the same (`compare::alt_lines`, in comparison order).
    for (i, c) in lay.comps.iter().enumerate() {
        let (CompareKind::Address, Some(_), Some(_)) = (c.kind, c.col, c.alt) else {
            continue;
        };
        let alt_exact = c
            .alt_cmp
            .map(|j| {
                format!(
                    "{} = {}",
                    cur[j],
                    super::level_names(lay.comps[j].kind).len() - 1
                )
            })
            .unwrap_or_else(|| "false".into());
        let hit = format!("({} < 3 AND NOT ({alt_exact}) AND ul{i} > 0)", cur[i]);
        let mut add = vec![format!(
            "CASE WHEN {hit} THEN ul{i} ELSE {} END AS l{i}_alt",
            cur[i]
        )];
        if let Some(j) = c.alt_cmp {
            add.push(format!(
                "CASE WHEN {hit} THEN 0 ELSE {} END AS l{j}_alt{i}",
                cur[j]
            ));
        }
        let name = format!("{pre}alt{i}");
        ctes.push(format!(
            "{name} AS (SELECT *, {} FROM {prev})",
            add.join(", ")
        ));
        cur[i] = format!("l{i}_alt");
        if let Some(j) = c.alt_cmp {
            cur[j] = format!("l{j}_alt{i}");
        }
        prev = name;
    }
    // 3. The same street address in another town is another place (`compare::address_elsewhere`).
    let g = &lay.guard;
    if !g.locality.is_empty() {
        let differs = any_of(
            &g.locality
                .iter()
                .map(|(i, _)| format!("{} = 1", cur[*i]))
                .collect::<Vec<_>>(),
        );
        let agrees = any_of(
            &g.locality
                .iter()
                .map(|(i, _)| format!("{} >= 2", cur[*i]))
                .collect::<Vec<_>>(),
        );
        let addresses: Vec<usize> = (0..lay.comps.len())
            .filter(|&i| lay.comps[i].kind == CompareKind::Address)
            .collect();
        let add: Vec<String> = addresses
            .iter()
            .map(|&i| {
                format!(
                    "CASE WHEN {differs} AND NOT {agrees} AND {c} >= 3 THEN 2 ELSE {c} END AS l{i}_else",
                    c = cur[i]
                )
            })
            .collect();
        if !add.is_empty() {
            ctes.push(format!(
                "{pre}elsewhere AS (SELECT *, {} FROM {prev})",
                add.join(", ")
            ));
            prev = format!("{pre}elsewhere");
            for i in addresses {
                cur[i] = format!("l{i}_else");
            }
        }
    }
    // The levels under their own names again, with what the guards need.
    let mut keep: Vec<String> = ["a", "b", "id_a", "id_b"].map(String::from).to_vec();
    if gate.is_some() {
        keep.push("gp".into());
    }
    if names {
        keep.extend(["sfx_a".to_string(), "sfx_b".to_string()]);
    }
    keep.extend(cur.iter().enumerate().map(|(i, c)| format!("{c} AS l{i}")));
    ctes.push(format!(
        "{pre}lv AS (SELECT {} FROM {prev})",
        keep.join(", ")
    ));
    prev = format!("{pre}lv");
    // 4. Guards (`compare::guard_bits`).
    let lv = |o: Option<usize>, cond: &str| {
        o.map(|i| format!("(l{i} {cond})"))
            .unwrap_or_else(|| "false".into())
    };
    let sum_of = |v: Vec<String>| {
        if v.is_empty() {
            "0".to_string()
        } else {
            format!("({})", v.join(" + "))
        }
    };
    let birth_exact = lv(g.birth, "= 5");
    let disagree = sum_of(
        g.personal
            .iter()
            .map(|i| format!("CAST(l{i} = 1 AS INTEGER)"))
            .collect(),
    );
    let agree = any_of(
        &g.ids
            .iter()
            .map(|i| format!("l{i} >= 2"))
            .collect::<Vec<_>>(),
    );
    let family_else = lv(g.family, "= 1");
    let ids_exact = sum_of(
        g.ids
            .iter()
            .map(|i| format!("CAST(l{i} = 3 AS INTEGER)"))
            .collect(),
    );
    let anchored = format!(
        "({} OR ({birth_exact} AND {}))",
        any_of(
            &g.anchors
                .iter()
                .map(|(i, l)| format!("l{i} >= {l}"))
                .collect::<Vec<_>>()
        ),
        if g.locality.is_empty() {
            "true".to_string()
        } else {
            any_of(
                &g.locality
                    .iter()
                    .map(|(i, l)| format!("l{i} >= {l}"))
                    .collect::<Vec<_>>(),
            )
        }
    );
    let gsuffix = if g.suffix && lay.has_name && names {
        format!("(NOT {birth_exact} AND sfx_a <> sfx_b)")
    } else {
        "false".into()
    };
    ctes.push(format!(
        "{pre}gd AS (SELECT *, {sid} AS g_sid, {gid} AS g_id, {gg} AS g_given, {gb} AS g_birth, {gsuffix} AS g_suffix, \
         {disagree} AS g_disagree, ({disagree} >= 2 AND NOT {agree} AND (NOT {birth_exact} OR {family_else})) AS g_personal, \
         {gnames} AS g_names, {gnoanchor} AS g_noanchor, {ids_exact} AS g_ids_exact FROM {prev})",
        sid = lv(g.strong_id, "= 3"),
        gid = lv(g.strong_id, "= 1"),
        gg = lv(g.given, "= 1"),
        gb = lv(g.birth, "= 1"),
        gnames = if g.strict {
            "false".to_string()
        } else {
            format!("({} AND {family_else} AND NOT {birth_exact})", lv(g.given, "= 1"))
        },
        gnoanchor = if !g.anchors.is_empty() || g.birth.is_some() {
            format!("(NOT {anchored})")
        } else {
            "false".into()
        },
    ));
    let strict = if g.strict { "true" } else { "false" };
    ctes.push(format!(
        "{pre}gv AS (SELECT *, CASE WHEN g_sid THEN 0 ELSE \
         CAST(g_given AS INTEGER) + 2 * CAST(g_birth AS INTEGER) + 4 * CAST(g_suffix AS INTEGER) \
         + 8 * CAST(g_id OR g_suffix OR (g_given AND g_birth AND ({strict} OR g_disagree > 0)) \
                    OR ((g_given OR g_birth) AND (g_disagree > 0 OR ({strict} AND g_ids_exact < 2))) AS INTEGER) \
         + 16 * CAST(g_id AS INTEGER) + 32 * CAST(g_personal AS INTEGER) + 64 * CAST(g_noanchor AS INTEGER) \
         + 128 * CAST(g_names AS INTEGER) END AS guard FROM {pre}gd)"
    ));
    let Some(g) = gate else {
        return (ctes, format!("{pre}gv"));
    };
    // 4b. The birth gate (`Config::birth_gate`): a pair only keys it judges proposed, whose birth dates disagree
    // outright, keeps that level alone and no guard. Two branches, each testing that once: an engine that
    // inlines CTEs (Spark) would otherwise copy the birth level's expression into every column.
    let judged = format!("(gp = 1 AND l{g} = 1)");
    let head = ["a", "b", "id_a", "id_b"].join(", ");
    let levels: Vec<String> = (0..lay.comps.len()).map(|i| format!("l{i}")).collect();
    let fixed: Vec<String> = (0..lay.comps.len())
        .map(|i| format!("{} AS l{i}", if i == g { 1 } else { 0 }))
        .collect();
    ctes.push(format!(
        "{pre}bg AS (SELECT {head}, {}, guard FROM {pre}gv WHERE NOT {judged} \
         UNION ALL SELECT {head}, {}, 0 AS guard FROM {pre}gv WHERE {judged})",
        levels.join(", "),
        fixed.join(", ")
    ));
    (ctes, format!("{pre}bg"))
}

/// The weight of the levelled pairs of CTE `from` (`match_weight`), as CTEs named with `pre`.
fn score_ctes(model: &super::Model, from: &str, pre: &str) -> (Vec<String>, String) {
    let mut ctes: Vec<String> = Vec::new();
    // 5. Weights: log2(m/u) per level; of the location comparisons only the strongest agreement counts.
    let loc = |k: CompareKind| {
        matches!(
            k,
            CompareKind::City
                | CompareKind::Province
                | CompareKind::Postcode
                | CompareKind::Country
        )
    };
    let mut wcols = Vec::new();
    for (c, cm) in model.comparisons.iter().enumerate() {
        let arms: Vec<String> = (1..cm.m.len())
            .map(|l| format!("WHEN {l} THEN {}", lit(model.level_weight(c, l as u8))))
            .collect();
        wcols.push(format!(
            "CASE l{c} {} ELSE CAST(0 AS DOUBLE) END AS w{c}",
            arms.join(" ")
        ));
    }
    ctes.push(format!(
        "{pre}wt AS (SELECT *, {} FROM {from})",
        wcols.join(", ")
    ));
    let mut terms: Vec<String> = Vec::new();
    let mut locs: Vec<String> = Vec::new();
    for (c, cm) in model.comparisons.iter().enumerate() {
        if loc(cm.kind) {
            terms.push(format!("least(w{c}, CAST(0 AS DOUBLE))"));
            locs.push(format!("w{c}"));
        } else {
            terms.push(format!("w{c}"));
        }
    }
    if !locs.is_empty() {
        terms.push(format!("greatest(CAST(0 AS DOUBLE), {})", locs.join(", ")));
    }
    let gw = format!(
        "CASE WHEN guard = 0 THEN CAST(0 AS DOUBLE) WHEN (guard & 8) <> 0 THEN {veto} \
         ELSE bit_count(CAST(guard & 7 AS INTEGER)) * {soft} + CASE WHEN (guard & 32) <> 0 THEN {pers} ELSE CAST(0 AS DOUBLE) END \
         + CASE WHEN (guard & 64) <> 0 THEN {noanc} ELSE CAST(0 AS DOUBLE) END END",
        veto = lit(model.veto_penalty),
        soft = lit(model.soft_penalty),
        pers = lit(model.personal_penalty),
        noanc = lit(model.no_anchor_penalty)
    );
    ctes.push(format!(
        "{pre}raw AS (SELECT *, {prior} + ({ev}) - ({gw}) AS w_raw FROM {pre}wt)",
        prior = lit(model.prior_weight()),
        ev = terms.join(" + ")
    ));
    ctes.push(format!(
        "{pre}scored AS (SELECT *, CASE WHEN (guard & 128) <> 0 THEN least(w_raw, {cap}) ELSE w_raw END AS match_weight FROM {pre}raw)",
        cap = lit(model.no_identity_cap)
    ));
    (ctes, format!("{pre}scored"))
}

/// SQL scoring the candidate pairs of a features table (`features`, from `steward model features` with
/// the same model) as the native engine does: the union of the blocking rules' pairs, blocks larger than
/// the model's `max_block` cut into the same sorted windows, each comparison's level, the guards, the
/// weight and probability; pairs at or above the review band's lower bound, with their levels.
pub fn predict_sql(saved: &SavedModel, origin: &str, d: Dialect) -> Result<String> {
    let cfg = &saved.config;
    let model = &saved.model;
    let lay = layout(saved);
    let nc = cfg.comparisons.len();
    let mut sql = String::new();
    sql.push_str(&format!(
        "-- steward model SQL ({}) for {origin}: model format {}, features version {}, written by {}.\n\
         -- Reads the table or view `features` (steward model features SRC --model MODEL -o features.parquet;\n\
         -- CREATE VIEW features AS SELECT * FROM 'features.parquet'), returns each candidate pair with a match\n\
         -- probability of at least {} (the review band's lower bound; accepted at {}), its levels and weight.\n",
        d.name(), saved.version, saved.features_version, saved.written_by, cfg.review_lower, cfg.threshold
    ));
    let mut ctes = preamble(&mut sql, cfg, &lay, origin, d)?;
    let (lc, levelled) = level_ctes(&lay, "cand", "", true);
    ctes.extend(lc);
    let (sc, scored) = score_ctes(model, &levelled, "");
    ctes.extend(sc);
    let mut out = vec![
        "a AS row_a".to_string(),
        "b AS row_b".into(),
        "id_a".into(),
        "id_b".into(),
    ];
    for (i, c) in cfg.comparisons.iter().enumerate().take(nc) {
        out.push(format!("l{i} AS {}", d.ident(&format!("{}_level", c.name))));
    }
    out.push("guard".into());
    out.push(format!("'{}' AS made_for", lay.made_for));
    out.push("match_weight".into());
    out.push("CAST(1 AS DOUBLE) / (CAST(1 AS DOUBLE) + pow(CAST(2 AS DOUBLE), -match_weight)) AS match_probability".into());
    let body = d.spell(&format!(
        "WITH\n{}\nSELECT * FROM (SELECT {} FROM {scored}) WHERE match_probability >= {} ORDER BY row_a, row_b;\n",
        ctes.join(",\n"),
        out.join(", "),
        lit(cfg.review_lower)
    ));
    sql.push_str(&in_dialect(&body, d));
    Ok(sql)
}

/// SQL returning the counts a model is trained from, over a features table: each pattern of levels and
/// guard bits among the blocked candidate pairs (`source = 'candidates'`), among `random_pairs` random
/// pairs of records (`'random'`: what u is estimated from), and the records (`'records'`, `n` only).
/// `steward model train --counts` fits m and the prior by the same EM as the native engine from them.
pub fn counts_sql(
    saved: &SavedModel,
    origin: &str,
    random_pairs: u64,
    d: Dialect,
) -> Result<String> {
    let cfg = &saved.config;
    let lay = layout(saved);
    let mut sql = format!(
        "-- steward model training counts ({}) for {origin}: model format {}, features version {}.\n\
         -- Reads the table or view `features`; returns source ('candidates', 'random' or 'records'), each\n\
         -- comparison's level, guard and n, for `steward model train --counts`.\n",
        d.name(), saved.version, saved.features_version
    );
    let mut ctes = preamble(&mut sql, cfg, &lay, origin, d)?;
    let (lc, cand) = level_ctes(&lay, "cand", "", true);
    ctes.extend(lc);
    ctes.push("nrows AS (SELECT count(*) AS n FROM features)".into());
    // Random pairs of distinct records, by hashing a counter (the same pairs on every run).
    ctes.push(match d {
        Dialect::DuckDb => format!(
            "rnd AS (SELECT least(a, b) AS a, greatest(a, b) AS b FROM (SELECT hash(i, 1) % n AS a, hash(i, 2) % n AS b \
             FROM range({random_pairs}) t(i) CROSS JOIN nrows) WHERE a <> b)"
        ),
        Dialect::Spark => format!(
            "rnd AS (SELECT least(a, b) AS a, greatest(a, b) AS b FROM (SELECT pmod(xxhash64(id, 1), n) AS a, \
             pmod(xxhash64(id, 2), n) AS b FROM range({random_pairs}) CROSS JOIN nrows) WHERE a <> b)"
        ),
    });
    let (rc, random) = level_ctes(&lay, "rnd", "r_", false);
    ctes.extend(rc);
    let levels: Vec<String> = cfg
        .comparisons
        .iter()
        .enumerate()
        .map(|(i, c)| format!("l{i} AS {}", d.ident(&format!("{}_level", c.name))))
        .collect();
    let nulls: Vec<String> = cfg
        .comparisons
        .iter()
        .map(|c| {
            format!(
                "CAST(NULL AS INTEGER) AS {}",
                d.ident(&format!("{}_level", c.name))
            )
        })
        .collect();
    let body = d.spell(&format!(
        "WITH\n{}\nSELECT 'candidates' AS source, {l}, guard, count(*) AS n FROM {cand} GROUP BY ALL\n\
         UNION ALL SELECT 'random' AS source, {l}, guard, count(*) AS n FROM {random} GROUP BY ALL\n\
         UNION ALL SELECT 'records' AS source, {nl}, CAST(NULL AS INTEGER) AS guard, n FROM nrows\n\
         ORDER BY ALL;\n",
        ctes.join(",\n"),
        l = levels.join(", "),
        nl = nulls.join(", ")
    ));
    sql.push_str(&in_dialect(&body, d));
    Ok(sql)
}

/// The columns of the pairs an engine scored that clustering reads (`made_for` optional).
pub const PAIR_COLUMNS: [(&str, bool); 4] = [
    ("row_a", true),
    ("row_b", true),
    ("match_probability", true),
    ("made_for", false),
];

/// The pairs of an engine's result (columns `PAIR_COLUMNS`): rows are whole numbers, probabilities in
/// [0, 1], and every `made_for` (when there is the column) the model's.
pub fn scored_pairs(t: &NamedColumns, made_for: &str) -> Result<Vec<(u32, u32, f64)>> {
    let row =
        |x: f64| (x.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&x)).then_some(x as u32);
    let mut out = Vec::with_capacity(t.rows.len());
    for (r, (_, v)) in t.rows.iter().enumerate() {
        let num = |k: usize| -> Result<f64> {
            v[k].trim()
                .parse::<f64>()
                .map_err(|_| t.error(format!("{}: {:?} is not a number", t.at(r, k), v[k])))
        };
        let (a, b, p) = (num(0)?, num(1)?, num(2)?);
        let pair = (row(a), row(b), (0.0..=1.0).contains(&p).then_some(p));
        let (Some(a), Some(b), Some(p)) = pair else {
            return Err(t.error(format!(
                "{}: not a pair of rows (whole numbers) with a probability in [0, 1]",
                t.at(r, 0)
            )));
        };
        if t.positions[3].is_some() && v[3] != made_for {
            return Err(t.error(format!(
                "{}: the pairs were scored for {:?}, not for this model ({made_for:?}): cluster with the model \
                 that scored them",
                t.at(r, 3),
                v[3]
            )));
        }
        out.push((a, b, p));
    }
    Ok(out)
}

/// The columns of training counts for `base` (`counts_sql`'s result), all required.
pub fn count_columns(base: &SavedModel) -> Vec<String> {
    let mut need: Vec<String> = vec!["source".into()];
    need.extend(
        base.config
            .comparisons
            .iter()
            .map(|c| format!("{}_level", c.name)),
    );
    need.extend(["guard".into(), "n".into()]);
    need
}

/// The training counts of an engine's result (columns `count_columns`), and the records counted.
pub fn pattern_counts(base: &SavedModel, t: &NamedColumns) -> Result<(Vec<PatternCount>, u64)> {
    let comps = &base.config.comparisons;
    let (guard_at, n_at) = (comps.len() + 1, comps.len() + 2);
    let (mut counts, mut records) = (Vec::new(), 0u64);
    for (r, (_, v)) in t.rows.iter().enumerate() {
        let bad = |k: usize, why: &str| t.error(format!("{}: {:?} {why}", t.at(r, k), v[k]));
        let n: u64 = v[n_at]
            .trim()
            .parse()
            .map_err(|_| bad(n_at, "is not a count"))?;
        let random = match v[0].trim() {
            "records" => {
                records += n;
                continue;
            }
            "random" => true,
            "candidates" => false,
            _ => return Err(bad(0, "is not candidates, random or records")),
        };
        let mut levels = Vec::with_capacity(comps.len());
        for (k, c) in comps.iter().enumerate() {
            let top = super::level_names(c.kind).len() as u8;
            let l: u8 = v[k + 1]
                .trim()
                .parse()
                .ok()
                .filter(|&l| l < top)
                .ok_or_else(|| bad(k + 1, "is not a level of this comparison"))?;
            levels.push(l);
        }
        let guard: u8 = v[guard_at]
            .trim()
            .parse()
            .map_err(|_| bad(guard_at, "is not guard bits"))?;
        counts.push(PatternCount {
            random,
            levels,
            guard,
            n,
        });
    }
    if !counts.iter().any(|c| c.random) || !counts.iter().any(|c| !c.random) {
        return Err(t.error(
            "the counts need both candidate pairs and random pairs (model sql --counts returns both)".into(),
        ));
    }
    Ok((counts, records))
}

/// One row of training counts: random pair or candidate, levels, guard bits, how many.
pub struct PatternCount {
    pub random: bool,
    pub levels: Vec<u8>,
    pub guard: u8,
    pub n: u64,
}

/// The model trained from counts of a features table (`counts_sql`) as the native engine trains it: u from
/// the random pairs' levels, m and the prior by EM over the candidates' patterns, from the same start. The
/// base model gives the configuration (blocking, comparisons, guards, thresholds) and keeps nothing else.
pub fn train_from_counts(base: &SavedModel, counts: &[PatternCount], records: u64) -> SavedModel {
    use super::model::{em, encode, Model, Obs};
    let cfg = &base.config;
    let mut uc: Vec<Vec<u64>> = cfg
        .comparisons
        .iter()
        .map(|c| vec![0; super::level_names(c.kind).len()])
        .collect();
    let (mut sampled, mut candidates) = (0u64, 0u64);
    let mut patterns: std::collections::BTreeMap<u64, u64> = Default::default();
    for c in counts {
        if c.random {
            for (k, &l) in c.levels.iter().enumerate() {
                uc[k][l as usize] += c.n;
            }
            sampled += c.n;
        } else {
            *patterns.entry(encode(&c.levels, c.guard)).or_insert(0) += c.n;
            candidates += c.n;
        }
    }
    let mut m = Model::untrained(cfg, &uc, sampled);
    let obs: Vec<Obs> = patterns
        .into_iter()
        .map(|(pattern, n)| Obs {
            pattern,
            count: n as f64,
            fixed: None,
        })
        .collect();
    m.em_iterations = em(&mut m, &obs, cfg.em_max_iter, 1e-6);
    let fields: Vec<(String, super::FieldKind)> = base
        .fields
        .iter()
        .map(|f| (f.name.clone(), f.kind))
        .collect();
    SavedModel::new(
        cfg,
        &fields,
        &m,
        super::saved::Trained {
            rows: records,
            candidate_pairs: candidates,
            labels: 0,
            em_iterations: m.em_iterations,
            refined: false,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs(list: &[(&str, &[&str], &str)]) -> Vec<(String, Vec<String>, String)> {
        list.iter()
            .map(|(n, p, b)| {
                (
                    n.to_string(),
                    p.iter().map(|x| x.to_string()).collect(),
                    b.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn macros_expand_nested_calls_and_leave_the_rest() {
        let d = defs(&[("f", &["a", "b"], "a + b"), ("g", &["x"], "f(x, 1) * x")]);
        assert_eq!(
            expand("g(h(2, 3))", &d),
            "((((h(2, 3))) + (1)) * (h(2, 3)))"
        );
        // a parameter name inside an argument or another identifier is not substituted again
        assert_eq!(expand("f(fa.b, b_a)", &d), "((fa.b) + (b_a))");
        // not a call of the macro: another identifier ending in its name, or text in quotes
        assert_eq!(expand("xf(1) || 'f(' ", &d), "xf(1) || 'f(' ");
        assert_eq!(expand("f('a, b', ')')", &d), "(('a, b') + (')'))");
    }

    #[test]
    fn spark_macros_are_the_duckdb_macros_respelled() {
        let duck: Vec<String> = macro_defs(Dialect::DuckDb)
            .into_iter()
            .map(|d| d.0)
            .collect();
        let spark: Vec<String> = macro_defs(Dialect::Spark)
            .into_iter()
            .map(|d| d.0)
            .collect();
        assert!(duck.contains(&"st_jw".to_string()) && !spark.contains(&"st_jw".to_string()));
        assert_eq!(duck.len(), spark.len() + 1);
        for (_, _, body) in macro_defs(Dialect::Spark) {
            for duck_only in [
                "list_intersect(",
                "list_filter(",
                "strlen(",
                "damerau_levenshtein(",
                "lambda ",
            ] {
                assert!(!body.contains(duck_only), "{body}");
            }
        }
    }
}

//! Candidate generation: union of several blocking keys, with oversized blocks
//! sub-blocked by a sorted-neighbourhood window so cost stays near-linear.

use super::compare::date_level;
use super::features::{fnv, ColKind, DateV, Features};
use super::names::{soundex, soundex_code};
use super::{BlockingRule, KeyPart, Mode};
use rayon::prelude::*;

pub struct Resolved {
    pub parts: Vec<(KeyPart, Option<usize>)>,
}

pub fn resolve(
    rule: &BlockingRule,
    field_names: &[String],
    birth: Option<usize>,
) -> Option<Resolved> {
    let mut parts = Vec::new();
    for p in &rule.parts {
        let col = match p {
            KeyPart::Field(name) | KeyPart::FieldPrefix(name, _) => {
                Some(field_names.iter().position(|f| f == name)?)
            }
            KeyPart::BirthYear | KeyPart::BirthDate => Some(birth?),
            _ => None,
        };
        parts.push((p.clone(), col));
    }
    Some(Resolved { parts })
}

fn first_char(s: &str) -> &str {
    s.char_indices().nth(1).map(|(i, _)| &s[..i]).unwrap_or(s)
}

fn push_part(f: &Features, p: &KeyPart, col: Option<usize>, i: usize, buf: &mut String) -> bool {
    let start = buf.len();
    // The name's parts are read only by the name keys.
    let is_name = !matches!(
        p,
        KeyPart::Field(_) | KeyPart::FieldPrefix(..) | KeyPart::BirthYear | KeyPart::BirthDate
    );
    let nm = if is_name && f.has_name {
        f.name(i)
    } else {
        Default::default()
    };
    let name = (is_name && f.has_name).then_some(&nm);
    match p {
        KeyPart::Field(_) | KeyPart::FieldPrefix(_, _) => {
            let Some(c) = col else { return false };
            match f.kinds[c] {
                ColKind::Str | ColKind::Tok | ColKind::TextTok => {
                    let s = f.str(i, c);
                    if let KeyPart::FieldPrefix(_, n) = p {
                        buf.extend(s.chars().take(*n));
                    } else {
                        buf.push_str(s);
                    }
                }
                ColKind::Date if f.date(i, c).is_some() => {
                    buf.push_str(std::str::from_utf8(&f.date(i, c).digits()).unwrap_or(""))
                }
                _ => {}
            }
        }
        KeyPart::NameSorted => {
            if let Some(n) = name {
                if !n.given_all.is_empty() && !n.family.is_empty() {
                    n.push_sorted_key(buf);
                }
            }
        }
        KeyPart::FamilySoundex => {
            if let Some(code) = name.and_then(|n| soundex_code(n.family)) {
                buf.extend(code.iter().map(|&b| char::from(b)));
            }
        }
        KeyPart::GivenSoundex => {
            if let Some(code) = name.and_then(|n| soundex_code(n.given)) {
                buf.extend(code.iter().map(|&b| char::from(b)));
            }
        }
        KeyPart::FamilyInitial => {
            if let Some(n) = name {
                buf.push_str(first_char(n.family));
            }
        }
        KeyPart::GivenInitial => {
            if let Some(n) = name {
                buf.push_str(first_char(n.given));
            }
        }
        KeyPart::SortedInitials => {
            if let Some(n) = name {
                let (a, b) = (first_char(n.given), first_char(n.family));
                if !a.is_empty() && !b.is_empty() {
                    let (x, y) = if a <= b { (a, b) } else { (b, a) };
                    buf.push_str(x);
                    buf.push_str(y);
                }
            }
        }
        // multi-valued: `expand` pushes each value itself
        KeyPart::AnyNameSoundex | KeyPart::AnyNameInitial => {}
        KeyPart::BirthYear | KeyPart::BirthDate => {
            if let Some(c) = col {
                let d = f.date(i, c);
                if d.is_some() {
                    if matches!(p, KeyPart::BirthYear) {
                        buf.push_str(&d.y.to_string());
                    } else {
                        buf.push_str(std::str::from_utf8(&d.digits()).unwrap_or(""));
                    }
                }
            }
        }
    }
    if buf.len() == start {
        return false;
    }
    buf.push('\u{1f}');
    true
}

fn is_multi(p: &KeyPart) -> bool {
    matches!(p, KeyPart::AnyNameSoundex | KeyPart::AnyNameInitial)
}

/// The values of a multi-valued part for row i: soundex or initial of the given
/// and of the family name, the second None when empty or equal to the first.
fn any_name_values(f: &Features, p: &KeyPart, i: usize) -> [Option<String>; 2] {
    if !f.has_name {
        return [None, None];
    }
    let n = f.name(i);
    let v = |s: &str| -> Option<String> {
        let k = if matches!(p, KeyPart::AnyNameSoundex) {
            soundex(s)
        } else {
            first_char(s).to_string()
        };
        (!k.is_empty()).then_some(k)
    };
    let (g, fam) = (v(n.given), v(n.family));
    if fam == g {
        [g, None]
    } else if g.is_none() {
        [fam, None]
    } else {
        [g, fam]
    }
}

/// Append the key hash of every combination of part values of row i to `out`
/// (one key for single-valued rules; none when a part is empty).
fn expand(
    f: &Features,
    parts: &[(KeyPart, Option<usize>)],
    i: usize,
    buf: &mut String,
    out: &mut Vec<u64>,
) {
    expand_text(f, parts, i, buf, &mut |key| out.push(fnv(key.as_bytes())));
}

/// Call `emit` with the text of every key of row i (parts each followed by U+001F).
fn expand_text(
    f: &Features,
    parts: &[(KeyPart, Option<usize>)],
    i: usize,
    buf: &mut String,
    emit: &mut dyn FnMut(&str),
) {
    let Some(((p, c), rest)) = parts.split_first() else {
        emit(buf);
        return;
    };
    let start = buf.len();
    if is_multi(p) {
        for v in any_name_values(f, p, i).into_iter().flatten() {
            buf.truncate(start);
            buf.push_str(&v);
            buf.push('\u{1f}');
            expand_text(f, rest, i, buf, emit);
        }
    } else if push_part(f, p, *c, i, buf) {
        expand_text(f, rest, i, buf, emit);
    }
    buf.truncate(start);
}

/// Blocking key hashes of row i under a rule (several for multi-valued parts).
pub fn row_keys(f: &Features, r: &Resolved, i: usize) -> Vec<u64> {
    let mut out = Vec::new();
    expand(f, &r.parts, i, &mut String::new(), &mut out);
    out
}

/// The values, part by part, of the key of row i whose hash is `key` (for reports: which key made a
/// block too large); None when the row has no such key.
pub fn key_values(f: &Features, r: &Resolved, i: usize, key: u64) -> Option<Vec<String>> {
    let mut found = None;
    expand_text(f, &r.parts, i, &mut String::new(), &mut |k| {
        if found.is_none() && fnv(k.as_bytes()) == key {
            found = Some(
                k.split('\u{1f}')
                    .take(r.parts.len())
                    .map(String::from)
                    .collect(),
            );
        }
    });
    found
}

/// Sort key for sub-blocking pass `pass`: 0 = birth date (days, so near dates are
/// neighbours), 1 = address, 2 = the other normalized strings; ties broken by name. Passes 1 and 2 are hashes
/// above the low 16 bits (the name's): rows with other fields there meet at random, so only rows equal in
/// those bits are paired (`same_tokens`).
pub fn secondary(f: &Features, i: usize, pass: usize) -> u64 {
    let name = if f.has_name {
        let n = f.name(i);
        fnv(n.given_all.as_bytes()) ^ fnv(n.family.as_bytes())
    } else {
        0
    };
    let mut h: u64 = 0xcbf29ce484222325;
    let mut days: Option<i64> = None;
    for (c, k) in f.kinds.iter().enumerate() {
        match (pass, k) {
            (0, ColKind::Date) if days.is_none() && f.date(i, c).is_some() => {
                days = Some(f.date(i, c).days())
            }
            (1, ColKind::Tok) | (2, ColKind::Str | ColKind::TextTok) => {
                h ^= fnv(f.str(i, c).as_bytes());
                h = h.wrapping_mul(0x100000001b3);
            }
            _ => {}
        }
    }
    if pass == 0 {
        let d = days
            .map(|d| (d + 1_000_000) as u64)
            .unwrap_or(u32::MAX as u64);
        (d << 32) | (name & 0xffff_ffff)
    } else {
        (h & !0xffff) | (name & 0xffff)
    }
}

/// Whether two sort keys of the hashed orders (`secondary`, passes 1 and 2) have the same fields' hash: the
/// low 16 bits only break ties by name.
#[inline]
fn same_tokens(a: u64, b: u64) -> bool {
    a & !0xffff == b & !0xffff
}

#[inline]
fn allowed(mode: Mode, src: Option<&[u8]>, a: u32, b: u32) -> bool {
    match (mode, src) {
        (Mode::Dedupe, _) | (_, None) => true,
        (Mode::Link, Some(s)) => s[a as usize] != s[b as usize],
        (Mode::Incremental, Some(s)) => s[a as usize] == 1 || s[b as usize] == 1,
    }
}

#[inline]
pub fn pack(a: u32, b: u32) -> u64 {
    let (x, y) = if a < b { (a, b) } else { (b, a) };
    ((x as u64) << 32) | y as u64
}

/// The candidate pairs of one rule (not deduplicated), and the blocks too large to compare whole.
pub struct RulePairs {
    pub pairs: Vec<u64>,
    /// With the birth gate: the pairs whose birth dates disagree outright, met because the key holds the
    /// birth year or as neighbours in birth-date order (not deduplicated; not in `pairs`). A pair no other
    /// way proposes is scored on its birth dates alone (`Config::birth_gate`).
    pub gated: Vec<u64>,
    /// Blocks of more than `max_block` rows: each row was compared with its `window` nearest neighbours in
    /// two sort orders instead of every row of the block (in the second, a hash of the token fields, only
    /// with those whose token fields are equal), so a duplicate pair there can be missed.
    pub windowed_blocks: u64,
    /// Rows in those blocks.
    pub windowed_rows: u64,
    /// The largest of those blocks (at most `LARGEST_WINDOWED`), largest first.
    pub largest: Vec<WindowedBlock>,
    /// Sort orders a windowed block is cut in: 2, or 1 when the key fixes the first order's date.
    pub sort_orders: usize,
}

/// How many of a rule's windowed blocks are reported one by one.
pub const LARGEST_WINDOWED: usize = 3;

/// A block too large to compare pair by pair (a very common key value), cut into windows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WindowedBlock {
    /// The key's hash, and a row that has it (`key_values` gives the key from the two).
    pub key: u64,
    pub row: u32,
    pub rows: u64,
    /// Window positions: in each of the sort orders, a window of `window + 1` neighbouring records
    /// starts at every record but the last `window`.
    pub windows: u64,
}

/// The sort orders of a rule's windowed blocks: by the first date (then name), and by the address and other
/// token fields. A key that holds that date fixes it for the whole block, so the first order is no order
/// (rows would meet their neighbours by the hash of their name, at random): only the second is used.
pub fn passes(f: &Features, r: &Resolved) -> Vec<usize> {
    let first_date = f.kinds.iter().position(|k| *k == ColKind::Date);
    let date_fixed = r.parts.iter().any(|(p, c)| {
        matches!(p, KeyPart::BirthDate | KeyPart::Field(_)) && c.is_some() && *c == first_date
    });
    if date_fixed {
        vec![1]
    } else {
        vec![0, 1]
    }
}

/// Whether a rule has a multi-valued part (its keys are not capped below `u64::MAX` as single keys are).
pub fn is_multi_rule(r: &Resolved) -> bool {
    r.parts.iter().any(|p| is_multi(&p.0))
}

/// `a` and `b` in one vector, the larger one's buffer kept.
fn append_larger<T: Copy>(mut a: Vec<T>, mut b: Vec<T>) -> Vec<T> {
    if a.len() < b.len() {
        std::mem::swap(&mut a, &mut b);
    }
    a.extend_from_slice(&b);
    a
}

/// The birth gate (`Config::birth_gate`): the birth date's column, which must be the first date (the one
/// windowed blocks are ordered by), and its comparison's tolerance in days.
#[derive(Clone, Copy, Debug)]
pub struct BirthGate {
    pub col: usize,
    pub tol_days: u32,
}

impl BirthGate {
    /// Whether two birth dates disagree outright: both known, at the comparison's lowest level.
    #[inline]
    pub fn far(&self, a: DateV, b: DateV) -> bool {
        date_level(a, b, self.tol_days).0 == super::compare::ELSE
    }
}

/// Candidate pairs for one rule (not deduplicated). With `gate`, the pairs it judges (`RulePairs::gated`)
/// are set apart.
#[allow(clippy::too_many_arguments)]
pub fn rule_pairs(
    f: &Features,
    r: &Resolved,
    max_block: usize,
    window: usize,
    mode: Mode,
    src: Option<&[u8]>,
    gate: Option<BirthGate>,
) -> RulePairs {
    let year_keyed = r.parts.iter().any(|p| matches!(p.0, KeyPart::BirthYear));
    // Each key with its row and, where the gate judges every pair of the key, the row's birth date: read here
    // in row order, at hand when the block's pairs are judged (the tuple is 16 bytes with or without it).
    let date_of = |i: usize| gate.map_or(0, |g| f.date(i, g.col).packed());
    let key_date = |i: usize| if year_keyed { date_of(i) } else { 0 };
    let mut keys: Vec<(u64, u32, u32)> = if r.parts.iter().any(|p| is_multi(&p.0)) {
        (0..f.n)
            .into_par_iter()
            .fold(
                || (String::new(), Vec::new(), Vec::new()),
                |(mut buf, mut ks, mut acc), i| {
                    buf.clear();
                    ks.clear();
                    expand(f, &r.parts, i, &mut buf, &mut ks);
                    let d = key_date(i);
                    acc.extend(ks.iter().map(|&k| (k, i as u32, d)));
                    (buf, ks, acc)
                },
            )
            .map(|t| t.2)
            .reduce(Vec::new, append_larger)
    } else {
        // Every row's key into a vector of known length (rows without one marked), then the marked ones
        // dropped: a parallel collect of unknown length goes through a list of pieces and a copy.
        const NONE: u64 = u64::MAX;
        let mut keys: Vec<(u64, u32, u32)> = (0..f.n)
            .into_par_iter()
            .map_init(String::new, |buf, i| {
                buf.clear();
                for (p, c) in &r.parts {
                    if !push_part(f, p, *c, i, buf) {
                        return (NONE, i as u32, 0);
                    }
                }
                (fnv(buf.as_bytes()).min(NONE - 1), i as u32, key_date(i))
            })
            .collect();
        keys.retain(|k| k.0 != NONE);
        keys
    };
    keys.par_sort_unstable();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut s = 0;
    for i in 1..=keys.len() {
        if i == keys.len() || keys[i].0 != keys[s].0 {
            if i - s >= 2 {
                groups.push((s, i));
            }
            s = i;
        }
    }
    let passes: &[usize] = &passes(f, r);
    let oversized = groups.iter().filter(|(s, e)| e - s > max_block);
    let (windowed_blocks, windowed_rows) = oversized
        .clone()
        .fold((0u64, 0u64), |(b, n), (s, e)| (b + 1, n + (e - s) as u64));
    let mut largest: Vec<(usize, usize)> = oversized.copied().collect();
    // largest first; ties in key order, so the report is the same run after run
    largest.sort_unstable_by_key(|&(s, e)| (std::cmp::Reverse(e - s), keys[s].0));
    let largest = largest
        .into_iter()
        .take(LARGEST_WINDOWED)
        .map(|(s, e)| WindowedBlock {
            key: keys[s].0,
            row: keys[s].1,
            rows: (e - s) as u64,
            windows: passes.len() as u64 * (e - s).saturating_sub(window).max(1) as u64,
        })
        .collect();
    let far = |g: BirthGate, a: u32, b: u32| g.far(DateV::unpacked(a), DateV::unpacked(b));
    let (pairs, gated) = groups
        .par_iter()
        .fold(
            || (Vec::new(), Vec::new()),
            |(mut out, mut gated): (Vec<u64>, Vec<u64>), &(s, e)| {
                let block = &keys[s..e];
                if block.len() <= max_block {
                    let judged = gate.filter(|_| year_keyed);
                    for x in 0..block.len() {
                        for y in x + 1..block.len() {
                            if allowed(mode, src, block[x].1, block[y].1) {
                                let far = judged.is_some_and(|g| far(g, block[x].2, block[y].2));
                                let into = if far { &mut gated } else { &mut out };
                                into.push(pack(block[x].1, block[y].1));
                            }
                        }
                    }
                } else {
                    for &pass in passes {
                        // In birth-date order the date is read with the sort key (the row's bytes are at hand).
                        let dated = pass == 0 && !year_keyed;
                        let mut sorted: Vec<(u64, u32, u32)> = block
                            .iter()
                            .map(|&(_, r, d)| {
                                let d = if dated { date_of(r as usize) } else { d };
                                (secondary(f, r as usize, pass), r, d)
                            })
                            .collect();
                        sorted.sort_unstable();
                        // The second order is a hash of the token fields: only rows equal there are
                        // neighbours for a reason, the others meet at random (see `secondary`).
                        let hashed = pass != 0;
                        // Neighbours in birth-date order met for their dates: the gate judges them too.
                        let judged = gate.filter(|_| year_keyed || pass == 0);
                        for x in 0..sorted.len() {
                            for y in x + 1..(x + 1 + window).min(sorted.len()) {
                                if hashed && !same_tokens(sorted[x].0, sorted[y].0) {
                                    break;
                                }
                                if allowed(mode, src, sorted[x].1, sorted[y].1) {
                                    let far =
                                        judged.is_some_and(|g| far(g, sorted[x].2, sorted[y].2));
                                    let into = if far { &mut gated } else { &mut out };
                                    into.push(pack(sorted[x].1, sorted[y].1));
                                }
                            }
                        }
                    }
                }
                (out, gated)
            },
        )
        .reduce(
            || (Vec::new(), Vec::new()),
            |(a, ga), (b, gb)| (append_larger(a, b), append_larger(ga, gb)),
        );
    RulePairs {
        pairs,
        gated,
        sort_orders: passes.len(),
        windowed_blocks,
        windowed_rows,
        largest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedupe::{features, Column, FieldKind, Input};

    /// Features of rows (given name, family name, and a third field of the given name and kind).
    fn feats_with(third: (&str, FieldKind), rows: &[[&str; 3]]) -> Features {
        let cols: Vec<Vec<&str>> = (0..3)
            .map(|j| rows.iter().map(|r| r[j]).collect())
            .collect();
        let kinds = [FieldKind::GivenName, FieldKind::FamilyName, third.1];
        let names = ["given_name", "family_name", third.0];
        features::build(&Input {
            fields: (0..3)
                .map(|j| (names[j].to_string(), kinds[j], &cols[j] as &dyn Column))
                .collect(),
            source: None,
            release: None,
        })
    }

    /// A rule over those fields; `birth`: the third field is the birth date.
    fn rule_with(third: &str, birth: Option<usize>, parts: Vec<KeyPart>) -> Resolved {
        let names: Vec<String> = ["given_name", "family_name", third]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let r = BlockingRule {
            name: "r".into(),
            parts,
        };
        resolve(&r, &names, birth).unwrap()
    }

    /// Features of rows (given name, family name, postcode).
    fn feats(rows: &[[&str; 3]]) -> Features {
        feats_with(("postcode", FieldKind::Postcode), rows)
    }

    fn rule(parts: Vec<KeyPart>) -> Resolved {
        rule_with("postcode", None, parts)
    }

    #[test]
    fn any_name_soundex_keys_both_name_parts() {
        let f = feats(&[
            ["charlotte", "mazurek", "2222"],
            ["coulason", "charlotte", "2222"],
            ["charlotte", "mazurek", "3000"],
            ["ann", "ann", "2222"],
            ["", "", "2222"],
        ]);
        let r = rule(vec![
            KeyPart::Field("postcode".into()),
            KeyPart::AnyNameSoundex,
        ]);
        let k: Vec<Vec<u64>> = (0..5).map(|i| row_keys(&f, &r, i)).collect();
        assert_eq!(k[0].len(), 2);
        assert_eq!(k[1].len(), 2);
        assert_eq!(k[0].iter().filter(|x| k[1].contains(x)).count(), 1);
        assert!(!k[0].iter().any(|x| k[2].contains(x)), "another postcode");
        assert_eq!(k[3].len(), 1, "one key per distinct soundex");
        assert!(k[4].is_empty());
        // the name moved to the other field still makes a candidate pair
        let p = rule_pairs(&f, &r, 8, 2, Mode::Dedupe, None, None).pairs;
        assert!(p.contains(&pack(0, 1)));
        assert!(!p.contains(&pack(0, 2)));
        // the given-name soundex alone would have missed it
        let g = rule(vec![
            KeyPart::Field("postcode".into()),
            KeyPart::GivenSoundex,
        ]);
        assert!(!rule_pairs(&f, &g, 8, 2, Mode::Dedupe, None, None)
            .pairs
            .contains(&pack(0, 1)));
        assert_eq!(row_keys(&f, &g, 0).len(), 1);
    }

    #[test]
    fn any_name_initial_keys() {
        let f = feats(&[
            ["laura", "webb", "1"],
            ["webf", "laura", "1"],
            ["lucy", "", "1"],
        ]);
        let r = rule(vec![
            KeyPart::AnyNameInitial,
            KeyPart::Field("postcode".into()),
        ]);
        let k: Vec<Vec<u64>> = (0..3).map(|i| row_keys(&f, &r, i)).collect();
        assert_eq!((k[0].len(), k[1].len(), k[2].len()), (2, 2, 1));
        assert_eq!(k[0].iter().filter(|x| k[1].contains(x)).count(), 2);
        assert!(k[0].contains(&k[2][0]));
    }

    /// Features of rows (given name, family name, birth date).
    fn born(rows: &[[&str; 3]]) -> Features {
        feats_with(("birth_date", FieldKind::Date), rows)
    }

    fn born_rule(parts: Vec<KeyPart>) -> Resolved {
        rule_with("birth_date", Some(2), parts)
    }

    #[test]
    fn the_birth_gate_sets_apart_pairs_whose_birth_dates_disagree_outright() {
        let gate = Some(BirthGate {
            col: 2,
            tol_days: 30,
        });
        // One sound and one year: a typo in the day (close), a swapped day and month, another date
        // outright, and no date.
        let f = born(&[
            ["anna", "smith", "1980-03-04"],
            ["ana", "smyth", "1980-03-05"],
            ["anna", "smith", "1980-04-03"],
            ["anna", "smith", "1980-11-27"],
            ["anna", "smith", ""],
        ]);
        let year = born_rule(vec![
            KeyPart::GivenSoundex,
            KeyPart::FamilySoundex,
            KeyPart::BirthYear,
        ]);
        let p = rule_pairs(&f, &year, 8, 2, Mode::Dedupe, None, gate);
        // the row without a date has no year: no key
        assert_eq!(p.pairs.len() + p.gated.len(), 6);
        let mut gated = p.gated.clone();
        gated.sort_unstable();
        assert_eq!(gated, vec![pack(0, 3), pack(1, 3), pack(2, 3)]);
        assert!(p.pairs.contains(&pack(0, 1)), "a one-day typo");
        assert!(p.pairs.contains(&pack(0, 2)), "day and month swapped");
        assert!(p.pairs.contains(&pack(1, 2)), "two digits");
        // Without the gate, every pair in `pairs`.
        let off = rule_pairs(&f, &year, 8, 2, Mode::Dedupe, None, None);
        assert_eq!((off.pairs.len(), off.gated.len()), (6, 0));
        // A key that does not hold the year: its whole blocks are not judged...
        let names = born_rule(vec![KeyPart::NameSorted]);
        let p = rule_pairs(&f, &names, 8, 2, Mode::Dedupe, None, gate);
        assert!(p.gated.is_empty());
        // ...but a block too large is cut in birth-date order (rows 0, 2, 3, then 4 without a date), and
        // its neighbours there are.
        let p = rule_pairs(&f, &names, 2, 1, Mode::Dedupe, None, gate);
        assert_eq!(p.gated, vec![pack(2, 3)]);
        assert!(p.pairs.contains(&pack(0, 2)) && p.pairs.contains(&pack(3, 4)));
    }

    #[test]
    fn pack_is_ordered() {
        assert_eq!(pack(5, 3), pack(3, 5));
        assert_eq!(pack(3, 5) >> 32, 3);
        assert!(allowed(Mode::Link, Some(&[0, 1]), 0, 1));
        assert!(!allowed(Mode::Link, Some(&[0, 0]), 0, 1));
        assert!(!allowed(Mode::Incremental, Some(&[0, 0]), 0, 1));
        assert!(allowed(Mode::Incremental, Some(&[0, 1]), 0, 1));
    }
}

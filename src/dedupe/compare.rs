//! Comparison levels. Level 0 is always "null" (a value missing: weight 0),
//! level 1 is "else" (disagreement), higher levels are stronger agreement.

use super::features::{ColKind, DateV, Features, NameRef};
use super::names::{is_nickname, is_nickname_fuzzy};
use super::sim::{jw as jaro_winkler, within_one_edit};
use super::CompareKind;

pub const NULL: u8 = 0;
pub const ELSE: u8 = 1;

pub fn level_names(kind: CompareKind) -> &'static [&'static str] {
    match kind {
        CompareKind::GivenName => &[
            "null",
            "else",
            "initial",
            "fuzzy",
            "close/nickname/homophone",
            "exact",
        ],
        CompareKind::FamilyName => &["null", "else", "fuzzy", "close/homophone", "exact"],
        CompareKind::Email => &["null", "else", "one-edit", "exact"],
        CompareKind::Phone | CompareKind::CnId | CompareKind::Postcode => {
            &["null", "else", "one-edit", "exact"]
        }
        CompareKind::Date => &[
            "null",
            "else",
            "within-tolerance",
            "two-edits",
            "typo/day-month-swap",
            "exact",
        ],
        CompareKind::Gender | CompareKind::Province | CompareKind::Country => {
            &["null", "else", "exact"]
        }
        CompareKind::Address => &["null", "else", "partial-tokens", "close", "exact"],
        CompareKind::City | CompareKind::Text => &["null", "else", "fuzzy", "exact"],
    }
}

/// A comparison resolved against the input's columns.
#[derive(Clone, Debug)]
pub struct RComp {
    pub kind: CompareKind,
    pub col: Option<usize>,
    pub tol_days: u32,
    /// Address only: the column of the second address line, compared together
    /// with the address when a record has its lines the other way round.
    pub alt: Option<usize>,
    /// Address only: the comparison of that second line (set to null for a pair
    /// whose lines were compared together, so their agreement counts once).
    pub alt_cmp: Option<usize>,
}

/// Guard bits (identity conflicts).
pub const G_GIVEN: u8 = 1;
pub const G_BIRTH: u8 = 2;
pub const G_SUFFIX: u8 = 4;
/// Resident IDs both present and clearly different.
pub const G_ID: u8 = 16;
/// Two or more person-level identifiers disagree and none agrees.
pub const G_PERSONAL: u8 = 32;
/// No agreement on any anchor (birth date, email, phone, ID, address, postcode).
pub const G_NOANCHOR: u8 = 64;
/// The conflicts amount to a veto (see `guard_bits`).
pub const G_VETO: u8 = 8;
/// Given and family name both clearly differ and the birth date is not the same
/// (schemas without contact identifiers): nothing says it is the same person, so
/// the pair's odds are capped (`Model::no_identity_cap`) whatever the address says.
pub const G_NAMES: u8 = 128;

fn initial_match(a: &str, b: &str) -> bool {
    let (s, l) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    s.chars().count() == 1 && l.starts_with(s)
}

/// "V" vs "Tori": the initial of a formal name the nickname belongs to.
fn initial_of_formal(a: &str, b: &str) -> bool {
    let (s, l) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    s.len() == 1 && super::names::formal_initials(l).contains(&s.as_bytes()[0])
}

/// One name part compared with another. `given` selects the given-name scale
/// (levels 1..=5 with initials and nicknames) versus the family scale (1..=4).
/// Both written in Chinese: exact characters, homophone (same pinyin), else.
fn part_level(x: (&str, &str, &str), y: (&str, &str, &str), given: bool) -> (u8, f64) {
    let (xf, xa, xc) = x;
    let (yf, ya, yc) = y;
    let top = if given { 5 } else { 4 };
    if !xc.is_empty() && !yc.is_empty() {
        return if xc == yc {
            (top, 1.0)
        } else if xa == ya {
            (top - 1, 0.95)
        } else {
            (ELSE, jaro_winkler(xa, ya))
        };
    }
    if xa == ya || (given && xf == yf) {
        return (top, 1.0);
    }
    if given && (initial_match(xf, yf) || initial_match(xa, ya) || initial_of_formal(xf, yf)) {
        return (2, 0.5);
    }
    if given && (is_nickname(xf, yf) || is_nickname(xa, ya)) {
        return (4, 0.95);
    }
    if given && is_nickname_fuzzy(xf, yf) {
        return (3, 0.85);
    }
    let mut jw = jaro_winkler(xa, ya);
    if given && (xf != xa || yf != ya) {
        jw = jw.max(jaro_winkler(xf, yf));
    }
    let min_len = xa.len().min(ya.len());
    let one = within_one_edit(xa, ya);
    if jw >= 0.94 || (min_len >= 4 && one) {
        (top - 1, jw)
    } else if jw >= 0.8 || (min_len >= 2 && one) {
        (top - 2, jw)
    } else {
        (ELSE, jw)
    }
}

fn given_of<'a>(n: &NameRef<'a>) -> (&'a str, &'a str, &'a str) {
    (n.given, n.given_all, n.given_cjk)
}

fn family_of<'a>(n: &NameRef<'a>) -> (&'a str, &'a str, &'a str) {
    (n.family, n.family, n.family_cjk)
}

/// (given level, given sim, family level, family sim, swapped)
pub fn name_levels(a: &NameRef, b: &NameRef) -> (u8, f64, u8, f64, bool) {
    let (g, gs) = if a.given_all.is_empty() || b.given_all.is_empty() {
        (NULL, 0.0)
    } else {
        part_level(given_of(a), given_of(b), true)
    };
    let (f, fs) = if a.family.is_empty() || b.family.is_empty() {
        (NULL, 0.0)
    } else {
        part_level(family_of(a), family_of(b), false)
    };
    if g >= 4 && f >= 3 {
        return (g, gs, f, fs, false);
    }
    // swapped: a.given ~ b.family and a.family ~ b.given
    if a.given_all.is_empty()
        || a.family.is_empty()
        || b.given_all.is_empty()
        || b.family.is_empty()
    {
        return (g, gs, f, fs, false);
    }
    // never swap two names both written in Chinese characters (order is unambiguous)
    if !a.family_cjk.is_empty() && !b.family_cjk.is_empty() {
        return (g, gs, f, fs, false);
    }
    let fb = |s: &str| s.as_bytes()[0];
    if fb(a.given_all) != fb(b.family) && fb(a.family) != fb(b.given_all) {
        return (g, gs, f, fs, false);
    }
    let (bf, ba, bc) = family_of(b);
    let (sg, sgs) = part_level(given_of(a), (bf, ba, bc), true);
    let (sf, sfs) = part_level(family_of(a), (b.given_all, b.given_all, b.given_cjk), false);
    let score = |g: u8, f: u8| g as u32 * 2 + f as u32 * 2 + (g >= 4) as u32 + (f >= 3) as u32;
    if score(sg, sf) > score(g, f) + 2 {
        (sg, sgs, sf, sfs, true)
    } else {
        (g, gs, f, fs, false)
    }
}

/// Cheap pre-filter: strings at Jaro-Winkler >= 0.88 share most of their letters.
fn letters_overlap(a: &str, b: &str) -> bool {
    let mask = |s: &str| s.bytes().fold(0u64, |m, c| m | 1u64 << (c & 63));
    let (ma, mb) = (mask(a), mask(b));
    let both = (ma & mb).count_ones() as f64;
    both >= 0.6 * ma.count_ones().max(mb.count_ones()) as f64
}

fn one_edit(a: &str, b: &str) -> (u8, f64) {
    if a == b {
        (3, 1.0)
    } else if within_one_edit(a, b) {
        (2, 0.9)
    } else {
        (1, 0.0)
    }
}

pub fn date_level(a: DateV, b: DateV, tol: u32) -> (u8, f64) {
    if !a.is_some() || !b.is_some() {
        return (NULL, 0.0);
    }
    if a == b {
        return (5, 1.0);
    }
    let (da, db) = (a.digits(), b.digits());
    let mut diff = [0usize; 8];
    let mut nd = 0;
    for i in 0..8 {
        if da[i] != db[i] {
            diff[nd] = i;
            nd += 1;
        }
    }
    let typo = nd == 1
        || (nd == 2
            && diff[1] == diff[0] + 1
            && da[diff[0]] == db[diff[1]]
            && da[diff[1]] == db[diff[0]])
        || (a.y == b.y && a.m == b.d && a.d == b.m);
    // two edits: two digits changed, or day/month swapped plus one digit
    let swapped = DateV {
        y: a.y,
        m: a.d,
        d: a.m,
    };
    let two = nd == 2 || {
        let ds = swapped.digits();
        (0..8).filter(|&i| ds[i] != db[i]).count() == 1
    };
    let days = (a.days() - b.days()).unsigned_abs();
    let sim = 1.0 / (1.0 + days as f64);
    if typo {
        (4, sim)
    } else if two {
        (3, sim)
    } else if days <= tol as u64 {
        (2, sim)
    } else {
        (1, sim)
    }
}

fn token_sim(a: &[u8], b: &[u8]) -> (f64, bool, bool) {
    // returns dice similarity, both-have-numbers, share-a-number
    let tok = |s: &[u8], i: usize| {
        u32::from_le_bytes([s[4 * i], s[4 * i + 1], s[4 * i + 2], s[4 * i + 3]])
    };
    let (la, lb) = (a.len() / 4, b.len() / 4);
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    let mut num_common = false;
    while i < la && j < lb {
        let (x, y) = (tok(a, i), tok(b, j));
        match x.cmp(&y) {
            std::cmp::Ordering::Equal => {
                common += 1;
                if x & 0x8000_0000 != 0 {
                    num_common = true;
                }
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    let na = (0..la).any(|k| tok(a, k) & 0x8000_0000 != 0);
    let nb = (0..lb).any(|k| tok(b, k) & 0x8000_0000 != 0);
    let dice = 2.0 * common as f64 / (la + lb).max(1) as f64;
    (dice, na && nb, num_common)
}

/// Spacing-insensitive address agreement on the squashed forms (letters and
/// digits only): equal is exact (`pridhamstreet` / `pridham street`); one edit
/// is close when the text is Latin, has at least six letters and the same digits
/// in the same order (a typo plus a spacing error, never another house number).
fn squash_level(x: &str, y: &str) -> Option<u8> {
    if x.is_empty() || y.is_empty() {
        return None;
    }
    if x == y {
        return Some(4);
    }
    let letters = |s: &str| s.bytes().filter(u8::is_ascii_alphabetic).count();
    fn digits(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes().filter(u8::is_ascii_digit)
    }
    if x.is_ascii()
        && y.is_ascii()
        && letters(x).min(letters(y)) >= 6
        && digits(x).eq(digits(y))
        && within_one_edit(x, y)
    {
        Some(3)
    } else {
        None
    }
}

/// `squash_level` on `Features::squashed` views (a normalized string whose spaces
/// are skipped, or the stored squashed text), without allocating.
fn squash_level_of(x: (&str, bool), y: (&str, bool)) -> Option<u8> {
    if x.0.is_empty() || y.0.is_empty() {
        return None;
    }
    fn view(v: (&str, bool)) -> impl Iterator<Item = char> + '_ {
        v.0.chars().filter(move |&c| !(v.1 && c == ' '))
    }
    if view(x).eq(view(y)) {
        return Some(4);
    }
    if !x.0.is_ascii() || !y.0.is_ascii() {
        return None;
    }
    let mut bx = [0u8; 128];
    let mut by = [0u8; 128];
    let fill = |v: (&str, bool), out: &mut [u8; 128]| -> Option<usize> {
        let mut n = 0;
        for c in view(v) {
            *out.get_mut(n)? = c as u8;
            n += 1;
        }
        Some(n)
    };
    let (nx, ny) = (fill(x, &mut bx)?, fill(y, &mut by)?);
    let (sx, sy) = (
        std::str::from_utf8(&bx[..nx]).ok()?,
        std::str::from_utf8(&by[..ny]).ok()?,
    );
    squash_level(sx, sy)
}

/// Merge two sorted, deduplicated token lists (little-endian u32 bytes) into
/// `out`; None when the union does not fit.
fn merge_toks(x: &[u8], y: &[u8], out: &mut [u8]) -> Option<usize> {
    let tok = |s: &[u8], i: usize| {
        u32::from_le_bytes([s[4 * i], s[4 * i + 1], s[4 * i + 2], s[4 * i + 3]])
    };
    let (lx, ly) = (x.len() / 4, y.len() / 4);
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < lx || j < ly {
        let t = if j >= ly || (i < lx && tok(x, i) < tok(y, j)) {
            i += 1;
            tok(x, i - 1)
        } else if i >= lx || tok(y, j) < tok(x, i) {
            j += 1;
            tok(y, j - 1)
        } else {
            i += 1;
            j += 1;
            tok(x, i - 1)
        };
        if 4 * n + 4 > out.len() {
            return None;
        }
        out[4 * n..4 * n + 4].copy_from_slice(&t.to_le_bytes());
        n += 1;
    }
    Some(4 * n)
}

/// Address level of both address lines of each record taken together (one
/// token set per record): lines swapped between the two fields (`8 emerald
/// college` / `fawkner street` vs `8 fawkner street` / `emerald college`), or
/// written in one. Only a close or exact agreement counts; None otherwise.
fn address_union_level(
    f: &Features,
    col: usize,
    alt: usize,
    a: usize,
    b: usize,
) -> Option<(u8, f64)> {
    let (a2, b2) = (f.toks(a, alt), f.toks(b, alt));
    if a2.is_empty() && b2.is_empty() {
        return None;
    }
    let mut ua = [0u8; 256];
    let mut ub = [0u8; 256];
    let na = merge_toks(f.toks(a, col), a2, &mut ua)?;
    let nb = merge_toks(f.toks(b, col), b2, &mut ub)?;
    if na == 0 || nb == 0 {
        return None;
    }
    let (dice, both_num, num_common) = token_sim(&ua[..na], &ub[..nb]);
    if both_num && !num_common {
        None
    } else if dice >= 0.999 {
        Some((4, dice))
    } else if dice >= 0.75 {
        Some((3, dice))
    } else {
        None
    }
}

/// Second address lines: for each address comparison with an `alt` column whose
/// own level is below close while the second lines are not exactly equal, compare
/// both lines of each record together (`address_union_level`). When that is close
/// or exact it replaces the address level and the second-line comparison becomes
/// null for the pair. Returns the last address comparison re-levelled and its
/// similarity.
pub fn alt_lines(
    f: &Features,
    comps: &[RComp],
    a: usize,
    b: usize,
    out: &mut [u8],
) -> Option<(usize, f64)> {
    let mut done = None;
    for (i, c) in comps.iter().enumerate() {
        let (CompareKind::Address, Some(col), Some(alt)) = (c.kind, c.col, c.alt) else {
            continue;
        };
        let exact = |j: usize| out[j] as usize + 1 == level_names(comps[j].kind).len();
        if out[i] >= 3 || c.alt_cmp.is_some_and(exact) {
            continue;
        }
        if let Some((l, s)) = address_union_level(f, col, alt, a, b) {
            out[i] = l;
            if let Some(j) = c.alt_cmp {
                out[j] = NULL;
            }
            done = Some((i, s));
        }
    }
    done
}

/// Level and similarity of one comparison for rows a, b.
pub fn level(
    f: &Features,
    c: &RComp,
    a: usize,
    b: usize,
    names: Option<(u8, f64, u8, f64, bool)>,
) -> (u8, f64) {
    match c.kind {
        CompareKind::GivenName => names.map(|n| (n.0, n.1)).unwrap_or((NULL, 0.0)),
        CompareKind::FamilyName => names.map(|n| (n.2, n.3)).unwrap_or((NULL, 0.0)),
        _ => {
            let Some(col) = c.col else {
                return (NULL, 0.0);
            };
            if f.kinds[col] == ColKind::Date {
                return date_level(f.date(a, col), f.date(b, col), c.tol_days);
            }
            let (x, y) = (f.str(a, col), f.str(b, col));
            if x.is_empty() || y.is_empty() {
                return (NULL, 0.0);
            }
            match c.kind {
                CompareKind::Email => {
                    if x == y {
                        (3, 1.0)
                    } else {
                        // a typo, but not just a dot/underscore/hyphen: name-based
                        // addresses like robert.taylor@ / roberttaylor@ are different people
                        let strip = |e: &str| -> String {
                            e.chars()
                                .filter(|c| !matches!(c, '.' | '_' | '-') && !c.is_ascii_digit())
                                .collect()
                        };
                        if within_one_edit(x, y) && strip(x) != strip(y) {
                            (2, 0.9)
                        } else {
                            (1, 0.0)
                        }
                    }
                }
                CompareKind::Phone | CompareKind::CnId | CompareKind::Postcode => one_edit(x, y),
                CompareKind::Gender | CompareKind::Province | CompareKind::Country => {
                    if x == y {
                        (2, 1.0)
                    } else {
                        (1, 0.0)
                    }
                }
                CompareKind::City | CompareKind::Text => {
                    if x == y {
                        (3, 1.0)
                    } else if !letters_overlap(x, y) {
                        (1, 0.0)
                    } else {
                        let jw = jaro_winkler(x, y);
                        if jw >= 0.88 {
                            (2, jw)
                        } else {
                            (1, jw)
                        }
                    }
                }
                CompareKind::Address => {
                    if x == y {
                        return (4, 1.0);
                    }
                    let (dice, both_num, num_common) = token_sim(f.toks(a, col), f.toks(b, col));
                    let num_ok = !both_num || num_common;
                    let (l, s) = if dice >= 0.999 && num_ok {
                        (4, dice)
                    } else if num_ok
                        && (dice >= 0.75 || (dice >= 0.3 && jaro_winkler(x, y) >= 0.95))
                    {
                        (3, dice)
                    } else if dice >= 0.5 {
                        (2, dice)
                    } else {
                        (1, dice)
                    };
                    match squash_level_of(f.squashed(a, col), f.squashed(b, col)) {
                        Some(q) if q > l => (q, if q == 4 { 1.0 } else { s.max(0.9) }),
                        _ => (l, s),
                    }
                }
                _ => (NULL, 0.0),
            }
        }
    }
}

/// True for comparisons that only test equality / one edit (cheap to evaluate).
pub fn is_cheap(kind: CompareKind) -> bool {
    matches!(
        kind,
        CompareKind::Email
            | CompareKind::Phone
            | CompareKind::CnId
            | CompareKind::Date
            | CompareKind::Gender
            | CompareKind::Province
            | CompareKind::Country
            | CompareKind::Postcode
    )
}

/// Fill `out` with the levels of every comparison; return guard bits.
pub fn compare_pair(
    f: &Features,
    comps: &[RComp],
    g: &GuardIdx,
    a: usize,
    b: usize,
    out: &mut [u8],
) -> u8 {
    let names = f.has_name.then(|| name_levels(&f.name(a), &f.name(b)));
    for (o, c) in out.iter_mut().zip(comps) {
        *o = level(f, c, a, b, names).0;
    }
    alt_lines(f, comps, a, b, out);
    address_elsewhere(g, comps, out);
    guard_bits(f, g, a, b, out)
}

/// A street address names a place only within its town: the same street address where a postcode or town
/// clearly differs and none agrees (`154 badimara street` in 3214 and in 3717) is another place, so the
/// address agrees only as far as its tokens do (partial), never close or exact.
pub fn address_elsewhere(g: &GuardIdx, comps: &[RComp], out: &mut [u8]) {
    let differs = g.locality.iter().any(|&(i, _)| out[i] == ELSE);
    let agrees = g.locality.iter().any(|&(i, _)| out[i] >= 2);
    if !differs || agrees {
        return;
    }
    for (o, c) in out.iter_mut().zip(comps) {
        if c.kind == CompareKind::Address && *o >= 3 {
            *o = 2;
        }
    }
}

/// Which comparisons carry identity guards.
#[derive(Clone, Debug, Default)]
pub struct GuardIdx {
    pub given: Option<usize>,
    pub family: Option<usize>,
    pub birth: Option<usize>,
    pub strong_id: Option<usize>,
    /// Person-level attributes (email, phone, resident ID, gender): a clear
    /// disagreement on any of them turns a name/birth conflict into a veto.
    pub personal: Vec<usize>,
    /// Identifiers (email, phone, resident ID) whose agreement clears `G_PERSONAL`.
    pub ids: Vec<usize>,
    /// Comparisons whose agreement anchors a match, with the minimum level.
    pub anchors: Vec<(usize, u8)>,
    /// Coarse location comparisons (city, postcode) with their exact level: an exact
    /// birth date anchors a match only together with one of these.
    pub locality: Vec<(usize, u8)>,
    pub suffix: bool,
    /// Veto a single given-name / birth-date conflict (schema has personal identifiers).
    pub strict: bool,
}

pub fn guard_bits(f: &Features, g: &GuardIdx, a: usize, b: usize, levels: &[u8]) -> u8 {
    let mut bits = 0;
    if let Some(i) = g.strong_id {
        match levels[i] {
            3 => return 0,
            ELSE => bits |= G_ID | G_VETO,
            _ => {}
        }
    }
    if let Some(i) = g.given {
        if levels[i] == ELSE {
            bits |= G_GIVEN;
        }
    }
    let birth_exact = g.birth.map(|i| levels[i] == 5).unwrap_or(false);
    if let Some(i) = g.birth {
        if levels[i] == ELSE {
            bits |= G_BIRTH;
        }
    }
    if g.suffix && !birth_exact && f.has_name && f.name(a).suffix != f.name(b).suffix {
        bits |= G_SUFFIX;
    }
    let disagree = g.personal.iter().filter(|&&i| levels[i] == ELSE).count();
    let agree = g.ids.iter().any(|&i| levels[i] >= 2);
    let family_else = g.family.is_some_and(|i| levels[i] == ELSE);
    if disagree >= 2 && !agree && (!birth_exact || family_else) {
        bits |= G_PERSONAL;
    }
    let given_else = g.given.is_some_and(|i| levels[i] == ELSE);
    if !g.strict && given_else && family_else && !birth_exact {
        bits |= G_NAMES;
    }
    let anchored = g.anchors.iter().any(|&(i, l)| levels[i] >= l)
        || (birth_exact
            && (g.locality.is_empty() || g.locality.iter().any(|&(i, l)| levels[i] >= l)));
    if (!g.anchors.is_empty() || g.birth.is_some()) && !anchored {
        bits |= G_NOANCHOR;
    }
    let conflicts = bits & (G_GIVEN | G_BIRTH);
    // two exact identifiers (e.g. email and phone) make a single conflict a data error
    let ids_exact = g.ids.iter().filter(|&&i| levels[i] == 3).count();
    if bits & G_SUFFIX != 0
        || (conflicts == (G_GIVEN | G_BIRTH) && (g.strict || disagree > 0))
        || (conflicts != 0 && (disagree > 0 || (g.strict && ids_exact < 2)))
    {
        bits |= G_VETO;
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::super::features::{build_name, parse_date};
    use super::super::{features, resolve, Column, Config, Ctx, FieldKind, Input};
    use super::*;

    fn nl(a: &str, b: &str) -> (u8, u8) {
        let r = name_levels(&build_name(a, "", "").view(), &build_name(b, "", "").view());
        (r.0, r.2)
    }

    #[test]
    fn name_levels_cover_variants() {
        assert_eq!(nl("John Smith", "John Smith"), (5, 4));
        assert_eq!(nl("Bob Smith", "Robert Smith"), (4, 4));
        assert_eq!(nl("J. Smith", "John Smith"), (2, 4));
        assert_eq!(nl("Smith John", "John Smith"), (5, 4));
        assert_eq!(nl("张伟", "張偉"), (5, 4));
        assert_eq!(nl("张伟", "Zhang Wei"), (5, 4));
        assert_eq!(nl("张伟", "Wei Zhang"), (5, 4));
        assert_eq!(nl("张伟", "张玮"), (4, 4));
        assert_eq!(nl("张伟", "张强"), (1, 4));
        assert_eq!(nl("Jon Smith", "John Smith").0, 4);
        assert_eq!(nl("Mary Smith", "John Smith").0, 1);
        assert_eq!(nl("Mary", "John Smith"), (1, 0));
        assert_eq!(nl("彭雪", "彭雪霞").0, 1);
        assert_eq!(nl("Nwa Xu", "徐娜"), (3, 4));
        assert_eq!(nl("Ross, S.", "Ross Sofia"), (2, 4));
        assert_eq!(nl("HUGHES-JONES Rebecca", "Rebecca Hughes-Jones"), (5, 4));
    }

    /// (given level, family level, swapped) of two full names.
    fn nls(a: &str, b: &str) -> (u8, u8, bool) {
        let r = name_levels(&build_name(a, "", "").view(), &build_name(b, "", "").view());
        (r.0, r.2, r.4)
    }

    #[test]
    fn family_first_and_scrambled_names_are_one_name() {
        // `Family, Given`, with the given name's letters transposed and its case scrambled
        assert_eq!(nls("Norris, aHrry", "Harry Norris"), (4, 4, false));
        assert_eq!(nls("Norris, Harry", "Harry Norris"), (5, 4, false));
        assert_eq!(nls("nOrRiS, hArRy", "Harry Norris"), (5, 4, false));
        // family name first in capitals (the Latin-script convention of many exports), a title before it
        assert_eq!(nls("NORRIS Harry", "Harry Norris"), (5, 4, false));
        assert_eq!(nls("Mr NORRIS Harry", "Harry Norris"), (5, 4, false));
        assert_eq!(
            nls("NORRIS Harry James", "Harry James Norris"),
            (5, 4, false)
        );
        // family name first without a sign of it: the swapped comparison
        assert_eq!(nls("Norris Harry", "Harry Norris"), (5, 4, true));
        // swapped, a transposition in the name that was the given one
        assert_eq!(nls("Norris Hrary", "Harry Norris"), (5, 3, true));
        assert_eq!(nls("Nrorsi Harry", "Harry Norris"), (3, 4, true));
        // different people: at most one part agrees in either order, so the name guards still see them
        assert_eq!(nls("Norris Harry", "Henry Morris").1, ELSE);
        assert_eq!(nls("Norris, Harry", "Norma Harris").1, ELSE);
    }

    #[test]
    fn date_levels() {
        let d = |a: &str, b: &str| date_level(parse_date(a), parse_date(b), 30).0;
        assert_eq!(d("1980-05-06", "1980-05-06"), 5);
        assert_eq!(d("1980-05-06", "1980-06-05"), 4); // day/month swap
        assert_eq!(d("1980-05-06", "1980-05-08"), 4); // one digit
        assert_eq!(d("1980-05-06", "1908-05-06"), 4); // transposition
        assert_eq!(d("1999-06-08", "1990-08-06"), 3); // swap plus one digit
        assert_eq!(d("2006-02-21", "2000-02-20"), 3); // two digits
        assert_eq!(d("1950-05-05", "1980-07-07"), 1); // father / son
        assert_eq!(d("1980-05-29", "1980-06-03"), 2); // tolerance
        assert_eq!(d("1980-05-06", "1975-11-23"), 1);
        assert_eq!(d("1980-05-06", ""), 0);
    }

    const FIELDS: [(&str, FieldKind); 6] = [
        ("given_name", FieldKind::GivenName),
        ("family_name", FieldKind::FamilyName),
        ("birth_date", FieldKind::Date),
        ("address", FieldKind::Address),
        ("address_2", FieldKind::Text),
        ("postcode", FieldKind::Postcode),
    ];

    /// Levels and guard bits of two records (`given,family,birth,address,address_2,postcode`)
    /// under the automatic FEBRL-like configuration (no contact identifiers), with the
    /// comparison index of a kind.
    fn compare2(ra: &str, rb: &str) -> (Vec<u8>, u8, impl Fn(CompareKind) -> usize) {
        let recs: Vec<Vec<&str>> = [ra, rb].iter().map(|r| r.split(',').collect()).collect();
        let cols: Vec<Vec<&str>> = (0..6)
            .map(|j| recs.iter().map(|r| r[j]).collect())
            .collect();
        let input = Input {
            fields: FIELDS
                .iter()
                .zip(&cols)
                .map(|((n, k), c)| (n.to_string(), *k, c as &dyn Column))
                .collect(),
            source: None,
            release: None,
        };
        let schema: Vec<(String, FieldKind)> =
            FIELDS.iter().map(|(n, k)| (n.to_string(), *k)).collect();
        let cfg = Config::auto(&schema);
        let ctx: Ctx = resolve(&input, &cfg);
        let f = features::build(&input);
        let mut lv = vec![0u8; ctx.comps.len()];
        let g = compare_pair(&f, &ctx.comps, &ctx.guard, 0, 1, &mut lv);
        let kinds: Vec<CompareKind> = ctx.comps.iter().map(|c| c.kind).collect();
        (lv, g, move |k| kinds.iter().position(|&x| x == k).unwrap())
    }

    /// (address level, second-line level) of two records.
    fn addr2(ra: &str, rb: &str) -> (u8, u8) {
        let (lv, _, at) = compare2(ra, rb);
        (lv[at(CompareKind::Address)], lv[at(CompareKind::Text)])
    }

    #[test]
    fn swapped_address_lines_agree_once() {
        // lines swapped, one typo in each record's college name: close, and the
        // second line becomes null so the agreement is not counted twice
        assert_eq!(
            addr2(
                "isabella,rundle,,8 emerald agriglutural college,fawkner street,6154",
                "isabella,rundle,,8 fawkner street,emerald agrigultural college,6154"
            ),
            (3, NULL)
        );
        // lines swapped exactly: exact
        assert_eq!(
            addr2(
                "william,shepherd,,17 annesley,horsley crescent,2203",
                "william,shepherd,,17 horsley crescent,annesley,2203"
            ),
            (4, NULL)
        );
        // both lines written in the address of one record
        assert_eq!(
            addr2(
                "ella,crouch,,3 wybalena grove tieve tara estate,,3072",
                "ella,crouch,,3 wybalena grove,tieve tara estate,3072"
            ),
            (4, NULL)
        );
    }

    #[test]
    fn address_lines_not_swapped_are_compared_straight() {
        // the same estate, different streets: the second line agrees, the address does not
        assert_eq!(
            addr2(
                "ann,lee,,12 smith street,rose vale,2000",
                "ann,lee,,14 jones road,rose vale,2000"
            ),
            (ELSE, 3)
        );
        // swapped lines but another house number: no agreement
        let (a, t) = addr2(
            "ann,lee,,8 fawkner street,emerald college,2000",
            "ann,lee,,9 emerald college,fawkner street,2000",
        );
        assert!(a < 3);
        assert_eq!(t, ELSE);
    }

    #[test]
    fn the_same_street_address_in_another_town_is_another_place() {
        let addr = |pa: &str, pb: &str| {
            addr2(
                &format!("sophie,shepherd,,154 badimara street,,{pa}"),
                &format!("sophie,godfrey,,154 badimara street,,{pb}"),
            )
            .0
        };
        assert_eq!(addr("3214", "3214"), 4);
        // a postcode typo is no other town
        assert_eq!(addr("3214", "3241"), 4);
        // nothing to tell
        assert_eq!(addr("3214", ""), 4);
        assert_eq!(addr("3214", "3717"), 2);
    }

    #[test]
    fn address_spacing_errors() {
        let addr = |x: &str, y: &str| {
            addr2(
                &format!("ann,lee,,{x},,2000"),
                &format!("ann,lee,,{y},,2000"),
            )
            .0
        };
        assert_eq!(addr("177 pridhamstreet", "177 pridham street"), 4);
        assert_eq!(addr("177 pri dham street", "177 pridham street"), 4);
        // a spacing error plus a typo
        assert_eq!(addr("17 horsleyqcrescent", "17 horsley crescent"), 3);
        // never another house number, nor a one-letter street
        assert!(addr("12 mainstreet", "13 main street") < 3);
        assert!(addr("177 pridhamstreet", "17 pridham street") < 3);
        assert_eq!(squash_level("1ast", "1bst"), None);
    }

    #[test]
    fn different_names_without_the_same_birth_date_are_flagged() {
        let g = |a: &str, b: &str| {
            compare2(
                &format!("{a},12 main street,rose vale,2000"),
                &format!("{b},12 main street,rose vale,2000"),
            )
            .1
        };
        // another member of the household: address and postcode alone do not merge them
        assert_ne!(
            g("peter,smith,19800101", "mary,jones,19750505") & G_NAMES,
            0
        );
        assert_ne!(g("peter,smith,", "mary,jones,") & G_NAMES, 0);
        // the same birth date, or one name agreeing, is not this conflict
        assert_eq!(
            g("peter,smith,19800101", "mary,jones,19800101") & G_NAMES,
            0
        );
        assert_eq!(g("john,smith,19800101", "jon,jones,19750505") & G_NAMES, 0);
        assert_eq!(g("john,smith,19800101", "mary,smith,19750505") & G_NAMES, 0);
        // a name moved to the other field (the other replaced) agrees once swapped
        assert_eq!(g("charlotte,mazurek,", "coulason,charlotte,") & G_NAMES, 0);
        // names that agree only swapped are no name conflict here, whatever the birth dates (without contact
        // identifiers that is a record whose fields were swapped and birth date replaced, as FEBRL's are)
        assert_eq!(
            g("sebretgs,james,19040404", "james,sebregts,19040404") & G_NAMES,
            0
        );
        let h = g("elliott,james,19900819", "james,elliott,19720304");
        assert_eq!(h & (G_NAMES | G_GIVEN | G_BIRTH), G_BIRTH);
    }

    #[test]
    fn merged_token_lists() {
        let bytes = |t: &[u32]| -> Vec<u8> { t.iter().flat_map(|x| x.to_le_bytes()).collect() };
        let mut out = [0u8; 64];
        let n = merge_toks(&bytes(&[1, 5, 9]), &bytes(&[2, 5, 10]), &mut out).unwrap();
        assert_eq!(&out[..n], &bytes(&[1, 2, 5, 9, 10])[..]);
        assert_eq!(
            merge_toks(&bytes(&[1, 2, 3]), &bytes(&[4, 5]), &mut [0u8; 16]),
            None
        );
    }

    #[test]
    fn token_similarity() {
        let bytes = |s: &str| -> Vec<u8> {
            let (_, t) = super::super::features::address_tokens(s);
            t.iter().flat_map(|x| x.to_le_bytes()).collect()
        };
        let (a, b, c) = (
            bytes("12 Main Street"),
            bytes("12 main st"),
            bytes("14 Main St"),
        );
        assert_eq!(token_sim(&a, &b).0, 1.0);
        let (_, both, common) = token_sim(&a, &c);
        assert!(both && !common);
    }
}

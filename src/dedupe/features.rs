//! Per-row features computed once: normalized strings, name parts, pinyin, dates, token sets.

use super::names::{fold_latin, is_cjk, pinyin_of, split_cjk_name, to_simplified};
use super::{FieldKind, Input};
use rayon::prelude::*;

/// Parsed calendar date; `y == 0` means missing or unparsable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateV {
    pub y: u16,
    pub m: u8,
    pub d: u8,
}

impl DateV {
    pub fn is_some(&self) -> bool {
        self.y != 0
    }
    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn days(&self) -> i64 {
        let (y, m, d) = (self.y as i64, self.m as i64, self.d as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }
    /// The date in a u32 (year, month, day from the high bits down); 0 when missing.
    pub fn packed(&self) -> u32 {
        (self.y as u32) << 16 | (self.m as u32) << 8 | self.d as u32
    }
    /// The date of `packed`.
    pub fn unpacked(v: u32) -> DateV {
        DateV {
            y: (v >> 16) as u16,
            m: (v >> 8) as u8,
            d: v as u8,
        }
    }
    pub fn digits(&self) -> [u8; 8] {
        let v = self.y as u32 * 10000 + self.m as u32 * 100 + self.d as u32;
        let mut out = [0u8; 8];
        let mut x = v;
        for o in out.iter_mut().rev() {
            *o = b'0' + (x % 10) as u8;
            x /= 10;
        }
        out
    }
}

/// Parse ISO and common raw date spellings (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, YYYYMMDD, DD/MM/YYYY, MM/DD/YYYY).
pub fn parse_date(s: &str) -> DateV {
    let mut g: [u32; 3] = [0; 3];
    let mut glen: [usize; 3] = [0; 3];
    let mut n = 0usize;
    let mut cur: Option<(u32, usize)> = None;
    for ch in s.chars().chain(std::iter::once(' ')) {
        if let Some(dg) = ch.to_digit(10).filter(|_| ch.is_ascii_digit()) {
            let (v, l) = cur.unwrap_or((0, 0));
            if l >= 9 {
                return DateV::default();
            }
            cur = Some((v * 10 + dg, l + 1));
        } else if let Some((v, l)) = cur.take() {
            if n >= 3 {
                return DateV::default();
            }
            g[n] = v;
            glen[n] = l;
            n += 1;
        }
    }
    let (y, m, d) = match n {
        1 if glen[0] == 8 => {
            let v = g[0];
            let (a, b, c) = (v / 10000, (v / 100) % 100, v % 100);
            if (1800..2200).contains(&a) {
                (a, b, c)
            } else {
                (v % 10000, (v / 10000) % 100, v / 1_000_000)
            }
        }
        3 if glen[0] == 4 => (g[0], g[1], g[2]),
        3 if glen[2] == 4 => {
            if g[0] > 12 {
                (g[2], g[1], g[0])
            } else if g[1] > 12 {
                (g[2], g[0], g[1])
            } else {
                (g[2], g[1], g[0])
            }
        }
        _ => return DateV::default(),
    };
    if !(1800..2200).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return DateV::default();
    }
    DateV {
        y: y as u16,
        m: m as u8,
        d: d as u8,
    }
}

/// Combined person name: built from FullName, or GivenName/FamilyName.
#[derive(Clone, Debug, Default)]
pub struct NameFeat {
    /// First given token (ASCII-folded Latin, or pinyin for Chinese).
    pub given: Box<str>,
    /// All given tokens concatenated without spaces.
    pub given_all: Box<str>,
    pub family: Box<str>,
    /// Simplified Chinese characters when the part was written in Chinese.
    pub given_cjk: Box<str>,
    pub family_cjk: Box<str>,
    /// 0 none, 1 jr, 2 sr, 3 ii, 4 iii, 5 iv.
    pub suffix: u8,
}

/// Borrowed view of a row's name parts (see `NameFeat`).
#[derive(Clone, Copy, Debug, Default)]
pub struct NameRef<'a> {
    pub given: &'a str,
    pub given_all: &'a str,
    pub family: &'a str,
    pub given_cjk: &'a str,
    pub family_cjk: &'a str,
    pub suffix: u8,
}

impl NameFeat {
    #[cfg(test)]
    pub fn view(&self) -> NameRef<'_> {
        NameRef {
            given: &self.given,
            given_all: &self.given_all,
            family: &self.family,
            given_cjk: &self.given_cjk,
            family_cjk: &self.family_cjk,
            suffix: self.suffix,
        }
    }
}

impl NameRef<'_> {
    pub fn display(&self) -> String {
        let g = if self.given_cjk.is_empty() {
            self.given_all
        } else {
            self.given_cjk
        };
        let f = if self.family_cjk.is_empty() {
            self.family
        } else {
            self.family_cjk
        };
        format!("given={g} family={f}")
    }
    #[cfg(test)]
    pub fn sorted_key(&self) -> String {
        let mut s = String::with_capacity(self.given_all.len() + self.family.len() + 1);
        self.push_sorted_key(&mut s);
        s
    }
    /// Append the sorted key to `buf` without allocating.
    pub fn push_sorted_key(&self, buf: &mut String) {
        let (a, b) = (self.given_all, self.family);
        let (x, y) = if a <= b { (a, b) } else { (b, a) };
        buf.push_str(x);
        buf.push('|');
        buf.push_str(y);
    }
}

fn suffix_code(t: &str) -> Option<u8> {
    Some(match t {
        "jr" | "jnr" | "junior" => 1,
        "sr" | "snr" | "senior" => 2,
        "ii" => 3,
        "iii" => 4,
        "iv" => 5,
        _ => return None,
    })
}

fn is_particle(t: &str) -> bool {
    matches!(
        t,
        "de" | "da"
            | "di"
            | "del"
            | "della"
            | "der"
            | "den"
            | "van"
            | "von"
            | "le"
            | "la"
            | "du"
            | "dos"
            | "das"
            | "st"
            | "bin"
            | "al"
            | "el"
            | "ter"
            | "ten"
    )
}

fn is_title(t: &str) -> bool {
    matches!(
        t,
        "mr" | "mrs"
            | "ms"
            | "miss"
            | "dr"
            | "prof"
            | "sir"
            | "madam"
            | "mx"
            | "先生"
            | "女士"
            | "小姐"
    )
}

/// Lowercase, fold diacritics and traditional characters; punctuation becomes spaces,
/// apostrophes vanish, commas are kept as separate tokens.
fn clean_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = to_simplified(fold_latin(c));
        if c.is_alphanumeric() {
            out.push(c);
        } else if c == '-' && out.chars().last().is_some_and(|p| p.is_alphanumeric()) {
            // hyphenated names stay one token
        } else if c == '\'' || c == '’' || c == '.' {
            if c == '.' {
                out.push(' ');
            }
        } else if c == ',' || c == '，' {
            out.push_str(" , ");
        } else if c == '·' || c == '•' {
            // transliteration dot in Chinese renderings of foreign names
        } else {
            out.push(' ');
        }
    }
    out
}

struct Part {
    first: String,
    all: String,
    cjk: String,
}

fn part_from_tokens(toks: &[&str], family: bool) -> Part {
    let mut cjk = String::new();
    let mut latin: Vec<String> = Vec::new();
    for t in toks {
        if t.chars().any(is_cjk) {
            cjk.extend(t.chars().filter(|c| is_cjk(*c)));
        } else if !t.is_empty() {
            latin.push(t.to_string());
        }
    }
    if !cjk.is_empty() {
        let py = pinyin_of(&cjk, family);
        return Part {
            first: py.clone(),
            all: py,
            cjk,
        };
    }
    Part {
        first: latin.first().cloned().unwrap_or_default(),
        all: latin.concat(),
        cjk: String::new(),
    }
}

fn strip_tokens<'a>(s: &'a str, suffix: &mut u8) -> Vec<&'a str> {
    s.split_whitespace()
        .filter(|t| {
            if let Some(c) = suffix_code(t) {
                *suffix = c;
                false
            } else {
                !is_title(t)
            }
        })
        .collect()
}

pub fn build_name(full: &str, given: &str, family: &str) -> NameFeat {
    let mut suffix = 0u8;
    let (g, f) = if !given.trim().is_empty() || !family.trim().is_empty() {
        let gc = clean_name(given);
        let fc = clean_name(family);
        let gt = strip_tokens(&gc, &mut suffix);
        let ft = strip_tokens(&fc, &mut suffix);
        let gt: Vec<&str> = gt.into_iter().filter(|t| *t != ",").collect();
        let ft: Vec<&str> = ft.into_iter().filter(|t| *t != ",").collect();
        (part_from_tokens(&gt, false), part_from_tokens(&ft, true))
    } else {
        let fc = clean_name(full);
        let mut toks = strip_tokens(&fc, &mut suffix);
        // "HUGHES-JONES Rebecca", "DE VRIES Fatima": a leading run of all-capitals
        // tokens in a mixed-case Latin name is the family name
        let raw: Vec<&str> = full
            .split_whitespace()
            .filter(|t| {
                let l = t.trim_end_matches('.').to_lowercase();
                !is_title(&l) && suffix_code(&l).is_none()
            })
            .collect();
        if raw.len() == toks.len() && toks.len() >= 2 && !toks.contains(&",") {
            let upper = |t: &str| {
                t.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && t.chars().all(|c| !c.is_lowercase())
                    && t.chars().any(|c| c.is_ascii_uppercase())
            };
            let run = raw.iter().take_while(|t| upper(t)).count();
            if run >= 1 && run < raw.len() && !raw[run..].iter().any(|t| upper(t)) {
                toks.rotate_left(run);
            }
        }
        if let Some(pos) = toks.iter().position(|t| *t == ",") {
            let fam: Vec<&str> = toks[..pos].to_vec();
            let giv: Vec<&str> = toks[pos + 1..]
                .iter()
                .copied()
                .filter(|t| *t != ",")
                .collect();
            (part_from_tokens(&giv, false), part_from_tokens(&fam, true))
        } else if toks.is_empty() {
            (part_from_tokens(&[], false), part_from_tokens(&[], true))
        } else if toks.iter().all(|t| t.chars().all(is_cjk)) {
            if toks.len() == 1 {
                let (fa, gi) = split_cjk_name(toks[0]);
                (
                    part_from_tokens(&[&gi], false),
                    part_from_tokens(&[&fa], true),
                )
            } else {
                (
                    part_from_tokens(&toks[1..], false),
                    part_from_tokens(&toks[..1], true),
                )
            }
        } else if toks.len() == 1 {
            (part_from_tokens(&toks, false), part_from_tokens(&[], true))
        } else {
            // family = last token plus any particles before it ("de Vries", "van der Berg")
            let mut first_fam = toks.len() - 1;
            while first_fam > 1 && is_particle(toks[first_fam - 1]) {
                first_fam -= 1;
            }
            (
                part_from_tokens(&toks[..first_fam], false),
                part_from_tokens(&toks[first_fam..], true),
            )
        }
    };
    NameFeat {
        given: g.first.into(),
        given_all: g.all.into(),
        family: f.all.into(),
        given_cjk: g.cjk.into(),
        family_cjk: f.cjk.into(),
        suffix,
    }
}

fn fold_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        let c = to_simplified(fold_latin(c));
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else if c == '\'' {
        } else {
            space = true;
        }
    }
    out
}

pub fn norm_phone(s: &str) -> String {
    let d: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let d = d.trim_start_matches('0');
    if d.len() > 10 {
        d[d.len() - 10..].to_string()
    } else {
        d.to_string()
    }
}

fn norm_gender(s: &str) -> String {
    let t = s.trim().to_lowercase();
    match t.chars().next() {
        None => String::new(),
        Some('m') | Some('男') => "m".into(),
        Some('f') | Some('w') | Some('女') => "f".into(),
        _ => t,
    }
}

fn canon_token(t: &str) -> &str {
    match t {
        "street" | "str" => "st",
        "road" => "rd",
        "avenue" | "av" => "ave",
        "drive" | "drv" => "dr",
        "lane" => "ln",
        "court" => "ct",
        "place" => "pl",
        "crescent" => "cres",
        "boulevard" => "blvd",
        "highway" => "hwy",
        "parade" => "pde",
        "terrace" => "tce",
        "circuit" => "cct",
        "close" => "cl",
        "square" => "sq",
        "north" => "n",
        "south" => "s",
        "east" => "e",
        "west" => "w",
        "apartment" | "apt" | "flat" | "suite" | "ste" => "unit",
        "building" => "bldg",
        "floor" => "fl",
        "mount" => "mt",
        "saint" => "st",
        _ => t,
    }
}

pub fn fnv(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &x in b {
        h ^= x as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Normalized address string and its token hashes (Chinese runs become character bigrams).
#[cfg(test)]
pub fn address_tokens(s: &str) -> (String, Vec<u32>) {
    address_tokens_folded(&fold_text(s))
}

/// `address_tokens` of an already folded text (`fold_text`).
fn address_tokens_folded(f: &str) -> (String, Vec<u32>) {
    let mut toks: Vec<u32> = Vec::new();
    let mut norm: Vec<String> = Vec::new();
    for w in f.split(' ') {
        // split runs of CJK / digits / latin letters
        let mut run = String::new();
        let mut run_kind = 0u8;
        let flush = |run: &mut String, kind: u8, toks: &mut Vec<u32>, norm: &mut Vec<String>| {
            if run.is_empty() {
                return;
            }
            match kind {
                1 => {
                    let cs: Vec<char> = run.chars().collect();
                    if cs.len() == 1 {
                        toks.push(fnv(run.as_bytes()) as u32 & 0x7fff_ffff);
                    }
                    for p in cs.windows(2) {
                        let bg: String = p.iter().collect();
                        toks.push(fnv(bg.as_bytes()) as u32 & 0x7fff_ffff);
                    }
                    norm.push(run.clone());
                }
                2 => {
                    let t = run.trim_start_matches('0');
                    toks.push(fnv(t.as_bytes()) as u32 | 0x8000_0000);
                    norm.push(t.to_string());
                }
                _ => {
                    let t = canon_token(run);
                    toks.push(fnv(t.as_bytes()) as u32 & 0x7fff_ffff);
                    norm.push(t.to_string());
                }
            }
            run.clear();
        };
        for c in w.chars() {
            let k = if is_cjk(c) {
                1
            } else if c.is_ascii_digit() {
                2
            } else {
                3
            };
            if k != run_kind {
                flush(&mut run, run_kind, &mut toks, &mut norm);
                run_kind = k;
            }
            run.push(c);
        }
        flush(&mut run, run_kind, &mut toks, &mut norm);
    }
    toks.sort_unstable();
    toks.dedup();
    (norm.join(" "), toks)
}

/// Letters and digits of a folded text (`fold_text`: lowercased, punctuation
/// gone), without spaces: `177 Pridhamstreet` and `177 pridham street` both give
/// `177pridhamstreet`, so spacing errors do not split or glue tokens.
fn squash(folded: &str) -> impl Iterator<Item = char> + Clone + '_ {
    folded.chars().filter(|&c| c != ' ')
}

fn strip_admin_suffix(s: String) -> String {
    for suf in ["市", "省", "自治区", "特别行政区"] {
        if let Some(t) = s.strip_suffix(suf) {
            if t.chars().count() >= 2 {
                return t.to_string();
            }
        }
    }
    s
}

/// How a field is stored per row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColKind {
    Skip,
    /// One normalized string.
    Str,
    /// Four bytes (year lo, year hi, month, day), empty when missing.
    Date,
    /// Normalized address string, sorted token hashes (little-endian u32), then the
    /// squashed form (letters and digits only, as written: `pridhamstreet`).
    Tok,
    /// Free text (a second address line): normalized string, then sorted token
    /// hashes in the address token space, so it can be compared with an address.
    TextTok,
}

fn col_kind(kind: FieldKind) -> ColKind {
    match kind {
        FieldKind::Id | FieldKind::FullName | FieldKind::GivenName | FieldKind::FamilyName => {
            ColKind::Skip
        }
        FieldKind::Date => ColKind::Date,
        FieldKind::Address => ColKind::Tok,
        FieldKind::Text => ColKind::TextTok,
        _ => ColKind::Str,
    }
}

fn norm_str(kind: FieldKind, s: &str) -> String {
    match kind {
        FieldKind::Email => s.trim().to_lowercase(),
        FieldKind::Phone => norm_phone(s),
        FieldKind::CnId => s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect(),
        FieldKind::Gender => norm_gender(s),
        FieldKind::Postcode => s
            .chars()
            .filter(|c| c.is_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect(),
        FieldKind::City | FieldKind::Province => strip_admin_suffix(fold_text(s)),
        _ => fold_text(s),
    }
}

/// Per-row features stored row-major: each row is one contiguous byte record
/// (a header of u16 slot ends, then the slots), so comparing a pair touches two
/// small memory regions instead of dozens of heap allocations.
pub struct Features {
    pub n: usize,
    pub has_name: bool,
    pub kinds: Vec<ColKind>,
    col_slot: Vec<usize>,
    nslots: usize,
    data: Vec<u8>,
    start: Vec<usize>,
}

const NAME_SLOTS: usize = 6;
const MAX_FIELD: usize = 2000;

impl Features {
    #[inline]
    fn slot(&self, row: usize, k: usize) -> &[u8] {
        let base = self.start[row];
        let hdr = base + 2 * k;
        let end = u16::from_le_bytes([self.data[hdr], self.data[hdr + 1]]) as usize;
        let beg = if k == 0 {
            0
        } else {
            u16::from_le_bytes([self.data[hdr - 2], self.data[hdr - 1]]) as usize
        };
        let body = base + 2 * self.nslots;
        &self.data[body + beg..body + end]
    }
    /// Hint the CPU to fetch a row's offset (stage 0) or its first bytes (stage 1) into the cache. Candidate
    /// pairs reach rows in random order, so comparing waits on memory (the profile of a 1M-row dedupe put a
    /// quarter of the samples on the first touch of a pair's second record); issuing the loads a few pairs
    /// ahead lets them overlap. A hint only: it changes no result.
    #[inline]
    pub fn prefetch(&self, row: usize, stage: u8) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            if stage == 0 {
                if let Some(p) = self.start.get(row) {
                    // SAFETY: a prefetch never faults; the pointer is in bounds.
                    unsafe { _mm_prefetch::<_MM_HINT_T0>((p as *const usize).cast::<i8>()) };
                }
            } else if let Some(&base) = self.start.get(row) {
                let end = self.start.get(row + 1).copied().unwrap_or(self.data.len());
                let mut at = base;
                // the header and the name slots: at most the first two cache lines
                while at < end && at < base + 128 {
                    // SAFETY: as above; `at` is inside `data`.
                    unsafe { _mm_prefetch::<_MM_HINT_T0>(self.data.as_ptr().add(at).cast::<i8>()) };
                    at += 64;
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = (row, stage);
    }
    #[inline]
    fn text(&self, row: usize, k: usize) -> &str {
        let b = self.slot(row, k);
        debug_assert!(std::str::from_utf8(b).is_ok());
        // SAFETY: text slots are only ever written by `push_str_slot` from a `&str`,
        // truncated at a char boundary, so they hold valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(b) }
    }
    /// Normalized string of a Str or Tok column ("" when missing or not a string column).
    #[inline]
    pub fn str(&self, row: usize, col: usize) -> &str {
        match self.kinds[col] {
            ColKind::Str | ColKind::Tok | ColKind::TextTok => self.text(row, self.col_slot[col]),
            _ => "",
        }
    }
    #[inline]
    pub fn date(&self, row: usize, col: usize) -> DateV {
        if self.kinds[col] != ColKind::Date {
            return DateV::default();
        }
        match self.slot(row, self.col_slot[col]) {
            [a, b, m, d] => DateV {
                y: u16::from_le_bytes([*a, *b]),
                m: *m,
                d: *d,
            },
            _ => DateV::default(),
        }
    }
    /// Token hashes of a Tok or TextTok column as little-endian u32 bytes.
    #[inline]
    pub fn toks(&self, row: usize, col: usize) -> &[u8] {
        if !matches!(self.kinds[col], ColKind::Tok | ColKind::TextTok) {
            return &[];
        }
        self.slot(row, self.col_slot[col] + 1)
    }
    /// Squashed form of a Tok column (see `squash`): the stored text, or when that
    /// is empty the normalized string whose spaces are to be skipped (flag true);
    /// ("", false) for other columns.
    #[inline]
    pub fn squashed(&self, row: usize, col: usize) -> (&str, bool) {
        if self.kinds[col] != ColKind::Tok {
            return ("", false);
        }
        let q = self.text(row, self.col_slot[col] + 2);
        if q.is_empty() {
            (self.text(row, self.col_slot[col]), true)
        } else {
            (q, false)
        }
    }
    #[inline]
    pub fn name(&self, row: usize) -> NameRef<'_> {
        if !self.has_name {
            return NameRef::default();
        }
        NameRef {
            given: self.text(row, 0),
            given_all: self.text(row, 1),
            family: self.text(row, 2),
            given_cjk: self.text(row, 3),
            family_cjk: self.text(row, 4),
            suffix: self.slot(row, 5).first().copied().unwrap_or(0),
        }
    }
}

fn push_str_slot(body: &mut Vec<u8>, ends: &mut Vec<u16>, s: &str) {
    let mut i = s.len().min(MAX_FIELD);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    push_slot(body, ends, &s.as_bytes()[..i]);
}

fn push_slot(body: &mut Vec<u8>, ends: &mut Vec<u16>, bytes: &[u8]) {
    let b = if bytes.len() > MAX_FIELD {
        &bytes[..MAX_FIELD]
    } else {
        bytes
    };
    body.extend_from_slice(b);
    ends.push(body.len() as u16);
}

pub fn build(input: &Input) -> Features {
    let n = input.fields.first().map(|f| f.2.len()).unwrap_or(0);
    let kinds: Vec<ColKind> = input.fields.iter().map(|f| col_kind(f.1)).collect();
    let find = |k: FieldKind| input.fields.iter().find(|f| f.1 == k).map(|f| f.2);
    let (full, given, family) = (
        find(FieldKind::FullName),
        find(FieldKind::GivenName),
        find(FieldKind::FamilyName),
    );
    let has_name = full.is_some() || given.is_some() || family.is_some();
    let mut col_slot = Vec::with_capacity(kinds.len());
    let mut nslots = if has_name { NAME_SLOTS } else { 0 };
    for k in &kinds {
        col_slot.push(nslots);
        nslots += match k {
            ColKind::Skip => 0,
            ColKind::Str | ColKind::Date => 1,
            ColKind::TextTok => 2,
            ColKind::Tok => 3,
        };
    }
    fn g(c: Option<&dyn super::Column>, i: usize) -> &str {
        c.map(|c| c.get(i)).unwrap_or("")
    }
    // `body` and `ends` are a chunk's scratch buffers, reused row after row.
    let encode = |i: usize, out: &mut Vec<u8>, body: &mut Vec<u8>, ends: &mut Vec<u16>| {
        body.clear();
        ends.clear();
        let (body, ends) = (&mut *body, &mut *ends);
        if has_name {
            let nm = build_name(g(full, i), g(given, i), g(family, i));
            for s in [
                &nm.given,
                &nm.given_all,
                &nm.family,
                &nm.given_cjk,
                &nm.family_cjk,
            ] {
                push_str_slot(body, ends, s);
            }
            push_slot(body, ends, &[nm.suffix]);
        }
        for ((_, kind, col), ck) in input.fields.iter().zip(&kinds) {
            let raw = col.get(i);
            match ck {
                ColKind::Skip => {}
                ColKind::Str => push_str_slot(body, ends, &norm_str(*kind, raw)),
                ColKind::Date => {
                    let d = parse_date(raw);
                    if d.is_some() {
                        let y = d.y.to_le_bytes();
                        push_slot(body, ends, &[y[0], y[1], d.m, d.d]);
                    } else {
                        push_slot(body, ends, &[]);
                    }
                }
                ColKind::Tok | ColKind::TextTok => {
                    let folded = fold_text(raw);
                    let (s, t) = address_tokens_folded(&folded);
                    if *ck == ColKind::Tok {
                        push_str_slot(body, ends, &s);
                    } else {
                        push_str_slot(body, ends, &norm_str(*kind, raw));
                    }
                    let tb: Vec<u8> = t
                        .iter()
                        .take(MAX_FIELD / 4)
                        .flat_map(|x| x.to_le_bytes())
                        .collect();
                    push_slot(body, ends, &tb);
                    if *ck == ColKind::Tok {
                        // stored only when it is not the normalized string without its spaces
                        // (always so for Chinese addresses): see `squashed`
                        let q = squash(&folded);
                        if q.clone().eq(squash(&s)) {
                            push_str_slot(body, ends, "");
                        } else {
                            push_str_slot(body, ends, &q.collect::<String>());
                        }
                    }
                }
            }
        }
        for e in ends.iter() {
            out.extend_from_slice(&e.to_le_bytes());
        }
        out.extend_from_slice(body);
    };
    const CHUNK: usize = 16384;
    let chunks: Vec<(Vec<u8>, Vec<usize>)> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let rows = c * CHUNK..((c + 1) * CHUNK).min(n);
            let mut data = Vec::with_capacity(rows.len() * 128);
            let mut starts = Vec::with_capacity(rows.len());
            let (mut body, mut ends) = (Vec::with_capacity(256), Vec::with_capacity(nslots));
            for i in rows {
                starts.push(data.len());
                encode(i, &mut data, &mut body, &mut ends);
            }
            (data, starts)
        })
        .collect();
    // The columns are read no more: a spilled table's pages go back before the pieces are joined.
    if let Some(release) = input.release {
        release();
    }
    let (data, mut start) = join_chunks(chunks, n);
    start.push(data.len());
    Features {
        n,
        has_name,
        kinds,
        col_slot,
        nslots,
        data,
        start,
    }
}

/// The chunks' bytes joined into one buffer backed by huge pages (see `huge_pages`), and every row's start in
/// it. Both cores copy: at 10M rows the 1.5 GB join, on one core with `extend_from_slice`, took 3.6 s of the
/// 9.5 s the features took (the profile showed the copy and the first touch of each page).
fn join_chunks(chunks: Vec<(Vec<u8>, Vec<usize>)>, n: usize) -> (Vec<u8>, Vec<usize>) {
    let total: usize = chunks.iter().map(|c| c.0.len()).sum();
    let mut data: Vec<u8> = Vec::with_capacity(total);
    let mut start: Vec<usize> = Vec::with_capacity(n + 1);
    huge_pages(&data);
    huge_pages(&start);
    {
        let mut bytes = &mut data.spare_capacity_mut()[..total];
        let mut starts = &mut start.spare_capacity_mut()[..n];
        let mut pieces = Vec::with_capacity(chunks.len());
        let mut base = 0;
        for (d, s) in &chunks {
            let (b, rest) = bytes.split_at_mut(d.len());
            bytes = rest;
            let (st, rest) = starts.split_at_mut(s.len());
            starts = rest;
            pieces.push((b, st, base, d, s));
            base += d.len();
        }
        pieces.into_par_iter().for_each(|(b, st, base, d, s)| {
            // SAFETY: `b` is exactly `d.len()` bytes of the new buffer's spare capacity, apart from `d`.
            unsafe {
                std::ptr::copy_nonoverlapping(d.as_ptr(), b.as_mut_ptr().cast::<u8>(), d.len())
            };
            for (to, from) in st.iter_mut().zip(s) {
                to.write(from + base);
            }
        });
    }
    // SAFETY: every byte of `data[..total]` and every entry of `start[..n]` was written just above: the
    // pieces split both buffers into consecutive runs of exactly the chunks' lengths, which add up to `total`
    // and to `n` (the chunks hold every row once).
    unsafe {
        data.set_len(total);
        start.set_len(n);
    }
    (data, start)
}

/// Ask the kernel to back a large buffer that is read at random rows (a pair's second record) with 2 MiB
/// pages, before it is filled. With 4 KiB pages every such read also misses the TLB: at 10M rows the features
/// span ~1.5 GB (375,000 pages) and comparing spent most of its time waiting on page walks. The allocator
/// leaves huge pages off elsewhere (they cost memory in small, short-lived allocations); this is a hint only.
fn huge_pages<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let bytes = v.capacity() * std::mem::size_of::<T>();
        if bytes < 4 * HUGE {
            return;
        }
        let beg = (v.as_ptr() as usize).next_multiple_of(HUGE);
        let end = (v.as_ptr() as usize + bytes) / HUGE * HUGE;
        if end > beg {
            // SAFETY: the range lies inside the vector's own allocation; MADV_HUGEPAGE changes no contents.
            unsafe {
                libc::madvise(beg as *mut libc::c_void, end - beg, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}

/// Features of a single row (used by `explain`).
pub fn build_rows(input: &Input, rows: &[usize]) -> Features {
    struct Sub<'a> {
        c: &'a dyn super::Column,
        rows: Vec<usize>,
    }
    impl super::Column for Sub<'_> {
        fn len(&self) -> usize {
            self.rows.len()
        }
        fn get(&self, r: usize) -> &str {
            self.c.get(self.rows[r])
        }
    }
    let subs: Vec<Sub> = input
        .fields
        .iter()
        .map(|f| Sub {
            c: f.2,
            rows: rows.to_vec(),
        })
        .collect();
    let fields = input
        .fields
        .iter()
        .zip(subs.iter())
        .map(|(f, s)| (f.0.clone(), f.1, s as &dyn super::Column))
        .collect();
    build(&Input {
        fields,
        source: None,
        release: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = |s| {
            let v = parse_date(s);
            (v.y, v.m, v.d)
        };
        assert_eq!(d("1985-03-12"), (1985, 3, 12));
        assert_eq!(d("19850312"), (1985, 3, 12));
        assert_eq!(d("1970年9月18日"), (1970, 9, 18));
        assert_eq!(d("2022/11/21"), (2022, 11, 21));
        assert_eq!(d("25/12/1990"), (1990, 12, 25));
        assert_eq!(d("12/25/1990"), (1990, 12, 25));
        assert_eq!(d("1985-13-12"), (0, 0, 0));
        assert_eq!(d("unknown"), (0, 0, 0));
        assert_eq!(parse_date("1970-01-02").days(), 1);
    }

    #[test]
    fn names() {
        let n = build_name("張偉", "", "");
        assert_eq!((&*n.family, &*n.given), ("zhang", "wei"));
        assert_eq!(&*n.family_cjk, "张");
        let n = build_name("Smith, John Jr.", "", "");
        assert_eq!((&*n.family, &*n.given, n.suffix), ("smith", "john", 1));
        let n = build_name("Dr. José María García", "", "");
        assert_eq!(
            (&*n.family, &*n.given, &*n.given_all),
            ("garcia", "jose", "josemaria")
        );
        assert_eq!(
            build_name("Wei Zhang", "", "").view().sorted_key(),
            build_name("张伟", "", "").view().sorted_key()
        );
        let a = build_name("DE VRIES Fatima", "", "");
        let b = build_name("Fatima de Vries", "", "");
        assert_eq!((&*a.family, &*a.given), (&*b.family, &*b.given));
        assert_eq!(&*b.family, "devries");
        let n = build_name("ignored", "Mary", "O'Brien");
        assert_eq!((&*n.family, &*n.given), ("obrien", "mary"));
    }

    #[test]
    fn phones_and_addresses() {
        assert_eq!(norm_phone("+8613812345678"), norm_phone("138 1234 5678"));
        assert_eq!(norm_phone("+44 20 7946 0848"), norm_phone("020 7946 0848"));
        let (s, t) = address_tokens("12 Main Street");
        assert_eq!(s, "12 main st");
        let sq = |s: &str| squash(&fold_text(s)).collect::<String>();
        assert_eq!(sq("177 Pridhamstreet"), "177pridhamstreet");
        assert_eq!(sq("177 pridham  street."), sq("177 Pridhamstreet"));
        // stored only where it differs from the normalized string without spaces
        let col: Vec<&str> = vec![
            "177 Pridham Street",
            "和平区深南大道395号",
            "177 pridhamstreet",
        ];
        let f = build(&Input {
            fields: vec![(
                "address".into(),
                FieldKind::Address,
                &col as &dyn super::super::Column,
            )],
            source: None,
            release: None,
        });
        assert_eq!(f.squashed(0, 0), ("177pridhamstreet", false));
        assert_eq!(f.squashed(1, 0), ("和平区深南大道 395 号", true));
        assert_eq!(f.squashed(2, 0), ("177 pridhamstreet", true));
        assert_eq!(t.iter().filter(|x| **x & 0x8000_0000 != 0).count(), 1);
    }
}

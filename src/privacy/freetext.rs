//! Identifiers embedded in free text (`notes`, `company`, any kept column): e-mail addresses, phone numbers
//! and Chinese resident IDs found with exact byte spans, so they can be replaced by keyed tokens or masked.
//!
//! Precision first: a phone candidate must parse as a valid number (international `+CC …`/`00CC …`, or
//! national and valid in one of the regions given), a resident ID must pass its checksum (18 characters) or
//! carry a real birth date (15 digits), and digit runs glued to letters, currency signs, `#` or longer digit
//! runs (`ORD-2024-001234`, `SF1234567890123`, `¥1,234.50`, `2024-03-05`) are never candidates.

use std::borrow::Cow;

use crate::fields;
use crate::schema::FieldKind;

/// What kind of identifier was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Embedded {
    Email,
    Phone,
    ResidentId,
}

impl Embedded {
    pub const ALL: [Embedded; 3] = [Embedded::Email, Embedded::Phone, Embedded::ResidentId];

    /// The field kind whose token an embedded identifier gets (the same as in its own column).
    pub fn field_kind(self) -> FieldKind {
        match self {
            Embedded::Email => FieldKind::Email,
            Embedded::Phone => FieldKind::Phone,
            Embedded::ResidentId => FieldKind::CnId,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Embedded::Email => "email",
            Embedded::Phone => "phone",
            Embedded::ResidentId => "resident_id",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One identifier found: `text[start..end]` (byte offsets on char boundaries) is it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub kind: Embedded,
}

/// Identifiers found, by kind (indexed as `Embedded::ALL`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub email: u64,
    pub phone: u64,
    pub resident_id: u64,
}

impl Counts {
    pub fn add_kind(&mut self, kind: Embedded, n: u64) {
        match kind {
            Embedded::Email => self.email += n,
            Embedded::Phone => self.phone += n,
            Embedded::ResidentId => self.resident_id += n,
        }
    }

    pub fn add(&mut self, other: &Counts) {
        self.email += other.email;
        self.phone += other.phone;
        self.resident_id += other.resident_id;
    }

    pub fn total(&self) -> u64 {
        self.email + self.phone + self.resident_id
    }

    pub fn get(&self, kind: Embedded) -> u64 {
        [self.email, self.phone, self.resident_id][kind.index()]
    }

    /// `3 emails, 1 phone` (kinds with none left out).
    pub fn describe(&self) -> String {
        Embedded::ALL
            .iter()
            .filter(|k| self.get(**k) > 0)
            .map(|k| {
                let n = self.get(*k);
                let name = match (k, n) {
                    (Embedded::Email, 1) => "email",
                    (Embedded::Email, _) => "emails",
                    (Embedded::Phone, 1) => "phone number",
                    (Embedded::Phone, _) => "phone numbers",
                    (Embedded::ResidentId, 1) => "resident ID",
                    (Embedded::ResidentId, _) => "resident IDs",
                };
                format!("{n} {name}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Regions tried for national numbers where the row's country is unknown and a false hit costs nothing (a
/// sample shown masked by `inspect`): the countries most customer lists hold.
pub const COMMON_REGIONS: &[&str] = &[
    "CN", "GB", "US", "HK", "SG", "DE", "FR", "AU", "CA", "IN", "JP",
];

/// Every identifier in `text`, sorted by position, never overlapping. National phone numbers are taken when
/// valid in one of `regions` (the row's country, else the default region; empty: international only, and
/// Chinese mobile numbers, which need no region).
pub fn scan(text: &str, regions: &[&str]) -> Vec<Found> {
    if !worth_scanning(text) {
        return Vec::new();
    }
    let chars = Folded::new(text);
    let mut found = emails(&chars);
    let ids = resident_ids(&chars, &found);
    found.extend(ids);
    let phones = phones(&chars, regions, &found);
    found.extend(phones);
    found.sort_by_key(|f| f.start);
    found
}

/// `text` with every identifier replaced by what `replace` gives for it (kind, the identifier as written),
/// and how many of each kind were replaced. Borrowed when there is none.
pub fn redact<'t>(
    text: &'t str,
    regions: &[&str],
    mut replace: impl FnMut(Embedded, &str) -> String,
) -> (Cow<'t, str>, Counts) {
    let found = scan(text, regions);
    let mut counts = Counts::default();
    if found.is_empty() {
        return (Cow::Borrowed(text), counts);
    }
    let mut out = String::with_capacity(text.len() + 16 * found.len());
    let mut at = 0;
    for f in &found {
        out.push_str(&text[at..f.start]);
        out.push_str(&replace(f.kind, &text[f.start..f.end]));
        counts.add_kind(f.kind, 1);
        at = f.end;
    }
    out.push_str(&text[at..]);
    (Cow::Owned(out), counts)
}

/// `text` for a person to look at: each embedded identifier masked as its own field would be
/// (`c***@example.com`, `077****0333`). National numbers are read in the row's `country` when known, else in
/// each of `COMMON_REGIONS` (a sample shown masked by mistake costs nothing).
pub fn mask_for_display<'t>(text: &'t str, country: Option<&str>) -> Cow<'t, str> {
    let region = country
        .map(|c| fields::country::check_country(c).value)
        .filter(|c| c.len() == 2);
    let regions: Vec<&str> = match &region {
        Some(r) => vec![r.as_str()],
        None => COMMON_REGIONS.to_vec(),
    };
    redact(text, &regions, |kind, id| {
        super::mask::mask_value(kind.field_kind(), id)
    })
    .0
}

/// Cheap test before any work: an `@` (or `＠`), or seven digits (ASCII or full-width) joined only by phone
/// separators, as every number and ID taken has (`2024/03/05`, `¥1,234.50` and most values have not).
fn worth_scanning(text: &str) -> bool {
    let b = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            run += 1;
        } else if c == b'@' {
            return true;
        } else if c == 0xEF && i + 2 < b.len() && b[i + 1] == 0xBC {
            match b[i + 2] {
                // Full-width digits U+FF10..U+FF19.
                0x90..=0x99 => run += 1,
                // Full-width commercial at U+FF20.
                0xA0 => return true,
                // Full-width ( ) + - . keep a run going.
                0x88 | 0x89 | 0x8B | 0x8D | 0x8E => {}
                _ => run = 0,
            }
            i += 2;
        } else if !b" -.()+".contains(&c) {
            run = 0;
        }
        if run >= 7 {
            return true;
        }
        i += 1;
    }
    false
}

/// The text as characters folded to ASCII where a full-width or typographic form has one (digits, `＠`,
/// `＋`, `（`, ideographic space, dashes), each with its byte offset in the original.
struct Folded {
    chars: Vec<char>,
    /// Byte offset of each char, plus the text's length at the end.
    offsets: Vec<usize>,
}

impl Folded {
    fn new(text: &str) -> Folded {
        let mut chars = Vec::with_capacity(text.len());
        let mut offsets = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            chars.push(fold(c));
            offsets.push(i);
        }
        offsets.push(text.len());
        Folded { chars, offsets }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    fn at(&self, i: usize) -> char {
        self.chars[i]
    }

    /// The char before `i`, if any.
    fn before(&self, i: usize) -> Option<char> {
        i.checked_sub(1).map(|j| self.chars[j])
    }

    fn after(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn string(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }

    fn found(&self, start: usize, end: usize, kind: Embedded) -> Found {
        Found {
            start: self.offsets[start],
            end: self.offsets[end],
            kind,
        }
    }
}

fn fold(c: char) -> char {
    match c {
        // Full-width digits, letters and the signs numbers and addresses are written with; full-width
        // commas, colons and semicolons stay, since Chinese text puts them between a number and the next.
        '０'..='９'
        | 'Ａ'..='Ｚ'
        | 'ａ'..='ｚ'
        | '＠'
        | '＋'
        | '（'
        | '）'
        | '－'
        | '．'
        | '＿'
        | '％' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2007}' | '\u{202F}' => ' ',
        '\u{2010}'..='\u{2014}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// A letter or digit that glues a number to a word (`SF1234…`, `…5678abc`); CJK text does not glue, since
/// Chinese writes numbers straight after words (`手机13812345678`).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c.is_alphanumeric() && (c as u32) < 0x2E80)
}

fn overlaps(taken: &[Found], f: &Found) -> bool {
    taken.iter().any(|t| f.start < t.end && t.start < f.end)
}

// ---------------------------------------------------------------------------------------------------------
// E-mail addresses

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-'".contains(c)
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '-'
}

fn emails(t: &Folded) -> Vec<Found> {
    let mut out = Vec::new();
    let mut min_start = 0;
    for at in 0..t.len() {
        if t.at(at) != '@' || at < min_start {
            continue;
        }
        let mut start = at;
        while start > min_start && is_local_char(t.at(start - 1)) {
            start -= 1;
        }
        // A local part does not start with a dot, a quote or a sign (`…+carol@x.com` takes carol).
        while start < at && "._%+-'".contains(t.at(start)) {
            start += 1;
        }
        let mut end = at + 1;
        while end < t.len() && is_domain_char(t.at(end)) {
            end += 1;
        }
        while end > at + 1 && matches!(t.at(end - 1), '.' | '-') {
            end -= 1;
        }
        if start == at || end == at + 1 {
            continue;
        }
        let local = t.string(start, at);
        let domain = t.string(at + 1, end);
        if !valid_local(&local) || !valid_domain(&domain) {
            continue;
        }
        out.push(t.found(start, end, Embedded::Email));
        min_start = end;
    }
    out
}

fn valid_local(local: &str) -> bool {
    local.len() <= 64 && !local.ends_with('.') && !local.contains("..")
}

fn valid_domain(domain: &str) -> bool {
    if domain.len() > 253 || !domain.contains('.') {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels[labels.len() - 1];
    labels
        .iter()
        .all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-'))
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
}

// ---------------------------------------------------------------------------------------------------------
// Chinese resident IDs

/// A run of digits (18 with a check digit or `X`, or 15) standing alone, that the checksum, a real birth
/// date and a real province code accept.
fn resident_ids(t: &Folded, taken: &[Found]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if !t.at(i).is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < t.len() && t.at(i).is_ascii_digit() {
            i += 1;
        }
        let mut end = i;
        if end - start == 17 && matches!(t.after(end), Some('X' | 'x')) {
            end += 1;
        }
        let len = end - start;
        if !(len == 18 || len == 15) || glued_left(t, start) || glued_right(t, end) {
            i = end;
            continue;
        }
        let f = t.found(start, end, Embedded::ResidentId);
        if !overlaps(taken, &f) && valid_resident_id(&t.string(start, end)) {
            out.push(f);
        }
        i = end;
    }
    out
}

fn valid_resident_id(s: &str) -> bool {
    let (checked, info) = fields::cn_id::check_cn_id(s, chrono::Local::now().date_naive());
    info.is_some() && !checked.issues.iter().any(|i| i.rule == "cn-id-region")
}

// ---------------------------------------------------------------------------------------------------------
// Phone numbers

/// Signs that make the digits after them something else: an order or invoice number, an amount, a handle.
const GLUE_BEFORE: &str = "#$¥￥€£₹@&=*%_\\";
/// Joiners that glue two runs into one token when they stand between two word characters.
const JOINERS: &str = "-./,:";

/// Whether the run starting at `i` continues a token on its left.
fn glued_left(t: &Folded, i: usize) -> bool {
    match t.before(i) {
        None => false,
        Some(p) if is_word_char(p) || GLUE_BEFORE.contains(p) => true,
        // `14:30`, but not `Tel:07700…`.
        Some(':') => t.before(i - 1).is_some_and(|q| q.is_ascii_digit()),
        Some(p) if JOINERS.contains(p) => {
            t.before(i - 1).is_some_and(|q| is_word_char(q) || q == ')')
        }
        Some(_) => false,
    }
}

/// Whether the run ending before `i` continues into a token on its right.
fn glued_right(t: &Folded, i: usize) -> bool {
    match t.after(i) {
        None => false,
        Some(n) if is_word_char(n) || "@%_€£¥￥$".contains(n) => true,
        Some(n) if JOINERS.contains(n) => t.after(i + 1).is_some_and(|q| q.is_ascii_digit()),
        Some(_) => false,
    }
}

/// A run of digits inside a chain of runs joined by phone separators.
#[derive(Debug, Clone, Copy)]
struct Group {
    /// First digit, and one past the last.
    start: usize,
    end: usize,
}

/// Where a number may start: group `g`'s first digit, or a `+`/`(`/`(+` written right before it.
fn prefix_start(t: &Folded, digit: usize, floor: usize) -> usize {
    let mut s = digit;
    if s > floor && t.at(s - 1) == '+' {
        s -= 1;
    }
    if s > floor && t.at(s - 1) == '(' {
        s -= 1;
    }
    s
}

/// The separator between two runs of a phone number: one to three of space, `-`, `.`, `(`, `)`, with at most
/// one dash or dot and at most one of each parenthesis (`) `, ` (`, `-`, `.`, ` `, `) -`).
fn separator_len(t: &Folded, i: usize) -> Option<usize> {
    let mut j = i;
    let (mut joins, mut open, mut close, mut spaces) = (0, 0, 0, 0);
    while j < t.len() && j - i < 3 {
        match t.at(j) {
            ' ' => spaces += 1,
            '-' | '.' => joins += 1,
            '(' => open += 1,
            ')' => close += 1,
            _ => break,
        }
        j += 1;
    }
    let ok = j > i
        && joins <= 1
        && open <= 1
        && close <= 1
        && spaces <= 2
        && j < t.len()
        && t.at(j).is_ascii_digit();
    ok.then_some(j - i)
}

fn phones(t: &Folded, regions: &[&str], taken: &[Found]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if !t.at(i).is_ascii_digit() {
            i += 1;
            continue;
        }
        // A chain: runs of digits joined by phone separators.
        let mut groups = vec![];
        loop {
            let s = i;
            while i < t.len() && t.at(i).is_ascii_digit() {
                i += 1;
            }
            groups.push(Group { start: s, end: i });
            match separator_len(t, i) {
                Some(n) => i += n,
                _ => break,
            }
        }
        out.extend(numbers_in_chain(t, &groups, regions, taken));
    }
    out
}

/// The groups of a chain that belong to a card, IBAN or parcel number written in blocks of four
/// (`4111 1111 1111 1111`, `9400 1000 0000 0000 0000 00`, `GB29 NWBK 6016 1331 9268 19`): at least four
/// blocks and sixteen characters, every block but the last of four.
fn block_groups(t: &Folded, groups: &[Group]) -> Vec<bool> {
    let len = |g: &Group| g.end - g.start;
    let single_space = |a: &Group, b: &Group| b.start == a.end + 1 && t.at(a.end) == ' ';
    let mut blocked = vec![false; groups.len()];
    let mut a = 0;
    while a < groups.len() {
        // The longest stretch from `a`: blocks of four, one space apart, the last one of four or fewer.
        let mut b = a;
        while len(&groups[b]) == 4
            && b + 1 < groups.len()
            && single_space(&groups[b], &groups[b + 1])
        {
            b += 1;
        }
        if len(&groups[b]) > 4 {
            b -= usize::from(b > a);
        }
        let (mut blocks, mut chars) = (b - a + 1, groups[a..=b].iter().map(len).sum::<usize>());
        if a == 0 {
            // Blocks of four capitals and digits just before (`GB29 NWBK `) belong to it, when one of them
            // mixes letters and digits as an IBAN's country and check digits do (`call 6134 9887` is a word).
            let mut at = groups[0].start;
            let (mut left, mut mixed) = (0, false);
            while at >= 5
                && t.at(at - 1) == ' '
                && (at - 5..at - 1)
                    .all(|i| t.at(i).is_ascii_uppercase() || t.at(i).is_ascii_digit())
                && (at == 5 || !t.at(at - 6).is_ascii_alphanumeric())
            {
                let digits = (at - 5..at - 1)
                    .filter(|&i| t.at(i).is_ascii_digit())
                    .count();
                mixed |= (1..4).contains(&digits);
                left += 1;
                at -= 5;
            }
            if mixed {
                blocks += left;
                chars += 4 * left;
            }
        }
        if blocks >= 4 && chars >= 16 {
            blocked[a..=b].iter_mut().for_each(|x| *x = true);
        }
        a = b + 1;
    }
    blocked
}

/// The numbers of a chain of digit runs, left to right: from each place a number may start, the longest run
/// of groups that is a valid number.
fn numbers_in_chain(t: &Folded, groups: &[Group], regions: &[&str], taken: &[Found]) -> Vec<Found> {
    let n = groups.len();
    let first = groups[0];
    let chain_start = prefix_start(t, first.start, 0);
    // A number starts at the chain's start, or after a space inside it; it ends at the chain's end or
    // before a space.
    let can_start = |g: usize| -> Option<usize> {
        if g == 0 {
            return (!glued_left(t, chain_start)).then_some(chain_start);
        }
        // After the gap's last space, only an opening `(` or `+` may come before the digits.
        let (gap_from, digit) = (groups[g - 1].end, groups[g].start);
        let space = (gap_from..digit).rev().find(|&i| t.at(i) == ' ')?;
        ((space + 1)..digit)
            .all(|i| "(+".contains(t.at(i)))
            .then_some(space + 1)
    };
    let can_end = |g: usize| -> bool {
        if g == n - 1 {
            return !glued_right(t, groups[g].end);
        }
        // Before the gap's first space, only a closing `)` may come after the digits.
        let (after, next) = (groups[g].end, groups[g + 1].start);
        (after..next)
            .find(|&i| t.at(i) == ' ')
            .is_some_and(|space| (after..space).all(|i| t.at(i) == ')'))
    };
    let blocked = block_groups(t, groups);
    let mut out = Vec::new();
    let mut g = 0;
    while g < n {
        // A number may run into a block number's first blocks (`(312) 996-6100 9400 2364 …`: the blocks
        // cannot tell), but never starts inside one.
        let Some(start) = can_start(g).filter(|_| !blocked[g]) else {
            g += 1;
            continue;
        };
        let mut hit = None;
        for e in (g..n.min(g + 7)).rev() {
            if !can_end(e) {
                continue;
            }
            let mut end = groups[e].end;
            // A closing parenthesis belongs to the number when it opened one: `(+86)…` ends at a digit.
            if t.after(end) == Some(')')
                && (start..end).any(|i| t.at(i) == '(')
                && (start..end).filter(|&i| t.at(i) == '(').count()
                    > (start..end).filter(|&i| t.at(i) == ')').count()
            {
                end += 1;
            }
            let f = t.found(start, end, Embedded::Phone);
            if overlaps(taken, &f) {
                continue;
            }
            if is_phone(t, start, &groups[g..=e], regions) {
                hit = Some((e, f));
                break;
            }
        }
        match hit {
            Some((e, f)) => {
                out.push(f);
                g = e + 1;
            }
            None => g += 1,
        }
    }
    out
}

/// Whether the groups (starting at `start`, with its `+` or `(`) are one valid phone number.
fn is_phone(t: &Folded, start: usize, groups: &[Group], regions: &[&str]) -> bool {
    let digits: String = groups
        .iter()
        .flat_map(|g| t.chars[g.start..g.end].iter())
        .collect();
    let intl = t.chars[start..groups[0].start].contains(&'+');
    let len = digits.len();
    if !(7..=17).contains(&len) || (intl && len > 15) {
        return false;
    }
    if !intl && looks_like_date(&digits, groups) {
        return false;
    }
    // `12.50`, `1234567.89 100020`: a decimal number, not a phone (`01.23.45.67.89` has several dots).
    let dots: Vec<usize> = groups
        .windows(2)
        .filter(|w| t.chars[w[0].end..w[1].start].contains(&'.'))
        .map(|w| w[1].end - w[1].start)
        .collect();
    if dots.len() == 1 && dots[0] <= 2 {
        return false;
    }
    let text = t.string(start, groups[groups.len() - 1].end);
    if intl || digits.starts_with("00") {
        return number_status(&text, None).accepts(true);
    }
    if regions.is_empty() {
        // Without a region only Chinese mobiles are read nationally (as the phone field does).
        return len == 11 && number_status(&text, None).accepts(false);
    }
    regions.iter().any(|r| {
        // A national number of a region with a trunk prefix is written with it (`07700 900333`,
        // `010-12345678`), or is long enough not to be a local number or some code (North American 10
        // digits, Chinese mobiles).
        let Some(meta) = phonenumber::metadata::DATABASE.by_id(*r) else {
            return false;
        };
        let trunk = meta.national_prefix();
        let with_trunk = trunk.is_some_and(|p| digits.starts_with(p));
        let usual_without = match *r {
            "US" | "CA" => len == 10,
            "CN" => len == 11 && digits.starts_with('1'),
            _ => false,
        };
        // The length after the trunk prefix must be one the region has: the parser is not asked about the
        // rest (it is the costly part).
        let national = len
            - if with_trunk {
                trunk.map_or(0, str::len)
            } else {
                0
            };
        (trunk.is_none() || with_trunk || usual_without)
            && fields::phone::has_possible_length(meta, national)
            && number_status(&text, Some(r)).accepts(with_trunk)
    })
}

/// What the phone field says of a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberStatus {
    Valid,
    /// A possible length for the country but in no known range (the drama ranges `07700 900xxx`, new ones).
    PossibleOnly,
    Invalid,
}

impl NumberStatus {
    /// Whether to take it: valid, or possible when written with a country code or a trunk prefix (a shape
    /// that order numbers and amounts do not have).
    fn accepts(self, strong_shape: bool) -> bool {
        match self {
            NumberStatus::Valid => true,
            NumberStatus::PossibleOnly => strong_shape,
            NumberStatus::Invalid => false,
        }
    }
}

fn number_status(text: &str, region: Option<&str>) -> NumberStatus {
    let c = fields::phone::check_phone(text, region);
    if c.value.is_empty() || c.issues.iter().any(|i| i.level == fields::Level::Error) {
        NumberStatus::Invalid
    } else if c.issues.iter().any(|i| i.rule == "phone-possible-only") {
        NumberStatus::PossibleOnly
    } else {
        NumberStatus::Valid
    }
}

/// `20240305`, `2024 03 05`, `05 03 2024`: eight digits that read as a date, written whole or as 4-2-2 or
/// 2-2-4.
fn looks_like_date(digits: &str, groups: &[Group]) -> bool {
    if digits.len() != 8 {
        return false;
    }
    let lens: Vec<usize> = groups.iter().map(|g| g.end - g.start).collect();
    let n = |s: &str| s.parse::<u32>().unwrap_or(0);
    let ymd = |y: u32, m: u32, d: u32| {
        (1900..=2099).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
    };
    let year_first = ymd(n(&digits[..4]), n(&digits[4..6]), n(&digits[6..]));
    let year_last = {
        let (a, b, y) = (n(&digits[..2]), n(&digits[2..4]), n(&digits[4..]));
        ymd(y, a, b) || ymd(y, b, a)
    };
    match lens.as_slice() {
        [8] => year_first || year_last,
        [4, 2, 2] => year_first,
        [2, 2, 4] => year_last,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, regions: &[&str]) -> Vec<(Embedded, String)> {
        scan(text, regions)
            .into_iter()
            .map(|f| (f.kind, text[f.start..f.end].to_string()))
            .collect()
    }

    fn one(kind: Embedded, s: &str) -> Vec<(Embedded, String)> {
        vec![(kind, s.to_string())]
    }

    #[test]
    fn emails_with_exact_spans() {
        use Embedded::Email;
        assert_eq!(
            found("Danvers Ltd carol.danvers@example.com +44 7700 900444", &[]),
            vec![
                (Email, "carol.danvers@example.com".into()),
                (Embedded::Phone, "+44 7700 900444".into())
            ]
        );
        assert_eq!(
            found("mail: <A.B+tag@Mail.Example.co.uk>.", &[]),
            one(Email, "A.B+tag@Mail.Example.co.uk")
        );
        assert_eq!(
            found("邮箱zhang.san@163.com，谢谢", &[]),
            one(Email, "zhang.san@163.com")
        );
        assert_eq!(
            found("ｚｈａｎｇ＠ｑｑ．ｃｏｍ", &[]),
            one(Email, "ｚｈａｎｇ＠ｑｑ．ｃｏｍ")
        );
        assert_eq!(
            found("end of sentence bob@x.io.", &[]),
            one(Email, "bob@x.io")
        );
        // Not addresses: no dot in the domain, a numeric top-level domain, a handle, nothing before @.
        for s in [
            "me@localhost",
            "a@1.2.3.4",
            "@twitter",
            "price @ 12.50",
            "x@y.c",
        ] {
            assert!(found(s, &[]).is_empty(), "{s}");
        }
    }

    #[test]
    fn phones_international_and_national() {
        use Embedded::Phone;
        let gb = &["GB"];
        assert_eq!(
            found("Bob's mobile 07700900333", gb),
            one(Phone, "07700900333")
        );
        assert_eq!(
            found("Bob's mobile 07700 900333.", gb),
            one(Phone, "07700 900333")
        );
        assert_eq!(
            found("call (+44) 7700-900-333 today", &[]),
            one(Phone, "(+44) 7700-900-333")
        );
        assert_eq!(
            found("US office +1 (212) 555-0100, ask", &[]),
            one(Phone, "+1 (212) 555-0100")
        );
        assert_eq!(
            found("office (212) 555-0100", &["US"]),
            one(Phone, "(212) 555-0100")
        );
        assert_eq!(
            found("office 212.555.0100", &["US"]),
            one(Phone, "212.555.0100")
        );
        assert_eq!(
            found("手机13812345678请回电", &[]),
            one(Phone, "13812345678")
        );
        assert_eq!(
            found("手机：１３８１２３４５６７８", &[]),
            one(Phone, "１３８１２３４５６７８")
        );
        // Full-width commas separate, as spaces do.
        assert_eq!(
            found("电话：(617) 640-0043，2020-05-11", &["US"]),
            one(Phone, "(617) 640-0043")
        );
        assert_eq!(
            found("mobile 9123 0324，qty 7", &["HK"]),
            one(Phone, "9123 0324")
        );
        assert_eq!(
            found("call 6134 9887, please", &["HK"]),
            one(Phone, "6134 9887")
        );
        assert_eq!(found("+852 9234 6175 call 6134 9887", &["HK"]).len(), 2);
        assert_eq!(
            found("510104196705242682，１３８９０６０３３３５ 。", &[]).len(),
            2
        );
        assert_eq!(
            found("电话 010-12345678", &["CN"]),
            one(Phone, "010-12345678")
        );
        assert_eq!(
            found("tel 0044 20 7946 0848", &[]),
            one(Phone, "0044 20 7946 0848")
        );
        assert_eq!(
            found("(+86)138 1234 5678", &[]),
            one(Phone, "(+86)138 1234 5678")
        );
        // Two numbers side by side are two.
        assert_eq!(
            found("07700 900333 07700 900444", gb),
            vec![
                (Phone, "07700 900333".into()),
                (Phone, "07700 900444".into())
            ]
        );
        // National numbers need a region (Chinese mobiles excepted) and are read in it.
        assert!(found("Bob's mobile 07700900333", &[]).is_empty());
        assert!(found("Bob's mobile 07700900333", &["US"]).is_empty());
    }

    #[test]
    fn not_phones_order_numbers_amounts_dates_tracking() {
        let r = &["GB", "US", "CN", "DE", "FR"];
        for s in [
            "ORD-2024-001234",
            "order #100234567 shipped",
            "PO 2024-0012345",
            "¥1,234.50",
            "$12,000",
            "total 1234567.89",
            "2024-03-05",
            "05/03/2024",
            "20240305",
            "2024 03 05",
            "at 14:30:00",
            "SW1A 1AA",
            "postcode 100020",
            "zip 10001-1234",
            "1Z999AA10123456784",
            "SF1234567890123",
            "tracking SF1234567890123 sent",
            "GB29 NWBK 6016 1331 9268 19",
            "IBAN GB94 NWBK 9713 5150 2731 13",
            "INV-20240305-0042",
            "invoice No.20240305001",
            "13812345678901234",
            "id 13812345678abc",
            "v1.2.3.4567890",
            "acct 4111111111111111",
            "card 4111 1111 1111 1111",
            "9400 8431 9635 4156 6967 38",
            "9400 3028 5910 6142 9006 86 2022年6月5日",
            "USPS 9400 1118 9922 3333 4444 55",
            "订单号：202403051234567",
        ] {
            assert!(found(s, r).is_empty(), "{s}: {:?}", found(s, r));
        }
    }

    #[test]
    fn resident_ids_by_checksum() {
        use Embedded::ResidentId;
        assert_eq!(
            found("身份证110101199003077651。", &[]),
            one(ResidentId, "110101199003077651")
        );
        assert_eq!(
            found("ID 11010519491231002X ok", &[]),
            one(ResidentId, "11010519491231002X")
        );
        // The check digit is wrong: not taken (and too long to be a phone).
        assert!(found("身份证110101199003077652", &[]).is_empty());
        // 15 digits with a real birth date and province.
        assert_eq!(
            found("旧证 110101900307765", &[]),
            one(ResidentId, "110101900307765")
        );
        assert!(found("旧证 990101900307765", &[]).is_empty());
        // Glued to letters: a tracking or account number.
        assert!(found("SF110101199003077651", &[]).is_empty());
    }

    #[test]
    fn long_chains_are_read_whole_and_in_linear_time() {
        // Past a dozen groups the number at the end is still found.
        let text = "GB94 NWBK 9713 5150 2731 13 9400 1118 9922 3333 4444 55 138 0000 0000";
        assert_eq!(found(text, &[]), one(Embedded::Phone, "138 0000 0000"));
        let hostile = "12 ".repeat(20_000);
        let t = std::time::Instant::now();
        assert!(scan(&hostile, &["GB", "US", "CN"]).is_empty());
        assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
    }

    #[test]
    fn values_without_a_long_digit_run_or_an_at_are_not_scanned() {
        for s in [
            "2024/03/05",
            "¥1,234.50",
            "Initech Ltd",
            "天津",
            "12:30:45 12/03",
            "",
        ] {
            assert!(!worth_scanning(s), "{s}");
        }
        for s in [
            "a@b",
            "x＠y",
            "138 1234",
            "１３８１２３４",
            "(0)20 7946",
            "2024-03-05",
        ] {
            assert!(worth_scanning(s), "{s}");
        }
    }

    #[test]
    fn redact_replaces_each_and_counts() {
        let (out, counts) = redact(
            "Danvers Ltd carol.danvers@example.com +44 7700 900444, ORD-2024-001234 ¥1,234.50",
            &["GB"],
            |k, _| format!("<{}>", k.name()),
        );
        assert_eq!(
            out,
            "Danvers Ltd <email> <phone>, ORD-2024-001234 ¥1,234.50"
        );
        assert_eq!(
            counts,
            Counts {
                email: 1,
                phone: 1,
                resident_id: 0
            }
        );
        assert_eq!(counts.describe(), "1 email, 1 phone number");
        let (same, none) = redact("nothing here 2024-03-05", &["GB"], |_, _| unreachable!());
        assert!(matches!(same, Cow::Borrowed(_)));
        assert_eq!(none.total(), 0);
    }

    #[test]
    fn masked_for_display_in_the_row_country_or_common_ones() {
        assert_eq!(
            mask_for_display("Bob's mobile 07700900333", None),
            "Bob's mobile 077****0333"
        );
        assert_eq!(
            mask_for_display("Bob's mobile 07700900333", Some("United Kingdom")),
            "Bob's mobile 077****0333"
        );
        assert_eq!(
            mask_for_display(
                "ask carol.danvers@example.com re ORD-2024-001234",
                Some("GB")
            ),
            "ask c***@example.com re ORD-2024-001234"
        );
        assert!(matches!(
            mask_for_display("Initech Ltd", None),
            Cow::Borrowed("Initech Ltd")
        ));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        /// Words a note is made of: plain text in two scripts and every kind of look-alike number.
        const FILLER: &[&str] = &[
            "9400 1118 9922 3333 4444 55",
            "GB94 NWBK 9713 5150 2731 13",
            "订单号202403051234567",
            "please",
            "call",
            "back",
            "order",
            "ORD-2024-001234",
            "#100234567",
            "¥1,234.50",
            "$12,000",
            "2024-03-05",
            "05/03/2024",
            "20240305",
            "14:30",
            "SW1A 1AA",
            "100020",
            "1Z999AA10123456784",
            "SF1234567890123",
            "INV-0042",
            "请回电",
            "订单",
            "金额",
            "，",
            "。",
            "(",
            ")",
            "-",
            "12.50",
            "x",
            "ref:",
            "qty 3",
        ];

        fn identifier() -> impl Strategy<Value = (Embedded, String, &'static [&'static str])> {
            prop_oneof![
                (
                    "[a-z]{1,8}(\\.[a-z]{1,6})?",
                    "[a-z]{2,8}",
                    prop::sample::select(vec!["com", "co.uk", "cn", "io"])
                )
                    .prop_map(|(l, d, tld)| (
                        Embedded::Email,
                        format!("{l}@{d}.{tld}"),
                        &[][..]
                    )),
                (
                    prop::sample::select(vec!["138", "139", "186", "150", "177", "199"]),
                    "[0-9]{8}",
                    prop::sample::select(vec!["", " ", "-"])
                )
                    .prop_map(|(a, b, s)| (
                        Embedded::Phone,
                        format!("{a}{s}{}{s}{}", &b[..4], &b[4..]),
                        &[][..]
                    )),
                "[0-9]{3}".prop_map(|d| (Embedded::Phone, format!("+44 7700 900{d}"), &[][..])),
                "[0-9]{3}".prop_map(|d| (Embedded::Phone, format!("07700 900{d}"), &["GB"][..])),
                ("[2-9][0-9]{2}", "[0-9]{4}").prop_map(|(a, b)| (
                    Embedded::Phone,
                    format!("+1 (212) {a}-{b}"),
                    &[][..]
                )),
                ("19[5-9][0-9]", "0[1-9]", "[0-2][1-8]", "[0-9]{3}").prop_map(|(y, m, d, s)| {
                    let body = format!("110105{y}{m}{d}{s}");
                    let c = fields::cn_id::check_char(&body).unwrap();
                    (Embedded::ResidentId, format!("{body}{c}"), &[][..])
                }),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]

            #[test]
            fn finds_the_identifier_and_nothing_else(
                before in prop::collection::vec(prop::sample::select(FILLER), 0..5),
                after in prop::collection::vec(prop::sample::select(FILLER), 0..5),
                (kind, id, regions) in identifier(),
            ) {
                let head = before.join(" ");
                let text = format!("{head} {id} {}", after.join(" "));
                let start = head.len() + 1;
                let got = scan(&text, regions);
                prop_assert_eq!(got, vec![Found { start, end: start + id.len(), kind }], "{}", text);
            }

            #[test]
            fn fillers_alone_give_nothing(words in prop::collection::vec(prop::sample::select(FILLER), 0..12)) {
                let text = words.join(" ");
                prop_assert!(scan(&text, &["GB", "US", "CN"]).is_empty(), "{}", text);
            }

            #[test]
            fn spans_are_sorted_disjoint_and_on_char_boundaries(text in "\\PC{0,60}") {
                let got = scan(&text, &["GB", "CN"]);
                let mut at = 0;
                for f in got {
                    prop_assert!(f.start >= at && f.start < f.end && f.end <= text.len());
                    prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                    at = f.end;
                }
            }
        }
    }
}

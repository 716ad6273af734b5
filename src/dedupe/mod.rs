//! Deduplication: the matching engine (`run`: blocking, Fellegi-Sunter scoring with EM-trained m/u,
//! clustering with a chaining guard) and the stages built on it over steward tables (`dedupe_table`: golden
//! records, clusters, merge map, pairs; `link_tables`; `match_into_golden`), with their settings,
//! survivorship and review labels. No stage here reads a file or prints.
//!
//! Engine pipeline: per-row features (once) -> union of blocking keys -> levels per
//! candidate pair (rayon) -> u from ~1e6 random pairs, m and prior by EM over
//! level patterns -> probabilities -> guarded connected components.

mod blocking;
mod cluster;
mod compare;
mod evidence;
mod features;
mod incremental;
pub mod labels;
mod link;
mod matching;
mod model;
pub mod names;
pub mod review;
pub mod saved;
pub mod settings;
mod sim;
mod stage;
pub mod survivorship;
pub mod warehouse;

pub use compare::level_names;
pub use incremental::{match_into_golden, Incremental};
pub use labels::labels_from_review;
pub use link::{link_tables, Linked};
pub use model::{CompModel, Model};
pub use review::{ReviewPair, ReviewSet, Weighed};
pub use saved::SavedModel;
pub use settings::{match_kind, DedupeOptions, Outputs, Survive};
pub use stage::{
    dedupe_table, golden_id_of, Deduped, Explained, IncrementalReport, LabelReport, LinkReport,
    Report, WeightMove, MERGE_MAP_COLUMNS,
};

use compare::{GuardIdx, RComp};
use features::Features;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Instant;

/// A column of string values; "" means missing.
pub trait Column: Sync {
    fn len(&self) -> usize;
    fn get(&self, row: usize) -> &str;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Column for Vec<String> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }
    fn get(&self, row: usize) -> &str {
        &self[row]
    }
}

impl Column for Vec<&str> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }
    fn get(&self, row: usize) -> &str {
        self[row]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FieldKind {
    Id,
    FullName,
    GivenName,
    FamilyName,
    Email,
    Phone,
    CnId,
    Date,
    Gender,
    Address,
    City,
    Province,
    Postcode,
    Country,
    Text,
}

pub struct Input<'a> {
    pub fields: Vec<(String, FieldKind, &'a dyn Column)>,
    /// Per row: 0 or 1 (Link: two sources; Incremental: 0 = old, 1 = new).
    pub source: Option<Vec<u8>>,
    /// Called once the features are made, when the engine reads the columns no more (a cleanup job gives
    /// a spilled table's pages back to the kernel: see `Table::release`).
    pub release: Option<&'a (dyn Fn() + Sync)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    Dedupe,
    /// Only pairs with source 0 vs 1.
    Link,
    /// Pairs new(1)-old(0) and new-new, never old-old.
    Incremental,
}

/// One component of a blocking key; a row gets no key when any part is empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyPart {
    /// Normalized value of a field (by field name).
    Field(String),
    /// First n characters of a normalized field value.
    FieldPrefix(String, usize),
    /// Given and family name, sorted (swap- and script-invariant; pinyin for Chinese).
    NameSorted,
    FamilySoundex,
    GivenSoundex,
    FamilyInitial,
    GivenInitial,
    /// First letters of given and family name, sorted (swap-invariant).
    SortedInitials,
    /// Multi-valued: one key per distinct soundex of the given or the family name,
    /// so a name moved to the other field (the other replaced) still shares a key.
    AnyNameSoundex,
    /// Multi-valued: one key per distinct first letter of the given or family name.
    AnyNameInitial,
    BirthYear,
    BirthDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockingRule {
    pub name: String,
    pub parts: Vec<KeyPart>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CompareKind {
    /// Uses the combined name feature (FullName or GivenName/FamilyName).
    GivenName,
    FamilyName,
    Email,
    Phone,
    CnId,
    Date,
    Gender,
    Address,
    City,
    Province,
    Postcode,
    Country,
    Text,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub name: String,
    pub kind: CompareKind,
    /// Source field; None for the name comparisons (combined name feature).
    pub field: Option<String>,
    /// Date tolerance for the "within-tolerance" level.
    pub tolerance_days: u32,
    /// Address only: the second address line (building, estate, locality). When
    /// the addresses do not agree, both lines of each record are compared together,
    /// so lines swapped between the two fields still agree (and count once).
    #[serde(default)]
    pub alt_field: Option<String>,
}

/// Identity guards against merging different members of one household (twins,
/// father/son, spouses). Conflicts: given names clearly differ; birth dates clearly
/// differ; generational suffix differs. A conflict is a *veto* (`veto_penalty`)
/// when it is a suffix conflict, when given name and birth date both conflict, or
/// when a person-level attribute (email, phone, resident ID, gender) also clearly
/// disagrees; otherwise each conflict costs `soft_penalty` bits. An exact resident
/// ID match clears all guards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Guards {
    /// Both given names present and clearly different (not initial/nickname/fuzzy).
    pub given_name: bool,
    /// Both birth dates present and neither equal, a typo, nor within tolerance.
    pub birth_date: bool,
    /// Generational suffix differs (Jr./Sr./II...) while birth dates are not equal.
    pub suffix: bool,
    /// Veto even a single given-name or birth-date conflict. `Config::auto` turns
    /// this on when the schema has person-level identifiers (email, phone, resident
    /// ID), where households and twins are the main risk; on name/birth/address-only
    /// schemas a single conflict costs `soft_penalty` instead.
    pub strict: bool,
    pub veto_penalty: f64,
    pub soft_penalty: f64,
    /// Two or more of email/phone/resident ID/gender disagree and none agrees.
    pub personal_penalty: f64,
    /// No agreement on any anchor (birth date, email, phone, resident ID,
    /// street address, postcode, address text): names alone are not enough.
    pub no_anchor_penalty: f64,
    /// Schemas without contact identifiers: when given and family name both clearly
    /// differ and the birth date is not exactly the same, the pair's weight is capped
    /// at this many bits (0 = even odds), so a shared address, postcode and town
    /// cannot merge two members of a household.
    #[serde(default)]
    pub no_identity_cap: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Config {
    pub mode: Mode,
    pub blocking: Vec<BlockingRule>,
    pub comparisons: Vec<Comparison>,
    /// Match probability at or above which a pair is accepted.
    pub threshold: f64,
    /// Pairs at or above this probability are reported (review band below threshold).
    pub review_lower: f64,
    /// Blocks larger than this are sub-blocked by a sorted window.
    pub max_block: usize,
    /// Window size used inside oversized blocks (three sorted passes: birth date,
    /// contact strings, address).
    pub window: usize,
    /// Random pairs sampled to estimate u.
    pub u_samples: u64,
    pub seed: u64,
    pub em_max_iter: u32,
    /// m and u are clamped to [clamp, 1 - clamp].
    pub clamp: f64,
    /// Field holding the birth date (guards and birth-date blocking keys).
    pub birth_field: Option<String>,
    pub guards: Guards,
    /// Chaining guard: pairs inside a cluster below this probability are cannot-links.
    pub split_below: f64,
    /// Chaining guard: clusters up to this size are checked on all their pairs.
    pub max_check: usize,
    /// A candidate pair whose birth dates disagree outright (the birth date comparison's lowest level: no
    /// typo, swap or near date), proposed only by keys that hold the birth year or as neighbours in
    /// birth-date order, is scored on its birth dates alone (every other comparison null) instead of compared
    /// field by field. Such pairs are mostly strangers who share a common name (and a year); they stay
    /// candidates, so the prior trained over the candidates is what it was. Applies when the birth date is
    /// the first date column (the order windowed blocks are cut in). Models saved before this setting
    /// existed (format version 1) read it as off and score as they did.
    #[serde(default)]
    pub birth_gate: bool,
}

fn is_birth_name(n: &str) -> bool {
    let n = n.to_lowercase();
    n.contains("birth")
        || n.contains("dob")
        || n.contains("born")
        || n.contains("生日")
        || n.contains("出生")
}

/// A free-text column that holds part of an address (`address_2`, `street`, `line2`).
fn is_address_line(n: &str) -> bool {
    let l = n.to_lowercase();
    l.contains("addr") || l.contains("street") || l.contains("line")
}

impl Config {
    /// Zero-configuration defaults derived from field kinds (and a few name hints).
    pub fn auto(fields: &[(String, FieldKind)]) -> Config {
        let first = |k: FieldKind| fields.iter().find(|f| f.1 == k).map(|f| f.0.clone());
        let has_name = fields.iter().any(|f| {
            matches!(
                f.1,
                FieldKind::FullName | FieldKind::GivenName | FieldKind::FamilyName
            )
        });
        let dates: Vec<&String> = fields
            .iter()
            .filter(|f| f.1 == FieldKind::Date)
            .map(|f| &f.0)
            .collect();
        let birth = dates
            .iter()
            .find(|n| is_birth_name(n))
            .or(if dates.len() == 1 {
                dates.first()
            } else {
                None
            })
            .map(|s| s.to_string());
        let mut comparisons = Vec::new();
        let cmp = |name: &str, kind: CompareKind, field: Option<String>| Comparison {
            name: name.to_string(),
            kind,
            field,
            tolerance_days: 30,
            alt_field: None,
        };
        if has_name {
            comparisons.push(cmp("given_name", CompareKind::GivenName, None));
            comparisons.push(cmp("family_name", CompareKind::FamilyName, None));
        }
        if let Some(b) = &birth {
            comparisons.push(cmp("birth_date", CompareKind::Date, Some(b.clone())));
        }
        for (name, kind) in fields {
            let ck = match kind {
                FieldKind::Email => CompareKind::Email,
                FieldKind::Phone => CompareKind::Phone,
                FieldKind::CnId => CompareKind::CnId,
                FieldKind::Gender => CompareKind::Gender,
                FieldKind::Address => CompareKind::Address,
                FieldKind::City => CompareKind::City,
                FieldKind::Province => CompareKind::Province,
                FieldKind::Postcode => CompareKind::Postcode,
                FieldKind::Text => {
                    if is_address_line(name) {
                        CompareKind::Text
                    } else {
                        continue;
                    }
                }
                _ => continue,
            };
            if comparisons.len() < model::MAX_COMPARISONS {
                comparisons.push(cmp(name, ck, Some(name.clone())));
            }
        }
        // the address's second line (`address_2`): compared with the address when lines are swapped
        let line2 = fields
            .iter()
            .find(|f| f.1 == FieldKind::Text && is_address_line(&f.0))
            .map(|f| f.0.clone());
        if let Some(c) = comparisons
            .iter_mut()
            .find(|c| c.kind == CompareKind::Address)
        {
            c.alt_field = line2;
        }
        let strict = fields
            .iter()
            .any(|f| matches!(f.1, FieldKind::Email | FieldKind::Phone | FieldKind::CnId));
        let mut blocking = Vec::new();
        let rule = |name: &str, parts: Vec<KeyPart>| BlockingRule {
            name: name.to_string(),
            parts,
        };
        for k in [FieldKind::Email, FieldKind::Phone, FieldKind::CnId] {
            if let Some(f) = first(k) {
                blocking.push(rule(&f.clone(), vec![KeyPart::Field(f)]));
            }
        }
        if has_name {
            blocking.push(rule("name_sorted", vec![KeyPart::NameSorted]));
            if birth.is_some() {
                blocking.push(rule(
                    "family_soundex+birth_date",
                    vec![KeyPart::FamilySoundex, KeyPart::BirthDate],
                ));
                // With contact identifiers, no key of an initial and the birth date: ~20 people per 10M share
                // one, their windows made half of all candidate pairs at that size, and they found nothing the
                // contact, name, address and postcode keys missed (1M mix: F1 0.9939 with given_initial and a
                // swap-invariant sorted_initials key, 0.9953 without either, recall 0.9960 in both; the same
                // key on the given name's sound gave 0.9935).
                if !strict {
                    // Without contact identifiers, either initial: `Laura Webb` and `Webf, Laura`, or a
                    // name moved to the other field with the other replaced, still share a key.
                    blocking.push(rule(
                        "any_name_initial+birth_date",
                        vec![KeyPart::AnyNameInitial, KeyPart::BirthDate],
                    ));
                }
                blocking.push(rule(
                    "given_soundex+family_soundex+birth_year",
                    vec![
                        KeyPart::GivenSoundex,
                        KeyPart::FamilySoundex,
                        KeyPart::BirthYear,
                    ],
                ));
            } else {
                blocking.push(rule(
                    "given_family_soundex",
                    vec![KeyPart::GivenSoundex, KeyPart::FamilySoundex],
                ));
            }
            // typo-tolerant location keys only for schemas without contact identifiers
            // (FEBRL-like); with email/phone/ID the exact contact keys do this job
            if let (Some(p), false) = (first(FieldKind::Postcode), strict) {
                blocking.push(rule(
                    "postcode+initials",
                    vec![KeyPart::Field(p.clone()), KeyPart::SortedInitials],
                ));
                // Either name's sound: a changed family name (marriage, a typo that changes its sound)
                // with the given name kept, or a name moved to the other field with the other replaced.
                blocking.push(rule(
                    "postcode+any_name_soundex",
                    vec![KeyPart::Field(p), KeyPart::AnyNameSoundex],
                ));
            }
            // Without contact identifiers, the family name and the town are the remaining anchor when the
            // given name, birth date and postcode all changed.
            if let (Some(c), false) = (first(FieldKind::City), strict) {
                blocking.push(rule(
                    "city+any_name_soundex",
                    vec![KeyPart::Field(c.clone()), KeyPart::AnyNameSoundex],
                ));
                if birth.is_some() {
                    blocking.push(rule(
                        "city+birth_date",
                        vec![KeyPart::Field(c), KeyPart::BirthDate],
                    ));
                }
            }
        }
        if let (Some(p), true) = (first(FieldKind::Postcode), birth.is_some()) {
            blocking.push(rule(
                "postcode+birth_date",
                vec![KeyPart::Field(p), KeyPart::BirthDate],
            ));
        }
        if let Some(a) = first(FieldKind::Address) {
            if has_name {
                blocking.push(rule(
                    "address+given_initial",
                    vec![KeyPart::Field(a.clone()), KeyPart::GivenInitial],
                ));
                blocking.push(rule(
                    "address+family_initial",
                    vec![KeyPart::Field(a.clone()), KeyPart::FamilyInitial],
                ));
            }
            // The same street address and birth date whatever the name says (a name replaced outright).
            if birth.is_some() {
                blocking.push(rule(
                    "address+birth_date",
                    vec![KeyPart::Field(a.clone()), KeyPart::BirthDate],
                ));
            }
            // Without contact identifiers, the same street address and postcode whatever the names and birth
            // date say (a name replaced and the other missing, a birth-date typo): a household's records, few.
            if let (Some(p), false) = (first(FieldKind::Postcode), strict) {
                blocking.push(rule(
                    "address+postcode",
                    vec![KeyPart::Field(a), KeyPart::Field(p)],
                ));
            }
        }
        Config {
            mode: Mode::Dedupe,
            blocking,
            comparisons,
            threshold: 0.9,
            review_lower: 0.5,
            max_block: 8,
            window: 2,
            u_samples: 1_000_000,
            seed: 0x5eed_0001,
            em_max_iter: 200,
            clamp: 1e-4,
            birth_field: birth,
            guards: Guards {
                given_name: true,
                birth_date: true,
                suffix: true,
                strict,
                veto_penalty: 100.0,
                soft_penalty: 6.0,
                personal_penalty: 25.0,
                no_anchor_penalty: 10.0,
                no_identity_cap: 0.0,
            },
            split_below: 1e-6,
            max_check: 64,
            birth_gate: true,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub a: usize,
    pub b: usize,
    pub is_match: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScoredPair {
    pub a: u32,
    pub b: u32,
    /// log2 odds of a match (prior, level weights and guard penalties).
    pub weight: f64,
    pub prob: f64,
    /// Level per comparison (0 = null, 1 = else, higher = closer).
    pub levels: Vec<u8>,
    /// Guard bits (see `compare::guard_bits`).
    #[serde(default)]
    pub guard: u8,
}

/// What one blocking rule proposed.
#[derive(Clone, Debug, Serialize)]
pub struct RuleOutcome {
    pub name: String,
    /// Candidate pairs before the union with the other rules' pairs.
    pub pairs: u64,
    /// Blocks too large to compare whole (a very common key value), compared within windows instead, and
    /// the rows in them.
    pub windowed_blocks: u64,
    pub windowed_rows: u64,
    /// The sort orders those blocks were cut in (1 or 2).
    pub sort_orders: usize,
    /// The largest of them: the key's values part by part (`(part, value)`), its rows and windows, and a row
    /// that has it.
    pub largest_windowed: Vec<WindowedKey>,
    /// With labels: how many labelled matches this rule made candidate pairs.
    pub labelled_reached: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct WindowedKey {
    pub key: Vec<(String, String)>,
    pub rows: u64,
    pub windows: u64,
    pub example_row: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    pub candidate_pairs: u64,
    /// Candidate pairs scored on their birth dates alone, which disagree outright (`Config::birth_gate`).
    pub birth_gated: u64,
    /// Pairs labelled as matches, and how many of them the blocking keys made candidates (its recall).
    pub labelled_matches: u64,
    pub labelled_reached: u64,
    /// With labels: what they decided against the model trained on the same data without them.
    pub label_effect: Option<LabelEffect>,
    /// Labelled matches no blocking rule made a candidate pair (rows), in row order.
    pub labelled_missed: Vec<(u32, u32)>,
    /// Per blocking rule, what it proposed.
    pub rules: Vec<RuleOutcome>,
    /// Blocks larger than this were compared within a window of this many neighbours.
    pub max_block: usize,
    pub window: usize,
    pub timings: Vec<(&'static str, f64)>,
    pub model: Model,
    /// Every candidate pair with prob >= review_lower.
    pub pairs: Vec<ScoredPair>,
    /// Cluster id per row, 0-based dense, singletons get their own id.
    pub cluster: Vec<u32>,
    /// Clusters touched by the chaining guard (split or unverifiable).
    pub flagged_clusters: Vec<u32>,
}

/// What labels changed: the model trained without them, and how many labelled pairs they decided otherwise.
#[derive(Clone, Debug, Serialize)]
pub struct LabelEffect {
    pub before: Model,
    /// Labelled matches that the model without labels left below the threshold (or blocking never compared).
    pub accepted: u64,
    /// Labelled non-matches that the model without labels accepted.
    pub rejected: u64,
    /// Labelled pairs decided as the model without labels had them.
    pub agreed: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExplainItem {
    pub comparison: String,
    pub fields: Vec<String>,
    pub value_a: String,
    pub value_b: String,
    pub level: u8,
    pub level_name: String,
    pub similarity: f64,
    pub weight: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Explanation {
    pub a: usize,
    pub b: usize,
    pub prior_weight: f64,
    pub items: Vec<ExplainItem>,
    /// Identity guards that fired, with the penalty applied.
    pub guards: Vec<(String, f64)>,
    pub total_weight: f64,
    pub probability: f64,
    /// Blocking rules under which the two records share a key. Empty: the pair was
    /// never a candidate, so it was never scored (the probability above is what it
    /// would have been). Sharing a key in an oversized block does not guarantee a
    /// comparison (the block is sub-blocked by a sorted window).
    pub shared_blocking_keys: Vec<String>,
}

struct Ctx {
    comps: Vec<RComp>,
    guard: GuardIdx,
    birth: Option<usize>,
}

fn resolve(input: &Input, cfg: &Config) -> Ctx {
    let names: Vec<&str> = input.fields.iter().map(|f| f.0.as_str()).collect();
    let col = |n: &Option<String>| n.as_ref().and_then(|n| names.iter().position(|f| f == n));
    let comps: Vec<RComp> = cfg
        .comparisons
        .iter()
        .take(model::MAX_COMPARISONS)
        .map(|c| {
            let alt = col(&c.alt_field).filter(|_| c.kind == CompareKind::Address);
            RComp {
                kind: c.kind,
                col: col(&c.field),
                tol_days: c.tolerance_days,
                alt,
                alt_cmp: alt.and_then(|a| {
                    cfg.comparisons
                        .iter()
                        .take(model::MAX_COMPARISONS)
                        .position(|x| x.kind == CompareKind::Text && col(&x.field) == Some(a))
                }),
            }
        })
        .collect();
    let birth = col(&cfg.birth_field);
    let find = |k: CompareKind| comps.iter().position(|c| c.kind == k);
    let guard = GuardIdx {
        given: find(CompareKind::GivenName).filter(|_| cfg.guards.given_name),
        family: find(CompareKind::FamilyName),
        birth: comps
            .iter()
            .position(|c| c.kind == CompareKind::Date && c.col.is_some() && c.col == birth)
            .filter(|_| cfg.guards.birth_date),
        strong_id: find(CompareKind::CnId),
        personal: comps
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                matches!(
                    c.kind,
                    CompareKind::Email
                        | CompareKind::Phone
                        | CompareKind::CnId
                        | CompareKind::Gender
                )
            })
            .map(|(i, _)| i)
            .collect(),
        ids: comps
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                matches!(
                    c.kind,
                    CompareKind::Email | CompareKind::Phone | CompareKind::CnId
                )
            })
            .map(|(i, _)| i)
            .collect(),
        anchors: comps
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let min = match c.kind {
                    CompareKind::Email | CompareKind::Phone | CompareKind::CnId => 2,
                    CompareKind::Address => 3,
                    CompareKind::Text => 3,
                    _ => return None,
                };
                Some((i, min))
            })
            .collect(),
        locality: comps
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c.kind {
                CompareKind::City | CompareKind::Postcode => Some((i, 3)),
                _ => None,
            })
            .collect(),
        suffix: cfg.guards.suffix,
        strict: cfg.guards.strict,
    };
    Ctx {
        comps,
        guard,
        birth,
    }
}

/// Hasher for u64 keys (pair ids and level patterns): one multiply, no SipHash.
#[derive(Default, Clone, Copy)]
struct U64Hasher(u64);
impl std::hash::Hasher for U64Hasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100000001b3);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (x ^ (x >> 29)).wrapping_mul(0xbf58476d1ce4e5b9);
        self.0 ^= self.0 >> 32;
    }
}
type U64Build = std::hash::BuildHasherDefault<U64Hasher>;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }
}

/// Level counts over seeded random pairs (deterministic for a given seed).
fn sample_u(f: &Features, ctx: &Ctx, cfg: &Config, src: Option<&[u8]>) -> (Vec<Vec<u64>>, u64) {
    let n = f.n;
    let nc = ctx.comps.len();
    let sizes: Vec<usize> = ctx
        .comps
        .iter()
        .map(|c| level_names(c.kind).len())
        .collect();
    if n < 2 {
        return (sizes.iter().map(|&s| vec![0; s]).collect(), 0);
    }
    let (idx0, idx1): (Vec<u32>, Vec<u32>) = match (cfg.mode, src) {
        (Mode::Link, Some(s)) => (
            (0..n as u32).filter(|&i| s[i as usize] == 0).collect(),
            (0..n as u32).filter(|&i| s[i as usize] == 1).collect(),
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let link = !idx0.is_empty() && !idx1.is_empty();
    let possible = if link {
        idx0.len() as u64 * idx1.len() as u64
    } else {
        n as u64 * (n as u64 - 1) / 2
    };
    let total = cfg.u_samples.min(possible).max(1);
    let chunks = 64u64;
    let per = total.div_ceil(chunks);
    let full_total = (total / 4).max(250_000).min(total);
    let counts = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng = Rng(cfg.seed ^ (c.wrapping_mul(0x2545f4914f6cdd1d)));
            let mut cnt: Vec<Vec<u64>> = sizes.iter().map(|&s| vec![0; s]).collect();
            let mut lv = vec![0u8; nc];
            let todo = per.min(total.saturating_sub(c * per));
            // string-similarity comparisons are costly: they use the first quarter
            // (at least 250k) of the sample, equality-type comparisons all of it
            let full = todo.min(full_total.div_ceil(chunks));
            for t in 0..todo {
                let (a, b) = if link {
                    (
                        idx0[rng.below(idx0.len())] as usize,
                        idx1[rng.below(idx1.len())] as usize,
                    )
                } else {
                    let a = rng.below(n);
                    let mut b = rng.below(n - 1);
                    if b >= a {
                        b += 1;
                    }
                    (a, b)
                };
                if t < full {
                    compare::compare_pair(f, &ctx.comps, &ctx.guard, a, b, &mut lv);
                    for (i, &l) in lv.iter().enumerate() {
                        cnt[i][l as usize] += 1;
                    }
                } else {
                    for (i, rc) in ctx.comps.iter().enumerate() {
                        if compare::is_cheap(rc.kind) {
                            let l = compare::level(f, rc, a, b, None).0;
                            cnt[i][l as usize] += 1;
                        }
                    }
                }
            }
            cnt
        })
        .reduce(
            || sizes.iter().map(|&s| vec![0; s]).collect(),
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    for (p, q) in x.iter_mut().zip(y) {
                        *p += q;
                    }
                }
                a
            },
        );
    (counts, total)
}

fn pair_pattern(f: &Features, ctx: &Ctx, a: usize, b: usize, lv: &mut [u8]) -> u64 {
    let g = compare::compare_pair(f, &ctx.comps, &ctx.guard, a, b, lv);
    model::encode(lv, g)
}

/// The comparison whose level the birth gate reads (`Config::birth_gate`): the birth date's, when the birth
/// date is also the first date (the order windowed blocks are cut in).
fn gate_comparison(cfg: &Config, ctx: &Ctx, f: &Features) -> Option<usize> {
    let first_date = f.kinds.iter().position(|k| *k == features::ColKind::Date);
    let i = ctx
        .comps
        .iter()
        .position(|c| c.kind == CompareKind::Date && c.col.is_some() && c.col == ctx.birth)?;
    (cfg.birth_gate && ctx.comps[i].col == first_date).then_some(i)
}

/// The candidate pairs, sorted and deduplicated, from `flagged`: every rule's pairs shifted left by one,
/// the low bit set where the birth gate judged it (sorted, so each pair's unjudged copy comes first). With
/// them a bit set marking each pair only the gate's judged ways proposed. One vector, one sort: the judged
/// pairs apart and merged after took 150 MB more at 10M.
fn unflag(mut flagged: Vec<u64>) -> (Vec<u64>, Vec<u64>) {
    flagged.dedup_by(|a, b| *a >> 1 == *b >> 1);
    let mut marks = vec![0u64; flagged.len().div_ceil(64)];
    for (w, v) in flagged.iter_mut().enumerate() {
        if *v & 1 == 1 {
            marks[w / 64] |= 1 << (w % 64);
        }
        *v >>= 1;
    }
    (flagged, marks)
}

/// Whether bit `i` of a bit set is set.
#[inline]
fn marked(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
}

/// The comparison pattern of every candidate pair, in order, and how many were scored on the birth date
/// alone: a pair marked in `gated` (its birth dates disagree outright, and only keys the gate judges
/// proposed it) has comparison `gate` at its lowest level and every other comparison null, without reading
/// its records. Pairs are sorted, so a pair's first record is usually the previous pair's; the second is a
/// random row, whose offset and bytes are prefetched 16 and 8 pairs ahead (see `Features::prefetch`).
fn compare_all(
    f: &Features,
    ctx: &Ctx,
    pairs: &[u64],
    gated: &[u64],
    gate: Option<usize>,
) -> (Vec<u64>, u64) {
    const CHUNK: usize = 1 << 14;
    let nc = ctx.comps.len();
    let mut out = vec![0u64; pairs.len()];
    let judged = out
        .par_chunks_mut(CHUNK)
        .zip(pairs.par_chunks(CHUNK))
        .enumerate()
        .map_init(
            || vec![0u8; nc],
            |lv, (chunk, (out, pairs))| {
                let second = |i: usize| (pairs[i] & 0xffff_ffff) as usize;
                let is_gated = |i: usize| gate.is_some() && marked(gated, chunk * CHUNK + i);
                let mut judged = 0u64;
                for (i, (o, &p)) in out.iter_mut().zip(pairs).enumerate() {
                    if i + 16 < pairs.len() && !is_gated(i + 16) {
                        f.prefetch(second(i + 16), 0);
                    }
                    if i + 8 < pairs.len() && !is_gated(i + 8) {
                        f.prefetch(second(i + 8), 1);
                    }
                    let (a, b) = ((p >> 32) as usize, second(i));
                    if let Some(g) = gate.filter(|_| is_gated(i)) {
                        lv.fill(compare::NULL);
                        lv[g] = compare::ELSE;
                        *o = model::encode(lv, 0);
                        judged += 1;
                    } else {
                        *o = pair_pattern(f, ctx, a, b, lv);
                    }
                }
                judged
            },
        )
        .sum();
    (out, judged)
}

/// Run the whole engine. With `trained` (a saved model, whose configuration `cfg` is) the pairs are scored by
/// its weights and nothing is trained; labels then refine it (EM from its m and prior, its u kept).
pub fn run(input: &Input, cfg: &Config, labels: &[Label], trained: Option<&Model>) -> Outcome {
    run_with(input, cfg, labels, trained, None)
}

/// `run`, with the candidate pairs and their probabilities scored elsewhere (`scored`: rows and match
/// probability, e.g. by the model's SQL in a warehouse engine; `trained` is then the model that scored
/// them): no blocking, the given probabilities decide the edges, and the chaining guard scores the other
/// pairs inside a cluster natively.
pub fn run_with(
    input: &Input,
    cfg: &Config,
    labels: &[Label],
    trained: Option<&Model>,
    scored: Option<&[(u32, u32, f64)]>,
) -> Outcome {
    let mut timings: Vec<(&'static str, f64)> = Vec::new();
    let mut t = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, f64)>| {
        timings.push((name, t.elapsed().as_secs_f64()));
        t = Instant::now();
    };
    let f = features::build(input);
    let ctx = resolve(input, cfg);
    let nc = ctx.comps.len();
    let src = input.source.as_deref();
    lap("features", &mut timings);

    // blocking
    let field_names: Vec<String> = input.fields.iter().map(|f| f.0.clone()).collect();
    let labelled: std::collections::HashSet<u64, U64Build> = labels
        .iter()
        .filter(|l| l.is_match && l.a != l.b && l.a < f.n && l.b < f.n)
        .map(|l| blocking::pack(l.a as u32, l.b as u32))
        .collect();
    let mut rules = Vec::new();
    let mut all: Vec<u64> = Vec::new();
    let external: HashMap<u64, f64, U64Build> = scored
        .unwrap_or_default()
        .iter()
        .filter(|p| p.0 != p.1 && (p.0 as usize) < f.n && (p.1 as usize) < f.n)
        .map(|&(a, b, p)| (blocking::pack(a, b), p))
        .collect();
    if scored.is_some() {
        all.extend(external.keys().copied());
    }
    // With the gate, each pair goes into `all` shifted left by one, flagged in its low bit when the gate
    // judged it (`unflag`): the gate is off for 2^31 rows or more.
    let gate_cmp = gate_comparison(cfg, &ctx, &f).filter(|_| scored.is_none() && f.n < 1 << 31);
    let gate = gate_cmp.map(|i| blocking::BirthGate {
        col: ctx.comps[i].col.unwrap_or_default(),
        tol_days: ctx.comps[i].tol_days,
    });
    let flag = |q: u64, judged: u64| if gate.is_some() { q << 1 | judged } else { q };
    for r in cfg.blocking.iter().filter(|_| scored.is_none()) {
        if let Some(res) = blocking::resolve(r, &field_names, ctx.birth) {
            let p = blocking::rule_pairs(&f, &res, cfg.max_block, cfg.window, cfg.mode, src, gate);
            let reached = if labelled.is_empty() {
                0
            } else {
                let mut hit: Vec<u64> = p
                    .pairs
                    .iter()
                    .chain(&p.gated)
                    .copied()
                    .filter(|q| labelled.contains(q))
                    .collect();
                hit.sort_unstable();
                hit.dedup();
                hit.len() as u64
            };
            let largest_windowed = p
                .largest
                .iter()
                .map(|w| WindowedKey {
                    key: r
                        .parts
                        .iter()
                        .map(settings::part_name)
                        .zip(
                            blocking::key_values(&f, &res, w.row as usize, w.key)
                                .unwrap_or_default(),
                        )
                        .collect(),
                    rows: w.rows,
                    windows: w.windows,
                    example_row: w.row,
                })
                .collect();
            rules.push(RuleOutcome {
                name: r.name.clone(),
                pairs: (p.pairs.len() + p.gated.len()) as u64,
                windowed_blocks: p.windowed_blocks,
                windowed_rows: p.windowed_rows,
                sort_orders: p.sort_orders,
                largest_windowed,
                labelled_reached: reached,
            });
            all.extend(p.pairs.iter().map(|&q| flag(q, 0)));
            all.extend(p.gated.iter().map(|&q| flag(q, 1)));
        }
    }
    all.par_sort_unstable();
    let (all, gated) = if gate.is_some() {
        unflag(all)
    } else {
        all.dedup();
        (all, Vec::new())
    };
    lap("blocking", &mut timings);

    // u from random pairs (a saved model has its own)
    let (ucounts, sampled) = match trained {
        Some(_) => (
            ctx.comps
                .iter()
                .map(|c| vec![0; level_names(c.kind).len()])
                .collect(),
            0,
        ),
        None => {
            let u = sample_u(&f, &ctx, cfg, src);
            lap("u_sampling", &mut timings);
            u
        }
    };

    // compare candidates
    let (patterns, birth_gated) = compare_all(&f, &ctx, &all, &gated, gate_cmp);
    lap("comparing", &mut timings);

    // labels
    let mut label_map: HashMap<u64, bool, U64Build> = HashMap::default();
    let mut lv = vec![0u8; nc];
    let mut obs_labels = Vec::new();
    // The u counts of random pairs alone, for the model trained without labels (what the labels changed).
    let ucounts_before = (!labels.is_empty()).then(|| ucounts.clone());
    let mut ucounts = ucounts;
    for l in labels {
        if l.a == l.b || l.a >= f.n || l.b >= f.n {
            continue;
        }
        label_map.insert(blocking::pack(l.a as u32, l.b as u32), l.is_match);
        let pat = pair_pattern(&f, &ctx, l.a, l.b, &mut lv);
        obs_labels.push(model::Obs {
            pattern: pat,
            count: 1.0,
            fixed: Some(if l.is_match { 1.0 } else { 0.0 }),
        });
        if !l.is_match {
            for (i, &x) in lv.iter().enumerate() {
                ucounts[i][x as usize] += 1;
            }
        }
    }

    // EM
    let mut counts: HashMap<u64, u64, U64Build> = HashMap::default();
    // Patterns of the labelled candidate pairs: counted as any other pair by the model without labels.
    let mut labelled_patterns: Vec<u64> = Vec::new();
    for (&p, &pair) in patterns.iter().zip(&all) {
        if label_map.is_empty() || !label_map.contains_key(&pair) {
            *counts.entry(p).or_insert(0) += 1;
        } else {
            labelled_patterns.push(p);
        }
    }
    let observed = |counts: &HashMap<u64, u64, U64Build>| -> Vec<model::Obs> {
        let mut obs: Vec<model::Obs> = counts
            .iter()
            .map(|(&p, &c)| model::Obs {
                pattern: p,
                count: c as f64,
                fixed: None,
            })
            .collect();
        obs.sort_by_key(|o| o.pattern);
        obs
    };
    let untrained = |ucounts: &[Vec<u64>]| Model::untrained(cfg, ucounts, sampled);
    let mut obs = observed(&counts);
    let labelled_obs = !obs_labels.is_empty();
    obs.extend(obs_labels);
    let m = match trained {
        None => {
            let mut m = untrained(&ucounts);
            m.em_iterations = model::em(&mut m, &obs, cfg.em_max_iter, 1e-6);
            m
        }
        Some(t) => {
            // Scored as saved; labels refine m and the prior from where the saved model left them.
            let mut m = t.clone();
            m.em_iterations = if labelled_obs {
                model::em(&mut m, &obs, cfg.em_max_iter, 1e-6)
            } else {
                0
            };
            m
        }
    };
    // With labels, the same data trained without them (or the saved model as it was): what the labels changed.
    let before = ucounts_before.map(|uc| {
        if let Some(t) = trained {
            let mut m0 = t.clone();
            m0.em_iterations = 0;
            return m0;
        }
        let mut all_counts = counts.clone();
        for &p in &labelled_patterns {
            *all_counts.entry(p).or_insert(0) += 1;
        }
        let mut m0 = untrained(&uc);
        m0.em_iterations = model::em(&mut m0, &observed(&all_counts), cfg.em_max_iter, 1e-6);
        m0
    });
    lap("em", &mut timings);

    // score
    let weights: HashMap<u64, (f64, f64), U64Build> = counts
        .keys()
        .map(|&p| {
            let (l, g) = model::decode(p, nc);
            (p, m.score(&l, g))
        })
        .collect();
    let score_of = |pair: u64, pat: u64| -> (f64, f64) {
        match label_map.get(&pair) {
            Some(true) => (f64::INFINITY, 1.0),
            Some(false) => (f64::NEG_INFINITY, 0.0),
            None => {
                let (w, p) = weights.get(&pat).copied().unwrap_or_else(|| {
                    let (l, g) = model::decode(pat, nc);
                    m.score(&l, g)
                });
                // a pair scored elsewhere keeps its probability
                (w, external.get(&pair).copied().unwrap_or(p))
            }
        }
    };
    let mut edges: Vec<(u32, u32, f64)> = Vec::new();
    let mut pairs: Vec<ScoredPair> = Vec::new();
    for (&pair, &pat) in all.iter().zip(&patterns) {
        let (w, p) = score_of(pair, pat);
        let (a, b) = ((pair >> 32) as u32, (pair & 0xffff_ffff) as u32);
        if p >= cfg.threshold {
            edges.push((a, b, p));
        }
        if p >= cfg.review_lower {
            pairs.push(ScoredPair {
                a,
                b,
                weight: w,
                prob: p,
                levels: model::decode(pat, nc).0,
                guard: model::decode(pat, nc).1,
            });
        }
    }
    // What the labels decided against the model trained without them.
    let label_effect = before.map(|m0| {
        let mut effect = LabelEffect {
            accepted: 0,
            rejected: 0,
            agreed: 0,
            before: m0,
        };
        for (&pair, &is) in &label_map {
            let (a, b) = ((pair >> 32) as usize, (pair & 0xffff_ffff) as usize);
            let candidate = all.binary_search(&pair).is_ok();
            let (l, g) = model::decode(pair_pattern(&f, &ctx, a, b, &mut lv), nc);
            let accepted = candidate && effect.before.score(&l, g).1 >= cfg.threshold;
            match (is, accepted) {
                (true, false) => effect.accepted += 1,
                (false, true) => effect.rejected += 1,
                _ => effect.agreed += 1,
            }
        }
        effect
    });
    // positive labels outside the candidate set; how many of them blocking reached
    let (mut labelled_matches, mut labelled_reached) = (0u64, 0u64);
    let mut labelled_missed = Vec::new();
    for (&pair, &is) in &label_map {
        if is {
            labelled_matches += 1;
        }
        if is && all.binary_search(&pair).is_ok() {
            labelled_reached += 1;
        }
        if is && all.binary_search(&pair).is_err() {
            labelled_missed.push(((pair >> 32) as u32, (pair & 0xffff_ffff) as u32));
            let (a, b) = ((pair >> 32) as u32, (pair & 0xffff_ffff) as u32);
            edges.push((a, b, 1.0));
            let pat = pair_pattern(&f, &ctx, a as usize, b as usize, &mut lv);
            pairs.push(ScoredPair {
                a,
                b,
                weight: f64::INFINITY,
                prob: 1.0,
                levels: model::decode(pat, nc).0,
                guard: model::decode(pat, nc).1,
            });
        }
    }
    lap("scoring", &mut timings);

    // cluster with chaining guard
    let score_any = |a: u32, b: u32| -> f64 {
        let pair = blocking::pack(a, b);
        let mut lv = vec![0u8; nc];
        let pat = pair_pattern(&f, &ctx, a as usize, b as usize, &mut lv);
        score_of(pair, pat).1
    };
    let gcfg = cluster::GuardCfg {
        split_below: cfg.split_below,
        max_check: cfg.max_check,
    };
    let (cl, flagged) = cluster::cluster(f.n, &edges, &score_any, &gcfg);
    lap("clustering", &mut timings);

    Outcome {
        candidate_pairs: all.len() as u64,
        birth_gated,
        labelled_matches,
        labelled_reached,
        label_effect,
        labelled_missed: {
            labelled_missed.sort_unstable();
            labelled_missed
        },
        rules,
        max_block: cfg.max_block,
        window: cfg.window,
        timings,
        model: m,
        pairs,
        cluster: cl,
        flagged_clusters: flagged,
    }
}

fn display_value(input: &Input, field: &str, row: usize) -> String {
    input
        .fields
        .iter()
        .find(|f| f.0 == field)
        .map(|f| f.2.get(row).to_string())
        .unwrap_or_default()
}

/// Explain the score of one pair under a trained model.
pub fn explain(input: &Input, cfg: &Config, model: &Model, a: usize, b: usize) -> Explanation {
    let f = features::build_rows(input, &[a, b]);
    let ctx = resolve(input, cfg);
    let names = f
        .has_name
        .then(|| compare::name_levels(&f.name(0), &f.name(1)));
    let name_fields: Vec<String> = input
        .fields
        .iter()
        .filter(|x| {
            matches!(
                x.1,
                FieldKind::FullName | FieldKind::GivenName | FieldKind::FamilyName
            )
        })
        .map(|x| x.0.clone())
        .collect();
    let (mut levels, mut sims): (Vec<u8>, Vec<f64>) = ctx
        .comps
        .iter()
        .map(|rc| compare::level(&f, rc, 0, 1, names))
        .unzip();
    if let Some((i, s)) = compare::alt_lines(&f, &ctx.comps, 0, 1, &mut levels) {
        sims[i] = s;
    }
    compare::address_elsewhere(&ctx.guard, &ctx.comps, &mut levels);
    let mut items: Vec<ExplainItem> = Vec::new();
    for (i, (c, rc)) in cfg.comparisons.iter().zip(&ctx.comps).enumerate() {
        let (l, sim) = (levels[i], sims[i]);
        let (fields, va, vb) = match &c.field {
            Some(fl) => (
                vec![fl.clone()],
                display_value(input, fl, a),
                display_value(input, fl, b),
            ),
            None => (
                name_fields.clone(),
                f.name(0).display(),
                f.name(1).display(),
            ),
        };
        let w = if i < model.comparisons.len() {
            model.level_weight(i, l)
        } else {
            0.0
        };
        items.push(ExplainItem {
            comparison: c.name.clone(),
            fields,
            value_a: va,
            value_b: vb,
            level: l,
            level_name: level_names(rc.kind)
                .get(l as usize)
                .unwrap_or(&"?")
                .to_string(),
            similarity: sim,
            weight: w,
        });
    }
    if levels.len() == model.comparisons.len() {
        for (it, w) in items.iter_mut().zip(model.contributions(&levels)) {
            it.weight = w;
        }
    }
    let g = compare::guard_bits(&f, &ctx.guard, 0, 1, &levels);
    let mut guards = Vec::new();
    for (bit, name) in [
        (compare::G_GIVEN, "given names differ"),
        (compare::G_BIRTH, "birth dates differ"),
        (compare::G_SUFFIX, "generational suffix differs"),
        (compare::G_ID, "resident IDs differ"),
        (compare::G_PERSONAL, "personal identifiers disagree"),
        (compare::G_NOANCHOR, "no anchor field agrees"),
    ] {
        if g & bit != 0 {
            let pen = if g & compare::G_VETO != 0 {
                model.veto_penalty
            } else if bit == compare::G_PERSONAL {
                model.personal_penalty
            } else if bit == compare::G_NOANCHOR {
                model.no_anchor_penalty
            } else {
                model.soft_penalty
            };
            guards.push((name.to_string(), -pen));
        }
    }
    let (w, p) = model.score(&levels, g);
    let uncapped = model.prior_weight() + model.evidence(&levels) - model.guard_weight(g);
    if g & compare::G_NAMES != 0 && w < uncapped {
        guards.push((
            "given and family names both differ, birth date not the same: odds capped".to_string(),
            w - uncapped,
        ));
    }
    let field_names: Vec<String> = input.fields.iter().map(|f| f.0.clone()).collect();
    let shared_blocking_keys = cfg
        .blocking
        .iter()
        .filter(|r| {
            blocking::resolve(r, &field_names, ctx.birth).is_some_and(|res| {
                let ka = blocking::row_keys(&f, &res, 0);
                blocking::row_keys(&f, &res, 1)
                    .iter()
                    .any(|k| ka.contains(k))
            })
        })
        .map(|r| r.name.clone())
        .collect();
    Explanation {
        a,
        b,
        shared_blocking_keys,
        prior_weight: model.prior_weight(),
        items,
        guards,
        total_weight: w,
        probability: p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unflag_dedupes_and_marks_what_only_the_gate_proposed() {
        let flag = |q: u64, g: u64| q << 1 | g;
        let all = [2, 5, 9, 40].map(|q| flag(q, 0));
        let gated = [9, 1, 41, 5, 7, 1, 100].map(|q| flag(q, 1));
        let mut v: Vec<u64> = all.iter().chain(&gated).copied().collect();
        v.sort_unstable();
        let (u, marks) = super::unflag(v);
        assert_eq!(u, vec![1, 2, 5, 7, 9, 40, 41, 100]);
        let m: Vec<bool> = (0..u.len()).map(|i| super::marked(&marks, i)).collect();
        assert_eq!(m, vec![true, false, false, true, false, false, true, true]);
        assert_eq!(super::unflag(Vec::new()), (Vec::new(), Vec::new()));
    }

    fn febrl_fields() -> Vec<(String, FieldKind)> {
        [
            ("given_name", FieldKind::GivenName),
            ("family_name", FieldKind::FamilyName),
            ("address", FieldKind::Address),
            ("address_2", FieldKind::Text),
            ("city", FieldKind::City),
            ("postcode", FieldKind::Postcode),
            ("birth_date", FieldKind::Date),
        ]
        .iter()
        .map(|(n, k)| (n.to_string(), *k))
        .collect()
    }

    #[test]
    fn auto_config_pairs_the_address_lines_and_blocks_on_either_name() {
        let cfg = Config::auto(&febrl_fields());
        let addr = cfg
            .comparisons
            .iter()
            .find(|c| c.kind == CompareKind::Address)
            .unwrap();
        assert_eq!(addr.alt_field.as_deref(), Some("address_2"));
        let names: Vec<&str> = cfg.blocking.iter().map(|r| r.name.as_str()).collect();
        for n in [
            "postcode+any_name_soundex",
            "city+any_name_soundex",
            "any_name_initial+birth_date",
            "address+postcode",
        ] {
            assert!(names.contains(&n), "{n} in {names:?}");
        }
        for n in [
            "postcode+family_soundex",
            "postcode+given_soundex",
            "given_initial+birth_date",
        ] {
            assert!(!names.contains(&n), "{n} replaced");
        }
        // with contact identifiers the exact contact keys do this job: the narrower rules stay
        let mut strict = febrl_fields();
        strict.push(("email".to_string(), FieldKind::Email));
        let sn: Vec<String> = Config::auto(&strict)
            .blocking
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert!(sn.iter().any(|n| n == "family_soundex+birth_date"));
        assert!(!sn
            .iter()
            .any(|n| n.contains("initial") && n.contains("birth_date")));
        assert!(!sn.iter().any(|n| n.contains("any_name")));
        assert!(!sn.iter().any(|n| n == "address+postcode"));
        // the address-line pairing is resolved onto the second line's comparison
        let cols: Vec<Vec<&str>> = vec![vec![""; 2]; 7];
        let input = Input {
            fields: febrl_fields()
                .into_iter()
                .zip(&cols)
                .map(|((n, k), c)| (n, k, c as &dyn Column))
                .collect(),
            source: None,
            release: None,
        };
        let ctx = resolve(&input, &cfg);
        let a = ctx
            .comps
            .iter()
            .find(|c| c.kind == CompareKind::Address)
            .unwrap();
        assert_eq!(a.alt, Some(3));
        assert_eq!(
            a.alt_cmp.map(|j| ctx.comps[j].kind),
            Some(CompareKind::Text)
        );
        // a schema without a second line has no pairing
        let mut f = febrl_fields();
        f.retain(|x| x.0 != "address_2");
        let cfg = Config::auto(&f);
        assert!(cfg.comparisons.iter().all(|c| c.alt_field.is_none()));
    }

    #[test]
    fn explain_says_when_a_pair_shares_no_blocking_key() {
        let rows: Vec<Vec<&str>> = [
            "john,smith,12 main street,,springfield,2000,19800101",
            "jon,smith,12 main street,,springfield,2000,19800101",
            "mary,jones,4 high road,,shelbyville,3000,19600505",
            "mary,jones,4 high road,,shelbyville,3000,19600505",
        ]
        .iter()
        .map(|r| r.split(',').collect())
        .collect();
        let cols: Vec<Vec<&str>> = (0..7)
            .map(|j| rows.iter().map(|r| r[j]).collect())
            .collect();
        let input = Input {
            fields: febrl_fields()
                .into_iter()
                .zip(&cols)
                .map(|((n, k), c)| (n, k, c as &dyn Column))
                .collect(),
            source: None,
            release: None,
        };
        let cfg = Config::auto(&febrl_fields());
        let out = run(&input, &cfg, &[], None);
        let e = explain(&input, &cfg, &out.model, 0, 1);
        assert!(!e.shared_blocking_keys.is_empty());
        assert!(e
            .shared_blocking_keys
            .iter()
            .any(|k| k == "postcode+any_name_soundex"));
        let e = explain(&input, &cfg, &out.model, 0, 2);
        assert!(
            e.shared_blocking_keys.is_empty(),
            "{:?}",
            e.shared_blocking_keys
        );
    }
}

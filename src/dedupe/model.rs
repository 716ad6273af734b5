//! Fellegi-Sunter model: u from random pairs, m and the prior by EM over
//! candidate-pair level patterns (patterns are counted once, so EM is cheap).

use super::CompareKind;
use serde::{Deserialize, Serialize};

pub const BITS: u32 = 3;
pub const MAX_COMPARISONS: usize = 18;
pub const GUARD_SHIFT: u32 = 56;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CompModel {
    pub name: String,
    pub kind: CompareKind,
    /// Level names, index = level (0 = null, 1 = else).
    pub levels: Vec<String>,
    /// P(level | match); index 0 unused (null carries no weight).
    pub m: Vec<f64>,
    /// P(level | non-match).
    pub u: Vec<f64>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Model {
    /// Prior probability that a candidate pair is a match.
    pub lambda: f64,
    pub comparisons: Vec<CompModel>,
    /// Weight (bits) subtracted for a vetoed pair (see `Guards`).
    pub veto_penalty: f64,
    /// Weight (bits) subtracted per non-veto identity conflict.
    pub soft_penalty: f64,
    /// Weight subtracted when two or more person-level identifiers disagree and none agrees.
    pub personal_penalty: f64,
    /// Weight subtracted when nothing but names and coarse location agree.
    pub no_anchor_penalty: f64,
    /// Upper bound (bits) on the weight of a pair whose given and family names both
    /// differ while the birth date is not the same (guard bit 128): location alone
    /// never makes such a pair a match (0 = even odds: it can be reviewed, never
    /// accepted). A cap, not a penalty, so it does not make the pair a cannot-link
    /// for the chaining guard: records of one cluster may drift apart.
    #[serde(default)]
    pub no_identity_cap: f64,
    pub em_iterations: u32,
    pub u_sample_pairs: u64,
    pub clamp: f64,
}

impl Model {
    /// The model EM starts from: prior 0.1, m concentrated on each comparison's top level, u from the level
    /// counts of `sampled` random pairs (one list per comparison of `cfg`), the guards' penalties.
    pub fn untrained(cfg: &super::Config, ucounts: &[Vec<u64>], sampled: u64) -> Model {
        Model {
            lambda: 0.1,
            comparisons: cfg
                .comparisons
                .iter()
                .zip(ucounts)
                .map(|(c, uc)| {
                    let names = super::level_names(c.kind);
                    CompModel {
                        name: c.name.clone(),
                        kind: c.kind,
                        levels: names.iter().map(|s| s.to_string()).collect(),
                        m: initial_m(names.len()),
                        u: u_from_counts(uc, cfg.clamp),
                    }
                })
                .collect(),
            veto_penalty: cfg.guards.veto_penalty,
            soft_penalty: cfg.guards.soft_penalty,
            personal_penalty: cfg.guards.personal_penalty,
            no_anchor_penalty: cfg.guards.no_anchor_penalty,
            no_identity_cap: cfg.guards.no_identity_cap,
            em_iterations: 0,
            u_sample_pairs: sampled,
            clamp: cfg.clamp,
        }
    }

    pub fn level_weight(&self, c: usize, level: u8) -> f64 {
        let cm = &self.comparisons[c];
        let l = level as usize;
        if l == 0 || l >= cm.m.len() {
            0.0
        } else {
            (cm.m[l] / cm.u[l]).log2()
        }
    }
    pub fn prior_weight(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }
    /// Total log2-odds (prior included) and match probability.
    /// Effective weight of each comparison. City, province, postcode and country
    /// describe one nested location, so only the strongest agreement among them
    /// counts (disagreements all count): this avoids counting one fact 3-4 times.
    pub fn contributions(&self, levels: &[u8]) -> Vec<f64> {
        let mut w: Vec<f64> = levels
            .iter()
            .enumerate()
            .map(|(c, &l)| self.level_weight(c, l))
            .collect();
        let loc = |k: CompareKind| {
            matches!(
                k,
                CompareKind::City
                    | CompareKind::Province
                    | CompareKind::Postcode
                    | CompareKind::Country
            )
        };
        let mut best: Option<usize> = None;
        for c in 0..w.len() {
            if loc(self.comparisons[c].kind) && w[c] > 0.0 && best.is_none_or(|b| w[c] > w[b]) {
                best = Some(c);
            }
        }
        for (c, x) in w.iter_mut().enumerate() {
            if loc(self.comparisons[c].kind) && *x > 0.0 && Some(c) != best {
                *x = 0.0;
            }
        }
        w
    }
    /// Sum of the effective comparison weights (bits), without prior or guards.
    pub fn evidence(&self, levels: &[u8]) -> f64 {
        self.contributions(levels).iter().sum()
    }
    pub fn score(&self, levels: &[u8], guard: u8) -> (f64, f64) {
        let w = self.prior_weight() + self.evidence(levels) - self.guard_weight(guard);
        let w = if guard & 128 != 0 {
            w.min(self.no_identity_cap)
        } else {
            w
        };
        (w, prob_of(w))
    }
    /// Penalty (bits) for a set of guard bits (see `Guards`).
    pub fn guard_weight(&self, guard: u8) -> f64 {
        if guard == 0 {
            0.0
        } else if guard & 8 != 0 {
            self.veto_penalty
        } else {
            (guard & 7).count_ones() as f64 * self.soft_penalty
                + if guard & 32 != 0 {
                    self.personal_penalty
                } else {
                    0.0
                }
                + if guard & 64 != 0 {
                    self.no_anchor_penalty
                } else {
                    0.0
                }
        }
    }
    /// True when the guard bits amount to a veto (treated as non-match by EM).
    pub fn is_veto(&self, guard: u8) -> bool {
        guard & 8 != 0
    }
}

/// Upper bound on m(else) during EM, by comparison kind.
pub fn max_m_else(kind: CompareKind) -> f64 {
    match kind {
        CompareKind::GivenName
        | CompareKind::FamilyName
        | CompareKind::Date
        | CompareKind::Gender
        | CompareKind::CnId => 0.1,
        _ => 0.3,
    }
}

pub fn prob_of(w: f64) -> f64 {
    1.0 / (1.0 + (-w).exp2())
}

pub fn encode(levels: &[u8], guard: u8) -> u64 {
    let mut p = 0u64;
    for (i, &l) in levels.iter().enumerate() {
        p |= (l as u64) << (i as u32 * BITS);
    }
    p | ((guard as u64) << GUARD_SHIFT)
}

pub fn decode(p: u64, n: usize) -> (Vec<u8>, u8) {
    let levels = (0..n)
        .map(|i| ((p >> (i as u32 * BITS)) & 7) as u8)
        .collect();
    (levels, (p >> GUARD_SHIFT) as u8)
}

fn clamp_norm(v: &mut [f64], clamp: f64) {
    // v[0] is the null level and is ignored
    for x in v.iter_mut().skip(1) {
        *x = x.clamp(clamp, 1.0 - clamp);
    }
    let s: f64 = v.iter().skip(1).sum();
    for x in v.iter_mut().skip(1) {
        *x = (*x / s).clamp(clamp, 1.0 - clamp);
    }
    v[0] = 1.0;
}

/// Initial m: mass concentrated on the top level.
pub fn initial_m(n_levels: usize) -> Vec<f64> {
    let mut m = vec![0.0; n_levels];
    let top = n_levels - 1;
    let inter = top.saturating_sub(2);
    m[1] = 0.05;
    if inter == 0 {
        m[top] = 0.95;
    } else {
        m[top] = 0.8;
        for x in m.iter_mut().take(top).skip(2) {
            *x = 0.15 / inter as f64;
        }
    }
    m[0] = 1.0;
    m
}

/// u from level counts over random pairs (with add-half smoothing).
pub fn u_from_counts(counts: &[u64], clamp: f64) -> Vec<f64> {
    let total: f64 = counts.iter().skip(1).map(|&c| c as f64 + 0.5).sum();
    let mut u: Vec<f64> = counts
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i == 0 {
                1.0
            } else {
                (c as f64 + 0.5) / total
            }
        })
        .collect();
    clamp_norm(&mut u, clamp);
    u
}

/// One observed pattern: encoded levels, count and an optional fixed posterior (labels, guards).
pub struct Obs {
    pub pattern: u64,
    pub count: f64,
    pub fixed: Option<f64>,
}

/// EM for m and lambda with u fixed. Returns the number of iterations run.
pub fn em(model: &mut Model, obs: &[Obs], max_iter: u32, tol: f64) -> u32 {
    let nc = model.comparisons.len();
    let decoded: Vec<(Vec<u8>, u8)> = obs.iter().map(|o| decode(o.pattern, nc)).collect();
    let mut it = 0;
    while it < max_iter {
        it += 1;
        let mut mc: Vec<Vec<f64>> = model
            .comparisons
            .iter()
            .map(|c| vec![0.0; c.m.len()])
            .collect();
        let (mut matched, mut total) = (0.0, 0.0);
        for (o, (lv, guard)) in obs.iter().zip(&decoded) {
            let post = match o.fixed {
                Some(p) => p,
                // vetoed, or capped for want of identity evidence: not a match for EM
                None if model.is_veto(*guard) || *guard & 128 != 0 => 0.0,
                None => {
                    let lr = (model.lambda / (1.0 - model.lambda)).ln()
                        + (model.evidence(lv) - model.guard_weight(*guard))
                            * std::f64::consts::LN_2;
                    let p = 1.0 / (1.0 + (-lr).exp());
                    // truncated EM: diffuse mass from millions of clear non-matches must
                    // not pull m towards the non-match distribution
                    if p < 0.05 {
                        0.0
                    } else {
                        p
                    }
                }
            };
            let w = post * o.count;
            matched += w;
            total += o.count;
            for (c, &l) in lv.iter().enumerate() {
                if l != 0 {
                    mc[c][l as usize] += w;
                }
            }
        }
        let mut delta: f64 = 0.0;
        let new_lambda = (matched / total.max(1.0)).clamp(1e-6, 1.0 - 1e-6);
        delta = delta.max((new_lambda - model.lambda).abs());
        model.lambda = new_lambda;
        for (c, counts) in mc.into_iter().enumerate() {
            let s: f64 = counts.iter().skip(1).sum();
            if s <= 0.0 {
                continue;
            }
            let mut m: Vec<f64> = counts.iter().map(|x| x / s).collect();
            // identity fields rarely disagree outright on a true match; contact fields
            // change more often. Capping m(else) keeps EM from drifting towards the
            // large "shares a first name and a city" population at scale.
            let cap = max_m_else(model.comparisons[c].kind);
            if m.len() > 2 && m[1] > cap {
                let rest: f64 = m.iter().skip(2).sum();
                if rest > 0.0 {
                    let scale = (1.0 - cap) / rest;
                    for x in m.iter_mut().skip(2) {
                        *x *= scale;
                    }
                    m[1] = cap;
                }
            }
            clamp_norm(&mut m, model.clamp);
            for (a, b) in m.iter().zip(&model.comparisons[c].m) {
                delta = delta.max((a - b).abs());
            }
            model.comparisons[c].m = m;
        }
        if delta < tol {
            break;
        }
    }
    it
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Model {
        Model {
            lambda: 0.1,
            comparisons: vec![CompModel {
                name: "x".into(),
                kind: CompareKind::Email,
                levels: vec!["null".into(), "else".into(), "fuzzy".into(), "exact".into()],
                m: initial_m(4),
                u: u_from_counts(&[0, 1000, 0, 0], 1e-4),
            }],
            veto_penalty: 100.0,
            soft_penalty: 20.0,
            personal_penalty: 30.0,
            no_anchor_penalty: 10.0,
            no_identity_cap: 0.0,
            em_iterations: 0,
            u_sample_pairs: 1000,
            clamp: 1e-4,
        }
    }

    #[test]
    fn em_clamps_on_perfectly_clean_data() {
        let mut m = toy();
        // every candidate pair is an exact match: m(else) would go to 0 without clamping
        let obs = vec![Obs {
            pattern: encode(&[3], 0),
            count: 500.0,
            fixed: None,
        }];
        em(&mut m, &obs, 100, 1e-9);
        let c = &m.comparisons[0];
        assert!(c
            .m
            .iter()
            .skip(1)
            .all(|&x| (1e-4..=1.0 - 1e-4).contains(&x)));
        assert!(c
            .u
            .iter()
            .skip(1)
            .all(|&x| (1e-4..=1.0 - 1e-4).contains(&x)));
        assert!(m.level_weight(0, 3).is_finite() && m.level_weight(0, 1).is_finite());
        assert!(m.lambda > 0.5);
    }

    #[test]
    fn em_separates_mixture() {
        let mut m = toy();
        m.comparisons[0].u = u_from_counts(&[0, 9000, 900, 100], 1e-4);
        let obs = vec![
            Obs {
                pattern: encode(&[3], 0),
                count: 100.0,
                fixed: None,
            },
            Obs {
                pattern: encode(&[1], 0),
                count: 900.0,
                fixed: None,
            },
            Obs {
                pattern: encode(&[1], 9),
                count: 50.0,
                fixed: None,
            },
        ];
        em(&mut m, &obs, 200, 1e-9);
        assert!(m.level_weight(0, 3) > 3.0);
        assert!(m.level_weight(0, 1) < 0.0);
        let (w, p) = m.score(&[3], 0);
        assert!(w > 0.0 && p > 0.5);
        assert!(m.score(&[3], 9).1 < 1e-10);
        assert!(m.score(&[3], 1).0 < m.score(&[3], 0).0 - 19.0);
    }

    #[test]
    fn no_identity_caps_the_odds_without_a_penalty() {
        let mut m = toy();
        m.comparisons[0].u = u_from_counts(&[0, 9000, 900, 100], 1e-4);
        let (w, p) = m.score(&[3], 0);
        assert!(w > 0.0);
        // capped at even odds: never accepted, but no cannot-link either
        let (wc, pc) = m.score(&[3], 128);
        assert_eq!(wc, 0.0);
        assert!(pc <= 0.5 && pc < p);
        // a pair already below the cap keeps its weight
        assert_eq!(m.score(&[1], 128).0, m.score(&[1], 0).0);
        // EM counts capped pairs as non-matches
        let obs = vec![
            Obs {
                pattern: encode(&[3], 0),
                count: 100.0,
                fixed: None,
            },
            Obs {
                pattern: encode(&[3], 128),
                count: 900.0,
                fixed: None,
            },
        ];
        em(&mut m, &obs, 200, 1e-9);
        assert!(m.lambda < 0.2);
        assert_eq!(decode(encode(&[3], 128), 1).1, 128);
    }

    #[test]
    fn pattern_roundtrip() {
        let p = encode(&[0, 5, 3, 1], 3);
        assert_eq!(decode(p, 4), (vec![0, 5, 3, 1], 3));
    }
}

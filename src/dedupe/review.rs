//! What a steward reviews: the pairs in the review band, each with both records' compared fields side by side
//! and the weight each comparison gave it, and what decided them (threshold, band, model). Writers render it.

use serde::Serialize;

/// The uncertain pairs of one run, strongest first, and the settings and model that scored them.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewSet {
    /// Pairs at or above this probability were accepted as matches.
    pub threshold: f64,
    /// Pairs from this probability up to the threshold are the review band.
    pub review_lower: f64,
    /// The model, in words: its kind, EM iterations, prior, labels used.
    pub model: String,
    /// The compared fields shown side by side (the id field is shown once, as `id_a`/`id_b`).
    pub fields: Vec<String>,
    pub pairs: Vec<ReviewPair>,
}

/// One uncertain pair: who the two records are, how likely a match, their fields, and the weights.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewPair {
    pub id_a: String,
    pub id_b: String,
    pub source_a: String,
    pub row_a: String,
    pub source_b: String,
    pub row_b: String,
    pub probability: f64,
    /// Total weight in bits (log2 odds): the prior plus each comparison's weight plus the guards'.
    pub weight: f64,
    /// Per field of `ReviewSet::fields`: the two records' values as they were compared.
    pub values: Vec<[String; 2]>,
    /// The prior's weight in bits (share of candidate pairs that match).
    pub prior: f64,
    pub comparisons: Vec<Weighed>,
    /// Guards that fired, with their weight (negative).
    pub guards: Vec<(String, f64)>,
}

/// One comparison's part in a pair's weight: its level (`exact`, `fuzzy`, `else`, `null`...) and weight.
#[derive(Debug, Clone, Serialize)]
pub struct Weighed {
    pub comparison: String,
    /// The fields it compared.
    pub fields: Vec<String>,
    pub level: String,
    pub weight: f64,
}

impl ReviewSet {
    /// The fields of pair `p` whose two values differ (one empty counts as different).
    pub fn differs(&self, p: &ReviewPair, field: usize) -> bool {
        p.values
            .get(field)
            .is_some_and(|[a, b]| a.trim() != b.trim())
    }

    /// What the About sheet and the page say of how these pairs were chosen, as (label, text) lines.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "Threshold",
                format!(
                    "pairs with a match probability of {} or more were accepted as matches",
                    self.threshold
                ),
            ),
            (
                "Review band",
                format!(
                    "{} pair(s) with a match probability from {} up to {}: decide each",
                    self.pairs.len(),
                    self.review_lower,
                    self.threshold
                ),
            ),
            ("Model", self.model.clone()),
            (
                "Decisions",
                "match, not a match or unsure (skipped); give the file back with steward dedupe ... --labels FILE: \
                 decided pairs are obeyed and refine the weights"
                    .to_string(),
            ),
        ]
    }
}

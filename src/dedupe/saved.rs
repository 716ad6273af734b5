//! A trained matching model as a file (`dedupe --save-model`, `--model`): the blocking rules, the comparisons
//! with their levels, m and u per level, the prior, the guards and caps, and which fields it compares as which
//! kind. Versioned twice: the file's own format, and the features (normalization) its levels were measured on,
//! since a level means what the features made of the values. A file of another version, or one that does not
//! hold together (levels, m and u of different lengths, a probability outside (0, 1], a rule over a field it
//! does not compare), is refused with a message saying why, never read as something else.

use anyhow::Result;
use serde::{Deserialize, Serialize};

use super::{level_names, Config, FieldKind, KeyPart, Model};
use crate::error::StewardError;

/// What the file says it is.
pub const MODEL_FORMAT: &str = "steward-model";
/// The layout of the file. Raised when a field changes meaning; a reader refuses a newer one.
/// 2: `config.birth_gate` (a version 1 file, which lacks it, is read with the gate off and scores as before).
pub const MODEL_VERSION: u32 = 2;
/// The features a comparison level is measured on (name, phone, e-mail, date and address normalization,
/// nickname and homophone tables, the level cut-offs). Raised whenever any of them changes what a level of
/// some pair would be: a model trained on other features is refused, since its m and u describe other levels.
pub const FEATURES_VERSION: u32 = 1;
/// No model is anywhere near this large (a few kilobytes); anything larger is not one.
const MAX_BYTES: u64 = 16 << 20;

/// A model as read from a file, with the file's name for messages and reports.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelFile {
    pub path: String,
    pub saved: SavedModel,
}

impl ModelFile {
    pub fn read(path: &std::path::Path) -> Result<ModelFile> {
        Ok(ModelFile {
            path: path.display().to_string(),
            saved: SavedModel::read(path)?,
        })
    }
}

/// A compared field and the kind it is matched as.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedField {
    pub name: String,
    pub kind: FieldKind,
}

/// What the model was trained on, for people reading the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trained {
    pub rows: u64,
    pub candidate_pairs: u64,
    pub labels: u64,
    pub em_iterations: u32,
    /// The model it refined, when it was scored from a saved model with labels.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refined: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedModel {
    pub format: String,
    pub version: u32,
    pub features_version: u32,
    /// `steward X.Y.Z`, the program that wrote it.
    pub written_by: String,
    pub trained: Trained,
    pub fields: Vec<SavedField>,
    pub config: Config,
    pub model: Model,
}

impl SavedModel {
    pub fn new(
        cfg: &Config,
        fields: &[(String, FieldKind)],
        model: &Model,
        trained: Trained,
    ) -> SavedModel {
        // Every field the engine was given, in its order: the features (a blocking window's sort order, which
        // date comes first) are made of all of them, so an input scored by the model is given the same.
        SavedModel {
            format: MODEL_FORMAT.to_string(),
            version: MODEL_VERSION,
            features_version: FEATURES_VERSION,
            written_by: format!("steward {}", env!("CARGO_PKG_VERSION")),
            trained,
            fields: fields
                .iter()
                .map(|(n, k)| SavedField {
                    name: n.clone(),
                    kind: *k,
                })
                .collect(),
            config: cfg.clone(),
            model: model.clone(),
        }
    }

    fn names_used(&self) -> bool {
        names_used(&self.config)
    }

    pub fn to_json(&self) -> Result<String> {
        let mut s = serde_json::to_string_pretty(self)?;
        s.push('\n');
        Ok(s)
    }

    /// Read and check a model file; `origin` names it in messages.
    pub fn read(path: &std::path::Path) -> Result<SavedModel> {
        let origin = path.display().to_string();
        let meta = std::fs::metadata(path)
            .map_err(|e| StewardError::no_input(format!("{origin}: cannot read the model: {e}")))?;
        if meta.len() > MAX_BYTES {
            return Err(StewardError::data(format!(
                "{origin}: {} bytes is not a steward model (a model is a few kilobytes of JSON)",
                meta.len()
            ))
            .into());
        }
        crate::io::write::note_read(path);
        let bytes = std::fs::read(path)
            .map_err(|e| StewardError::no_input(format!("{origin}: cannot read the model: {e}")))?;
        Self::parse(&bytes, &origin)
    }

    /// Parse and check a model's text.
    pub fn parse(bytes: &[u8], origin: &str) -> Result<SavedModel> {
        let not_json = |e: serde_json::Error| {
            StewardError::data(format!(
                "{origin}: line {}, column {}: not a steward model: {e}",
                e.line(),
                e.column()
            ))
        };
        // The header first, so that a newer or foreign file is named as such rather than as a bad field.
        let head: serde_json::Value = serde_json::from_slice(bytes).map_err(not_json)?;
        let format = head.get("format").and_then(|v| v.as_str());
        if format != Some(MODEL_FORMAT) {
            return Err(StewardError::data(format!(
                "{origin}: not a steward model (it says format {}; a model written by `steward dedupe \
                 --save-model` says \"{MODEL_FORMAT}\")",
                format.map(|f| format!("{f:?}")).unwrap_or_else(|| "nothing".into())
            ))
            .into());
        }
        let version = head.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        let written_by = head
            .get("written_by")
            .and_then(|v| v.as_str())
            .unwrap_or("an unknown program");
        if version > MODEL_VERSION as u64 {
            return Err(StewardError::data(format!(
                "{origin}: model format version {version} (written by {written_by}); this steward reads version \
                 {MODEL_VERSION}: use a newer steward, or train again with this one (--save-model)"
            ))
            .into());
        }
        if version == 0 {
            return Err(
                StewardError::data(format!("{origin}: the model has no format version")).into(),
            );
        }
        let features = head
            .get("features_version")
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        if features != FEATURES_VERSION as u64 {
            return Err(StewardError::data(format!(
                "{origin}: the model was trained on features version {features} (written by {written_by}); this \
                 steward measures features version {FEATURES_VERSION}, so its levels would not mean what the \
                 model's weights say: train again with this steward (--save-model)"
            ))
            .into());
        }
        let saved: SavedModel = serde_json::from_slice(bytes).map_err(not_json)?;
        saved.check(origin)?;
        Ok(saved)
    }

    /// The parts must hold together: every comparison with its weights, every field it names declared.
    fn check(&self, origin: &str) -> Result<()> {
        let bad = |why: String| -> anyhow::Error {
            StewardError::data(format!("{origin}: the model does not hold together: {why}")).into()
        };
        let (cfg, m) = (&self.config, &self.model);
        if cfg.comparisons.len() != m.comparisons.len() {
            return Err(bad(format!(
                "{} comparisons configured, {} weighted",
                cfg.comparisons.len(),
                m.comparisons.len()
            )));
        }
        if cfg.comparisons.is_empty() || cfg.comparisons.len() > super::model::MAX_COMPARISONS {
            return Err(bad(format!(
                "{} comparisons (1 to {} can be scored)",
                cfg.comparisons.len(),
                super::model::MAX_COMPARISONS
            )));
        }
        let prob = |p: f64| p.is_finite() && p > 0.0 && p <= 1.0;
        for (c, w) in cfg.comparisons.iter().zip(&m.comparisons) {
            if c.name != w.name || c.kind != w.kind {
                return Err(bad(format!(
                    "comparison {} ({:?}) is weighted as {} ({:?})",
                    c.name, c.kind, w.name, w.kind
                )));
            }
            let levels = level_names(c.kind);
            if w.levels.len() != levels.len() || w.levels.iter().zip(levels).any(|(a, b)| a != b) {
                return Err(bad(format!(
                    "comparison {} has levels {:?}; a {:?} comparison has {:?}",
                    c.name, w.levels, c.kind, levels
                )));
            }
            if w.m.len() != levels.len() || w.u.len() != levels.len() {
                return Err(bad(format!(
                    "comparison {}: {} levels, {} m and {} u values",
                    c.name,
                    levels.len(),
                    w.m.len(),
                    w.u.len()
                )));
            }
            if let Some(x) = w.m.iter().chain(&w.u).skip(1).find(|&&x| !prob(x)) {
                return Err(bad(format!(
                    "comparison {}: {x} is not a probability in (0, 1]",
                    c.name
                )));
            }
        }
        if !(m.lambda.is_finite() && m.lambda > 0.0 && m.lambda < 1.0) {
            return Err(bad(format!("the prior {} is not in (0, 1)", m.lambda)));
        }
        for (what, p) in [
            ("threshold", cfg.threshold),
            ("review lower bound", cfg.review_lower),
            ("split_below", cfg.split_below),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(bad(format!("the {what} {p} is not a probability")));
            }
        }
        for (what, x) in [
            ("veto_penalty", m.veto_penalty),
            ("soft_penalty", m.soft_penalty),
            ("personal_penalty", m.personal_penalty),
            ("no_anchor_penalty", m.no_anchor_penalty),
            ("no_identity_cap", m.no_identity_cap),
        ] {
            if !x.is_finite() {
                return Err(bad(format!("{what} is {x}")));
            }
        }
        if cfg.max_block < 2 || cfg.window < 1 {
            return Err(bad(format!(
                "max_block {} (at least 2) and window {} (at least 1)",
                cfg.max_block, cfg.window
            )));
        }
        if cfg.blocking.is_empty() {
            return Err(bad("no blocking rule".into()));
        }
        let declared = |n: &str| self.fields.iter().any(|f| f.name == n);
        for n in used_fields(cfg) {
            if !declared(&n) {
                return Err(bad(format!("it uses field {n}, which it does not declare")));
            }
        }
        if self.names_used() && !self.fields.iter().any(|f| is_name_kind(f.kind)) {
            return Err(bad("it compares names but declares no name field".into()));
        }
        Ok(())
    }

    /// The input must have every field the model compares, matched as the same kind, and make its names of
    /// the same fields (the first full, given and family name field: a name is one feature of all three).
    pub fn fits(&self, fields: &[(String, FieldKind)], origin: &str) -> Result<()> {
        for k in [
            FieldKind::FullName,
            FieldKind::GivenName,
            FieldKind::FamilyName,
        ] {
            let ours = self
                .fields
                .iter()
                .find(|f| f.kind == k)
                .map(|f| f.name.clone());
            let theirs = fields.iter().find(|f| f.1 == k).map(|f| f.0.clone());
            if ours.is_some() && theirs != ours
                || ours.is_none() && theirs.is_some() && self.names_used()
            {
                return Err(StewardError::data(format!(
                    "{origin}: the model makes names of {} as its {} field; this input has {}: a model \
                     scores the fields it was trained on",
                    ours.as_deref().unwrap_or("no field"),
                    kind_name(k),
                    theirs.as_deref().unwrap_or("none")
                ))
                .into());
            }
        }
        for f in &self.fields {
            match fields.iter().find(|(n, _)| *n == f.name) {
                Some((_, k)) if *k == f.kind => {}
                Some((_, k)) => {
                    return Err(StewardError::data(format!(
                        "{origin}: the model compares {} as {}; this input's {} is matched as {}: a model \
                         scores the fields it was trained on",
                        f.name,
                        kind_name(f.kind),
                        f.name,
                        kind_name(*k)
                    ))
                    .into())
                }
                None => {
                    let have: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
                    return Err(StewardError::data(format!(
                        "{origin}: the model compares field {} ({}), which this input does not have (its \
                         compared fields: {})",
                        f.name,
                        kind_name(f.kind),
                        if have.is_empty() { "none".to_string() } else { have.join(", ") }
                    ))
                    .into());
                }
            }
        }
        Ok(())
    }
}

fn kind_name(k: FieldKind) -> String {
    format!("{k:?}").to_lowercase()
}

fn is_name_kind(k: FieldKind) -> bool {
    matches!(
        k,
        FieldKind::FullName | FieldKind::GivenName | FieldKind::FamilyName
    )
}

/// Whether a configuration compares or blocks on the name feature.
fn names_used(cfg: &Config) -> bool {
    cfg.comparisons.iter().any(|c| c.field.is_none())
        || cfg.blocking.iter().flat_map(|r| &r.parts).any(is_name_part)
}

fn is_name_part(p: &KeyPart) -> bool {
    !matches!(
        p,
        KeyPart::Field(_) | KeyPart::FieldPrefix(..) | KeyPart::BirthYear | KeyPart::BirthDate
    )
}

/// The fields a configuration names: compared fields, second address lines, the birth date, blocking fields.
fn used_fields(cfg: &Config) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |n: &str| {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    };
    for c in &cfg.comparisons {
        for n in [&c.field, &c.alt_field].into_iter().flatten() {
            push(n);
        }
    }
    if let Some(b) = &cfg.birth_field {
        push(b);
    }
    for r in &cfg.blocking {
        for p in &r.parts {
            if let KeyPart::Field(n) | KeyPart::FieldPrefix(n, _) = p {
                push(n);
            }
        }
    }
    out
}

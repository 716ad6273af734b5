//! Protecting personal data: masking for people reading values (summaries, samples).
//! Keyed tokens, generalization and risk checks build on this module.

pub mod mask;

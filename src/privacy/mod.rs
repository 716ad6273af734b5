//! Protecting personal data: keys, keyed tokens and encryption, masking, generalization, policies by
//! privacy class, and re-identification risk (k-anonymity).

pub mod erase;
pub mod freetext;
pub mod generalize;
pub mod kanon;
pub mod key;
pub mod mask;
pub mod policy;
pub mod pseudonymize;
pub mod reveal;
pub mod risk;
pub mod token;

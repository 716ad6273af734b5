//! The one integration-test binary: each module tests a command (or a concern) through the real `steward`
//! binary on the fixtures; `help_examples` runs every example that `--help` prints.

mod common;

mod bad_corpus;
mod bad_input;
mod clean;
mod dedupe;
mod dedupe_engine;
mod import;
mod inspect;
mod interrupt;
mod job;
mod privacy;
mod properties;
mod schema;
mod segment;
mod stages;
mod validate;

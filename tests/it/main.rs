//! The one integration-test binary: each module tests a command (or a concern) through the real `steward`
//! binary on the fixtures; `help_examples` runs every example that `--help` prints.

mod common;

mod audit;
mod bad_corpus;
mod bad_input;
mod clean;
mod cli_surface;
mod conformance;
mod database;
mod database_mysql;
mod dedupe;
mod dedupe_engine;
mod dedupe_stage;
mod erase;
mod exports;
mod fidelity;
mod freetext;
mod help_examples;
mod hostile;
mod import;
mod inspect;
mod interrupt;
mod job;
mod libreoffice;
mod model;
mod output_set;
mod outputs;
mod privacy;
mod properties;
mod reports;
mod review;
mod safe_files;
mod schema;
mod segment;
mod stages;
mod table_schema;
mod validate;
mod warehouse;
mod workbooks;

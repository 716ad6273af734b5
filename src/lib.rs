//! steward: data stewardship for customer lists.
//! Library stages (read, map, write, protect) callable from the binary, tests and benches.

pub mod cli;
pub mod cmd;
pub mod dedupe;
pub mod error;
pub mod fields;
pub mod io;
pub mod job;
pub mod pipeline;
pub mod privacy;
pub mod report;
pub mod schema;
pub mod segment;
pub mod table;
pub mod validate;

use anyhow::Result;

/// Run a parsed command line.
pub fn run(cli: cli::Cli) -> Result<()> {
    let ui = cmd::Ui { quiet: cli.quiet };
    cli.command.check().map_err(error::StewardError::usage)?;
    match &cli.command {
        cli::Command::Inspect(a) => cmd::inspect::run(a, ui),
        cli::Command::Import(a) => cmd::import::run(a, ui),
        cli::Command::Validate(a) => cmd::validate::validate(a, ui),
        cli::Command::Normalize(a) => cmd::validate::normalize(a, ui),
        cli::Command::Clean(a) => cmd::clean::run(a, ui),
        cli::Command::Run(a) => cmd::job::run(a, ui),
        cli::Command::Profile(a) => cmd::profile::run(a, ui),
        cli::Command::Diff(a) => cmd::diff::run(a, ui),
        cli::Command::Audit(c) => cmd::audit::run(c, ui),
        cli::Command::Dedupe(a) => cmd::dedupe::run(a, ui),
        cli::Command::Segment(a) => cmd::segment::run(a, ui),
        cli::Command::Pseudonymize(a) => cmd::protect::pseudonymize(a, ui),
        cli::Command::Reveal(a) => cmd::reveal::run(a, ui),
        cli::Command::Risk(a) => cmd::risk::run(a, ui),
        cli::Command::Erase(a) => cmd::erase::run(a, ui),
        cli::Command::Key(c) => cmd::key::run(c, ui),
        cli::Command::Model(c) => cmd::model::run(c, ui),
        cli::Command::Schema(c) => cmd::schema::run(c, ui),
        cli::Command::Completions(a) => cmd::completions::completions(a),
        cli::Command::Man(a) => cmd::completions::man(a, ui),
    }
}

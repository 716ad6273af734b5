//! `steward key new` and `steward key id`: keys live in files only their owner can read.

use anyhow::Result;
use std::io::Write;

use super::Ui;
use crate::cli::{KeyCommand, KeyIdArgs, KeyNewArgs};
use crate::error::StewardError;
use crate::io::write::{check_output_path, AtomicFile};
use crate::privacy::key::Key;

pub fn run(cmd: &KeyCommand, ui: Ui) -> Result<()> {
    match cmd {
        KeyCommand::New(a) => new(a, ui),
        KeyCommand::Id(a) => id(a),
    }
}

fn new(args: &KeyNewArgs, ui: Ui) -> Result<()> {
    if args.file.as_os_str() == "-" {
        return Err(StewardError::usage(
            "a key is written only to a file (mode 0600), never to stdout",
        )
        .into());
    }
    check_output_path(&args.file, args.force, &[])?;
    let key = Key::generate()?;
    let mut f = AtomicFile::create(&args.file)?;
    f.make_private();
    f.write_all(key.to_file_text().as_bytes())
        .map_err(|e| StewardError::cant_create(format!("{}: {e}", args.file.display())))?;
    f.commit()?;
    ui.say(format!(
        "wrote a 256-bit key to {} (mode 0600); its id is {}",
        args.file.display(),
        key.id()
    ));
    ui.say(
        "keep it out of the data folder and out of version control: whoever has it can link tokens",
    );
    Ok(())
}

fn id(args: &KeyIdArgs) -> Result<()> {
    let key = Key::required(args.file.as_deref(), "key id")?;
    super::print_stdout(&format!("{}\n", key.id()))
}

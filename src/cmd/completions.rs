//! `steward completions SHELL` and `steward man DIR`: generated from the clap definitions, so they never drift.

use anyhow::Result;
use clap::CommandFactory;
use std::path::Path;

use super::Ui;
use crate::cli::{Cli, CompletionsArgs, ManArgs, Shell};
use crate::error::StewardError;

pub fn completions(args: &CompletionsArgs) -> Result<()> {
    let mut cmd = Cli::command();
    // Generated whole, then written through a handle that returns errors: a closed pipe ends quietly.
    let mut script = Vec::new();
    write_completion(args.shell, &mut cmd, &mut script);
    super::print_stdout(&String::from_utf8_lossy(&script))
}

pub fn write_completion(shell: Shell, cmd: &mut clap::Command, out: &mut dyn std::io::Write) {
    use clap_complete::{generate, shells};
    match shell {
        Shell::Bash => generate(shells::Bash, cmd, "steward", out),
        Shell::Zsh => generate(shells::Zsh, cmd, "steward", out),
        Shell::Fish => generate(shells::Fish, cmd, "steward", out),
        Shell::Powershell => generate(shells::PowerShell, cmd, "steward", out),
        Shell::Elvish => generate(shells::Elvish, cmd, "steward", out),
    }
}

/// Render every man page: `steward.1` and one `steward-SUB.1` per subcommand (nested ones too).
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    let cmd = Cli::command();
    let mut pages = Vec::new();
    render(&cmd, "steward", &mut pages)?;
    Ok(pages)
}

fn render(cmd: &clap::Command, name: &str, pages: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
    let cmd = cmd
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    pages.push((format!("{name}.1"), buf));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        render(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}

pub fn man(args: &ManArgs, ui: Ui) -> Result<()> {
    let dir = &args.dir;
    std::fs::create_dir_all(dir).map_err(|e| {
        StewardError::cant_create(format!("{}: cannot create the folder: {e}", dir.display()))
    })?;
    let pages = man_pages()?;
    for (name, bytes) in &pages {
        let path = dir.join(name);
        let mut f = crate::io::write::AtomicFile::create(Path::new(&path))?;
        f.make_shareable();
        std::io::Write::write_all(&mut f, bytes)
            .map_err(|e| StewardError::cant_create(format!("{}: {e}", path.display())))?;
        f.commit()?;
    }
    ui.say(format!(
        "wrote {} man pages to {}",
        pages.len(),
        dir.display()
    ));
    Ok(())
}

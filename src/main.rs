//! The `steward` binary: parse arguments, run the command, map errors to exit codes. Nothing else.

use clap::FromArgMatches;
use std::process::ExitCode;

use steward::error::{exit_code_of, one_line, ExitCode as Code};

/// mimalloc: pieces of rows are allocated on one thread and freed on another, megabytes at a time; with
/// glibc's allocator a 1M-row pseudonymize spent 0.4-0.6 s in the kernel faulting such memory back in,
/// with mimalloc 0.15-0.2 s (and 1.5 s instead of 1.7-1.8 s in all). Its default purging of freed memory
/// is kept: disabling it saved no time once buffers were pooled, and cost 100 MB on a 1M-row validate.
/// Built with `no_thp`: mimalloc otherwise asks for transparent huge pages on its arenas, and where the
/// kernel grants them on request (`madvise`, the common default) a 1M-row validate peaked at 470 MB
/// instead of 390 MB and spent 1.2 s instead of 0.3 s in the kernel zeroing 2 MB pages.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let parsed = steward::cli::command()
        .try_get_matches()
        .and_then(|m| steward::cli::Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => Code::Usage as u8,
            });
        }
    };
    steward::io::interrupt::install();
    // A panic is a bug: report it in one line with exit code 70, never a backtrace in a user's terminal.
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| steward::run(cli));
    steward::io::interrupt::wait_if_stopping();
    match result {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            // A closed pipe (`steward import ... -o - | head`) is not an error worth a message.
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("steward: error: {}", one_line(&err));
            ExitCode::from(exit_code_of(&err) as u8)
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".to_string());
            // `print!` panics when stdout is a closed pipe (`steward risk ... | head -1`): the reader has
            // what it wanted, so this ends quietly, as a closed pipe does everywhere else.
            if msg.contains("Broken pipe") || msg.contains("BrokenPipe") {
                return ExitCode::SUCCESS;
            }
            eprintln!("steward: internal error: {msg} (this is a bug; please report it)");
            ExitCode::from(Code::Software as u8)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .map(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            .unwrap_or(false)
            || c.to_string().contains("Broken pipe")
    })
}

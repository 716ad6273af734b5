//! Interruption safety: when steward is stopped (SIGINT, SIGTERM, SIGHUP), the temporary files of outputs being
//! written are removed before it exits with 130, so an interrupted run leaves no partial output and no litter.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Exit code of an interrupted run (128 + SIGINT, as shells report it).
pub const INTERRUPTED: i32 = 130;

/// Install the handler; called once by the binary.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if let Ok(pending) = PENDING.lock() {
            for p in pending.iter() {
                let _ = std::fs::remove_file(p);
            }
        }
        eprintln!("steward: interrupted; outputs being written were removed");
        std::process::exit(INTERRUPTED);
    });
}

/// A temporary file to remove if the run is interrupted.
pub fn register(path: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        pending.push(path.to_path_buf());
    }
}

/// The file was renamed into place or removed: nothing to clean up any more.
pub fn unregister(path: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        pending.retain(|p| p != path);
    }
}

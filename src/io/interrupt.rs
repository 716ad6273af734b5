//! Interruption safety: when steward is stopped (SIGINT, SIGTERM, SIGHUP), the temporary files and staging
//! folders of outputs being written are removed before it exits with 130, so an interrupted run leaves no
//! partial output and no litter. An output set being moved into place finishes or rolls back first.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Files (`false`) and folders (`true`) to remove on interruption.
static PENDING: Mutex<Vec<(PathBuf, bool)>> = Mutex::new(Vec::new());

/// Set while an output set is being swapped into place: a signal then waits for the swap to finish.
static SWAPPING: AtomicBool = AtomicBool::new(false);
/// A signal arrived during a swap.
static DEFERRED: AtomicBool = AtomicBool::new(false);

/// Exit code of an interrupted run (128 + SIGINT, as shells report it).
pub const INTERRUPTED: i32 = 130;

/// Install the handler; called once by the binary.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if SWAPPING.load(Ordering::SeqCst) {
            DEFERRED.store(true, Ordering::SeqCst);
            return;
        }
        clean_up_and_exit();
    });
}

fn clean_up_and_exit() -> ! {
    if let Ok(pending) = PENDING.lock() {
        for (p, dir) in pending.iter().rev() {
            if *dir {
                // The run's threads go on writing into the folder while it is removed: renamed first, no new
                // file can appear in it by its path, so the removal cannot race with them.
                let mut gone = p.clone().into_os_string();
                gone.push(".removing");
                let gone = PathBuf::from(gone);
                let target = if std::fs::rename(p, &gone).is_ok() {
                    &gone
                } else {
                    p
                };
                for _ in 0..5 {
                    if std::fs::remove_dir_all(target).is_ok() || !target.exists() {
                        break;
                    }
                }
            } else {
                let _ = std::fs::remove_file(p);
            }
        }
    }
    eprintln!("steward: interrupted; outputs being written were removed");
    std::process::exit(INTERRUPTED);
}

/// A temporary file to remove if the run is interrupted.
pub fn register(path: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        pending.push((path.to_path_buf(), false));
    }
}

/// A staging folder to remove, with everything in it, if the run is interrupted.
pub fn register_dir(path: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        pending.push((path.to_path_buf(), true));
    }
}

/// The file or folder was renamed into place or removed: nothing to clean up any more.
pub fn unregister(path: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        pending.retain(|(p, _)| p != path);
    }
}

/// Run `swap` (renames that must not be cut in half) with signals deferred until it returns.
pub fn uninterrupted<T>(swap: impl FnOnce() -> T) -> T {
    SWAPPING.store(true, Ordering::SeqCst);
    let out = swap();
    SWAPPING.store(false, Ordering::SeqCst);
    out
}

/// Whether a signal arrived during a swap and is still to be honoured.
pub fn deferred() -> bool {
    DEFERRED.load(Ordering::SeqCst)
}

/// Honour a signal that arrived while a swap was under way: clean up what is still pending and exit 130.
pub fn exit_if_deferred() {
    if deferred() {
        clean_up_and_exit();
    }
}

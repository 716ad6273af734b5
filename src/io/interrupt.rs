//! Interruption safety: when steward is stopped (SIGINT, SIGTERM, SIGHUP), the temporary files and staging
//! folders of outputs being written are removed before it exits with 130, so an interrupted run leaves no
//! partial output and no litter. An output set being moved into place finishes or rolls back first.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Files (`false`) and folders (`true`) to remove on interruption.
static PENDING: Mutex<Vec<(PathBuf, bool)>> = Mutex::new(Vec::new());

/// Held while an output set is swapped into place (renames and the audit entry): a signal waits for it.
static SWAP: Mutex<()> = Mutex::new(());
/// A swap completed: the run's outputs are in place and a later signal has nothing to undo.
static LANDED: AtomicBool = AtomicBool::new(false);
/// The handler is removing what was being written and will exit with 130.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Exit code of an interrupted run (128 + SIGINT, as shells report it).
pub const INTERRUPTED: i32 = 130;

/// Install the handler; called once by the binary.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        // A swap under way finishes (or rolls back) first; the lock also keeps one from starting now.
        let _swap = SWAP.lock();
        if LANDED.load(Ordering::SeqCst) {
            // The outputs are complete and in place: the run ends on its own in a moment.
            return;
        }
        clean_up_and_exit();
    });
}

fn clean_up_and_exit() -> ! {
    STOPPING.store(true, Ordering::SeqCst);
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

/// Run `swap` (renames that must not be cut in half, then the audit entry) with signals waiting until it
/// returns; `landed` says from its result whether the outputs are now in place.
pub fn uninterrupted<T>(swap: impl FnOnce() -> T, landed: impl FnOnce(&T) -> bool) -> T {
    let _swap = SWAP.lock();
    let out = swap();
    if landed(&out) {
        LANDED.store(true, Ordering::SeqCst);
    }
    out
}

/// Called by the binary before it exits on its own: while a signal's clean-up runs, the run's own error (a
/// file that vanished under it) must not win the race to exit; the handler exits with 130.
pub fn wait_if_stopping() {
    while STOPPING.load(Ordering::SeqCst) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

//! Output sets: every file of a run (data, report, manifest) is written into a staging folder beside the
//! destination and moved into place together, with the audit entry appended last, or not at all.
//!
//! The swap, in order: the staging folder is synced; an existing set at the destination is renamed aside
//! (`.NAME.steward-old-PID`); the staging folder (`.NAME.steward-new-PID`) is renamed to the destination; the
//! audit entry is appended; the old set is removed. If the append fails, the new set is taken back out and the
//! old one put back. A crash can leave: a staging folder (nothing was moved yet), or an old set aside with no
//! set at the destination (between the two renames), or an old set aside beside a complete new set. The next
//! run for the same destination removes staging folders of dead processes, puts an old set back when the
//! destination is missing, and removes it otherwise.

use anyhow::Result;
use std::path::{Path, PathBuf};

use super::interrupt;
use crate::error::StewardError;

/// The file that marks a folder as a steward output set (the manifest every set has).
pub const MANIFEST: &str = "manifest.json";
/// The sub-folder for files a steward needs raw (0700, files 0600).
pub const RESTRICTED: &str = "restricted";

/// One file of a set, as recorded when it was written.
#[derive(Debug, Clone)]
pub struct SetFile {
    /// Path relative to the set's folder, with `/` separators.
    pub name: String,
    /// Holds raw personal values.
    pub personal: bool,
    pub rows: Option<u64>,
    /// Size and SHA-256, from the writer that wrote it.
    pub digest: super::digest::Digest,
}

/// A set of outputs being written. Dropped without `commit` (an error, a panic), it removes its staging
/// folder and leaves the destination as it was.
#[derive(Debug)]
pub struct OutputSet {
    dest: PathBuf,
    staging: PathBuf,
    files: Vec<SetFile>,
    /// Mode for files and folders that hold no personal data: 0666/0777 less the umask.
    umask: u32,
    done: bool,
}

fn cant(path: &Path, what: impl std::fmt::Display) -> anyhow::Error {
    StewardError::cant_create(format!("{}: {what}", path.display())).into()
}

fn name_of(dest: &Path) -> Result<String> {
    dest.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .filter(|n| n != ".." && n != ".")
        .ok_or_else(|| cant(dest, "give the output folder a name (not . or ..)"))
}

fn parent_of(dest: &Path) -> PathBuf {
    match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn pid_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Whether `folder` holds a steward output set: its manifest names steward as the tool.
pub fn is_output_set(folder: &Path) -> bool {
    std::fs::read(folder.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .map(|v| v["tool"] == "steward")
        .unwrap_or(false)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}
#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(path)
}

fn sync_dir(path: &Path) {
    // Best effort: a folder's entry survives a crash once the folder itself is synced.
    if let Ok(d) = std::fs::File::open(path) {
        let _ = d.sync_all();
    }
}

/// Remove what crashed runs for `dest` left beside it (see the module's notes).
fn recover(dest: &Path, name: &str) {
    let parent = parent_of(dest);
    let Ok(entries) = std::fs::read_dir(&parent) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().to_string();
        let Some(rest) = file.strip_prefix(&format!(".{name}.steward-")) else {
            continue;
        };
        // A staging folder an interrupted run was removing when it was killed outright.
        let rest = rest.trim_end_matches(".removing");
        let (kind, pid) = match rest.split_once('-') {
            Some((k, p)) => (k, p.parse::<u32>().ok()),
            None => continue,
        };
        match pid {
            Some(pid) if !pid_alive(pid) && pid != std::process::id() => {}
            _ => continue,
        }
        let path = e.path();
        match kind {
            "new" => {
                let _ = std::fs::remove_dir_all(&path);
            }
            "old" if std::fs::symlink_metadata(dest).is_err() => {
                let _ = std::fs::rename(&path, dest);
            }
            "old" => {
                let _ = std::fs::remove_dir_all(&path);
            }
            _ => {}
        }
    }
}

impl OutputSet {
    /// Start a set that will be moved to `dest`. `dest` must be missing, an empty folder, or (with `force`) an
    /// earlier steward output set, which the new set replaces whole. `reserved` are files the run reads (inputs,
    /// key, schema, job): none may be inside the folder being replaced.
    pub fn begin(dest: &Path, force: bool, reserved: &[PathBuf]) -> Result<OutputSet> {
        let name = name_of(dest)?;
        recover(dest, &name);
        match std::fs::metadata(dest) {
            Ok(m) if !m.is_dir() => {
                return Err(cant(
                    dest,
                    "exists and is not a folder; give a folder for the outputs",
                ))
            }
            Ok(_) => {
                let empty = std::fs::read_dir(dest)
                    .map_err(|e| cant(dest, format!("cannot read the output folder: {e}")))?
                    .next()
                    .is_none();
                if !empty {
                    if !is_output_set(dest) {
                        return Err(cant(
                            dest,
                            "is not empty and holds no steward output set (no manifest.json); steward replaces only \
                             its own output sets: choose a new or empty folder",
                        ));
                    }
                    if !force {
                        return Err(cant(
                            dest,
                            "already holds an output set; pass --force to replace it (the whole set is replaced)",
                        ));
                    }
                    let here = std::fs::canonicalize(dest).unwrap_or_else(|_| dest.to_path_buf());
                    for r in reserved {
                        let r = std::fs::canonicalize(r).unwrap_or_else(|_| r.clone());
                        if r.starts_with(&here) {
                            return Err(cant(
                                dest,
                                format!(
                                    "holds {}, which this run reads; replacing the set would remove it",
                                    r.display()
                                ),
                            ));
                        }
                    }
                }
            }
            Err(_) => {}
        }
        let parent = parent_of(dest);
        if !parent.is_dir() {
            return Err(cant(
                dest,
                format!("the folder {} does not exist", parent.display()),
            ));
        }
        let staging = parent.join(format!(".{name}.steward-new-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        create_private_dir(&staging).map_err(|e| {
            cant(
                dest,
                format!("cannot create a staging folder beside it: {e}"),
            )
        })?;
        interrupt::register_dir(&staging);
        let set = OutputSet {
            dest: dest.to_path_buf(),
            staging,
            files: Vec::new(),
            umask: super::write::umask(),
            done: false,
        };
        Ok(set)
    }

    /// The staging folder (private to the run, on the destination's file system): where a run may keep
    /// scratch files, such as a spilled table (`Table::spill`), that never become part of the set.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Where the set will be once committed.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Where a file of the set is written now (inside the staging folder); `restricted/...` names create the
    /// restricted folder (0700) on first use.
    pub fn path(&self, name: &str) -> Result<PathBuf> {
        let p = self.staging.join(name);
        if let Some(dir) = p.parent() {
            if dir != self.staging && !dir.is_dir() {
                create_private_dir(dir)
                    .map_err(|e| cant(&self.dest.join(name), format!("cannot create: {e}")))?;
            }
        }
        Ok(p)
    }

    /// Record a file written at `path(name)`.
    pub fn add(
        &mut self,
        name: &str,
        personal: bool,
        rows: Option<u64>,
        digest: super::digest::Digest,
    ) {
        self.files.retain(|f| f.name != name);
        self.files.push(SetFile {
            name: name.to_string(),
            personal,
            rows,
            digest,
        });
    }

    /// Take a file back out of the record (it was removed from the staging folder).
    pub fn forget(&mut self, name: &str) {
        self.files.retain(|f| f.name != name);
    }

    /// Land the set at another destination beside the first (a run that failed its policy). The new
    /// destination must be free: a set is never moved over anything.
    pub fn retarget(&mut self, dest: &Path) -> Result<()> {
        if std::fs::symlink_metadata(dest).is_ok() {
            return Err(cant(dest, "already exists"));
        }
        if parent_of(dest) != parent_of(&self.dest) {
            return Err(cant(dest, "a set moves only within its folder"));
        }
        self.dest = dest.to_path_buf();
        Ok(())
    }

    pub fn files(&self) -> &[SetFile] {
        &self.files
    }

    /// Whether any file outside `restricted/` holds raw personal values.
    fn open_files_personal(&self) -> bool {
        self.files
            .iter()
            .any(|f| f.personal && !f.name.starts_with(&format!("{RESTRICTED}/")))
    }

    /// Give every file and folder its mode: raw personal data 0600 in a 0700 folder, the rest as the umask says.
    fn settle_modes(&self) -> Result<()> {
        let open_mode = 0o666 & !self.umask;
        for f in &self.files {
            let p = self.staging.join(&f.name);
            let mode = if f.personal { 0o600 } else { open_mode };
            set_mode(&p, mode).map_err(|e| cant(&self.dest.join(&f.name), e))?;
        }
        let folder_mode = if self.open_files_personal() {
            0o700
        } else {
            0o777 & !self.umask
        };
        set_mode(&self.staging, folder_mode).map_err(|e| cant(&self.dest, e))?;
        Ok(())
    }

    /// Move the set into place, then call `record` (the audit entry) with the set's final folder. If `record`
    /// fails, the new set is removed and the old one put back; on success the old one is removed.
    pub fn commit<T>(mut self, record: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
        self.settle_modes()?;
        if let Ok(entries) = std::fs::read_dir(&self.staging) {
            for e in entries.flatten() {
                if e.path().is_dir() {
                    sync_dir(&e.path());
                }
            }
        }
        sync_dir(&self.staging);
        let name = name_of(&self.dest)?;
        let parent = parent_of(&self.dest);
        let old = parent.join(format!(".{name}.steward-old-{}", std::process::id()));
        let dest = self.dest.clone();
        let staging = self.staging.clone();
        let result = interrupt::uninterrupted(
            || -> Result<T> {
                let had_old = match std::fs::symlink_metadata(&dest) {
                    Ok(_) => {
                        let _ = std::fs::remove_dir_all(&old);
                        std::fs::rename(&dest, &old).map_err(|e| {
                            cant(&dest, format!("cannot move the earlier set aside: {e}"))
                        })?;
                        true
                    }
                    Err(_) => false,
                };
                if let Err(e) = std::fs::rename(&staging, &dest) {
                    if had_old {
                        let _ = std::fs::rename(&old, &dest);
                    }
                    return Err(cant(
                        &dest,
                        format!("cannot move the new set into place: {e}"),
                    ));
                }
                sync_dir(&parent);
                interrupt::unregister(&staging);
                match record(&dest) {
                    Ok(v) => {
                        if had_old {
                            let _ = std::fs::remove_dir_all(&old);
                        }
                        Ok(v)
                    }
                    Err(e) => {
                        // Undo: the new set goes back to staging (removed below), the old one back into place.
                        interrupt::register_dir(&staging);
                        let _ = std::fs::rename(&dest, &staging);
                        if had_old {
                            let _ = std::fs::rename(&old, &dest);
                        }
                        sync_dir(&parent);
                        Err(e)
                    }
                }
            },
            |r| r.is_ok(),
        );
        self.done = result.is_ok();
        result
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        interrupt::unregister(&self.staging);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(set: &mut OutputSet, name: &str, text: &str, personal: bool) {
        std::fs::write(set.path(name).unwrap(), text).unwrap();
        set.add(
            name,
            personal,
            None,
            crate::io::digest::Digest::of_bytes(text.as_bytes()),
        );
    }

    fn manifest(set: &mut OutputSet) {
        write(set, MANIFEST, r#"{"tool":"steward"}"#, false);
    }

    #[test]
    fn nothing_appears_until_commit_and_nothing_stays_after_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out");
        {
            let mut set = OutputSet::begin(&dest, false, &[]).unwrap();
            write(&mut set, "a.csv", "x\n", true);
            assert!(!dest.exists());
            // Dropped without commit: an error path.
        }
        assert!(!dest.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no litter"
        );
    }

    #[test]
    fn force_replaces_the_whole_set_and_a_failed_record_puts_the_old_one_back() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out");
        let mut set = OutputSet::begin(&dest, false, &[]).unwrap();
        write(&mut set, "stale.csv", "old\n", false);
        manifest(&mut set);
        set.commit(|_| Ok(())).unwrap();
        assert!(dest.join("stale.csv").exists());

        let err = OutputSet::begin(&dest, false, &[]).unwrap_err();
        assert!(err.to_string().contains("--force"), "{err}");

        let mut set = OutputSet::begin(&dest, true, &[]).unwrap();
        write(&mut set, "new.csv", "new\n", false);
        manifest(&mut set);
        let failed = set.commit(|_| -> Result<()> { anyhow::bail!("audit log full") });
        assert!(failed.is_err());
        assert!(dest.join("stale.csv").exists(), "the old set is back");
        assert!(!dest.join("new.csv").exists());

        let mut set = OutputSet::begin(&dest, true, &[]).unwrap();
        write(&mut set, "new.csv", "new\n", false);
        manifest(&mut set);
        set.commit(|d| {
            assert!(d.join("new.csv").exists(), "in place when recorded");
            Ok(())
        })
        .unwrap();
        assert!(!dest.join("stale.csv").exists(), "no stale file survives");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "only the set"
        );
    }

    #[test]
    fn a_folder_that_is_not_a_set_is_refused_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("home");
        std::fs::create_dir(&dest).unwrap();
        std::fs::write(dest.join("thesis.docx"), "years of work").unwrap();
        let err = OutputSet::begin(&dest, true, &[]).unwrap_err();
        assert!(err.to_string().contains("no steward output set"), "{err}");
        assert_eq!(
            std::fs::read(dest.join("thesis.docx")).unwrap(),
            b"years of work"
        );
    }

    #[test]
    fn a_set_holding_an_input_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out");
        let mut set = OutputSet::begin(&dest, false, &[]).unwrap();
        write(&mut set, "golden.csv", "x\n", true);
        manifest(&mut set);
        set.commit(|_| Ok(())).unwrap();
        let err = OutputSet::begin(&dest, true, &[dest.join("golden.csv")]).unwrap_err();
        assert!(err.to_string().contains("this run reads"), "{err}");
    }

    #[test]
    fn leftovers_of_a_crash_are_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out");
        // A crash between the two renames: the old set aside, nothing at the destination.
        let dead = 999_999_999u32;
        let old = dir.path().join(format!(".out.steward-old-{dead}"));
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join(MANIFEST), r#"{"tool":"steward"}"#).unwrap();
        let staging = dir.path().join(format!(".out.steward-new-{dead}"));
        std::fs::create_dir(&staging).unwrap();
        let set = OutputSet::begin(&dest, true, &[]).unwrap();
        assert!(dest.join(MANIFEST).exists(), "the old set is back in place");
        assert!(!old.exists() && !staging.exists());
        drop(set);
    }

    #[cfg(unix)]
    #[test]
    fn personal_files_are_private_and_restricted_is_0700() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out");
        let mut set = OutputSet::begin(&dest, false, &[]).unwrap();
        write(&mut set, "restricted/rejects.csv", "raw\n", true);
        write(&mut set, "cleaned.csv", "tokens\n", false);
        manifest(&mut set);
        let umask = set.umask;
        set.commit(|_| Ok(())).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dest.join("restricted")), 0o700);
        assert_eq!(mode(&dest.join("restricted/rejects.csv")), 0o600);
        assert_eq!(mode(&dest.join("cleaned.csv")), 0o666 & !umask);
        assert_eq!(mode(&dest), 0o777 & !umask);
    }
}

//! The files one command writes, as one transaction: a data output, its side outputs (findings, rejects,
//! clusters, a token mapping, a receipt) and its manifest appear together or not at all.
//!
//! Each file is written to a temporary file beside its target (the same folder, so the final rename cannot
//! cross file systems). Committing a file's writer only stages it; `Outputs::commit` renames every staged file
//! into place, with signals held off until the last rename. An error or a signal before that removes every
//! temporary file, and no target is touched. The renames themselves are the only step that can leave some
//! files new and some old: a rename in a folder where the run just created a file fails only if the folder
//! is changed under it.
//!
//! Every file is recorded as it is staged (name, absolute path, rows, size, SHA-256 from the writer that
//! wrote it), and the manifest is built from those records, never by reading the files back.

use anyhow::Result;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::digest::Digest;
use super::write::{check_output_path, AtomicFile, Destination, FileIdentity};
use crate::error::StewardError;
use crate::report::FileRecord;

/// A file staged by its writer, waiting for the transaction's renames.
struct Staged {
    name: String,
    target: PathBuf,
    tmp: tempfile::TempPath,
    digest: Digest,
    rows: Option<u64>,
}

/// Where writers of a transaction leave their finished files (shared with each `AtomicFile` opened by it).
#[derive(Clone, Default)]
pub struct Staging(Arc<Mutex<Vec<Staged>>>);

impl Staging {
    pub(crate) fn stage(
        &self,
        name: String,
        target: PathBuf,
        tmp: tempfile::TempPath,
        digest: Digest,
        rows: Option<u64>,
    ) {
        let mut staged = self.0.lock().unwrap_or_else(|e| e.into_inner());
        staged.push(Staged {
            name,
            target,
            tmp,
            digest,
            rows,
        });
    }
}

impl Drop for Outputs {
    fn drop(&mut self) {
        // Not committed: the temporary files go (TempPath removes its file when dropped).
        let mut staged = self.staging.0.lock().unwrap_or_else(|e| e.into_inner());
        for s in staged.drain(..) {
            super::interrupt::unregister(&s.tmp);
        }
    }
}

/// The outputs of one command. Open each file through it; `commit` lands them all.
pub struct Outputs {
    force: bool,
    /// Inputs and files the run reads, and the outputs planned so far: none may be written over.
    reserved: Vec<(String, FileIdentity)>,
    /// Targets opened so far (absolute), so two outputs never name the same file.
    targets: Vec<PathBuf>,
    staging: Staging,
    /// The table `-o URL` loads (`--out-table`, `--if-exists`).
    db_target: crate::io::db::DbTarget,
    /// Database loads done and waiting for `commit`.
    loads: crate::io::db::PendingLoads,
}

/// A path made absolute without requiring the file to exist (its folder must).
fn absolute(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::canonicalize(&dir).unwrap_or(dir).join(name)
}

impl Outputs {
    /// `inputs`: every file the command reads (sources, requests, labels...), by identity.
    pub fn new(force: bool, inputs: &[(String, FileIdentity)]) -> Outputs {
        Outputs {
            force,
            reserved: inputs.to_vec(),
            targets: Vec::new(),
            staging: Staging::default(),
            db_target: Default::default(),
            loads: Default::default(),
        }
    }

    /// The table a database named to `open` is loaded into (`--out-table`, `--if-exists`).
    pub fn with_db_target(mut self, target: crate::io::db::DbTarget) -> Outputs {
        self.db_target = target;
        self
    }

    pub fn force(&self) -> bool {
        self.force
    }

    /// The files the outputs may not be written over.
    pub fn reserved(&self) -> &[(String, FileIdentity)] {
        &self.reserved
    }

    /// Check `path` as an output of this run: not an input, not another output of it, `--force` to replace.
    fn claim(&mut self, path: &str) -> Result<()> {
        if crate::io::db::is_database(path) {
            return Err(StewardError::usage(format!(
                "{}: only the data output (-o) can be a database table; name a file here",
                crate::io::db::redact(path)
            ))
            .into());
        }
        let p = Path::new(path);
        check_output_path(p, self.force, &self.reserved)?;
        let abs = absolute(p);
        if self.targets.contains(&abs) {
            return Err(StewardError::usage(format!(
                "{path}: named for two outputs of this command; give each its own file"
            ))
            .into());
        }
        self.targets.push(abs);
        Ok(())
    }

    /// A destination for the output called `name` (its role in the manifest: `output`, `findings`...):
    /// `-` is stdout, a device or pipe is written as it is, a file lands with the transaction (0600).
    pub fn open(&mut self, name: &str, path: &str) -> Result<Destination> {
        if crate::io::db::is_database(path) {
            if self.db_target.table.is_none() {
                return Err(StewardError::usage(format!(
                    "{}: name the table to write with --out-table TABLE (and --if-exists replace or append \
                     when it exists)",
                    crate::io::db::redact(path)
                ))
                .into());
            }
            return Ok(Destination::Database(super::write::DbPlan {
                name: name.to_string(),
                arg: path.to_string(),
                target: self.db_target.clone(),
                pending: self.loads.clone(),
            }));
        }
        if path == "-" || is_special(Path::new(path)) {
            return Destination::open(path, self.force, &self.reserved);
        }
        Ok(Destination::File(self.file(name, path)?))
    }

    /// `open`, for an output without raw personal values: a file gets the umask's mode.
    pub fn open_shareable(&mut self, name: &str, path: &str) -> Result<Destination> {
        let mut d = self.open(name, path)?;
        if let Destination::File(f) = &mut d {
            f.make_shareable();
        }
        Ok(d)
    }

    /// `open` for a file that must never go to a terminal or pipe (a token mapping): a regular file, 0600.
    pub fn open_private(&mut self, name: &str, path: &str) -> Result<Destination> {
        if path == "-" || is_special(Path::new(path)) {
            return Err(StewardError::usage(format!(
                "{path}: this file holds personal data and is written only to a regular file (created with mode 0600)"
            ))
            .into());
        }
        Ok(Destination::File(self.file(name, path)?))
    }

    /// A file of the transaction written directly (a receipt, metadata): `commit` on it stages it.
    pub fn file(&mut self, name: &str, path: &str) -> Result<AtomicFile> {
        if is_special(Path::new(path)) {
            // Written to as it is, outside the transaction (there is nothing to rename).
            return AtomicFile::device(Path::new(path));
        }
        self.claim(path)?;
        let mut f = AtomicFile::create(Path::new(path))?;
        f.stage_in(self.staging.clone(), name);
        Ok(f)
    }

    /// What has been staged so far, as the manifest records it.
    pub fn records(&self) -> Vec<FileRecord> {
        let staged = self.staging.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut records = self.loads.records();
        records.extend(staged.iter().map(|s| FileRecord {
            name: s.name.clone(),
            path: absolute(&s.target).display().to_string(),
            bytes: s.digest.bytes,
            sha256: s.digest.sha256.clone(),
            rows: s.rows,
        }));
        records
    }

    /// Whether a file called `name` has been staged.
    pub fn has(&self, name: &str) -> bool {
        let staged = self.staging.0.lock().unwrap_or_else(|e| e.into_inner());
        staged.iter().any(|s| s.name == name) || self.loads.records().iter().any(|r| r.name == name)
    }

    /// Rename every staged file into place, signals held off until the last. Returns the records of what
    /// landed.
    pub fn commit(self) -> Result<Vec<FileRecord>> {
        let records = self.records();
        let staged: Vec<Staged> = {
            let mut s = self.staging.0.lock().unwrap_or_else(|e| e.into_inner());
            s.drain(..).collect()
        };
        let loads = self.loads.clone();
        super::interrupt::uninterrupted(
            || -> Result<()> {
                // The database loads first: if one cannot commit, no file lands either.
                loads.commit()?;
                for s in staged {
                    let tmp_path = s.tmp.to_path_buf();
                    let landed = s.tmp.persist(&s.target);
                    super::interrupt::unregister(&tmp_path);
                    landed.map_err(|e| {
                        StewardError::cant_create(format!(
                            "{}: cannot write: {}",
                            s.target.display(),
                            e.error
                        ))
                    })?;
                }
                Ok(())
            },
            |r| r.is_ok(),
        )?;
        Ok(records)
    }
}

fn is_special(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| !m.is_file() && !m.is_dir())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn nothing_lands_until_commit_and_nothing_stays_without_it() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.json");
        {
            let mut out = Outputs::new(false, &[]);
            let mut f = out.file("a", a.to_str().unwrap()).unwrap();
            f.write_all(b"x,y\n").unwrap();
            f.commit().unwrap();
            assert!(!a.exists(), "a staged file is not in place yet");
            // Dropped without commit: no file, no temporary file.
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

        let mut out = Outputs::new(false, &[]);
        let mut f = out.file("a", a.to_str().unwrap()).unwrap();
        f.write_all(b"x,y\n").unwrap();
        f.commit().unwrap();
        let mut g = out.file("b", b.to_str().unwrap()).unwrap();
        g.write_all(b"{}").unwrap();
        g.commit().unwrap();
        let records = out.commit().unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"x,y\n");
        assert_eq!(std::fs::read(&b).unwrap(), b"{}");
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].sha256, Digest::of_bytes(b"x,y\n").sha256);
        assert_eq!(records[1].bytes, 2);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn one_file_cannot_be_two_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let mut out = Outputs::new(false, &[]);
        let _f = out.file("a", a.to_str().unwrap()).unwrap();
        let same = format!("{}/./a.csv", dir.path().display());
        assert!(out.file("b", &same).is_err());
    }
}

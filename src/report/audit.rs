//! The audit log: one JSON line per run, chained to the line before (`seq`, `prev`), carrying its own hash
//! and, when the run had a key, a seal (`mac`, `key_id`); refusing files it must not touch, appending, verifying.
//!
//! An entry's `hash` is the SHA-256 of its canonical JSON (members sorted by key, no whitespace) without
//! `hash` and `mac`; it covers `seq` and `prev`, and the next entry's `prev` is this `hash`. The seal is
//! HMAC-SHA256 over the same text under a key derived from the run's key for the audit log alone
//! (`Key::derive`), so whoever can edit the file but holds no key cannot re-seal an edited entry, the last one
//! included. Entries written before entries carried a hash (no `hash`, no `mac`) chain by the SHA-256 of their
//! line and still verify, as unsealed. Truncating the log is caught only against a head anchored elsewhere
//! (`--expect-head`, `--expect-entries`).

use anyhow::Result;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::Sha256;
use std::io::{Read, Seek, Write};
use std::path::{Component, Path, PathBuf};

use super::{sha256_bytes, sha256_file};
use crate::error::{ExitCode, StewardError};
use crate::io::write::FileIdentity;
use crate::privacy::key::Key;

/// The `prev` of the first entry (64 zeros), and the head of an empty log.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The purpose the sealing key is derived for: never the run's key itself, and unrelated to its token keys.
const SEAL_PURPOSE: &str = "audit-log";

/// The text an entry's hash and seal are computed over: its canonical JSON without `hash` and `mac`.
fn sealed_text(entry: &Map<String, Value>) -> String {
    let mut out = String::new();
    out.push('{');
    let mut first = true;
    for (k, v) in sorted(entry) {
        if k == "hash" || k == "mac" {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        write_member(k, v, &mut out);
    }
    out.push('}');
    out
}

/// An entry's own hash: SHA-256 (hex) over its canonical JSON without `hash` and `mac`.
pub fn entry_hash(entry: &Map<String, Value>) -> String {
    sha256_bytes(sealed_text(entry).as_bytes())
}

/// Canonical JSON: object members sorted by key (by their UTF-8 bytes), no whitespace, strings and numbers as
/// serde_json writes them. The same value gives the same text whatever the member order it was built or
/// parsed in, so a hash over it does not depend on serde_json's map type.
pub fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn sorted(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut members: Vec<(&String, &Value)> = m.iter().collect();
    members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    members
}

fn write_member(k: &str, v: &Value, out: &mut String) {
    write_canonical(&Value::String(k.to_string()), out);
    out.push(':');
    write_canonical(v, out);
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, v)) in sorted(m).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_member(k, v, out);
            }
            out.push('}');
        }
        // Scalars have one serde_json form already (strings escaped the one way serde_json escapes them).
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The sealing key of one run key: derived for the audit log, wiped when dropped, never shown.
struct Seal {
    key: [u8; 32],
    key_id: String,
}

impl Seal {
    fn new(key: &Key) -> Seal {
        Seal {
            key: key.derive(SEAL_PURPOSE),
            key_id: key.id(),
        }
    }

    fn mac(&self) -> Hmac<Sha256> {
        <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes a key of any length")
    }

    fn seal(&self, text: &str) -> String {
        let mut m = self.mac();
        m.update(text.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    /// Whether `mac` (hex) seals `text`, compared in constant time.
    fn verifies(&self, text: &str, mac: &str) -> bool {
        let Ok(tag) = hex::decode(mac) else {
            return false;
        };
        let mut m = self.mac();
        m.update(text.as_bytes());
        m.verify_slice(&tag).is_ok()
    }
}

impl Drop for Seal {
    fn drop(&mut self) {
        for b in self.key.iter_mut() {
            // SAFETY: a volatile write to a valid byte we own exclusively; wipes key material.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

/// What `AuditLog::append` wrote: the entry's number and its own hash (the log's new head).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppendedEntry {
    pub seq: u64,
    pub hash: String,
}

/// An audit log checked for a run before the run writes anything, and appended to once it is done.
pub struct AuditLog {
    path: PathBuf,
    seal: Option<Seal>,
    reserved: Vec<(String, FileIdentity)>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("path", &self.path)
            .field("sealed_with", &self.seal.as_ref().map(|s| &s.key_id))
            .finish()
    }
}

fn refuse(path: &Path, why: impl std::fmt::Display) -> anyhow::Error {
    StewardError::cant_create(format!("{}: {why}", path.display())).into()
}

/// The reason a cause of an I/O error gives, without the "(os error N)" tail.
fn reason(e: &std::io::Error) -> String {
    let msg = e.to_string();
    msg.split(" (os error").next().unwrap_or(&msg).to_string()
}

/// A path made absolute, with `.`, `..` and links resolved as far as the file or its folder exists, so two
/// spellings of one file compare equal even when the file is not there yet.
fn normal_path(p: &Path) -> PathBuf {
    if let Ok(full) = std::fs::canonicalize(p) {
        return full;
    }
    if let (Some(dir), Some(name)) = (p.parent(), p.file_name()) {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = std::fs::canonicalize(dir) {
            return d.join(name);
        }
    }
    // Not even the folder exists: resolve `.` and `..` by the text alone.
    let abs = std::env::current_dir().unwrap_or_default().join(p);
    let mut lexical = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    lexical
}

/// Whether a line is a steward audit entry: a JSON object with a sequence number and a 64-hex `prev`.
fn is_entry(line: &str) -> bool {
    let Ok(Value::Object(m)) = serde_json::from_str::<Value>(line) else {
        return false;
    };
    m.get("seq").and_then(Value::as_u64).is_some()
        && m.get("prev")
            .and_then(Value::as_str)
            .map(|p| p.len() == 64 && p.bytes().all(|b| b.is_ascii_hexdigit()))
            .unwrap_or(false)
}

fn entry_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim().is_empty())
}

/// The hash the next entry carries as `prev` for this line: its own `hash`, or for an entry written before
/// entries carried one (or a line that is no entry), the SHA-256 of the line.
fn digest_of(line: &str) -> String {
    if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(line) {
        if let Some(h) = m.get("hash").and_then(Value::as_str) {
            return h.to_string();
        }
    }
    sha256_bytes(line.as_bytes())
}

fn is_sealed(line: &str) -> bool {
    matches!(serde_json::from_str::<Value>(line), Ok(Value::Object(m)) if m.contains_key("mac"))
}

/// Whether the process may write `path` (checked with the permissions it runs with; creates nothing).
#[cfg(unix)]
fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated path that outlives the call; access(2) only reads it.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(not(unix))]
fn writable(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| !m.permissions().readonly())
        .unwrap_or(false)
}

impl AuditLog {
    /// Checks everything that can be checked before the run writes anything: not a reserved file (inputs, key,
    /// schema/policy/job files, outputs; by device+inode and by path for files not yet created), an existing
    /// file is an audit log, the folder/file is writable. Creates nothing.
    ///
    /// A reserved folder (an output set's) reserves every file in it. A log that already holds sealed
    /// entries needs a key (`seal`): a sealed log stays sealed, or an edited last entry could pass as an
    /// unsealed one. Refusals exit 73 (2 for the missing key), one line naming the file.
    pub fn open(
        path: &Path,
        seal: Option<&Key>,
        reserved: &[(String, FileIdentity)],
    ) -> Result<AuditLog> {
        let log = AuditLog {
            path: path.to_path_buf(),
            seal: seal.map(Seal::new),
            reserved: reserved.to_vec(),
        };
        if path.as_os_str() == "-" || path.file_name().is_none() {
            return Err(refuse(path, "the audit log is a file: give its name"));
        }
        log.check_not_reserved(FileIdentity::of(path))?;
        match std::fs::symlink_metadata(path) {
            Ok(_) => {
                let meta = std::fs::metadata(path).map_err(|e| {
                    refuse(
                        path,
                        format!("cannot use it as the audit log: {}", reason(&e)),
                    )
                })?;
                if !meta.is_file() {
                    return Err(refuse(path, "not a regular file, so not an audit log"));
                }
                let mut text = Vec::new();
                std::fs::File::open(path)
                    .and_then(|mut f| f.read_to_end(&mut text))
                    .map_err(|e| {
                        refuse(path, format!("cannot read the audit log: {}", reason(&e)))
                    })?;
                log.check_content(&text)?;
                if !writable(path) {
                    return Err(refuse(
                        path,
                        "cannot append to the audit log: permission denied",
                    ));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                if !dir.is_dir() {
                    return Err(refuse(
                        path,
                        format!(
                            "cannot create the audit log: the folder {} does not exist",
                            dir.display()
                        ),
                    ));
                }
                if !writable(dir) {
                    return Err(refuse(
                        path,
                        format!(
                            "cannot create the audit log: the folder {} is not writable",
                            dir.display()
                        ),
                    ));
                }
            }
            Err(e) => {
                return Err(refuse(
                    path,
                    format!("cannot use it as the audit log: {}", reason(&e)),
                ));
            }
        }
        Ok(log)
    }

    /// The log's path, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Refuse a log that is a file the run reads or writes, by device and inode when it exists (`id`) and
    /// by path (for outputs that do not exist yet, which have no device and inode to compare). A reserved
    /// folder (an output set's) reserves every file in it.
    fn check_not_reserved(&self, id: Option<FileIdentity>) -> Result<()> {
        let mine = normal_path(&self.path);
        let hit = self.reserved.iter().find(|(p, rid)| {
            let theirs = normal_path(Path::new(p));
            id.map(|id| !rid.is_planned() && *rid == id)
                .unwrap_or(false)
                || theirs == mine
                || (Path::new(p).is_dir() && mine.starts_with(&theirs))
        });
        match hit {
            None => Ok(()),
            Some((p, _)) => {
                let what = if Path::new(p) == self.path {
                    "this run reads or writes it".to_string()
                } else {
                    format!("it is {p}, which this run reads or writes")
                };
                Err(refuse(
                    &self.path,
                    format!("not used as the audit log: {what} (an input, the key, schema, policy or job file, or an output), and steward never appends to those; give another file"),
                ))
            }
        }
    }

    /// An existing log must be empty or start with a steward audit entry, and a sealed one needs a key.
    fn check_content(&self, bytes: &[u8]) -> Result<()> {
        let not_a_log = || {
            refuse(
                &self.path,
                "exists and is not a steward audit log (its first line is not an audit entry); give a new file or an existing audit log",
            )
        };
        let text = std::str::from_utf8(bytes).map_err(|_| not_a_log())?;
        if let Some(first) = entry_lines(text).next() {
            if !is_entry(first) {
                return Err(not_a_log());
            }
        }
        if self.seal.is_none() && entry_lines(text).any(is_sealed) {
            return Err(StewardError::usage(format!(
                "{}: the audit log is sealed, and a sealed log takes only sealed entries: pass --key-file or set {} (the key it was sealed with, or its successor)",
                self.path.display(),
                crate::privacy::key::KEY_ENV
            ))
            .into());
        }
        Ok(())
    }

    /// Appends one entry (a JSON object); returns its seq and hash. Durable (fsync) before returning.
    ///
    /// The log sets `seq`, `prev`, `hash`, and `key_id` and `mac` (the run's key id and the seal, or null and
    /// nothing when the run had no key), replacing whatever the entry had under those names. The file is
    /// locked while the entry is chained and written, so runs appending at once each get their own `seq`. A
    /// failed write is cut off again: the log is left as it was.
    pub fn append(&self, entry: Value) -> Result<AppendedEntry> {
        let Value::Object(mut entry) = entry else {
            return Err(StewardError::new(
                ExitCode::Software,
                "an audit entry must be a JSON object",
            )
            .into());
        };
        let path = &self.path;
        let existed = std::fs::symlink_metadata(path).is_ok();
        let mut f = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| {
                refuse(
                    path,
                    format!("cannot append to the audit log: {}", reason(&e)),
                )
            })?;
        let result = self.append_locked(&mut f, &mut entry, existed);
        if result.is_err() && !existed {
            // The file was created for this entry; nothing of it is left.
            let _ = std::fs::remove_file(path);
        }
        result
    }

    fn append_locked(
        &self,
        f: &mut std::fs::File,
        entry: &mut Map<String, Value>,
        existed: bool,
    ) -> Result<AppendedEntry> {
        let path = &self.path;
        let io_err = |e: std::io::Error| {
            refuse(
                path,
                format!("cannot append to the audit log: {}", reason(&e)),
            )
        };
        f.lock().map_err(io_err)?;
        // Checked again on the open file: the path may have been pointed elsewhere since `open`.
        self.check_not_reserved(FileIdentity::of_file(f))?;
        if !f.metadata().map_err(io_err)?.is_file() {
            return Err(refuse(path, "not a regular file, so not an audit log"));
        }
        let mut bytes = Vec::new();
        f.seek(std::io::SeekFrom::Start(0)).map_err(io_err)?;
        f.read_to_end(&mut bytes).map_err(io_err)?;
        self.check_content(&bytes)?;
        let text = std::str::from_utf8(&bytes).expect("checked to be UTF-8");
        let seq = entry_lines(text).count() as u64 + 1;
        let prev = entry_lines(text)
            .last()
            .map(digest_of)
            .unwrap_or_else(|| GENESIS.to_string());

        entry.remove("hash");
        entry.remove("mac");
        entry.insert("seq".into(), seq.into());
        entry.insert("prev".into(), prev.into());
        entry.insert(
            "key_id".into(),
            self.seal.as_ref().map(|s| s.key_id.clone()).into(),
        );
        let signed = sealed_text(entry);
        let hash = sha256_bytes(signed.as_bytes());
        entry.insert("hash".into(), hash.clone().into());
        if let Some(seal) = &self.seal {
            entry.insert("mac".into(), seal.seal(&signed).into());
        }
        let mut line = Vec::new();
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            line.push(b'\n');
        }
        line.extend_from_slice(canonical_json(&Value::Object(entry.clone())).as_bytes());
        line.push(b'\n');

        let before = bytes.len() as u64;
        let written = f.write_all(&line).and_then(|_| f.sync_all());
        if let Err(e) = written {
            // Cut off what part of the line reached the file, so the log stays as it was.
            let _ = f.set_len(before).and_then(|_| f.sync_all());
            return Err(io_err(e));
        }
        if !existed {
            // A new file is durable only once its folder's entry for it is.
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(AppendedEntry { seq, hash })
    }
}

/// One problem found by verifying an audit log; `line` is `None` for the log as a whole.
#[derive(Debug, Clone, Serialize)]
pub struct Break {
    pub line: Option<usize>,
    pub problem: String,
}

/// What `verify` checks beyond the chain and the entries' own hashes.
#[derive(Default)]
pub struct VerifyOptions<'a> {
    /// Keys whose seals are checked (several across a key rotation); none: seals are not checked.
    pub keys: &'a [Key],
    /// Check that every output an entry records still has its recorded SHA-256.
    pub check_outputs: bool,
    /// The head (the last entry's hash) anchored elsewhere.
    pub expect_head: Option<&'a str>,
    /// The number of entries anchored elsewhere.
    pub expect_entries: Option<u64>,
}

/// The result of verifying an audit log.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub entries: u64,
    /// The last entry's hash (what the next entry will carry as `prev`); 64 zeros for an empty log.
    pub head: String,
    pub sealed: u64,
    pub unsealed: u64,
    /// Unsealed entries written before entries carried their own hash.
    pub legacy: u64,
    /// Whether seals were checked (keys were given).
    pub seals_checked: bool,
    /// The ids of the keys seals were checked with.
    pub key_ids: Vec<String>,
    pub empty: bool,
    pub ok: bool,
    pub breaks: Vec<Break>,
}

/// Verify an audit log: the chain (`seq`, `prev`), each entry's own hash and written form, with keys each
/// seal, and (with `check_outputs`) that every recorded output is unchanged; then the anchors, if given.
pub fn verify(text: &str, opts: &VerifyOptions) -> Verification {
    let seals: Vec<Seal> = opts.keys.iter().map(Seal::new).collect();
    let mut breaks = Vec::new();
    let mut at = |line: usize, problem: String| {
        breaks.push(Break {
            line: Some(line),
            problem,
        })
    };
    let mut prev = GENESIS.to_string();
    let (mut entries, mut sealed, mut unsealed, mut legacy) = (0u64, 0u64, 0u64, 0u64);
    let (mut seen_hash, mut seen_seal) = (false, false);
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        entries += 1;
        let obj = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(m)) => m,
            Ok(_) => {
                at(n, "not an audit entry: not a JSON object".into());
                prev = sha256_bytes(line.as_bytes());
                continue;
            }
            Err(e) => {
                at(n, format!("not a JSON entry: {e}"));
                prev = sha256_bytes(line.as_bytes());
                continue;
            }
        };
        if obj.get("seq").and_then(Value::as_u64) != Some(entries) {
            at(
                n,
                format!(
                    "sequence number {} where {entries} was expected",
                    obj.get("seq").unwrap_or(&Value::Null)
                ),
            );
        }
        if obj.get("prev").and_then(Value::as_str) != Some(prev.as_str()) {
            at(n, "the chain is broken here: this entry does not carry the hash of the entry before it (an entry was removed, edited or inserted)".into());
        }
        let signed = sealed_text(&obj);
        let key_id = obj.get("key_id").and_then(Value::as_str);
        // The digest the next entry must carry: the hash this entry claims, so that one edited entry is
        // reported once, here, and not again at the next line.
        let digest = match obj.get("hash") {
            Some(Value::String(claimed)) => {
                seen_hash = true;
                if *claimed != sha256_bytes(signed.as_bytes()) {
                    at(
                        n,
                        "the entry's own hash does not match its content: the entry was edited"
                            .into(),
                    );
                } else if canonical_json(&Value::Object(obj.clone())) != line {
                    at(n, "the entry is not written as steward writes entries (whitespace, member order or a repeated member changed by hand)".into());
                }
                claimed.clone()
            }
            Some(_) => {
                at(n, "the entry's hash is not a hash".into());
                sha256_bytes(line.as_bytes())
            }
            None => {
                if seen_hash {
                    at(n, "the entry has no hash of its own, but follows entries that do (its hash removed?)".into());
                } else if obj.contains_key("mac") {
                    at(n, "the entry is sealed but has no hash of its own".into());
                } else {
                    legacy += 1;
                }
                sha256_bytes(line.as_bytes())
            }
        };
        match obj.get("mac") {
            Some(mac) => {
                sealed += 1;
                seen_seal = true;
                match (mac.as_str(), key_id) {
                    (None, _) => at(n, "the entry's seal is not a seal".into()),
                    (Some(_), None) => at(n, "the entry is sealed but names no key (key_id)".into()),
                    (Some(_), Some(_)) if seals.is_empty() => {}
                    (Some(mac), Some(id)) => match seals.iter().find(|s| s.key_id == id) {
                        None => at(
                            n,
                            format!("the entry is sealed with key {id}, and no key given has that id (pass that key's --key-file too)"),
                        ),
                        Some(seal) if !seal.verifies(&signed, mac) => at(
                            n,
                            format!("the entry's seal does not match it under key {id}: the entry was edited after it was sealed"),
                        ),
                        Some(_) => {}
                    },
                }
            }
            None => {
                unsealed += 1;
                if seen_seal {
                    at(n, "the entry is not sealed, but follows sealed entries: a sealed log stays sealed (its seal removed?)".into());
                } else if let (Some(id), true) = (key_id, obj.contains_key("hash")) {
                    at(
                        n,
                        format!("the entry names key {id} but carries no seal (its seal removed?)"),
                    );
                }
            }
        }
        if opts.check_outputs {
            for o in obj
                .get("outputs")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let (Some(path), Some(want)) = (o["path"].as_str(), o["sha256"].as_str()) else {
                    continue;
                };
                match sha256_file(Path::new(path)) {
                    None => at(n, format!("output {path} is missing or unreadable")),
                    Some(got) if got != want => at(
                        n,
                        format!(
                            "output {path} changed since the run (SHA-256 {}… recorded, {}… now)",
                            &want[..12.min(want.len())],
                            &got[..12]
                        ),
                    ),
                    Some(_) => {}
                }
            }
        }
        prev = digest;
    }
    let mut whole = |problem: String| {
        breaks.push(Break {
            line: None,
            problem,
        })
    };
    match opts.expect_entries {
        None if entries == 0 => whole(
            "the log is empty: it has no entries (pass --expect-entries 0 if none are expected)"
                .into(),
        ),
        Some(want) if want != entries && entries == 0 => whole(format!(
            "the log is empty where {want} entries were expected: it was emptied"
        )),
        Some(want) if want != entries => whole(format!(
            "{entries} entries where {want} were expected: entries were {} the end",
            if entries < want {
                "removed from"
            } else {
                "added at"
            }
        )),
        _ => {}
    }
    if let Some(want) = opts.expect_head {
        if !want.trim().eq_ignore_ascii_case(&prev) {
            whole(format!(
                "the head is {prev} where {} was expected: the last entry was removed or edited, or entries were added since the head was anchored",
                want.trim()
            ));
        }
    }
    Verification {
        entries,
        head: prev,
        sealed,
        unsealed,
        legacy,
        seals_checked: !seals.is_empty(),
        key_ids: seals.iter().map(|s| s.key_id.clone()).collect(),
        empty: entries == 0,
        ok: breaks.is_empty(),
        breaks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!("an object"),
        }
    }

    #[test]
    fn canonical_json_sorts_members_at_every_depth_without_whitespace() {
        let a: Value = serde_json::from_str(
            r#"{ "b": 1, "a": { "d": [1, "x\"y", 2.5], "c": null }, "é": true }"#,
        )
        .unwrap();
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"c":null,"d":[1,"x\"y",2.5]},"b":1,"é":true}"#
        );
        let b: Value =
            serde_json::from_str(r#"{"é":true,"a":{"c":null,"d":[1,"x\"y",2.5]},"b":1}"#).unwrap();
        assert_eq!(canonical_json(&a), canonical_json(&b));
        // Keys by their UTF-8 bytes: upper case before lower case, ASCII before the rest.
        assert_eq!(
            canonical_json(&json!({"b": 0, "B": 0, "ä": 0, "a": 0})),
            r#"{"B":0,"a":0,"b":0,"ä":0}"#
        );
        // A canonical text parses back to itself.
        let text = canonical_json(&a);
        assert_eq!(canonical_json(&serde_json::from_str(&text).unwrap()), text);
    }

    #[test]
    fn entry_hash_is_sha256_of_the_canonical_text_without_hash_and_mac() {
        let e = obj(json!({"seq": 1, "prev": GENESIS, "command": "clean", "rows_rejected": 218}));
        let text =
            format!(r#"{{"command":"clean","prev":"{GENESIS}","rows_rejected":218,"seq":1}}"#);
        assert_eq!(entry_hash(&e), sha256_bytes(text.as_bytes()));
        // The same figure as `printf %s TEXT | sha256sum`.
        assert_eq!(
            entry_hash(&e),
            "70dc4cc139025131997d3d7e311a4f6860a95da2610f3203ed2c9ea350effa2e"
        );
        // `hash` and `mac` are left out; every other member, `seq` and `prev` included, counts.
        let mut with = e.clone();
        with.insert("hash".into(), json!("ab"));
        with.insert("mac".into(), json!("cd"));
        assert_eq!(entry_hash(&with), entry_hash(&e));
        for (k, v) in [
            ("seq", json!(2)),
            ("prev", json!("1".repeat(64))),
            ("rows_rejected", json!(2)),
            ("key_id", json!("kid_0")),
        ] {
            let mut changed = e.clone();
            changed.insert(k.into(), v);
            assert_ne!(entry_hash(&changed), entry_hash(&e), "{k}");
        }
    }

    #[test]
    fn the_seal_uses_a_key_derived_for_the_audit_log_not_the_run_key() {
        let key = Key::for_tests(&[1; 32]);
        let seal = Seal::new(&key);
        let text = r#"{"seq":1}"#;
        let mut raw = key.mac();
        raw.update(text.as_bytes());
        assert_ne!(seal.seal(text), hex::encode(raw.finalize().into_bytes()));
        assert_eq!(seal.key, key.derive("audit-log"));
        assert!(seal.verifies(text, &seal.seal(text)));
        assert!(!seal.verifies(r#"{"seq":2}"#, &seal.seal(text)));
        let other = Seal::new(&Key::for_tests(&[2; 32]));
        assert!(!other.verifies(text, &seal.seal(text)));
        assert!(!format!(
            "{:?}",
            AuditLog {
                path: "a".into(),
                seal: Some(seal),
                reserved: vec![]
            }
        )
        .contains("0101"));
    }

    fn log_in(dir: &tempfile::TempDir, seal: Option<&Key>) -> (PathBuf, AuditLog) {
        let path = dir.path().join("audit.jsonl");
        let log = AuditLog::open(&path, seal, &[]).unwrap();
        (path, log)
    }

    #[test]
    fn appended_entries_chain_by_their_hashes_and_verify() {
        let dir = tempfile::tempdir().unwrap();
        let key = Key::for_tests(&[1; 32]);
        let (path, log) = log_in(&dir, Some(&key));
        assert!(!path.exists(), "open creates nothing");
        let mut heads = Vec::new();
        for i in 0..3 {
            // What the caller passes under the log's own names is replaced.
            let a = log
                .append(json!({"command": "clean", "rows_in": i, "seq": 99, "hash": "x", "key_id": "kid_x"}))
                .unwrap();
            assert_eq!(a.seq, i + 1);
            heads.push(a.hash);
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let second: Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(second["prev"], heads[0].as_str());
        assert_eq!(second["key_id"], key.id().as_str());
        let keys = [key];
        let opts = VerifyOptions {
            keys: &keys,
            ..Default::default()
        };
        let v = verify(&text, &opts);
        assert!(v.ok, "{:?}", v.breaks);
        assert_eq!((v.entries, v.sealed, v.unsealed), (3, 3, 0));
        assert_eq!(v.head, heads[2]);

        let removed = format!("{}\n{}\n", lines[0], lines[2]);
        let v = verify(&removed, &opts);
        assert_eq!(v.breaks[0].line, Some(2));
        // An edit without re-hashing is reported once, at the edited line.
        let edited = text.replace("\"rows_in\":1", "\"rows_in\":7");
        let v = verify(&edited, &opts);
        assert_eq!(v.breaks.len(), 2, "{:?}", v.breaks);
        assert!(v.breaks.iter().all(|b| b.line == Some(2)), "{:?}", v.breaks);
    }

    #[test]
    fn an_unsealed_log_chains_and_a_sealed_log_needs_a_key() {
        let dir = tempfile::tempdir().unwrap();
        let (path, log) = log_in(&dir, None);
        log.append(json!({"command": "clean"})).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("\"key_id\":null") && !text.contains("\"mac\""),
            "{text}"
        );
        let v = verify(&text, &VerifyOptions::default());
        assert!(v.ok && v.unsealed == 1 && v.legacy == 0, "{v:?}");

        let key = Key::for_tests(&[1; 32]);
        AuditLog::open(&path, Some(&key), &[])
            .unwrap()
            .append(json!({"command": "clean"}))
            .unwrap();
        let err = AuditLog::open(&path, None, &[]).unwrap_err();
        assert!(err.to_string().contains("sealed"), "{err}");
        // An unsealed entry after a sealed one is a problem: it could be a sealed one with its seal removed.
        let sealed = std::fs::read_to_string(&path).unwrap();
        let mut e: Value = serde_json::from_str(sealed.lines().nth(1).unwrap()).unwrap();
        e["seq"] = json!(3);
        e["prev"] = e["hash"].clone();
        let m = e.as_object_mut().unwrap();
        m.remove("mac");
        m.insert("key_id".into(), Value::Null);
        let h = entry_hash(m);
        m.insert("hash".into(), h.into());
        let forged = format!("{sealed}{}\n", canonical_json(&e));
        let v = verify(&forged, &VerifyOptions::default());
        assert_eq!(v.breaks.len(), 1, "{:?}", v.breaks);
        assert!(v.breaks[0].problem.contains("follows sealed entries"));
    }

    #[test]
    fn open_refuses_reserved_files_and_files_that_are_no_log() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        std::fs::write(&input, "id\n1\n").unwrap();
        let reserved = crate::io::write::reserved_files(&[
            input.display().to_string(),
            dir.path().join("out/report.json").display().to_string(),
        ]);
        assert!(reserved[1].1.is_planned());
        let err = AuditLog::open(&input, None, &reserved).unwrap_err();
        assert_eq!(crate::error::exit_code_of(&err), ExitCode::CantCreate);
        std::fs::create_dir(dir.path().join("out")).unwrap();
        let planned = dir.path().join("out/./../out/report.json");
        assert!(AuditLog::open(&planned, None, &reserved).is_err());
        // A reserved folder reserves what is in it.
        let folder =
            crate::io::write::reserved_files(&[dir.path().join("out").display().to_string()]);
        assert!(AuditLog::open(&dir.path().join("out/audit.jsonl"), None, &folder).is_err());
        assert!(AuditLog::open(&dir.path().join("audit.jsonl"), None, &folder).is_ok());
        // Not reserved, but not an audit log either.
        let err = AuditLog::open(&input, None, &[]).unwrap_err();
        assert!(err.to_string().contains("not a steward audit log"), "{err}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "id\n1\n");
        // A folder is no log; an empty file is one, with no entries yet.
        assert!(AuditLog::open(dir.path(), None, &[]).is_err());
        let empty = dir.path().join("empty.jsonl");
        std::fs::write(&empty, "").unwrap();
        AuditLog::open(&empty, None, &[])
            .unwrap()
            .append(json!({}))
            .unwrap();
        assert!(
            verify(
                &std::fs::read_to_string(&empty).unwrap(),
                &VerifyOptions::default()
            )
            .ok
        );
    }

    #[test]
    fn a_line_not_in_the_written_form_is_reported() {
        let e = obj(json!({"seq": 1, "prev": GENESIS, "rows_rejected": 218}));
        let h = entry_hash(&e);
        let canonical =
            format!(r#"{{"hash":"{h}","prev":"{GENESIS}","rows_rejected":218,"seq":1}}"#);
        assert!(verify(&canonical, &VerifyOptions::default()).ok);
        // A repeated member: the parser keeps the last, a reader may see the first.
        let twice = canonical.replacen('{', r#"{"rows_rejected":2,"#, 1);
        let v = verify(&twice, &VerifyOptions::default());
        assert!(!v.ok);
        assert!(v.breaks[0]
            .problem
            .contains("not written as steward writes"));
    }

    #[test]
    fn anchors_and_an_empty_log() {
        let v = verify("", &VerifyOptions::default());
        assert!(v.empty && !v.ok && v.head == GENESIS);
        let zero = VerifyOptions {
            expect_entries: Some(0),
            expect_head: Some(GENESIS),
            ..Default::default()
        };
        assert!(verify("\n", &zero).ok);
        let e = obj(json!({"seq": 1, "prev": GENESIS}));
        let h = entry_hash(&e);
        let line = format!(r#"{{"hash":"{h}","prev":"{GENESIS}","seq":1}}"#);
        let v = verify(&line, &zero);
        assert_eq!(v.breaks.len(), 2, "{:?}", v.breaks);
        let right = VerifyOptions {
            expect_entries: Some(1),
            expect_head: Some(&h),
            ..Default::default()
        };
        assert!(verify(&line, &right).ok);
    }
}

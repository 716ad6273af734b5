//! Evidence of a run: the manifest (inputs and outputs with sizes and SHA-256, counts, parameters), the
//! hash-chained audit log, and the HTML rendering of a report.

pub mod figures;
pub mod html;
pub mod profile;

use anyhow::Result;
use serde::Serialize;
use std::io::{Read, Write};
use std::path::Path;

use crate::error::StewardError;

/// Digests computed while files were streamed (read from start to end, or written), with the size and
/// modification time the file had then. A manifest reuses them while the file is unchanged instead of reading
/// hundreds of megabytes a second time.
static KNOWN_DIGESTS: std::sync::Mutex<
    Vec<(std::path::PathBuf, u64, std::time::SystemTime, String)>,
> = std::sync::Mutex::new(Vec::new());

/// Record the SHA-256 of a file's whole content (`bytes` long), computed by whoever streamed it.
pub fn remember_sha256(path: &Path, bytes: u64, digest: String) {
    let (Ok(full), Ok(meta)) = (std::fs::canonicalize(path), std::fs::metadata(path)) else {
        return;
    };
    if meta.len() != bytes {
        // Changed while it was read: the digest is of no version of the file.
        return;
    }
    let Ok(modified) = meta.modified() else {
        return;
    };
    if let Ok(mut known) = KNOWN_DIGESTS.lock() {
        known.retain(|k| k.0 != full);
        known.push((full, meta.len(), modified, digest));
    }
}

fn known_sha256(path: &Path) -> Option<String> {
    let full = std::fs::canonicalize(path).ok()?;
    let meta = std::fs::metadata(&full).ok()?;
    let modified = meta.modified().ok()?;
    let known = KNOWN_DIGESTS.lock().ok()?;
    known
        .iter()
        .find(|k| k.0 == full && k.1 == meta.len() && k.2 == modified)
        .map(|k| k.3.clone())
}

/// SHA-256 of a file, streamed (or remembered from streaming it); `None` when it cannot be read.
pub fn sha256_file(path: &Path) -> Option<String> {
    use sha2::Digest;
    if let Some(d) = known_sha256(path) {
        return Some(d);
    }
    let mut f = std::fs::File::open(path).ok()?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Some(hex::encode(h.finalize()))
}

pub fn sha256_bytes(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(b))
}

/// One file of a run, as recorded.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct FileRecord {
    pub name: String,
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rows: Option<u64>,
}

impl FileRecord {
    /// Record a file as it is now (absolute path, size, hash).
    pub fn of(name: &str, path: &Path, rows: Option<u64>) -> Option<FileRecord> {
        let meta = std::fs::metadata(path).ok()?;
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Some(FileRecord {
            name: name.to_string(),
            path: abs.display().to_string(),
            bytes: meta.len(),
            sha256: sha256_file(path)?,
            rows,
        })
    }
}

/// The command line as run, with the values of secret-bearing options removed (keys never come from the
/// command line, but environment-style `KEY=...` arguments are redacted all the same).
pub fn redacted_argv() -> Vec<String> {
    let mut out = Vec::new();
    let mut hide_next = false;
    for a in std::env::args() {
        if hide_next {
            out.push("[redacted]".to_string());
            hide_next = false;
            continue;
        }
        let lower = a.to_ascii_lowercase();
        if lower.contains("key=") || lower.contains("secret") || lower.contains("password") {
            out.push("[redacted]".to_string());
        } else {
            if lower == "--key" || lower == "--secret" || lower == "--password" {
                hide_next = true;
            }
            out.push(a);
        }
    }
    out
}

/// The hash a chained entry carries for the one before it (64 zeros for the first).
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Append one entry (a JSON object) to a hash-chained audit log: each line carries the SHA-256 of the line
/// before it (`prev`) and its number (`seq`), so removing, editing or inserting a line breaks the chain.
pub fn append_audit(log: &Path, mut entry: serde_json::Value) -> Result<u64> {
    let existing = match std::fs::read(log) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            return Err(StewardError::cant_create(format!(
                "{}: cannot read the audit log: {e}",
                log.display()
            ))
            .into())
        }
    };
    let text = String::from_utf8(existing).map_err(|_| {
        StewardError::data(format!(
            "{}: the audit log is not UTF-8 text",
            log.display()
        ))
    })?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let prev = lines
        .last()
        .map(|l| sha256_bytes(l.as_bytes()))
        .unwrap_or_else(|| GENESIS.to_string());
    let seq = lines.len() as u64 + 1;
    if let Some(obj) = entry.as_object_mut() {
        obj.insert("seq".into(), seq.into());
        obj.insert("prev".into(), prev.into());
    }
    let line = serde_json::to_string(&entry)?;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| {
            StewardError::cant_create(format!(
                "{}: cannot append to the audit log: {e}",
                log.display()
            ))
        })?;
    let needs_newline = !text.is_empty() && !text.ends_with('\n');
    let mut buf = Vec::new();
    if needs_newline {
        buf.push(b'\n');
    }
    buf.extend_from_slice(line.as_bytes());
    buf.push(b'\n');
    f.write_all(&buf).and_then(|_| f.sync_all()).map_err(|e| {
        StewardError::cant_create(format!(
            "{}: cannot append to the audit log: {e}",
            log.display()
        ))
    })?;
    Ok(seq)
}

/// One problem found by verifying an audit log.
#[derive(Debug, Clone, Serialize)]
pub struct Break {
    pub line: usize,
    pub problem: String,
}

/// Verify an audit log's chain and (unless `chain_only`) that each entry's outputs still have their hashes.
pub fn verify_audit(text: &str, chain_only: bool) -> (usize, Vec<Break>) {
    let mut breaks = Vec::new();
    let mut prev = GENESIS.to_string();
    let mut entries = 0usize;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        entries += 1;
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                breaks.push(Break {
                    line: n,
                    problem: format!("not a JSON entry: {e}"),
                });
                prev = sha256_bytes(line.as_bytes());
                continue;
            }
        };
        if v["prev"].as_str() != Some(prev.as_str()) {
            breaks.push(Break {
                line: n,
                problem: "the chain is broken here: this entry does not carry the hash of the entry before it (an entry was removed, edited or inserted)".into(),
            });
        }
        if v["seq"].as_u64() != Some(entries as u64) {
            breaks.push(Break {
                line: n,
                problem: format!("sequence number {} where {entries} was expected", v["seq"]),
            });
        }
        if !chain_only {
            for o in v["outputs"].as_array().into_iter().flatten() {
                let (Some(path), Some(want)) = (o["path"].as_str(), o["sha256"].as_str()) else {
                    continue;
                };
                match sha256_file(Path::new(path)) {
                    None => breaks.push(Break {
                        line: n,
                        problem: format!("output {path} is missing or unreadable"),
                    }),
                    Some(got) if got != want => breaks.push(Break {
                        line: n,
                        problem: format!(
                            "output {path} changed since the run (SHA-256 {}… recorded, {}… now)",
                            &want[..12.min(want.len())],
                            &got[..12]
                        ),
                    }),
                    Some(_) => {}
                }
            }
        }
        prev = sha256_bytes(line.as_bytes());
    }
    (entries, breaks)
}

/// Write `OUT.manifest.json` beside a command's main output: tool version, command line (redacted), start and
/// end time, every input and output with size and SHA-256, row counts and other figures, the key id if any.
/// Nothing is written when the main output is stdout or a device.
pub fn write_manifest(
    command: &str,
    started: chrono::DateTime<chrono::Local>,
    inputs: &[String],
    outputs: &[(&str, &str)],
    counts: serde_json::Value,
    key_id: Option<String>,
) -> Result<Option<std::path::PathBuf>> {
    let Some((_, main)) = outputs.first() else {
        return Ok(None);
    };
    let main_path = Path::new(main);
    if *main == "-"
        || !std::fs::metadata(main_path)
            .map(|m| m.is_file())
            .unwrap_or(false)
    {
        return Ok(None);
    }
    let target = std::path::PathBuf::from(format!("{main}.manifest.json"));
    let ins: Vec<FileRecord> = inputs
        .iter()
        .filter(|p| p.as_str() != "-")
        .filter_map(|p| FileRecord::of("input", Path::new(p), None))
        .collect();
    let outs: Vec<FileRecord> = outputs
        .iter()
        .filter(|(_, p)| *p != "-")
        .filter_map(|(name, p)| FileRecord::of(name, Path::new(p), None))
        .collect();
    let m = serde_json::json!({
        "tool": "steward",
        "version": env!("CARGO_PKG_VERSION"),
        "command": command,
        "command_line": redacted_argv(),
        "started": started.to_rfc3339(),
        "finished": chrono::Local::now().to_rfc3339(),
        "inputs": ins,
        "outputs": outs,
        "counts": counts,
        "key_id": key_id,
    });
    let mut f = crate::io::write::AtomicFile::create(&target)?;
    f.make_shareable();
    serde_json::to_writer_pretty(f.file(), &m)?;
    std::io::Write::write_all(f.file(), b"\n")?;
    f.commit()?;
    Ok(Some(target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_detects_removed_and_edited_entries() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("audit.jsonl");
        for i in 0..3 {
            append_audit(&log, serde_json::json!({"command": "clean", "rows_in": i})).unwrap();
        }
        let text = std::fs::read_to_string(&log).unwrap();
        let (n, b) = verify_audit(&text, true);
        assert_eq!(n, 3);
        assert!(b.is_empty());
        let lines: Vec<&str> = text.lines().collect();
        let removed = format!("{}\n{}\n", lines[0], lines[2]);
        let (_, b) = verify_audit(&removed, true);
        assert_eq!(b[0].line, 2);
        let edited = text.replace("\"rows_in\":1", "\"rows_in\":7");
        let (_, b) = verify_audit(&edited, true);
        assert_eq!(b.len(), 1);
        assert_eq!(
            b[0].line, 3,
            "the entry after the edited one no longer chains"
        );
    }
}

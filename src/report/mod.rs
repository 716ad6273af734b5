//! Evidence of a run: the manifest (inputs and outputs with sizes and SHA-256, counts, parameters), the
//! audit log (in `audit`), and the HTML rendering of a report.

pub mod audit;
pub mod figures;
pub mod html;
pub mod profile;

use anyhow::Result;
use serde::Serialize;
use std::io::Read;
use std::path::Path;

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

/// An input as a manifest lists it: a path, and for text the encoding it was read with.
pub trait ManifestInput {
    fn path(&self) -> &str;
    /// The encoding's name and how it was chosen (`given` or `detected`).
    fn encoding(&self) -> Option<(&str, &str)> {
        None
    }
}

impl ManifestInput for String {
    fn path(&self) -> &str {
        self
    }
}

/// An input file with the encoding its text was read with (`None` for a workbook).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadInput {
    pub path: String,
    pub encoding: Option<(String, &'static str)>,
}

impl ManifestInput for ReadInput {
    fn path(&self) -> &str {
        &self.path
    }
    fn encoding(&self) -> Option<(&str, &str)> {
        self.encoding.as_ref().map(|(e, how)| (e.as_str(), *how))
    }
}

/// Write `OUT.manifest.json` beside a command's main output: tool version, command line (redacted), start and
/// end time, every input and output with size and SHA-256, row counts and other figures, the key id if any.
/// Nothing is written when the main output is stdout or a device.
pub fn write_manifest<I: ManifestInput>(
    command: &str,
    started: chrono::DateTime<chrono::Local>,
    inputs: &[I],
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
    let ins: Vec<serde_json::Value> = inputs
        .iter()
        .filter(|i| i.path() != "-")
        .filter_map(|i| {
            let rec = FileRecord::of("input", Path::new(i.path()), None)?;
            let mut v = serde_json::to_value(rec).ok()?;
            if let (Some((name, how)), Some(obj)) = (i.encoding(), v.as_object_mut()) {
                obj.insert("encoding".into(), name.into());
                obj.insert("encoding_how".into(), how.into());
            }
            Some(v)
        })
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

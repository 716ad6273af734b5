//! Evidence of a run: the manifest (inputs and outputs with sizes and SHA-256, counts, parameters), the
//! audit log (in `audit`), and the HTML rendering of a report.

pub mod audit;
pub mod evidence;
pub mod figures;
pub mod html;
pub mod profile;
pub mod review_html;

use anyhow::Result;
use serde::Serialize;
use std::path::Path;

pub use crate::io::digest::{sha256_bytes, sha256_file};

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
    /// Record an input as it is now (absolute path, size, hash): with the digest its reader took while the
    /// file is unchanged, else read now.
    pub fn input(path: &Path, read: Option<&crate::io::digest::ReadDigest>) -> Option<FileRecord> {
        let digest = match read {
            Some(r) => r.get(path)?,
            None => crate::io::digest::Digest::of_file(path)?,
        };
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Some(FileRecord {
            name: "input".to_string(),
            path: abs.display().to_string(),
            bytes: digest.bytes,
            sha256: digest.sha256,
            rows: None,
        })
    }
}

/// The command line as run, with the values of secret-bearing options removed (keys never come from the
/// command line, but environment-style `KEY=...` arguments are redacted all the same).
pub fn redacted_argv() -> Vec<String> {
    let mut out = Vec::new();
    let mut hide_next = false;
    for a in std::env::args() {
        // A password inside a database URL (refused on the command line, but never recorded either).
        let a = crate::io::db::redact(&a);
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
    /// The digest its reader took, if it read the whole file.
    fn digest(&self) -> Option<&crate::io::digest::ReadDigest> {
        None
    }
}

impl ManifestInput for String {
    fn path(&self) -> &str {
        self
    }
}

/// An input file with the encoding its text was read with (`None` for a workbook).
#[derive(Debug, Clone)]
pub struct ReadInput {
    pub path: String,
    pub encoding: Option<(String, &'static str)>,
    pub digest: crate::io::digest::ReadDigest,
}

impl ManifestInput for ReadInput {
    fn path(&self) -> &str {
        &self.path
    }
    fn encoding(&self) -> Option<(&str, &str)> {
        self.encoding.as_ref().map(|(e, how)| (e.as_str(), *how))
    }
    fn digest(&self) -> Option<&crate::io::digest::ReadDigest> {
        Some(&self.digest)
    }
}

/// Stage `OUT.manifest.json` beside a command's main output (the file staged as `main`) in its transaction:
/// tool version, command line (redacted), start and end time, every input and output with size and SHA-256
/// (as their readers and writers took them), row counts and other figures, the key id if any. Nothing is
/// written when the main output is stdout, a device or a database table.
#[allow(clippy::too_many_arguments)]
pub fn write_manifest<I: ManifestInput>(
    out: &mut crate::io::outputs::Outputs,
    main: &str,
    command: &str,
    started: chrono::DateTime<chrono::Local>,
    inputs: &[I],
    counts: serde_json::Value,
    key_id: Option<String>,
) -> Result<Option<std::path::PathBuf>> {
    let outs = out.records();
    let Some(main_record) = outs.iter().find(|r| r.name == main) else {
        return Ok(None);
    };
    if crate::io::db::is_database(&main_record.path) {
        // A table has no folder to hold a manifest beside it (as stdout has none).
        return Ok(None);
    }
    let target = std::path::PathBuf::from(format!("{}.manifest.json", main_record.path));
    let mut ins: Vec<serde_json::Value> = Vec::new();
    for i in inputs.iter().filter(|i| i.path() != "-") {
        let Some(rec) = FileRecord::input(Path::new(i.path()), i.digest()) else {
            continue;
        };
        // One entry per file (the sheets of a workbook are one input).
        if ins.iter().any(|v| v["path"] == rec.path.as_str()) {
            continue;
        }
        let mut v = serde_json::to_value(rec)?;
        if let (Some((name, how)), Some(obj)) = (i.encoding(), v.as_object_mut()) {
            obj.insert("encoding".into(), name.into());
            obj.insert("encoding_how".into(), how.into());
        }
        ins.push(v);
    }
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
    let mut f = out.file("manifest", &target.display().to_string())?;
    f.make_shareable();
    serde_json::to_writer_pretty(&mut f, &m)?;
    std::io::Write::write_all(&mut f, b"\n")?;
    f.commit()?;
    Ok(Some(target))
}

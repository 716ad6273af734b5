//! What a file holds, as evidence: its size and SHA-256, computed while it is written or read, so a manifest
//! never reads hundreds of megabytes a second time and no process-wide registry of hashes is needed.

use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use std::io::{Read, Write};
use std::path::Path;

/// Size and SHA-256 (hex) of a file's whole content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    pub bytes: u64,
    pub sha256: String,
}

impl Digest {
    pub fn of_bytes(b: &[u8]) -> Digest {
        Digest {
            bytes: b.len() as u64,
            sha256: sha256_bytes(b),
        }
    }

    /// Read a file from start to end; `None` when it cannot be read.
    pub fn of_file(path: &Path) -> Option<Digest> {
        let mut f = std::fs::File::open(path).ok()?;
        let mut h = Hasher::default();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = f.read(&mut buf).ok()?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
        Some(h.finish())
    }
}

/// A running SHA-256 with the count of bytes hashed.
#[derive(Clone, Default)]
pub struct Hasher {
    h: sha2::Sha256,
    bytes: u64,
}

impl Hasher {
    pub fn update(&mut self, b: &[u8]) {
        self.h.update(b);
        self.bytes += b.len() as u64;
    }

    pub fn finish(self) -> Digest {
        Digest {
            bytes: self.bytes,
            sha256: hex::encode(self.h.finalize()),
        }
    }
}

/// A writer that hashes what passes through it.
pub struct HashingWriter<W: Write> {
    inner: W,
    hasher: std::sync::Arc<std::sync::Mutex<Hasher>>,
}

impl<W: Write> HashingWriter<W> {
    /// The writer, and a handle that gives the digest of everything written once writing is over.
    pub fn new(inner: W) -> (HashingWriter<W>, DigestHandle) {
        let hasher = std::sync::Arc::new(std::sync::Mutex::new(Hasher::default()));
        (
            HashingWriter {
                inner,
                hasher: hasher.clone(),
            },
            DigestHandle(hasher),
        )
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(b)?;
        if let Ok(mut h) = self.hasher.lock() {
            h.update(&b[..n]);
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The digest of what a `HashingWriter` wrote.
pub struct DigestHandle(std::sync::Arc<std::sync::Mutex<Hasher>>);

impl DigestHandle {
    pub fn digest(&self) -> Digest {
        self.0
            .lock()
            .map(|h| h.clone().finish())
            .unwrap_or_else(|e| e.into_inner().clone().finish())
    }
}

/// The digest of a source taken while it was read from start to end, with the file's size and modification
/// time then: a manifest uses it only while the file is unchanged, and reads the file itself otherwise.
#[derive(Debug, Clone, Default)]
pub struct ReadDigest(
    std::sync::Arc<std::sync::OnceLock<(Digest, Option<std::time::SystemTime>, bool)>>,
);

impl ReadDigest {
    /// Keep `d` as the digest of `path`, unless the file's size says it changed while it was read.
    pub fn set(&self, path: &Path, d: Digest) {
        let Ok(meta) = std::fs::metadata(path) else {
            return;
        };
        if meta.len() == d.bytes {
            let _ = self.0.set((d, meta.modified().ok(), false));
        }
    }

    /// Keep `d` as the digest of rows read from something other than a file (a database table): the
    /// bytes steward read, as CSV text, since there is no file to hash again.
    pub fn set_rows(&self, d: Digest) {
        let _ = self.0.set((d, None, true));
    }

    /// The digest of `path` as it is now: the one taken while reading if the file is unchanged since, else
    /// read now; `None` when the file cannot be read.
    pub fn get(&self, path: &Path) -> Option<Digest> {
        if let Some((d, modified, rows)) = self.0.get() {
            if *rows {
                return Some(d.clone());
            }
            let meta = std::fs::metadata(path).ok()?;
            if meta.len() == d.bytes && meta.modified().ok() == *modified {
                return Some(d.clone());
            }
        }
        Digest::of_file(path)
    }
}

pub fn sha256_bytes(b: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(b))
}

/// SHA-256 of a file read from start to end (`audit verify` checks files against their entries this way).
pub fn sha256_file(path: &Path) -> Option<String> {
    Digest::of_file(path).map(|d| d.sha256)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_of_hashing_agrees() {
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let whole = Digest::of_bytes(&data);
        let (mut w, handle) = HashingWriter::new(Vec::new());
        for chunk in data.chunks(7777) {
            w.write_all(chunk).unwrap();
        }
        assert_eq!(handle.digest(), whole);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, &data).unwrap();
        assert_eq!(Digest::of_file(&p), Some(whole.clone()));
        assert_eq!(whole.bytes, 3_000_000);
        assert_eq!(
            Digest::of_bytes(b"abc").sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

//! Secret keys for tokens, encryption and erasure receipts: 256 bits or more, from a file only its owner
//! can read or from the `STEWARD_KEY` environment variable, never from the command line. A key is never
//! printed, logged or written anywhere but its own file; its id (a keyed fingerprint) names it instead.

use anyhow::Result;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::Path;

use crate::error::StewardError;

/// The environment variable a key may come from (hex, 64 characters or more).
pub const KEY_ENV: &str = "STEWARD_KEY";

/// The least key length accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 32;

/// A secret key. Its bytes are wiped when dropped, and `Debug` never shows them.
pub struct Key {
    bytes: Vec<u8>,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({})", self.id())
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        for b in self.bytes.iter_mut() {
            // SAFETY: a volatile write to a valid, aligned, exclusively borrowed byte; it keeps the compiler
            // from removing the wipe as a dead store.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

/// Why a key's bytes are not what a random generator makes, if they are not. Each pattern below has a
/// chance under 2^-40 for 32 random bytes, so a real key is never refused: fewer than 8 distinct bytes
/// (all zeros, one byte repeated), a repetition of its first half or shorter (a pasted block twice), bytes in
/// arithmetic progression (00 01 02 ..., counting patterns), or printable ASCII only (a passphrase in hex).
pub fn weakness(bytes: &[u8]) -> Option<&'static str> {
    let mut seen = [false; 256];
    for &b in bytes {
        seen[b as usize] = true;
    }
    if seen.iter().filter(|s| **s).count() < 8 {
        return Some("it has fewer than 8 distinct bytes, e.g. all zeros");
    }
    let n = bytes.len();
    if (1..=n / 2).any(|p| bytes.iter().skip(p).zip(bytes).all(|(a, b)| a == b)) {
        return Some("it repeats a shorter block");
    }
    let step = bytes[1].wrapping_sub(bytes[0]);
    if bytes.windows(2).all(|w| w[1].wrapping_sub(w[0]) == step) {
        return Some("its bytes count up or down in equal steps");
    }
    if bytes.iter().all(|b| (0x20..0x7f).contains(b)) {
        return Some("it is printable text, not random bytes");
    }
    None
}

impl Key {
    /// A new random 256-bit key from the operating system's generator.
    pub fn generate() -> Result<Key> {
        let mut bytes = vec![0u8; MIN_KEY_BYTES];
        getrandom::getrandom(&mut bytes).map_err(|e| {
            StewardError::new(
                crate::error::ExitCode::Software,
                format!("the system random generator failed: {e}"),
            )
        })?;
        Ok(Key { bytes })
    }

    /// A key from its text form: hex digits (at least 64), surrounding whitespace ignored.
    pub fn from_text(text: &str, origin: &str) -> Result<Key> {
        let t = text.trim();
        if t.is_empty() {
            return Err(StewardError::usage(format!("{origin}: the key is empty")).into());
        }
        let bytes = hex::decode(t).map_err(|_| {
            StewardError::usage(format!(
                "{origin}: a key is written as hex digits (create one with `steward key new FILE`)"
            ))
        })?;
        if bytes.len() < MIN_KEY_BYTES {
            return Err(StewardError::usage(format!(
                "{origin}: the key has {} bits; at least 256 are required (create one with `steward key new FILE`)",
                bytes.len() * 8
            ))
            .into());
        }
        if let Some(why) = weakness(&bytes) {
            return Err(StewardError::usage(format!(
                "{origin}: refusing a weak key ({why}); create a random one with `steward key new FILE`"
            ))
            .into());
        }
        Ok(Key { bytes })
    }

    /// A key from raw bytes without the strength checks: unit tests' fixed keys.
    #[cfg(test)]
    pub(crate) fn for_tests(bytes: &[u8]) -> Key {
        Key {
            bytes: bytes.to_vec(),
        }
    }

    /// Read a key file, refusing one that other users can read or write.
    pub fn load_file(path: &Path) -> Result<Key> {
        let origin = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| {
            StewardError::no_input(format!("{origin}: cannot read the key file: {e}"))
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(StewardError::usage(format!(
                    "{origin}: the key file can be read or written by other users (mode {mode:03o}); run `chmod 600 {origin}`"
                ))
                .into());
            }
        }
        if !meta.is_file() {
            return Err(StewardError::usage(format!("{origin}: not a regular file")).into());
        }
        crate::io::write::note_read(path);
        let text = std::fs::read_to_string(path).map_err(|e| {
            StewardError::no_input(format!("{origin}: cannot read the key file: {e}"))
        })?;
        Key::from_text(&text, &origin)
    }

    /// The key from `--key-file`, else from `STEWARD_KEY`; `None` when neither is set.
    pub fn from_args(key_file: Option<&Path>) -> Result<Option<Key>> {
        if let Some(p) = key_file {
            return Key::load_file(p).map(Some);
        }
        match std::env::var(KEY_ENV) {
            Ok(v) => Key::from_text(&v, KEY_ENV).map(Some),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(StewardError::usage(format!(
                "{KEY_ENV}: the key is written as hex digits"
            ))
            .into()),
        }
    }

    /// Like `from_args`, but a key is required for what the command does.
    pub fn required(key_file: Option<&Path>, what: &str) -> Result<Key> {
        Key::from_args(key_file)?.ok_or_else(|| {
            StewardError::usage(format!(
                "{what} needs a key: pass --key-file FILE or set {KEY_ENV} (create one with `steward key new FILE`)"
            ))
            .into()
        })
    }

    /// The text written to a key file.
    pub fn to_file_text(&self) -> String {
        format!("{}\n", hex::encode(&self.bytes))
    }

    /// The key's bytes, for MACs computed without the `hmac` crate (tokens); never printed or written.
    pub(crate) fn secret(&self) -> &[u8] {
        &self.bytes
    }

    /// A keyed MAC initialised with this key, to be cloned per message.
    pub fn mac(&self) -> Hmac<Sha256> {
        <Hmac<Sha256> as Mac>::new_from_slice(&self.bytes).expect("HMAC takes a key of any length")
    }

    /// 32 bytes derived from the key for one purpose; different purposes give unrelated bytes.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut m = self.mac();
        m.update(b"steward-derive-v1\0");
        m.update(purpose.as_bytes());
        m.finalize().into_bytes().into()
    }

    /// The key's id: a fingerprint derived with the key itself, so it reveals nothing of it, yet tells
    /// whether two outputs were made with the same key.
    pub fn id(&self) -> String {
        let d = self.derive("key-id");
        format!("kid_{}", hex::encode(&d[..8]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_malformed_keys_are_refused() {
        assert!(Key::from_text(&"ab".repeat(31), "t").is_err());
        assert!(Key::from_text("not hex at all", "t").is_err());
        assert!(Key::from_text("", "t").is_err());
        assert!(
            Key::from_text(&"ab".repeat(32), "t").is_err(),
            "one byte repeated"
        );
        assert!(Key::from_text(&"00".repeat(32), "t").is_err(), "all zeros");
        let counting: String = (0u8..32).map(|b| format!("{b:02x}")).collect();
        assert!(Key::from_text(&counting, "t").is_err(), "counting");
        let half = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
        assert!(
            Key::from_text(&half.repeat(2), "t").is_err(),
            "a block twice"
        );
        assert!(
            Key::from_text(&hex::encode("correct horse battery staple ok!"), "t").is_err(),
            "text"
        );
        assert!(Key::from_text(
            "0581691fa8477839c940f8e2bd625b5d6c0526100de3651e3f36bdd7ac03a157",
            "t"
        )
        .is_ok());
        for _ in 0..1000 {
            let k = Key::generate().unwrap();
            assert_eq!(weakness(&k.bytes), None, "a random key is never refused");
        }
    }

    #[test]
    fn key_id_is_stable_and_does_not_contain_the_key() {
        let k = Key::for_tests(&[1; 32]);
        assert_eq!(k.id(), Key::for_tests(&[1; 32]).id());
        assert_ne!(k.id(), Key::for_tests(&[2; 32]).id());
        assert!(!k.id().contains("0101"));
        assert!(!format!("{k:?}").contains("0101"));
    }

    #[test]
    fn generated_keys_differ() {
        let a = Key::generate().unwrap();
        let b = Key::generate().unwrap();
        assert_ne!(a.to_file_text(), b.to_file_text());
        assert_eq!(a.to_file_text().trim().len(), 64);
    }
}

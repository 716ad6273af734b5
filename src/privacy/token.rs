//! Keyed tokens and deterministic encryption of field values.
//!
//! A token is HMAC-SHA256 over (version, domain, field kind, normalized value), truncated to 128 bits and
//! written as hex behind a field prefix: `em_3f9a…`. The value is normalized first, so `A@X.com` and
//! `a@x.com `, or two ways of writing one phone number, give one token; the same key and domain give the same
//! token in every file and run (joins still work), another key or domain gives unrelated tokens. Plain
//! unkeyed hashes are not offered: phone numbers and known emails can be enumerated.
//!
//! Encryption is AES-SIV (RFC 5297), deterministic and reversible by whoever holds the key:
//! `enc_<base64url>`, with the domain as associated data.

use aes_siv::aead::KeyInit;
use aes_siv::siv::Aes256Siv;
use anyhow::Result;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::key::Key;
use crate::error::StewardError;
use crate::fields;
use crate::schema::FieldKind;

/// Recorded with every output: tokens match only when key, domain and this version all agree.
pub const TOKEN_VERSION: &str = "steward-token-v1";
/// The normalization applied before tokenizing (bump when it changes).
pub const NORMALIZATION_VERSION: &str = "n1";
/// Token length in bytes (128 bits).
const TOKEN_BYTES: usize = 16;
/// The prefix of encrypted values.
pub const ENC_PREFIX: &str = "enc_";

/// The prefix naming what a token stands for.
pub fn token_prefix(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Email => "em_",
        FieldKind::Phone => "ph_",
        FieldKind::CnId => "ri_",
        FieldKind::Name => "nm_",
        FieldKind::Id => "id_",
        FieldKind::Address => "ad_",
        FieldKind::Date | FieldKind::Datetime => "dt_",
        _ => "tk_",
    }
}

/// The form of a value that is tokenized: what makes two spellings of one identifier equal.
/// `region` is the phone region (the row's country, else the default region).
pub fn token_input(kind: FieldKind, raw: &str, region: Option<&str>) -> String {
    match kind {
        FieldKind::Email => fields::email::check_email(raw).value.to_lowercase(),
        FieldKind::Phone => {
            let c = fields::phone::check_phone(raw, region);
            if c.issues.iter().any(|i| i.rule == "phone-invalid") {
                // Not a number libphonenumber accepts: its digits still identify it.
                digits(&c.value)
            } else {
                c.value
            }
        }
        // Cleaned, upper-case X, 15-digit legacy numbers upgraded to 18 (the date only matters for findings).
        FieldKind::CnId => fields::cn_id::check_cn_id(raw, chrono::NaiveDate::MAX)
            .0
            .value
            .to_uppercase(),
        FieldKind::Id => fields::text::clean_text(raw),
        _ => fields::text::clean_text(raw).to_lowercase(),
    }
}

fn digits(s: &str) -> String {
    let n = fields::nfkc(s);
    let d: String = n.chars().filter(|c| c.is_ascii_digit()).collect();
    if n.trim_start().starts_with('+') {
        format!("+{d}")
    } else {
        d
    }
}

/// Makes tokens and encrypts values with one key and domain.
pub struct Protector {
    mac: Hmac<Sha256>,
    siv_key: [u8; 64],
    domain: String,
}

impl Drop for Protector {
    fn drop(&mut self) {
        for b in self.siv_key.iter_mut() {
            // SAFETY: a volatile write to a valid byte we own exclusively; wipes key material.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

impl Protector {
    pub fn new(key: &Key, domain: &str) -> Protector {
        let mut siv_key = [0u8; 64];
        siv_key[..32].copy_from_slice(&key.derive("aes-siv-mac"));
        siv_key[32..].copy_from_slice(&key.derive("aes-siv-enc"));
        Protector {
            mac: key.mac(),
            siv_key,
            domain: domain.to_string(),
        }
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The token of an already normalized value (see `token_input`).
    pub fn token_of_normalized(&self, kind: FieldKind, normalized: &str) -> String {
        let mut m = self.mac.clone();
        m.update(TOKEN_VERSION.as_bytes());
        m.update(&[0]);
        m.update(self.domain.as_bytes());
        m.update(&[0]);
        m.update(kind.as_str().as_bytes());
        m.update(&[0]);
        m.update(normalized.as_bytes());
        let tag = m.finalize().into_bytes();
        let prefix = token_prefix(kind);
        let mut out = String::with_capacity(prefix.len() + TOKEN_BYTES * 2);
        out.push_str(prefix);
        out.push_str(&hex::encode(&tag[..TOKEN_BYTES]));
        out
    }

    /// The token of a raw value; empty values stay empty (a token of nothing would join all blanks).
    pub fn token(&self, kind: FieldKind, raw: &str, region: Option<&str>) -> String {
        let n = token_input(kind, raw, region);
        if n.is_empty() {
            return String::new();
        }
        self.token_of_normalized(kind, &n)
    }

    fn cipher(&self) -> Aes256Siv {
        Aes256Siv::new_from_slice(&self.siv_key).expect("AES-256-SIV takes a 64-byte key")
    }

    /// Deterministic encryption of a value (already normalized by the caller); empty stays empty.
    pub fn encrypt(&self, value: &str) -> Result<String> {
        if value.is_empty() {
            return Ok(String::new());
        }
        let ct = self
            .cipher()
            .encrypt([self.domain.as_bytes()], value.as_bytes())
            .map_err(|_| {
                StewardError::new(crate::error::ExitCode::Software, "encryption failed")
            })?;
        Ok(format!(
            "{ENC_PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(ct)
        ))
    }

    /// Decrypt a value written by `encrypt`; `None` when it is not one, or was made with another key or domain.
    pub fn decrypt(&self, value: &str) -> Option<String> {
        let body = value.strip_prefix(ENC_PREFIX)?;
        let ct = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(body)
            .ok()?;
        let pt = self.cipher().decrypt([self.domain.as_bytes()], &ct).ok()?;
        String::from_utf8(pt).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(b: u8) -> Key {
        Key::from_text(&hex::encode([b; 32]), "test").unwrap()
    }

    #[test]
    fn spellings_of_one_identifier_give_one_token() {
        let p = Protector::new(&key(1), "default");
        let e = |v| p.token(FieldKind::Email, v, None);
        assert_eq!(e("A@X.com"), e(" a@x.com "));
        assert_eq!(e("Ａ@x.com"), e("a@x.com"));
        let ph = |v| p.token(FieldKind::Phone, v, Some("CN"));
        assert_eq!(ph("+86 138 1234 5678"), ph("13812345678"));
        assert_eq!(ph("0086-138-1234-5678"), ph("(+86)13812345678"));
        assert_eq!(ph("１３８１２３４５６７８"), ph("13812345678"));
        let id = |v| p.token(FieldKind::CnId, v, None);
        assert_eq!(id("11010519491231002x"), id("11010519491231002X"));
        assert!(e("a@x.com").starts_with("em_"));
        assert_eq!(e("a@x.com").len(), 3 + 32);
        assert_eq!(e(""), "");
    }

    #[test]
    fn tokens_depend_on_key_domain_and_kind() {
        let a = Protector::new(&key(1), "default");
        let b = Protector::new(&key(2), "default");
        let c = Protector::new(&key(1), "vendor-a");
        let t = |p: &Protector| p.token(FieldKind::Email, "a@x.com", None);
        assert_ne!(t(&a), t(&b));
        assert_ne!(t(&a), t(&c));
        assert_eq!(t(&a), t(&Protector::new(&key(1), "default")));
        assert_ne!(
            a.token_of_normalized(FieldKind::Email, "123"),
            a.token_of_normalized(FieldKind::Phone, "123")[3..].to_string()
        );
    }

    #[test]
    fn encryption_round_trips_and_needs_the_right_key() {
        let p = Protector::new(&key(1), "default");
        let ct = p.encrypt("zhang.wei@example.com").unwrap();
        assert!(ct.starts_with(ENC_PREFIX));
        assert!(!ct.contains("zhang"));
        assert_eq!(ct, p.encrypt("zhang.wei@example.com").unwrap());
        assert_eq!(p.decrypt(&ct).as_deref(), Some("zhang.wei@example.com"));
        assert_eq!(Protector::new(&key(2), "default").decrypt(&ct), None);
        assert_eq!(Protector::new(&key(1), "other").decrypt(&ct), None);
        assert_eq!(p.decrypt("enc_!!"), None);
    }

    proptest! {
        #[test]
        fn tokens_are_deterministic_and_never_contain_the_value(v in "[a-z0-9.]{4,20}@[a-z]{3,10}\\.com") {
            let p = Protector::new(&key(7), "d");
            let t1 = p.token(FieldKind::Email, &v, None);
            let t2 = Protector::new(&key(7), "d").token(FieldKind::Email, &v.to_uppercase(), None);
            prop_assert_eq!(&t1, &t2);
            prop_assert!(!t1.contains(&v));
            let enc = p.encrypt(&v).unwrap();
            prop_assert_eq!(p.decrypt(&enc), Some(v));
        }
    }
}

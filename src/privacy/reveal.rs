//! Revealing what `pseudonymize --encrypt` wrote: encrypted cells of the chosen columns decrypted with the key
//! and domain, everything else passed through as it is.

use anyhow::Result;
use serde::Serialize;

use super::token::{Protector, ENC_PREFIX};
use crate::error::StewardError;

/// What a reveal did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RevealSummary {
    pub rows: u64,
    pub cells_decrypted: u64,
    pub cells_not_decrypted: u64,
}

/// Which of `headers` to decrypt: the `named` ones, else all.
pub fn selected_columns(headers: &[String], named: &[String]) -> Result<Vec<bool>> {
    if named.is_empty() {
        return Ok(vec![true; headers.len()]);
    }
    let mut sel = vec![false; headers.len()];
    for c in named {
        match headers.iter().position(|h| h == c) {
            Some(i) => sel[i] = true,
            None => {
                return Err(StewardError::usage(format!(
                    "no column {c:?}; the columns are: {}",
                    headers.join(", ")
                ))
                .into())
            }
        }
    }
    Ok(sel)
}

/// A row with the encrypted cells of the `selected` columns decrypted into `out`; a cell that does not decrypt
/// (another key or domain, or not ciphertext) stays as it was.
pub fn reveal_row(
    prot: &Protector,
    selected: &[bool],
    row: &[&str],
    out: &mut Vec<String>,
    summary: &mut RevealSummary,
) {
    summary.rows += 1;
    out.clear();
    for (i, v) in row.iter().enumerate() {
        // A formula-guarded cell was written with a leading apostrophe.
        let body = v.strip_prefix('\'').unwrap_or(v);
        if selected.get(i).copied().unwrap_or(false) && body.starts_with(ENC_PREFIX) {
            match prot.decrypt(body) {
                Some(p) => {
                    summary.cells_decrypted += 1;
                    out.push(p);
                }
                None => {
                    summary.cells_not_decrypted += 1;
                    out.push(v.to_string());
                }
            }
        } else {
            out.push(v.to_string());
        }
    }
}

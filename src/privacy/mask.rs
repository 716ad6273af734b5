//! Masking keeps a value's shape for a person reading it while hiding who it is:
//! `z***@example.com`, `138****5678`, `张*`, `J*** S****`.

use crate::schema::FieldKind;

/// Mask a value by its field kind.
pub fn mask_value(kind: FieldKind, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        return String::new();
    }
    match kind {
        FieldKind::Email => mask_email(v),
        FieldKind::Phone => mask_digits(v, 3, 4),
        FieldKind::CnId => mask_digits(v, 3, 2),
        FieldKind::Name => mask_name(v),
        FieldKind::Address => mask_tail(v, 6),
        _ => mask_middle(v),
    }
}

fn mask_email(v: &str) -> String {
    match v.rsplit_once('@') {
        Some((local, domain)) if !local.is_empty() => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        _ => mask_middle(v),
    }
}

/// Keep the first `head` and last `tail` digits; every other digit becomes `*`, separators stay.
fn mask_digits(v: &str, head: usize, tail: usize) -> String {
    let total = v.chars().filter(|c| c.is_alphanumeric()).count();
    if total <= head + tail {
        return mask_middle(v);
    }
    let mut seen = 0usize;
    v.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                seen += 1;
                if seen <= head || seen > total - tail {
                    c
                } else {
                    '*'
                }
            } else {
                c
            }
        })
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn mask_name(v: &str) -> String {
    if v.chars().any(is_cjk) {
        let mut chars = v.chars().filter(|c| !c.is_whitespace());
        let first = chars.next().unwrap_or('*');
        let rest = chars.count().max(1);
        return format!("{first}{}", "*".repeat(rest));
    }
    v.split_whitespace()
        .map(|w| {
            let mut cs = w.chars();
            let first = cs.next().unwrap_or('*');
            format!("{first}{}", "*".repeat(cs.count().max(1)))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn mask_tail(v: &str, keep: usize) -> String {
    let n = v.chars().count();
    if n <= keep {
        return mask_middle(v);
    }
    let head: String = v.chars().take(keep).collect();
    format!("{head}***")
}

fn mask_middle(v: &str) -> String {
    let chars: Vec<char> = v.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 | 2 => "*".repeat(chars.len()),
        n if n <= 6 => format!("{}{}", chars[0], "*".repeat(n - 1)),
        n => format!(
            "{}{}{}",
            chars[..2].iter().collect::<String>(),
            "*".repeat(n - 4),
            chars[n - 2..].iter().collect::<String>()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_shape() {
        assert_eq!(
            mask_value(FieldKind::Email, "zhang.wei@example.com"),
            "z***@example.com"
        );
        assert_eq!(mask_value(FieldKind::Phone, "13812345678"), "138****5678");
        assert_eq!(
            mask_value(FieldKind::Phone, "+86 138 1234 5678"),
            "+86 1** **** 5678"
        );
        assert_eq!(mask_value(FieldKind::Name, "张伟"), "张*");
        assert_eq!(mask_value(FieldKind::Name, "John Smith"), "J*** S****");
        assert_eq!(
            mask_value(FieldKind::CnId, "11010519491231002X"),
            "110*************2X"
        );
        assert_eq!(mask_value(FieldKind::Text, ""), "");
    }
}

//! Identifiers written inside free text ("referred by a@x.com", "call 07400 074871"): where an email address,
//! a phone number or a resident ID may stand in a value, as spans of the value, for the matcher to check.

/// What a span of text may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    Email,
    Phone,
    ResidentId,
}

/// The ASCII digit of a digit character, full-width digits included.
pub fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// How many digits a text holds (ASCII and full-width), counted on its bytes.
pub fn digit_count(text: &str) -> usize {
    let b = text.as_bytes();
    let ascii = b.iter().filter(|c| c.is_ascii_digit()).count();
    if text.is_ascii() {
        return ascii;
    }
    // Full-width digits are EF BC 90 to EF BC 99 in UTF-8.
    ascii
        + b.windows(3)
            .filter(|w| w[0] == 0xEF && w[1] == 0xBC && (0x90..=0x99).contains(&w[2]))
            .count()
}

/// The digits of a text, as ASCII.
pub fn digits_of(s: &str) -> String {
    s.chars()
        .filter_map(digit_value)
        .map(|d| (b'0' + d) as char)
        .collect()
}

fn email_local_char(c: char) -> bool {
    c.is_alphanumeric() || "._%+-!#$&*=?^`{|}~'".contains(c)
}

fn email_domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '.' || c == '-'
}

/// Spans (byte ranges) of `text` that may be email addresses: the characters an address may hold on each
/// side of an `@`, trailing dots and dashes left out.
pub fn email_spans(text: &str, out: &mut Vec<(usize, usize)>) {
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| email_local_char(*c))
            .last()
            .map(|(i, _)| i)
            .unwrap_or(at);
        let mut end = at
            + 1
            + text[at + 1..]
                .char_indices()
                .take_while(|(_, c)| email_domain_char(*c))
                .last()
                .map(|(i, c)| i + c.len_utf8())
                .unwrap_or(0);
        while end > at + 1 && matches!(text.as_bytes()[end - 1], b'.' | b'-') {
            end -= 1;
        }
        let mut start = start;
        // A local part does not start with a dot ("...see.a@x.com" keeps "see.a").
        while start < at && text.as_bytes()[start] == b'.' {
            start += 1;
        }
        if start < at && end > at + 1 && text[at + 1..end].contains('.') {
            out.push((start, end));
        }
    }
}

fn phone_char(c: char) -> bool {
    digit_value(c).is_some() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '+' | '\u{a0}')
}

/// Spans of `text` that may be phone numbers or resident IDs: runs of digits and the separators numbers are
/// written with, and within a run every stretch of its space-separated groups holding 7 to 17 digits (so a
/// date or an order number next to a number does not hide it). Resident IDs: runs of 15 or 18 digits (the
/// last may be X).
pub fn number_spans(text: &str, out: &mut Vec<(SpanKind, usize, usize)>) {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if digit_value(c).is_none() && c != '+' && c != '(' {
            continue;
        }
        // A number does not start inside a word ("A1234567").
        if text[..i]
            .chars()
            .next_back()
            .is_some_and(|p| p.is_alphanumeric())
        {
            while chars.peek().is_some_and(|(_, c)| phone_char(*c)) {
                chars.next();
            }
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !phone_char(d) {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        // A resident ID may end in X.
        if let Some(&(j, x)) = chars.peek() {
            if (x == 'X' || x == 'x') && digits_of(&text[i..end]).len() == 17 {
                end = j + 1;
                chars.next();
            }
        }
        // Trailing separators belong to the sentence.
        while end > i
            && !text[..end]
                .ends_with(|c: char| digit_value(c).is_some() || c == 'X' || c == 'x' || c == ')')
        {
            end -= text[..end]
                .chars()
                .next_back()
                .map(|c| c.len_utf8())
                .unwrap_or(1);
        }
        if end <= i {
            continue;
        }
        let run = &text[i..end];
        // Resident IDs: digit stretches of 15 or 18 (17 and X).
        let mut k = 0;
        let rb = run.as_bytes();
        while k < rb.len() {
            if !rb[k].is_ascii_digit() {
                k += 1;
                continue;
            }
            let s = k;
            while k < rb.len() && rb[k].is_ascii_digit() {
                k += 1;
            }
            let n = k - s;
            if n == 17 && k < rb.len() && (rb[k] == b'X' || rb[k] == b'x') {
                out.push((SpanKind::ResidentId, i + s, i + k + 1));
            } else if n == 18 || n == 15 {
                out.push((SpanKind::ResidentId, i + s, i + k));
            }
        }
        // Phone numbers: stretches of whole space-separated groups.
        let groups: Vec<(usize, usize)> = {
            let mut g = Vec::new();
            let mut s = None;
            for (j, ch) in run.char_indices() {
                if ch == ' ' || ch == '\u{a0}' {
                    if let Some(st) = s.take() {
                        g.push((st, j));
                    }
                } else if s.is_none() {
                    s = Some(j);
                }
            }
            if let Some(st) = s {
                g.push((st, run.len()));
            }
            g
        };
        for a in 0..groups.len() {
            let mut count = 0;
            for b in a..groups.len() {
                count += digits_of(&run[groups[b].0..groups[b].1]).len();
                if count > 17 {
                    break;
                }
                if count >= 7 {
                    out.push((SpanKind::Phone, i + groups[a].0, i + groups[b].1));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emails(t: &str) -> Vec<&str> {
        let mut v = Vec::new();
        email_spans(t, &mut v);
        v.into_iter().map(|(s, e)| &t[s..e]).collect()
    }

    fn numbers(t: &str, kind: SpanKind) -> Vec<&str> {
        let mut v = Vec::new();
        number_spans(t, &mut v);
        v.into_iter()
            .filter(|(k, _, _)| *k == kind)
            .map(|(_, s, e)| &t[s..e])
            .collect()
    }

    #[test]
    fn emails_inside_text() {
        assert_eq!(emails("referred by a@x.com."), ["a@x.com"]);
        assert_eq!(
            emails("<Zhang.Wei@Example.COM>, 推荐"),
            ["Zhang.Wei@Example.COM"]
        );
        assert_eq!(emails("mailto:b.c@y.co.uk; d@e"), ["b.c@y.co.uk"]);
        assert!(emails("price @ 5").is_empty());
    }

    #[test]
    fn numbers_inside_text() {
        let t = "call 07400 074871 after 2024-01-05, order 88121";
        assert!(numbers(t, SpanKind::Phone).contains(&"07400 074871"));
        assert!(numbers("tel:+86 138-1234-5678。", SpanKind::Phone).contains(&"+86 138-1234-5678"));
        assert!(numbers("2024-01-05 13812345678", SpanKind::Phone).contains(&"13812345678"));
        assert_eq!(
            numbers("身份证 11010519491231002x 已核", SpanKind::ResidentId),
            ["11010519491231002x"]
        );
        assert!(numbers("SKU A12345678", SpanKind::Phone).is_empty());
        assert!(numbers("total 1234.50", SpanKind::Phone).is_empty());
    }
}

//! Free text: Unicode NFKC, control and zero-width characters removed, whitespace collapsed.

use super::Checked;

/// A count with thousands separators, as messages and reports show it: 1234567 -> `1,234,567`.
pub fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Columns a text takes in a terminal or a spreadsheet cell: CJK and other wide characters count two.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !c.is_ascii() {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Zero-width and invisible formatting characters that are dropped outright.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Cleans one text value:
/// 1. drops zero-width characters (U+200B..U+200D, U+2060, U+FEFF, soft hyphen U+00AD)
///    and control characters other than whitespace;
/// 2. applies Unicode NFKC (full-width `ＡＢＣ１２３` -> `ABC123`, U+3000 -> space, `，` -> `,`);
///    Chinese punctuation that NFKC leaves alone (`。`, `、`, `「」`, `《》`, `·`) is kept;
/// 3. collapses every run of whitespace (spaces, tabs, newlines, NBSP...) to one space and trims.
///
/// Removal happens before NFKC so that the result is stable: `clean_text(clean_text(x)) == clean_text(x)`.
pub fn clean_text(raw: &str) -> String {
    clean_text_cow(raw).into_owned()
}

/// [`clean_text`], borrowing the value when it is already clean (most are).
pub fn clean_text_cow(raw: &str) -> std::borrow::Cow<'_, str> {
    // Most values are already clean: printable ASCII or CJK ideographs, trimmed, single spaces.
    let b = raw.as_bytes();
    let plain = if raw.is_ascii() {
        b.iter().all(|&c| (0x21..0x7f).contains(&c) || c == b' ')
    } else {
        raw.chars().all(|c| {
            (c.is_ascii_graphic() || c == ' ') || (!c.is_ascii() && super::is_plain_char(c))
        })
    };
    if plain && !raw.contains("  ") && b.first() != Some(&b' ') && b.last() != Some(&b' ') {
        return std::borrow::Cow::Borrowed(raw);
    }
    std::borrow::Cow::Owned(clean_slow(raw))
}

/// The cleaning itself: invisible and control characters removed, NFKC, whitespace collapsed.
fn clean_slow(raw: &str) -> String {
    let stripped: String = raw
        .chars()
        .filter(|&c| !is_invisible(c) && (c.is_whitespace() || !c.is_control()))
        .collect();
    let mut out = String::with_capacity(stripped.len());
    let mut pending_space = false;
    for c in super::nfkc(&stripped).chars() {
        if c.is_whitespace() {
            pending_space = true;
        } else {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    out
}

/// Free text never has issues; the value is [`clean_text`] of the input.
pub fn check_text(raw: &str) -> Checked {
    Checked {
        value: clean_text(raw),
        issues: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_width_and_ideographic_space() {
        assert_eq!(clean_text("ＡＢＣ１２３"), "ABC123");
        assert_eq!(clean_text("张\u{3000}伟"), "张 伟");
        assert_eq!(clean_text("（北京）"), "(北京)");
    }

    #[test]
    fn whitespace_collapsed_and_trimmed() {
        assert_eq!(clean_text("  a \t b\r\n\nc  "), "a b c");
        assert_eq!(clean_text("\u{00A0}x\u{00A0}\u{00A0}y"), "x y");
        assert_eq!(clean_text(""), "");
        assert_eq!(clean_text(" \n\t "), "");
    }

    #[test]
    fn controls_and_zero_width_removed() {
        assert_eq!(clean_text("ab\u{200B}c\u{FEFF}"), "abc");
        assert_eq!(clean_text("\u{FEFF}北京\u{200D}市"), "北京市");
        assert_eq!(clean_text("a\u{0000}b\u{0007}c\u{007F}"), "abc");
        assert_eq!(clean_text("x\u{2060}y\u{200C}"), "xy");
    }

    #[test]
    fn chinese_punctuation_kept() {
        assert_eq!(
            clean_text("你好。再见、《书》「引」"),
            "你好。再见、《书》「引」"
        );
        assert_eq!(clean_text("你好，世界！"), "你好,世界!");
    }

    #[test]
    fn check_text_reports_nothing() {
        let c = check_text(" ｈｅｌｌｏ\u{200B} ");
        assert_eq!(c.value, "hello");
        assert!(c.issues.is_empty());
    }

    #[test]
    fn composition_is_stable() {
        // A control character between a base and a combining mark must not leave a non-NFKC result.
        let once = clean_text("e\u{0001}\u{0301}");
        assert_eq!(once, "\u{00E9}");
        assert_eq!(clean_text(&once), once);
    }

    proptest! {
        #[test]
        fn idempotent(s in any::<String>()) {
            let once = check_text(&s).value;
            prop_assert_eq!(check_text(&once).value, once.clone());
            prop_assert_eq!(once.trim(), once.as_str());
            prop_assert!(!once.contains("  "));
        }

        #[test]
        fn shortcut_equals_the_cleaning(s in "[ a-zA-Z0-9,.\u{3000}-\u{3003}\u{3400}-\u{3410}\u{4E00}-\u{4E2F}\u{9FF0}-\u{9FFF}\u{FF01}-\u{FF10}\u{200B}\u{0301}\t]{0,20}") {
            prop_assert_eq!(clean_text_cow(&s).into_owned(), clean_slow(&s));
        }

        #[test]
        fn idempotent_on_mixed_scripts(s in "[ a-zA-Z0-9\u{3000}-\u{303F}\u{4E00}-\u{4E2F}\u{FF01}-\u{FF5E}\u{200B}-\u{200D}\u{0300}-\u{0310}\t\n]{0,30}") {
            let once = clean_text(&s);
            prop_assert_eq!(clean_text(&once), once);
        }
    }
}

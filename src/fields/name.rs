//! Personal names, Chinese and Latin-script.

use super::text::clean_text;
use super::{Checked, Issue, Level};

/// Family-name particles kept lower case when they are neither the first nor the last word.
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "la", "le", "du", "da", "di", "del", "della", "dos", "das",
    "do", "bin", "al", "ten", "ter",
];

/// Two-character Chinese family names.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "拓跋",
    "赫连", "澹台", "公冶", "宗政", "濮阳", "太史", "申屠", "闻人", "东郭", "左丘", "梁丘", "司空",
    "第五",
];

/// Words after a comma that are suffixes, not given names (`Smith, Jr.` is not reordered).
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"];

/// The middle dot used between parts of transliterated names (`阿依古丽·买买提`).
const MIDDLE_DOT: char = '·';

/// A name split into given and family parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameParts {
    pub given: String,
    pub family: String,
}

/// CJK unified ideographs (basic, extensions A-F) and compatibility ideographs.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{3134F}')
}

fn is_dot_variant(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}'
            | '\u{30FB}'
            | '\u{2022}'
            | '\u{2027}'
            | '\u{2219}'
            | '\u{22C5}'
            | '\u{FF65}'
            | '.'
    )
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn has_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_numeric() && c != '\u{3007}')
}

/// Chinese name: no spaces at all, every dot variant (`・`, `•`, `.`, ...) becomes `·`.
fn normalize_chinese(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if is_dot_variant(c) { MIDDLE_DOT } else { c })
        .collect()
}

/// True when the text has cased letters and they are all upper case or all lower case.
fn is_single_case(s: &str) -> bool {
    let upper = s.chars().any(char::is_uppercase);
    let lower = s.chars().any(char::is_lowercase);
    upper != lower
}

/// Upper-cases the first cased character and lower-cases the rest.
fn title(s: &str) -> String {
    match s
        .char_indices()
        .find(|(_, c)| c.is_uppercase() || c.is_lowercase())
    {
        Some((i, c)) => {
            let mut out = String::with_capacity(s.len());
            out.push_str(&s[..i]);
            // `ß`, `ŉ`: upper case is two characters (no title case in std); keep them as typed.
            let mut up = c.to_uppercase();
            match (up.next(), up.next()) {
                (Some(u), None) => out.push(u),
                _ => out.push(c),
            }
            out.push_str(&s[i + c.len_utf8()..].to_lowercase());
            out
        }
        None => s.to_string(),
    }
}

/// Title-cases one hyphen-free part: `o'neil` -> `O'Neil`, `mcdonald` -> `McDonald`.
fn title_part(part: &str) -> String {
    if let Some((i, apo)) = part.char_indices().find(|&(_, c)| is_apostrophe(c)) {
        let prefix = &part[..i];
        let rest = &part[i + apo.len_utf8()..];
        if prefix.chars().count() == 1 && prefix.chars().all(char::is_alphabetic) {
            return format!("{}{}{}", title(prefix), apo, title(rest));
        }
        return title(part);
    }
    let lower = part.to_lowercase();
    if lower.starts_with("mc") && lower.chars().count() > 2 {
        return format!("Mc{}", title(&lower[2..]));
    }
    title(part)
}

/// Title-cases a whole Latin name: particles lower case unless first or last word.
fn recase(words: &[&str]) -> String {
    let n = words.len();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0 && i + 1 < n && PARTICLES.contains(&lower.as_str()) {
                lower
            } else {
                w.split('-').map(title_part).collect::<Vec<_>>().join("-")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits `Family, Given` when there is exactly one comma, both sides are non-empty and the
/// right side is not a suffix such as `Jr.`.
fn split_family_given(s: &str) -> Option<(&str, &str)> {
    let (family, given) = s.split_once(',')?;
    let (family, given) = (family.trim(), given.trim());
    if given.contains(',') || family.is_empty() || given.is_empty() {
        return None;
    }
    let g = given.trim_end_matches('.').to_lowercase();
    if SUFFIXES.contains(&g.as_str()) {
        return None;
    }
    Some((family, given))
}

/// Checks and normalizes a personal name.
///
/// * Chinese names (any CJK ideograph): inner spaces removed (`张 伟` -> `张伟`), dot variants
///   normalized to `·` (`阿依古丽・买买提` -> `阿依古丽·买买提`).
/// * Latin names: `Family, Given` becomes `Given Family` (Warning `name-reordered`); a name typed
///   all upper or all lower case is title-cased (`JEAN-LUC O'NEIL` -> `Jean-Luc O'Neil`,
///   `mcdonald` -> `McDonald`, particles such as `van der` lower case inside the name); a
///   mixed-case name keeps its case. Case is judged separately for the family and given parts
///   of a `Family, Given` name.
/// * Warning `name-digits` when the name contains digits.
pub fn check_name(raw: &str) -> Checked {
    let cleaned = clean_text(raw);
    let mut issues = Vec::new();
    let value = if cleaned.chars().any(is_cjk) {
        normalize_chinese(&cleaned)
    } else if let Some((family, given)) = split_family_given(&cleaned) {
        let value = latin_name(given, family);
        issues.push(Issue {
            rule: "name-reordered",
            level: Level::Warning,
            message: format!("name was written as \"Family, Given\"; reordered to \"{value}\""),
            suggestion: Some(value.clone()),
        });
        value
    } else {
        latin_name(&cleaned, "")
    };
    // Removing spaces or changing case can leave a sequence NFKC would compose differently.
    let value: String = super::nfkc(&value).into_owned();
    if has_digit(&value) {
        issues.push(Issue {
            rule: "name-digits",
            level: Level::Warning,
            message: "name contains digits".to_string(),
            suggestion: None,
        });
    }
    Checked { value, issues }
}

/// Builds `given family`, recasing each part that was typed in a single case.
fn latin_name(given: &str, family: &str) -> String {
    let (fix_given, fix_family) = (is_single_case(given), is_single_case(family));
    if !fix_given && !fix_family {
        // Mixed case in both parts (most names): the words as written, nothing recased.
        let mut out = String::with_capacity(given.len() + family.len() + 1);
        for w in given
            .split(' ')
            .chain(family.split(' '))
            .filter(|w| !w.is_empty())
        {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
        return out;
    }
    let g: Vec<&str> = given.split(' ').filter(|w| !w.is_empty()).collect();
    let f: Vec<&str> = family.split(' ').filter(|w| !w.is_empty()).collect();
    let all: Vec<&str> = g.iter().chain(f.iter()).copied().collect();
    let cased = recase(&all);
    let cased: Vec<&str> = cased.split(' ').collect();
    let pick = |range: std::ops::Range<usize>, fix: bool| -> Vec<String> {
        range
            .map(|i| {
                if fix {
                    cased[i].to_string()
                } else {
                    all[i].to_string()
                }
            })
            .collect()
    };
    let mut words = pick(0..g.len(), fix_given);
    words.extend(pick(g.len()..all.len(), fix_family));
    words.join(" ")
}

/// Splits a name into given and family parts (after [`check_name`] normalization).
///
/// * Chinese: the family name comes first; compound surnames (`欧阳`, `司马`, ...) are recognized
///   when the name has at least three characters. Names with `·` are transliterations: the part
///   before the first `·` is the given name, the rest the family (father's) name.
/// * Latin: the last word is the family name, together with the particles before it
///   (`Anna van der Berg` -> `Anna` / `van der Berg`).
///
/// Returns `None` for a single word, an empty name, or a mix of Chinese and other letters.
pub fn split_name(name: &str) -> Option<NameParts> {
    let name = check_name(name).value;
    let parts = |given: &str, family: &str| {
        Some(NameParts {
            given: given.to_string(),
            family: family.to_string(),
        })
    };
    if name.chars().any(is_cjk) {
        if let Some((given, family)) = name.split_once(MIDDLE_DOT) {
            if given.is_empty() || family.is_empty() {
                return None;
            }
            return parts(given, family);
        }
        if !name.chars().all(is_cjk) {
            return None;
        }
        let chars: Vec<char> = name.chars().collect();
        let surname_len = if chars.len() >= 3
            && COMPOUND_SURNAMES.contains(&chars[..2].iter().collect::<String>().as_str())
        {
            2
        } else {
            1
        };
        if chars.len() <= surname_len {
            return None;
        }
        let family: String = chars[..surname_len].iter().collect();
        let given: String = chars[surname_len..].iter().collect();
        return parts(&given, &family);
    }
    let words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() < 2 {
        return None;
    }
    let mut start = words.len() - 1;
    while start > 1 && PARTICLES.contains(&words[start - 1].to_lowercase().as_str()) {
        start -= 1;
    }
    parts(&words[..start].join(" "), &words[start..].join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> String {
        check_name(s).value
    }

    fn rules(s: &str) -> Vec<&'static str> {
        check_name(s).issues.iter().map(|i| i.rule).collect()
    }

    #[test]
    fn chinese_names() {
        assert_eq!(v("张 伟"), "张伟");
        assert_eq!(v(" 欧阳\u{3000}娜娜 "), "欧阳娜娜");
        assert_eq!(v("阿依古丽・买买提"), "阿依古丽·买买提");
        assert_eq!(v("阿依古丽 • 买买提"), "阿依古丽·买买提");
        assert_eq!(v("阿依古丽.买买提"), "阿依古丽·买买提");
        assert_eq!(v("阿依古丽·买买提"), "阿依古丽·买买提");
        assert!(rules("张伟").is_empty());
    }

    #[test]
    fn latin_case_fixing() {
        assert_eq!(v("JOHN SMITH"), "John Smith");
        assert_eq!(v("john smith"), "John Smith");
        assert_eq!(v("ＪＯＨＮ  ＳＭＩＴＨ"), "John Smith");
        assert_eq!(v("JOHN smith"), "JOHN smith");
        assert_eq!(v("anna van der berg"), "Anna van der Berg");
        assert_eq!(v("LUDWIG VAN BEETHOVEN"), "Ludwig van Beethoven");
        assert_eq!(v("shaun o'neil"), "Shaun O'Neil");
        assert_eq!(v("D'ARCY SMITH"), "D'Arcy Smith");
        assert_eq!(v("ronald mcdonald"), "Ronald McDonald");
        assert_eq!(v("ANGUS MACDONALD"), "Angus Macdonald");
        assert_eq!(v("JEAN-LUC PICARD"), "Jean-Luc Picard");
        assert_eq!(v("anne-marie dupont"), "Anne-Marie Dupont");
        assert_eq!(v("omar al bashir"), "Omar al Bashir");
        assert_eq!(v("van"), "Van");
    }

    #[test]
    fn mixed_case_left_alone() {
        assert_eq!(v("Angus MacDonald"), "Angus MacDonald");
        assert_eq!(v("Vincent van Gogh"), "Vincent van Gogh");
        assert_eq!(v("danah boyd Smith"), "danah boyd Smith");
        assert!(rules("Vincent van Gogh").is_empty());
    }

    #[test]
    fn family_comma_given() {
        let c = check_name("VAN DER BERG, Anna");
        assert_eq!(c.value, "Anna van der Berg");
        assert_eq!(c.issues.len(), 1);
        assert_eq!(c.issues[0].rule, "name-reordered");
        assert_eq!(c.issues[0].level, Level::Warning);
        assert_eq!(v("smith, john"), "John Smith");
        assert_eq!(v("Smith, Jr."), "Smith, Jr.");
        assert_eq!(v("a, b, c"), "A, B, C");
    }

    #[test]
    fn digits_warned() {
        assert_eq!(rules("John Smith 2"), vec!["name-digits"]);
        assert_eq!(rules("张伟1"), vec!["name-digits"]);
        assert_eq!(rules("张伟１"), vec!["name-digits"]);
        assert_eq!(check_name("张伟1").issues[0].level, Level::Warning);
    }

    #[test]
    fn split_chinese() {
        let p = |g: &str, f: &str| {
            Some(NameParts {
                given: g.into(),
                family: f.into(),
            })
        };
        assert_eq!(split_name("张伟"), p("伟", "张"));
        assert_eq!(split_name("欧阳娜娜"), p("娜娜", "欧阳"));
        assert_eq!(split_name("司马光"), p("光", "司马"));
        assert_eq!(split_name("诸葛 亮"), p("亮", "诸葛"));
        assert_eq!(split_name("欧阳"), p("阳", "欧"));
        assert_eq!(split_name("阿依古丽·买买提"), p("阿依古丽", "买买提"));
        assert_eq!(split_name("张"), None);
        assert_eq!(split_name("张Wei"), None);
    }

    #[test]
    fn split_latin() {
        let p = |g: &str, f: &str| {
            Some(NameParts {
                given: g.into(),
                family: f.into(),
            })
        };
        assert_eq!(split_name("Anna van der Berg"), p("Anna", "van der Berg"));
        assert_eq!(split_name("John Smith"), p("John", "Smith"));
        assert_eq!(split_name("Mary Ann Smith"), p("Mary Ann", "Smith"));
        assert_eq!(split_name("VAN DER BERG, Anna"), p("Anna", "van der Berg"));
        assert_eq!(split_name("Van Halen"), p("Van", "Halen"));
        assert_eq!(split_name("Madonna"), None);
        assert_eq!(split_name(""), None);
    }

    proptest! {
        #[test]
        fn idempotent(s in any::<String>()) {
            let once = check_name(&s).value;
            prop_assert_eq!(check_name(&once).value, once.clone());
            let _ = split_name(&s);
        }

        #[test]
        fn idempotent_on_name_like(s in "[ a-zA-Z'’\\-,.·・•张王欧阳娜伟0-9\u{3000}]{0,24}") {
            let once = check_name(&s).value;
            prop_assert_eq!(check_name(&once).value, once.clone());
            let _ = split_name(&s);
        }
    }
}

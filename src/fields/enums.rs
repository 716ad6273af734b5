//! Enumerations: gender, boolean and caller-defined value lists.

use super::text::clean_text;
use super::{Checked, Issue, Level};

/// Matching key: cleaned, lower case, without spaces, `-`, `_`, `.` and `/`.
fn key(s: &str) -> String {
    clean_text(s)
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.' | '/'))
        .collect()
}

const GENDERS: &[(&str, &[&str])] = &[
    (
        "male",
        &[
            "male",
            "m",
            "man",
            "men",
            "boy",
            "mr",
            "masculine",
            "男",
            "男性",
            "男士",
            "先生",
            "男生",
            "männlich",
            "mannlich",
            "masculin",
            "homme",
            "hombre",
            "masculino",
        ],
    ),
    (
        "female",
        &[
            "female", "f", "woman", "women", "girl", "mrs", "ms", "miss", "feminine", "女", "女性",
            "女士", "小姐", "太太", "女生", "weiblich", "w", "feminin", "féminin", "femme",
            "mujer", "femenino", "feminino",
        ],
    ),
    (
        "unknown",
        &[
            "unknown",
            "u",
            "na",
            "notknown",
            "unspecified",
            "notspecified",
            "prefernottosay",
            "undisclosed",
            "未知",
            "保密",
            "不详",
            "不明",
            "未填",
            "未说明",
        ],
    ),
    (
        "other",
        &[
            "other",
            "x",
            "o",
            "diverse",
            "divers",
            "d",
            "nonbinary",
            "enby",
            "genderqueer",
            "其他",
            "其它",
            "非二元",
        ],
    ),
];

const BOOLEANS: &[(&str, &[&str])] = &[
    (
        "true",
        &[
            "true",
            "t",
            "yes",
            "y",
            "1",
            "on",
            "agree",
            "agreed",
            "optin",
            "optedin",
            "checked",
            "ok",
            "✓",
            "✔",
            "☑",
            "是",
            "对",
            "真",
            "有",
            "同意",
            "已同意",
            "确认",
            "已确认",
            "ja",
            "oui",
            "sí",
            "si",
        ],
    ),
    (
        "false",
        &[
            "false",
            "f",
            "no",
            "n",
            "0",
            "off",
            "disagree",
            "optout",
            "optedout",
            "unchecked",
            "×",
            "✗",
            "✘",
            "☐",
            "否",
            "错",
            "假",
            "无",
            "没有",
            "不同意",
            "未同意",
            "拒绝",
            "nein",
            "non",
        ],
    ),
];

fn invalid(cleaned: String, message: String, suggestion: Option<String>) -> Checked {
    Checked {
        issues: vec![Issue {
            rule: "enum-invalid",
            level: Level::Error,
            message,
            suggestion,
        }],
        value: cleaned,
    }
}

/// Maps `raw` through a table of canonical values and their spellings.
fn map_table(
    raw: &str,
    table: &[(&'static str, &[&str])],
    what: &str,
    ambiguous: &[&str],
) -> Checked {
    let cleaned = clean_text(raw);
    let k = key(&cleaned);
    if k.is_empty() {
        return Checked {
            value: String::new(),
            issues: Vec::new(),
        };
    }
    for (canonical, spellings) in table {
        if spellings.iter().any(|s| key(s) == k) {
            return Checked {
                value: canonical.to_string(),
                issues: Vec::new(),
            };
        }
    }
    let allowed: Vec<&str> = table.iter().map(|(c, _)| *c).collect();
    let message = if ambiguous.contains(&k.as_str()) {
        format!(
            "\"{cleaned}\" is ambiguous as a {what}; use one of: {}",
            allowed.join(", ")
        )
    } else {
        format!(
            "\"{cleaned}\" is not a valid {what}; expected one of: {}",
            allowed.join(", ")
        )
    };
    invalid(cleaned, message, None)
}

/// Gender: `男`/`M`/`male`/`先生`/`Mr` -> `male`; `女`/`F`/`female`/`女士`/`Ms` -> `female`;
/// `未知`/`U`/`保密`/`N/A` -> `unknown`; `其他`/`X`/`diverse`/`non-binary` -> `other`.
/// `1`/`0` (coding differs between systems) and anything else: Error `enum-invalid`.
/// Blank input: empty value, no issue.
pub fn check_gender(raw: &str) -> Checked {
    map_table(raw, GENDERS, "gender", &["1", "0", "2"])
}

/// Boolean: `是`/`yes`/`y`/`true`/`1`/`同意`/`已同意`/`agree`/`opt-in`/`checked`/`✓` -> `true`;
/// `否`/`no`/`n`/`false`/`0`/`不同意`/`opt-out`/`unchecked`/`×`/`✗` -> `false`.
/// A bare `x` (a tick in one list, a cross in another) and anything else: Error `enum-invalid`.
/// Blank input: empty value, no issue.
pub fn check_boolean(raw: &str) -> Checked {
    map_table(raw, BOOLEANS, "yes/no value", &["x"])
}

/// Levenshtein distance over characters.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Matches `raw` case-insensitively (after [`clean_text`]) against `allowed` and returns the
/// allowed value's own spelling (cleaned). Otherwise Error `enum-invalid` listing the allowed
/// values, suggesting the closest one by edit distance when it is within half its length
/// (at least 2 edits). Blank input: empty value, no issue.
pub fn check_enum(raw: &str, allowed: &[String]) -> Checked {
    let cleaned = clean_text(raw);
    if cleaned.is_empty() {
        return Checked {
            value: cleaned,
            issues: Vec::new(),
        };
    }
    let lower = cleaned.to_lowercase();
    let canon: Vec<String> = allowed.iter().map(|a| clean_text(a)).collect();
    if let Some(hit) = canon.iter().find(|a| a.to_lowercase() == lower) {
        return Checked {
            value: hit.clone(),
            issues: Vec::new(),
        };
    }
    let suggestion = canon
        .iter()
        .map(|a| (levenshtein(&lower, &a.to_lowercase()), a))
        .filter(|(d, a)| *d <= (a.chars().count() / 2).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a.clone());
    let message = format!(
        "\"{cleaned}\" is not an allowed value; expected one of: {}",
        canon.join(", ")
    );
    invalid(cleaned, message, suggestion)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn assert_maps(f: fn(&str) -> Checked, inputs: &[&str], want: &str) {
        for s in inputs {
            let c = f(s);
            assert_eq!(c.value, want, "{s}");
            assert!(c.issues.is_empty(), "{s}: {:?}", c.issues);
        }
    }

    fn assert_invalid(c: &Checked, raw: &str) {
        assert_eq!(c.value, clean_text(raw));
        assert_eq!(c.issues.len(), 1, "{raw}");
        assert_eq!(c.issues[0].rule, "enum-invalid");
        assert_eq!(c.issues[0].level, Level::Error);
    }

    #[test]
    fn genders() {
        assert_maps(
            check_gender,
            &["男", "男性", "M", "male", " Man ", "先生", "Mr.", "ｍ"],
            "male",
        );
        assert_maps(
            check_gender,
            &["女", "女性", "F", "FEMALE", "woman", "女士", "Ms", "w"],
            "female",
        );
        assert_maps(
            check_gender,
            &["未知", "unknown", "U", "保密", "N/A", "n.a."],
            "unknown",
        );
        assert_maps(
            check_gender,
            &["other", "其他", "X", "diverse", "non-binary", "Non Binary"],
            "other",
        );
        for s in ["1", "0", "2", "男女", "abc"] {
            assert_invalid(&check_gender(s), s);
        }
        assert!(check_gender("1").issues[0].message.contains("ambiguous"));
        assert_eq!(check_gender(" ").value, "");
        assert!(check_gender(" ").issues.is_empty());
    }

    #[test]
    fn booleans() {
        assert_maps(
            check_boolean,
            &[
                "是",
                "yes",
                "Y",
                "TRUE",
                "1",
                "同意",
                "已同意",
                "agree",
                "opt-in",
                "Opt In",
                "checked",
                "✓",
                "✔",
                "１",
            ],
            "true",
        );
        assert_maps(
            check_boolean,
            &[
                "否",
                "no",
                "N",
                "false",
                "0",
                "不同意",
                "未同意",
                "opt-out",
                "unchecked",
                "×",
                "✗",
            ],
            "false",
        );
        for s in ["x", "X", "maybe", "也许", "2"] {
            assert_invalid(&check_boolean(s), s);
        }
        assert!(check_boolean("x").issues[0].message.contains("ambiguous"));
    }

    #[test]
    fn enums() {
        let allowed: Vec<String> = ["Gold", "Silver", "Bronze", "黄金会员"]
            .map(String::from)
            .to_vec();
        assert_eq!(check_enum("gold", &allowed).value, "Gold");
        assert_eq!(check_enum(" SILVER ", &allowed).value, "Silver");
        assert_eq!(check_enum("ＧＯＬＤ", &allowed).value, "Gold");
        assert_eq!(check_enum("黄金会员", &allowed).value, "黄金会员");
        let c = check_enum("silvr", &allowed);
        assert_invalid(&c, "silvr");
        assert_eq!(c.issues[0].suggestion.as_deref(), Some("Silver"));
        assert!(c.issues[0]
            .message
            .contains("Gold, Silver, Bronze, 黄金会员"));
        assert_eq!(
            check_enum("黄金会", &allowed).issues[0]
                .suggestion
                .as_deref(),
            Some("黄金会员")
        );
        assert_eq!(check_enum("platinum", &allowed).issues[0].suggestion, None);
        assert_invalid(&check_enum("gold", &[]), "gold");
    }

    #[test]
    fn tables_have_no_conflicting_spellings() {
        for table in [GENDERS, BOOLEANS] {
            let mut seen = std::collections::HashMap::new();
            for (canonical, spellings) in table {
                for s in spellings.iter().chain(std::iter::once(canonical)) {
                    let prev = seen.insert(key(s), *canonical);
                    assert!(prev.is_none() || prev == Some(*canonical), "{s}");
                }
            }
        }
    }

    #[test]
    fn levenshtein_distance() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("abc", "abc"), 0);
        assert_eq!(levenshtein("北京", "南京"), 1);
    }

    proptest! {
        #[test]
        fn idempotent(s in any::<String>()) {
            for f in [check_gender, check_boolean] {
                let once = f(&s).value;
                prop_assert_eq!(f(&once).value, once.clone());
            }
            let allowed: Vec<String> = vec!["Gold".into(), "silver".into(), " Ａ b ".into()];
            let once = check_enum(&s, &allowed).value;
            prop_assert_eq!(check_enum(&once, &allowed).value, once.clone());
        }

        #[test]
        fn canonical_values_are_fixed_points(i in 0usize..4, j in 0usize..2) {
            let g = GENDERS[i].0;
            prop_assert_eq!(check_gender(g).value, g);
            let b = BOOLEANS[j].0;
            prop_assert_eq!(check_boolean(b).value, b);
        }

        #[test]
        fn enum_with_arbitrary_allowed(s in any::<String>(), allowed in proptest::collection::vec(any::<String>(), 0..5)) {
            let once = check_enum(&s, &allowed).value;
            prop_assert_eq!(check_enum(&once, &allowed).value, once.clone());
        }
    }
}

//! E-mail addresses: practical RFC 5322 syntax (dot-atom or quoted local part, host-name domain),
//! IDN domains processed by UTS-46 (non-transitional) into one form, Unicode labels, lower case, so
//! `user@xn--mnchen-3ya.de` and `user@MÜNCHEN.de` are one address; warnings for typo domains, role
//! addresses and disposable providers.

use super::{Checked, Issue, Level, Normalization};
use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

/// Popular mailbox providers: typo targets (exact matches are never typos).
const POPULAR: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "yahoo.com",
    "yahoo.co.jp",
    "yahoo.co.uk",
    "icloud.com",
    "me.com",
    "aol.com",
    "protonmail.com",
    "gmx.de",
    "web.de",
    "t-online.de",
    "orange.fr",
    "free.fr",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "sohu.com",
    "foxmail.com",
    "aliyun.com",
    "139.com",
    "yeah.net",
];

/// Real domains close to a popular one: never reported as typos.
const KNOWN_GOOD: &[&str] = &[
    "mac.com",
    "msn.com",
    "gmx.net",
    "gmx.at",
    "gmx.ch",
    "gmx.com",
    "live.cn",
    "live.fr",
    "live.de",
    "live.it",
    "live.ca",
    "live.nl",
    "live.co.uk",
    "hotmail.fr",
    "hotmail.de",
    "hotmail.it",
    "hotmail.es",
    "hotmail.co.uk",
    "outlook.fr",
    "outlook.de",
    "outlook.es",
    "outlook.it",
    "yahoo.fr",
    "yahoo.de",
    "yahoo.es",
    "yahoo.it",
    "yahoo.ca",
    "yahoo.in",
    "yahoo.co.in",
    "yahoo.co.kr",
    "yahoo.co.id",
    "yahoo.co.nz",
    "yahoo.com.cn",
    "yahoo.com.hk",
    "yahoo.com.tw",
    "yahoo.com.sg",
    "ymail.com",
    "aol.de",
    "aol.fr",
    "proton.me",
    "pm.me",
    "188.com",
    "189.cn",
    "vip.qq.com",
    "vip.163.com",
    "vip.126.com",
    "vip.sina.com",
    "sina.cn",
    "sina.com.cn",
    "21cn.com",
    "tom.com",
    "263.net",
    "sohu.net",
    "wo.cn",
    "free.fr",
    "sfr.fr",
    "laposte.net",
    "wanadoo.fr",
    "naver.com",
    "daum.net",
    "hanmail.net",
    "mail.com",
    "mail.ru",
    "gmail.de",
    // Real providers one or two edits from a popular one (a test holds every one of them free of warnings).
    "email.com",
    "protonmail.ch",
];

/// Top-level domains that are never real and almost always mean `.com`.
const TLD_TYPOS: &[&str] = &[
    "con", "c0m", "cmo", "ocm", "comm", "coom", "cpm", "vom", "xom", "cim", "cok", "coim",
];

const ROLE_LOCAL_PARTS: &[&str] = &[
    "admin",
    "administrator",
    "info",
    "noreply",
    "no-reply",
    "no_reply",
    "donotreply",
    "do-not-reply",
    "support",
    "sales",
    "contact",
    "webmaster",
    "postmaster",
    "hostmaster",
    "abuse",
    "office",
    "service",
    "kefu",
    "marketing",
    "billing",
    "help",
    "hr",
    "jobs",
    "root",
];

const DISPOSABLE: &[&str] = &[
    "mailinator.com",
    "guerrillamail.com",
    "guerrillamail.net",
    "guerrillamail.org",
    "guerrillamailblock.com",
    "sharklasers.com",
    "grr.la",
    "10minutemail.com",
    "10minutemail.net",
    "20minutemail.com",
    "temp-mail.org",
    "tempmail.com",
    "tempmail.net",
    "tempmailo.com",
    "temp-mail.io",
    "tempr.email",
    "yopmail.com",
    "yopmail.fr",
    "yopmail.net",
    "trashmail.com",
    "trashmail.net",
    "trashmail.de",
    "getnada.com",
    "nada.email",
    "dispostable.com",
    "maildrop.cc",
    "mailnesia.com",
    "mintemail.com",
    "mohmal.com",
    "fakeinbox.com",
    "throwawaymail.com",
    "getairmail.com",
    "emailondeck.com",
    "mailcatch.com",
    "spamgourmet.com",
    "spam4.me",
    "mytemp.email",
    "moakt.com",
    "burnermail.io",
    "discard.email",
    "33mail.com",
    "inboxkitten.com",
    "mail.tm",
    "linshiyouxiang.net",
    "bccto.me",
];

/// Characters allowed in a dot-atom besides letters and digits (RFC 5322 `atext`).
const ATEXT_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~";

fn issue(rule: &'static str, level: Level, message: String, suggestion: Option<String>) -> Issue {
    Issue {
        rule,
        level,
        message,
        suggestion,
    }
}

/// Check and normalize one e-mail address (the current normalization).
pub fn check_email(raw: &str) -> Checked {
    check_email_as(raw, Normalization::CURRENT)
}

/// Check and normalize one e-mail address as `version` normalizes it: from n2 the domain is written in one
/// form (UTS-46 non-transitional: `xn--` labels decoded, case and width folded); n1 kept the domain as it was
/// written, lower-cased, and is kept to reproduce tokens made with it.
pub fn check_email_as(raw: &str, version: Normalization) -> Checked {
    let cleaned = clean(raw);
    if cleaned.is_empty() {
        return Checked {
            value: String::new(),
            issues: Vec::new(),
        };
    }
    let (local, domain) = match parse(&cleaned) {
        Ok((local, Domain { written, unicode })) => match version {
            Normalization::N1 => (local, written),
            Normalization::N2 => (local, unicode),
        },
        Err(message) => {
            // A typo may also break the syntax (`gmail.c0m`): suggest the fix when it parses.
            let suggestion = cleaned.rsplit_once('@').and_then(|(local, domain)| {
                let fixed = format!("{local}@{}", typo_fix(&domain.to_lowercase())?);
                parse(&fixed).is_ok().then_some(fixed)
            });
            return Checked {
                value: cleaned,
                issues: vec![issue("email-syntax", Level::Error, message, suggestion)],
            };
        }
    };
    let value = format!("{local}@{domain}");
    let mut issues = Vec::new();

    let disposable = disposable_provider(&domain);
    if let Some(fixed) = typo_fix(&domain).filter(|_| disposable.is_none()) {
        issues.push(issue(
            "email-typo-domain",
            Level::Warning,
            format!("domain {domain} looks like a typo of {fixed}"),
            Some(format!("{local}@{fixed}")),
        ));
    }
    let role = local.to_lowercase();
    let role = role.split('+').next().unwrap_or_default();
    if ROLE_LOCAL_PARTS.contains(&role) {
        issues.push(issue(
            "email-role-address",
            Level::Warning,
            format!("{local}@ is a role address, not a person's mailbox"),
            None,
        ));
    }
    if let Some(provider) = disposable {
        issues.push(issue(
            "email-disposable",
            Level::Warning,
            format!("{provider} is a disposable (throw-away) e-mail provider"),
            None,
        ));
    }
    Checked { value, issues }
}

/// NFKC (full-width ＠ and letters), trim, ideographic full stop as dot, `mailto:` and `<...>` removed.
fn clean(raw: &str) -> String {
    let nfkc: String = super::nfkc(raw)
        .chars()
        .map(|c| if c == '\u{3002}' { '.' } else { c })
        .collect();
    let mut s = nfkc.trim();
    loop {
        let before = s;
        if s.len() >= 7 && s.is_char_boundary(7) && s[..7].eq_ignore_ascii_case("mailto:") {
            s = s[7..].trim();
        }
        if let Some(inner) = s.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
            s = inner.trim();
        }
        if s == before {
            break;
        }
    }
    s.to_string()
}

/// Position (1-based, in characters) of byte offset `at` in `s`.
fn position(s: &str, at: usize) -> usize {
    s[..at].chars().count() + 1
}

/// A valid domain in its two forms.
struct Domain {
    /// As written, lower-cased (NFKC): the n1 form.
    written: String,
    /// UTS-46 processed: every label in Unicode, lower case (`xn--mnchen-3ya.de` is `münchen.de`).
    unicode: String,
}

/// Split and validate; returns the local part as typed and the domain.
fn parse(s: &str) -> Result<(String, Domain), String> {
    let at = if s.starts_with('"') {
        quoted_local_end(s)?
    } else {
        match s.matches('@').count() {
            0 => return Err("no @ in the address".into()),
            1 => s.find('@').unwrap_or_default(),
            n => return Err(format!("{n} @ signs; an address has exactly one")),
        }
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.is_empty() {
        return Err("empty local part (nothing before @)".into());
    }
    if local == "\"\"" {
        // RFC 5321 syntax allows it; no mailbox is named so (email-validator refuses it too).
        return Err("empty local part (nothing between the quotes)".into());
    }
    if local.chars().count() > 64 {
        return Err("local part longer than 64 characters".into());
    }
    if !local.starts_with('"') {
        check_dot_atom(s, local)?;
    }
    let domain = check_domain(s, at + 1, domain)?;
    Ok((local.to_string(), domain))
}

/// Byte offset of the `@` after a quoted local part starting at 0.
fn quoted_local_end(s: &str) -> Result<usize, String> {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            return match s[i + 1..].chars().next() {
                Some('@') if !s[i + 2..].contains('@') => Ok(i + 1),
                Some('@') => Err("more than one @ after the quoted local part".into()),
                None => Err("no @ in the address".into()),
                Some(other) => Err(format!(
                    "bad character '{other}' at position {}: expected @ after the closing quote",
                    position(s, i + 1)
                )),
            };
        } else if c.is_control() {
            return Err(format!(
                "bad character {:?} at position {} in the quoted local part",
                c,
                position(s, i)
            ));
        }
    }
    Err("unterminated quote in the local part".into())
}

fn check_dot_atom(s: &str, local: &str) -> Result<(), String> {
    if local.starts_with('.') {
        return Err("local part starts with '.'".into());
    }
    if local.ends_with('.') {
        return Err("local part ends with '.' (just before @)".into());
    }
    if local.contains("..") {
        return Err("two dots in a row in the local part".into());
    }
    for (i, c) in local.char_indices() {
        let ok = c.is_ascii_alphanumeric()
            || ATEXT_SPECIALS.contains(c)
            || c == '.'
            || (!c.is_ascii() && c.is_alphanumeric());
        if !ok {
            return Err(format!(
                "bad character '{c}' at position {}",
                position(s, i)
            ));
        }
    }
    Ok(())
}

/// Validate the domain (starting at byte `start` of `s`).
fn check_domain(s: &str, start: usize, domain: &str) -> Result<Domain, String> {
    if domain.is_empty() {
        return Err("empty domain (nothing after @)".into());
    }
    if domain.starts_with('[') {
        return Err("IP-address domains ([...]) are not accepted".into());
    }
    let lower: String = super::nfkc(&domain.to_lowercase()).into_owned();
    if domain.ends_with('.') {
        return Err("domain ends with '.'".into());
    }
    if domain.starts_with('.') {
        return Err("domain starts with '.'".into());
    }
    if domain.contains("..") {
        return Err("two dots in a row in the domain".into());
    }
    if !domain.contains('.') {
        return Err(format!(
            "domain {domain} has no dot (missing .com or similar?)"
        ));
    }
    let mut offset = start;
    for label in domain.split('.') {
        if label.starts_with('-') {
            return Err(format!("domain label '{label}' starts with '-'"));
        }
        if label.ends_with('-') {
            return Err(format!("domain label '{label}' ends with '-'"));
        }
        for (i, c) in label.char_indices() {
            if !domain_char(c) {
                return Err(format!(
                    "bad character '{c}' at position {} in the domain",
                    position(s, offset + i)
                ));
            }
        }
        if label.chars().count() > 63 {
            return Err(format!("domain label '{label}' longer than 63 characters"));
        }
        offset += label.len() + 1;
    }
    let ascii = to_ascii(&lower).ok_or_else(|| idna_problem(domain, &lower))?;
    if ascii.len() > 253 {
        return Err("domain longer than 253 characters".into());
    }
    if let Some(label) = ascii.split('.').find(|l| l.len() > 63) {
        return Err(format!("domain label '{label}' longer than 63 characters"));
    }
    let tld = ascii.rsplit('.').next().unwrap_or_default();
    let tld_ok = (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
        || (tld.starts_with("xn--") && tld.len() > 4);
    if !tld_ok {
        return Err(format!(
            "top-level domain '{tld}' is not valid (letters only, at least 2)"
        ));
    }
    let unicode = if ascii.contains("xn--") {
        match Uts46::new().to_unicode(ascii.as_bytes(), AsciiDenyList::STD3, Hyphens::Check) {
            (u, Ok(())) => u.into_owned(),
            // ToASCII accepted it, so ToUnicode does too; kept as written should it ever not.
            (_, Err(_)) => lower.clone(),
        }
    } else {
        ascii.into_owned()
    };
    // An A-label may decode to what would be refused written out (`xn--ls8h` is an emoji).
    if let Some(c) = unicode.chars().find(|&c| !(domain_char(c) || c == '.')) {
        return Err(format!(
            "domain {domain} is {unicode} in Unicode: character '{c}' is not a letter or digit"
        ));
    }
    Ok(Domain {
        written: lower,
        unicode,
    })
}

/// A character a domain label may hold: ASCII letters, digits and `-`, and letters and digits of any script.
fn domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || (!c.is_ascii() && c.is_alphanumeric())
}

/// UTS-46 ToASCII, non-transitional, with the STD3 rules, hyphen checks and DNS lengths (the `idna`
/// crate's strict form); `None` when the domain is not a valid internationalized domain name.
fn to_ascii(domain: &str) -> Option<std::borrow::Cow<'_, str>> {
    Uts46::new()
        .to_ascii(
            domain.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Check,
            DnsLength::Verify,
        )
        .ok()
}

/// Why UTS-46 refuses `lower` (the domain as written, `domain`): the first label that fails on its own, and
/// in it the character that is not allowed, when one is.
fn idna_problem(domain: &str, lower: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    let Some(label) = lower.split('.').find(|l| to_ascii(l).is_none()) else {
        return format!(
            "domain {domain} is not a valid internationalized domain name: its right-to-left labels \
             break the IDNA bidirectional rules"
        );
    };
    if label
        .as_bytes()
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"xn--"))
    {
        return format!(
            "domain label '{label}' is not a valid IDNA A-label: its punycode does not decode to an \
             allowed label"
        );
    }
    if label.chars().next().is_some_and(is_combining_mark) {
        return format!(
            "domain label '{label}' starts with a combining mark (not allowed by IDNA)"
        );
    }
    let refused = label.chars().find(|&c| {
        let alone = if is_combining_mark(c) {
            format!("a{c}")
        } else {
            c.to_string()
        };
        to_ascii(&alone).is_none()
    });
    match refused {
        Some(c) => format!(
            "domain label '{label}': character '{c}' (U+{:04X}) is not allowed in domain names (UTS-46)",
            c as u32
        ),
        None => format!(
            "domain label '{label}' is not a valid internationalized label: its characters are allowed \
             but not in this order (IDNA rules for joiners, marks and right-to-left text)"
        ),
    }
}

thread_local! {
    /// Typo verdicts per domain: a customer list has few distinct domains and many addresses.
    static TYPO_MEMO: std::cell::RefCell<std::collections::HashMap<String, Option<String>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The domain this one was probably meant to be, if it looks like a typo of a popular provider.
fn typo_fix(domain: &str) -> Option<String> {
    if let Some(hit) = TYPO_MEMO.with(|m| m.borrow().get(domain).cloned()) {
        return hit;
    }
    let verdict = typo_fix_uncached(domain);
    TYPO_MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 100_000 {
            m.clear();
        }
        m.insert(domain.to_string(), verdict.clone());
    });
    verdict
}

fn typo_fix_uncached(domain: &str) -> Option<String> {
    if POPULAR.contains(&domain) || KNOWN_GOOD.contains(&domain) {
        return None;
    }
    let (name, tld) = domain.rsplit_once('.')?;
    if TLD_TYPOS.contains(&tld) {
        let fixed = format!("{name}.com");
        return Some(typo_fix(&fixed).unwrap_or(fixed));
    }
    let first = domain.split('.').next().unwrap_or_default();
    POPULAR
        .iter()
        .filter_map(|p| {
            let d = strsim::damerau_levenshtein(domain, p);
            let limit = if p.len() >= 12 { 2 } else { 1 };
            let p_first = p.split('.').next().unwrap_or_default();
            // Very short names (qq, me) differ from other real domains by one letter: only
            // accept a typo there when the name itself is intact.
            let short_guard = p_first.chars().count() <= 3 && p_first != first;
            (d <= limit && !short_guard).then_some((d, *p))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, p)| p.to_string())
}

fn disposable_provider(domain: &str) -> Option<&'static str> {
    DISPOSABLE.iter().copied().find(|d| {
        domain == *d
            || domain
                .strip_suffix(d)
                .is_some_and(|head| head.ends_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(raw: &str, expected: &str) -> Checked {
        let c = check_email(raw);
        assert_eq!(c.value, expected, "{raw:?}: {c:?}");
        assert!(
            c.issues.iter().all(|i| i.level == Level::Warning),
            "{raw:?}: {c:?}"
        );
        c
    }

    fn syntax(raw: &str, needle: &str) {
        let c = check_email(raw);
        assert_eq!(c.issues.len(), 1, "{raw:?}: {c:?}");
        let i = &c.issues[0];
        assert_eq!((i.rule, i.level), ("email-syntax", Level::Error), "{raw:?}");
        assert!(
            i.message.contains(needle),
            "{raw:?}: {:?} lacks {needle:?}",
            i.message
        );
        assert_eq!(c.value, clean(raw), "keeps the cleaned input");
    }

    fn rules(c: &Checked) -> Vec<&'static str> {
        c.issues.iter().map(|i| i.rule).collect()
    }

    #[test]
    fn empty_is_empty() {
        for raw in ["", "  ", "\u{3000}"] {
            let c = check_email(raw);
            assert_eq!(c.value, "");
            assert!(c.issues.is_empty());
        }
    }

    #[test]
    fn valid_addresses() {
        let c = ok("  John.Smith@Example.COM ", "John.Smith@example.com");
        assert!(c.issues.is_empty());
        ok("zhang.san+news@qq.com", "zhang.san+news@qq.com");
        ok("user_1@mail.example.co.uk", "user_1@mail.example.co.uk");
        ok("o'brien@example.ie", "o'brien@example.ie");
        ok("\"john doe\"@example.com", "\"john doe\"@example.com");
        ok("mailto:li.lei@163.com", "li.lei@163.com");
        ok("<li.lei@163.com>", "li.lei@163.com");
        // An A-label is written in Unicode, as the same domain typed in Unicode is.
        ok("x@xn--fiqs8s.cn", "x@中国.cn");
    }

    #[test]
    fn one_domain_one_form() {
        for spelling in [
            "user@münchen.de",
            "user@xn--mnchen-3ya.de",
            "user@XN--MNCHEN-3YA.DE",
            "user@MÜNCHEN.de",
            "user@ｍünchen.de",
            "user@mu\u{308}nchen.de",
        ] {
            let c = ok(spelling, "user@münchen.de");
            assert!(c.issues.is_empty(), "{spelling}: {c:?}");
        }
        ok("info@xn--fsqu00a.xn--fiqs8s", "info@例子.中国");
        // Non-transitional processing: ß is a letter of its own, not ss.
        ok("a@faß.de", "a@faß.de");
        ok("a@xn--fa-hia.de", "a@faß.de");
        ok("a@fass.de", "a@fass.de");
    }

    #[test]
    fn n1_keeps_the_domain_as_written() {
        for (raw, n1) in [
            ("user@xn--mnchen-3ya.de", "user@xn--mnchen-3ya.de"),
            ("user@MÜNCHEN.de", "user@münchen.de"),
            ("x@xn--fiqs8s.cn", "x@xn--fiqs8s.cn"),
            ("A@B.com", "A@b.com"),
        ] {
            assert_eq!(check_email_as(raw, Normalization::N1).value, n1, "{raw}");
        }
    }

    #[test]
    fn invalid_idna_labels_are_named() {
        syntax(
            "a@xn--a.de",
            "domain label 'xn--a' is not a valid IDNA A-label",
        );
        syntax(
            "a@xn--ls8h.la",
            "character '\u{1f4a9}' is not a letter or digit",
        );
        syntax("a@\u{93e}क.in", "starts with a combining mark");
        syntax("a@ab--c.de", "domain label 'ab--c'");
    }

    #[test]
    fn chinese_inputs() {
        // Full-width letters, @ and dot.
        ok("ｚｈａｎｇｓａｎ＠ｑｑ．ｃｏｍ", "zhangsan@qq.com");
        ok("lilei＠163.com", "lilei@163.com");
        ok("lilei@163。com", "lilei@163.com");
        // IDN domain kept in Unicode, lower-cased; validated via punycode.
        ok("info@例子.中国", "info@例子.中国");
        ok("wang@公司.CN", "wang@公司.cn");
        // EAI local part.
        ok("张三@example.com", "张三@example.com");
        syntax("张三 @qq.com", "bad character ' ' at position 3");
        syntax("zhangsan#qq.com", "no @");
        syntax("zhangsan@qq", "no dot");
        syntax("李@.com", "starts with '.'");
    }

    #[test]
    fn syntax_errors() {
        syntax("plainaddress", "no @");
        syntax("a@b@c.com", "2 @ signs");
        syntax("@example.com", "empty local part");
        syntax("john@", "empty domain");
        syntax(".john@example.com", "starts with '.'");
        syntax("john.@example.com", "ends with '.'");
        syntax("jo..hn@example.com", "two dots");
        syntax("jo(hn@example.com", "bad character '(' at position 3");
        syntax("john@exa_mple.com", "bad character '_' at position 9");
        syntax("john@example", "no dot");
        syntax("john@example.com.", "ends with '.'");
        syntax("john@example..com", "two dots");
        syntax("john@-example.com", "starts with '-'");
        syntax("john@example-.com", "ends with '-'");
        syntax("john@example.c", "top-level domain 'c'");
        syntax("john@example.123", "top-level domain '123'");
        syntax("john@[192.168.0.1]", "IP-address");
        syntax("\"\"@example.com", "nothing between the quotes");
        syntax("\"john@example.com", "unterminated quote");
        syntax(&format!("{}@example.com", "a".repeat(65)), "64");
        syntax(&format!("a@{}.com", "b".repeat(64)), "63");
    }

    #[test]
    fn typo_domains() {
        for (typo, fixed) in [
            ("gmial.com", "gmail.com"),
            ("gmai.com", "gmail.com"),
            ("gmail.con", "gmail.com"),
            ("gmail.co", "gmail.com"),
            ("gamil.com", "gmail.com"),
            ("hotmial.com", "hotmail.com"),
            ("hotmail.con", "hotmail.com"),
            ("outlok.com", "outlook.com"),
            ("yahoo.con", "yahoo.com"),
            ("yaho.com", "yahoo.com"),
            ("iclod.com", "icloud.com"),
            ("icloud.con", "icloud.com"),
            ("qq.con", "qq.com"),
            ("qq.cm", "qq.com"),
            ("163.cm", "163.com"),
            ("163.con", "163.com"),
            ("126.con", "126.com"),
            ("sina.con", "sina.com"),
            ("foxmial.com", "foxmail.com"),
            ("yahoo.co.jb", "yahoo.co.jp"),
            ("gmial.con", "gmail.com"),
            ("protonmial.con", "protonmail.com"),
            ("example.con", "example.com"),
        ] {
            let c = check_email(&format!("Wang.Wei@{typo}"));
            assert_eq!(
                c.value,
                format!("Wang.Wei@{typo}"),
                "value keeps what was typed"
            );
            assert_eq!(rules(&c), ["email-typo-domain"], "{typo}");
            assert_eq!(c.issues[0].level, Level::Warning);
            assert_eq!(
                c.issues[0].suggestion.as_deref(),
                Some(format!("Wang.Wei@{fixed}").as_str()),
                "{typo}"
            );
        }
    }

    #[test]
    fn typo_breaking_syntax_gets_a_suggestion() {
        let c = check_email("li@gmail.c0m");
        assert_eq!(rules(&c), ["email-syntax"]);
        assert_eq!(c.issues[0].suggestion.as_deref(), Some("li@gmail.com"));
    }

    /// Real mailbox providers, some one letter from a popular one (`email.com`, `protonmail.ch`): never
    /// typos of anything.
    #[test]
    fn real_providers_are_never_typos() {
        let real = [
            "email.com",
            "mail.com",
            "protonmail.ch",
            "proton.me",
            "gmx.com",
            "ymail.com",
            "rocketmail.com",
            "zoho.com",
            "yandex.com",
            "yandex.ru",
            "fastmail.com",
            "tutanota.com",
            "mail.de",
            "posteo.de",
            "seznam.cz",
            "comcast.net",
            "verizon.net",
            "att.net",
            "sbcglobal.net",
            "btinternet.com",
            "sky.com",
            "libero.it",
            "wp.pl",
            "o2.pl",
            "hanmail.net",
            "naver.com",
            "daum.net",
            "nate.com",
            "163.net",
            "126.net",
            "sina.net",
            "hotmail.be",
            "hotmail.nl",
            "live.com.au",
            "outlook.jp",
            "yahoo.com.br",
            "aim.com",
        ];
        for d in real
            .iter()
            .chain(POPULAR)
            .chain(KNOWN_GOOD)
            .chain(DISPOSABLE)
        {
            let c = check_email(&format!("a.b@{d}"));
            assert!(
                c.issues.iter().all(|i| i.rule != "email-typo-domain"),
                "{d}: {c:?}"
            );
        }
        // The ones a letter away are still caught.
        assert_eq!(rules(&check_email("a.b@gemail.com")), ["email-typo-domain"]);
    }

    #[test]
    fn no_false_typos() {
        for d in [
            "gmail.com",
            "mac.com",
            "me.com",
            "gmx.net",
            "live.cn",
            "yahoo.co.uk",
            "qq.com",
            "vip.qq.com",
            "188.com",
            "tom.com",
            "example.com",
            "company.cn",
            "hotmail.co.uk",
            "sina.com.cn",
            "mail.ru",
            "ibm.com",
            "cm.com",
        ] {
            let c = check_email(&format!("a.b@{d}"));
            assert!(c.issues.is_empty(), "{d}: {c:?}");
        }
    }

    #[test]
    fn role_addresses() {
        for local in [
            "admin", "Info", "noreply", "no-reply", "support", "kefu", "sales+cn",
        ] {
            let c = check_email(&format!("{local}@company.cn"));
            assert_eq!(rules(&c), ["email-role-address"], "{local}");
        }
        assert!(check_email("information@company.cn").issues.is_empty());
    }

    #[test]
    fn disposable_domains() {
        for d in [
            "mailinator.com",
            "guerrillamail.com",
            "yopmail.com",
            "foo.mailinator.com",
        ] {
            let c = check_email(&format!("x.y@{d}"));
            assert_eq!(rules(&c), ["email-disposable"], "{d}");
        }
        assert!(check_email("x.y@notmailinator.com").issues.is_empty());
        let c = check_email("admin@yopmail.com");
        assert_eq!(rules(&c), ["email-role-address", "email-disposable"]);
    }

    fn errors(c: &Checked) -> usize {
        c.issues.iter().filter(|i| i.level == Level::Error).count()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = check_email(&s);
        }

        #[test]
        fn idempotent_emailish(
            s in "[ <]?[A-Za-zＡ-Ｚ0-9._+'张-]{0,10}[@＠]{0,2}[A-Za-z0-9.\\-例中]{0,12}(\\.[A-Za-z]{0,4}|。com)?[ >]?",
        ) {
            let first = check_email(&s);
            let second = check_email(&first.value);
            prop_assert_eq!(&second.value, &first.value);
            prop_assert!(errors(&second) <= errors(&first), "{:?} -> {:?}", first, second);
        }

        /// Every spelling of an IDN domain gives the value its Unicode spelling gives.
        #[test]
        fn a_label_and_u_label_agree(label in "[a-zäöüßéèàçñ例子中国]{1,8}", tld in "(de|com|cn)") {
            let unicode = check_email(&format!("x@{label}.{tld}"));
            prop_assume!(unicode.issues.is_empty());
            let ascii = idna::domain_to_ascii_strict(&format!("{label}.{tld}")).unwrap();
            let via_ascii = check_email(&format!("x@{}", ascii.to_uppercase()));
            prop_assert_eq!(&via_ascii.value, &unicode.value);
            prop_assert!(via_ascii.issues.is_empty());
        }

        #[test]
        fn idempotent_any(s in "\\PC{0,30}") {
            let first = check_email(&s);
            let second = check_email(&first.value);
            prop_assert_eq!(&second.value, &first.value);
            prop_assert!(errors(&second) <= errors(&first));
        }
    }
}

//! The review page: one self-contained HTML file (inline CSS and script, no network, a strict
//! Content-Security-Policy) where a steward decides each uncertain pair and saves the decisions as a CSV
//! file that `steward dedupe --labels` reads.
//!
//! The pairs travel as JSON inside a non-executed `application/json` script element, with `<`, `>` and `&`
//! written as JSON escapes so no value can close it; the page's script puts every value in the page as text
//! (`textContent`), never as markup. The CSP allows exactly the page's own script and style by their hashes.

use anyhow::Result;
use base64::Engine as _;

use super::html::esc;
use crate::dedupe::ReviewSet;

const SCRIPT: &str = include_str!("review_page/review.js");
const STYLE: &str = include_str!("review_page/review.css");

/// `'sha256-...'` of a script or style element's text, as a Content-Security-Policy names it.
fn csp_hash(text: &str) -> String {
    let digest = <sha2::Sha256 as sha2::Digest>::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// JSON that can sit inside a `<script>` element: no `<`, `>` or `&` (written as `\u003c`...), so no value
/// can end the element or start a comment; JSON.parse reads it back unchanged.
fn script_json(set: &ReviewSet) -> Result<String> {
    let json = serde_json::to_string(set)?;
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// The whole page for `set`; `title` (escaped here) names the run's sources.
pub fn render_review(set: &ReviewSet, title: &str) -> Result<String> {
    let csp = format!(
        "default-src 'none'; script-src {}; style-src {}; img-src 'none'; connect-src 'none'; \
         font-src 'none'; base-uri 'none'; form-action 'none'",
        csp_hash(SCRIPT),
        csp_hash(STYLE)
    );
    let data = script_json(set)?;
    let title = esc(title);
    Ok(format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Review pairs: {title}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>Review pairs: {title}</h1>
<dl class="settings" id="settings"></dl>
<div class="bar">
<label>probability from <input id="min" type="number" min="0" max="100" step="0.1" placeholder="0"> %</label>
<label>to <input id="max" type="number" min="0" max="100" step="0.1" placeholder="100"> %</label>
<label>only where <select id="field"><option value="">any field</option></select></label>
<label><input id="undecided" type="checkbox"> undecided only</label>
<button type="button" class="save" id="save">Save decisions (CSV)</button>
<span id="count" role="status"></span>
</div>
<p class="keys">Keys: <kbd>m</kbd> match, <kbd>n</kbd> not a match, <kbd>u</kbd> unsure (then the next pair);
<kbd>j</kbd> / <kbd>k</kbd> next / previous. Saved decisions go back with
<code>steward dedupe ... --labels review-decisions.csv</code>. This page holds personal data: keep it as you keep
the sources.</p>
</header>
<main id="pairs"></main>
<script id="review-data" type="application/json">{data}</script>
<script>{SCRIPT}</script>
</body>
</html>
"#
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedupe::{ReviewPair, Weighed};

    fn set(name: &str) -> ReviewSet {
        ReviewSet {
            threshold: 0.9,
            review_lower: 0.5,
            model: "Fellegi-Sunter".into(),
            fields: vec!["name".into()],
            pairs: vec![ReviewPair {
                id_a: "1".into(),
                id_b: "2".into(),
                source_a: "crm.csv".into(),
                row_a: "2".into(),
                source_b: "crm.csv".into(),
                row_b: "3".into(),
                probability: 0.7,
                weight: 1.2,
                values: vec![[name.into(), "Ann".into()]],
                prior: -3.0,
                comparisons: vec![Weighed {
                    comparison: "name".into(),
                    fields: vec!["name".into()],
                    level: "fuzzy".into(),
                    weight: 4.2,
                }],
                guards: vec![],
            }],
        }
    }

    #[test]
    fn values_cannot_become_markup() {
        let hostile = "</script><script>alert(1)</script><!-- & \u{2028}";
        let page = render_review(&set(hostile), "<b>crm.csv</b>").unwrap();
        assert_eq!(
            page.matches("<script").count(),
            2,
            "only the data and code elements"
        );
        assert!(!page.contains("alert(1)</script>"));
        assert!(!page.contains("<b>crm.csv"));
        assert!(page.contains("&lt;b&gt;crm.csv"));
        // The data reads back as it was.
        let json = page
            .split("<script id=\"review-data\" type=\"application/json\">")
            .nth(1)
            .and_then(|s| s.split("</script>").next())
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["pairs"][0]["values"][0][0], hostile);
    }

    #[test]
    fn the_page_loads_nothing_and_allows_only_its_own_code() {
        let page = render_review(&set("Ann"), "crm.csv").unwrap();
        // The SVG namespace is a name, never loaded.
        let loaded = page.replace("\"http://www.w3.org/2000/svg\"", "");
        for external in ["http:", "https:", "src=", "href=", "@import", "url("] {
            assert!(!loaded.contains(external), "{external}");
        }
        assert!(page.contains(&format!("script-src {};", csp_hash(SCRIPT))));
        assert!(page.contains(&format!("style-src {};", csp_hash(STYLE))));
        assert!(page.contains(&format!("<script>{SCRIPT}</script>")));
        assert!(page.contains(&format!("<style>{STYLE}</style>")));
        assert!(page.contains("default-src 'none'"));
        assert!(!page.contains("innerHTML") && !page.contains("eval("));
    }
}

//! Self-contained HTML rendering of a `steward clean` report (report.json) and of `steward profile --html`.
//!
//! The output is one HTML page with inline CSS and inline SVG charts: no
//! JavaScript, no external fonts, images, stylesheets or URLs of any kind, so
//! it can be filed as evidence and opened/printed offline. Every string taken
//! from the input JSON goes through [`esc`]. Every section except the top-level
//! row counts is optional; missing or null sections are skipped (or shown as
//! "not available") and never cause a panic.

use serde_json::Value;
use std::fmt::Write as _;

/// Escape text for use in HTML element content and in double- or
/// single-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Number formatting
// ---------------------------------------------------------------------------

/// Integer with thousands separators: 1234567 -> "1,234,567".
fn fmt_int(n: i64) -> String {
    let digits = crate::fields::text::grouped(n.unsigned_abs());
    if n < 0 {
        format!("-{digits}")
    } else {
        digits
    }
}

/// Fixed-point number with thousands separators: 12345.5 -> "12,345.50".
fn fmt_dec(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int_part, frac) = match s.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (s.as_str(), None),
    };
    let int_val: i64 = int_part.parse().unwrap_or(0);
    let mut out = String::new();
    // "-0.00" would be odd; only print the sign when something non-zero shows.
    if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    out.push_str(&fmt_int(int_val));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A count that may arrive as an integer or a float.
fn fmt_count(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        fmt_int(x as i64)
    } else {
        fmt_dec(x, 2)
    }
}

/// Ratio (0..1) as a percentage: 0.384 -> "38.4%".
fn fmt_pct(r: f64) -> String {
    if !r.is_finite() {
        return "–".to_string();
    }
    format!("{}%", fmt_dec(r * 100.0, 1))
}

fn fmt_bytes(b: f64) -> String {
    if !b.is_finite() || b < 0.0 {
        return "–".to_string();
    }
    let units = ["KiB", "MiB", "GiB", "TiB"];
    if b < 1024.0 {
        return format!("{} B", fmt_count(b));
    }
    let mut v = b;
    let mut unit = "B";
    for u in units {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{} {}", fmt_dec(v, 1), unit)
}

// ---------------------------------------------------------------------------
// JSON access helpers (all tolerant of missing / null / wrong types)
// ---------------------------------------------------------------------------

fn num(v: &Value, key: &str) -> Option<f64> {
    match v.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
}

fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

/// Returns the object/array at `key` unless absent or null.
fn section<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v.get(key) {
        None | Some(Value::Null) => None,
        Some(x) => Some(x),
    }
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    match v.get(key) {
        Some(Value::Array(a)) => a.as_slice(),
        _ => &[],
    }
}

fn cell_count(v: &Value, key: &str) -> String {
    num(v, key).map(fmt_count).unwrap_or_else(|| "–".into())
}

fn cell_text(v: &Value, key: &str) -> String {
    text(v, key).map(|s| data(&s)).unwrap_or_else(|| "–".into())
}

// ---------------------------------------------------------------------------
// SVG helpers
// ---------------------------------------------------------------------------

const BAR_W: f64 = 72.0;
const COL_BAR: &str = "#3b6ea5";
const COL_TRACK: &str = "#e6eaef";
const COL_WARN: &str = "#b7791f";
const COL_BAD: &str = "#b42318";

/// Small inline horizontal bar for a ratio in 0..1 (table cell use).
fn ratio_bar(ratio: Option<f64>) -> String {
    let Some(r) = ratio.filter(|r| r.is_finite()) else {
        return "<span class=\"muted\">n/a</span>".into();
    };
    let r = r.clamp(0.0, 1.0);
    let color = if r >= 0.95 {
        COL_BAR
    } else if r >= 0.8 {
        COL_WARN
    } else {
        COL_BAD
    };
    let w = BAR_W * r;
    format!(
        "<span class=\"ratio\"><svg class=\"mini\" width=\"{bw}\" height=\"12\" viewBox=\"0 0 {bw} 12\" role=\"img\" aria-label=\"{p}\">\
<rect x=\"0\" y=\"1\" width=\"{bw}\" height=\"10\" fill=\"{track}\"/>\
<rect x=\"0\" y=\"1\" width=\"{w:.1}\" height=\"10\" fill=\"{color}\"/></svg>\
<span class=\"num\">{p}</span></span>",
        bw = BAR_W,
        track = COL_TRACK,
        p = fmt_pct(r),
    )
}

/// Horizontal bar chart: one row per (label, value). Labels are escaped here.
fn hbar_chart(title: &str, rows: &[(String, f64)], value_fmt: &dyn Fn(f64) -> String) -> String {
    if rows.is_empty() {
        return format!("<p class=\"muted\">{}: no data.</p>", esc(title));
    }
    let label_w = 170.0;
    let bar_w = 380.0;
    let val_w = 110.0;
    let row_h = 20.0;
    let width = label_w + bar_w + val_w;
    let height = row_h * rows.len() as f64 + 6.0;
    let max = rows
        .iter()
        .map(|(_, v)| *v)
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{t}\">",
        t = esc(title)
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 3.0 + i as f64 * row_h;
        let v = if value.is_finite() {
            value.max(0.0)
        } else {
            0.0
        };
        let w = if max > 0.0 { bar_w * v / max } else { 0.0 };
        let shown: String = if label.chars().count() > 26 {
            let mut t: String = label.chars().take(25).collect();
            t.push('…');
            t
        } else {
            label.clone()
        };
        let _ = write!(
            s,
            "<text x=\"{lx}\" y=\"{ty:.1}\" text-anchor=\"end\" class=\"lbl\">{l}</text>\
<rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"{bh:.1}\" fill=\"{track}\"/>\
<rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{bh:.1}\" fill=\"{bar}\"/>\
<text x=\"{vx}\" y=\"{ty:.1}\" text-anchor=\"end\" class=\"val\">{val}</text>",
            lx = label_w - 6.0,
            ty = y + row_h * 0.62,
            l = esc(&shown),
            bh = row_h - 5.0,
            track = COL_TRACK,
            bar = COL_BAR,
            vx = width - 2.0,
            val = esc(&value_fmt(*value)),
        );
    }
    s.push_str("</svg>");
    s
}

// ---------------------------------------------------------------------------
// Language and fonts, chosen from the data
// ---------------------------------------------------------------------------

/// The language of CJK text, by its script: kana means Japanese, hangul Korean, other Han characters Chinese.
/// `None` for text without CJK characters.
pub fn cjk_lang(s: &str) -> Option<&'static str> {
    let (mut han, mut kana, mut hangul) = (false, false, false);
    for c in s.chars() {
        match c as u32 {
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => kana = true,
            0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => hangul = true,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F => han = true,
            0x3000..=0x303F | 0xFF00..=0xFF65 => han = true,
            _ => {}
        }
    }
    if kana {
        Some("ja")
    } else if hangul {
        Some("ko")
    } else if han {
        Some("zh")
    } else {
        None
    }
}

/// The CJK language most of the report's text is in (counted over every string of the JSON), if any.
fn report_lang(report: &Value) -> Option<&'static str> {
    fn walk(v: &Value, n: &mut [usize; 3]) {
        match v {
            Value::String(s) => match cjk_lang(s) {
                Some("zh") => n[0] += 1,
                Some("ja") => n[1] += 1,
                Some("ko") => n[2] += 1,
                _ => {}
            },
            Value::Array(a) => a.iter().for_each(|x| walk(x, n)),
            Value::Object(o) => o.iter().for_each(|(k, x)| {
                walk(&Value::String(k.clone()), n);
                walk(x, n)
            }),
            _ => {}
        }
    }
    let mut n = [0usize; 3];
    walk(report, &mut n);
    let (i, max) = n.iter().enumerate().max_by_key(|(_, k)| **k)?;
    (*max > 0).then_some(["zh", "ja", "ko"][i])
}

/// Text from the data, escaped; CJK text carries its `lang` so the browser picks a font with its glyphs
/// (and the right glyph forms for Chinese, Japanese or Korean).
fn data(s: &str) -> String {
    match cjk_lang(s) {
        Some(l) => format!("<span lang=\"{l}\">{}</span>", esc(s)),
        None => esc(s),
    }
}

/// CJK fonts people have: macOS, Windows, then Linux distributions' packages (Noto CJK, WenQuanYi).
const FONTS_ZH: &str = "\"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\", \"Microsoft JhengHei\", \
\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Zen Hei\", \"WenQuanYi Micro Hei\", \"Droid Sans Fallback\"";
const FONTS_JA: &str = "\"Hiragino Sans\", \"Hiragino Kaku Gothic ProN\", \"Yu Gothic\", Meiryo, \
\"Noto Sans CJK JP\", \"Source Han Sans JP\", \"IPAexGothic\", \"TakaoPGothic\"";
const FONTS_KO: &str = "\"Apple SD Gothic Neo\", \"Malgun Gothic\", \"Noto Sans CJK KR\", \
\"Source Han Sans KR\", \"NanumGothic\", \"UnDotum\"";
const FONTS_LATIN: &str =
    "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, \
\"Noto Sans\", \"Liberation Sans\", \"DejaVu Sans\"";

/// The page's font rules: Latin fonts first (figures and labels), then every CJK stack, the data's own
/// language first; and per `lang`, that language's stack before the others.
fn font_css(lang: Option<&str>) -> String {
    let stacks = [("zh", FONTS_ZH), ("ja", FONTS_JA), ("ko", FONTS_KO)];
    let mut order: Vec<&str> = Vec::new();
    if let Some((_, s)) = stacks.iter().find(|(l, _)| Some(*l) == lang) {
        order.push(s);
    }
    order.extend(
        stacks
            .iter()
            .filter(|(l, _)| Some(*l) != lang)
            .map(|(_, s)| *s),
    );
    let mut css = format!(
        "body {{ font-family: {FONTS_LATIN}, {}, sans-serif; }}\n",
        order.join(", ")
    );
    for (l, s) in stacks {
        let _ = writeln!(
            css,
            ":lang({l}) {{ font-family: {FONTS_LATIN}, {s}, {}, sans-serif; }}",
            order
                .iter()
                .filter(|o| **o != s)
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    css
}

// ---------------------------------------------------------------------------
// Page
// ---------------------------------------------------------------------------

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #1f2933; font-size: 14px; line-height: 1.45; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 40px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #d5dae1; }
h3 { font-size: 14px; margin: 16px 0 6px; color: #3e4c59; overflow-wrap: anywhere; }
p, li { overflow-wrap: anywhere; }
.meta { color: #52606d; margin: 0 0 10px; }
.meta > span { margin-right: 14px; display: inline-block; }
.badge { display: inline-block; padding: 3px 10px; border-radius: 12px; font-size: 12px; font-weight: 600;
  border: 1px solid; letter-spacing: .02em; }
.badge.ok { color: #1e5b3a; background: #e7f4ec; border-color: #9fcdb2; }
.badge.pii { color: #8a2c0d; background: #fdeee8; border-color: #f0a98d; }
.recon { margin: 18px 0 8px; padding: 14px 18px; border: 1px solid #c9d2dc; border-left: 6px solid #3b6ea5;
  background: #f7f9fb; font-size: 22px; font-variant-numeric: tabular-nums; }
.recon .term { display: inline-block; }
.recon b { font-weight: 700; }
.recon .op { color: #7b8794; margin: 0 6px; }
.recon.bad { border-left-color: #b42318; background: #fdf0ef; }
.recon .flag { display: block; font-size: 14px; color: #b42318; font-weight: 700; margin-top: 6px; }
.recon .okflag { display: block; font-size: 13px; color: #1e5b3a; margin-top: 6px; }
.tw { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid #e4e7eb; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
td.code, td .code, table.columns td { overflow-wrap: anywhere; }
th { background: #f0f2f5; font-weight: 600; font-size: 12.5px; color: #323f4b; overflow-wrap: normal; }
table.kv { width: auto; min-width: 50%; }
table.kv th { background: none; font-weight: 500; color: #323f4b; padding-right: 40px; overflow-wrap: anywhere; }
td.n, th.n { text-align: right; }
td.n { white-space: nowrap; overflow-wrap: normal; }
td.code, .code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 12.5px; }
.sha { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 11.5px; word-break: break-all; min-width: 12ch; }
.ratio { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
.ratio .num { min-width: 48px; text-align: right; }
svg { display: block; }
svg.mini { display: inline-block; vertical-align: middle; }
svg.chart { max-width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 12px; fill: #323f4b; }
svg text.val { font-variant-numeric: tabular-nums; }
.figs { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 6px 0 10px; }
.fig { border: 1px solid #e4e7eb; border-radius: 4px; padding: 8px 10px; }
.fig .k { font-size: 12px; color: #52606d; }
.fig .v { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
.sev-error { color: #b42318; font-weight: 600; }
.sev-warning { color: #8d5b0c; font-weight: 600; }
.muted { color: #7b8794; }
.chartbox { margin: 4px 0 14px; }
ul.notes { margin: 6px 0 10px; padding-left: 20px; }
ul.notes li { margin: 3px 0; }
.src { color: #52606d; }
footer { margin-top: 32px; padding-top: 8px; border-top: 1px solid #d5dae1; color: #7b8794; font-size: 12px; }
@media (max-width: 640px) {
  main { padding: 14px 10px 24px; }
  th, td { padding: 4px 4px; font-size: 12px; }
  th { font-size: 11.5px; }
  td.n, th.n { white-space: normal; }
  .recon { font-size: 17px; padding: 10px 12px; }
  .ratio svg.mini { display: none; }
  table.kv { min-width: 0; }
  table.kv th { padding-right: 10px; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 11px; }
  main { max-width: none; padding: 0; }
  section.major { break-before: page; }
  h2, h3 { break-after: avoid-page; }
  tr, svg, .recon, .fig, li { break-inside: avoid; }
  thead { display: table-header-group; }
  .tw { overflow: visible; }
  td.n, th.n { white-space: normal; }
  footer { break-before: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Open the page: doctype, head with the stylesheet, `<main>`.
fn page_start(h: &mut String, report: &Value, title: &str) {
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(h, "<title>{}</title>", esc(title));
    let _ = writeln!(
        h,
        "<style>{}{CSS}</style>\n</head>\n<body>\n<main>",
        font_css(report_lang(report))
    );
}

fn page_end(h: &mut String, report: &Value) {
    let tool = text(report, "tool").unwrap_or_else(|| "steward".into());
    let version = text(report, "version").unwrap_or_default();
    let _ = writeln!(
        h,
        "<footer>Generated by {} {} &middot; self-contained report: no scripts, no external resources.</footer>",
        esc(&tool),
        esc(&version)
    );
    h.push_str("</main>\n</body>\n</html>\n");
}

/// A table inside a box that scrolls sideways on a screen too narrow for it (and prints whole).
fn table_open(h: &mut String, class: &str, head: &[(&str, bool)]) {
    let _ = write!(h, "<div class=\"tw\"><table class=\"{class}\"><thead><tr>");
    for (name, numeric) in head {
        if *numeric {
            let _ = write!(h, "<th class=\"n\">{name}</th>");
        } else {
            let _ = write!(h, "<th>{name}</th>");
        }
    }
    h.push_str("</tr></thead><tbody>\n");
}

fn table_close(h: &mut String) {
    h.push_str("</tbody></table></div>\n");
}

/// Render `report.json` of `steward clean` (or `run`) as one self-contained HTML page, in the order an auditor
/// reads it: the reconciliation, the sources, every note, what was done to each column, the policy, the
/// findings, duplicates, the outputs; then distributions, segments and timings.
pub fn render(report: &Value) -> String {
    if section(report, "profile").is_some_and(|p| p.get("columns").is_some()) {
        return render_profile(report);
    }
    let mut h = String::with_capacity(64 * 1024);
    let tool = text(report, "tool").unwrap_or_else(|| "steward".into());
    let command = text(report, "command").unwrap_or_else(|| "clean".into());
    let title = format!("{tool} {command} report");
    page_start(&mut h, report, &title);
    header(&mut h, report, &title);
    reconciliation(&mut h, report);
    sources(&mut h, report);
    notes(&mut h, report);
    protection(&mut h, report);
    policy(&mut h, report);
    validation(&mut h, report);
    dedupe(&mut h, report);
    outputs(&mut h, report);
    histograms(&mut h, report);
    segments(&mut h, report);
    timings(&mut h, report);
    page_end(&mut h, report);
    h
}

fn header(h: &mut String, r: &Value, title: &str) {
    let pseudo = matches!(r.get("pseudonymized"), Some(Value::Bool(true)));
    let status = text(r, "status")
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| {
            if pseudo {
                "pseudonymized personal data".into()
            } else {
                "contains personal data".into()
            }
        });
    let class = if pseudo { "ok" } else { "pii" };
    let _ = writeln!(
        h,
        "<header><h1>{} <span class=\"badge {class}\">{}</span></h1>",
        esc(title),
        esc(&status)
    );
    h.push_str("<p class=\"meta\">");
    for (k, label, code) in [
        ("started", "Started", true),
        ("finished", "Finished", true),
        ("as_of", "Dates checked as of", false),
        ("version", "Version", false),
        ("key_id", "Key id", true),
        ("audit_log_entry", "Audit log entry", false),
    ] {
        if let Some(s) = text(r, k) {
            let v = if code {
                format!("<span class=\"code\">{}</span>", esc(&s))
            } else {
                esc(&s)
            };
            let _ = write!(h, "<span>{label}: {v}</span>");
        }
    }
    h.push_str("</p></header>\n");
}

fn reconciliation(h: &mut String, r: &Value) {
    let rin = num(r, "rows_in");
    let rout = num(r, "rows_out");
    let rej = num(r, "rows_rejected");
    let mer = num(r, "rows_merged");
    let show = |x: Option<f64>| x.map(fmt_count).unwrap_or_else(|| "?".into());
    let (ok, diff) = match (rin, rout, rej, mer) {
        (Some(a), Some(b), Some(c), Some(d)) => {
            let diff = a - (b + c + d);
            (diff.abs() < 1e-9, Some(diff))
        }
        _ => (false, None),
    };
    let _ = write!(
        h,
        "<section><h2>Reconciliation</h2><div class=\"recon{}\" id=\"reconciliation\"><span class=\"term\">rows in <b>{}</b></span>\
<span class=\"op\">=</span><span class=\"term\">rows out <b>{}</b></span><span class=\"op\">+</span><span class=\"term\">rejected <b>{}</b></span>\
<span class=\"op\">+</span><span class=\"term\">merged <b>{}</b></span>",
        if ok { "" } else { " bad" },
        show(rin),
        show(rout),
        show(rej),
        show(mer)
    );
    match (ok, diff) {
        (true, _) => h.push_str("<span class=\"okflag\">&#10003; Row counts reconcile.</span>"),
        (false, Some(d)) => {
            let _ = write!(
                h,
                "<span class=\"flag\">&#9888; DOES NOT ADD UP: rows in minus (out + rejected + merged) = {}</span>",
                fmt_count(d)
            );
        }
        (false, None) => h.push_str(
            "<span class=\"flag\">&#9888; CANNOT RECONCILE: one or more row counts are missing.</span>",
        ),
    }
    h.push_str("</div>\n<p class=\"muted\">Rows out are the golden records (one per customer); rejected rows \
have an error a person must fix; merged rows were folded into another row's golden record.</p></section>\n");
}

/// The full SHA-256, in a cell that may break anywhere so it never widens the page.
fn sha_cell(v: &Value, key: &str) -> String {
    match text(v, key) {
        Some(s) => format!("<td class=\"sha\">{}</td>", esc(&s)),
        None => "<td class=\"muted\">not recorded</td>".into(),
    }
}

/// Bytes exactly, with separators.
fn bytes_cell(v: &Value, key: &str) -> String {
    match num(v, key) {
        Some(b) => format!(
            "<td class=\"n\" title=\"{}\">{}</td>",
            esc(&fmt_bytes(b)),
            fmt_count(b)
        ),
        None => "<td class=\"n\">–</td>".into(),
    }
}

fn sources(h: &mut String, r: &Value) {
    let list = array(r, "sources");
    if list.is_empty() {
        return;
    }
    h.push_str("<section><h2>Sources</h2>\n");
    table_open(
        h,
        "sources",
        &[
            ("File", false),
            ("Sheet", false),
            ("Format", false),
            ("Encoding", false),
            ("Rows", true),
            ("Bytes", true),
            ("SHA-256", false),
        ],
    );
    for s in list {
        // Older reports and the profile name only `path` (a workbook's as `file!sheet`).
        let file = text(s, "file")
            .or_else(|| text(s, "path"))
            .unwrap_or_default();
        let sheet = text(s, "sheet");
        let format = text(s, "format");
        let workbook = sheet.is_some() || matches!(format.as_deref(), Some("xlsx" | "xls" | "ods"));
        let encoding = match (text(s, "encoding"), text(s, "encoding_how")) {
            (Some(e), Some(how)) => {
                format!("{} <span class=\"muted\">({})</span>", esc(&e), esc(&how))
            }
            (Some(e), None) => esc(&e),
            (None, _) if workbook => {
                "<span class=\"muted\">n/a: workbook cells are Unicode</span>".into()
            }
            (None, _) => "–".into(),
        };
        let _ = writeln!(
            h,
            "<tr><td class=\"code\">{}</td><td>{}</td><td>{}</td><td>{encoding}</td><td class=\"n\">{}</td>{}{}</tr>",
            data(&file),
            sheet.map(|s| data(&s)).unwrap_or_else(|| "<span class=\"muted\">–</span>".into()),
            format.map(|f| esc(&f)).unwrap_or_else(|| "–".into()),
            cell_count(s, "rows"),
            bytes_cell(s, "bytes"),
            sha_cell(s, "sha256"),
        );
    }
    table_close(h);
    h.push_str("</section>\n");
}

/// Every note a reader should see: on the sources (skipped rows and sheets, precision loss, encodings), raw
/// files left out of the set, and the dedupe's own warnings.
fn notes(h: &mut String, r: &Value) {
    let mut items: Vec<String> = array(r, "notes")
        .iter()
        .filter_map(|n| {
            let note = text(n, "note")?;
            Some(match text(n, "source") {
                Some(src) => format!(
                    "<span class=\"src code\">{}</span>: {}",
                    data(&src),
                    data(&note)
                ),
                None => data(&note),
            })
        })
        .collect();
    let left: Vec<String> = array(r, "left_out")
        .iter()
        .filter_map(|v| v.as_str().map(data))
        .collect();
    if !left.is_empty() {
        items.push(format!(
            "left out of the set on request (--no-restricted), counted in the figures: {}",
            left.join(", ")
        ));
    }
    if let Some(d) = section(r, "dedupe") {
        if num(d, "clusters_flagged").is_some_and(|n| n > 0.0) {
            items.push(format!(
                "{} cluster(s) flagged by the chaining guard (split or not verifiable): worth a review",
                cell_count(d, "clusters_flagged")
            ));
        }
        if let Some(Value::Array(b)) = d.get("blocking_reached") {
            if let (Some(reached), Some(all)) = (
                b.first().and_then(Value::as_f64),
                b.get(1).and_then(Value::as_f64),
            ) {
                if reached < all {
                    items.push(format!(
                        "blocking made candidates of {} of {} labelled matches",
                        fmt_count(reached),
                        fmt_count(all)
                    ));
                }
            }
        }
    }
    if let Some(v) = section(r, "validation") {
        if let Some(n) = num(v, "unique_errors_passed_to_dedupe").filter(|n| *n > 0.0) {
            items.push(format!(
                "{} repeated unique value(s) were passed on to duplicate detection instead of rejected",
                fmt_count(n)
            ));
        }
    }
    h.push_str("<section><h2>Notes</h2>\n");
    if items.is_empty() {
        h.push_str("<p class=\"muted\">Nothing to note: every source was read whole, as UTF-8 or a workbook.</p>\n");
    } else {
        h.push_str("<ul class=\"notes\">\n");
        for i in items {
            let _ = writeln!(h, "<li>{i}</li>");
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

/// What was done to each column of each shared file (tokenized, generalized, dropped, kept), with counts.
fn protection(h: &mut String, r: &Value) {
    let files = array(r, "protected_files");
    h.push_str("<section class=\"major\"><h2>Protection per column</h2>\n");
    if files.is_empty() {
        if r.get("pseudonymized").and_then(Value::as_bool) == Some(false) {
            h.push_str("<p><strong>No protection applied:</strong> the run had no key, so every data file holds \
raw personal data. Run with <span class=\"code\">--key-file</span> (or STEWARD_KEY) to pseudonymize.</p>\n");
        } else {
            h.push_str("<p class=\"muted\">No per-column record in this report.</p>\n");
        }
        h.push_str("</section>\n");
        return;
    }
    if let Some(dir) = text(r, "restricted") {
        let _ = writeln!(
            h,
            "<p>Files with raw personal data are in <span class=\"code\">{}/</span> (owner only); no other file holds a raw personal value.</p>",
            esc(&dir)
        );
    }
    // One table for every shared file: a row per column, its action and detail, then the cells changed in
    // each file (a file that treats the column otherwise says how).
    let prots: Vec<(&Value, &Value)> = files
        .iter()
        .filter_map(|f| Some((f, f.get("protection")?)))
        .collect();
    if let Some((_, first)) = prots.first() {
        let mut meta = Vec::new();
        for (k, label) in [
            ("status", "status"),
            ("key_id", "key id"),
            ("domain", "domain"),
            ("token_version", "tokens"),
            ("normalization_version", "normalization"),
        ] {
            if let Some(v) = text(first, k) {
                meta.push(format!(
                    "<span>{label}: <span class=\"code\">{}</span></span>",
                    esc(&v)
                ));
            }
        }
        let _ = writeln!(h, "<p class=\"meta\">{}</p>", meta.join(""));
    }
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for (_, p) in &prots {
        for c in array(p, "columns") {
            let name = text(c, "column").unwrap_or_default();
            if !rows.iter().any(|r| r.0 == name) {
                rows.push((
                    name,
                    text(c, "action").unwrap_or_default(),
                    text(c, "detail").unwrap_or_default(),
                ));
            }
        }
    }
    let names: Vec<String> = prots
        .iter()
        .map(|(f, _)| {
            format!(
                "Cells changed in <span class=\"code\">{}</span>",
                cell_text(f, "file")
            )
        })
        .collect();
    let mut head: Vec<(&str, bool)> = vec![("Column", false), ("Action", false), ("Detail", false)];
    head.extend(names.iter().map(|n| (n.as_str(), true)));
    table_open(h, "protection", &head);
    for (name, action, detail) in &rows {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            data(name),
            esc(action),
            esc(detail)
        );
        for (_, p) in &prots {
            let c = array(p, "columns")
                .iter()
                .find(|c| text(c, "column").as_deref() == Some(name.as_str()));
            let cell = match c {
                None => "<span class=\"muted\">not in file</span>".to_string(),
                Some(c) if text(c, "action").as_deref() != Some(action.as_str()) => format!(
                    "{}: {}",
                    cell_text(c, "action"),
                    cell_count(c, "cells_changed")
                ),
                Some(c) => cell_count(c, "cells_changed"),
            };
            let _ = write!(h, "<td class=\"n\">{cell}</td>");
        }
        h.push_str("</tr>\n");
    }
    table_close(h);
    h.push_str("<p class=\"muted\">token: replaced by a keyed token (the same value gives the same token under the same key and \
domain); generalize: made coarser; drop: left out of the file; keep: unchanged (no direct identifier).</p>\n");
    h.push_str("</section>\n");
}

/// The policy result: passed or failed, and each limit against what the data showed.
fn policy(h: &mut String, r: &Value) {
    h.push_str("<section><h2>Policy</h2>\n");
    let Some(p) = section(r, "policy") else {
        h.push_str("<p class=\"muted\">No policy limits were set for this run (a job file's <span class=\"code\">[policy]</span> sets them).</p></section>\n");
        return;
    };
    let passed = p.get("passed").and_then(Value::as_bool).unwrap_or(false);
    let _ = writeln!(
        h,
        "<p><strong class=\"{}\">{}</strong></p>",
        if passed { "" } else { "sev-error" },
        if passed { "Passed" } else { "FAILED" }
    );
    table_open(
        h,
        "policy",
        &[
            ("Rule", false),
            ("Limit", false),
            ("At most", true),
            ("Found", true),
            ("Result", false),
        ],
    );
    for c in array(p, "checks") {
        let ok = c.get("passed").and_then(Value::as_bool).unwrap_or(false);
        let _ = writeln!(
            h,
            "<tr><td class=\"code\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            cell_text(c, "rule"),
            cell_text(c, "limit"),
            cell_count(c, "max"),
            cell_count(c, "value"),
            if ok { "passed" } else { "<span class=\"sev-error\">failed</span>" }
        );
    }
    table_close(h);
    h.push_str("</section>\n");
}

/// Findings per field and rule, errors and warnings in their own columns (never one rule line per severity).
fn findings_table(h: &mut String, rules: &[Value]) {
    // (field, rule) -> (errors, warnings), in the order of the first (largest) count.
    let mut rows: Vec<(String, String, f64, f64)> = Vec::new();
    for r in rules {
        let field = text(r, "field").unwrap_or_default();
        let rule = text(r, "rule").unwrap_or_default();
        let n = num(r, "count").unwrap_or(0.0);
        let sev = text(r, "severity").unwrap_or_default().to_ascii_lowercase();
        let i = match rows.iter().position(|x| x.0 == field && x.1 == rule) {
            Some(i) => i,
            None => {
                rows.push((field, rule, 0.0, 0.0));
                rows.len() - 1
            }
        };
        if sev == "error" {
            rows[i].2 += n;
        } else {
            rows[i].3 += n;
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then((b.2 + b.3).total_cmp(&(a.2 + a.3))));
    table_open(
        h,
        "findings",
        &[
            ("Field", false),
            ("Rule", false),
            ("Errors", true),
            ("Warnings", true),
        ],
    );
    let cell = |x: f64, cls: &str| {
        if x > 0.0 {
            format!("<td class=\"n {cls}\">{}</td>", fmt_count(x))
        } else {
            "<td class=\"n muted\">0</td>".into()
        }
    };
    for (field, rule, e, w) in &rows {
        let _ = writeln!(
            h,
            "<tr><td class=\"code\">{}</td><td class=\"code\">{}</td>{}{}</tr>",
            if field.is_empty() {
                "–".into()
            } else {
                data(field)
            },
            esc(rule),
            cell(*e, "sev-error"),
            cell(*w, "sev-warning")
        );
    }
    table_close(h);
}

fn validation(h: &mut String, r: &Value) {
    let Some(v) = section(r, "validation") else {
        h.push_str("<section class=\"major\"><h2>Validation</h2><p class=\"muted\">No validation summary in this report.</p></section>\n");
        return;
    };
    h.push_str("<section class=\"major\"><h2>Validation</h2>\n<div class=\"figs\">");
    for (k, label) in [
        ("rows_valid", "Rows valid"),
        ("rows_rejected", "Rows rejected"),
        ("errors", "Errors"),
        ("warnings", "Warnings"),
    ] {
        if let Some(x) = num(v, k) {
            let _ = write!(
                h,
                "<div class=\"fig\" id=\"fig-{k}\"><div class=\"k\">{label}</div><div class=\"v\">{}</div></div>",
                fmt_count(x)
            );
        }
    }
    h.push_str("</div>\n");

    let rules = match array(v, "rules") {
        [] => array(v, "top_rules"),
        all => all,
    };
    if !rules.is_empty() {
        let partial = array(v, "rules").is_empty();
        let _ = writeln!(
            h,
            "<h3>Findings by field and rule{}</h3>",
            if partial { " (most frequent)" } else { "" }
        );
        findings_table(h, rules);
    }

    let fields = array(v, "fields");
    if !fields.is_empty() {
        h.push_str("<h3>Per field</h3>\n");
        table_open(
            h,
            "fields",
            &[
                ("Field", false),
                ("Checked", true),
                ("Valid", true),
                ("Invalid", true),
                ("Missing", true),
                ("Warnings", true),
                ("Completeness", false),
                ("Validity", false),
            ],
        );
        for f in fields {
            let checked = num(f, "checked");
            let missing = num(f, "missing").unwrap_or(0.0);
            let valid = num(f, "valid");
            let completeness = checked.filter(|c| *c > 0.0).map(|c| (c - missing) / c);
            let present = checked.map(|c| c - missing).filter(|p| *p > 0.0);
            let validity = match (valid, present) {
                (Some(v), Some(p)) => Some(v / p),
                _ => None,
            };
            let _ = writeln!(
                h,
                "<tr><td class=\"code\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
<td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                cell_text(f, "field"),
                cell_count(f, "checked"),
                cell_count(f, "valid"),
                cell_count(f, "invalid"),
                cell_count(f, "missing"),
                cell_count(f, "warnings"),
                ratio_bar(completeness),
                ratio_bar(validity)
            );
        }
        table_close(h);
        h.push_str(
            "<p class=\"muted\">Completeness = (checked &minus; missing) / checked; \
validity = valid / (checked &minus; missing).</p>\n",
        );
    }
    h.push_str("</section>\n");
}

fn dedupe(h: &mut String, r: &Value) {
    let Some(d) = section(r, "dedupe") else {
        return;
    };
    h.push_str("<section class=\"major\"><h2>Duplicate detection</h2>\n");
    if d.get("skipped").and_then(Value::as_bool) == Some(true) {
        h.push_str("<p><strong>Skipped on request:</strong> every valid row is its own golden record.</p>\n");
    }
    h.push_str("<div class=\"tw\"><table class=\"kv\"><tbody>\n");
    let rows: [(&str, &str); 12] = [
        ("rows_in", "Rows compared (valid rows)"),
        ("candidate_pairs", "Candidate pairs"),
        (
            "scored_on_birth_date",
            "Of them scored on birth dates alone (dates that disagree outright)",
        ),
        ("accepted_pairs", "Pairs accepted as duplicates"),
        ("review_pairs", "Pairs in the review band"),
        ("clusters_with_duplicates", "Clusters with duplicates"),
        ("largest_cluster", "Largest cluster (records)"),
        ("golden_records", "Golden records"),
        ("rows_merged", "Rows merged"),
        ("clusters_flagged", "Clusters flagged for review"),
        ("threshold", "Match threshold (probability)"),
        ("review_lower", "Review band from (probability)"),
    ];
    let mut any = false;
    for (k, label) in rows {
        if let Some(x) = num(d, k) {
            any = true;
            let val = if matches!(k, "threshold" | "review_lower") {
                fmt_dec(x, 2)
            } else {
                fmt_count(x)
            };
            let _ = writeln!(
                h,
                "<tr><th>{label}</th><td class=\"n\" id=\"dedupe-{k}\">{val}</td></tr>"
            );
        }
    }
    if !any {
        h.push_str("<tr><td class=\"muted\">No figures reported.</td></tr>\n");
    }
    h.push_str("</tbody></table></div>\n");
    if let Some(m) = section(d, "model") {
        let _ = writeln!(
            h,
            "<h3>Model</h3>\n<p>{}: prior probability of a match {}, {} EM iteration(s). A pair is a duplicate when its \
match probability is at least the threshold.</p>",
            cell_text(m, "kind"),
            num(m, "prior_match").map(|x| format!("{x:.4}")).unwrap_or_else(|| "–".into()),
            cell_count(m, "em_iterations")
        );
        let comps = array(m, "comparisons");
        if !comps.is_empty() {
            table_open(
                h,
                "model",
                &[
                    ("Comparison", false),
                    ("Level", false),
                    ("P(level | match)", true),
                    ("P(level | non-match)", true),
                ],
            );
            for c in comps {
                let levels = array(c, "levels");
                let m = array(c, "m");
                let u = array(c, "u");
                // Level 0 is "null" (no value): it carries no weight.
                for (i, l) in levels.iter().enumerate().skip(1).rev() {
                    let p = |a: &[Value]| {
                        a.get(i)
                            .and_then(Value::as_f64)
                            .map(|x| format!("{x:.4}"))
                            .unwrap_or_else(|| "–".into())
                    };
                    let _ = writeln!(
                        h,
                        "<tr><td class=\"code\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                        if i + 1 == levels.len() { cell_text(c, "name") } else { String::new() },
                        esc(l.as_str().unwrap_or("")),
                        p(m),
                        p(u)
                    );
                }
            }
            table_close(h);
        }
        let rules = array(m, "blocking_rules");
        if !rules.is_empty() {
            h.push_str(
                "<h3>Blocking rules (candidate pairs each proposed, before the union)</h3>\n",
            );
            table_open(
                h,
                "blocking",
                &[
                    ("Rule", false),
                    ("Pairs", true),
                    ("Blocks compared in a window", true),
                    ("Rows in them", true),
                ],
            );
            for b in rules {
                let _ = writeln!(
                    h,
                    "<tr><td class=\"code\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    cell_text(b, "rule"),
                    cell_count(b, "pairs"),
                    cell_count(b, "windowed_blocks"),
                    cell_count(b, "windowed_rows")
                );
            }
            table_close(h);
        }
    }
    h.push_str("</section>\n");
}

fn histograms(h: &mut String, r: &Value) {
    let hs = array(r, "histograms");
    if hs.is_empty() {
        return;
    }
    h.push_str("<section class=\"major\"><h2>Distributions</h2>\n");
    for hist in hs {
        let field = text(hist, "field").unwrap_or_else(|| "(unnamed field)".into());
        let kind = text(hist, "kind");
        let rows: Vec<(String, f64)> = array(hist, "bins")
            .iter()
            .map(|b| {
                (
                    text(b, "label").unwrap_or_default(),
                    num(b, "count").unwrap_or(0.0),
                )
            })
            .collect();
        let _ = write!(h, "<h3><span class=\"code\">{}</span>", data(&field));
        if let Some(k) = kind {
            let _ = write!(h, " <span class=\"muted\">({})</span>", esc(&k));
        }
        h.push_str("</h3>\n<div class=\"chartbox\">");
        h.push_str(&hbar_chart(
            &format!("Histogram of {field}"),
            &rows,
            &fmt_count,
        ));
        h.push_str("</div>\n");
    }
    h.push_str("</section>\n");
}

fn segment_rows(list: &[Value]) -> Vec<(String, f64)> {
    list.iter()
        .map(|s| {
            (
                text(s, "name").unwrap_or_default(),
                num(s, "customers").unwrap_or(0.0),
            )
        })
        .collect()
}

fn segment_table(h: &mut String, list: &[Value]) {
    table_open(
        h,
        "segments",
        &[
            ("Name", false),
            ("Customers", true),
            ("Share", true),
            ("Total spend", true),
            ("Avg spend", true),
        ],
    );
    for s in list {
        let money = |k: &str| {
            num(s, k)
                .map(|x| fmt_dec(x, 2))
                .unwrap_or_else(|| "–".into())
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            cell_text(s, "name"),
            cell_count(s, "customers"),
            num(s, "share").map(fmt_pct).unwrap_or_else(|| "–".into()),
            money("total_spend"),
            money("avg_spend")
        );
    }
    table_close(h);
}

fn segments(h: &mut String, r: &Value) {
    let Some(seg) = section(r, "segments") else {
        return;
    };
    let stages = array(seg, "stages");
    let tiers = array(seg, "tiers");
    let segs = array(seg, "segments");
    if stages.is_empty() && tiers.is_empty() && segs.is_empty() {
        return;
    }
    h.push_str("<section class=\"major\"><h2>Segments</h2>\n");
    for (list, name) in [(stages, "Lifecycle stages"), (tiers, "Tiers")] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(h, "<h3>{name} (customers)</h3>");
        h.push_str("<div class=\"chartbox\">");
        h.push_str(&hbar_chart(name, &segment_rows(list), &fmt_count));
        h.push_str("</div>\n");
        segment_table(h, list);
    }
    if !segs.is_empty() {
        h.push_str("<h3>Segments</h3>\n");
        segment_table(h, segs);
    }
    h.push_str("</section>\n");
}

/// An output's path as the report shows it: relative to the output folder. A path recorded absolute (an
/// older report) shows its last component only, never the steward's file system.
fn relative_path(p: &str) -> String {
    if p.starts_with('/') || p.get(1..3) == Some(":\\") || p.starts_with('\\') {
        p.rsplit(['/', '\\']).next().unwrap_or(p).to_string()
    } else {
        p.to_string()
    }
}

fn outputs(h: &mut String, r: &Value) {
    let list = array(r, "outputs");
    if list.is_empty() {
        return;
    }
    h.push_str("<section class=\"major\"><h2>Outputs</h2>\n<p class=\"muted\">Paths are relative to the output folder. \
report.json, report.html and manifest.json are recorded, with their SHA-256, in manifest.json.</p>\n");
    table_open(
        h,
        "outputs",
        &[
            ("File", false),
            ("Rows", true),
            ("Bytes", true),
            ("SHA-256", false),
            ("Personal data", false),
            ("Protection", false),
        ],
    );
    for o in list {
        let path = text(o, "path")
            .or_else(|| text(o, "name"))
            .unwrap_or_default();
        let personal = match o.get("personal_data").and_then(Value::as_bool) {
            Some(true) => "<strong>yes</strong>",
            Some(false) => "no",
            None => "–",
        };
        let _ = writeln!(
            h,
            "<tr><td class=\"code\">{}</td><td class=\"n\">{}</td>{}{}<td>{personal}</td><td>{}</td></tr>",
            data(&relative_path(&path)),
            num(o, "rows").map(fmt_count).unwrap_or_else(|| "<span class=\"muted\">n/a</span>".into()),
            bytes_cell(o, "bytes"),
            sha_cell(o, "sha256"),
            cell_text(o, "protection")
        );
    }
    // Database tables loaded with the set (URL without password, #table).
    for t in array(r, "tables") {
        let personal = if t.get("personal").and_then(Value::as_bool) == Some(false) {
            "no"
        } else {
            "<strong>yes</strong>"
        };
        let state = if t.get("loaded").and_then(Value::as_bool) == Some(true) {
            "database table, loaded in one transaction with this set"
        } else {
            "database table, NOT loaded: the policy failed"
        };
        let _ = writeln!(
            h,
            "<tr><td class=\"code\">{}</td><td class=\"n\">{}</td>{}{}<td>{personal}</td><td>{state}</td></tr>",
            data(&text(t, "path").unwrap_or_default()),
            num(t, "rows").map(fmt_count).unwrap_or_default(),
            bytes_cell(t, "bytes"),
            sha_cell(t, "sha256"),
        );
    }
    table_close(h);
    h.push_str("</section>\n");
}

fn timings(h: &mut String, r: &Value) {
    let list = array(r, "timings");
    // Accept [["step", secs], ...] and [{"step"/"name": .., "seconds"/"secs": ..}, ...].
    let rows: Vec<(String, Option<f64>)> = list
        .iter()
        .filter_map(|t| match t {
            Value::Array(a) => {
                let name = match a.first() {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                Some((name, a.get(1).and_then(Value::as_f64)))
            }
            Value::Object(_) => {
                let name = text(t, "step")
                    .or_else(|| text(t, "name"))
                    .unwrap_or_default();
                let secs = num(t, "seconds").or_else(|| num(t, "secs"));
                Some((name, secs))
            }
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    h.push_str("<section><h2>Timings</h2>\n");
    table_open(h, "timings", &[("Step", false), ("Seconds", true)]);
    let mut total = 0.0;
    for (name, secs) in &rows {
        total += secs.unwrap_or(0.0);
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(name),
            secs.map(|s| fmt_dec(s, 3)).unwrap_or_else(|| "–".into())
        );
    }
    let _ = writeln!(
        h,
        "<tr><th>Total</th><th class=\"n\">{}</th></tr>",
        fmt_dec(total, 3)
    );
    table_close(h);
    h.push_str("</section>\n");
}

// ---------------------------------------------------------------------------
// Profile page (`steward profile --html`)
// ---------------------------------------------------------------------------

/// Render the report of `steward profile` (its `profile` holds everything `profile --format json` has).
pub fn render_profile(report: &Value) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let title = text(report, "title").unwrap_or_else(|| "Data-quality profile".into());
    page_start(&mut h, report, &title);
    header(&mut h, report, &title);
    let p = section(report, "profile").cloned().unwrap_or(Value::Null);
    // Rows: read, profiled, unreadable; and why rows valid is fewer than rows profiled.
    let v = section(report, "validation")
        .cloned()
        .unwrap_or(Value::Null);
    h.push_str("<section><h2>Rows</h2>\n<div class=\"figs\">");
    let figs: [(&str, &str, Option<f64>); 6] = [
        ("rows_in", "Rows in", num(report, "rows_in")),
        (
            "rows_profiled",
            "Rows profiled",
            num(&p, "rows_profiled").or(num(report, "rows_out")),
        ),
        (
            "rows_rejected",
            "Unreadable (rejected)",
            num(report, "rows_rejected"),
        ),
        ("rows_valid", "Rows without an error", num(&v, "rows_valid")),
        (
            "rows_with_errors",
            "Rows with an error",
            num(&p, "rows_with_errors"),
        ),
        (
            "duplicate_estimate",
            "Duplicate estimate",
            num(&p, "duplicate_estimate"),
        ),
    ];
    for (k, label, x) in figs {
        if let Some(x) = x {
            let _ = write!(
                h,
                "<div class=\"fig\" id=\"fig-{k}\"><div class=\"k\">{label}</div><div class=\"v\">{}</div></div>",
                fmt_count(x)
            );
        }
    }
    h.push_str("</div>\n");
    if let (Some(prof), Some(valid)) = (num(&p, "rows_profiled"), num(&v, "rows_valid")) {
        let _ = writeln!(
            h,
            "<p id=\"why-valid\">Rows in = rows profiled + unreadable rows ({} = {} + {}). A profile rejects only rows \
it cannot read; of the {} rows profiled, {} have at least one error finding (a value that fails its field's \
check, or a required value missing) and are counted, not removed: {} rows have no error. \
<span class=\"code\">steward validate</span> lists each finding.</p>",
            cell_count(report, "rows_in"),
            fmt_count(prof),
            cell_count(report, "rows_rejected"),
            fmt_count(prof),
            fmt_count(prof - valid),
            fmt_count(valid)
        );
    }
    let stale = match num(&p, "stale_records") {
        Some(s) => format!(
            "{} record(s) last updated (else last purchased) more than {} days before {}.",
            fmt_count(s),
            cell_count(&p, "stale_after_days"),
            cell_text(&p, "as_of")
        ),
        None => "Staleness: n/a (no updated_at or last purchase date).".into(),
    };
    let _ = writeln!(
        h,
        "<p>{stale} Duplicate estimate: {} record(s) share a normalized email, phone or resident ID with an earlier \
record (a lower bound; <span class=\"code\">steward dedupe</span> also finds fuzzy duplicates).</p></section>",
        cell_count(&p, "duplicate_estimate")
    );
    sources(&mut h, report);
    notes(&mut h, report);

    let cols = array(&p, "columns");
    if !cols.is_empty() {
        h.push_str("<section class=\"major\"><h2>Columns</h2>\n");
        table_open(
            &mut h,
            "columns",
            &[
                ("Column", false),
                ("Field", false),
                ("Filled", true),
                ("Completeness", false),
                ("Validity", false),
                ("Invalid", true),
                ("Distinct", true),
                ("Uniqueness", true),
                ("Min", false),
                ("Max", false),
            ],
        );
        for c in cols {
            let kind =
                text(c, "kind").map(|k| format!(" <span class=\"muted\">({})</span>", esc(&k)));
            let _ = writeln!(
                h,
                "<tr><td class=\"code\">{}</td><td>{}{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td>\
<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                cell_text(c, "column"),
                cell_text(c, "field"),
                kind.unwrap_or_default(),
                cell_count(c, "filled"),
                ratio_bar(num(c, "completeness")),
                if c.get("validity").is_some_and(|x| !x.is_null()) {
                    ratio_bar(num(c, "validity"))
                } else {
                    "<span class=\"muted\">not a schema field</span>".into()
                },
                cell_count(c, "invalid"),
                cell_count(c, "distinct"),
                num(c, "uniqueness").map(fmt_pct).unwrap_or_else(|| "–".into()),
                cell_text(c, "min"),
                cell_text(c, "max"),
            );
        }
        table_close(&mut h);
        h.push_str("<p class=\"muted\">Completeness = filled / rows; validity = values passing the field's checks / \
values checked; uniqueness = distinct values / filled values (100% for an identifier).</p>\n");
        h.push_str("<h3>Value patterns and top values</h3>\n<p class=\"muted\">Patterns: 9 a digit, A/a a letter, \
中 a CJK character, + a run of them. Personal values are masked unless the profile was run with --unmask.</p>\n");
        table_open(
            &mut h,
            "patterns",
            &[
                ("Column", false),
                ("Patterns (count)", false),
                ("Top values (count)", false),
            ],
        );
        let list = |c: &Value, k: &str, code: bool| -> String {
            let items: Vec<String> = array(c, k)
                .iter()
                .map(|t| {
                    let v = text(t, "value").unwrap_or_default();
                    let shown = if v.is_empty() {
                        "<span class=\"muted\">(empty)</span>".into()
                    } else {
                        data(&v)
                    };
                    format!(
                        "<li>{}{shown}{} <span class=\"muted\">({})</span></li>",
                        if code { "<span class=\"code\">" } else { "" },
                        if code { "</span>" } else { "" },
                        cell_count(t, "count")
                    )
                })
                .collect();
            if items.is_empty() {
                "<span class=\"muted\">–</span>".into()
            } else {
                format!("<ul class=\"notes\">{}</ul>", items.join(""))
            }
        };
        for c in cols {
            let _ = writeln!(
                h,
                "<tr><td class=\"code\">{}</td><td>{}</td><td>{}</td></tr>",
                cell_text(c, "column"),
                list(c, "patterns", true),
                list(c, "top_values", false)
            );
        }
        table_close(&mut h);
        h.push_str("</section>\n");
    }
    validation(&mut h, report);
    histograms(&mut h, report);
    page_end(&mut h, report);
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Value {
        json!({
          "tool": "steward", "version": "0.1.0", "command": "clean",
          "started": "2026-11-23T19:00:00+00:00", "finished": "2026-11-23T19:00:03+00:00",
          "rows_in": 300, "rows_out": 260, "rows_rejected": 20, "rows_merged": 20,
          "pseudonymized": true, "key_id": "kid_e217522da030764f", "status": "pseudonymized personal data",
          "sources": [{"path": "customers.csv", "rows": 300, "format": "csv", "encoding": "UTF-8"}],
          "validation": {"rows_valid": 280, "rows_rejected": 20, "errors": 35, "warnings": 50,
             "fields": [{"field": "email", "checked": 300, "valid": 280, "invalid": 6, "missing": 14, "warnings": 3}],
             "top_rules": [{"rule": "email-syntax", "severity": "error", "count": 6}]},
          "dedupe": {"candidate_pairs": 24, "accepted_pairs": 20, "clusters_with_duplicates": 20, "largest_cluster": 2,
                     "golden_records": 280, "rows_merged": 20, "clusters_flagged": 0, "threshold": 0.9},
          "histograms": [{"field": "birth_date", "kind": "date", "bins": [{"label": "1960-1969", "count": 10}, {"label": "1970-1979", "count": 31}]},
                         {"field": "total_spend", "kind": "money", "bins": [{"label": "0-499", "count": 120}]}],
          "segments": {"stages": [{"name": "active", "customers": 100, "share": 0.38, "total_spend": 12345.5, "avg_spend": 123.4}],
                       "tiers": [{"name": "A", "customers": 50, "share": 0.2, "total_spend": 1000.0, "avg_spend": 20.0}],
                       "segments": [{"name": "champions", "customers": 11, "share": 0.04, "total_spend": 11749.18, "avg_spend": 1068.11}]},
          "outputs": [{"name": "cleaned", "path": "cleaned.csv", "rows": 260, "bytes": 12345,
                       "sha256": "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56abcd"}],
          "timings": [["import", 0.12], ["validate", 0.3]]
        })
    }

    #[test]
    fn esc_basics() {
        assert_eq!(
            esc("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(esc("plain ü"), "plain ü");
    }

    #[test]
    fn script_in_field_name_is_escaped() {
        let mut r = sample();
        r["validation"]["fields"][0]["field"] = json!("<script>alert(1)</script>");
        r["histograms"][0]["field"] = json!("<script>x</script>");
        r["sources"][0]["path"] = json!("a\"onload=\"b.csv");
        let out = render(&r);
        assert!(
            !out.to_ascii_lowercase().contains("<script"),
            "unescaped script tag"
        );
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!out.contains("a\"onload"));
    }

    #[test]
    fn sample_is_self_contained() {
        let out = render(&sample());
        let lower = out.to_ascii_lowercase();
        for bad in [
            "http://", "https://", "<script", "src=", "@import", "url(", "<link", "<img", "<iframe",
        ] {
            assert!(!lower.contains(bad), "output contains {bad:?}");
        }
        assert!(out.starts_with("<!DOCTYPE html>"));
        assert!(out.trim_end().ends_with("</html>"));
        // every section rendered
        for needle in [
            "rows in <b>300</b>",
            "Row counts reconcile",
            "pseudonymized personal data",
            "email",
            "email-syntax",
            "Golden records",
            "birth_date",
            "total_spend",
            "champions",
            "customers.csv",
            "cleaned.csv",
            "validate",
            "kid_e217522da030764f",
        ] {
            assert!(out.contains(needle), "missing {needle:?}");
        }
        // SVGs carry explicit size and viewBox
        let svgs = out.matches("<svg").count();
        assert!(svgs >= 5, "expected charts, got {svgs}");
        assert_eq!(svgs, out.matches("viewBox=").count());
        // the full SHA-256, never cut short
        assert!(out.contains(
            "<td class=\"sha\">ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56abcd</td>"
        ));
        assert!(!out.contains('…'));
        // the reconciliation first, then sources, protection and policy before the findings
        let at = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s}"));
        assert!(at("id=\"reconciliation\"") < at("<h2>Sources</h2>"));
        assert!(at("<h2>Sources</h2>") < at("<h2>Notes</h2>"));
        assert!(at("<h2>Protection per column</h2>") < at("<h2>Policy</h2>"));
        assert!(at("<h2>Policy</h2>") < at("Per field"));
    }

    #[test]
    fn unreconciled_counts_are_flagged() {
        let mut r = sample();
        r["rows_out"] = json!(250);
        let out = render(&r);
        assert!(out.contains("recon bad"));
        assert!(out.contains("DOES NOT ADD UP"));
        assert!(out.contains("= 10"));
        assert!(!render(&sample()).contains("DOES NOT ADD UP"));
    }

    #[test]
    fn missing_and_null_sections_do_not_panic() {
        let mut r = sample();
        for k in [
            "validation",
            "dedupe",
            "histograms",
            "segments",
            "sources",
            "outputs",
            "timings",
            "status",
        ] {
            let mut m = r.clone();
            m.as_object_mut().unwrap().remove(k);
            let _ = render(&m);
            m[k] = Value::Null;
            let _ = render(&m);
            m[k] = json!("garbage");
            let _ = render(&m);
            m[k] = json!([{"x": null}, 3, null]);
            let _ = render(&m);
        }
        r["validation"]["fields"] = json!([{"field": null, "checked": 0, "missing": 0}, {}]);
        r["segments"] = json!({"stages": null});
        r["histograms"] =
            json!([{"field": "f", "bins": []}, {"bins": [{"label": null, "count": null}]}]);
        r["timings"] = json!([["x"], [], [null, "a"], {"step": "y", "seconds": 1.5}]);
        let out = render(&r);
        assert!(out.contains("</html>"));
        let _ = render(&Value::Null);
        let _ = render(&json!([]));
    }

    #[test]
    fn minimal_json_renders() {
        let r = json!({"rows_in": 0, "rows_out": 0, "rows_rejected": 0, "rows_merged": 0});
        let out = render(&r);
        assert!(out.contains("rows in <b>0</b>"));
        assert!(out.contains("Row counts reconcile"));
        assert!(out.contains("contains personal data"));
        assert!(out.contains("class=\"badge pii\""));
        assert!(!out.contains("<svg"));
        let r2 = json!({"rows_in": 5});
        assert!(render(&r2).contains("CANNOT RECONCILE"));
    }

    #[test]
    fn cjk_text_carries_its_language_and_fonts_follow_the_data() {
        assert_eq!(cjk_lang("客户"), Some("zh"));
        assert_eq!(cjk_lang("カスタマー"), Some("ja"));
        assert_eq!(cjk_lang("고객"), Some("ko"));
        assert_eq!(cjk_lang("customers"), None);
        let mut r = sample();
        r["sources"][0]["sheet"] = json!("客户");
        r["sources"][0]["path"] = json!("名单.xlsx!客户");
        let out = render(&r);
        assert!(out.contains("<span lang=\"zh\">客户</span>"));
        let body = out
            .lines()
            .find(|l| l.contains("body { font-family:"))
            .unwrap();
        assert!(body.find("PingFang SC").unwrap() < body.find("Hiragino Sans\"").unwrap());
        assert!(body.find("Malgun Gothic").is_some());
        // Japanese data puts the Japanese fonts first.
        r["sources"][0]["sheet"] = json!("顧客リスト");
        r["sources"][0]["path"] = json!("顧客リスト.xlsx");
        let out = render(&r);
        let body = out
            .lines()
            .find(|l| l.contains("body { font-family:"))
            .unwrap();
        assert!(body.find("Hiragino Sans\"").unwrap() < body.find("PingFang SC").unwrap());
        // Latin data: no CJK marked, the same fallbacks for any CJK that shows up.
        let out = render(&sample());
        assert!(!out.contains("lang=\"zh\""));
        assert!(out.contains("WenQuanYi Zen Hei"));
    }

    #[test]
    fn findings_keep_severities_apart_per_field_and_rule() {
        let mut r = sample();
        r["validation"]["rules"] = json!([
            {"rule": "date-future", "field": "birth_date", "severity": "error", "count": 3},
            {"rule": "date-future", "field": "birth_date", "severity": "warning", "count": 2},
            {"rule": "date-future", "field": "signup_date", "severity": "warning", "count": 7}
        ]);
        let out = render(&r);
        assert_eq!(
            out.matches("<td class=\"code\">date-future</td>").count(),
            2
        );
        assert!(out.contains("<td class=\"code\">birth_date</td><td class=\"code\">date-future</td><td class=\"n sev-error\">3</td><td class=\"n sev-warning\">2</td>"));
        assert!(out.contains("<td class=\"code\">signup_date</td><td class=\"code\">date-future</td><td class=\"n muted\">0</td><td class=\"n sev-warning\">7</td>"));
    }

    #[test]
    fn output_paths_are_relative_to_the_output_folder() {
        assert_eq!(
            relative_path("restricted/golden.csv"),
            "restricted/golden.csv"
        );
        assert_eq!(relative_path("/home/alice/out/cleaned.csv"), "cleaned.csv");
        assert_eq!(relative_path("C:\\Users\\a\\cleaned.csv"), "cleaned.csv");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(fmt_int(0), "0");
        assert_eq!(fmt_int(999), "999");
        assert_eq!(fmt_int(1000), "1,000");
        assert_eq!(fmt_int(-1234567), "-1,234,567");
        assert_eq!(fmt_dec(12345.5, 2), "12,345.50");
        assert_eq!(fmt_dec(-0.001, 2), "0.00");
        assert_eq!(fmt_pct(0.384), "38.4%");
        let r = json!({"rows_in": 1234567, "rows_out": 1200000, "rows_rejected": 34567, "rows_merged": 0,
                       "outputs": [{"name": "c", "path": "c.csv", "rows": 1200000, "bytes": 98765432}]});
        let out = render(&r);
        assert!(out.contains("rows in <b>1,234,567</b>"));
        assert!(out.contains(">1,200,000<"));
        assert!(out.contains(">98,765,432</td>"));
        assert!(out.contains("title=\"94.2 MiB\""));
    }
}

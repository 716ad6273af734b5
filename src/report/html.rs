//! Self-contained HTML rendering of a `steward clean` report (report.json).
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
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    let len = digits.len();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
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
    text(v, key).map(|s| esc(&s)).unwrap_or_else(|| "–".into())
}

// ---------------------------------------------------------------------------
// SVG helpers
// ---------------------------------------------------------------------------

const BAR_W: f64 = 140.0;
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
// Page
// ---------------------------------------------------------------------------

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #1f2933;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif;
  font-size: 14px; line-height: 1.45; }
main { max-width: 960px; margin: 0 auto; padding: 28px 32px 40px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #d5dae1; }
h3 { font-size: 14px; margin: 16px 0 6px; color: #3e4c59; }
.meta { color: #52606d; margin: 0 0 10px; }
.meta span { margin-right: 14px; white-space: nowrap; }
.badge { display: inline-block; padding: 3px 10px; border-radius: 12px; font-size: 12px; font-weight: 600;
  border: 1px solid; letter-spacing: .02em; }
.badge.ok { color: #1e5b3a; background: #e7f4ec; border-color: #9fcdb2; }
.badge.pii { color: #8a2c0d; background: #fdeee8; border-color: #f0a98d; }
.recon { margin: 18px 0 8px; padding: 14px 18px; border: 1px solid #c9d2dc; border-left: 6px solid #3b6ea5;
  background: #f7f9fb; font-size: 22px; font-variant-numeric: tabular-nums; }
.recon b { font-weight: 700; }
.recon .op { color: #7b8794; margin: 0 6px; }
.recon.bad { border-left-color: #b42318; background: #fdf0ef; }
.recon .flag { display: block; font-size: 14px; color: #b42318; font-weight: 700; margin-top: 6px; }
.recon .okflag { display: block; font-size: 13px; color: #1e5b3a; margin-top: 6px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid #e4e7eb; text-align: left; vertical-align: middle; }
th { background: #f0f2f5; font-weight: 600; font-size: 12.5px; color: #323f4b; }
table.kv { width: auto; min-width: 50%; }
table.kv th { background: none; font-weight: 500; color: #323f4b; padding-right: 40px; }
td.n, th.n { text-align: right; white-space: nowrap; }
td.code, .code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
.ratio { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
.ratio .num { min-width: 48px; text-align: right; }
svg { display: block; }
svg.mini { display: inline-block; vertical-align: middle; }
svg text { font-family: inherit; font-size: 12px; fill: #323f4b; }
svg text.val { font-variant-numeric: tabular-nums; }
.figs { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 8px; margin: 6px 0 10px; }
.fig { border: 1px solid #e4e7eb; border-radius: 4px; padding: 8px 10px; }
.fig .k { font-size: 12px; color: #52606d; }
.fig .v { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
.sev-error { color: #b42318; font-weight: 600; }
.sev-warning { color: #8d5b0c; font-weight: 600; }
.muted { color: #7b8794; }
.chartbox { margin: 4px 0 14px; overflow-x: auto; }
footer { margin-top: 32px; padding-top: 8px; border-top: 1px solid #d5dae1; color: #7b8794; font-size: 12px; }
section { break-inside: avoid-page; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 11.5px; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid-page; }
  tr, svg, .recon, .fig { break-inside: avoid; }
  .chartbox { overflow: visible; }
  svg.chart { max-width: 100%; height: auto; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Render `report.json` of `steward clean` as one self-contained HTML page.
pub fn render(report: &Value) -> String {
    let mut h = String::with_capacity(32 * 1024);
    let tool = text(report, "tool").unwrap_or_else(|| "steward".into());
    let command = text(report, "command").unwrap_or_else(|| "clean".into());
    let title = format!("{tool} {command} report");

    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(h, "<title>{}</title>", esc(&title));
    let _ = writeln!(h, "<style>{CSS}</style>\n</head>\n<body>\n<main>");

    header(&mut h, report, &title);
    reconciliation(&mut h, report);
    policy(&mut h, report);
    validation(&mut h, report);
    dedupe(&mut h, report);
    histograms(&mut h, report);
    segments(&mut h, report);
    sources(&mut h, report);
    outputs(&mut h, report);
    protection(&mut h, report);
    timings(&mut h, report);

    let version = text(report, "version").unwrap_or_default();
    let _ = writeln!(
        h,
        "<footer>Generated by {} {} &middot; self-contained report: no scripts, no external resources.</footer>",
        esc(&tool),
        esc(&version)
    );
    h.push_str("</main>\n</body>\n</html>\n");
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
    if let Some(s) = text(r, "started") {
        let _ = write!(
            h,
            "<span>Started: <span class=\"code\">{}</span></span>",
            esc(&s)
        );
    }
    if let Some(s) = text(r, "finished") {
        let _ = write!(
            h,
            "<span>Finished: <span class=\"code\">{}</span></span>",
            esc(&s)
        );
    }
    if let Some(v) = text(r, "version") {
        let _ = write!(h, "<span>Version: {}</span>", esc(&v));
    }
    if let Some(k) = text(r, "key_id") {
        let _ = write!(
            h,
            "<span>Key id: <span class=\"code\">{}</span></span>",
            esc(&k)
        );
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
        "<section><div class=\"recon{}\" id=\"reconciliation\">rows in <b>{}</b><span class=\"op\">=</span>rows out <b>{}</b>\
<span class=\"op\">+</span>rejected <b>{}</b><span class=\"op\">+</span>merged <b>{}</b>",
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
    h.push_str("</div></section>\n");
}

fn validation(h: &mut String, r: &Value) {
    let Some(v) = section(r, "validation") else {
        h.push_str("<section><h2>Validation</h2><p class=\"muted\">No validation summary in this report.</p></section>\n");
        return;
    };
    h.push_str("<section><h2>Validation</h2>\n<div class=\"figs\">");
    for (k, label) in [
        ("rows_valid", "Rows valid"),
        ("rows_rejected", "Rows rejected"),
        ("errors", "Errors"),
        ("warnings", "Warnings"),
    ] {
        if let Some(x) = num(v, k) {
            let _ = write!(
                h,
                "<div class=\"fig\"><div class=\"k\">{label}</div><div class=\"v\">{}</div></div>",
                fmt_count(x)
            );
        }
    }
    h.push_str("</div>\n");

    let fields = array(v, "fields");
    if !fields.is_empty() {
        h.push_str("<h3>Per field</h3>\n<table><thead><tr><th>Field</th><th class=\"n\">Checked</th><th class=\"n\">Valid</th>\
<th class=\"n\">Invalid</th><th class=\"n\">Missing</th><th class=\"n\">Warnings</th><th>Completeness</th><th>Validity</th></tr></thead><tbody>\n");
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
        h.push_str("</tbody></table>\n<p class=\"muted\">Completeness = (checked &minus; missing) / checked; \
validity = valid / (checked &minus; missing).</p>\n");
    }

    let rules = array(v, "top_rules");
    if !rules.is_empty() {
        h.push_str("<h3>Top rules</h3>\n<table><thead><tr><th>Rule</th><th>Severity</th><th class=\"n\">Count</th></tr></thead><tbody>\n");
        for rule in rules {
            let sev = text(rule, "severity").unwrap_or_default();
            let cls = match sev.to_ascii_lowercase().as_str() {
                "error" => "sev-error",
                "warning" | "warn" => "sev-warning",
                _ => "",
            };
            let _ = writeln!(
                h,
                "<tr><td class=\"code\">{}</td><td class=\"{cls}\">{}</td><td class=\"n\">{}</td></tr>",
                cell_text(rule, "rule"),
                if sev.is_empty() { "–".into() } else { esc(&sev) },
                cell_count(rule, "count")
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

fn dedupe(h: &mut String, r: &Value) {
    let Some(d) = section(r, "dedupe") else {
        return;
    };
    h.push_str("<section><h2>Duplicate detection</h2>\n<table class=\"kv\"><tbody>\n");
    let rows: [(&str, &str); 8] = [
        ("candidate_pairs", "Candidate pairs compared"),
        ("accepted_pairs", "Pairs accepted as duplicates"),
        ("clusters_with_duplicates", "Clusters with duplicates"),
        ("largest_cluster", "Largest cluster (records)"),
        ("golden_records", "Golden records"),
        ("rows_merged", "Rows merged"),
        ("clusters_flagged", "Clusters flagged for review"),
        ("threshold", "Match threshold"),
    ];
    let mut any = false;
    for (k, label) in rows {
        if let Some(x) = num(d, k) {
            any = true;
            let val = if k == "threshold" {
                fmt_dec(x, 2)
            } else {
                fmt_count(x)
            };
            let _ = writeln!(h, "<tr><th>{label}</th><td class=\"n\">{val}</td></tr>");
        }
    }
    if !any {
        h.push_str("<tr><td class=\"muted\">No figures reported.</td></tr>\n");
    }
    h.push_str("</tbody></table></section>\n");
}

fn histograms(h: &mut String, r: &Value) {
    let hs = array(r, "histograms");
    if hs.is_empty() {
        return;
    }
    h.push_str("<section><h2>Distributions</h2>\n");
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
        let _ = write!(h, "<h3><span class=\"code\">{}</span>", esc(&field));
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
    h.push_str(
        "<table><thead><tr><th>Name</th><th class=\"n\">Customers</th><th class=\"n\">Share</th>\
<th class=\"n\">Total spend</th><th class=\"n\">Avg spend</th></tr></thead><tbody>\n",
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
    h.push_str("</tbody></table>\n");
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
    h.push_str("<section><h2>Segments</h2>\n");
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

fn sources(h: &mut String, r: &Value) {
    let list = array(r, "sources");
    if list.is_empty() {
        return;
    }
    h.push_str("<section><h2>Sources</h2>\n<table><thead><tr><th>Path</th><th>Format</th><th>Encoding</th>\
<th class=\"n\">Rows</th></tr></thead><tbody>\n");
    for s in list {
        let _ = writeln!(
            h,
            "<tr><td class=\"code\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            cell_text(s, "path"),
            cell_text(s, "format"),
            cell_text(s, "encoding"),
            cell_count(s, "rows")
        );
    }
    h.push_str("</tbody></table></section>\n");
}

fn outputs(h: &mut String, r: &Value) {
    let list = array(r, "outputs");
    if list.is_empty() {
        return;
    }
    h.push_str("<section><h2>Outputs</h2>\n<table><thead><tr><th>Name</th><th>Path</th><th class=\"n\">Rows</th>\
<th class=\"n\">Size</th><th>SHA-256</th><th>Holds personal data</th><th>Protection</th></tr></thead><tbody>\n");
    for o in list {
        let size = num(o, "bytes")
            .map(|b| {
                let exact = fmt_count(b);
                format!("<span title=\"{exact} bytes\">{}</span>", fmt_bytes(b))
            })
            .unwrap_or_else(|| "–".into());
        let sha = match text(o, "sha256") {
            Some(full) => {
                let short: String = full.chars().take(12).collect();
                let ell = if full.chars().count() > 12 { "…" } else { "" };
                format!(
                    "<span class=\"code\" title=\"{}\">{}{ell}</span>",
                    esc(&full),
                    esc(&short)
                )
            }
            None => "–".into(),
        };
        let personal = match o.get("personal_data").and_then(Value::as_bool) {
            Some(true) => "yes",
            Some(false) => "no",
            None => "–",
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"code\">{}</td><td class=\"n\">{}</td><td class=\"n\">{size}</td><td>{sha}</td>\
<td>{personal}</td><td>{}</td></tr>",
            cell_text(o, "name"),
            cell_text(o, "path"),
            cell_count(o, "rows"),
            cell_text(o, "protection")
        );
    }
    h.push_str("</tbody></table></section>\n");
}

/// The policy result: passed or failed, and each limit against what the data showed.
fn policy(h: &mut String, r: &Value) {
    let Some(p) = section(r, "policy") else {
        return;
    };
    let passed = p.get("passed").and_then(Value::as_bool).unwrap_or(false);
    let _ = writeln!(
        h,
        "<section><h2>Policy</h2>\n<p><strong>{}</strong></p>\n<table><thead><tr><th>Rule</th><th>Limit</th>\
<th class=\"n\">At most</th><th class=\"n\">Found</th><th>Result</th></tr></thead><tbody>",
        if passed { "Passed" } else { "FAILED" }
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
            if ok { "passed" } else { "failed" }
        );
    }
    h.push_str("</tbody></table></section>\n");
}

/// What was done to each column of each shared file (tokenized, generalized, dropped, kept).
fn protection(h: &mut String, r: &Value) {
    let files = array(r, "protected_files");
    if files.is_empty() {
        return;
    }
    h.push_str("<section><h2>Protection per column</h2>\n");
    if let Some(dir) = text(r, "restricted") {
        let _ = writeln!(
            h,
            "<p>Files with raw personal data are in <span class=\"code\">{}/</span> (owner only); no other file holds a raw personal value.</p>",
            esc(&dir)
        );
    }
    for f in files {
        let Some(p) = f.get("protection") else {
            continue;
        };
        let _ = writeln!(
            h,
            "<h3 class=\"code\">{}</h3>\n<table><thead><tr><th>Column</th><th>Action</th><th>Detail</th></tr></thead><tbody>",
            cell_text(f, "file")
        );
        for c in array(p, "columns") {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                cell_text(c, "column"),
                cell_text(c, "action"),
                cell_text(c, "detail")
            );
        }
        h.push_str("</tbody></table>\n");
    }
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
    h.push_str("<section><h2>Timings</h2>\n<table><thead><tr><th>Step</th><th class=\"n\">Seconds</th></tr></thead><tbody>\n");
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
    h.push_str("</tbody></table></section>\n");
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
        // sha abbreviated, full value kept in title
        assert!(out.contains(
            "title=\"ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56abcd\""
        ));
        assert!(out.contains(">ab12cd34ef56…<"));
        // reconciliation precedes the per-field table
        assert!(out.find("id=\"reconciliation\"").unwrap() < out.find("Per field").unwrap());
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
        assert!(out.contains("98,765,432 bytes"));
    }
}

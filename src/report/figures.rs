//! Aggregates a report shows: per-field counts of the validation and histograms of dates and amounts. They
//! hold counts only, never a personal value, so reports built from them can leave the team.

use serde_json::{json, Value};

use crate::table::Table;
use crate::validate::FieldStats;

/// Field counts for the report: `checked` is every row (present values plus missing ones), so completeness is
/// (checked - missing) / checked and validity valid / (checked - missing).
pub fn report_fields(fields: &[FieldStats]) -> Vec<Value> {
    fields
        .iter()
        .map(|f| {
            json!({
                "field": f.field,
                "checked": f.checked + f.missing,
                "valid": f.valid,
                "invalid": f.invalid,
                "missing": f.missing,
                "warnings": f.warnings,
            })
        })
        .collect()
}

/// Histograms of birth dates (by decade) and amounts (by band) over the normalized rows: aggregates only.
pub fn histograms(t: &Table) -> Vec<Value> {
    let mut out = Vec::new();
    // Birth dates by decade; other dates (signup, last purchase, updated) by year.
    for (field, span) in [
        ("birth_date", 10),
        ("signup_date", 1),
        ("last_purchase_date", 1),
        ("updated_at", 1),
    ] {
        let Some(c) = t.column_index(field) else {
            continue;
        };
        let mut bins: std::collections::BTreeMap<i32, u64> = Default::default();
        for v in t.data[c].iter() {
            if v.len() >= 10 && v.as_bytes()[4] == b'-' {
                if let Ok(y) = v[..4].parse::<i32>() {
                    *bins.entry(y.div_euclid(span) * span).or_default() += 1;
                }
            }
        }
        if !bins.is_empty() {
            out.push(json!({
                "field": field,
                "kind": "date",
                "bins": bins
                    .iter()
                    .map(|(d, n)| {
                        let label = if span == 1 { d.to_string() } else { format!("{d}-{}", d + span - 1) };
                        json!({"label": label, "count": n})
                    })
                    .collect::<Vec<_>>(),
            }));
        }
    }
    for field in ["total_spend", "orders"] {
        let Some(c) = t.column_index(field) else {
            continue;
        };
        let edges: &[f64] = if field == "orders" {
            &[0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        } else {
            &[0.0, 100.0, 500.0, 1000.0, 5000.0, 10000.0, 50000.0]
        };
        let mut counts = vec![0u64; edges.len()];
        let mut any = false;
        for v in t.data[c].iter() {
            if let Ok(x) = v.trim().parse::<f64>() {
                if x.is_finite() && x >= 0.0 {
                    let i = edges.iter().rposition(|&e| x >= e).unwrap_or(0);
                    counts[i] += 1;
                    any = true;
                }
            }
        }
        if any {
            let bins: Vec<Value> = edges
                .iter()
                .enumerate()
                .map(|(i, &lo)| {
                    let label = match edges.get(i + 1) {
                        Some(hi) if field == "orders" && *hi - lo == 1.0 => format!("{lo}"),
                        Some(hi) => {
                            format!("{lo}-{}", hi - if field == "orders" { 1.0 } else { 0.01 })
                        }
                        None => format!("{lo}+"),
                    };
                    json!({"label": label, "count": counts[i]})
                })
                .collect();
            out.push(json!({"field": field, "kind": if field == "orders" {"integer"} else {"money"}, "bins": bins}));
        }
    }
    out
}

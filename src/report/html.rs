//! Placeholder replaced by the full renderer.
pub fn render(report: &serde_json::Value) -> String {
    format!("<!doctype html><pre>{}</pre>", report)
}

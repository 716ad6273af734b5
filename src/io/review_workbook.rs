//! The review workbook a steward fills in: one sheet "Review pairs" with a drop-down decision per pair,
//! probabilities and weights as numbers, both records' fields side by side with differing ones filled, and
//! the About sheet saying the threshold, the review band and the model. `--labels` reads it back.

use anyhow::Result;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatBorder, Workbook, XlsxError,
};

use super::workbook::About;
use crate::dedupe::ReviewSet;
use crate::error::StewardError;

/// The sheet holding the pairs.
pub const REVIEW_SHEET: &str = "Review pairs";
/// What the decision drop-down offers; `--labels` reads these (and skips `unsure`).
pub const DECISIONS: [&str; 3] = ["match", "not a match", "unsure"];

const XLSX_MAX_ROWS: usize = 1_048_575;

/// The columns of the review sheet: the decision first, then what a steward reads to decide, then the
/// comparison weights, and last the row references `--labels` finds the records by.
pub fn review_columns(set: &ReviewSet) -> Vec<String> {
    let mut cols: Vec<String> = ["decision", "match_probability", "id_a", "id_b"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for f in &set.fields {
        cols.push(format!("{f}_a"));
        cols.push(format!("{f}_b"));
    }
    cols.push("match_weight".into());
    if let Some(p) = set.pairs.first() {
        cols.extend(
            p.comparisons
                .iter()
                .map(|c| format!("{}_weight", c.comparison)),
        );
    }
    cols.extend(["_source_a", "_row_a", "_source_b", "_row_b"].map(String::from));
    cols
}

/// The workbook's bytes: the review sheet, then the About sheet (`about`, with the run's settings added).
pub fn review_workbook(set: &ReviewSet, about: About) -> Result<Vec<u8>> {
    if set.pairs.len() > XLSX_MAX_ROWS {
        return Err(StewardError::cant_create(format!(
            "{} pairs to review: an xlsx sheet holds at most {XLSX_MAX_ROWS}; write the review as CSV, or narrow \
             the band with --review-lower",
            set.pairs.len()
        ))
        .into());
    }
    build(set, about).map_err(|e| StewardError::cant_create(format!("xlsx: {e}")).into())
}

fn build(set: &ReviewSet, about: About) -> Result<Vec<u8>, XlsxError> {
    let cols = review_columns(set);
    let mut wb = Workbook::new();
    let bold = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin);
    let percent = Format::new().set_num_format("0.0%");
    let bits = Format::new().set_num_format("0.00");
    let differs = Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006));
    let decision = Format::new()
        .set_background_color(Color::RGB(0xFFF2CC))
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xBFBFBF));
    let ws = wb.add_worksheet();
    ws.set_name(REVIEW_SHEET)?;
    for (c, name) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, name, &bold)?;
    }
    let mut widths: Vec<usize> = cols
        .iter()
        .map(|c| crate::fields::text::display_width(c))
        .collect();
    let mut width = |c: usize, v: &str| {
        widths[c] = widths[c].max(crate::fields::text::display_width(v).min(40));
    };
    for (i, p) in set.pairs.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_blank(r, 0, &decision)?;
        ws.write_number_with_format(r, 1, p.probability, &percent)?;
        let mut c = 2u16;
        for v in [&p.id_a, &p.id_b] {
            ws.write_string(r, c, v)?;
            width(c as usize, v);
            c += 1;
        }
        for (f, [a, b]) in p.values.iter().enumerate() {
            let fill = set.differs(p, f);
            for v in [a, b] {
                match (fill, v.is_empty()) {
                    (true, true) => ws.write_blank(r, c, &differs).map(|_| ())?,
                    (true, false) => ws.write_string_with_format(r, c, v, &differs).map(|_| ())?,
                    (false, true) => {}
                    (false, false) => ws.write_string(r, c, v).map(|_| ())?,
                }
                width(c as usize, v);
                c += 1;
            }
        }
        ws.write_number_with_format(r, c, p.weight, &bits)?;
        c += 1;
        for w in &p.comparisons {
            ws.write_number_with_format(r, c, w.weight, &bits)?;
            c += 1;
        }
        for v in [&p.source_a, &p.row_a, &p.source_b, &p.row_b] {
            ws.write_string(r, c, v)?;
            width(c as usize, v);
            c += 1;
        }
    }
    widths[0] = widths[0].max(12);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64 + 2.0).min(42.0))?;
    }
    let n = set.pairs.len() as u32;
    if n > 0 {
        let choose = DataValidation::new()
            .allow_list_strings(&DECISIONS)?
            .set_input_title("Decision")?
            .set_input_message("match, not a match or unsure")?
            .set_error_title("Not a decision")?
            .set_error_message("Choose match, not a match or unsure from the list.")?
            .set_error_style(DataValidationErrorStyle::Stop);
        ws.add_data_validation(1, 0, n, 0, &choose)?;
    }
    ws.autofilter(0, 0, n, (cols.len() - 1) as u16)?;
    ws.set_freeze_panes(1, 1)?;
    let mut details = set.settings();
    details.push((
        "Cells",
        "decision: a drop-down; match_probability as a percentage; match_weight and each comparison's weight in \
         bits (log2 odds) as numbers; the records' fields as text as they were compared, filled red where the \
         two differ. No cell is a formula."
            .to_string(),
    ));
    about
        .with_details(details)
        .add_to(&mut wb, REVIEW_SHEET, u64::from(n))?;
    wb.save_to_buffer()
}

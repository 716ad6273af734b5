//! `steward diff`: customers added, removed and changed (which fields) between two versions of a list,
//! comparing normalized values.

use anyhow::Result;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

use super::{emit_json, open_all, read_options, Ui};
use crate::cli::{DiffArgs, ReportFormat};
use crate::error::StewardError;
use crate::io::outputs::Outputs;
use crate::io::workbook::{source_names, About};
use crate::io::write::{input_identities, write_vecs, OutputFormat, WriteOptions};
use crate::privacy::mask::mask_value;
use crate::schema::{PrivacyClass, Schema};
use crate::table::{load_table, Table, ROW_COLUMN, SOURCE_COLUMN};
use crate::validate::{check_table, CheckOptions};

#[derive(Serialize)]
struct DiffSummary {
    old_rows: u64,
    new_rows: u64,
    key: String,
    added: u64,
    removed: u64,
    changed: u64,
    unchanged: u64,
    /// Keys that appear more than once in a list (compared by their first row).
    duplicate_keys_old: u64,
    duplicate_keys_new: u64,
    /// Rows without a key value (not compared).
    missing_key_old: u64,
    missing_key_new: u64,
    /// How many customers changed each field.
    changed_fields: BTreeMap<String, u64>,
}

fn load(path: &str, args: &DiffArgs, schema: &Schema) -> Result<(Vec<String>, Table)> {
    let opts = read_options(&args.input, false)?;
    let (paths, sources) = open_all(&[path.to_string()], &opts)?;
    let mut t = load_table(schema, &sources, &args.schema.maps)?.table;
    let check = CheckOptions {
        default_region: None,
        day_first: false,
        today: chrono::Local::now().date_naive(),
        stale_after_days: None,
        normalization: crate::fields::Normalization::CURRENT,
    };
    check_table(schema, &mut t, &check, false)?;
    Ok((paths, t))
}

fn index(t: &Table, key: usize) -> (HashMap<&str, usize>, u64, u64) {
    let mut idx = HashMap::new();
    let (mut dups, mut missing) = (0u64, 0u64);
    for r in 0..t.len() {
        let k = t.get(r, key).trim();
        if k.is_empty() {
            missing += 1;
            continue;
        }
        if idx.insert(k, r).is_some() {
            dups += 1;
        }
    }
    // Keep the first row of a repeated key.
    let mut first = HashMap::new();
    for r in (0..t.len()).rev() {
        let k = t.get(r, key).trim();
        if !k.is_empty() {
            first.insert(k, r);
        }
    }
    (first, dups, missing)
}

pub fn run(args: &DiffArgs, ui: Ui) -> Result<()> {
    let schema = args.schema.load()?;
    let (p_old, old) = load(&args.old, args, &schema)?;
    let (p_new, new) = load(&args.new, args, &schema)?;
    let key_of = |t: &Table, which: &str| {
        t.column_index(&args.key).ok_or_else(|| {
            StewardError::usage(format!(
                "{which} has no column {:?}; its columns are: {}",
                args.key,
                t.columns[..t.columns.len() - 2].join(", ")
            ))
        })
    };
    let (ko, kn) = (key_of(&old, &args.old)?, key_of(&new, &args.new)?);
    let (io, dup_o, miss_o) = index(&old, ko);
    let (inew, dup_n, miss_n) = index(&new, kn);
    let shared: Vec<&String> = new
        .columns
        .iter()
        .filter(|c| *c != SOURCE_COLUMN && *c != ROW_COLUMN && old.column_index(c).is_some())
        .collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut s = DiffSummary {
        old_rows: old.len() as u64,
        new_rows: new.len() as u64,
        key: args.key.clone(),
        added: 0,
        removed: 0,
        changed: 0,
        unchanged: 0,
        duplicate_keys_old: dup_o,
        duplicate_keys_new: dup_n,
        missing_key_old: miss_o,
        missing_key_new: miss_n,
        changed_fields: BTreeMap::new(),
    };
    let shown = |field: &str, v: &str| -> String {
        match schema.field(field) {
            Some(f) if args.mask_values && f.privacy == PrivacyClass::Direct => {
                mask_value(f.kind, v)
            }
            _ => v.to_string(),
        }
    };
    let mut keys: Vec<&&str> = inew.keys().collect();
    keys.sort();
    for k in keys {
        let rn = inew[*k];
        match io.get(*k) {
            None => {
                s.added += 1;
                rows.push(vec![
                    k.to_string(),
                    "added".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
            Some(&ro) => {
                let mut any = false;
                for c in &shared {
                    let (a, b) = (
                        old.get(ro, old.column_index(c).unwrap_or(0)).trim(),
                        new.get(rn, new.column_index(c).unwrap_or(0)).trim(),
                    );
                    if a != b {
                        any = true;
                        *s.changed_fields.entry((*c).clone()).or_default() += 1;
                        rows.push(vec![
                            k.to_string(),
                            "changed".into(),
                            (*c).clone(),
                            shown(c, a),
                            shown(c, b),
                        ]);
                    }
                }
                if any {
                    s.changed += 1;
                } else {
                    s.unchanged += 1;
                }
            }
        }
    }
    let mut gone: Vec<&&str> = io.keys().filter(|k| !inew.contains_key(**k)).collect();
    gone.sort();
    for k in gone {
        s.removed += 1;
        rows.push(vec![
            k.to_string(),
            "removed".into(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    if let Some(path) = &args.changes {
        let mut inputs = input_identities(&p_old);
        inputs.extend(input_identities(&p_new));
        let cols: Vec<String> = ["key", "status", "field", "old", "new"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut files = Outputs::new(args.force, &inputs);
        let names = source_names(p_old.iter().chain(&p_new).map(String::as_str));
        let about = About::new(
            "Changes between two customer lists by steward diff: one line per added, removed or changed record \
             and field",
            names,
        );
        let opts = WriteOptions::new(OutputFormat::for_path(path, None), true).about(about);
        write_vecs(
            files.open("changes", path)?.with_bom(args.bom.bom),
            &cols,
            rows,
            opts,
        )?;
        files.commit()?;
    }
    // With --changes -, the differences are on stdout and the summary goes to stderr.
    let changes_on_stdout = super::any_on_stdout([args.changes.as_deref()]);
    if args.report.summary() == ReportFormat::Json {
        return emit_json(&s, changes_on_stdout);
    }
    let mut out = format!(
        "{} customers in the old list, {} in the new (by {}): {} added, {} removed, {} changed, {} unchanged\n",
        s.old_rows, s.new_rows, s.key, s.added, s.removed, s.changed, s.unchanged
    );
    if !s.changed_fields.is_empty() {
        let mut v: Vec<(&String, &u64)> = s.changed_fields.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1));
        out.push_str(&format!(
            "fields changed: {}\n",
            v.iter()
                .map(|(f, n)| format!("{f} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if changes_on_stdout {
        ui.say(out.trim_end());
    } else {
        super::print_stdout(&out)?;
    }
    for (what, n, m) in [("old", dup_o, miss_o), ("new", dup_n, miss_n)] {
        if n > 0 || m > 0 {
            ui.say(format!(
                "note: the {what} list has {n} repeated key(s) (compared by their first row) and {m} row(s) without a key"
            ));
        }
    }
    Ok(())
}

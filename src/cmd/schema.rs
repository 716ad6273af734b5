//! `steward schema show` and `steward schema init`: print the schema, or write an editable copy.

use anyhow::Result;

use super::Ui;
use crate::cli::{SchemaCommand, SchemaFormat};
use crate::io::write::{check_output_path, AtomicFile};
use crate::schema::{Schema, BUILTIN_TOML};

pub fn run(cmd: &SchemaCommand, ui: Ui) -> Result<()> {
    match cmd {
        SchemaCommand::Show(a) => {
            let schema = Schema::load_or_builtin(a.schema.as_deref())?;
            let text = match a.format {
                SchemaFormat::Toml => match &a.schema {
                    None => BUILTIN_TOML.to_string(),
                    Some(_) => schema.to_toml()?,
                },
                SchemaFormat::Json => serde_json::to_string_pretty(&schema)? + "\n",
                SchemaFormat::Human => human(&schema),
            };
            super::print_stdout(&text)
        }
        SchemaCommand::Init(a) => {
            let path = std::path::Path::new(&a.file);
            check_output_path(path, a.force, &[])?;
            let mut f = AtomicFile::create(path)?;
            f.make_shareable();
            std::io::Write::write_all(&mut f, BUILTIN_TOML.as_bytes())
                .map_err(|e| crate::error::StewardError::cant_create(format!("{}: {e}", a.file)))?;
            f.commit()?;
            ui.say(format!(
                "wrote the built-in schema to {}; edit it and pass --schema {}",
                a.file, a.file
            ));
            Ok(())
        }
    }
}

fn human(schema: &Schema) -> String {
    let mut out = format!(
        "schema {} (version {}), {} fields\n\n",
        schema.name,
        schema.version,
        schema.fields.len()
    );
    out.push_str(&format!(
        "{:<20} {:<9} {:<9} {:<18} aliases\n",
        "field", "kind", "privacy", "rules"
    ));
    for f in &schema.fields {
        let mut rules = Vec::new();
        if f.required {
            rules.push("required".to_string());
        }
        if f.unique {
            rules.push("unique".to_string());
        }
        if let Some(m) = f.min {
            rules.push(format!("min={m}"));
        }
        if let Some(m) = f.max {
            rules.push(format!("max={m}"));
        }
        if f.pattern.is_some() {
            rules.push("pattern".to_string());
        }
        if !f.values.is_empty() {
            rules.push(format!("values={}", f.values.len()));
        }
        let aliases: Vec<&str> = f.aliases.iter().take(8).map(|s| s.as_str()).collect();
        let more = if f.aliases.len() > 8 {
            format!(" (+{})", f.aliases.len() - 8)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{:<20} {:<9} {:<9} {:<18} {}{more}\n",
            f.name,
            f.kind.as_str(),
            f.privacy.as_str(),
            if rules.is_empty() {
                "-".to_string()
            } else {
                rules.join(",")
            },
            aliases.join(", ")
        ));
    }
    out
}

//! `steward model features|sql|score`: a saved matching model past one machine. The features table of a list
//! (every per-record value the model compares and blocks on), the SQL that scores it in DuckDB, and the native
//! scores to compare an engine's result with.

use anyhow::Result;
use std::sync::Arc;

use super::{open_all, read_options, Ui};
use crate::cli::{
    ModelCommand, ModelFeaturesArgs, ModelScoreArgs, ModelSqlArgs, SchemaArgs, SqlDialect,
};
use crate::dedupe::saved::ModelFile;
use crate::dedupe::warehouse::{features_frame, predict_sql, Dialect};
use crate::dedupe::{self, DedupeOptions, Outputs};
use crate::error::StewardError;
use crate::io::outputs::Outputs as Files;
use crate::io::write::{input_identities, write_vecs, OutputFormat, WriteOptions};
use crate::table::{load_table_counted, Loaded};

pub fn run(cmd: &ModelCommand, ui: Ui) -> Result<()> {
    match cmd {
        ModelCommand::Features(a) => features(a, ui),
        ModelCommand::Sql(a) => sql(a, ui),
        ModelCommand::Score(a) => score(a, ui),
    }
}

/// The sources as one table, and the dedupe options of the model (read and checked first).
fn load(
    sources: &[String],
    input: &crate::cli::InputArgs,
    schema: &SchemaArgs,
    lenient: bool,
    model: &std::path::Path,
) -> Result<(Vec<String>, Loaded, crate::schema::Schema, DedupeOptions)> {
    let mf = ModelFile::read(model)?;
    let schema_v = schema.load()?;
    let mut opts = DedupeOptions::from_schema(&schema_v)?;
    opts.model = Some(Arc::new(mf));
    let read = read_options(input, lenient)?;
    let (paths, srcs) = open_all(sources, &read)?;
    let loaded = load_table_counted(&schema_v, &srcs, &schema.maps, &mut |_| {})?;
    Ok((paths, loaded, schema_v, opts))
}

fn features(args: &ModelFeaturesArgs, ui: Ui) -> Result<()> {
    let (paths, loaded, schema, opts) = load(
        &args.sources,
        &args.input,
        &args.schema,
        args.lenient,
        &args.model,
    )?;
    let mut df = features_frame(&schema, &loaded.table, &opts)?;
    let mut inputs = input_identities(&paths);
    inputs.extend(input_identities(&[args.model.display().to_string()]));
    let mut files = Files::new(args.force, &inputs);
    // The features hold the records' normalized personal values: a private file (0600), like the data.
    let mut f = files.file("features", &args.output)?;
    polars::prelude::ParquetWriter::new(&mut f)
        .finish(&mut df)
        .map_err(|e| StewardError::cant_create(format!("{}: {e}", args.output)))?;
    f.commit()?;
    files.commit()?;
    ui.say(format!(
        "wrote the features of {} records ({} columns) to {}",
        df.height(),
        df.width(),
        args.output
    ));
    Ok(())
}

fn sql(args: &ModelSqlArgs, ui: Ui) -> Result<()> {
    let mf = ModelFile::read(&args.model)?;
    let dialect = match args.dialect {
        SqlDialect::Duckdb => Dialect::DuckDb,
    };
    let text = predict_sql(&mf.saved, &mf.path, dialect)?;
    match args.output.as_deref() {
        None | Some("-") => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(e.into());
                }
            }
        }
        Some(path) => {
            let inputs = input_identities(&[args.model.display().to_string()]);
            let mut files = Files::new(args.force, &inputs);
            let mut f = files.file("sql", path)?;
            f.make_shareable();
            std::io::Write::write_all(&mut f, text.as_bytes())?;
            f.commit()?;
            files.commit()?;
            ui.say(format!("wrote the model's SQL (DuckDB) to {path}"));
        }
    }
    Ok(())
}

fn score(args: &ModelScoreArgs, ui: Ui) -> Result<()> {
    let (paths, loaded, schema, mut opts) = load(
        &args.sources,
        &args.input,
        &args.schema,
        args.lenient,
        &args.model,
    )?;
    opts.outputs = Outputs {
        golden: false,
        golden_plan: false,
        clusters: false,
        merge_map: false,
        pairs: true,
        review: false,
    };
    let d = dedupe::dedupe_table(&schema, &loaded.table, &opts, &[])?;
    let (cols, rows) = d.model_pairs();
    let n = rows.len();
    let mut inputs = input_identities(&paths);
    inputs.extend(input_identities(&[args.model.display().to_string()]));
    let mut files = Files::new(args.force, &inputs);
    let dest = files.open("scores", &args.output)?;
    write_vecs(
        dest,
        &cols,
        rows,
        WriteOptions::new(OutputFormat::for_path(&args.output, None), false),
    )?;
    files.commit()?;
    ui.say(format!(
        "scored {} candidate pairs; {n} at or above the review band's lower bound",
        d.report.candidate_pairs
    ));
    Ok(())
}

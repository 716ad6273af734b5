//! `steward model features|sql|score`: a saved matching model past one machine. The features table of a list
//! (every per-record value the model compares and blocks on), the SQL that scores it in DuckDB, and the native
//! scores to compare an engine's result with.

use anyhow::Result;
use std::sync::Arc;

use super::{open_all, read_options, Ui};
use crate::cli::{
    ModelClusterArgs, ModelCommand, ModelFeaturesArgs, ModelScoreArgs, ModelSqlArgs,
    ModelTrainArgs, SchemaArgs, SqlDialect,
};
use crate::dedupe::saved::ModelFile;
use crate::dedupe::warehouse::{
    count_columns, counts_sql, made_for, pattern_counts, predict_sql, scored_pairs,
    train_from_counts, write_features, Dialect, PAIR_COLUMNS,
};
use crate::dedupe::{self, DedupeOptions, Outputs};
use crate::error::StewardError;
use crate::io::columns::read_columns;
use crate::io::outputs::Outputs as Files;
use crate::io::write::{input_identities, write_vecs, OutputFormat, WriteOptions};
use crate::table::{load_table_counted, Loaded};

pub fn run(cmd: &ModelCommand, ui: Ui) -> Result<()> {
    match cmd {
        ModelCommand::Features(a) => features(a, ui),
        ModelCommand::Sql(a) => sql(a, ui),
        ModelCommand::Score(a) => score(a, ui),
        ModelCommand::Cluster(a) => cluster(a, ui),
        ModelCommand::Train(a) => train(a, ui),
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
    if args.output == "-" {
        // `-` is stdout, as for every data output (a pipe into an engine's loader).
        let (rows, cols) = write_features(
            &schema,
            &loaded.table,
            &opts,
            args.row_offset,
            std::io::stdout(),
        )?;
        ui.say(format!(
            "wrote the features of {rows} records ({cols} columns) to stdout"
        ));
        return Ok(());
    }
    let mut inputs = input_identities(&paths);
    inputs.extend(input_identities(&[args.model.display().to_string()]));
    let mut files = Files::new(args.force, &inputs);
    // The features hold the records' normalized personal values: a private file (0600), like the data.
    let mut f = files.file("features", &args.output)?;
    let (rows, cols) = write_features(&schema, &loaded.table, &opts, args.row_offset, &mut f)?;
    f.commit()?;
    files.commit()?;
    ui.say(format!(
        "wrote the features of {rows} records ({cols} columns) to {}",
        args.output
    ));
    Ok(())
}

fn sql(args: &ModelSqlArgs, ui: Ui) -> Result<()> {
    let mf = ModelFile::read(&args.model)?;
    let dialect = match args.dialect {
        SqlDialect::Duckdb => Dialect::DuckDb,
        SqlDialect::Spark => Dialect::Spark,
    };
    let text = if args.counts {
        counts_sql(&mf.saved, &mf.path, args.random_pairs, dialect)?
    } else {
        predict_sql(&mf.saved, &mf.path, dialect)?
    };
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
    let (mut cols, mut rows) = d.model_pairs();
    // The column the model's SQL returns there: what the pairs were scored for.
    let made_for = opts
        .model
        .as_ref()
        .map(|m| made_for(&m.saved))
        .unwrap_or_default();
    let at = cols.len() - 2;
    cols.insert(at, "made_for".into());
    for r in &mut rows {
        r.insert(at, made_for.clone());
    }
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

fn cluster(args: &ModelClusterArgs, ui: Ui) -> Result<()> {
    // The pairs first: a file that is not one stops the run before the list is read.
    let scored = read_columns(&args.pairs, &PAIR_COLUMNS)?;
    let (paths, loaded, schema, mut opts) = load(
        &args.sources,
        &args.input,
        &args.schema,
        args.lenient,
        &args.model,
    )?;
    let made_for = opts
        .model
        .as_ref()
        .map(|m| made_for(&m.saved))
        .unwrap_or_default();
    let pairs = scored_pairs(&scored, &made_for)?;
    let n = loaded.table.len();
    if let Some(p) = pairs
        .iter()
        .find(|p| p.0 as usize >= n || p.1 as usize >= n)
    {
        return Err(StewardError::data(format!(
            "{}: the pair of rows {} and {} is not of this list ({n} rows): features and pairs come from the \
             list given here",
            args.pairs.display(),
            p.0,
            p.1
        ))
        .into());
    }
    let given = pairs.len();
    opts.scored = Some(Arc::new(pairs));
    opts.outputs = Outputs {
        golden: false,
        golden_plan: false,
        clusters: true,
        merge_map: args.merge_map.is_some(),
        pairs: false,
        review: false,
    };
    let d = dedupe::dedupe_table(&schema, &loaded.table, &opts, &[])?;
    let mut inputs = input_identities(&paths);
    inputs.extend(input_identities(&[
        args.model.display().to_string(),
        args.pairs.display().to_string(),
    ]));
    let mut files = Files::new(args.force, &inputs);
    let write = |files: &mut Files,
                 name: &str,
                 path: &str,
                 rows: &dyn crate::io::write::Rows|
     -> Result<()> {
        let dest = files.open(name, path)?;
        crate::io::write::write_rows(
            dest,
            rows,
            WriteOptions::new(OutputFormat::for_path(path, None), true),
        )?;
        Ok(())
    };
    if let Some(c) = d.clusters() {
        write(&mut files, "clusters", &args.output, &c)?;
    }
    if let (Some(path), Some(m)) = (&args.merge_map, d.merge_map()) {
        write(&mut files, "merge_map", path, &m)?;
    }
    files.commit()?;
    for line in d.report.lines() {
        ui.say(line);
    }
    ui.say(format!(
        "clustered by {given} pairs scored with the saved model"
    ));
    Ok(())
}

fn train(args: &ModelTrainArgs, ui: Ui) -> Result<()> {
    if args.save_model == "-" {
        return Err(
            StewardError::usage("--save-model: name a file (model.json), not stdout").into(),
        );
    }
    let base = ModelFile::read(&args.model)?;
    let need = count_columns(&base.saved);
    let want: Vec<(&str, bool)> = need.iter().map(|n| (n.as_str(), true)).collect();
    let (counts, records) = pattern_counts(&base.saved, &read_columns(&args.counts, &want)?)?;
    let origin = args.counts.display().to_string();
    let trained = train_from_counts(&base.saved, &counts, records);
    let inputs = input_identities(&[args.model.display().to_string(), origin.clone()]);
    let mut files = Files::new(args.force, &inputs);
    let mut f = files.file("model", &args.save_model)?;
    f.make_shareable();
    std::io::Write::write_all(&mut f, trained.to_json()?.as_bytes())?;
    f.commit()?;
    files.commit()?;
    ui.say(format!(
        "trained on {} candidate pairs and {} random pairs ({} EM iterations, prior {:.4}); wrote {}",
        trained.trained.candidate_pairs,
        trained.model.u_sample_pairs,
        trained.model.em_iterations,
        trained.model.lambda,
        args.save_model
    ));
    Ok(())
}

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
    counts_sql, predict_sql, train_from_counts, write_features, Dialect, PatternCount,
};
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
        .map(|m| crate::dedupe::warehouse::made_for(&m.saved))
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

/// The scored pairs of an engine: `row_a`, `row_b`, `match_probability` of a CSV or Parquet file.
fn read_pairs(path: &std::path::Path) -> Result<Vec<(u32, u32, f64)>> {
    let origin = path.display().to_string();
    let bad =
        |what: String| -> anyhow::Error { StewardError::data(format!("{origin}: {what}")).into() };
    let file = std::fs::File::open(path)
        .map_err(|e| StewardError::no_input(format!("{origin}: cannot read the pairs: {e}")))?;
    crate::io::write::note_read(path);
    let need = ["row_a", "row_b", "match_probability"];
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
    {
        use polars::prelude::*;
        let df = ParquetReader::new(file)
            .finish()
            .map_err(|e| bad(format!("not a Parquet file of pairs: {e}")))?;
        let col = |n: &str| -> Result<Series> {
            df.column(n)
                .map_err(|_| {
                    bad(format!(
                        "no column {n} (a pair file has {})",
                        need.join(", ")
                    ))
                })?
                .as_materialized_series()
                .cast(&DataType::Float64)
                .map_err(|e| bad(format!("column {n}: {e}")))
        };
        let (a, b, p) = (col("row_a")?, col("row_b")?, col("match_probability")?);
        let (a, b, p) = (a.f64()?, b.f64()?, p.f64()?);
        let mut out = Vec::with_capacity(df.height());
        for i in 0..df.height() {
            let (Some(x), Some(y), Some(q)) = (a.get(i), b.get(i), p.get(i)) else {
                return Err(bad(format!(
                    "row {}: an empty row_a, row_b or match_probability",
                    i + 1
                )));
            };
            out.push(pair_of(x, y, q).ok_or_else(|| {
                bad(format!(
                    "row {}: not a pair of rows with a probability",
                    i + 1
                ))
            })?);
        }
        return Ok(out);
    }
    let mut r = csv::ReaderBuilder::new().from_reader(std::io::BufReader::new(file));
    let headers = r
        .headers()
        .map_err(|e| bad(format!("line 1: {e}")))?
        .clone();
    let at: Vec<usize> = need
        .iter()
        .map(|n| {
            headers
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}') == *n)
                .ok_or_else(|| {
                    bad(format!(
                        "line 1: no column {n} (a pair file has {})",
                        need.join(", ")
                    ))
                })
        })
        .collect::<Result<_>>()?;
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let num = |k: usize| -> Result<f64> {
            let v = rec.get(at[k]).unwrap_or("").trim();
            v.parse::<f64>().map_err(|_| {
                bad(format!(
                    "line {line}, column {}: {v:?} is not a number",
                    at[k] + 1
                ))
            })
        };
        let (x, y, q) = (num(0)?, num(1)?, num(2)?);
        out.push(pair_of(x, y, q).ok_or_else(|| {
            bad(format!(
                "line {line}: not a pair of rows (whole numbers) with a probability in [0, 1]"
            ))
        })?);
    }
    Ok(out)
}

fn pair_of(a: f64, b: f64, p: f64) -> Option<(u32, u32, f64)> {
    let row =
        |x: f64| (x.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&x)).then_some(x as u32);
    Some((row(a)?, row(b)?, (0.0..=1.0).contains(&p).then_some(p)?))
}

/// The pairs' `made_for` values (when the file has the column): they must be the model's.
fn check_made_for(path: &std::path::Path, expected: &str) -> Result<()> {
    let has = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
    {
        use polars::prelude::SerReader;
        let f = std::fs::File::open(path)?;
        polars::prelude::ParquetReader::new(f)
            .schema()
            .map(|s| s.contains("made_for"))
            .unwrap_or(false)
    } else {
        let mut r = csv::Reader::from_path(path)?;
        r.headers()
            .map(|h| h.iter().any(|c| c == "made_for"))
            .unwrap_or(false)
    };
    if !has {
        return Ok(());
    }
    for (line, row) in read_table(path, &["made_for".to_string()])? {
        if row[0] != expected {
            return Err(StewardError::data(format!(
                "{}: line {line}: the pairs were scored for {:?}, not for this model ({expected:?}): cluster \
                 with the model that scored them",
                path.display(),
                row[0]
            ))
            .into());
        }
    }
    Ok(())
}

fn cluster(args: &ModelClusterArgs, ui: Ui) -> Result<()> {
    let pairs = read_pairs(&args.pairs)?;
    {
        let mf = ModelFile::read(&args.model)?;
        check_made_for(&args.pairs, &crate::dedupe::warehouse::made_for(&mf.saved))?;
    }
    let (paths, loaded, schema, mut opts) = load(
        &args.sources,
        &args.input,
        &args.schema,
        args.lenient,
        &args.model,
    )?;
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

/// The named columns of a CSV or Parquet file, as text, each row with its line (CSV) or row number.
fn read_table(path: &std::path::Path, need: &[String]) -> Result<Vec<(u64, Vec<String>)>> {
    let origin = path.display().to_string();
    let bad =
        |what: String| -> anyhow::Error { StewardError::data(format!("{origin}: {what}")).into() };
    let file = std::fs::File::open(path)
        .map_err(|e| StewardError::no_input(format!("{origin}: cannot read it: {e}")))?;
    crate::io::write::note_read(path);
    let missing = |n: &str| bad(format!("no column {n} (it needs {})", need.join(", ")));
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
    {
        use polars::prelude::*;
        let df = ParquetReader::new(file)
            .finish()
            .map_err(|e| bad(format!("not a Parquet file: {e}")))?;
        let cols: Vec<Series> = need
            .iter()
            .map(|n| {
                df.column(n)
                    .map_err(|_| missing(n))?
                    .as_materialized_series()
                    .cast(&DataType::String)
                    .map_err(|e| bad(format!("column {n}: {e}")))
            })
            .collect::<Result<_>>()?;
        let strs: Vec<&StringChunked> =
            cols.iter().map(|c| c.str()).collect::<PolarsResult<_>>()?;
        return Ok((0..df.height())
            .map(|i| {
                let row = strs
                    .iter()
                    .map(|c| c.get(i).unwrap_or("").to_string())
                    .collect();
                (i as u64 + 1, row)
            })
            .collect());
    }
    let mut r = csv::ReaderBuilder::new().from_reader(std::io::BufReader::new(file));
    let headers = r
        .headers()
        .map_err(|e| bad(format!("line 1: {e}")))?
        .clone();
    let at: Vec<usize> = need
        .iter()
        .map(|n| {
            headers
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}') == n)
                .ok_or_else(|| missing(n))
        })
        .collect::<Result<_>>()?;
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        out.push((
            line,
            at.iter()
                .map(|&i| rec.get(i).unwrap_or("").to_string())
                .collect(),
        ));
    }
    Ok(out)
}

fn train(args: &ModelTrainArgs, ui: Ui) -> Result<()> {
    if args.save_model == "-" {
        return Err(
            StewardError::usage("--save-model: name a file (model.json), not stdout").into(),
        );
    }
    let base = ModelFile::read(&args.model)?;
    let comps = &base.saved.config.comparisons;
    let mut need: Vec<String> = vec!["source".into()];
    need.extend(comps.iter().map(|c| format!("{}_level", c.name)));
    need.extend(["guard".into(), "n".into()]);
    let rows = read_table(&args.counts, &need)?;
    let origin = args.counts.display().to_string();
    let (mut counts, mut records) = (Vec::new(), 0u64);
    for (line, row) in rows {
        let bad = |col: usize, why: &str| -> anyhow::Error {
            StewardError::data(format!(
                "{origin}: line {line}, column {}: {:?} {why}",
                need[col], row[col]
            ))
            .into()
        };
        let n: u64 = row[need.len() - 1]
            .trim()
            .parse()
            .map_err(|_| bad(need.len() - 1, "is not a count"))?;
        let random = match row[0].trim() {
            "records" => {
                records += n;
                continue;
            }
            "random" => true,
            "candidates" => false,
            _ => return Err(bad(0, "is not candidates, random or records")),
        };
        let mut levels = Vec::with_capacity(comps.len());
        for (k, c) in comps.iter().enumerate() {
            let top = crate::dedupe::level_names(c.kind).len() as u8;
            let l: u8 = row[k + 1]
                .trim()
                .parse()
                .ok()
                .filter(|&l| l < top)
                .ok_or_else(|| bad(k + 1, "is not a level of this comparison"))?;
            levels.push(l);
        }
        let guard: u8 = row[need.len() - 2]
            .trim()
            .parse()
            .map_err(|_| bad(need.len() - 2, "is not guard bits"))?;
        counts.push(PatternCount {
            random,
            levels,
            guard,
            n,
        });
    }
    if !counts.iter().any(|c| c.random) || !counts.iter().any(|c| !c.random) {
        return Err(StewardError::data(format!(
            "{origin}: the counts need both candidate pairs and random pairs (model sql --counts returns both)"
        ))
        .into());
    }
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

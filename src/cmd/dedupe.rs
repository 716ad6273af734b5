//! `steward dedupe`: the arguments turned into the dedupe stage's options, the sources read, the stage called
//! (golden records, clusters, pairs, review, merge map, an explanation; `--link`; `--against`), its outputs
//! written and a summary printed.

use anyhow::Result;
use std::time::Instant;

use super::{emit_json, open_all, read_options, Progress, Ui};
use crate::cli::{DedupeArgs, ReportFormat};
use crate::dedupe::{self, DedupeOptions, Explained, Label, Outputs, Report};
use crate::error::StewardError;
use crate::io::outputs::Outputs as Files;
use crate::io::workbook::{source_names, About};
use crate::io::write::{
    input_identities, write_rows, Destination, FileIdentity, OutputFormat, Rows, WriteOptions,
};
use crate::io::{Item, RawRow};
use crate::schema::Schema;
use crate::table::{load_table_counted, Loaded, Table};

/// The stage options: the schema's `[dedupe]` settings, overridden by the arguments, and the outputs asked.
fn options(args: &DedupeArgs, schema: &Schema) -> Result<DedupeOptions> {
    let mut o = DedupeOptions::from_schema(schema)?;
    if args.threshold.is_some() {
        o.threshold = args.threshold;
    }
    if args.review_lower.is_some() {
        o.review_lower = args.review_lower;
    }
    if let Some(path) = &args.model {
        o.model = Some(std::sync::Arc::new(dedupe::saved::ModelFile::read(path)?));
    }
    if let [a, b] = args.explain.as_slice() {
        o.explain = Some((a.clone(), b.clone()));
    }
    // Without -o a plain run only explains a pair (--explain); with --against the merge map stands alone.
    let records = args.output.is_some() || args.against.is_some();
    o.outputs = Outputs {
        golden: args.output.is_some(),
        golden_plan: false,
        clusters: records && args.clusters.is_some(),
        merge_map: records && args.merge_map.is_some(),
        pairs: records && args.pairs.is_some(),
        review: records && (args.review.is_some() || args.review_html.is_some()),
    };
    Ok(o)
}

fn load(
    paths: &[String],
    args: &DedupeArgs,
    schema: &Schema,
    progress: &Progress,
) -> Result<(Vec<String>, Loaded)> {
    let opts = read_options(&args.input, args.lenient)?;
    let (paths, sources) = open_all(paths, &opts)?;
    progress.stage("reading");
    let loaded = load_table_counted(schema, &sources, &args.schema.maps, &mut |n| {
        progress.set_rows(n)
    })?;
    Ok((paths, loaded))
}

/// Writes each output whose path was given and which the stage built; they land together with the manifest.
struct Sink<'a> {
    args: &'a DedupeArgs,
    files: Files,
    /// The sources by file name, for a workbook's About sheet.
    sources: Vec<String>,
}

/// Write `rows` to an output `Sink::open` opened (nothing when it was not asked for).
fn write_opened<R: Rows>(out: Option<(Destination, WriteOptions)>, rows: Option<&R>) -> Result<()> {
    if let (Some((dest, opts)), Some(rows)) = (out, rows) {
        write_rows(dest, rows, opts)?;
    }
    Ok(())
}

impl Sink<'_> {
    fn new<'a>(args: &'a DedupeArgs, inputs: &[(String, FileIdentity)]) -> Result<Sink<'a>> {
        Ok(Sink {
            args,
            files: Files::new(args.force, inputs).with_db_target(
                args.db_out
                    .target_for(args.output.as_deref())?
                    .typed_by(args.schema.schema.as_deref())?,
            ),
            sources: source_names(inputs.iter().map(|(p, _)| p.as_str())),
        })
    }

    fn write<R: Rows>(
        &mut self,
        name: &str,
        path: &Option<String>,
        rows: Option<&R>,
        format: Option<OutputFormat>,
    ) -> Result<()> {
        write_opened(self.open(name, path, rows, format)?, rows)
    }

    /// The destination of output `name` and how it is written, when it is asked for and has rows.
    fn open<R: Rows>(
        &mut self,
        name: &str,
        path: &Option<String>,
        rows: Option<&R>,
        format: Option<OutputFormat>,
    ) -> Result<Option<(Destination, WriteOptions)>> {
        let (Some(path), Some(_)) = (path, rows) else {
            return Ok(None);
        };
        let guard = !self.args.no_formula_guard;
        let dest = self
            .files
            .open(name, path)?
            .with_bom(self.args.data.bom.bom);
        let about = About::new(
            format!("Deduplication results of steward dedupe: the {name} file"),
            self.sources.clone(),
        );
        let opts = WriteOptions::new(OutputFormat::for_path(path, format), guard).about(about);
        Ok(Some((dest, opts)))
    }

    /// The review file (a workbook of its own shape, or rows as any other output) and the review page.
    fn review(&mut self, d: &dedupe::Deduped) -> Result<()> {
        let args = self.args;
        let set = if args.review_html.is_some()
            || args
                .review
                .as_deref()
                .is_some_and(|p| OutputFormat::for_path(p, None) == OutputFormat::Xlsx)
        {
            d.review_set()
        } else {
            None
        };
        match (&args.review, &set) {
            (Some(path), Some(set)) if OutputFormat::for_path(path, None) == OutputFormat::Xlsx => {
                let about = About::new(
                    "Pairs to review from steward dedupe: choose a decision for each, then give the file \
                     back with --labels",
                    self.sources.clone(),
                );
                let bytes = crate::io::review_workbook::review_workbook(set, about)?;
                let mut f = self.files.file("review", path)?;
                std::io::Write::write_all(&mut f, &bytes)?;
                f.commit()?;
            }
            _ => self.write("review", &args.review, d.review().as_ref(), None)?,
        }
        if let (Some(path), Some(set)) = (&args.review_html, &set) {
            let page = crate::report::review_html::render_review(set, &self.sources.join(", "))?;
            let mut f = self.files.file("review_html", path)?;
            std::io::Write::write_all(&mut f, page.as_bytes())?;
            f.commit()?;
        }
        Ok(())
    }

    /// Stage the manifest beside the main output (`main`) and land every file.
    fn land<I: crate::report::ManifestInput>(
        mut self,
        main: &str,
        started: chrono::DateTime<chrono::Local>,
        inputs: &[I],
        report: &Report,
    ) -> Result<()> {
        crate::report::write_manifest(
            &mut self.files,
            main,
            "dedupe",
            started,
            inputs,
            serde_json::to_value(report)?,
            None,
        )?;
        self.files.commit()?;
        Ok(())
    }
}

/// The decided pairs of a filled-in review file, on the rows of `t`.
fn read_labels(path: &str, t: &Table) -> Result<Vec<Label>> {
    let sources = crate::io::open_source(path, &crate::io::ReadOptions::default())?;
    let src = sources
        .first()
        .ok_or_else(|| StewardError::data(format!("{path}: no sheet with labels")))?;
    let mut rows = Vec::new();
    src.for_each(|item| {
        if let Item::Row(r) = item {
            rows.push(RawRow {
                row: r.row,
                fields: r.fields.iter().map(|s| s.to_string()).collect(),
            });
        }
        Ok(())
    })?;
    dedupe::labels_from_review(path, &src.info.headers, &rows, t)
}

pub fn run(args: &DedupeArgs, ui: Ui) -> Result<()> {
    let started = chrono::Local::now();
    let schema = args.schema.load()?;
    let opts = options(args, &schema)?;
    // --out-table without a database -o is refused before any work.
    args.db_out.target_for(args.output.as_deref())?;
    if args.link && args.against.is_some() {
        return Err(
            StewardError::usage("--link and --against do different things: use one").into(),
        );
    }
    if args.explain.is_empty() && args.output.is_none() && args.save_model.is_none() {
        return Err(StewardError::usage(
            "dedupe needs -o OUT (golden records), --save-model FILE, or --explain ID1 ID2",
        )
        .into());
    }
    if args.save_model.is_some() && (args.link || args.against.is_some()) {
        return Err(StewardError::usage(
            "--save-model saves the model a plain dedupe trains: train it on one list, then use it with --model",
        )
        .into());
    }
    if args.save_model.as_deref() == Some("-") {
        return Err(
            StewardError::usage("--save-model: name a file (model.json), not stdout").into(),
        );
    }
    if let Some(out) = &args.output {
        super::data_format(out, &args.data, &args.report, ui)?;
    }
    if !args.explain.is_empty() && args.output.is_some() {
        // The explanation goes to stdout: it must not mix with the data, nor be a second JSON document.
        if args.output.as_deref() == Some("-") {
            return Err(StewardError::usage(
                "--explain prints to stdout: write the golden records (-o) to a file",
            )
            .into());
        }
        if args.report.is_json() {
            return Err(StewardError::usage(
                "--explain with -o and --format json: run --explain on its own for its JSON",
            )
            .into());
        }
    }
    if args.review_html.as_deref() == Some("-") {
        return Err(StewardError::usage(
            "--review-html holds personal data: name a file (review.html), not stdout",
        )
        .into());
    }
    if args.link {
        return link(args, &schema, &opts, ui);
    }
    if let Some(g) = &args.against {
        return incremental(args, g, &schema, &opts, ui);
    }
    let t0 = Instant::now();
    let progress = ui.progress("reading");
    let (paths, loaded) = load(&args.sources, args, &schema, &progress)?;
    let read_secs = t0.elapsed().as_secs_f64();
    let inputs = input_identities(&paths);
    let labels = match &args.labels {
        Some(p) => read_labels(p, &loaded.table)?,
        None => Vec::new(),
    };
    progress.stage("matching");
    let d = dedupe::dedupe_table(&schema, &loaded.table, &opts, &labels)?;
    progress.finish();
    if let Some(e) = &d.explained {
        print_explanation(args, e)?;
    }
    if args.output.is_none() && args.save_model.is_none() {
        return Ok(());
    }
    let tw = Instant::now();
    let mut inputs = inputs;
    // The model read is an input too: no output of this run replaces it, --force or not.
    inputs.extend(input_identities(
        &args
            .model
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>(),
    ));
    let mut sink = Sink::new(args, &inputs)?;
    if let (Some(path), Some(model)) = (&args.save_model, &d.saved_model) {
        let mut f = sink.files.file("model", path)?;
        f.make_shareable();
        std::io::Write::write_all(&mut f, model.to_json()?.as_bytes())?;
        f.commit()?;
    }
    // The golden records and the clusters, the two large files, are written at the same time (one after the
    // other, writing took 9.4 s of a 10M-row dedupe's 52 s, a core at a time).
    let clusters = d.clusters();
    let golden_out = sink.open(
        "golden",
        &args.output,
        d.golden.as_ref(),
        args.data.given(&args.report),
    )?;
    let clusters_out = sink.open("clusters", &args.clusters, clusters.as_ref(), None)?;
    let (golden_written, clusters_written) = rayon::join(
        || write_opened(golden_out, d.golden.as_ref()),
        || write_opened(clusters_out, clusters.as_ref()),
    );
    golden_written?;
    clusters_written?;
    drop(clusters);
    sink.write("pairs", &args.pairs, d.pairs().as_ref(), None)?;
    sink.write("merge_map", &args.merge_map, d.merge_map().as_ref(), None)?;
    sink.review(&d)?;
    let mut report = d.report;
    report.rows_in = loaded.counts.rows_in;
    report.rows_rejected = loaded.counts.rows_rejected;
    report.timings.insert(0, ("read".to_string(), read_secs));
    report
        .timings
        .push(("write".to_string(), tw.elapsed().as_secs_f64()));
    let main = if args.output.is_some() {
        "golden"
    } else {
        "model"
    };
    sink.land(main, started, &paths, &report)?;
    finish_report(args, ui, &report)
}

/// `--link A B`: for each row of B, the best match in A.
fn link(args: &DedupeArgs, schema: &Schema, opts: &DedupeOptions, ui: Ui) -> Result<()> {
    let started = chrono::Local::now();
    if args.sources.len() != 2 {
        return Err(
            StewardError::usage("--link takes exactly two lists: A (the reference) and B").into(),
        );
    }
    let t0 = Instant::now();
    let progress = ui.progress("reading");
    let (pa, la) = load(&args.sources[..1], args, schema, &progress)?;
    let (pb, lb) = load(&args.sources[1..], args, schema, &progress)?;
    let read_secs = t0.elapsed().as_secs_f64();
    progress.stage("matching");
    let linked = dedupe::link_tables(schema, &la.table, &lb.table, opts)?;
    progress.finish();
    let mut inputs = input_identities(&pa);
    inputs.extend(input_identities(&pb));
    let out = args.output.clone().or(Some("-".to_string()));
    let format = args.data.given(&args.report);
    let mut sink = Sink::new(args, &inputs)?;
    sink.write("links", &out, Some(&linked.links()), format)?;
    let mut report = linked.report;
    report.rows_in = la.counts.rows_in + lb.counts.rows_in;
    report.rows_rejected = la.counts.rows_rejected + lb.counts.rows_rejected;
    report.timings.insert(0, ("read".to_string(), read_secs));
    let all: Vec<String> = pa.iter().chain(&pb).cloned().collect();
    sink.land("links", started, &all, &report)?;
    finish_report(args, ui, &report)
}

/// `--against GOLDEN`: new rows matched into existing golden records, whose ids never change.
fn incremental(
    args: &DedupeArgs,
    golden_path: &str,
    schema: &Schema,
    opts: &DedupeOptions,
    ui: Ui,
) -> Result<()> {
    let started = chrono::Local::now();
    let t0 = Instant::now();
    let progress = ui.progress("reading");
    let (pg, lg) = load(&[golden_path.to_string()], args, schema, &progress)?;
    let (pn, ln) = load(&args.sources, args, schema, &progress)?;
    let read_secs = t0.elapsed().as_secs_f64();
    progress.stage("matching");
    let inc = dedupe::match_into_golden(schema, &lg.table, golden_path, &ln.table, opts)?;
    progress.finish();
    let mut inputs = input_identities(&pg);
    inputs.extend(input_identities(&pn));
    let mut sink = Sink::new(args, &inputs)?;
    sink.write(
        "golden",
        &args.output,
        inc.golden.as_ref(),
        args.data.given(&args.report),
    )?;
    sink.write("merge_map", &args.merge_map, inc.merge_map.as_ref(), None)?;
    let mut report = inc.report;
    report.rows_in = ln.counts.rows_in;
    report.rows_rejected = ln.counts.rows_rejected;
    report.timings.insert(0, ("read".to_string(), read_secs));
    let all: Vec<String> = pg.iter().chain(&pn).cloned().collect();
    sink.land("golden", started, &all, &report)?;
    finish_report(args, ui, &report)
}

/// Why two records do or do not match: JSON, or a line per comparison.
fn print_explanation(args: &DedupeArgs, e: &Explained) -> Result<()> {
    if args.report.summary() == ReportFormat::Json {
        println!("{}", serde_json::to_string_pretty(e)?);
        return Ok(());
    }
    for line in e.lines() {
        println!("{line}");
    }
    Ok(())
}

fn finish_report(args: &DedupeArgs, ui: Ui, r: &Report) -> Result<()> {
    if args.report.summary() == ReportFormat::Json {
        let outputs = [
            &args.output,
            &args.clusters,
            &args.pairs,
            &args.merge_map,
            &args.review,
            &args.review_html,
        ];
        return emit_json(r, super::any_on_stdout(outputs.map(|o| o.as_deref())));
    }
    for line in r.lines() {
        ui.say(line);
    }
    Ok(())
}

//! `steward profile`: a data-quality profile of a customer list, for people (text, Markdown, HTML) and
//! scripts (JSON). The profile itself is `report::profile`; this wires arguments, sources and outputs.

use anyhow::Result;

use super::{open_all, read_options, Ui};
use crate::cli::{ProfileArgs, ProfileFormat};
use crate::io::write::{input_identities, AtomicFile, Destination};
use crate::report::profile::{human, markdown, profile_table, ProfileOptions};
use crate::table::load_table_counted;

pub fn run(args: &ProfileArgs, ui: Ui) -> Result<()> {
    let schema = args.schema.load()?;
    let opts = ProfileOptions {
        as_of: super::as_of_date(args.as_of.as_deref())?,
        stale_after_days: crate::cli::parse_days(&args.stale_after)?,
        default_region: super::region_code(args.default_region.as_deref())?,
        top: args.top,
        unmask: args.unmask,
    };
    let read = read_options(&args.input, args.lenient)?;
    let (paths, sources) = open_all(&args.sources, &read)?;
    let inputs = input_identities(&paths);
    if let Some(h) = &args.html {
        crate::io::write::check_output_path(std::path::Path::new(h), args.force, &inputs)?;
    }
    let progress = ui.progress("reading");
    let loaded = load_table_counted(&schema, &sources, &args.schema.maps, &mut |n| {
        progress.set_rows(n)
    })?;
    let infos: Vec<&crate::io::SourceInfo> = sources.iter().map(|s| &s.info).collect();
    let per_source = crate::report::evidence::rows_per_source(
        &loaded.table,
        loaded.rejects.iter().map(|(l, _)| l.as_str()),
    );
    let source_values = crate::report::evidence::sources(&infos, &per_source);
    let source_notes = crate::report::evidence::notes(&infos, &read.sheet);
    drop(sources);
    progress.stage("profiling");
    let profiled = profile_table(&schema, loaded.table, &loaded.counts, &opts)?;
    progress.finish();
    if let Some(h) = &args.html {
        let html = crate::report::html::render_profile(&profiled.report(
            source_values,
            source_notes,
            chrono::Local::now(),
        ));
        match Destination::open_shareable(h, args.force, &inputs)? {
            Destination::File(mut f) => {
                std::io::Write::write_all(&mut f, html.as_bytes())?;
                f.commit()?;
            }
            _ => {
                let mut f = AtomicFile::create(std::path::Path::new(h))?;
                f.make_shareable();
                std::io::Write::write_all(&mut f, html.as_bytes())?;
                f.commit()?;
            }
        }
    }
    let profile = &profiled.profile;
    match args.format {
        ProfileFormat::Json => super::emit_json(profile, false)?,
        ProfileFormat::Md => super::print_stdout(&markdown(profile))?,
        ProfileFormat::Human => super::print_stdout(&human(profile))?,
    }
    if let Some(h) = &args.html {
        ui.say(format!("HTML report: {h}"));
    }
    Ok(())
}

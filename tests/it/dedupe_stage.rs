//! The dedupe stages as a library: `dedupe_table`, `link_tables` and `match_into_golden` from tables and
//! options to golden records, clusters, merge maps and reports, with no file and no command line.

use crate::common::fixture;
use std::collections::BTreeSet;
use steward::dedupe::{
    dedupe_table, labels_from_review, link_tables, match_into_golden, DedupeOptions, Outputs,
};
use steward::io::write::Rows;
use steward::io::{open_source, RawRow, ReadOptions};
use steward::schema::Schema;
use steward::table::{load_table, Table};

fn load(path: &str) -> Table {
    let sources = open_source(path, &ReadOptions::default()).unwrap();
    load_table(&Schema::builtin(), &sources, &[]).unwrap().table
}

fn table(csv: &str) -> Table {
    let mut lines = csv.lines();
    let mut cols: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    cols.extend(["_source".to_string(), "_row".to_string()]);
    let mut t = Table::new(cols);
    for (i, l) in lines.enumerate() {
        let mut row: Vec<String> = l.split(',').map(String::from).collect();
        row.extend(["crm.csv".to_string(), (i + 2).to_string()]);
        t.push_row(&row).unwrap();
    }
    t
}

fn rows(r: &dyn Rows) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    r.for_each_row(&mut |row| {
        out.push(row.iter().map(|s| s.to_string()).collect());
        Ok(())
    })
    .unwrap();
    assert_eq!(out.len(), r.len());
    out
}

const CRM: &str = "id,name,email,mobile,birth_date,address,city,updated_at\n\
    1,Li Na,li.na@example.com,13812345678,1990-05-01,,Beijing,2023-01-01\n\
    2,LI NA,li.na@example.com,+86 138 1234 5678,1990-05-01,1 Chang'an Ave,Beijing,2025-06-01\n\
    3,Wang Fang,wang.fang@example.com,13900001111,1985-02-03,9 Nanjing Rd,Shanghai,2024-01-01";

#[test]
fn golden_records_clusters_and_merge_map_are_tables_with_the_file_columns() {
    let t = table(CRM);
    let opts = DedupeOptions::from_schema(&Schema::builtin()).unwrap();
    let d = dedupe_table(&Schema::builtin(), &t, &opts, &[]).unwrap();
    let g = d.golden.as_ref().unwrap();
    assert_eq!(
        g.columns,
        [
            "golden_id",
            "cluster_size",
            "id",
            "name",
            "email",
            "mobile",
            "birth_date",
            "address",
            "city",
            "updated_at",
            "_source",
            "_row",
            "_lineage"
        ]
    );
    let golden = rows(g);
    assert_eq!(golden.len(), 2);
    // The most recent record is the base; the address it lacks comes from the other, as lineage says.
    assert_eq!(
        golden[0],
        [
            "G0000001",
            "2",
            "2",
            "LI NA",
            "li.na@example.com",
            "+86 138 1234 5678",
            "1990-05-01",
            "1 Chang'an Ave",
            "Beijing",
            "2025-06-01",
            "crm.csv",
            "3",
            ""
        ]
    );
    assert_eq!(golden[1][0..4], ["G0000002", "1", "3", "Wang Fang"]);
    let clusters = d.clusters().unwrap();
    assert_eq!(
        clusters.columns()[t.columns.len()..],
        [
            "golden_id",
            "cluster_id",
            "cluster_size",
            "match_probability"
        ]
    );
    let crows = rows(&clusters);
    assert_eq!(crows.len(), 3);
    assert_eq!(crows[0][..t.columns.len()], rows(&t)[0][..]);
    assert_eq!(crows[0][10..13], ["G0000001", "0", "2"]);
    assert!(crows[0][13].parse::<f64>().unwrap() >= 0.9);
    assert_eq!(crows[2][10..14], ["G0000002", "1", "1", ""]);
    let map = d.merge_map().unwrap();
    assert_eq!(map.columns(), steward::dedupe::MERGE_MAP_COLUMNS);
    let second = &rows(&map)[1];
    assert_eq!(second[..6], ["crm.csv", "3", "2", "G0000001", "0", "2"]);
    assert!(second[6].parse::<f64>().unwrap() >= 0.9, "{second:?}");
    // the merge map as a table of its own holds the same rows
    assert_eq!(rows(&map.to_table()), rows(&map));
    // pairs and review only when asked
    assert!(d.pairs().is_none() && d.review().is_none() && d.explained.is_none());
    let r = &d.report;
    assert_eq!(
        (r.rows_in, r.golden_records, r.rows_merged),
        (3, 2, 1),
        "rows in = golden records + rows merged"
    );
    assert_eq!(r.threshold, 0.9);
    let json = serde_json::to_value(r).unwrap();
    assert_eq!(json["clusters_with_duplicates"], 1);
    assert!(json.get("link").is_none() && json.get("blocking_reached").is_none());
}

/// A cleanup job plans the golden records and gathers them from the rows it lets go: the same records, value
/// for value and lineage for lineage, as the table `steward dedupe` builds.
#[test]
fn gathered_golden_records_equal_the_built_ones() {
    let t = load(&fixture("customers.csv"));
    let schema = Schema::builtin();
    let mut opts = DedupeOptions::from_schema(&schema).unwrap();
    let built = dedupe_table(&schema, &t, &opts, &[])
        .unwrap()
        .golden
        .unwrap();
    opts.outputs.golden = false;
    opts.outputs.golden_plan = true;
    let mut d = dedupe_table(&schema, &t, &opts, &[]).unwrap();
    assert!(d.golden.is_none());
    let plan = d.golden_plan.take().unwrap();
    drop(d);
    let gathered = plan.gather(t.clone(), None).unwrap();
    assert_eq!(gathered.columns, built.columns);
    // Gathered straight into spill files (as a large cleanup does), from a spilled table: the same records,
    // every column in a spill file, and the folder holds no named file.
    let dir = tempfile::tempdir().unwrap();
    let mut spilled_source = t.clone();
    spilled_source.spill(dir.path()).unwrap();
    let into_files = plan.gather(spilled_source, Some(dir.path())).unwrap();
    assert!(into_files
        .data
        .iter()
        .all(|c| c.is_spilled() || c.is_empty()));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    assert!(built.len() < t.len(), "the fixture has duplicates");
    let lineage = built.columns.len() - 1;
    assert!(
        (0..built.len()).any(|r| !built.get(r, lineage).is_empty()),
        "and values borrowed"
    );
    for r in 0..built.len() {
        assert_eq!(gathered.row(r), built.row(r), "golden record {r}");
        assert_eq!(
            into_files.row(r),
            built.row(r),
            "golden record {r}, spilled"
        );
    }
}

#[test]
fn a_header_only_table_is_a_clean_result_with_empty_outputs() {
    let t = load(&fixture("bad/header_only.csv"));
    assert_eq!(t.len(), 0);
    let schema = Schema::builtin();
    let mut opts = DedupeOptions::from_schema(&schema).unwrap();
    opts.outputs = Outputs {
        golden: true,
        golden_plan: false,
        clusters: true,
        merge_map: true,
        pairs: true,
        review: true,
    };
    let d = dedupe_table(&schema, &t, &opts, &[]).unwrap();
    let g = d.golden.as_ref().unwrap();
    assert_eq!(g.len(), 0);
    assert_eq!(g.columns[..2], ["golden_id", "cluster_size"]);
    assert_eq!(g.columns.last().unwrap(), "_lineage");
    assert_eq!(d.clusters().unwrap().len(), 0);
    assert_eq!(d.clusters().unwrap().columns().len(), t.columns.len() + 4);
    assert_eq!(d.merge_map().unwrap().len(), 0);
    assert_eq!(d.merge_map().unwrap().columns().len(), 7);
    assert_eq!(d.pairs().unwrap().len(), 0);
    assert_eq!(d.review().unwrap().len(), 0);
    assert_eq!(d.review().unwrap().columns()[8], "decision");
    let r = &d.report;
    assert_eq!((r.rows_in, r.golden_records, r.rows_merged), (0, 0, 0));
    assert_eq!((r.candidate_pairs, r.largest_cluster), (0, 0));
    // asking to explain records of an empty table is still an error
    opts.explain = Some(("1".into(), "2".into()));
    assert!(dedupe_table(&schema, &t, &opts, &[]).is_err());
}

/// The 20 planted pairs of fixtures/README.md, found through the library as the command finds them.
#[test]
fn the_fixture_planted_pairs_through_the_stage_and_a_label_that_splits_one() {
    let path = fixture("customers.csv");
    let t = load(&path);
    let schema = Schema::builtin();
    let mut opts = DedupeOptions::from_schema(&schema).unwrap();
    opts.outputs.pairs = true;
    opts.outputs.review = true;
    opts.review_lower = Some(0.0);
    opts.explain = Some(("10019".into(), "10025".into()));
    let d = dedupe_table(&schema, &t, &opts, &[]).unwrap();
    assert_eq!(d.report.golden_records, 280);
    let id = t.column_index("id").unwrap();
    let pairs = |c: &dyn Rows| -> BTreeSet<(String, String)> {
        let all = rows(c);
        let cid = all[0].len() - 3;
        let mut out = BTreeSet::new();
        for a in &all {
            for b in &all {
                if a[cid] == b[cid] && a[id] < b[id] {
                    out.insert((a[id].clone(), b[id].clone()));
                }
            }
        }
        out
    };
    let found = pairs(&d.clusters().unwrap());
    assert_eq!(found.len(), 20);
    assert!(found.contains(&("10019".to_string(), "10025".to_string())));
    let e = d.explained.as_ref().unwrap();
    assert_eq!(
        (e.record_a.as_str(), e.record_b.as_str()),
        ("10019", "10025")
    );
    assert!(e.same_cluster && e.explanation.probability >= 0.9);
    let p = d.pairs().unwrap();
    assert!(p.len() >= 20 && p.columns().iter().any(|c| c == "email_level"));
    assert_eq!(rows(&p).len(), p.len());
    // review rows: the pairs below the threshold, strongest first, with an empty decision
    let review = d.review().unwrap();
    let cols = review.columns();
    let (prob, decision) = (
        cols.iter().position(|c| c == "match_probability").unwrap(),
        cols.iter().position(|c| c == "decision").unwrap(),
    );
    assert!(cols.iter().any(|c| c == "name_a") && cols.iter().any(|c| c == "name_b"));
    let rrows = rows(&review);
    assert_eq!(rrows.len() as u64, d.report.review_pairs);
    assert!(!rrows.is_empty());
    let probs: Vec<f64> = rrows.iter().map(|r| r[prob].parse().unwrap()).collect();
    assert!(probs.windows(2).all(|w| w[0] >= w[1]) && probs.iter().all(|&p| p < 0.9));
    assert!(rrows.iter().all(|r| r[decision].is_empty()));

    // A steward's "not a match" on a planted pair, read from review rows, splits it.
    let row_of = |key: &str| {
        let r = (0..t.len()).find(|&r| t.get(r, id) == key).unwrap();
        t.get(r, t.columns.len() - 1).to_string()
    };
    let headers: Vec<String> = "_source_a,_row_a,_source_b,_row_b,decision"
        .split(',')
        .map(String::from)
        .collect();
    let review = [RawRow {
        row: 2,
        fields: vec![
            path.clone(),
            row_of("10019"),
            path.clone(),
            row_of("10025"),
            "not a match".into(),
        ],
    }];
    let labels = labels_from_review("review.csv", &headers, &review, &t).unwrap();
    assert_eq!(labels.len(), 1);
    let d = dedupe_table(&schema, &t, &opts, &labels).unwrap();
    let found = pairs(&d.clusters().unwrap());
    assert_eq!(found.len(), 19);
    assert!(!found.contains(&("10019".to_string(), "10025".to_string())));
    assert_eq!(d.report.labels_used, 1);
    assert!(!d.explained.unwrap().same_cluster);
}

#[test]
fn settings_errors_come_from_the_stage() {
    let t = table(CRM);
    let schema = Schema::builtin();
    let mut opts = DedupeOptions::from_schema(&schema).unwrap();
    opts.blocking = Some(vec!["nosuch+birth_year".into()]);
    let e = dedupe_table(&schema, &t, &opts, &[]).err().unwrap();
    assert!(
        e.to_string().contains("no compared field \"nosuch\""),
        "{e}"
    );
    let mut opts = DedupeOptions::from_schema(&schema).unwrap();
    opts.threshold = Some(1.5);
    let e = dedupe_table(&schema, &t, &opts, &[]).err().unwrap();
    assert!(e.to_string().contains("between 0 and 1"), "{e}");
    let mut opts = DedupeOptions::from_schema(&schema).unwrap();
    opts.recency_field = Some("nope".into());
    let e = dedupe_table(&schema, &t, &opts, &[]).err().unwrap();
    assert!(e.to_string().contains("recency_field \"nope\""), "{e}");
    // without golden records asked, survivorship settings are not needed
    opts.outputs.golden = false;
    assert!(dedupe_table(&schema, &t, &opts, &[]).is_ok());
}

#[test]
fn link_and_incremental_stages() {
    let schema = Schema::builtin();
    let opts = DedupeOptions::from_schema(&schema).unwrap();
    let a = table(CRM);
    let b = table(
        "id,name,email,mobile,birth_date,address,city,updated_at\n\
         9,Li Na,LI.NA@example.com,138-1234-5678,1990-05-01,,Beijing,2026-01-01\n\
         8,Zhou Jie,zhou.jie@example.com,13700002222,1979-01-18,5 Huaihai Rd,Shanghai,2026-01-01",
    );
    let linked = link_tables(&schema, &a, &b, &opts).unwrap();
    let links = rows(&linked.links());
    assert_eq!(links.len(), 2);
    let n = b.columns.len();
    // either record of Li Na in A, with its provenance
    let (m, src, row) = (&links[0][n], &links[0][n + 1], &links[0][n + 2]);
    assert!(
        m == "1" && row == "2" || m == "2" && row == "3",
        "{m} {row}"
    );
    assert_eq!(src, "crm.csv");
    assert_eq!(links[1][n..], ["", "", "", ""]);
    assert_eq!(linked.report.link.as_ref().unwrap().rows_b_matched, 1);

    let d = dedupe_table(&schema, &a, &opts, &[]).unwrap();
    let mut golden = d.golden.unwrap();
    // golden records as read back from a file: their own _source/_row last
    golden.columns.truncate(golden.columns.len() - 1);
    let lineage = golden.data.pop().unwrap();
    golden
        .columns
        .insert(golden.columns.len() - 2, "_lineage".into());
    golden.data.insert(golden.data.len() - 2, lineage);
    let inc = match_into_golden(&schema, &golden, "golden.csv", &b, &opts).unwrap();
    let map = rows(inc.merge_map.as_ref().unwrap());
    assert_eq!(map[0][2..], ["9", "G0000001", "matched existing"]);
    assert_eq!(map[1][2..], ["8", "G0000003", "new customer"]);
    let g = inc.golden.as_ref().unwrap();
    assert_eq!(g.len(), 3);
    assert_eq!(rows(g)[0][..2], ["G0000001", "3"]);
    let r = inc.report.incremental.as_ref().unwrap();
    assert_eq!(
        (r.golden_before, r.new_rows_matched, r.golden_added),
        (2, 1, 1)
    );
    assert!(match_into_golden(&schema, &a, "a.csv", &b, &opts).is_err());
}

#[test]
fn the_command_on_a_header_only_file_succeeds_and_says_so() {
    let dir = crate::common::tmp();
    let (golden, clusters) = (
        crate::common::path_in(&dir, "golden.csv"),
        crate::common::path_in(&dir, "clusters.csv"),
    );
    crate::common::steward()
        .args(["dedupe", &fixture("bad/header_only.csv"), "-o"])
        .arg(&golden)
        .arg("--clusters")
        .arg(&clusters)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "0 rows in = 0 golden records + 0 rows merged",
        ))
        .stderr(predicates::str::contains("no data rows to deduplicate"));
    let (cols, rows) = crate::common::read_csv(&golden);
    assert!(rows.is_empty());
    assert_eq!(cols[..2], ["golden_id", "cluster_size"]);
    let (cols, rows) = crate::common::read_csv(&clusters);
    assert!(rows.is_empty());
    assert_eq!(cols.last().unwrap(), "match_probability");
}

//! End-to-end behaviour of the matching engine on small synthetic data.
use steward::dedupe::{explain, run, Column, Config, FieldKind, Input, Label, Mode};

struct Table {
    names: Vec<&'static str>,
    kinds: Vec<FieldKind>,
    cols: Vec<Vec<String>>,
}

impl Table {
    fn new(spec: &[(&'static str, FieldKind)]) -> Self {
        Table {
            names: spec.iter().map(|s| s.0).collect(),
            kinds: spec.iter().map(|s| s.1).collect(),
            cols: vec![Vec::new(); spec.len()],
        }
    }
    fn row(&mut self, vals: &[&str]) {
        for (c, v) in self.cols.iter_mut().zip(vals) {
            c.push(v.to_string());
        }
    }
    fn input(&self) -> Input<'_> {
        Input {
            fields: self
                .names
                .iter()
                .zip(&self.kinds)
                .zip(&self.cols)
                .map(|((n, k), c)| (n.to_string(), *k, c as &dyn Column))
                .collect(),
            source: None,
            release: None,
        }
    }
    fn config(&self) -> Config {
        let f: Vec<(String, FieldKind)> = self
            .names
            .iter()
            .map(|n| n.to_string())
            .zip(self.kinds.clone())
            .collect();
        Config::auto(&f)
    }
}

const SCHEMA: &[(&str, FieldKind)] = &[
    ("id", FieldKind::Id),
    ("name", FieldKind::FullName),
    ("email", FieldKind::Email),
    ("mobile", FieldKind::Phone),
    ("birth_date", FieldKind::Date),
    ("gender", FieldKind::Gender),
    ("address", FieldKind::Address),
    ("city", FieldKind::City),
    ("postcode", FieldKind::Postcode),
];

/// Background population so that u and EM have something to learn from.
fn background(t: &mut Table, n: usize) {
    let fam = [
        "李", "王", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    ];
    let giv = [
        "秀英", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
        "霞", "平", "刚", "桂英", "华",
    ];
    let streets = ["人民路", "解放路", "中山路", "建设路", "和平路", "新华路"];
    for i in 0..n {
        let name = format!(
            "{}{}",
            fam[i % fam.len()],
            giv[(i * 7 + i / 15) % giv.len()]
        );
        let email = format!("user{i}@example.com");
        let phone = format!("+86139{:08}", i * 7919 % 100_000_000);
        let dob = format!(
            "{}-{:02}-{:02}",
            1950 + i % 50,
            1 + i % 12,
            1 + (i * 3) % 28
        );
        let addr = format!(
            "{}{}号{}室",
            streets[i % streets.len()],
            1 + i % 300,
            100 + i % 37
        );
        let pc = format!("{}", 100000 + (i % 40) * 1000);
        t.row(&[
            &format!("bg{i}"),
            &name,
            &email,
            &phone,
            &dob,
            if i % 2 == 0 { "男" } else { "女" },
            &addr,
            "北京市",
            &pc,
        ]);
        // a third of the background has a messy duplicate
        if i % 3 == 0 {
            let email2 = if i % 2 == 0 {
                email.clone()
            } else {
                String::new()
            };
            t.row(&[
                &format!("bg{i}d"),
                &name,
                &email2,
                &phone,
                &dob,
                "",
                &addr,
                "北京",
                &pc,
            ]);
        }
    }
}

fn cluster_of(t: &Table, out: &steward::dedupe::Outcome, id: &str) -> u32 {
    let i = t.cols[0].iter().position(|x| x == id).unwrap();
    out.cluster[i]
}

#[test]
fn chinese_names_scripts_and_order() {
    let mut t = Table::new(SCHEMA);
    background(&mut t, 600);
    t.row(&[
        "zw1",
        "张伟",
        "",
        "+8613812345678",
        "1985-03-12",
        "男",
        "朝阳区建国路88号",
        "北京市",
        "100022",
    ]);
    t.row(&[
        "zw2",
        "張偉",
        "",
        "138 1234 5678",
        "1985-03-12",
        "",
        "朝阳区建国路88号",
        "北京",
        "100022",
    ]);
    t.row(&[
        "zw3",
        "Zhang Wei",
        "zhangwei85@163.com",
        "+86 138-1234-5678",
        "1985-03-12",
        "M",
        "",
        "Beijing",
        "",
    ]);
    t.row(&[
        "zw4",
        "Wei Zhang",
        "zhangwei85@163.com",
        "13812345678",
        "1985/3/12",
        "",
        "",
        "",
        "",
    ]);
    // twins: same surname, address, birth date, household phone; different given name
    t.row(&[
        "tw1",
        "王伟",
        "wangwei@qq.com",
        "+8613900001111",
        "1990-06-01",
        "男",
        "海淀区中关村大街1号",
        "北京市",
        "100080",
    ]);
    t.row(&[
        "tw2",
        "王强",
        "wangqiang@qq.com",
        "+8613900001111",
        "1990-06-01",
        "男",
        "海淀区中关村大街1号",
        "北京市",
        "100080",
    ]);
    let input = t.input();
    let cfg = t.config();
    let out = run(&input, &cfg, &[], None);
    let zw = cluster_of(&t, &out, "zw1");
    for id in ["zw2", "zw3", "zw4"] {
        assert_eq!(cluster_of(&t, &out, id), zw, "{id} should join 张伟");
    }
    assert_ne!(
        cluster_of(&t, &out, "tw1"),
        cluster_of(&t, &out, "tw2"),
        "twins merged"
    );
    let i = t.cols[0].iter().position(|x| x == "tw1").unwrap();
    let e = explain(&input, &cfg, &out.model, i, i + 1);
    assert!(e.probability < cfg.threshold);
    assert!(!e.guards.is_empty());
    let json = serde_json::to_string(&out.model).unwrap();
    let back: steward::dedupe::Model = serde_json::from_str(&json).unwrap();
    assert_eq!(back.comparisons.len(), out.model.comparisons.len());
    assert!((back.lambda - out.model.lambda).abs() < 1e-12);
}

#[test]
fn households_father_son_and_common_names() {
    let mut t = Table::new(SCHEMA);
    background(&mut t, 600);
    // household: shared surname, address, phone and email; different given name and birth date
    t.row(&[
        "h1",
        "John Smith",
        "smiths@example.org",
        "+441234567890",
        "1961-02-03",
        "M",
        "12 Oak Road",
        "Leeds",
        "LS1 1AA",
    ]);
    t.row(&[
        "h2",
        "Mary Smith",
        "smiths@example.org",
        "+441234567890",
        "1964-09-30",
        "F",
        "12 Oak Road",
        "Leeds",
        "LS1 1AA",
    ]);
    // father / son with "Jr."
    t.row(&[
        "f1",
        "Robert Brown",
        "",
        "+441111111111",
        "1950-05-05",
        "M",
        "3 Elm Street",
        "York",
        "YO1 7HH",
    ]);
    t.row(&[
        "f2",
        "Robert Brown Jr.",
        "",
        "+441111111111",
        "1980-07-07",
        "M",
        "3 Elm Street",
        "York",
        "YO1 7HH",
    ]);
    // very common name, different birth dates, nothing else shared
    t.row(&[
        "c1",
        "David Jones",
        "",
        "",
        "1970-01-01",
        "M",
        "1 High St",
        "London",
        "E1 6AN",
    ]);
    t.row(&[
        "c2",
        "David Jones",
        "",
        "",
        "1988-11-21",
        "M",
        "9 Low Rd",
        "Bristol",
        "BS1 4DJ",
    ]);
    // a true duplicate with a nickname and a day/month swap
    t.row(&[
        "d1",
        "Robert Taylor",
        "rtaylor@example.org",
        "+447700900123",
        "1975-04-08",
        "M",
        "5 Mill Lane",
        "Hull",
        "HU1 2AA",
    ]);
    t.row(&[
        "d2",
        "Bob Taylor",
        "",
        "07700 900123",
        "1975-08-04",
        "",
        "5 Mill Ln",
        "Hull",
        "HU1 2AA",
    ]);
    let input = t.input();
    let cfg = t.config();
    let out = run(&input, &cfg, &[], None);
    let c = |id| cluster_of(&t, &out, id);
    assert_ne!(c("h1"), c("h2"), "household merged");
    assert_ne!(c("f1"), c("f2"), "father/son merged");
    assert_ne!(c("c1"), c("c2"), "common names merged");
    assert_eq!(c("d1"), c("d2"), "nickname duplicate missed");
    assert!(out.candidate_pairs > 0);
    assert!(out.timings.iter().any(|t| t.0 == "em"));
}

#[test]
fn labels_override_and_link_mode() {
    let mut t = Table::new(SCHEMA);
    background(&mut t, 300);
    t.row(&[
        "a",
        "Alice Green",
        "",
        "",
        "1980-01-01",
        "F",
        "1 Rose St",
        "Bath",
        "BA1 1AA",
    ]);
    t.row(&["b", "Alicia Grene", "", "", "", "", "", "", ""]);
    let input = t.input();
    let cfg = t.config();
    let n = t.cols[0].len();
    let out = run(
        &input,
        &cfg,
        &[Label {
            a: n - 2,
            b: n - 1,
            is_match: true,
        }],
        None,
    );
    assert_eq!(out.cluster[n - 2], out.cluster[n - 1]);
    // link mode: only cross-source pairs
    let mut input = t.input();
    input.source = Some((0..n).map(|i| (i % 2) as u8).collect());
    let mut cfg = t.config();
    cfg.mode = Mode::Link;
    let out = run(&input, &cfg, &[], None);
    for p in &out.pairs {
        assert_ne!(p.a % 2, p.b % 2);
    }
    // deterministic
    let again = run(&input, &cfg, &[], None);
    assert_eq!(again.cluster, out.cluster);
    assert_eq!(again.model, out.model);
}

#[test]
fn candidate_pairs_grow_near_linearly() {
    let count = |n: usize| {
        let mut t = Table::new(SCHEMA);
        background(&mut t, n);
        let input = t.input();
        let mut cfg = t.config();
        cfg.u_samples = 50_000;
        run(&input, &cfg, &[], None).candidate_pairs as f64
    };
    let (small, large) = (count(1_500), count(15_000));
    // the background has only 300 distinct names: without caps this would be ~100x
    assert!(large < 30.0 * small, "{small} -> {large}");
}

//! Files that stay safe: raw personal data is created 0600 whatever the umask (--force over a 0644 file
//! included), files without it follow the umask, and weak keys are refused.

use crate::common;
use common::*;
use std::path::Path;

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn raw_personal_data_is_owner_only_and_the_rest_follows_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp();
    let key = path_in(&dir, "team.key");
    steward().args(["key", "new"]).arg(&key).assert().success();
    let src = fixture("customers.csv");
    let run = |args: &[&str]| {
        let line = args
            .iter()
            .map(|a| format!("'{a}'"))
            .collect::<Vec<_>>()
            .join(" ");
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask 002; exec '{}' {line}",
                assert_cmd::cargo::cargo_bin("steward").display()
            ))
            .status()
            .unwrap();
        assert!(status.success(), "{args:?}");
    };
    let p = |n: &str| path_in(&dir, n).display().to_string();
    // An existing world-readable file replaced with --force becomes 0600.
    std::fs::write(p("import.csv"), "old").unwrap();
    std::fs::set_permissions(p("import.csv"), std::fs::Permissions::from_mode(0o644)).unwrap();
    run(&["import", &src, "-o", &p("import.csv"), "--force", "-q"]);
    run(&["normalize", &src, "-o", &p("norm.csv"), "-q"]);
    run(&[
        "validate",
        &src,
        "--findings",
        &p("findings.csv"),
        "--fail-on",
        "never",
        "-q",
    ]);
    run(&[
        "dedupe",
        &src,
        "-o",
        &p("golden.csv"),
        "--clusters",
        &p("clusters.csv"),
        "-q",
    ]);
    for f in [
        "import.csv",
        "norm.csv",
        "findings.csv",
        "golden.csv",
        "clusters.csv",
    ] {
        assert_eq!(
            mode(&path_in(&dir, f)),
            0o600,
            "{f} holds raw personal data"
        );
    }
    run(&[
        "pseudonymize",
        &src,
        "-o",
        &p("share.csv"),
        "--key-file",
        key.to_str().unwrap(),
        "--metadata",
        &p("share.meta.json"),
        "-q",
    ]);
    for f in [
        "share.csv",
        "share.meta.json",
        "share.csv.manifest.json",
        "import.csv.manifest.json",
    ] {
        assert_eq!(
            mode(&path_in(&dir, f)),
            0o664,
            "{f}: no raw personal data, so the umask (002) decides"
        );
    }
}

#[test]
fn weak_keys_are_refused() {
    let dir = tmp();
    let counting: String = (0u8..32).map(|b| format!("{b:02x}")).collect();
    for weak in ["0".repeat(64), "ab".repeat(32), counting] {
        let key = path_in(&dir, "weak.key");
        std::fs::write(&key, format!("{weak}\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let out = path_in(&dir, "share.csv");
        steward()
            .args(["pseudonymize", &fixture("customers.csv"), "-o"])
            .arg(&out)
            .arg("--key-file")
            .arg(&key)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("refusing a weak key"));
        assert!(!out.exists());
        steward()
            .args(["pseudonymize", &fixture("customers.csv"), "-o"])
            .arg(&out)
            .env("STEWARD_KEY", &weak)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "STEWARD_KEY: refusing a weak key",
            ));
    }
}

#[test]
fn no_option_writes_over_a_file_the_run_reads() {
    let dir = tmp();
    let key = path_in(&dir, "team.key");
    steward().args(["key", "new"]).arg(&key).assert().success();
    let schema = path_in(&dir, "schema.toml");
    steward()
        .args(["schema", "init"])
        .arg(&schema)
        .assert()
        .success();
    let policy = path_in(&dir, "policy.toml");
    std::fs::write(&policy, "domain = \"vendor\"\n").unwrap();
    let requests = path_in(&dir, "requests.csv");
    std::fs::write(&requests, "email\nwei.zhang@126.com\n").unwrap();
    let before = |p: &Path| std::fs::read(p).unwrap();
    let (k0, s0, p0, r0) = (
        before(&key),
        before(&schema),
        before(&policy),
        before(&requests),
    );
    let src = fixture("customers.csv");
    let k = key.to_str().unwrap();
    let s = schema.to_str().unwrap();
    let p = policy.to_str().unwrap();
    let r = requests.to_str().unwrap();
    let out = path_in(&dir, "out.csv");
    let o = out.to_str().unwrap();
    // With --output-format, -o may name any file: the guard on files the run reads refuses these (73).
    for args in [
        vec!["pseudonymize", &src, "-o", k, "--key-file", k, "--force"],
        vec![
            "pseudonymize",
            &src,
            "-o",
            p,
            "--key-file",
            k,
            "--policy",
            p,
            "--force",
        ],
        vec!["import", &src, "-o", s, "--schema", s, "--force"],
    ] {
        steward()
            .args(&args)
            .args(["--output-format", "csv"])
            .assert()
            .code(73)
            .stderr(predicates::str::contains("refusing to write over"));
    }
    // Without it, and for files whose format their option fixes (--mapping a dataset, --metadata and
    // --receipt JSON), a key, schema, policy or requests file is refused earlier by its extension (2).
    for (args, option) in [
        (
            vec!["pseudonymize", &src, "-o", k, "--key-file", k, "--force"],
            "-o",
        ),
        (
            vec![
                "pseudonymize",
                &src,
                "-o",
                o,
                "--key-file",
                k,
                "--mapping",
                k,
                "--force",
            ],
            "--mapping",
        ),
        (
            vec![
                "pseudonymize",
                &src,
                "-o",
                o,
                "--key-file",
                k,
                "--metadata",
                s,
                "--schema",
                s,
                "--force",
            ],
            "--metadata",
        ),
        (
            vec!["import", &src, "-o", s, "--schema", s, "--force"],
            "-o",
        ),
        (
            vec![
                "erase",
                &src,
                "-o",
                o,
                "--key-file",
                k,
                "--requests",
                r,
                "--receipt",
                r,
                "--force",
            ],
            "--receipt",
        ),
    ] {
        steward()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(option));
    }
    assert_eq!(before(&key), k0, "the key is intact");
    assert_eq!(before(&schema), s0);
    assert_eq!(before(&policy), p0);
    assert_eq!(before(&requests), r0);
}

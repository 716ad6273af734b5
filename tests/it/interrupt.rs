//! Interruption safety: stopping steward mid-run (SIGINT, SIGTERM) leaves no output under the final name and no
//! temporary files, and exits with 130.

use crate::common;
use common::*;
use std::time::{Duration, Instant};

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".steward-tmp") || n == "out.csv")
        .collect()
}

fn interrupt_with(signal: &str) {
    let dir = tmp();
    let src = big_input(&dir, 1500);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out.csv");
    let bin = assert_cmd::cargo::cargo_bin("steward");
    let mut child = std::process::Command::new(bin)
        .args([
            "import",
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-q",
        ])
        .spawn()
        .unwrap();
    // Wait until the output is being written (its temporary file exists), then stop the run.
    let start = Instant::now();
    while leftovers(out_dir.path()).is_empty() && start.elapsed() < Duration::from_secs(60) {
        if child.try_wait().unwrap().is_some() {
            panic!("the run ended before it could be interrupted; make the input larger");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{signal}: {status:?}");
    assert!(!out.exists(), "{signal}: no output under the final name");
    assert!(
        leftovers(out_dir.path()).is_empty(),
        "{signal}: no temporary files left"
    );
    // The next run is not blocked by anything the interrupted one left.
    steward()
        .args([
            "import",
            &fixture("customers.csv"),
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
}

#[test]
fn sigint_leaves_nothing_behind() {
    interrupt_with("-INT");
}

#[test]
fn sigterm_leaves_nothing_behind() {
    interrupt_with("-TERM");
}

/// A scheduled job stopped mid-run leaves its lock behind, held by a process that no longer exists: the next
/// run takes it over instead of refusing to start, and no cleaned dataset appears under its final name.
#[test]
fn interrupted_job_leaves_no_lock_that_blocks_the_next_run() {
    let dir = tmp();
    let src = big_input(&dir, 1500);
    let job = path_in(&dir, "job.toml");
    std::fs::write(
        &job,
        format!(
            "sources = [{:?}]\nout = \"runs\"\n",
            src.display().to_string()
        ),
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("steward");
    let mut child = std::process::Command::new(bin)
        .args(["run", job.to_str().unwrap(), "-q"])
        .spawn()
        .unwrap();
    let lock = path_in(&dir, "runs").join(".lock");
    let start = Instant::now();
    while !lock.exists() && start.elapsed() < Duration::from_secs(60) {
        if child.try_wait().unwrap().is_some() {
            panic!("the job ended before it could be interrupted");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(200));
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{status:?}");
    // Whatever run folder was started has no cleaned dataset under its final name.
    for e in std::fs::read_dir(path_in(&dir, "runs")).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            assert!(
                !p.join("cleaned.csv").exists(),
                "no partial cleaned dataset"
            );
        }
    }
    // A small job in the same folder runs: the dead process's lock is taken over.
    std::fs::write(
        &job,
        format!(
            "sources = [{:?}]\nout = \"runs\"\n",
            fixture("customers.csv")
        ),
    )
    .unwrap();
    steward().args(["run"]).arg(&job).assert().success();
    assert!(!lock.exists());
}

//! Headless-Chromium smoke check for generated HTML, for use from integration
//! tests (e.g. copy to `tests/common/chromium.rs` and `mod common;`).
//!
//! `chromium_check(html, screenshot)`:
//! * `None`: no chromium binary found (`$STEWARD_CHROMIUM`, then `chromium`,
//!   `chromium-browser`, `google-chrome` on PATH); callers should skip, not fail.
//! * `Some(Ok(()))`: page loaded, no console messages, PNG screenshot written.
//! * `Some(Err(text))`: console messages / uncaught exceptions, chromium
//!   failure or hang (killed after 30 s, or `$STEWARD_CHROMIUM_TIMEOUT_SECS`),
//!   or a missing / empty / non-PNG screenshot.
//!
//! How console errors are detected (verified with Chromium 148 on Debian 12):
//! one headless run with `--enable-logging=stderr --v=0` writes every console
//! message and every uncaught exception to stderr as
//! `[pid:tid:time:INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)`.
//! This Chromium logs *all* console levels (log/info/warn/error) at INFO, so the
//! level cannot be told apart from stderr. Reports are meant to contain no
//! JavaScript at all, therefore ANY console line is treated as a failure.
//! (Failed sub-resource loads, e.g. a missing <img>, are NOT reported by this
//! channel; the unit tests assert the HTML has no `src=`/URLs instead.)
//! The same run takes the screenshot (`--screenshot` + `--virtual-time-budget`).

#![allow(dead_code)]

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Default hang timeout; override with `STEWARD_CHROMIUM_TIMEOUT_SECS`.
const DEFAULT_TIMEOUT_SECS: u64 = 30;

fn timeout() -> Duration {
    let secs = std::env::var("STEWARD_CHROMIUM_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(DEFAULT_TIMEOUT_SECS);
    Duration::from_secs(secs)
}
const CANDIDATES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// Path of the first chromium-like executable: `$STEWARD_CHROMIUM` if set,
/// else the first of `chromium`, `chromium-browser`, `google-chrome` on PATH.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("STEWARD_CHROMIUM") {
        let p = PathBuf::from(p);
        if is_executable(&p) {
            return Some(p);
        }
    }
    let path = std::env::var_os("PATH")?;
    for name in CANDIDATES {
        for dir in std::env::split_paths(&path) {
            let cand = dir.join(name);
            if is_executable(&cand) {
                return Some(cand);
            }
        }
    }
    None
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(p)
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// `file://` URL for an absolute path, percent-encoding unsafe bytes.
fn file_url(p: &Path) -> String {
    let s = p.to_string_lossy();
    let mut out = String::from("file://");
    for b in s.as_bytes() {
        match *b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(*b as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn unique_tmp(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!(
        "steward-chromium-{tag}-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ))
}

/// Render `html` headless, write a PNG to `screenshot`, and check for console
/// messages. See the module docs for the meaning of the return value.
pub fn chromium_check(html: &Path, screenshot: &Path) -> Option<Result<(), String>> {
    let bin = find_chromium()?;
    Some(run_check(&bin, html, screenshot))
}

fn run_check(bin: &Path, html: &Path, screenshot: &Path) -> Result<(), String> {
    let html =
        fs::canonicalize(html).map_err(|e| format!("cannot open {}: {e}", html.display()))?;
    let shot = if screenshot.is_absolute() {
        screenshot.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| e.to_string())?
            .join(screenshot)
    };
    if let Some(dir) = shot.parent() {
        let _ = fs::create_dir_all(dir);
    }
    let _ = fs::remove_file(&shot); // never accept a stale screenshot

    let profile = unique_tmp("profile");
    let log_path = unique_tmp("stderr").with_extension("log");
    let log_file = fs::File::create(&log_path).map_err(|e| format!("create log: {e}"))?;
    let log_file2 = log_file.try_clone().map_err(|e| e.to_string())?;

    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-sync",
        "--mute-audio",
        "--window-size=1280,2400",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=2000",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(format!("--screenshot={}", shot.display()))
    .arg(file_url(&html))
    .stdin(Stdio::null())
    // Files, not pipes: a chatty chromium can never block on a full pipe.
    .stdout(Stdio::from(log_file))
    .stderr(Stdio::from(log_file2));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0); // so a hang can be killed together with its children
    }

    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let started = Instant::now();
    let limit = timeout();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break Some(st),
            Ok(None) if started.elapsed() > limit => break None,
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => {
                kill_tree(&mut child);
                return Err(format!("waiting for chromium: {e}"));
            }
        }
    };
    if status.is_none() {
        kill_tree(&mut child);
    }

    let mut log = String::new();
    if let Ok(mut f) = fs::File::open(&log_path) {
        let mut buf = Vec::new();
        let _ = f.read_to_end(&mut buf);
        log = String::from_utf8_lossy(&buf).into_owned();
    }
    let _ = fs::remove_file(&log_path);
    let _ = fs::remove_dir_all(&profile);

    let mut problems: Vec<String> = Vec::new();
    match status {
        None => problems.push(format!(
            "chromium did not finish within {} s and was killed",
            limit.as_secs()
        )),
        Some(st) if !st.success() => problems.push(format!("chromium exited with {st}")),
        _ => {}
    }
    let console: Vec<&str> = log.lines().filter(|l| is_console_line(l)).collect();
    if !console.is_empty() {
        problems.push(format!("{} console message(s):", console.len()));
        problems.extend(console.iter().map(|l| format!("  {}", l.trim())));
    }
    match fs::metadata(&shot) {
        Err(_) => problems.push(format!("screenshot not written: {}", shot.display())),
        Ok(m) if m.len() == 0 => problems.push(format!("screenshot is empty: {}", shot.display())),
        Ok(_) => {
            let mut magic = [0u8; 8];
            let ok = fs::File::open(&shot)
                .and_then(|mut f| f.read_exact(&mut magic))
                .is_ok()
                && magic == *b"\x89PNG\r\n\x1a\n";
            if !ok {
                problems.push(format!("screenshot is not a PNG: {}", shot.display()));
            }
        }
    }

    if problems.is_empty() {
        Ok(())
    } else {
        if status.is_none_or(|s| !s.success()) {
            let tail: Vec<&str> = log.lines().rev().take(15).collect();
            problems.push("chromium log tail:".into());
            problems.extend(tail.into_iter().rev().map(|l| format!("  {l}")));
        }
        Err(problems.join("\n"))
    }
}

/// Chromium console lines look like `[..:INFO:CONSOLE:7] "msg", source: url (7)`
/// (Chromium >= ~120) or `[..:INFO:CONSOLE(7)] "msg", source: ...` (older).
fn is_console_line(l: &str) -> bool {
    l.contains(":CONSOLE:") || l.contains(":CONSOLE(") || l.contains("Uncaught ")
}

fn kill_tree(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        // Negative pid = the process group created with process_group(0).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

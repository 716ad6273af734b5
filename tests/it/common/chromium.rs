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

/// What the page script measures in the rendered DOM (see [`dom_check`]); a JSON object.
const DOM_SCRIPT: &str = r#"
<script>
(function () {
  var out = { width: innerWidth, doc_width: document.documentElement.scrollWidth,
              height: document.documentElement.scrollHeight, overflows: [], scrollers: 0,
              cjk_chars: 0, glyphs_checked: 0, tofu: [], widths: [] };
  var cjk = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
  var styles = new Map();
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  var range = document.createRange();
  var n;
  while ((n = walker.nextNode())) {
    if (!n.textContent.trim()) continue;
    var el = n.parentElement;
    if (!el || el.closest('svg') || el.closest('script') || el.id === 'steward-dom-check') continue;
    var box = el;
    while (box && getComputedStyle(box).display === 'inline') box = box.parentElement;
    range.selectNodeContents(n);
    var r = range.getBoundingClientRect();
    var b = box.getBoundingClientRect();
    if (r.width > 0 && (r.left < b.left - 1 || r.right > b.right + 1)) {
      out.overflows.push({ text: n.textContent.trim().slice(0, 60), box: box.tagName + '.' + box.className,
                           text_right: Math.round(r.right), box_right: Math.round(b.right) });
    }
    for (var ch of n.textContent) {
      if (cjk.test(ch)) { out.cjk_chars++; if (!styles.has(ch)) styles.set(ch, getComputedStyle(el)); }
    }
  }
  document.querySelectorAll('.tw, .chartbox').forEach(function (e) {
    if (e.scrollWidth > e.clientWidth + 1) out.scrollers++;
  });
  // A glyph the fonts have differs from the box drawn for a code point no font has (U+0378 is unassigned).
  var canvas = document.createElement('canvas');
  canvas.width = 48; canvas.height = 48;
  var ctx = canvas.getContext('2d', { willReadFrequently: true });
  function draw(ch, font) {
    ctx.clearRect(0, 0, 48, 48);
    ctx.font = font; ctx.fillStyle = '#000'; ctx.textBaseline = 'top';
    ctx.fillText(ch, 4, 4);
    var d = ctx.getImageData(0, 0, 48, 48).data, a = [];
    for (var i = 3; i < d.length; i += 4) a.push(d[i]);
    return { w: ctx.measureText(ch).width, px: a.join(',') };
  }
  styles.forEach(function (st, ch) {
    if (out.glyphs_checked >= 400) return;
    out.glyphs_checked++;
    var font = st.fontStyle + ' ' + st.fontWeight + ' 32px ' + st.fontFamily;
    var g = draw(ch, font), box = draw('\u0378', font);
    if (out.widths.length < 5) out.widths.push({ ch: ch, width: g.w, box_width: box.w });
    var inked = g.px.split(',').some(function (v) { return v !== '0'; });
    if (g.px === box.px || !inked) out.tofu.push(ch);
  });
  var pre = document.createElement('pre');
  pre.id = 'steward-dom-check';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"#;

/// Load `html` headless in a window `width` x `height` with a measuring script added to a copy, and return
/// what it found as JSON text: the viewport and document widths, every text node that overflows its box,
/// how many tables scroll sideways, and the CJK characters drawn as a missing-glyph box (`tofu`).
/// `None` when no chromium is installed.
pub fn dom_check(html: &Path, width: u32, height: u32) -> Option<Result<String, String>> {
    let bin = find_chromium()?;
    Some((|| {
        let page = fs::read_to_string(html).map_err(|e| format!("read {}: {e}", html.display()))?;
        let at = page.rfind("</body>").ok_or("no </body> in the page")?;
        let probe = unique_tmp("dom").with_extension("html");
        fs::write(
            &probe,
            format!("{}{DOM_SCRIPT}{}", &page[..at], &page[at..]),
        )
        .map_err(|e| e.to_string())?;
        let size = format!("--window-size={width},{height}");
        let out = run_chromium(&bin, &["--dump-dom", &size], &probe);
        let _ = fs::remove_file(&probe);
        let dom = out?;
        let start = dom.find("<pre id=\"steward-dom-check\">").ok_or_else(|| {
            format!(
                "the measuring script left no result; chromium printed:\n{}",
                tail(&dom)
            )
        })?;
        let rest = &dom[start + "<pre id=\"steward-dom-check\">".len()..];
        let end = rest.find("</pre>").ok_or("unterminated result")?;
        Ok(rest[..end]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"))
    })())
}

/// A PNG of the whole page at `width` (and `height`, the page's height from [`dom_check`]).
pub fn screenshot(html: &Path, png: &Path, width: u32, height: u32) -> Option<Result<(), String>> {
    let bin = find_chromium()?;
    let _ = fs::remove_file(png);
    let size = format!("--window-size={width},{height}");
    let shot = format!("--screenshot={}", png.display());
    Some(
        run_chromium(&bin, &[&size, &shot], html).and_then(|_| match fs::read(png) {
            Ok(b) if b.starts_with(b"\x89PNG\r\n\x1a\n") => Ok(()),
            _ => Err(format!("no PNG written at {}", png.display())),
        }),
    )
}

fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().rev().take(15).collect();
    lines.into_iter().rev().collect::<Vec<_>>().join("\n")
}

/// Run chromium headless on `page` with `extra` arguments; its stdout, or an error with its output's tail.
fn run_chromium(bin: &Path, extra: &[&str], page: &Path) -> Result<String, String> {
    let page =
        fs::canonicalize(page).map_err(|e| format!("cannot open {}: {e}", page.display()))?;
    let profile = unique_tmp("profile");
    let out_path = unique_tmp("stdout").with_extension("log");
    let err_path = unique_tmp("stderr").with_extension("log");
    let out_file = fs::File::create(&out_path).map_err(|e| e.to_string())?;
    let err_file = fs::File::create(&err_path).map_err(|e| e.to_string())?;
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
        "--virtual-time-budget=3000",
    ])
    .args(extra)
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(file_url(&page))
    .stdin(Stdio::null())
    .stdout(Stdio::from(out_file))
    .stderr(Stdio::from(err_file));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
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
            Err(_) => break None,
        }
    };
    if status.is_none() {
        kill_tree(&mut child);
    }
    let stdout = fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = fs::read_to_string(&err_path).unwrap_or_default();
    let _ = fs::remove_file(&out_path);
    let _ = fs::remove_file(&err_path);
    let _ = fs::remove_dir_all(&profile);
    match status {
        Some(st) if st.success() => Ok(stdout),
        Some(st) => Err(format!("chromium exited with {st}:\n{}", tail(&stderr))),
        None => Err(format!(
            "chromium did not finish within {} s and was killed",
            limit.as_secs()
        )),
    }
}

//! Writing datasets: CSV, TSV, JSON lines, Parquet and xlsx, always through a temporary file in the target
//! folder that is renamed into place, never over an input, and with spreadsheet formula injection neutralized.

use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::digest::Digest;
use super::workbook::{typed, About, CellType, Typed};
use crate::error::StewardError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Csv,
    Tsv,
    Jsonl,
    Parquet,
    Xlsx,
}

impl OutputFormat {
    /// The format asked for, else the one the path's extension names, else CSV (stdout included).
    pub fn for_path(path: &str, given: Option<OutputFormat>) -> OutputFormat {
        given
            .or_else(|| OutputFormat::from_path(Path::new(path)))
            .unwrap_or(OutputFormat::Csv)
    }

    /// The format an output path's extension asks for.
    pub fn from_path(path: &Path) -> Option<OutputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Some(OutputFormat::Csv),
            "tsv" | "tab" => Some(OutputFormat::Tsv),
            "jsonl" | "ndjson" | "json" => Some(OutputFormat::Jsonl),
            "parquet" | "pq" => Some(OutputFormat::Parquet),
            "xlsx" => Some(OutputFormat::Xlsx),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Formula-injection guard (OWASP "CSV injection")

/// A plain number a spreadsheet reads as a number, not a formula: `+8613812345678`, `-12.5`, `1e3`.
fn is_plain_number(v: &str) -> bool {
    let s = v.strip_prefix(['+', '-']).unwrap_or(v);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits_ok = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits_ok(int)
        && frac.map(digits_ok).unwrap_or(true)
        && (!int.is_empty() || frac.map(|f| !f.is_empty()).unwrap_or(false));
    let exp_ok = match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && digits_ok(e)
        }
    };
    mantissa_ok && exp_ok
}

/// Whether a cell holds only what a phone number or an amount is written with: digits, spaces and
/// `+ - ( ) . , /`. A spreadsheet can read such a cell as arithmetic at most, never as a formula with
/// functions, references or DDE, so it is left as it is (`+44 7700 900001`, `+1 (212) 555-0100`, `-12.5`).
#[inline]
fn phone_or_number_shaped(v: &str) -> bool {
    v.bytes().all(|b| {
        b.is_ascii_digit() || matches!(b, b' ' | b'+' | b'-' | b'(' | b')' | b'.' | b',' | b'/')
    })
}

/// Whether a spreadsheet program would run this cell as a formula: one that starts with `=`, `@`, a tab or a
/// carriage return, or with `+`/`-` followed by anything but digits, spaces and `+ - ( ) . , /` (a plain
/// number such as `-1.5e3` included).
#[inline]
pub fn needs_formula_guard(v: &str) -> bool {
    match v.as_bytes().first() {
        Some(b'=') | Some(b'@') | Some(b'\t') | Some(b'\r') => true,
        Some(b'+') | Some(b'-') => !phone_or_number_shaped(v) && !is_plain_number(v),
        _ => false,
    }
}

/// The cell as a spreadsheet shows it as text: a leading apostrophe, which spreadsheets hide.
pub fn formula_guard(v: &str) -> Cow<'_, str> {
    if needs_formula_guard(v) {
        Cow::Owned(format!("'{v}"))
    } else {
        Cow::Borrowed(v)
    }
}

// ---------------------------------------------------------------------------------------------------------
// Atomic output files

/// Identity of an input file (device and inode), so an output never replaces one, even through a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    /// Device and inode; `None` for a file this run has yet to create, known by its path alone.
    id: Option<(u64, u64)>,
}

impl FileIdentity {
    pub fn of(path: &Path) -> Option<FileIdentity> {
        let m = std::fs::metadata(path).ok()?;
        Some(Self::from_meta(&m))
    }
    /// The identity of an open file (after the open, so a path swapped in between cannot fool a check).
    pub fn of_file(f: &std::fs::File) -> Option<FileIdentity> {
        Some(Self::from_meta(&f.metadata().ok()?))
    }
    /// A file this run will create (an output not written yet): it matches no existing file, so it is told
    /// apart by its path.
    pub fn planned() -> FileIdentity {
        FileIdentity { id: None }
    }
    pub fn is_planned(&self) -> bool {
        self.id.is_none()
    }
    #[cfg(unix)]
    fn from_meta(m: &std::fs::Metadata) -> FileIdentity {
        use std::os::unix::fs::MetadataExt;
        FileIdentity {
            id: Some((m.dev(), m.ino())),
        }
    }
    #[cfg(not(unix))]
    fn from_meta(m: &std::fs::Metadata) -> FileIdentity {
        FileIdentity {
            id: Some((0, m.len())),
        }
    }
}

/// Every file this run has read (sources, keys, schemas, policies, jobs, requests, labels), by identity: no
/// output is ever written over one of them, `--force` or not, whatever option names it. Kept for the
/// process, since a file read once stays an input of the run.
static READ_BY_THIS_RUN: std::sync::Mutex<Vec<(PathBuf, FileIdentity)>> =
    std::sync::Mutex::new(Vec::new());

/// Note that the run reads `path` (called by whatever opens a file to read it).
pub fn note_read(path: &Path) {
    let Some(id) = FileIdentity::of(path) else {
        return;
    };
    if let Ok(mut read) = READ_BY_THIS_RUN.lock() {
        if !read.iter().any(|(_, i)| *i == id) {
            read.push((path.to_path_buf(), id));
        }
    }
}

fn read_by_this_run(id: FileIdentity) -> Option<PathBuf> {
    let read = READ_BY_THIS_RUN.lock().ok()?;
    read.iter().find(|(_, i)| *i == id).map(|(p, _)| p.clone())
}

/// Files a run reads or writes (inputs, key, schema, policy or job file, outputs), which nothing else of the
/// run may write to: those that exist by device and inode, the rest (outputs to come) by path.
pub fn reserved_files(paths: &[String]) -> Vec<(String, FileIdentity)> {
    paths
        .iter()
        .filter(|p| p.as_str() != "-")
        .map(|p| {
            let id = FileIdentity::of(Path::new(p)).unwrap_or_else(FileIdentity::planned);
            (p.clone(), id)
        })
        .collect()
}

/// Identities of the inputs (stdin and missing files are skipped).
pub fn input_identities(inputs: &[String]) -> Vec<(String, FileIdentity)> {
    inputs
        .iter()
        .filter(|p| p.as_str() != "-")
        .filter_map(|p| FileIdentity::of(Path::new(p)).map(|id| (p.clone(), id)))
        .collect()
}

/// Check that an output may be written: not an input, not existing unless `force`, folder present.
pub fn check_output_path(
    path: &Path,
    force: bool,
    inputs: &[(String, FileIdentity)],
) -> Result<()> {
    // A device or pipe (`/dev/null`, a FIFO) is written to, never replaced: nothing to check. Writers that
    // would rename over a path refuse one themselves (AtomicFile::create).
    if is_special(path) {
        return Ok(());
    }
    if let Some(id) = FileIdentity::of(path) {
        if let Some((input, _)) = inputs.iter().find(|(_, i)| *i == id) {
            return Err(StewardError::cant_create(format!(
                "{}: refusing to write over the input file {input} (steward never modifies its inputs)",
                path.display()
            ))
            .into());
        }
        if let Some(read) = read_by_this_run(id) {
            return Err(StewardError::cant_create(format!(
                "{}: refusing to write over {}, which this run reads (steward never writes over a key, schema, \
                 policy, job, requests or input file, --force or not)",
                path.display(),
                read.display()
            ))
            .into());
        }
    }
    if let Ok(m) = std::fs::symlink_metadata(path) {
        if m.is_dir() {
            return Err(StewardError::cant_create(format!(
                "{}: is a directory; give a file name",
                path.display()
            ))
            .into());
        }
        if !force {
            return Err(StewardError::cant_create(format!(
                "{}: already exists; pass --force to replace it",
                path.display()
            ))
            .into());
        }
    }
    let dir = parent_dir(path);
    if !dir.is_dir() {
        return Err(StewardError::cant_create(format!(
            "{}: the folder {} does not exist",
            path.display(),
            dir.display()
        ))
        .into());
    }
    Ok(())
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> anyhow::Error {
    let msg = e.to_string();
    let msg = msg.split(" (os error").next().unwrap_or(&msg).to_string();
    StewardError::cant_create(format!("{}: cannot write: {msg}", path.display())).into()
}

/// The process's umask (from /proc/self/status on Linux; 022 where it cannot be read). Files that hold no raw
/// personal data are created as the umask says; those that do are 0600 whatever it says.
pub fn umask() -> u32 {
    static UMASK: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *UMASK.get_or_init(|| {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Umask:"))
                    .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
            })
            .unwrap_or(0o022)
    })
}

/// A file being written: a temporary file beside the target, renamed into place by `commit`.
/// Dropped without `commit` (an error, a panic), it removes itself and leaves nothing behind.
/// It is created readable by its owner only (0600), as every file holding raw personal values must be;
/// `make_shareable` gives a file without personal data (a manifest, a pseudonymized export) the umask's mode.
///
/// Written through its `Write`, it hashes what it writes: `commit` returns the file's size and SHA-256. A file
/// opened for an `Outputs` transaction is only staged by `commit`; the transaction renames it into place.
pub struct AtomicFile {
    /// `None` once committed.
    tmp: Option<tempfile::NamedTempFile>,
    /// A device or pipe written directly instead (see `device`).
    device: Option<std::fs::File>,
    target: PathBuf,
    /// Readable by its owner only (the default).
    private: bool,
    hasher: super::digest::Hasher,
    /// The transaction it lands with, and its name there.
    staged_in: Option<(super::outputs::Staging, String)>,
    /// CSV or TSV written here starts with a UTF-8 byte-order mark (`--bom`), so Excel reads it as UTF-8.
    bom: bool,
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(tmp) = &self.tmp {
            super::interrupt::unregister(tmp.path());
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let n = self.file().write(b).map_err(|e| self.named(e))?;
        self.hasher.update(&b[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file().flush().map_err(|e| self.named(e))
    }
}

impl AtomicFile {
    pub fn create(target: &Path) -> Result<AtomicFile> {
        if is_special(target) {
            // Renaming over a device (/dev/null) or a pipe would replace it with a regular file.
            return Err(StewardError::cant_create(format!(
                "{}: is a device or pipe, not a file; write to stdout with - and redirect instead",
                target.display()
            ))
            .into());
        }
        let dir = parent_dir(target);
        let stem = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "out".to_string());
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{stem}."))
            .suffix(".steward-tmp")
            .tempfile_in(&dir)
            .map_err(|e| write_error(target, e))?;
        super::interrupt::register(tmp.path());
        Ok(AtomicFile {
            tmp: Some(tmp),
            device: None,
            target: target.to_path_buf(),
            private: true,
            hasher: Default::default(),
            staged_in: None,
            bom: false,
        })
    }

    /// An error writing the file, naming it (exit 73 whichever writer passes it on: a JSON serializer, a
    /// CSV writer).
    fn named(&self, e: std::io::Error) -> std::io::Error {
        let msg = e.to_string();
        let msg = msg.split(" (os error").next().unwrap_or(&msg).to_string();
        let err =
            StewardError::cant_create(format!("{}: cannot write: {msg}", self.target.display()));
        std::io::Error::new(e.kind(), err)
    }

    /// A device or pipe written directly (`--receipt /dev/null`, a FIFO): nothing is renamed, and `commit` only
    /// flushes. For outputs without raw personal values (receipts, metadata, reports).
    pub fn device(target: &Path) -> Result<AtomicFile> {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(target)
            .map_err(|e| write_error(target, e))?;
        Ok(AtomicFile {
            tmp: None,
            device: Some(f),
            target: target.to_path_buf(),
            bom: false,
            private: false,
            hasher: Default::default(),
            staged_in: None,
        })
    }

    /// Land with a transaction: `commit` stages the file, the transaction renames it.
    pub(crate) fn stage_in(&mut self, staging: super::outputs::Staging, name: &str) {
        self.staged_in = Some((staging, name.to_string()));
    }

    /// The temporary file itself, for writers that hash on their own (`commit_with`).
    fn file(&mut self) -> &mut std::fs::File {
        if let Some(d) = self.device.as_mut() {
            return d;
        }
        self.tmp
            .as_mut()
            .expect("an AtomicFile has its temporary file until commit")
            .as_file_mut()
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Commit with permissions 0600 (owner only): the default, said where it matters to the reader.
    pub fn make_private(&mut self) {
        self.private = true;
    }

    /// Commit with the mode the umask gives new files: for files that hold no raw personal value.
    pub fn make_shareable(&mut self) {
        self.private = false;
    }

    /// Flush to disk and rename over the target (or stage it, in a transaction); returns what was written
    /// through this file's `Write`.
    pub fn commit(mut self) -> Result<Digest> {
        let digest = std::mem::take(&mut self.hasher).finish();
        self.commit_with(digest, None)
    }

    /// `commit`, for a file written through another handle whose writer hashed the content (`digest`).
    fn commit_with(mut self, digest: Digest, rows: Option<u64>) -> Result<Digest> {
        let target = self.target.clone();
        if let Some(mut d) = self.device.take() {
            d.flush().map_err(|e| write_error(&target, e))?;
            return Ok(digest);
        }
        let Some(tmp) = self.tmp.take() else {
            return Ok(digest);
        };
        let tmp_path = tmp.path().to_path_buf();
        tmp.as_file()
            .sync_all()
            .map_err(|e| write_error(&target, e))?;
        // tempfile creates 0600, which raw personal data keeps (even over a 0644 file with --force); a file
        // without personal data gets what the umask gives.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = if self.private {
                0o600
            } else {
                0o666 & !umask()
            };
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(|e| write_error(&target, e))?;
        }
        if let Some((staging, name)) = self.staged_in.take() {
            // Stays registered for removal on a signal until the transaction renames it.
            staging.stage(name, target, tmp.into_temp_path(), digest.clone(), rows);
            return Ok(digest);
        }
        let result = tmp.persist(&target);
        super::interrupt::unregister(&tmp_path);
        result.map_err(|e| write_error(&target, e.error))?;
        Ok(digest)
    }
}

/// Where a dataset goes: a file written atomically, or stdout.
pub enum Destination {
    File(AtomicFile),
    Stdout,
    /// An existing device, pipe or socket (`/dev/null`, a named pipe): written to, never replaced.
    Stream(std::fs::File, String),
    /// A database table (`-o URL --out-table T`), loaded when a `DatasetWriter` opens it.
    Database(DbPlan),
}

/// A database destination as `Outputs::open` names it; the connection opens with the writer, which knows
/// the columns.
pub struct DbPlan {
    /// Its role in the manifest (`output`).
    pub name: String,
    /// The URL or `env:VAR` as given.
    pub arg: String,
    pub target: super::db::DbTarget,
    pub pending: super::db::PendingLoads,
}

/// Whether a path exists and is something other than a regular file or a folder.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| !m.is_file() && !m.is_dir())
        .unwrap_or(false)
}

impl Destination {
    /// Ask for a UTF-8 byte-order mark before CSV or TSV written to this file (`--bom`, for Excel); other
    /// formats, stdout and devices are written as they are.
    pub fn with_bom(mut self, on: bool) -> Destination {
        if let Destination::File(f) = &mut self {
            f.bom = on;
        }
        self
    }

    fn bom(&self) -> bool {
        matches!(self, Destination::File(f) if f.bom)
    }

    /// `-` is stdout; a device or pipe is written as it is; any other path is checked (not an input,
    /// `--force` to replace) and written through a temporary file.
    pub fn open(path: &str, force: bool, inputs: &[(String, FileIdentity)]) -> Result<Destination> {
        if path == "-" {
            return Ok(Destination::Stdout);
        }
        let p = Path::new(path);
        if is_special(p) {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(p)
                .map_err(|e| write_error(p, e))?;
            return Ok(Destination::Stream(f, path.to_string()));
        }
        check_output_path(p, force, inputs)?;
        Ok(Destination::File(AtomicFile::create(p)?))
    }

    /// Like `open`, for an output that holds no raw personal value (a pseudonymized export): a file gets the
    /// mode the umask gives instead of 0600.
    pub fn open_shareable(
        path: &str,
        force: bool,
        inputs: &[(String, FileIdentity)],
    ) -> Result<Destination> {
        let mut d = Destination::open(path, force, inputs)?;
        if let Destination::File(f) = &mut d {
            f.make_shareable();
        }
        Ok(d)
    }

    /// Like `open`, but a file is created readable by its owner only (0600); stdout and devices are refused,
    /// since what goes there (a token mapping) must not leak into a terminal log or a pipe by accident.
    pub fn open_private(
        path: &str,
        force: bool,
        inputs: &[(String, FileIdentity)],
    ) -> Result<Destination> {
        let p = Path::new(path);
        if path == "-" || is_special(p) {
            return Err(StewardError::usage(format!(
                "{path}: this file holds personal data and is written only to a regular file (created with mode 0600)"
            ))
            .into());
        }
        check_output_path(p, force, inputs)?;
        let mut f = AtomicFile::create(p)?;
        f.make_private();
        Ok(Destination::File(f))
    }

    fn name(&self) -> String {
        match self {
            Destination::File(f) => f.target().display().to_string(),
            Destination::Stdout => "stdout".to_string(),
            Destination::Stream(_, name) => name.clone(),
            Destination::Database(p) => super::db::redact(&p.arg),
        }
    }

    /// A second handle for a writer thread.
    fn writer(&mut self) -> Result<Box<dyn Write + Send>> {
        Ok(match self {
            Destination::Database(p) => {
                return Err(StewardError::usage(format!(
                    "{}: a database table takes rows, not a file format",
                    super::db::redact(&p.arg)
                ))
                .into())
            }
            Destination::Stdout => Box::new(std::io::stdout()),
            Destination::Stream(f, name) => {
                Box::new(f.try_clone().map_err(|e| write_error(Path::new(name), e))?)
            }
            Destination::File(f) => Box::new(
                f.file()
                    .try_clone()
                    .map_err(|e| write_error(f.target(), e))?,
            ),
        })
    }
}

// ---------------------------------------------------------------------------------------------------------
// Background writing: serializing the next rows overlaps the write system calls of the previous ones.

const CHUNK: usize = 1 << 20;

/// Bytes written between requests to start writing the output to disk.
const EARLY_SYNC_BYTES: usize = 32 << 20;

/// Byte buffers written and emptied by the writer thread, for reuse by whoever fills the next ones: fresh
/// megabytes cost page faults, reused ones do not.
#[derive(Debug, Clone, Default)]
pub struct BufferPool(std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>);

impl BufferPool {
    const KEEP: usize = 16;

    /// An empty buffer with room for at least `capacity` bytes.
    pub fn take(&self, capacity: usize) -> Vec<u8> {
        let mut b = self
            .0
            .lock()
            .ok()
            .and_then(|mut p| p.pop())
            .unwrap_or_default();
        b.reserve(capacity);
        b
    }

    pub fn give(&self, mut b: Vec<u8>) {
        b.clear();
        if let Ok(mut p) = self.0.lock() {
            if p.len() < Self::KEEP {
                p.push(b);
            }
        }
    }
}

/// The `Write` half: fills a buffer and hands it to the writer thread when full.
struct ChunkSender {
    buf: Vec<u8>,
    tx: std::sync::mpsc::SyncSender<Vec<u8>>,
    pool: BufferPool,
}

impl ChunkSender {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let next = self.pool.take(CHUNK + 64 * 1024);
        let full = std::mem::replace(&mut self.buf, next);
        self.tx
            .send(full)
            .map_err(|_| std::io::Error::other("the writer thread stopped"))
    }
}

impl Write for ChunkSender {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// Start a thread writing chunks to `out`; it ends when the sender is dropped, returning the first error, or
/// with `hash`, the SHA-256 of everything written (hashing here is free: this thread mostly waits).
///
/// With `early_sync` (a handle of the output file), a helper thread asks the kernel to write each 32 MB to disk
/// as it comes, so the sync before the final rename waits for the last few megabytes only, not the whole file
/// (about 0.1 s of 1.1 s on a 288 MB output). Its errors are left to that final sync, which reports them.
fn spawn_writer(
    mut out: Box<dyn Write + Send>,
    hash: bool,
    pool: BufferPool,
    early_sync: Option<std::fs::File>,
) -> (ChunkSender, WriterThread) {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    let back = pool.clone();
    let handle = std::thread::spawn(move || {
        let mut h = hash.then(super::digest::Hasher::default);
        let syncer = early_sync.map(|file| {
            let (ask, asked) = std::sync::mpsc::sync_channel::<()>(1);
            std::thread::spawn(move || {
                while asked.recv().is_ok() {
                    let _ = file.sync_data();
                }
            });
            ask
        });
        let mut unsynced = 0usize;
        for chunk in rx {
            // In slices that stay in this core's cache between the write's copy and the hash: a whole
            // chunk at a time was read from memory twice (the copy into the page cache cost 3x as much).
            for slice in chunk.chunks(128 * 1024) {
                out.write_all(slice)?;
                if let Some(h) = &mut h {
                    h.update(slice);
                }
            }
            unsynced += chunk.len();
            if let Some(ask) = &syncer {
                if unsynced >= EARLY_SYNC_BYTES {
                    // Never waits: a sync already asked for covers these bytes too.
                    let _ = ask.try_send(());
                    unsynced = 0;
                }
            }
            back.give(chunk);
        }
        out.flush()?;
        Ok(h.map(|h| h.finish()))
    });
    (
        ChunkSender {
            buf: Vec::with_capacity(CHUNK + 64 * 1024),
            tx,
            pool,
        },
        handle,
    )
}

type WriterThread = std::thread::JoinHandle<std::io::Result<Option<Digest>>>;

// ---------------------------------------------------------------------------------------------------------
// Dataset writers

/// What a writer did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WriteStats {
    pub rows: u64,
    /// Cells written with a leading apostrophe so spreadsheets show them as text.
    pub neutralized_cells: u64,
    /// Size and SHA-256 of the file written; `None` for stdout or a device.
    #[serde(skip)]
    pub written: Option<Digest>,
}

/// How to write a dataset.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    pub format: OutputFormat,
    pub formula_guard: bool,
    /// Columns written as numbers where the format has types (`_row`).
    pub integer_columns: Vec<bool>,
    /// xlsx: how each column's cells may be typed, from its field kind (see `io::workbook`); text where
    /// `None` or not given.
    pub cell_types: Vec<Option<CellType>>,
    /// xlsx: what its About sheet says (`About::unknown()` when not given).
    pub about: Option<About>,
}

impl WriteOptions {
    /// Every column as text; the formula guard on when `guard`.
    pub fn new(format: OutputFormat, guard: bool) -> WriteOptions {
        WriteOptions {
            format,
            formula_guard: guard,
            integer_columns: Vec::new(),
            cell_types: Vec::new(),
            about: None,
        }
    }

    /// What a workbook's About sheet says of it.
    pub fn about(mut self, about: About) -> WriteOptions {
        self.about = Some(about);
        self
    }

    /// Cells of a workbook typed by the kind of each column's field (`io::workbook::column_types`).
    pub fn typed(mut self, cell_types: Vec<Option<CellType>>) -> WriteOptions {
        self.cell_types = cell_types;
        self
    }

    /// How a workbook types column `i`: its field's kind, else a number for an integer column (`_row`).
    fn cell_type(&self, i: usize) -> Option<CellType> {
        match self.cell_types.get(i).copied().flatten() {
            Some(t) => Some(t),
            None if self.integer_columns.get(i).copied().unwrap_or(false) => Some(CellType::Number),
            None => None,
        }
    }
}

enum Sink {
    /// CSV or TSV, rows encoded by `encode_delimited`, and the delimiter.
    Delimited(BufWriter<ChunkSender>, u8),
    /// Rows loaded into a database table.
    Database(Box<super::db::DbDestination>),
    Jsonl(BufWriter<ChunkSender>),
    Parquet(Box<ParquetState>),
    /// After `finish` took the real sink.
    Done,
    Xlsx(Box<XlsxState>),
}

struct XlsxState {
    workbook: rust_xlsxwriter::Workbook,
    pending: Vec<Vec<String>>,
    started: bool,
    next_row: u32,
    /// Number formats by count of decimals, dates, dates with times: made once.
    decimals: Vec<rust_xlsxwriter::Format>,
    date: rust_xlsxwriter::Format,
    datetime: rust_xlsxwriter::Format,
}

impl XlsxState {
    fn new() -> XlsxState {
        use super::workbook::{decimal_format, DATETIME_FORMAT, DATE_FORMAT};
        use rust_xlsxwriter::Format;
        XlsxState {
            workbook: rust_xlsxwriter::Workbook::new(),
            pending: Vec::new(),
            started: false,
            next_row: 1,
            decimals: (0..=15u8)
                .map(|d| Format::new().set_num_format(decimal_format(d)))
                .collect(),
            date: Format::new().set_num_format(DATE_FORMAT),
            datetime: Format::new().set_num_format(DATETIME_FORMAT),
        }
    }
}

const XLSX_MAX_ROWS: u64 = 1_048_576;
/// The sheet of a workbook that holds the rows (the About sheet follows it).
const XLSX_DATA_SHEET: &str = "customers";
/// Rows per Parquet row group: memory holds one group at a time, not the whole table.
const PARQUET_ROW_GROUP: usize = 128 * 1024;

/// Parquet written one row group at a time: text columns (and `_row` as an integer) built per group.
struct ParquetState {
    names: Vec<String>,
    integer: Vec<bool>,
    strs: Vec<polars::prelude::StringChunkedBuilder>,
    ints: Vec<Vec<u64>>,
    rows: usize,
    out: Option<Box<dyn Write + Send>>,
    writer: Option<polars::io::parquet::write::BatchedWriter<Box<dyn Write + Send>>>,
}

impl ParquetState {
    fn new(names: &[String], integer: &[bool], out: Box<dyn Write + Send>) -> ParquetState {
        let integer: Vec<bool> = (0..names.len())
            .map(|i| integer.get(i).copied().unwrap_or(false))
            .collect();
        let mut p = ParquetState {
            names: unique_names(names),
            integer,
            strs: Vec::new(),
            ints: Vec::new(),
            rows: 0,
            out: Some(out),
            writer: None,
        };
        p.reset_builders();
        p
    }

    fn reset_builders(&mut self) {
        use polars::prelude::StringChunkedBuilder;
        self.strs = self
            .names
            .iter()
            .zip(&self.integer)
            .filter(|(_, int)| !**int)
            .map(|(n, _)| StringChunkedBuilder::new(n.as_str().into(), PARQUET_ROW_GROUP))
            .collect();
        self.ints = self
            .integer
            .iter()
            .filter(|i| **i)
            .map(|_| Vec::new())
            .collect();
        self.rows = 0;
    }

    fn push<S: AsRef<str>>(&mut self, row: &[S]) {
        let (mut s, mut n) = (0usize, 0usize);
        for (v, int) in row.iter().zip(&self.integer) {
            let v = super::db::plain(v.as_ref());
            if *int {
                self.ints[n].push(v.parse().unwrap_or(0));
                n += 1;
            } else {
                self.strs[s].append_value(v);
                s += 1;
            }
        }
        self.rows += 1;
    }

    /// Write the rows gathered so far as one row group (the first call also writes the file header).
    fn write_group(&mut self) -> polars::prelude::PolarsResult<()> {
        use polars::prelude::*;
        let (mut strs, mut ints) = (
            std::mem::take(&mut self.strs).into_iter(),
            std::mem::take(&mut self.ints).into_iter(),
        );
        let cols: Vec<Column> = self
            .names
            .iter()
            .zip(&self.integer)
            .map(|(name, int)| {
                let col: Option<Column> = if *int {
                    ints.next().map(|v| Column::new(name.as_str().into(), v))
                } else {
                    strs.next().map(|b| b.finish().into_series().into())
                };
                col.unwrap_or_else(|| Column::new(name.as_str().into(), Vec::<String>::new()))
            })
            .collect();
        let df = DataFrame::new_infer_height(cols)?;
        if self.writer.is_none() {
            let out = self
                .out
                .take()
                .ok_or_else(|| PolarsError::ComputeError("parquet output already closed".into()))?;
            self.writer = Some(ParquetWriter::new(out).batched(df.schema())?);
        }
        if let Some(w) = self.writer.as_mut() {
            w.write_batch(&df)?;
        }
        self.reset_builders();
        Ok(())
    }

    fn finish(&mut self) -> polars::prelude::PolarsResult<()> {
        if self.rows > 0 || self.writer.is_none() {
            self.write_group()?;
        }
        if let Some(w) = self.writer.take() {
            w.finish()?;
        }
        Ok(())
    }
}
/// Column names made unique, as Parquet requires (a review file has `id_a` from its pair columns and again from
/// the id field): a repeated name gets `_2`, `_3`... CSV, TSV and xlsx keep the names as they are.
fn unique_names(names: &[String]) -> Vec<String> {
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    names
        .iter()
        .map(|n| {
            let mut name = n.clone();
            let mut k = 2;
            while !seen.insert(name.clone()) {
                name = format!("{n}_{k}");
                k += 1;
            }
            name
        })
        .collect()
}

const XLSX_WIDTH_SAMPLE: usize = 1000;

/// Writes rows of text to one destination in one format. Call `finish` to commit; dropping it discards.
pub struct DatasetWriter {
    dest: Option<Destination>,
    /// Where the data goes, for messages.
    name: String,
    /// The thread writing CSV, TSV and JSON lines output.
    writer_thread: Option<WriterThread>,
    /// The SHA-256 of what the writer thread wrote, once it finished.
    digest: Option<Digest>,
    /// What a Parquet writer wrote, hashed on the way.
    parquet_digest: Option<super::digest::DigestHandle>,
    /// The writer thread's queue, for rows encoded elsewhere (after flushing what the sink buffered).
    direct: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    pool: BufferPool,
    sink: Sink,
    columns: Vec<String>,
    opts: WriteOptions,
    stats: WriteStats,
    /// One encoded CSV or TSV row, reused.
    line: Vec<u8>,
}

impl DatasetWriter {
    pub fn new(
        mut dest: Destination,
        columns: &[String],
        opts: WriteOptions,
    ) -> Result<DatasetWriter> {
        if let Destination::Database(plan) = dest {
            let d = super::db::DbDestination::open(
                &plan.name,
                &plan.arg,
                &plan.target,
                columns,
                plan.pending,
            )?;
            return Ok(DatasetWriter {
                dest: None,
                name: d.shown().to_string(),
                writer_thread: None,
                digest: None,
                parquet_digest: None,
                direct: None,
                pool: BufferPool::default(),
                sink: Sink::Database(Box::new(d)),
                columns: columns.to_vec(),
                opts,
                stats: WriteStats::default(),
                line: Vec::new(),
            });
        }
        let name = dest.name();
        let mut writer_thread = None;
        let mut direct = None;
        let pool = BufferPool::default();
        let mut parquet_digest = None;
        let sink = match opts.format {
            OutputFormat::Csv | OutputFormat::Tsv | OutputFormat::Jsonl => {
                let bom = opts.format != OutputFormat::Jsonl && dest.bom();
                let out = dest.writer()?;
                let early_sync = match &mut dest {
                    Destination::File(f) => f.file().try_clone().ok(),
                    _ => None,
                };
                let (mut raw, handle) = spawn_writer(
                    out,
                    matches!(dest, Destination::File(_)),
                    pool.clone(),
                    early_sync,
                );
                direct = Some(raw.tx.clone());
                writer_thread = Some(handle);
                if bom {
                    // Through the writer thread, so the file's SHA-256 covers it.
                    raw.write_all(b"\xEF\xBB\xBF")
                        .map_err(|e| write_error(Path::new(&name), e))?;
                }
                if opts.format == OutputFormat::Jsonl {
                    Sink::Jsonl(BufWriter::with_capacity(256 * 1024, raw))
                } else {
                    let d = if opts.format == OutputFormat::Tsv {
                        b'\t'
                    } else {
                        b','
                    };
                    let mut w = BufWriter::with_capacity(256 * 1024, raw);
                    let mut header = Vec::new();
                    encode_delimited(&mut header, d, columns, false, &mut WriteStats::default());
                    w.write_all(&header)
                        .map_err(|e| write_error(Path::new(&name), e))?;
                    Sink::Delimited(w, d)
                }
            }
            OutputFormat::Parquet => {
                let (out, digest) = super::digest::HashingWriter::new(dest.writer()?);
                parquet_digest = Some(digest);
                Sink::Parquet(Box::new(ParquetState::new(
                    columns,
                    &opts.integer_columns,
                    Box::new(out),
                )))
            }
            OutputFormat::Xlsx => Sink::Xlsx(Box::new(XlsxState::new())),
        };
        Ok(DatasetWriter {
            dest: Some(dest),
            name,
            writer_thread,
            digest: None,
            parquet_digest,
            direct,
            pool,
            sink,
            columns: columns.to_vec(),
            opts,
            stats: WriteStats::default(),
            line: Vec::with_capacity(1024),
        })
    }

    pub fn write_row<S: AsRef<str>>(&mut self, row: &[S]) -> Result<()> {
        self.stats.rows += 1;
        let streamed = match &mut self.sink {
            Sink::Delimited(w, d) => {
                self.line.clear();
                encode_delimited(
                    &mut self.line,
                    *d,
                    row,
                    self.opts.formula_guard,
                    &mut self.stats,
                );
                Some(w.write_all(&self.line))
            }
            Sink::Database(d) => return d.write_row(row),
            Sink::Jsonl(w) => Some(write_jsonl(w, &self.columns, row, &self.opts)),
            _ => None,
        };
        if let Some(result) = streamed {
            return result.map_err(|e| self.io_failure(e));
        }
        match &mut self.sink {
            Sink::Delimited(..) | Sink::Jsonl(_) | Sink::Done | Sink::Database(_) => {}
            Sink::Parquet(p) => {
                p.push(row);
                if p.rows >= PARQUET_ROW_GROUP {
                    let name = self.name.clone();
                    p.write_group()
                        .map_err(|e| write_error(Path::new(&name), e))?;
                }
            }
            Sink::Xlsx(x) => {
                if self.stats.rows >= XLSX_MAX_ROWS {
                    return Err(StewardError::cant_create(format!(
                        "{}: an xlsx sheet holds at most {} rows; write CSV or Parquet instead",
                        self.name,
                        XLSX_MAX_ROWS - 1
                    ))
                    .into());
                }
                x.pending
                    .push(row.iter().map(|v| v.as_ref().to_string()).collect());
                if !x.started && x.pending.len() >= XLSX_WIDTH_SAMPLE {
                    start_xlsx(x, &self.columns, &self.opts)?;
                }
                if x.started {
                    flush_xlsx(x, &self.opts)?;
                }
            }
        }
        Ok(())
    }

    /// The error to report for a failed write: the writer thread's own error (disk full, broken pipe) when it
    /// stopped, else the one at hand.
    fn io_failure(&mut self, e: std::io::Error) -> anyhow::Error {
        let thread_error = match self.writer_thread.take() {
            Some(h) if h.is_finished() => h.join().ok().and_then(|r| r.err()),
            other => {
                self.writer_thread = other;
                None
            }
        };
        let e = thread_error.unwrap_or(e);
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return e.into();
        }
        write_error(Path::new(&self.name), e)
    }

    /// An encoder of rows into the bytes this writer would write, for use on other threads; `None` for
    /// Parquet and xlsx, which are written here.
    pub fn encoder(&self) -> Option<RowEncoder> {
        matches!(self.sink, Sink::Delimited(..) | Sink::Jsonl(_)).then(|| RowEncoder {
            format: self.opts.format,
            guard: self.opts.formula_guard,
            columns: self.columns.clone(),
            opts: self.opts.clone(),
            pool: self.pool.clone(),
        })
    }

    /// Write rows encoded by `encoder()`, after the rows written so far.
    pub fn write_encoded(&mut self, e: EncodedRows) -> Result<()> {
        self.stats.rows += e.stats.rows;
        self.stats.neutralized_cells += e.stats.neutralized_cells;
        let flushed = match &mut self.sink {
            Sink::Delimited(w, _) => w.flush(),
            Sink::Jsonl(w) => w.flush(),
            _ => Err(std::io::Error::other(
                "encoded rows can only be written to CSV, TSV or JSON lines",
            )),
        };
        let sent = flushed.and_then(|_| match &self.direct {
            Some(_) if e.bytes.is_empty() => Ok(()),
            Some(tx) => tx
                .send(e.bytes)
                .map_err(|_| std::io::Error::other("the writer thread stopped")),
            None => Err(std::io::Error::other("no writer thread")),
        });
        sent.map_err(|err| self.io_failure(err))
    }

    /// Wait for the writer thread to write everything; its error, if any, is the write's error.
    fn join_writer(&mut self) -> Result<()> {
        self.direct = None;
        if let Some(h) = self.writer_thread.take() {
            let result = h
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the writer thread panicked")));
            match result {
                Ok(d) => self.digest = d,
                Err(e) => return Err(self.io_failure(e)),
            }
        }
        Ok(())
    }

    /// Finish the file and move it into place.
    pub fn finish(mut self) -> Result<WriteStats> {
        // The writer thread stops once every sender of its queue is gone.
        self.direct = None;
        if matches!(self.sink, Sink::Database(_)) {
            if let Sink::Database(d) = std::mem::replace(&mut self.sink, Sink::Done) {
                self.stats.written = Some(d.finish()?);
            }
            return Ok(self.stats.clone());
        }
        let Some(dest) = self.dest.take() else {
            return Ok(self.stats.clone());
        };
        let name = dest.name();
        match std::mem::replace(&mut self.sink, Sink::Done) {
            Sink::Delimited(w, _) => {
                let flushed = w
                    .into_inner()
                    .map_err(|e| std::io::Error::new(e.error().kind(), e.error().to_string()))
                    .and_then(|mut inner| inner.flush());
                if let Err(e) = flushed {
                    return Err(self.io_failure(e));
                }
                self.join_writer()?;
            }
            Sink::Jsonl(w) => {
                let flushed = w
                    .into_inner()
                    .map_err(|e| std::io::Error::new(e.error().kind(), e.error().to_string()))
                    .and_then(|mut inner| inner.flush());
                if let Err(e) = flushed {
                    return Err(self.io_failure(e));
                }
                self.join_writer()?;
            }
            Sink::Parquet(mut p) => {
                p.finish().map_err(|e| write_error(Path::new(&name), e))?;
                drop(p);
                if let (Destination::File(f), Some(d)) = (dest, self.parquet_digest.take()) {
                    self.stats.written = Some(f.commit_with(d.digest(), Some(self.stats.rows))?);
                }
                return Ok(self.stats.clone());
            }
            Sink::Done | Sink::Database(_) => {}
            Sink::Xlsx(mut x) => {
                if !x.started {
                    start_xlsx(&mut x, &self.columns, &self.opts)?;
                }
                flush_xlsx(&mut x, &self.opts)?;
                filter_xlsx(&mut x, self.columns.len())?;
                let about = self.opts.about.take().unwrap_or_else(About::unknown);
                about
                    .add_to(&mut x.workbook, XLSX_DATA_SHEET, self.stats.rows)
                    .map_err(|e| write_error(Path::new(&name), e))?;
                match dest {
                    mut dest @ (Destination::Stdout | Destination::Stream(..)) => {
                        let buf = x
                            .workbook
                            .save_to_buffer()
                            .map_err(|e| write_error(Path::new(&name), e))?;
                        let mut out = dest.writer()?;
                        out.write_all(&buf)
                            .and_then(|_| out.flush())
                            .map_err(|e| write_error(Path::new(&name), e))?;
                    }
                    Destination::Database(_) => {}
                    Destination::File(mut f) => {
                        let buf = x
                            .workbook
                            .save_to_buffer()
                            .map_err(|e| write_error(Path::new(&name), e))?;
                        f.write_all(&buf)
                            .map_err(|e| write_error(Path::new(&name), e))?;
                        let d = super::digest::Digest::of_bytes(&buf);
                        self.stats.written = Some(f.commit_with(d, Some(self.stats.rows))?);
                    }
                }
                return Ok(self.stats.clone());
            }
        }
        if let Destination::File(f) = dest {
            // The writer thread hashed everything it wrote to the file.
            let d = self
                .digest
                .take()
                .ok_or_else(|| write_error(Path::new(&name), "the writer kept no digest"))?;
            self.stats.written = Some(f.commit_with(d, Some(self.stats.rows))?);
        }
        Ok(self.stats.clone())
    }
}

/// Encodes rows as a `DatasetWriter` of CSV, TSV or JSON lines writes them (formula guard included).
#[derive(Debug, Clone)]
pub struct RowEncoder {
    format: OutputFormat,
    guard: bool,
    columns: Vec<String>,
    opts: WriteOptions,
    pool: BufferPool,
}

/// Rows encoded by a `RowEncoder`, ready for `DatasetWriter::write_encoded`.
pub struct EncodedRows {
    bytes: Vec<u8>,
    stats: WriteStats,
}

/// A buffer being filled with encoded rows.
pub struct RowBuffer<'a> {
    enc: &'a RowEncoder,
    /// The field delimiter for CSV and TSV; none for JSON lines.
    delimiter: Option<u8>,
    bytes: Vec<u8>,
    stats: WriteStats,
}

impl RowEncoder {
    pub fn buffer(&self, capacity: usize) -> RowBuffer<'_> {
        RowBuffer {
            enc: self,
            delimiter: match self.format {
                OutputFormat::Jsonl => None,
                OutputFormat::Tsv => Some(b'\t'),
                _ => Some(b','),
            },
            bytes: self.pool.take(capacity),
            stats: WriteStats::default(),
        }
    }
}

impl RowBuffer<'_> {
    pub fn write_row<S: AsRef<str>>(&mut self, row: &[S]) -> Result<()> {
        self.stats.rows += 1;
        match self.delimiter {
            Some(d) => encode_delimited(&mut self.bytes, d, row, self.enc.guard, &mut self.stats),
            None => write_jsonl(&mut self.bytes, &self.enc.columns, row, &self.enc.opts)?,
        }
        Ok(())
    }

    pub fn finish(self) -> Result<EncodedRows> {
        Ok(EncodedRows {
            bytes: self.bytes,
            stats: self.stats,
        })
    }
}

/// One row of CSV or TSV appended to `out`, byte for byte as the csv crate writes it (quotes only where a
/// field holds the delimiter, a quote or a line break; a record of one empty field as `""`), without its
/// per-byte state machine and intermediate buffer: encoding was a fifth of pseudonymize's work.
fn encode_delimited<S: AsRef<str>>(
    out: &mut Vec<u8>,
    d: u8,
    row: &[S],
    guard: bool,
    stats: &mut WriteStats,
) {
    let start = out.len();
    let top = d.max(b'"');
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            out.push(d);
        }
        let v = v.as_ref();
        if v == super::db::EMPTY_TEXT {
            // A database's empty string, kept apart from NULL (an empty unquoted field).
            out.extend_from_slice(b"\"\"");
            continue;
        }
        let apostrophe = guard && needs_formula_guard(v);
        let v = v.as_bytes();
        if apostrophe {
            stats.neutralized_cells += 1;
        }
        // Every special byte is at most `top`: most fields are settled by their smallest byte alone.
        let special = v.iter().fold(u8::MAX, |m, &b| m.min(b)) <= top
            && v.iter().fold(false, |acc, &b| {
                acc | (b == d) | (b == b'"') | (b == b'\n') | (b == b'\r')
            });
        if special {
            out.push(b'"');
            if apostrophe {
                out.push(b'\'');
            }
            for part in v.split_inclusive(|&b| b == b'"') {
                out.extend_from_slice(part);
                if part.last() == Some(&b'"') {
                    out.push(b'"');
                }
            }
            out.push(b'"');
        } else {
            if apostrophe {
                out.push(b'\'');
            }
            out.extend_from_slice(v);
        }
    }
    if out.len() == start {
        out.extend_from_slice(b"\"\"");
    }
    out.push(b'\n');
}

#[cfg(test)]
fn csv_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// One row of CSV or TSV by the csv crate, with the formula guard when asked (what `encode_delimited` is
/// tested against).
#[cfg(test)]
fn write_delimited<S: AsRef<str>, W: Write>(
    w: &mut csv::Writer<W>,
    row: &[S],
    guard: bool,
    stats: &mut WriteStats,
) -> std::io::Result<()> {
    if !guard {
        return w
            .write_record(row.iter().map(|v| v.as_ref()))
            .map_err(csv_io);
    }
    for v in row {
        let g = formula_guard(v.as_ref());
        if matches!(g, Cow::Owned(_)) {
            stats.neutralized_cells += 1;
        }
        w.write_field(g.as_bytes()).map_err(csv_io)?;
    }
    w.write_record(None::<&[u8]>).map_err(csv_io)
}

/// One row as a JSON object on its own line; integer columns as numbers.
fn write_jsonl<S: AsRef<str>, W: Write>(
    w: &mut W,
    columns: &[String],
    row: &[S],
    opts: &WriteOptions,
) -> std::io::Result<()> {
    let mut line = String::with_capacity(256);
    line.push('{');
    for (i, (c, v)) in columns.iter().zip(row).enumerate() {
        let v = super::db::plain(v.as_ref());
        if i > 0 {
            line.push(',');
        }
        line.push_str(&serde_json::to_string(c)?);
        line.push(':');
        if opts.integer_columns.get(i).copied().unwrap_or(false)
            && !v.is_empty()
            && v.bytes().all(|b| b.is_ascii_digit())
        {
            line.push_str(v);
        } else {
            line.push_str(&serde_json::to_string(v)?);
        }
    }
    line.push_str("}\n");
    w.write_all(line.as_bytes())
}

fn start_xlsx(x: &mut XlsxState, columns: &[String], _opts: &WriteOptions) -> Result<()> {
    use rust_xlsxwriter::Format;
    let xerr = |e: rust_xlsxwriter::XlsxError| -> anyhow::Error {
        StewardError::cant_create(format!("xlsx: {e}")).into()
    };
    let ws = x
        .workbook
        .add_worksheet_with_constant_memory()
        .map_err(xerr)?;
    ws.set_name(XLSX_DATA_SHEET).map_err(xerr)?;
    let bold = Format::new().set_bold();
    for (i, c) in columns.iter().enumerate() {
        let mut w = crate::fields::text::display_width(c);
        for r in &x.pending {
            if let Some(v) = r.get(i) {
                w = w.max(crate::fields::text::display_width(v).min(60));
            }
        }
        ws.set_column_width(i as u16, (w as f64 + 2.0).min(62.0))
            .map_err(xerr)?;
    }
    for (i, c) in columns.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, c, &bold)
            .map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    x.started = true;
    Ok(())
}

/// Write the rows held so far: text as text (never a formula, whatever it starts with), and a cell of a typed
/// column as a number or date only when its text is canonical, with the format that shows that very text.
fn flush_xlsx(x: &mut XlsxState, opts: &WriteOptions) -> Result<()> {
    use rust_xlsxwriter::ExcelDateTime;
    let xerr = |e: rust_xlsxwriter::XlsxError| -> anyhow::Error {
        StewardError::cant_create(format!("xlsx: {e}")).into()
    };
    let pending = std::mem::take(&mut x.pending);
    let ws = x.workbook.worksheet_from_index(0).map_err(xerr)?;
    for r in pending {
        for (i, v) in r.iter().enumerate() {
            let v = super::db::plain(v);
            if v.is_empty() {
                continue;
            }
            let (row, col) = (x.next_row, i as u16);
            match opts.cell_type(i).and_then(|t| typed(t, v)) {
                Some(Typed::Number(n, d)) => {
                    ws.write_number_with_format(row, col, n, &x.decimals[d as usize])
                        .map_err(xerr)?;
                }
                Some(Typed::Date { year, month, day }) => {
                    let dt = ExcelDateTime::from_ymd(year, month, day).map_err(xerr)?;
                    ws.write_datetime_with_format(row, col, dt, &x.date)
                        .map_err(xerr)?;
                }
                Some(Typed::DateTime {
                    year,
                    month,
                    day,
                    hour,
                    minute,
                    second,
                }) => {
                    let dt = ExcelDateTime::from_ymd(year, month, day)
                        .and_then(|d| d.and_hms(u16::from(hour), minute, second))
                        .map_err(xerr)?;
                    ws.write_datetime_with_format(row, col, dt, &x.datetime)
                        .map_err(xerr)?;
                }
                None => {
                    ws.write_string(row, col, v).map_err(xerr)?;
                }
            }
        }
        x.next_row += 1;
    }
    Ok(())
}

/// Filter buttons on the header over every row written, as Excel's "Format as filter" makes them.
fn filter_xlsx(x: &mut XlsxState, columns: usize) -> Result<()> {
    if columns == 0 {
        return Ok(());
    }
    let ws = x
        .workbook
        .worksheet_from_index(0)
        .map_err(|e| StewardError::cant_create(format!("xlsx: {e}")))?;
    ws.autofilter(0, 0, x.next_row.saturating_sub(1), (columns - 1) as u16)
        .map_err(|e| StewardError::cant_create(format!("xlsx: {e}")))?;
    Ok(())
}

/// Rows an output is written from, one at a time, without building the whole set first: a table, columns of
/// several (`crate::table::TableView`), or rows a stage formats as they are written.
pub trait Rows {
    fn columns(&self) -> Vec<String>;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Every row in order, its values in column order lent to `f`; stops at the first error `f` returns.
    fn for_each_row(&self, f: &mut dyn FnMut(&[&str]) -> Result<()>) -> Result<()>;
}

/// Write a whole dataset to `dest`: the header, then the rows `fill` writes; the formula guard on when
/// `guard` is set. Returns what was written (rows, and for a file its size and SHA-256).
pub fn write_dataset(
    dest: Destination,
    columns: &[String],
    opts: WriteOptions,
    fill: impl FnOnce(&mut DatasetWriter) -> Result<()>,
) -> Result<WriteStats> {
    let mut w = DatasetWriter::new(dest, columns, opts)?;
    fill(&mut w)?;
    w.finish()
}

/// Write every row of `rows` to `dest` (see `write_dataset`).
pub fn write_rows(dest: Destination, rows: &dyn Rows, opts: WriteOptions) -> Result<WriteStats> {
    write_dataset(dest, &rows.columns(), opts, |w| {
        rows.for_each_row(&mut |row| w.write_row(row))
    })
}

/// Write rows given as vectors of text (findings, rejects, changes) to `dest` (see `write_dataset`).
pub fn write_vecs(
    dest: Destination,
    columns: &[String],
    rows: impl IntoIterator<Item = Vec<String>>,
    opts: WriteOptions,
) -> Result<WriteStats> {
    write_dataset(dest, columns, opts, |w| {
        for r in rows {
            w.write_row(&r)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parquet_column_names_are_made_unique() {
        let names: Vec<String> = ["id_a", "id_b", "id_a", "x", "id_a"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            unique_names(&names),
            ["id_a", "id_b", "id_a_2", "x", "id_a_3"]
        );
    }

    #[test]
    fn guard_neutralizes_formulas_but_not_numbers() {
        for v in [
            "=1+2",
            "@SUM(A1)",
            "+cmd",
            "-2+A3",
            "+1+cmd|' /C calc'!A0",
            "-SUM(1)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"x\")",
        ] {
            assert!(needs_formula_guard(v), "{v:?} should be guarded");
        }
        for v in [
            "+86 138 0013 8000",
            "+44 7700 900001",
            "+1 201-565-4873",
            "+1 (212) 555-0100",
            "-2+3",
            "--1",
            "+8613812345678",
            "-12.5",
            "12",
            "",
            "-",
            "+",
            "abc",
            "1e5",
            "-.5",
            "张伟",
            "a=b",
        ] {
            assert!(!needs_formula_guard(v), "{v:?} should not be guarded");
        }
        assert_eq!(formula_guard("=1+2"), "'=1+2");
    }

    /// A Write that keeps what it is given, shared with the test.
    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn parquet_spanning_several_row_groups_reads_back() {
        use polars::prelude::*;
        let out = Shared::default();
        let names = vec!["id".to_string(), "_row".to_string()];
        let mut p = ParquetState::new(&names, &[false, true], Box::new(out.clone()));
        let n = PARQUET_ROW_GROUP + 10;
        for i in 0..n {
            p.push(&[format!("{i:05}"), (i + 2).to_string()]);
            if p.rows >= PARQUET_ROW_GROUP {
                p.write_group().unwrap();
            }
        }
        p.finish().unwrap();
        let bytes = out.0.lock().unwrap().clone();
        let df = ParquetReader::new(std::io::Cursor::new(bytes))
            .finish()
            .unwrap();
        assert_eq!(df.height(), n);
        let ids = df.column("id").unwrap().str().unwrap();
        assert_eq!(ids.get(0), Some("00000"));
        assert_eq!(ids.get(n - 1), Some(format!("{:05}", n - 1).as_str()));
        assert_eq!(
            df.column("_row").unwrap().u64().unwrap().get(n - 1),
            Some(n as u64 + 1)
        );
    }

    #[test]
    fn formats_from_extension() {
        assert_eq!(
            OutputFormat::from_path(Path::new("a.PARQUET")),
            Some(OutputFormat::Parquet)
        );
        assert_eq!(
            OutputFormat::from_path(Path::new("a.jsonl")),
            Some(OutputFormat::Jsonl)
        );
        assert_eq!(OutputFormat::from_path(Path::new("a")), None);
    }

    /// Write `rows` under `columns` as a workbook typed by `types`, and read its text back as steward reads it.
    fn workbook_round_trip(
        columns: &[String],
        types: Vec<Option<CellType>>,
        rows: &[Vec<String>],
    ) -> Vec<Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xlsx");
        let dest = Destination::File(AtomicFile::create(&path).unwrap());
        let opts = WriteOptions::new(OutputFormat::Xlsx, true).typed(types);
        write_dataset(dest, columns, opts, |w| {
            rows.iter().try_for_each(|r| w.write_row(r))
        })
        .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let read = super::super::excel::read_workbook(
            bytes,
            super::super::InputFormat::Xlsx,
            "t.xlsx",
            &Default::default(),
        )
        .unwrap();
        assert_eq!(read.len(), 1, "one data sheet");
        assert_eq!(read[0].0.headers, columns);
        read[0].1.iter().map(|r| r.fields.clone()).collect()
    }

    #[test]
    fn workbook_cells_are_typed_only_when_canonical() {
        let columns: Vec<String> = ["id", "total_spend", "signup_date", "_row"]
            .map(String::from)
            .to_vec();
        let rows: Vec<Vec<String>> = [
            ["00123", "1672.00", "2024-03-05", "2"],
            ["+86 138 0013 8000", "-12.5", "2024-3-5", "3"],
            ["=1+2", "1,672.00", "05/03/2024", "4"],
        ]
        .iter()
        .map(|r| r.map(String::from).to_vec())
        .collect();
        let types = vec![None, Some(CellType::Number), Some(CellType::Date), None];
        assert_eq!(workbook_round_trip(&columns, types.clone(), &rows), rows);

        // What the cells hold: numbers and dates only where the text was canonical.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xlsx");
        let dest = Destination::File(AtomicFile::create(&path).unwrap());
        let opts = WriteOptions::new(OutputFormat::Xlsx, true).typed(types);
        write_vecs(dest, &columns, rows.clone(), opts).unwrap();
        let sheets =
            super::super::excel::read_typed_sheets(&std::fs::read(&path).unwrap(), "t").unwrap();
        let kind = |row: u32, col: u32| {
            let c = sheets[0]
                .cells
                .iter()
                .find(|c| c.row == row && c.col == col)
                .unwrap();
            match &c.value {
                calamine::Data::String(_) => "text",
                calamine::Data::Float(_) | calamine::Data::Int(_) => "number",
                calamine::Data::DateTime(_) => "date",
                _ => "other",
            }
        };
        let kinds: Vec<[&str; 4]> = (1..=3)
            .map(|r| [kind(r, 0), kind(r, 1), kind(r, 2), kind(r, 3)])
            .collect();
        assert_eq!(
            kinds,
            [
                ["text", "number", "date", "text"],
                ["text", "number", "text", "text"],
                ["text", "text", "text", "text"],
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// A workbook steward writes reads back as the very text it was written from, typed cells or not.
        #[test]
        fn workbook_text_survives_typing(
            rows in proptest::collection::vec(
                proptest::collection::vec(proptest::prop_oneof![
                    "-?(0|[1-9][0-9]{0,7})(\\.[0-9]{1,7})?",
                    "0[0-9]{1,4}",
                    "(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])",
                    "(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T(00:00:00|[01][0-9]:[0-5][0-9]:[0-5][0-9])",
                    "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
                    "[=+@-][A-Z0-9(),.]{0,6}",
                    "\\+86 1[0-9]{2} [0-9]{4} [0-9]{4}",
                    "[0-9]{1,3}(,[0-9]{3}){1,2}(\\.[0-9]{2})?",
                    "[0-9]\\.[0-9]e[0-9]",
                    "[a-z\u{4E2D}]{1,5}",
                    "",
                ], 3),
                1..12),
        ) {
            let columns: Vec<String> = ["key", "amount", "day", "code"].map(String::from).to_vec();
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .enumerate()
                .map(|(i, r)| std::iter::once(format!("r{i}")).chain(r).collect())
                .collect();
            let types = vec![
                None,
                Some(CellType::Number),
                Some(CellType::Date),
                None,
            ];
            let back = workbook_round_trip(&columns, types, &rows);
            proptest::prop_assert_eq!(back, rows);
        }
    }

    proptest::proptest! {
        /// The hand-written encoder writes what the csv crate writes, guard and all.
        #[test]
        fn encoder_matches_the_csv_crate(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-z,\t\"'=+@ \r\n0-9.\u{4E2D}-]{0,6}", 0..4), 1..6),
            guard in proptest::bool::ANY,
            tsv in proptest::bool::ANY,
        ) {
            let d = if tsv { b'\t' } else { b',' };
            let mut ours = Vec::new();
            let mut ours_stats = WriteStats::default();
            let mut w = csv::WriterBuilder::new().delimiter(d).flexible(true).from_writer(Vec::new());
            let mut theirs_stats = WriteStats::default();
            for row in &rows {
                encode_delimited(&mut ours, d, row, guard, &mut ours_stats);
                write_delimited(&mut w, row, guard, &mut theirs_stats).unwrap();
            }
            let theirs = w.into_inner().unwrap();
            proptest::prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
            proptest::prop_assert_eq!(ours_stats.neutralized_cells, theirs_stats.neutralized_cells);
        }
    }
}

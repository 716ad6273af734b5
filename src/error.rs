//! Exit codes and the error type that carries one.
//! Every failure a user can cause maps to a sysexits-style code; anything else is internal (70).

use std::fmt;

/// Process exit codes, as documented in the README and in `steward --help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Done.
    Ok = 0,
    /// Done, but the data failed the declared policy.
    PolicyFailed = 1,
    /// Bad command line.
    Usage = 2,
    /// Input malformed (bad CSV, wrong encoding, corrupt workbook, bad schema).
    DataErr = 65,
    /// Input missing or unreadable.
    NoInput = 66,
    /// Internal error.
    Software = 70,
    /// Cannot write output.
    CantCreate = 73,
}

/// An error a user can act on, with the exit code it maps to.
#[derive(Debug)]
pub struct StewardError {
    pub code: ExitCode,
    pub message: String,
}

impl StewardError {
    pub fn new(code: ExitCode, message: impl Into<String>) -> Self {
        StewardError {
            code,
            message: message.into(),
        }
    }
    pub fn data(message: impl Into<String>) -> Self {
        Self::new(ExitCode::DataErr, message)
    }
    pub fn no_input(message: impl Into<String>) -> Self {
        Self::new(ExitCode::NoInput, message)
    }
    pub fn cant_create(message: impl Into<String>) -> Self {
        Self::new(ExitCode::CantCreate, message)
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Usage, message)
    }
}

impl fmt::Display for StewardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StewardError {}

/// Shorthand for building an `anyhow::Error` with an exit code.
pub fn fail(code: ExitCode, message: impl Into<String>) -> anyhow::Error {
    StewardError::new(code, message).into()
}

/// The exit code an error maps to: the first `StewardError` in its chain, else an I/O error's kind, else 70.
pub fn exit_code_of(err: &anyhow::Error) -> ExitCode {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<StewardError>() {
            return e.code;
        }
    }
    for cause in err.chain() {
        // A serializer's I/O error (its chain stops short of the io::Error): the kind tells.
        if let Some(kind) = cause
            .downcast_ref::<serde_json::Error>()
            .and_then(|e| e.io_error_kind())
        {
            return code_of_io_kind(kind);
        }
        if let Some(e) = cause.downcast_ref::<std::io::Error>() {
            // A writer's error that names its file carries its code inside.
            if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<StewardError>()) {
                return inner.code;
            }
            return code_of_io_kind(e.kind());
        }
    }
    ExitCode::Software
}

fn code_of_io_kind(kind: std::io::ErrorKind) -> ExitCode {
    match kind {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => ExitCode::NoInput,
        std::io::ErrorKind::StorageFull
        | std::io::ErrorKind::QuotaExceeded
        | std::io::ErrorKind::ReadOnlyFilesystem
        | std::io::ErrorKind::FileTooLarge => ExitCode::CantCreate,
        _ => ExitCode::Software,
    }
}

/// A one-line rendering of an error chain: "outer: inner: innermost", without repeats.
pub fn one_line(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let s = cause.to_string().replace('\n', " ");
        if parts.last().map(|p| p.contains(&s)).unwrap_or(false) {
            continue;
        }
        parts.push(s);
    }
    parts.join(": ")
}

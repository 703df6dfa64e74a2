//! What can go wrong, as a type a caller can match.
//!
//! Python tells failures apart by exception class: the job's own exception,
//! `BrokenProcessPool`, `PicklingError`, `CancelledError`, `TimeoutError`.
//! Here each is a variant of one [`Error`]. It implements `std::error::Error`
//! and is `Send + Sync + 'static`, so `?` turns it into an `anyhow::Error` in
//! a `main` that returns `anyhow::Result`.

use std::fmt;
use std::io;
use std::process::ExitStatus;

use crate::worker::describe;

/// The toolkit's result: `Result<T, process_toolkit::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

// ANCHOR: error
/// Why a job, a worker or a pool failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The job ran and panicked; `message` is what it panicked with.
    Panicked { message: String },
    /// A process ended on its own before it answered: a worker in the middle
    /// of a job (a job it never started is not failed: it goes to the
    /// replacement), or a worker or forked child that exited badly.
    Died { process: String, status: ExitStatus },
    /// The toolkit stopped the process itself, for the reason given.
    Killed { process: String, reason: &'static str },
    /// A job or reply could not be turned into bytes; nothing was sent, and
    /// the worker is unharmed.
    Serialize { what: &'static str, type_name: &'static str, reason: String },
    /// A job or reply arrived but could not be rebuilt from its bytes; the
    /// worker is unharmed.
    Deserialize { what: &'static str, type_name: &'static str, reason: String },
    /// The job never started: it was cancelled, or its pool shut down first.
    Cancelled,
    /// A wait with a deadline ran out; the job goes on.
    Timeout,
    /// The result is gone: it was already taken, or the pool lost the job.
    Lost,
    /// The pool or worker cannot be set up as asked; `reason` says what to change.
    Setup { reason: String },
    /// The operating system refused something the toolkit needed.
    Io { doing: String, source: io::Error },
}
// ANCHOR_END: error

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Panicked { message } => write!(f, "the job panicked: {message}"),
            Error::Died { process, status } => {
                write!(f, "{process} {}", describe(*status))
            }
            Error::Killed { process, reason } => {
                write!(f, "{process} was killed: {reason}")
            }
            Error::Serialize { what, type_name, reason } => {
                write!(f, "cannot serialize the {what} (a {type_name}): {reason}")
            }
            Error::Deserialize { what, type_name, reason } => {
                write!(f, "cannot deserialize the {what} (a {type_name}): {reason}")
            }
            Error::Cancelled => write!(f, "the job was cancelled before it started"),
            Error::Timeout => write!(f, "the job has not ended yet"),
            Error::Lost => write!(f, "the job's result is gone: already taken, or lost"),
            Error::Setup { reason } => f.write_str(reason),
            Error::Io { doing, source } => write!(f, "cannot {doing}: {source}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Error {
    /// An [`Error::Io`] from what the toolkit was doing.
    pub(crate) fn io(doing: impl Into<String>) -> impl FnOnce(io::Error) -> Error {
        let doing = doing.into();
        move |source| Error::Io { doing, source }
    }

    /// An [`Error::Setup`] with this reason.
    pub(crate) fn setup(reason: impl Into<String>) -> Error {
        Error::Setup { reason: reason.into() }
    }
}

/// What a panic said: its message, when it was a string (`panic!("...")` and
/// `assert!` make one), as Python's exception carries its text.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
        (Some(text), _) => (*text).to_owned(),
        (_, Some(text)) => text.clone(),
        _ => "(a panic without a message)".to_owned(),
    }
}

/// The reason an ipc-channel serializer gave, without its generic wrapper.
pub(crate) fn serde_reason(err: &ipc_channel::SerDeError) -> String {
    std::error::Error::source(err).map_or_else(|| err.to_string(), ToString::to_string)
}

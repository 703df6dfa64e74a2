//! The process toolkit: the one library the examples share.
//!
//! Rust's standard library has threads but nothing like Python's
//! `multiprocessing`. This crate is that missing piece, kept small enough to
//! read in one sitting and to copy whole:
//!
//! - [`worker`]: start this same program again as a worker process in a named
//!   role, exchange serde messages with it over ipc-channel, and get an error
//!   (never a hang) when it crashes; no worker outlives its parent.
//! - [`pool`]: a thread pool and a process pool behind one `Executor` interface
//!   (`submit`, `map`, `as_completed`), switched by changing one line.
//! - [`forked`]: waiting for a child made with `fork`, with the same error words.
//! - [`Error`]: what went wrong, as a type a caller can match (the job
//!   panicked, the worker died, a message could not be serialized, ...).
//!
//! Linux only: workers rely on `prctl(PR_SET_PDEATHSIG)`.

mod error;
pub mod forked;
pub mod pool;
pub mod worker;

pub use error::{Error, Result};

/// The ipc-channel crate the workers use, for examples that open channels of their own.
pub use ipc_channel;

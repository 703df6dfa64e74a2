//! What a benchmark leaves behind when it ends, whether it finished, failed,
//! or was interrupted: nothing.
//!
//! - A [`ChildProcess`] (the Python version, a server under load) cannot
//!   outlive the benchmark: the kernel sends it SIGTERM when the benchmark
//!   dies, however it dies, even by SIGKILL; and dropping it stops it.
//! - A [`ScratchDir`] is a folder with a unique name that is removed when it
//!   is dropped, and also when SIGINT, SIGTERM or SIGHUP end the program, which
//!   would otherwise end it without running any destructor.

use std::io::{self, Read};
use std::os::fd::{BorrowedFd, IntoRawFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use nix::sys::signal::{self, SaFlags, SigAction, SigHandler, SigSet, Signal};
use nix::unistd::Pid;

/// How long a child has to end after SIGTERM before it is killed.
const GRACE: Duration = Duration::from_secs(5);

/// A process started by a benchmark, stopped when dropped.
pub struct ChildProcess {
    child: Child,
    name: String,
}

impl ChildProcess {
    /// Starts `command`, asking the kernel to send it SIGTERM if this
    /// program dies first (SIGTERM, not SIGKILL: a server or a Python
    /// program then stops its own workers as it ends). On Linux the death
    /// that counts is that of the thread that started it: start children
    /// from `main`'s thread.
    pub fn start(command: &mut Command) -> Result<Self> {
        let name = command.get_program().to_string_lossy().into_owned();
        let parent = std::process::id();
        // SAFETY: the closure runs in the child between fork and exec, and
        // calls only prctl and getppid, async-signal-safe system calls.
        unsafe {
            command.pre_exec(move || {
                nix::sys::prctl::set_pdeathsig(Signal::SIGTERM)?;
                // If this program died before prctl, nobody would stop the child.
                if nix::unistd::getppid().as_raw().cast_unsigned() != parent {
                    return Err(io::Error::other("the benchmark ended as it started"));
                }
                Ok(())
            });
        }
        let child = command.spawn().with_context(|| format!("cannot start {name}"))?;
        Ok(ChildProcess { child, name })
    }

    /// The child itself, to take its stdout or wait for it.
    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Asks the child to end with SIGTERM, kills it if it has not ended
    /// after a few seconds, and returns how it ended.
    pub fn stop(mut self) -> Result<ExitStatus> {
        self.terminate()
    }

    fn terminate(&mut self) -> Result<ExitStatus> {
        if let Some(status) = self.child.try_wait()? {
            return Ok(status);
        }
        let pid = Pid::from_raw(self.child.id().cast_signed());
        signal::kill(pid, Signal::SIGTERM)?;
        let deadline = Instant::now() + GRACE;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            thread::sleep(Duration::from_millis(10));
        }
        self.child.kill()?;
        let status = self.child.wait()?;
        Err(anyhow!("{} did not end within {GRACE:?} of SIGTERM ({status})", self.name))
    }
}

impl Drop for ChildProcess {
    fn drop(&mut self) {
        let _ = self.terminate();
    }
}

/// A scratch folder with a unique name in the system's temporary directory.
pub struct ScratchDir {
    dir: tempfile::TempDir,
}

/// The scratch folders that exist now, for the signal watcher to remove.
static SCRATCH: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

impl ScratchDir {
    /// Creates a folder named `<prefix><random>`.
    pub fn new(prefix: &str) -> Result<Self> {
        watch_signals()?;
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir()
            .context("cannot create a temporary folder")?;
        SCRATCH.lock().unwrap().push(dir.path().to_owned());
        Ok(ScratchDir { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for ScratchDir {
    /// Removes the folder and everything in it (the `TempDir` does, after this).
    fn drop(&mut self) {
        SCRATCH.lock().unwrap().retain(|path| path != self.dir.path());
    }
}

/// The pipe's writing end, for the signal handler (-1 until there is one).
static SIGNAL_PIPE: AtomicI32 = AtomicI32::new(-1);

/// Runs in whatever thread the signal interrupted, so it may do next to
/// nothing: it writes the signal's number into a pipe, which `write(2)`
/// may do in a signal handler, and the watcher thread does the rest.
extern "C" fn on_signal(signal: std::ffi::c_int) {
    // SAFETY: the pipe is opened before this handler is installed and never closed.
    let pipe = unsafe { BorrowedFd::borrow_raw(SIGNAL_PIPE.load(Ordering::Relaxed)) };
    let _ = nix::unistd::write(pipe, &[signal as u8]);
}

/// Installs the handler and starts the watcher thread, once.
fn watch_signals() -> Result<()> {
    static WATCHING: OnceLock<Result<(), String>> = OnceLock::new();
    let watching = WATCHING.get_or_init(|| {
        let (mut reader, writer) = io::pipe().map_err(|err| err.to_string())?;
        SIGNAL_PIPE.store(writer.into_raw_fd(), Ordering::Relaxed);
        thread::spawn(move || {
            let mut number = [0_u8];
            if reader.read_exact(&mut number).is_ok() {
                remove_scratch_and_end(i32::from(number[0]));
            }
        });
        let handler = SigHandler::Handler(on_signal);
        let action = SigAction::new(handler, SaFlags::SA_RESTART, SigSet::empty());
        for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
            // SAFETY: the handler only writes to a pipe (see on_signal).
            unsafe { signal::sigaction(signal, &action) }
                .map_err(|err| err.to_string())?;
        }
        Ok(())
    });
    watching.clone().map_err(|err| anyhow!("cannot watch for signals: {err}"))
}

/// Removes every scratch folder, then ends the program as `number` would
/// have ended it without a handler, so that whoever sent it sees that.
fn remove_scratch_and_end(number: i32) {
    // Held to the end: a job that fails once its folder is gone must not get
    // to print its error, or `main` to return it, before the signal ends all.
    let (_out, _err) = (io::stdout().lock(), io::stderr().lock());
    let scratch = SCRATCH.lock().unwrap();
    for path in scratch.iter() {
        // A worker may create a file while the folder is being emptied;
        // once the folder itself is gone, no file can appear in it.
        for _ in 0..100 {
            if std::fs::remove_dir_all(path).is_ok() || !path.exists() {
                break;
            }
        }
    }
    let signal = Signal::try_from(number).unwrap_or(Signal::SIGTERM);
    // SAFETY: restoring the default action, which ends the program.
    let _ = unsafe { signal::signal(signal, SigHandler::SigDfl) };
    let _ = signal::raise(signal);
    std::process::exit(128 + number); // if the default action did not end it
}

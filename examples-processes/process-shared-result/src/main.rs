//! Does a child process's assignment reach its parent?
//!
//! The short post's multiprocessing version sets `result` in a child process
//! and prints `None` in the parent. With processes that really is separate
//! memory: after `fork`, the child writes into its own copy of the parent's.
//! The fix sends the result back through a pipe, made before the fork so that
//! both processes hold its ends.
//!
//!     cargo run -p process-shared-result
//!     cargo run -p process-shared-result -- --child-panics
//!
//! Watch for: the child sets `Some(49)`, and the parent, having waited for it,
//! still sees `None`; through the pipe it gets 49. A crashed child is reported.

use std::io::{self, Read, Write};

use anyhow::{Context, Result, bail};
use clap::Parser;
use nix::sys::signal::{Signal, raise};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, getpid};

/// A child process's assignment is lost; its result comes back through a pipe.
#[derive(Parser)]
struct Args {
    /// Make the second child panic before it sends its result.
    #[arg(long)]
    child_panics: bool,
}

// ANCHOR: pitfall
fn set_in_child() -> Result<()> {
    let mut result: Option<i64> = None;
    println!("parent: pid {}, result is {result:?}", getpid());
    let child = fork_child(|| {
        result = Some(7 * 7); // writes the child's copy of `result`
        println!("child: pid {}, set result to {result:?}", getpid());
        Ok(())
    })?;
    join(child)?;
    println!("parent: child pid {child} has exited; result is still {result:?}");
    Ok(())
}
// ANCHOR_END: pitfall

// ANCHOR: pipe
fn send_through_pipe(child_panics: bool) -> Result<i64> {
    let (mut reader, mut writer) = io::pipe()?; // before the fork: both processes get both ends
    let child = fork_child(|| {
        let result = 7 * 7;
        assert!(!child_panics, "the child crashed before it sent its result");
        println!("child: pid {}, sending {result} through the pipe", getpid());
        Ok(writeln!(writer, "{result}")?)
    })?;
    // Reading ends at end-of-file only once no process holds a write end:
    // close the parent's, and the read ends when the child's ends, with it.
    drop(writer);
    let mut text = String::new();
    reader.read_to_string(&mut text)?;
    join(child)?; // a crashed child is reported here, before what it sent is parsed
    let result = text.trim().parse().context("the child sent no number")?;
    println!("parent: received {result} from the pipe");
    Ok(result)
}
// ANCHOR_END: pipe

// ANCHOR: fork
/// Forks. The child runs `work` and exits, so that it never returns into the
/// parent's code after `fork`; the parent gets the child's PID.
fn fork_child(work: impl FnOnce() -> Result<()>) -> Result<Pid> {
    io::stdout().flush()?; // else the child inherits unprinted output and prints it again
    // SAFETY: this program never starts a thread, so the child is a full copy
    // of a single-threaded process and may run any code.
    match unsafe { fork() }? {
        ForkResult::Parent { child } => Ok(child),
        ForkResult::Child => {
            let outcome = work().inspect_err(|err| eprintln!("child: {err:#}"));
            let _ = io::stdout().flush();
            std::process::exit(i32::from(outcome.is_err()))
        }
    }
}

/// Waits for a forked child, as Python's `join` does; an error unless it exited with 0.
fn join(child: Pid) -> Result<()> {
    match waitpid(child, None)? {
        WaitStatus::Exited(_, 0) => Ok(()),
        // It wrote to a closed stdout (`| head -1`): end as quietly as it did.
        WaitStatus::Signaled(_, Signal::SIGPIPE, _) => Ok(raise(Signal::SIGPIPE)?),
        WaitStatus::Exited(_, code) => bail!("child pid {child} exited with code {code}"),
        status => bail!("child pid {child} did not exit: {status:?}"),
    }
}
// ANCHOR_END: fork

fn main() -> Result<()> {
    sigpipe::reset();
    let args = Args::parse();
    set_in_child()?;
    assert_eq!(send_through_pipe(args.child_panics)?, 49);
    Ok(())
}

//! Does a child process's assignment reach its parent?
//!
//! The short post's multiprocessing version sets `result` in a child process
//! and prints `None` in the parent. With processes that really is separate
//! memory: after `fork`, the child runs in its own copy of the parent's address
//! space, and it writes into that copy. The fix sends the result back through
//! a pipe, made before the fork so that both processes hold its ends.
//!
//! Watch for: the child says it set `Some(49)`, then the parent, having waited
//! for it, still sees `None`; through the pipe the parent gets 49. Every PID
//! differs. Run with `--child-panics` to see a crashed child reported.

use std::io::{self, Read, Write};

use anyhow::{Context, Result};
use nix::unistd::{ForkResult, fork, getpid};
use process_toolkit::forked;

// ANCHOR: pitfall
fn set_in_child() -> Result<()> {
    let mut result: Option<i64> = None;
    println!("parent: pid {}, result is {result:?}", getpid());
    io::stdout().flush()?; // else the child inherits unprinted output and prints it again
    // SAFETY: this program never starts a thread, so the child is a full copy
    // of a single-threaded process and may run any code, not only
    // async-signal-safe functions.
    match unsafe { fork() }? {
        ForkResult::Child => in_child(|| {
            result = Some(7 * 7); // writes the child's copy of `result`
            println!("child: pid {}, set result to {result:?}", getpid());
            Ok(())
        }),
        ForkResult::Parent { child } => {
            forked::join(child)?;
            println!("parent: child pid {child} has exited; result is still {result:?}");
        }
    }
    Ok(())
}
// ANCHOR_END: pitfall

// ANCHOR: pipe
fn send_through_pipe(child_panics: bool) -> Result<i64> {
    let (mut reader, mut writer) = io::pipe()?; // before the fork: both processes get both ends
    io::stdout().flush()?;
    // SAFETY: as above, there is no other thread.
    match unsafe { fork() }? {
        ForkResult::Child => in_child(|| {
            let result = 7 * 7;
            if child_panics {
                panic!("the child crashed before it sent its result");
            }
            println!("child: pid {}, sending {result} through the pipe", getpid());
            writeln!(writer, "{result}")?;
            Ok(())
        }),
        ForkResult::Parent { child } => {
            // Close the parent's write end: reading ends at end-of-file only
            // once no process holds a write end, that is, once the child exited.
            drop(writer);
            let mut text = String::new();
            let read = reader.read_to_string(&mut text);
            forked::join(child)?; // a crashed child is reported here, before what it sent is parsed
            read?;
            let result = text.trim().parse().context("the child sent no number")?;
            println!("parent: received {result} from the pipe");
            Ok(result)
        }
    }
}
// ANCHOR_END: pipe

// ANCHOR: child
/// Runs `work` in the child and exits: the child must never return into the
/// parent's code that follows `fork`.
fn in_child(work: impl FnOnce() -> Result<()>) -> ! {
    let outcome = work();
    if let Err(err) = &outcome {
        eprintln!("child: {err:#}");
    }
    let _ = io::stdout().flush();
    std::process::exit(if outcome.is_ok() { 0 } else { 1 });
}

// ANCHOR_END: child

fn main() -> Result<()> {
    let child_panics = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--child-panics") => true,
        Some(other) => {
            eprintln!(
                "process-shared-result: unknown argument {other:?}\nusage: process-shared-result [--child-panics]"
            );
            std::process::exit(2);
        }
    };
    set_in_child()?;
    let result = send_through_pipe(child_panics)?;
    assert_eq!(result, 49);
    Ok(())
}

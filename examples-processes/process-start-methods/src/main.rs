//! What does a child process inherit from its parent?
//!
//! Python's `multiprocessing` starts a child by "fork" (a copy of the running
//! parent) or "spawn" (a fresh interpreter that imports the main module again).
//! In Rust: `fork` through nix, or re-executing this program, as the process
//! toolkit's workers do. The parent changes a global and opens a file, then
//! starts one child each way. What each way costs: see bench-overhead.
//!
//!     cargo run -p process-start-methods
//!
//! Watch for: the forked child sees the changed global and writes into the
//! parent's open file; the re-executed child sees the source's value, no file.

use std::fs;
use std::io::{self, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Result;
use clap::Parser;
use nix::unistd::{ForkResult, fork};
use process_toolkit::forked;
use process_toolkit::worker::{self, Worker};

/// What a forked child and a re-executed child inherit from their parent.
#[derive(Parser)]
struct Args {}

// ANCHOR: setting
/// Every run of the program starts with this value, as a Python module's globals do.
static SETTING: Mutex<&str> = Mutex::new("as written in the source");

fn setting() -> &'static str {
    *SETTING.lock().unwrap() // only a panic while it is held could poison it; none can
}
// ANCHOR_END: setting

// ANCHOR: fork
/// Forks: the child runs `in_child` and exits; the parent waits for it.
fn fork_and_wait(in_child: impl FnOnce() -> Result<()>) -> Result<()> {
    io::stdout().flush()?; // else the child's copy of the buffer would print it again
    // SAFETY: main forks before it starts any thread, so the child's copy of
    // memory holds no lock that a thread, missing in the child, was holding.
    match unsafe { fork() }? {
        ForkResult::Child => {
            let result = in_child().inspect_err(|err| eprintln!("fork child: {err:#}"));
            let _ = io::stdout().flush();
            // Exit here: returning would run the rest of the parent's program again.
            std::process::exit(i32::from(result.is_err()))
        }
        ForkResult::Parent { child } => Ok(forked::join(child)?),
    }
}
// ANCHOR_END: fork

// ANCHOR: worker
/// The re-executed program: a fresh start that knows only what it is told.
fn run_worker() -> Result<()> {
    let parent = worker::connect::<PathBuf, ()>()?;
    while let Some(file) = parent.next_job()? {
        report("re-executed child", &file)?;
    }
    Ok(())
}

/// What a child says: the SETTING it sees, and whether it has `file` open.
fn report(child: &str, file: &Path) -> Result<()> {
    println!("{child} sees SETTING = {:?}", setting());
    // Each entry of /proc/self/fd (Linux) is a link to what that descriptor refers to.
    let mut descriptors = fs::read_dir("/proc/self/fd")?.flatten();
    let open = descriptors.any(|fd| fs::read_link(fd.path()).is_ok_and(|to| to == file));
    println!("{child} has the parent's file open: {}", if open { "yes" } else { "no" });
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset();
    if worker::role().is_some() {
        return run_worker();
    }
    let Args {} = Args::parse();

    // Everything that forks comes first: Worker::start starts a thread, and a
    // process with threads must not fork.
    *SETTING.lock().unwrap() = "changed at run time";
    // A file with no name (O_TMPFILE): nothing is left behind, however the program ends.
    let mut file = tempfile::tempfile()?;
    // The link /proc shows for its descriptor, in any process: "/tmp/#1234 (deleted)".
    let link = fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
    writeln!(file, "parent: written before the split")?;
    println!("parent sets SETTING = {:?} and opens a file", setting());
    fork_and_wait(|| {
        report("fork child", &link)?;
        Ok(writeln!(&file, "fork child: written through the inherited descriptor")?)
    })?;

    let mut reporter = Worker::<PathBuf, ()>::start("report")?;
    reporter.send(link)?;
    reporter.join()?;
    // The fork child moved the offset it shares with this descriptor: this line goes last.
    writeln!(file, "parent: written after both children exited")?;
    file.rewind()?;
    println!("the file holds:");
    for line in io::read_to_string(&file)?.lines() {
        println!("  {line}");
    }
    Ok(())
}
// ANCHOR_END: main

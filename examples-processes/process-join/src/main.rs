//! The same foo/bar program, with processes instead of threads.
//!
//! Python's `multiprocessing.Process(target=foo, args=(3,))` starts a new
//! process that runs `foo`. Here the program starts itself twice more, as
//! workers in the role "count", and sends each one the name and number of steps
//! to count. `join` waits for a process to exit, as it waited for a thread.
//!
//! Watch for: three different PIDs, one per process (run `ps` in another
//! terminal while it counts). The output has the same guarantees as the thread
//! version: "foo finish" after "foo 2", "bar finish" last.

use std::thread;
use std::time::Duration;

use anyhow::{Result, bail};
use process_toolkit::pace;
use process_toolkit::worker::{self, Worker};

/// What a counting worker is told to do: its name and how many steps.
type Count = (String, u32);

// ANCHOR: worker
fn count(name: &str, steps: u32, step: Duration) {
    for i in 0..steps {
        println!("{name} {i}");
        thread::sleep(step);
    }
}

/// Runs in a worker process: one job, then exit.
fn run_worker(role: &str, step: Duration) -> Result<()> {
    if role != "count" {
        bail!("unknown worker role {role:?}");
    }
    let parent = worker::connect::<Count, ()>()?;
    if let Some((name, steps)) = parent.next_job()? {
        count(&name, steps, step);
    }
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: main
fn main() -> Result<()> {
    let step = pace::step()?;
    if let Some(role) = worker::role() {
        return run_worker(&role, step);
    }

    println!("main process: pid {}", std::process::id());
    let mut foo_process = Worker::<Count, ()>::start("count")?;
    let mut bar_process = Worker::<Count, ()>::start("count")?;
    println!("foo runs in pid {}, bar in pid {}", foo_process.pid(), bar_process.pid());
    foo_process.send(("foo".to_owned(), 3))?;
    bar_process.send(("bar".to_owned(), 5))?;

    foo_process.join()?; // waits for the foo process to exit; an error if it crashed
    println!("foo finish");
    bar_process.join()?;
    println!("bar finish");
    Ok(())
}
// ANCHOR_END: main

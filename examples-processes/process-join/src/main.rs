//! The foo/bar program of thread-join, with processes instead of threads.
//!
//! Python's `multiprocessing.Process(target=foo, args=(3,))` runs `foo` in a
//! new process; this program starts itself twice more, as workers in the role
//! "count", and sends each what to count. `join` waits for a process to exit.
//!
//!     cargo run -p process-join
//!
//! Watch for: three PIDs, one per process (see them in `ps` while it counts);
//! "foo finish" after "foo 2" and "bar finish" last, as with threads.

use std::thread;
use std::time::Duration;

use anyhow::Result;
use clap::{Parser, value_parser};
use process_toolkit::worker::{self, Worker};

/// Two worker processes counting steps, joined in order.
#[derive(Parser)]
struct Args {
    /// Milliseconds per step: the article sleeps one second.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: worker
type Count = (String, u32, Duration); // a worker's one job: name, steps, step length
/// Runs in each worker process: counts the one job it is sent, then exits.
fn count() -> Result<()> {
    let parent = worker::connect::<Count, ()>()?;
    let Some((name, steps, step)) = parent.next_job()? else { return Ok(()) };
    for i in 0..steps {
        println!("{name} {i}");
        thread::sleep(step);
    }
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset();
    if worker::role().is_some() {
        return count(); // this process is one of the two workers
    }
    let step = Duration::from_millis(Args::parse().step_ms);
    println!("main process: pid {}", std::process::id());
    let mut foo_process = Worker::<Count, ()>::start("count")?;
    let mut bar_process = Worker::<Count, ()>::start("count")?;
    println!("foo runs in pid {}, bar in pid {}", foo_process.pid(), bar_process.pid());
    foo_process.send(("foo".to_owned(), 3, step))?;
    bar_process.send(("bar".to_owned(), 5, step))?;
    foo_process.join()?; // waits for the foo process to exit; an error if it crashed
    println!("foo finish");
    bar_process.join()?;
    println!("bar finish");
    Ok(())
}
// ANCHOR_END: main

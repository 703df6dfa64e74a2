//! The foo/bar program of thread-join, with processes instead of threads.
//!
//! Python's `multiprocessing.Process(target=foo, args=(3,))` starts a new
//! process that runs `foo`. Here the program starts itself twice more, as
//! workers in the role "count", and tells each what to count. `join` waits
//! for a process to exit, as it waited for a thread.
//!
//!     cargo run -p process-join
//!
//! Watch for: three different PIDs, one per process (run `ps` in another
//! terminal while it counts). The guarantees are thread-join's: "foo finish"
//! after "foo 2", "bar finish" last.

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
/// A worker's one job: its name, its number of steps, and how long a step lasts.
type Count = (String, u32, Duration);

/// Runs in a worker process: the one job it is sent, then exit.
fn count() -> Result<()> {
    let parent = worker::connect::<Count, ()>()?;
    if let Some((name, steps, step)) = parent.next_job()? {
        for i in 0..steps {
            println!("{name} {i}");
            thread::sleep(step);
        }
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

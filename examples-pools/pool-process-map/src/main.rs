//! The thread pool's `map`, on a pool of worker processes.
//!
//! The first article swaps `ThreadPoolExecutor` for `ProcessPoolExecutor` and
//! says the output stays the same. Here the swap is to the process toolkit's
//! `ProcessPool`: eight worker processes, each this program started again,
//! square the numbers 1 to 10, each taking one step.
//!
//!     cargo run -p pool-process-map
//!
//! Watch for: the same lines as the thread version, the job lines now printed
//! by eight processes. The squares come back in input order, though the jobs
//! finish in any order; ten jobs on eight workers take two steps.

use std::thread;
use std::time::Duration;

use anyhow::Result;
use clap::{Parser, value_parser};
use process_toolkit::pool::{self, Executor, ProcessPool};

// ANCHOR: square
type Job = (u64, Duration); // a number, and the step: workers get no command-line options

/// Runs in a worker process: a slow square, one step long.
fn square((a, step): Job) -> u64 {
    // Only these two lines show when a job runs: the list shows none of it.
    println!("start square({a})");
    thread::sleep(step);
    println!("finish square({a})");
    a * a
}
// ANCHOR_END: square

// ANCHOR: main
/// The squares of 1 to 10 on a pool of 8 worker processes, in input order.
#[derive(Parser)]
struct Args {
    /// Milliseconds per step: the article sleeps one second.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

fn main() -> Result<()> {
    sigpipe::reset();
    pool::serve_if_worker(square); // in a worker process: serve jobs, then exit
    let step = Duration::from_millis(Args::parse().step_ms); // a bad step stops us here
    let workers = ProcessPool::new(8, square)?;
    let squares = workers.map((1..=10).map(|a| (a, step)))?;
    println!("{squares:?}");
    drop(workers); // like the end of Python's `with` block: the workers exit
    println!("Finish");
    Ok(())
}
// ANCHOR_END: main

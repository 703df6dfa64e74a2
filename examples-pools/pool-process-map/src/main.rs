//! The thread pool's `map`, on a pool of worker processes.
//!
//! The first article swaps `ThreadPoolExecutor` for `ProcessPoolExecutor` and
//! says the output stays the same. Here the swap is to the process toolkit's
//! `ProcessPool`: eight worker processes, each this program started again,
//! square the numbers 1 to 10, each taking one step.
//!
//! Watch for: the same two lines as the thread version. The squares come back
//! in input order, though the workers finish in any order; ten jobs on eight
//! workers take two steps.

use std::thread;

use anyhow::Result;
use process_toolkit::pace;
use process_toolkit::pool::{self, Executor, ProcessPool};

// ANCHOR: square
/// Runs in a worker process: a slow square, one step long.
fn square(a: u64) -> u64 {
    // A worker reads the step itself: it is another process, with its own copy
    // of the environment (STEP_MS included).
    thread::sleep(pace::step().unwrap_or(pace::DEFAULT_STEP));
    a * a
}
// ANCHOR_END: square

// ANCHOR: main
fn main() -> Result<()> {
    pool::serve_if_worker(square); // in a worker process: serve jobs, then exit
    pace::step()?; // a bad STEP_MS is reported here, once, not in every worker

    let workers = ProcessPool::new(8, square)?;
    let squares = workers.map(1..=10)?;
    println!("{squares:?}");
    drop(workers); // like the end of Python's `with` block: the workers exit
    println!("Finish");
    Ok(())
}
// ANCHOR_END: main

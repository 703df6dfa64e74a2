//! What does the book's own process pool do when a worker dies in the middle of a map?
//!
//! The comparison for `cluster-pool-map`: the same squares on the process
//! toolkit's `ProcessPool` (`shared/` in this book), two worker processes on
//! one machine. Python's `ProcessPoolExecutor` would raise
//! `BrokenProcessPool` for every job still pending; this pool, like a
//! supervisor, fails only the job whose worker died and starts a new worker.
//!
//! Run it: `cargo run --bin toolkit-pool-map -- 1 2 3 4 5 4294967296 7 8 9 10`
//! (copy `shared/` along, to the same relative place).
//!
//! Watch for: 4294967296 squared does not fit in 64 bits, so its worker
//! ends its process; that one job fails, every other number is squared, and
//! the pool has started three workers: the two it began with and one
//! replacement.

use std::thread;
use std::time::Duration;

use anyhow::Result;
use clap::{Parser, value_parser};
use process_toolkit::pool::{self, Executor, ProcessPool};

#[derive(Parser)]
#[command(about = "map(square, ...) on the process toolkit's pool, when a worker dies")]
struct Args {
    /// The numbers to square (default: 1 to 10).
    numbers: Vec<u64>,
    /// Milliseconds per step: each square takes one, as the articles sleep one second.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: square
/// Runs in a worker process. The step travels with the job: a worker is
/// another process, which never saw the parent's command line.
fn square((number, step_ms): (u64, u64)) -> u64 {
    thread::sleep(Duration::from_millis(step_ms));
    // The toolkit catches a panic and keeps its worker, so to compare with
    // the MPI rank this worker dies outright when the square does not fit.
    number.checked_mul(number).unwrap_or_else(|| std::process::abort())
}
// ANCHOR_END: square

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset();
    pool::serve_if_worker(square); // in a worker process: serve jobs, then exit
    let mut args = Args::parse();
    if args.numbers.is_empty() {
        args.numbers = (1..=10).collect();
    }
    let workers = ProcessPool::new(2, square)?;
    let pending: Vec<_> = (args.numbers.iter())
        .map(|&number| (number, workers.submit((number, args.step_ms))))
        .collect();
    for (number, square) in pending {
        match square.wait() {
            Ok(square) => println!("{number} squared: {square}"),
            Err(err) => println!("{number} failed: {err:#}"),
        }
    }
    println!("workers started: {}", workers.pids().len());
    drop(workers); // the workers finish what was queued, then exit
    println!("Finish");
    Ok(())
}
// ANCHOR_END: main

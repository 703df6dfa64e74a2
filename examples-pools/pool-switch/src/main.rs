//! Threads or processes: can one program switch by changing a line?
//!
//! Python's `concurrent.futures`: code written against an `Executor` runs on
//! threads or on processes. Here `demo` knows only the `Executor` interface,
//! and `main` runs it on a thread pool, then on a process pool.
//!
//!     cargo run -p pool-switch
//!
//! Watch for: the same answers; only the last line of each part tells them apart.

use std::thread;
use std::time::Duration;

use anyhow::Result;
use clap::{Parser, value_parser};
use process_toolkit::pool::{self, Executor, ProcessPool, ThreadPool};

// ANCHOR: job
type Job = (u64, Duration); // n, and the step: workers get no command-line options
type Answer = (u64, u32); // the square, and the PID of the process that computed it

/// Job `n` takes `4 - n % 4` steps, so the first jobs submitted finish last.
fn slow_square((n, step): Job) -> Answer {
    thread::sleep(step * (4 - n % 4) as u32);
    (n * n, std::process::id())
}
// ANCHOR_END: job

// ANCHOR: demo
fn demo(kind: &str, pool: &impl Executor<Job, Answer>, step: Duration) -> Result<()> {
    println!("-- on a {kind} pool --");
    println!("submit(7) gives {}", pool.submit((7, step)).wait()?.0);
    for (index, answer) in pool.as_completed((0..4).map(|n| (n, step))) {
        println!("as_completed: job {index} finished with {}", answer?.0);
    }
    let answers = pool.map((1..=8).map(|n| (n, step)))?;
    println!("map(1..=8) gives {:?}", answers.iter().map(|a| a.0).collect::<Vec<_>>());
    let here = answers.iter().filter(|(_, pid)| *pid == std::process::id()).count();
    println!("jobs that ran in this program's own process: {here} of {}", answers.len());
    Ok(())
}
// ANCHOR_END: demo

// ANCHOR: main
/// The same jobs on a thread pool, then on a process pool.
#[derive(Parser)]
struct Args {
    /// Milliseconds per step: the articles sleep one second.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

fn main() -> Result<()> {
    sigpipe::reset();
    pool::serve_if_worker(slow_square); // in a pool's worker process: serve jobs, exit
    let step = Duration::from_millis(Args::parse().step_ms); // a bad step stops us here
    demo("thread", &ThreadPool::new(4, slow_square), step)?;
    demo("process", &ProcessPool::new(4, slow_square)?, step)
}
// ANCHOR_END: main

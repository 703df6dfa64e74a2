//! Threads or processes: can one program switch by changing a line?
//!
//! The Q&A thread's point about `concurrent.futures`: code written against an
//! `Executor` runs on threads or on processes, and switching is one line. The
//! same holds here. `demo` only knows the `Executor` interface; `main` runs it
//! on a thread pool, then on a process pool, and the two calls differ in the
//! line that builds the pool.
//!
//!     cargo run -p pool-switch
//!
//! Watch for: the same answers from both pools. `as_completed` yields jobs in
//! the order they finish (the longest job was submitted first); `map` keeps
//! input order. Only the last line of each part tells the pools apart.

use std::thread;
use std::time::Duration;

use anyhow::Result;
use clap::{Parser, value_parser};
use process_toolkit::pool::{self, Executor, ProcessPool, ThreadPool};

// ANCHOR: job
/// A job's answer: the square, and the process that computed it.
type Answer = (u64, u32);

/// Job `n` takes `4 - n % 4` steps, so the first jobs submitted finish last.
fn slow_square(n: u64) -> Answer {
    // In a worker process the parent's variables are out of reach: the step
    // comes from this process's own copy of the environment.
    let step_ms: u64 = std::env::var("STEP_MS").expect("set by main").parse().unwrap();
    thread::sleep(Duration::from_millis(step_ms) * (4 - n % 4) as u32);
    (n * n, std::process::id())
}
// ANCHOR_END: job

// ANCHOR: demo
fn demo(pool: &impl Executor<u64, Answer>) -> Result<()> {
    let seven = pool.submit(7);
    println!("submit(7) gives {}", seven.wait()?.0);

    for (index, answer) in pool.as_completed(0..4) {
        println!("as_completed: job {index} finished with {}", answer?.0);
    }

    let answers = pool.map(1..=8)?;
    let squares: Vec<u64> = answers.iter().map(|(square, _)| *square).collect();
    println!("map(1..=8) gives {squares:?}");

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
    pool::serve_if_worker(slow_square); // in a process pool's worker: serve jobs, then exit
    let args = Args::parse(); // a bad STEP_MS stops the program here, before any worker starts
    // Workers start with a copy of this environment, so the step goes there,
    // wherever it came from. SAFETY: no other thread runs yet.
    unsafe { std::env::set_var("STEP_MS", args.step_ms.to_string()) };

    println!("-- on a thread pool --");
    let pool = ThreadPool::new(4, slow_square);
    demo(&pool)?;

    println!("-- on a process pool --");
    let pool = ProcessPool::new(4, slow_square)?;
    demo(&pool)
}
// ANCHOR_END: main

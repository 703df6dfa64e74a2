//! Threads or processes: can one program switch by changing a line?
//!
//! The Q&A thread's point about `concurrent.futures`: code written against an
//! `Executor` runs on threads or on processes, and switching is one line. The
//! same holds here. `demo` only knows the `Executor` interface; `main` runs it
//! on a thread pool, then on a process pool, and the two calls differ in the
//! line that builds the pool.
//!
//! Watch for: the same answers from both pools. `as_completed` yields jobs in
//! the order they finish (the longest job was submitted first); `map` keeps
//! input order. Only the last line of each part tells the pools apart.

use std::thread;

use anyhow::Result;
use process_toolkit::pace;
use process_toolkit::pool::{self, Executor, ProcessPool, ThreadPool};

/// A job's answer: the square, and the process that computed it.
type Answer = (u64, u32);

// ANCHOR: job
/// Job `n` takes `4 - n % 4` steps, so the first jobs submitted finish last.
fn slow_square(n: u64) -> Answer {
    let step = pace::step().unwrap_or(pace::DEFAULT_STEP);
    thread::sleep(step * (4 - n % 4) as u32);
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

fn main() -> Result<()> {
    pool::serve_if_worker(slow_square);
    pace::step()?;

    println!("-- on a thread pool --");
    // ANCHOR: threads
    let pool = ThreadPool::new(4, slow_square);
    // ANCHOR_END: threads
    demo(&pool)?;

    println!("-- on a process pool --");
    // ANCHOR: processes
    let pool = ProcessPool::new(4, slow_square)?;
    // ANCHOR_END: processes
    demo(&pool)?;
    Ok(())
}

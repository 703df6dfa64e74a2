//! How do you queue many jobs and let only 4 of them run at once, the rest
//! waiting their turn?
//!
//! The Q&A's question, answered as Python answers it: a pool with 4 workers,
//! `ThreadPoolExecutor(max_workers=4)`. Here it is the `threadpool` crate:
//! `execute` puts a job on the pool's queue, and each of the 4 threads takes
//! the next job from that queue whenever it is free. Ten jobs of 1 to 3 steps go
//! in; each says when it starts and finishes, and how many jobs were running
//! just after it counted itself in or out.
//!
//!     cargo run -p pool-bounded-queue
//!     cargo run -p pool-bounded-queue -- --workers 2
//!
//! Watch for: never more than 4 running; once 4 run, a job starts only after
//! one of them has finished; the peak at the end. Which job starts next when
//! two finish together, and the exact counts, change from run to run.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::thread;
use std::time::Duration;

use anyhow::{Result, bail};
use clap::{Parser, value_parser};
use threadpool::ThreadPool;

// ANCHOR: running
/// How many jobs are running now, and the most that ever were at once.
static RUNNING: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// How long each job runs, in steps: job 1 takes 3, job 2 takes 1, and so on.
const JOB_STEPS: [u32; 10] = [3, 1, 2, 1, 3, 2, 1, 2, 1, 2];
// ANCHOR_END: running

// ANCHOR: run_jobs
/// Runs every job on a pool of `workers` threads; returns the peak.
fn run_jobs(workers: usize, step: Duration) -> Result<usize> {
    let pool = ThreadPool::new(workers);
    for (job, steps) in (1..).zip(JOB_STEPS) {
        // execute() returns at once: the job waits in the queue for a free thread.
        pool.execute(move || {
            // Each fetch_ is one indivisible step: no two jobs count the same number.
            let now = RUNNING.fetch_add(1, Relaxed) + 1;
            PEAK.fetch_max(now, Relaxed);
            println!("start job {job} (running: {now})");
            thread::sleep(step * steps);
            println!("finish job {job} (running: {})", RUNNING.fetch_sub(1, Relaxed) - 1);
        });
    }
    pool.join(); // waits until the queue is empty and no job runs, like the end of `with`
    if pool.panic_count() > 0 {
        bail!("{} jobs panicked", pool.panic_count());
    }
    Ok(PEAK.load(Relaxed))
}
// ANCHOR_END: run_jobs

// ANCHOR: main
/// Ten jobs queued on a pool of threads: at most `--workers` run at once.
#[derive(Parser)]
struct Args {
    /// How many threads the pool has, so how many jobs run at once.
    #[arg(long, default_value_t = 4, value_parser = value_parser!(u16).range(1..=100))]
    workers: u16,
    /// Milliseconds per step: the articles sleep one second.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

fn main() -> Result<()> {
    sigpipe::reset();
    let args = Args::parse(); // --workers 0 or 100000 stops here: a pool has 1 to 100 threads
    let workers = usize::from(args.workers);
    println!("{} jobs, at most {workers} running at once", JOB_STEPS.len());
    let peak = run_jobs(workers, Duration::from_millis(args.step_ms))?;
    println!("peak: {peak} running at once (limit {workers})");
    Ok(())
}
// ANCHOR_END: main

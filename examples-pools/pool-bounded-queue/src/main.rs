//! How do you queue many jobs and let only 4 of them run at once?
//!
//! Python's answer is `ThreadPoolExecutor(max_workers=4)`, here the `threadpool`
//! crate: `execute` queues a job, and each pool thread takes the next one when
//! it is free. Ten jobs print when they start and finish, and how many run.
//!
//!     cargo run -p pool-bounded-queue -- --workers 2
//!
//! Watch for: never more than 4 running, a job starting only as another ends,
//! the peak at the end. Which job goes next, and the counts, vary by run.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Duration;

use anyhow::{Result, ensure};
use clap::{Parser, value_parser};
use threadpool::ThreadPool;

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

// ANCHOR: running
/// How many jobs are running now, and the most that ever were at once.
static RUNNING: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
const JOB_STEPS: [u32; 10] = [3, 1, 2, 1, 3, 2, 1, 2, 1, 2]; // steps per job, from job 1
// ANCHOR_END: running

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset();
    let args = Args::parse(); // --workers 0 or 100000 stops here: a pool has 1 to 100 threads
    let (workers, step) =
        (usize::from(args.workers), Duration::from_millis(args.step_ms));
    println!("{} jobs, at most {workers} running at once", JOB_STEPS.len());
    let pool = ThreadPool::new(workers);
    for (job, steps) in (1..).zip(JOB_STEPS) {
        // execute() returns at once: the job waits in the queue for a free thread.
        pool.execute(move || {
            let now = RUNNING.fetch_add(1, Relaxed) + 1;
            PEAK.fetch_max(now, Relaxed);
            println!("start job {job} (running: {now})");
            std::thread::sleep(step * steps);
            println!("finish job {job} (running: {})", RUNNING.fetch_sub(1, Relaxed) - 1);
        });
    }
    pool.join(); // waits until the queue is empty and no job runs, like the end of `with`
    ensure!(pool.panic_count() == 0, "{} jobs panicked", pool.panic_count());
    println!("peak: {} running at once (limit {workers})", PEAK.load(Relaxed));
    Ok(())
}
// ANCHOR_END: main

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
//! Watch for: never more than 4 running; once 4 run, a job starts only after
//! one of them has finished; the peak at the end. Which job starts next when
//! two finish together, and the exact counts, change from run to run.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::thread;
use std::time::Duration;

use anyhow::{Result, bail};
use process_toolkit::pace;
use threadpool::ThreadPool;

/// How long each job runs, in steps: job 1 takes 3, job 2 takes 1, and so on.
const JOB_STEPS: [u32; 10] = [3, 1, 2, 1, 3, 2, 1, 2, 1, 2];

const DEFAULT_WORKERS: usize = 4;
const USAGE: &str = "usage: pool-bounded-queue [--workers N]   (N >= 1, default 4)";

// ANCHOR: running
/// How many jobs are running now, and the most that ever were at once.
#[derive(Default)]
struct Running {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl Running {
    /// Counts a job in; returns the count with it included. Each `fetch_`
    /// call is one indivisible step, so no two jobs ever get the same answer.
    fn enter(&self) -> usize {
        let now = self.now.fetch_add(1, Relaxed) + 1;
        self.peak.fetch_max(now, Relaxed);
        now
    }

    /// Counts a job out; returns the count without it.
    fn leave(&self) -> usize {
        self.now.fetch_sub(1, Relaxed) - 1
    }
}
// ANCHOR_END: running

// ANCHOR: run_jobs
/// Runs every job on a pool of `workers` threads; returns the peak.
fn run_jobs(workers: usize, step: Duration) -> Result<usize> {
    let pool = ThreadPool::new(workers);
    let running = Arc::new(Running::default());
    for (job, steps) in (1..).zip(JOB_STEPS) {
        let running = Arc::clone(&running);
        // execute() returns at once: the job waits in the queue for a free thread.
        pool.execute(move || {
            println!("start job {job} (running: {})", running.enter());
            thread::sleep(step * steps);
            println!("finish job {job} (running: {})", running.leave());
        });
    }
    pool.join(); // waits until the queue is empty and no job runs, like the end of `with`
    if pool.panic_count() > 0 {
        bail!("{} jobs panicked", pool.panic_count());
    }
    Ok(running.peak.load(Relaxed))
}
// ANCHOR_END: run_jobs

/// Reads `--workers N` by hand: one option is not worth a dependency.
fn parse_workers(args: &[String]) -> Result<usize, String> {
    match args {
        [] => Ok(DEFAULT_WORKERS),
        [flag, number] if flag == "--workers" => match number.parse() {
            Ok(workers) if workers >= 1 => Ok(workers),
            _ => Err(format!(
                "--workers needs a whole number of at least 1, not {number:?}"
            )),
        },
        _ => Err(format!("unexpected arguments {args:?}")),
    }
}

// ANCHOR: main
fn main() -> Result<()> {
    let step = pace::step()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let workers = parse_workers(&args).unwrap_or_else(|message| {
        eprintln!("pool-bounded-queue: {message}\n{USAGE}");
        std::process::exit(2);
    });
    println!("{} jobs, at most {workers} running at once", JOB_STEPS.len());
    let peak = run_jobs(workers, step)?;
    println!("peak: {peak} running at once (limit {workers})");
    assert!(peak <= workers, "{peak} jobs ran at once, more than {workers}");
    Ok(())
}
// ANCHOR_END: main

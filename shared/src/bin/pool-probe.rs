//! A program for the toolkit's own tests: a process pool with one job that
//! hangs until the test kills its worker.
//!
//! `pool-probe` runs jobs 0 to 7 on two worker processes. Job 3 announces
//! "job 3 runs in pid N" and sleeps until killed; the others return their
//! square. It prints each result as it completes, then, after dropping the
//! pool, every worker PID it ever had, as `pids()` said it twice.

use std::time::Duration;

use anyhow::Result;
use process_toolkit::pool::{self, Executor, ProcessPool};

const STUCK_JOB: u64 = 3;

fn square_or_hang(n: u64) -> u64 {
    if n == STUCK_JOB {
        println!("job {n} runs in pid {}", std::process::id());
        std::thread::sleep(Duration::from_secs(3600));
    }
    n * n
}

fn main() -> Result<()> {
    pool::serve_if_worker(square_or_hang);
    let pool = ProcessPool::new(2, square_or_hang)?;
    let mut results: Vec<(usize, String)> = pool
        .as_completed(0..8)
        .map(|(index, result)| match result {
            Ok(square) => (index, format!("{square}")),
            Err(err) => (index, format!("error: {err:#}")),
        })
        .collect();
    results.sort();
    for (index, result) in results {
        println!("result {index}: {result}");
    }
    let (pids, again) = (pool.pids(), pool.pids());
    drop(pool);
    let words =
        |pids: Vec<u32>| pids.iter().map(u32::to_string).collect::<Vec<_>>().join(" ");
    println!("worker pids: {}", words(pids));
    println!("pids() again: {}", words(again));
    Ok(())
}

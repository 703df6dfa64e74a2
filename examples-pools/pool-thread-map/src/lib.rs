//! What both programs of pool-thread-map share: their command line, and the
//! job they run over the numbers 1 to 10 on a pool of `WORKERS` threads, the
//! first article's `square`, a step slow.

use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};

/// The squares of 1 to 10 on a pool of 8 threads, in input order.
#[derive(Parser)]
pub struct Args {
    /// Milliseconds per step: the article sleeps one second.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    pub step_ms: u64,
}

// ANCHOR: square
/// `max_workers=8`, as in the article.
pub const WORKERS: usize = 8;

/// One job: a step of pretend work (the article's `time.sleep(1)`), then the answer.
pub fn square(a: u64, step: Duration) -> u64 {
    // Only these two lines show when a job runs: the list shows none of it.
    println!("start square({a})");
    thread::sleep(step);
    println!("finish square({a})");
    a * a
}
// ANCHOR_END: square

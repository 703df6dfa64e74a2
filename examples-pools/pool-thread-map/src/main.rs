//! How do you run one function over a list on a fixed number of threads, and
//! get the results back in the order of the list?
//!
//! Python's answer is `ThreadPoolExecutor(max_workers=8).map(square, data)`.
//! The direct translation uses the `threadpool` crate: 8 threads, one job
//! queued per item, and one channel per job to bring its result back. With
//! `--rayon`, the idiomatic Rust version: a parallel iterator.
//!
//!     cargo run -p pool-thread-map
//!     cargo run -p pool-thread-map -- --rayon
//!
//! Watch for: eight jobs start at once and the last two wait for a free
//! thread, so the ten jobs take two steps. They start and finish in no
//! particular order, yet the list is always in input order, then `Finish`.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use anyhow::Result;
use clap::{Parser, value_parser};
use rayon::prelude::*;
use threadpool::ThreadPool;

// ANCHOR: square
/// `max_workers=8`, as in the article.
const WORKERS: usize = 8;

/// One job: a step of pretend work (the article's `time.sleep(1)`), then the answer.
fn square(a: u64, step: Duration) -> u64 {
    // Only these two lines show when a job runs: the list shows none of it.
    println!("start square({a})");
    thread::sleep(step);
    println!("finish square({a})");
    a * a
}
// ANCHOR_END: square

// ANCHOR: threadpool
/// `executor.map(square, 1..=10)` by hand: queue every job, then wait for the
/// results one by one, in input order.
fn map_on_threadpool(step: Duration) -> Result<Vec<u64>> {
    let pool = ThreadPool::new(WORKERS);
    // One channel per job plays the part of the Future that Python's map keeps
    // for each item: the job sends its one result into it.
    let receivers: Vec<mpsc::Receiver<u64>> = (1..=10)
        .map(|a| {
            let (sender, receiver) = mpsc::channel();
            // execute() only queues the job; one of the 8 threads runs it when free.
            pool.execute(move || {
                let _ = sender.send(square(a, step)); // fails only if nobody waits any more
            });
            receiver
        })
        .collect();
    // Receiving in input order keeps the order: a result that is ready early
    // waits in its channel for its turn. A job that panicked never sends, and
    // its recv() is an error instead of a wait forever.
    Ok(receivers.iter().map(mpsc::Receiver::recv).collect::<Result<_, _>>()?)
}
// ANCHOR_END: threadpool

// ANCHOR: rayon
/// The same with rayon: a parallel iterator, on a pool of 8 threads.
fn map_with_rayon(step: Duration) -> Result<Vec<u64>> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(WORKERS).build()?;
    // collect() puts each result at its item's position, whichever thread ran it.
    Ok(pool.install(|| (1..=10).into_par_iter().map(|a| square(a, step)).collect()))
}
// ANCHOR_END: rayon

// ANCHOR: main
/// The squares of 1 to 10 on a pool of 8 threads, in input order.
#[derive(Parser)]
struct Args {
    /// Map with a rayon parallel iterator instead of the threadpool crate.
    #[arg(long)]
    rayon: bool,
    /// Milliseconds per step: the article sleeps one second.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

fn main() -> Result<()> {
    sigpipe::reset();
    let args = Args::parse();
    let step = Duration::from_millis(args.step_ms);
    let squares =
        if args.rayon { map_with_rayon(step)? } else { map_on_threadpool(step)? };
    println!("{squares:?}"); // a Vec prints like a Python list
    println!("Finish");
    Ok(())
}
// ANCHOR_END: main

//! How do you run one function over a list on a fixed number of threads, and
//! get the results back in the order of the list?
//!
//! Python's answer is `ThreadPoolExecutor(max_workers=8).map(square, data)`.
//! The direct translation uses the `threadpool` crate: 8 threads, one job
//! queued per item, one channel per job to bring its result back. The
//! idiomatic Rust version, a rayon parallel iterator, is the second program.
//!
//!     cargo run -p pool-thread-map
//!     cargo run -p pool-thread-map --bin pool-thread-map-rayon
//!
//! Watch for: eight jobs start at once and the last two wait for a free
//! thread, so the ten jobs take two steps. They start and finish in no
//! particular order, yet the list is always in input order, then `Finish`.

use std::sync::mpsc;
use std::time::Duration;

use anyhow::Result;
use clap::Parser;
use pool_thread_map::{Args, WORKERS, square};
use threadpool::ThreadPool;

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    let pool = ThreadPool::new(WORKERS);
    // `executor.map(square, 1..=10)` by hand. A channel per job plays the part
    // of the Future that Python's map keeps for each item.
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
    let squares: Vec<u64> =
        receivers.iter().map(mpsc::Receiver::recv).collect::<Result<_, _>>()?;
    println!("{squares:?}"); // a Vec prints like a Python list
    println!("Finish");
    Ok(())
}
// ANCHOR_END: main

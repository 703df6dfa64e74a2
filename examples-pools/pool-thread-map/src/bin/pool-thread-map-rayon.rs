//! pool-thread-map the way Rust programs usually spread work over threads: a
//! rayon parallel iterator, on a pool of 8 threads.
//!
//!     cargo run -p pool-thread-map --bin pool-thread-map-rayon
//!
//! Watch for: the lines of the threadpool version; which two jobs wait for a
//! free thread depends on how rayon split the range.

use std::time::Duration;

use anyhow::Result;
use clap::Parser;
use pool_thread_map::{Args, WORKERS, square};
use rayon::prelude::*;

// ANCHOR: rayon
fn main() -> Result<()> {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(WORKERS).build()?;
    // collect() puts each result at its item's position, whichever thread ran it.
    let squares: Vec<u64> =
        pool.install(|| (1..=10).into_par_iter().map(|a| square(a, step)).collect());
    println!("{squares:?}");
    println!("Finish");
    Ok(())
}
// ANCHOR_END: rayon

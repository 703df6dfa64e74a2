//! Can processes count into one shared map?
//!
//! No: a worker process has memory of its own. Four workers each count their
//! chunk of the twelve fetches in a map of their own and return it, serialized
//! as Python pickles a returned `Counter`, and the parent merges the maps.
//!
//!     cargo run -p sync-shared-counter --bin sync-shared-counter-processes
//!
//! Watch for: the chunks come back in the order they were handed out, because
//! `map` keeps the order of its jobs; the counts are the threads' counts.

use std::collections::BTreeMap;
use std::thread;
use std::time::Duration;

use anyhow::Result;
use clap::{Parser, value_parser};
use process_toolkit::pool::{self, Executor, ProcessPool};

/// Twelve fetches counted by four worker processes, merged by the parent.
#[derive(Parser)]
struct Args {
    /// Milliseconds per fetch.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

/// The pages fetched, with repeats: one line of three per worker.
#[rustfmt::skip]
const FETCHED: [&str; 12] = [
    "example.com", "python.org", "example.com",
    "rust-lang.org", "example.com", "docs.rs",
    "python.org", "example.com", "crates.io",
    "rust-lang.org", "python.org", "example.com",
];

// ANCHOR: processes
/// Runs in a worker process: counts one chunk in a map of its own, and returns it.
fn count_chunk((chunk, step): (Vec<String>, Duration)) -> BTreeMap<String, u32> {
    let mut counts = BTreeMap::new(); // Python's Counter, sorted by page
    for page in chunk {
        thread::sleep(step); // the request
        *counts.entry(page).or_default() += 1; // nobody else can see this map: no lock
    }
    counts
}

fn main() -> Result<()> {
    sigpipe::reset();
    pool::serve_if_worker(count_chunk); // in a worker process: count chunks, then exit
    let step = Duration::from_millis(Args::parse().step_ms);
    let pool = ProcessPool::new(4, count_chunk)?;
    let chunks =
        FETCHED.chunks(3).map(|chunk| chunk.iter().map(|p| p.to_string()).collect());
    // Each worker's map travels back as a message (serialized, like a pickled Counter).
    let replies = pool.map(chunks.map(|chunk| (chunk, step)))?;
    let mut merged = BTreeMap::<String, u32>::new();
    for (number, counts) in (1..).zip(replies) {
        println!("chunk {number} from a worker process: {counts:?}");
        for (page, count) in counts {
            *merged.entry(page).or_default() += count;
        }
    }
    println!("4 processes counted apart, merged: {merged:?}");
    Ok(())
}
// ANCHOR_END: processes

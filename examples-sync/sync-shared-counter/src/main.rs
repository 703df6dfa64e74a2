//! Can threads count into one shared map?
//!
//! The in-depth guide counts fetched pages in one `collections.Counter` that a
//! pool's threads share, and calls it thread-safe. Here four threads count
//! twelve fetches into one `Mutex<BTreeMap>`; without the lock, the compiler
//! refuses (tests/compile-fail/). Processes, which share nothing, count apart:
//! src/bin/sync-shared-counter-processes.rs.
//!
//!     cargo run -p sync-shared-counter
//!
//! Watch for: every fetch counted, on every run, in whatever order the threads ran.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};

/// Twelve fetches counted by four threads in one map.
#[derive(Parser)]
struct Args {
    /// Milliseconds per fetch.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: fetched
/// The pages fetched, with repeats: one line of three per worker.
#[rustfmt::skip]
const FETCHED: [&str; 12] = [
    "example.com", "python.org", "example.com",
    "rust-lang.org", "example.com", "docs.rs",
    "python.org", "example.com", "crates.io",
    "rust-lang.org", "python.org", "example.com",
];
// ANCHOR_END: fetched

// ANCHOR: threads
fn main() {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    // Python's Counter: how many times each page was fetched, sorted by page.
    let shared = Mutex::new(BTreeMap::new());
    // Scoped threads may borrow `shared`: the scope ends only after every thread has.
    thread::scope(|scope| {
        for chunk in FETCHED.chunks(3) {
            let shared = &shared;
            scope.spawn(move || {
                for page in chunk {
                    thread::sleep(step); // the request: slow, and it needs no lock
                    let mut counts = shared.lock().unwrap();
                    *counts.entry(*page).or_insert(0) += 1;
                } // the guard `counts` is dropped here: locked for the update only
            });
        }
    });
    println!("4 threads counted into one map: {:?}", shared.into_inner().unwrap());
}
// ANCHOR_END: threads

//! How do you fix a lost update?
//!
//! The racy counter of sync-race loads, adds and stores in separate steps, and
//! another thread can store in between. The fixes make the read and the write
//! one step: an atomic `fetch_add`, or a `Mutex` whose guard is held from the
//! read to the write, Python's `with lock:`.
//!
//!     cargo run -p sync-race --bin sync-race-fixed
//!
//! Watch for: both totals equal the expected total, on every run.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Barrier, Mutex};
use std::thread;

use clap::{Parser, value_parser};

/// Four threads add 1 to one counter, with fetch_add and with a Mutex.
#[derive(Parser)]
struct Args {
    /// How many times each thread adds 1.
    #[arg(long, default_value_t = 1_000_000, value_parser = value_parser!(u64).range(1..=100_000_000))]
    increments: u64,
}

/// Runs `add_one` `increments` times on each of four threads, started together.
fn on_four_threads(increments: u64, add_one: impl Fn() + Sync) {
    let start = Barrier::new(4);
    thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                start.wait();
                (0..increments).for_each(|_| add_one());
            });
        }
    });
}

// ANCHOR: fixed
fn main() {
    sigpipe::reset();
    let increments = Args::parse().increments;
    println!(
        "4 threads add 1, {increments} times each: expected total {}",
        4 * increments
    );
    let counter = AtomicU64::new(0);
    // Read, add and write in one indivisible step (it returns the old value).
    on_four_threads(increments, || {
        counter.fetch_add(1, Relaxed);
    });
    println!("fetch_add:         total {}", counter.into_inner());
    let counter = Mutex::new(0);
    // The guard is held from the read to the write: nobody can get in between.
    on_four_threads(increments, || *counter.lock().unwrap() += 1);
    println!("Mutex<u64>:        total {}", counter.into_inner().unwrap());
}
// ANCHOR_END: fixed

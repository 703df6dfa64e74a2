//! What does a lock prevent?
//!
//! Four threads add 1 to a shared counter, many times each. Reading the
//! counter and writing it back as two separate steps is a race: two threads
//! read the same value, both write value + 1, and one update is lost. Safe Rust
//! lets you write that with an atomic's `load` and `store`, because each step is
//! well defined; it refuses the plain `counter += 1` on a shared variable (see
//! tests/compile-fail/). The fixes make the read and the write one step:
//! `fetch_add`, or a `Mutex` held across both.
//!
//!     cargo run -p sync-race
//!     cargo run -p sync-race -- --increments 1000
//!
//! Watch for: the fixed totals always equal the expected total. The racy total
//! changes from run to run; it is usually far below, but nothing promises that.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Barrier, Mutex};
use std::thread;

use clap::{Parser, value_parser};

/// Four threads add 1 to one counter: racy, with fetch_add, with a Mutex.
#[derive(Parser)]
struct Args {
    /// How many times each thread adds 1. A million keeps each thread running
    /// longer than a scheduler time slice, so that the threads overlap.
    #[arg(long, default_value_t = 1_000_000, value_parser = value_parser!(u64).range(1..=100_000_000))]
    increments: u64,
}

// ANCHOR: threads
/// Runs `add_one` `increments` times on each of four threads, started together.
fn on_four_threads(increments: u64, add_one: impl Fn() + Sync) {
    // The barrier lines the threads up, so that they overlap instead of the
    // first finishing before the last has started.
    let start = Barrier::new(4);
    thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                start.wait();
                for _ in 0..increments {
                    add_one();
                }
            });
        }
    });
}
// ANCHOR_END: threads

// ANCHOR: racy
fn load_then_store(increments: u64) -> u64 {
    let counter = AtomicU64::new(0);
    on_four_threads(increments, || {
        let value = counter.load(Relaxed);
        // Another thread may store here; this store then overwrites its update.
        counter.store(value + 1, Relaxed);
    });
    counter.into_inner()
}
// ANCHOR_END: racy

// ANCHOR: fixed
fn with_fetch_add(increments: u64) -> u64 {
    let counter = AtomicU64::new(0);
    // Read, add and write in one indivisible step.
    on_four_threads(increments, || {
        counter.fetch_add(1, Relaxed);
    });
    counter.into_inner()
}

fn with_mutex(increments: u64) -> u64 {
    let counter = Mutex::new(0);
    // The guard is held from the read to the write: nobody can get in between.
    on_four_threads(increments, || *counter.lock().unwrap() += 1);
    counter.into_inner().unwrap()
}
// ANCHOR_END: fixed

fn main() {
    sigpipe::reset();
    let increments = Args::parse().increments;
    let expected = 4 * increments;
    println!("4 threads add 1, {increments} times each: expected total {expected}");

    // ANCHOR: report
    let racy = load_then_store(increments);
    println!("load, then store:  total {racy}, {} updates lost", expected - racy);
    println!("fetch_add:         total {}", with_fetch_add(increments));
    println!("Mutex<u64>:        total {}", with_mutex(increments));
    // ANCHOR_END: report
}

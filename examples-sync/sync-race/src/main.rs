//! What does a lock prevent?
//!
//! Four threads add 1 to one counter, many times each. Reading it and writing
//! it back as two steps is a race: two threads read the same value, both write
//! value + 1, and one update is lost. Safe Rust refuses a plain shared
//! `counter += 1` (tests/compile-fail/), but allows an atomic's separate `load`
//! and `store`. The fixes are in src/bin/sync-race-fixed.rs.
//!
//!     cargo run -p sync-race
//!     cargo run -p sync-race -- --increments 1000
//!
//! Watch for: the total changes from run to run, and nothing promises how much.

use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

use clap::{Parser, value_parser};

/// Four threads add 1 to one counter, with a load and then a store.
#[derive(Parser)]
struct Args {
    /// How many times each thread adds 1 (a million outlasts a scheduler time slice).
    #[arg(long, default_value_t = 1_000_000, value_parser = value_parser!(u64).range(1..=100_000_000))]
    increments: u64,
}

// ANCHOR: threads
/// Runs `add_one` `increments` times on each of four threads, lined up by a
/// barrier so that they overlap instead of running one after the other.
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
// ANCHOR_END: threads

// ANCHOR: racy
fn main() {
    sigpipe::reset();
    let increments = Args::parse().increments;
    let expected = 4 * increments;
    println!("4 threads add 1, {increments} times each: expected total {expected}");
    let counter = AtomicU64::new(0);
    on_four_threads(increments, || {
        let value = counter.load(Relaxed);
        // Another thread may store here; this store then overwrites its update.
        counter.store(value + 1, Relaxed);
    });
    let racy = counter.into_inner();
    println!("load, then store:  total {racy}, {} updates lost", expected - racy);
}
// ANCHOR_END: racy

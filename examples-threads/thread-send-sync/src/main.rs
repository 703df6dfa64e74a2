//! Which values may go to another thread?
//!
//! Those whose type is `Send`, and the compiler checks it at every spawn. An
//! `Rc` is not: its count is a plain integer, so tests/compile-fail/ does not
//! compile. An `Arc` is, because its count changes with atomic instructions.
//! Python has no such rule: its interpreter keeps every count right, for every
//! object. The other marker trait, `Sync`: src/bin/thread-send-sync-mutex.rs.
//!
//!     cargo run -p thread-send-sync
//!
//! Watch for: the same counts on every run; none of the 800000 changes is lost.

use std::sync::{Arc, Barrier};
use std::thread;

use clap::Parser;

/// An Arc cloned by four threads at once: the fix for the Rc the compiler refuses.
#[derive(Parser)]
struct Args {}

// ANCHOR: arc
const THREADS: usize = 4;
const EACH: usize = 100_000;

fn main() {
    sigpipe::reset();
    Args::parse();
    let names = Arc::new(vec!["foo", "bar"]);
    println!("Arc: {} owner before the threads start", Arc::strong_count(&names));
    // Two meeting points: every thread holds its clones, then main has counted.
    let barrier = Arc::new(Barrier::new(THREADS + 1));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (names, barrier) = (Arc::clone(&names), Arc::clone(&barrier));
            thread::spawn(move || {
                // Each clone adds one to the count atomically: no update is lost.
                let _clones: Vec<_> = (0..EACH).map(|_| Arc::clone(&names)).collect();
                barrier.wait();
                barrier.wait();
            })
        })
        .collect();
    barrier.wait();
    let owners = Arc::strong_count(&names);
    println!("Arc: {owners} owners while {THREADS} threads hold {EACH} clones each");
    barrier.wait();
    workers.into_iter().for_each(|worker| worker.join().unwrap());
    println!("Arc: {} owner after the threads have ended", Arc::strong_count(&names));
}
// ANCHOR_END: arc

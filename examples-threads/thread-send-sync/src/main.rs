//! Which values may go to another thread, and which may several threads share?
//!
//! Two marker traits say, and the compiler checks them at every spawn: `Send`
//! (the value may move to another thread) and `Sync` (a `&` to it may be used
//! by several threads at once). An `Rc` is not `Send` and a `RefCell` is not
//! `Sync`, so the two programs in tests/compile-fail/ do not compile. This one
//! runs their fixes, `Arc` and `Mutex`, and counts what they keep exact.
//! Python has no such rule: any object goes to any thread, and the interpreter
//! keeps the reference counts right (the GIL, or on the free-threaded build,
//! counts that other threads update atomically).
//!
//!     cargo run -p thread-send-sync
//!     cargo test -p thread-send-sync --test compile_fail
//!
//! Watch for: the same numbers on every run. The Arc has 400005 owners while
//! four threads hold 100000 clones each, and 1 again once they are done; the
//! Vec behind the Mutex ends with all 400000 names.

use std::sync::{Arc, Barrier, Mutex};
use std::thread;

use clap::Parser;

/// Arc and Mutex: the fixes for the Rc and the RefCell the compiler refuses.
#[derive(Parser)]
struct Args {}

// ANCHOR: counts
const THREADS: usize = 4;
const EACH: usize = 100_000;
// ANCHOR_END: counts

// ANCHOR: arc
fn arc_shared_by_threads() {
    let names = Arc::new(vec!["foo", "bar"]);
    println!("Arc: {} owner before the threads start", Arc::strong_count(&names));
    // Two meeting points: every thread holds its clones, then main has counted.
    let barrier = Arc::new(Barrier::new(THREADS + 1));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (names, barrier) = (Arc::clone(&names), Arc::clone(&barrier));
            thread::spawn(move || {
                // Each clone adds one to the count with an atomic instruction:
                // four threads cloning at once lose no update.
                let clones: Vec<_> = (0..EACH).map(|_| Arc::clone(&names)).collect();
                barrier.wait();
                barrier.wait();
                drop(clones);
            })
        })
        .collect();
    barrier.wait();
    let owners = Arc::strong_count(&names);
    println!("Arc: {owners} owners while {THREADS} threads hold {EACH} clones each");
    barrier.wait();
    for worker in workers {
        worker.join().unwrap();
    }
    println!("Arc: {} owner after the threads have ended", Arc::strong_count(&names));
}
// ANCHOR_END: arc

// ANCHOR: mutex
fn mutex_shared_by_threads() {
    let names = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..THREADS {
            // One thread at a time gets the guard; it unlocks at the end of the statement.
            scope.spawn(|| (0..EACH).for_each(|_| names.lock().unwrap().push("foo")));
        }
    });
    let pushed = names.into_inner().unwrap().len();
    println!("Mutex: {pushed} names pushed by {THREADS} threads, {EACH} each");
}
// ANCHOR_END: mutex

fn main() {
    sigpipe::reset();
    Args::parse();
    arc_shared_by_threads();
    mutex_shared_by_threads();
}

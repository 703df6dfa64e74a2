//! Which values may several threads use at once?
//!
//! Those whose type is `Sync`: a `&` to them may be sent to another thread. A
//! `RefCell` is not (its borrow flag is a plain integer), so the second program
//! in tests/compile-fail/ does not compile. A `Mutex` is: one thread at a time
//! gets in. Python's list takes `append` from any thread, with no lock.
//!
//!     cargo run -p thread-send-sync --bin thread-send-sync-mutex
//!
//! Watch for: all 400000 names, on every run.

use std::sync::Mutex;
use std::thread;

use clap::Parser;

/// A Mutex shared by four threads: the fix for the RefCell the compiler refuses.
#[derive(Parser)]
struct Args {}

// ANCHOR: mutex
const THREADS: usize = 4;
const EACH: usize = 100_000;

fn main() {
    sigpipe::reset();
    Args::parse();
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

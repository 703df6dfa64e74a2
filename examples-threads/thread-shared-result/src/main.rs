//! How does the caller get a result that a thread computed?
//!
//! The short post's threads compute the square and the fourth power of 7, and
//! a reader asks why a `result` variable set in the thread is still `None`
//! afterwards. In Rust, writing a caller's variable from a thread without
//! synchronization does not compile (see tests/compile-fail/). These are three
//! ways that do, from the simplest to the most general.
//!
//!     cargo run -p thread-shared-result
//!
//! Watch for: all three print the same numbers, and only the last needs a lock.

use std::sync::{Arc, Mutex};
use std::thread;

use clap::Parser;

/// Three ways to get a result back from a thread.
#[derive(Parser)]
struct Args {}

// ANCHOR: join_handle
/// The thread returns its result; `join` hands it to the caller.
fn via_join_handle(number: i64) -> (i64, i64) {
    let square = thread::spawn(move || number * number);
    let quad = thread::spawn(move || number.pow(4));
    // join() is an Err if the thread panicked; unwrap() passes the panic on.
    (square.join().unwrap(), quad.join().unwrap())
}
// ANCHOR_END: join_handle

// ANCHOR: scoped
/// Scoped threads may borrow the caller's variables, even mutably: the scope
/// does not end until every thread in it has finished.
fn via_scoped_threads(number: i64) -> (i64, i64) {
    let (mut square, mut quad) = (0, 0);
    thread::scope(|scope| {
        scope.spawn(|| square = number * number);
        scope.spawn(|| quad = number.pow(4));
    });
    (square, quad)
}
// ANCHOR_END: scoped

// ANCHOR: mutex
/// One shared slot that outlives any single thread: Arc shares ownership,
/// Mutex makes the writes take turns.
fn via_arc_mutex(number: i64) -> (i64, i64) {
    let results = Arc::new(Mutex::new((0, 0)));
    let (for_square, for_quad) = (Arc::clone(&results), Arc::clone(&results));
    let square = thread::spawn(move || for_square.lock().unwrap().0 = number * number);
    let quad = thread::spawn(move || for_quad.lock().unwrap().1 = number.pow(4));
    square.join().unwrap();
    quad.join().unwrap();
    *results.lock().unwrap()
}
// ANCHOR_END: mutex

fn main() {
    sigpipe::reset();
    Args::parse(); // --help, and a clear error for any argument
    let number = 7;
    let answers = [
        ("join handle", via_join_handle(number)),
        ("scoped threads", via_scoped_threads(number)),
        ("Arc<Mutex<_>>", via_arc_mutex(number)),
    ];
    for (how, (square, quad)) in answers {
        println!("{how:>14}: square of {number} = {square}, fourth power = {quad}");
    }
}

//! How does the caller get a result that a thread computed?
//!
//! Python's thread sets `result`, yet the caller sees `None`; Rust refuses to
//! compile that program (tests/compile-fail/). Here are three ways that work.
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
fn via_join_handle(number: i64) -> (i64, i64) {
    let square = thread::spawn(move || number * number);
    let quad = thread::spawn(move || number.pow(4));
    // join() waits for the thread, and hands back what it returned.
    (square.join().unwrap(), quad.join().unwrap())
}
// ANCHOR_END: join_handle

// ANCHOR: scoped
fn via_scoped_threads(number: i64) -> (i64, i64) {
    let (mut square, mut quad) = (0, 0);
    // The scope ends only after its threads have, so they may borrow, even mutably.
    thread::scope(|scope| {
        scope.spawn(|| square = number * number);
        scope.spawn(|| quad = number.pow(4));
    });
    (square, quad)
}
// ANCHOR_END: scoped

// ANCHOR: mutex
fn via_arc_mutex(number: i64) -> (i64, i64) {
    // Arc: a slot owned jointly, that outlives any one thread. Mutex: writes take turns.
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
    Args::parse();
    println!("The square and the fourth power of 7, three ways:");
    println!("join handle:    {:?}", via_join_handle(7));
    println!("scoped threads: {:?}", via_scoped_threads(7));
    println!("Arc<Mutex<_>>:  {:?}", via_arc_mutex(7));
}

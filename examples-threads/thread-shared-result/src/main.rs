//! How does the caller get a result that a thread computed?
//!
//! The short post's threads compute the square and the fourth power of 7, and
//! a reader asks why a `result` variable set in the thread is still `None`
//! afterwards. In Rust, writing a caller's variable from a thread without
//! synchronization does not compile (see tests/compile-fail/). These are three
//! ways that do, from the simplest to the most general.
//!
//! Watch for: all three print the same numbers, and only the last needs a lock.

use std::sync::{Arc, Mutex};
use std::thread;

use anyhow::{Result, anyhow};

fn calc_square(number: i64) -> i64 {
    number * number
}

fn calc_quad(number: i64) -> i64 {
    number * number * number * number
}

// ANCHOR: join_handle
/// The thread returns its result; `join` hands it to the caller.
fn via_join_handle(number: i64) -> Result<(i64, i64)> {
    let square = thread::spawn(move || calc_square(number));
    let quad = thread::spawn(move || calc_quad(number));
    let square = square.join().map_err(|_| anyhow!("calc_square panicked"))?;
    let quad = quad.join().map_err(|_| anyhow!("calc_quad panicked"))?;
    Ok((square, quad))
}
// ANCHOR_END: join_handle

// ANCHOR: scoped
/// Scoped threads may borrow the caller's variables, even mutably: the scope
/// does not end until every thread in it has finished.
fn via_scoped_threads(number: i64) -> (i64, i64) {
    let mut square = None;
    let mut quad = None;
    thread::scope(|scope| {
        scope.spawn(|| square = Some(calc_square(number)));
        scope.spawn(|| quad = Some(calc_quad(number)));
    });
    (
        square.expect("the scope joined calc_square"),
        quad.expect("the scope joined calc_quad"),
    )
}
// ANCHOR_END: scoped

// ANCHOR: mutex
/// One shared slot that outlives any single thread: Arc shares ownership,
/// Mutex makes the writes take turns.
fn via_arc_mutex(number: i64) -> Result<(i64, i64)> {
    let results = Arc::new(Mutex::new((None, None)));
    let square = thread::spawn({
        let results = Arc::clone(&results);
        move || results.lock().expect("not poisoned").0 = Some(calc_square(number))
    });
    let quad = thread::spawn({
        let results = Arc::clone(&results);
        move || results.lock().expect("not poisoned").1 = Some(calc_quad(number))
    });
    square.join().map_err(|_| anyhow!("calc_square panicked"))?;
    quad.join().map_err(|_| anyhow!("calc_quad panicked"))?;

    let (square, quad) =
        *results.lock().map_err(|_| anyhow!("a thread panicked holding the lock"))?;
    Ok((square.expect("joined"), quad.expect("joined")))
}
// ANCHOR_END: mutex

fn main() -> Result<()> {
    let number = 7;
    let answers = [
        ("join handle", via_join_handle(number)?),
        ("scoped threads", via_scoped_threads(number)),
        ("Arc<Mutex<_>>", via_arc_mutex(number)?),
    ];
    for (how, (square, quad)) in answers {
        println!("{how:>14}: square of {number} = {square}, fourth power = {quad}");
    }
    assert!(answers.iter().all(|(_, result)| *result == (49, 2401)));
    Ok(())
}

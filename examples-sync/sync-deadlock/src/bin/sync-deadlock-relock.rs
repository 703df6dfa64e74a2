//! Can a thread lock a `Mutex` that it already holds?
//!
//! Python's `Lock` cannot be taken twice: the second `acquire()` waits for
//! ever, for the very thread that holds it. An `RLock` can, and counts. Rust's
//! `Mutex` is a `Lock`, and std does not even promise the wait: a second
//! `lock()` by the same thread may deadlock or panic. So this program only asks,
//! with `try_lock`, which never waits; then it does what Rust code does
//! instead of re-locking: it hands the guarded data to the function that
//! needs it.
//!
//!     cargo run -p sync-deadlock --bin sync-deadlock-relock
//!
//! Watch for: `WouldBlock` while the guard lives, `Ok` once it is dropped.

use std::sync::{Mutex, TryLockError};

use clap::Parser;

// ANCHOR: relock
/// A thread asks for a Mutex it already holds, safely, and passes the data on instead.
#[derive(Parser)]
struct Args {}

/// Needs the log, and gets it from a caller that holds the lock.
fn add_entry(entries: &mut Vec<&'static str>, entry: &'static str) {
    entries.push(entry);
}

fn main() {
    sigpipe::reset();
    Args::parse();
    let log = Mutex::new(vec!["first entry"]);
    let mut entries = log.lock().unwrap();
    // `log.lock()` here would wait for ever or panic (std promises neither);
    // `try_lock` asks without waiting.
    match log.try_lock() {
        Err(TryLockError::WouldBlock) => {
            println!("asked again by its holder: WouldBlock")
        }
        other => println!("asked again by its holder: {:?}", other.map(|_| ())),
    }
    add_entry(&mut entries, "second entry"); // no second lock: pass the data on
    println!("add_entry, handed the guarded data: {} entries", entries.len());
    drop(entries);
    let after = log.try_lock().map(|entries| entries.len());
    println!("asked once the guard is dropped: {after:?}");
}
// ANCHOR_END: relock

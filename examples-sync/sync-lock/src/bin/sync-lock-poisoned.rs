//! What happens to a lock when the thread that holds it fails?
//!
//! Python's `with lock:` releases the lock when an exception leaves the block,
//! and says nothing more. In Rust the panic drops the guard, so the lock is
//! released too, but the `Mutex` is marked poisoned: its data may be half
//! updated, and the next `lock()` says so.
//!
//!     cargo run -p sync-lock --bin sync-lock-poisoned
//!
//! Watch for: `lock()` returns at once, but as an `Err`; the panic's message
//! is on stderr.

use std::sync::{Mutex, PoisonError};
use std::thread;

use clap::Parser;

/// A thread panics while it holds a Mutex: the lock is released, and poisoned.
#[derive(Parser)]
struct Args {}

// ANCHOR: panic
fn update_then_panic(log: &Mutex<Vec<String>>) {
    let mut entries = log.lock().unwrap();
    entries.push("update by the worker: started".to_owned());
    panic!("the worker failed halfway through its update"); // unwinding drops `entries`
}
// ANCHOR_END: panic

// ANCHOR: poisoned
fn main() {
    sigpipe::reset();
    Args::parse();
    let log = Mutex::new(vec!["an entry from before".to_owned()]);
    println!("main: the log has 1 entry; a worker thread starts an update");
    // The panic message goes to stderr; join() turns the panic into an Err.
    let joined = thread::scope(|scope| scope.spawn(|| update_then_panic(&log)).join());
    println!("main: the worker panicked: {}", joined.is_err());
    // The panic dropped the guard, so lock() returns at once, but as an Err...
    println!("main: lock() returned at once; poisoned: {}", log.lock().is_err());
    // ...because the data may be half updated. into_inner() takes it anyway.
    let entries = log.lock().unwrap_or_else(PoisonError::into_inner);
    println!("main: recovered {} entries; the last one is:", entries.len());
    println!("main:   {:?}", entries.last().unwrap());
}
// ANCHOR_END: poisoned

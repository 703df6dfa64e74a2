//! What becomes of Python's `lock.acquire()` / `try` / `finally` / `release()`?
//!
//! A `Mutex` that owns its data, and a guard: the data is reached only through
//! the guard, and dropping the guard releases the lock. There is no `release()`
//! to forget. Four threads take turns appending to a shared log. What a panic
//! does to the lock: src/bin/sync-lock-poisoned.rs.
//!
//!     cargo run -p sync-lock
//!
//! Watch for: a thread's two lines are never separated by another thread's;
//! the order in which the threads get the lock changes from run to run.

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};

/// Four threads take turns with a Mutex.
#[derive(Parser)]
struct Args {
    /// Milliseconds each thread holds the lock.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: critical_section
fn append_entry(log: &Mutex<Vec<String>>, worker: u32, step: Duration) {
    // lock() is the acquire: it waits until no other thread holds the guard.
    let mut entries = log.lock().unwrap();
    println!("thread {worker}: has the lock");
    entries.push(format!("synchronized access by thread {worker}"));
    thread::sleep(step); // hold the lock a while: the others wait in lock()
    println!("thread {worker}: done, dropping the guard");
} // `entries` goes out of scope here, and that is the release: no finally needed
// ANCHOR_END: critical_section

// ANCHOR: take_turns
fn main() {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    let log = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for worker in 1..=4 {
            let log = &log;
            scope.spawn(move || append_entry(log, worker, step));
        }
    }); // the scope joins all four threads before main goes on
    println!("main: the log has {} entries, one per thread", log.lock().unwrap().len());
}
// ANCHOR_END: take_turns

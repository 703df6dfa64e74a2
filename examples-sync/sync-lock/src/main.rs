//! What becomes of Python's `lock.acquire()` / `try` / `finally` / `release()`?
//!
//! A `Mutex` that owns the data it protects, and a guard: `lock()` returns the
//! guard, the data is reached only through it, and dropping it releases the
//! lock. There is no `release()` to forget, and a panic drops the guard too.
//! Four threads take turns appending to a shared log; then a fifth panics
//! halfway through its update, and main finds the lock free but "poisoned".
//!
//!     cargo run -p sync-lock
//!
//! Watch for: a thread's two lines are never separated by another thread's;
//! the order in which the threads get the lock changes from run to run. After
//! the panic, `lock()` returns at once (no deadlock), but as an `Err`.

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};

/// Four threads take turns with a Mutex; then a fifth panics while holding it.
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

// ANCHOR: panic
/// Starts an update, then panics before finishing it, with the guard still held.
fn update_then_panic(log: &Mutex<Vec<String>>) {
    let mut entries = log.lock().unwrap();
    entries.push("update by thread 5: started".to_owned());
    panic!("thread 5 failed halfway through its update");
    // Unwinding drops `entries`, so the lock is released, and marked poisoned.
}
// ANCHOR_END: panic

fn main() {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    let log = Mutex::new(Vec::new());

    // ANCHOR: take_turns
    thread::scope(|scope| {
        for worker in 1..=4 {
            let log = &log;
            scope.spawn(move || append_entry(log, worker, step));
        }
    }); // the scope joins all four threads before main goes on
    println!("main: the log has {} entries, one per thread", log.lock().unwrap().len());
    // ANCHOR_END: take_turns

    // ANCHOR: poisoned
    // The panic message goes to stderr; join() turns the panic into an Err.
    let joined = thread::scope(|scope| scope.spawn(|| update_then_panic(&log)).join());
    match joined {
        Err(_panic) => println!("main: thread 5 panicked; join returned Err"),
        Ok(()) => println!("main: thread 5 returned; join returned Ok"),
    }
    // The guard was dropped during the panic, so this lock() returns at once...
    match log.lock() {
        Ok(_) => println!("main: the lock is free and not poisoned"),
        // ...but as an Err: the data may be half updated. into_inner() takes it anyway.
        Err(poisoned) => {
            println!("main: lock() returned at once, with Err: the mutex is poisoned");
            let entries = poisoned.into_inner();
            println!("main: recovered {} entries; the last one is:", entries.len());
            println!("main:   {:?}", entries.last().unwrap());
        }
    }
    // ANCHOR_END: poisoned
}

//! What does a lock prevent?
//!
//! Four threads add 1 to a shared counter, many times each. Reading the
//! counter and writing it back as two separate steps is a race: two threads
//! read the same value, both write value + 1, and one update is lost. Safe Rust
//! lets you write that with an atomic's `load` and `store`, because each step is
//! well defined; it refuses the plain `counter += 1` on a shared variable (see
//! tests/compile-fail/). The fixes make the read and the write one step:
//! `fetch_add`, or a `Mutex` held across both.
//!
//! Watch for: the fixed totals always equal the expected total. The racy total
//! changes from run to run; it is usually far below, but nothing promises that.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Barrier, Mutex};
use std::thread;

use anyhow::Result;

const THREADS: u64 = 4;
/// Enough for each thread to run longer than one scheduler time slice, so the
/// threads overlap even on a busy two-core machine (at 100_000 they often did not).
const DEFAULT_INCREMENTS: u64 = 1_000_000;

// ANCHOR: threads
/// Runs `add_one` `increments` times on each of four threads, started together.
fn on_four_threads(increments: u64, add_one: impl Fn() + Sync) {
    // The barrier lines the threads up, so that they overlap instead of the
    // first finishing before the last has started.
    let start = Barrier::new(THREADS as usize);
    thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                start.wait();
                for _ in 0..increments {
                    add_one();
                }
            });
        }
    });
}
// ANCHOR_END: threads

// ANCHOR: racy
fn load_then_store(increments: u64) -> u64 {
    let counter = AtomicU64::new(0);
    on_four_threads(increments, || {
        let value = counter.load(Relaxed);
        // Another thread may store here; this store then overwrites its update.
        counter.store(value + 1, Relaxed);
    });
    counter.into_inner()
}
// ANCHOR_END: racy

// ANCHOR: fixed
fn with_fetch_add(increments: u64) -> u64 {
    let counter = AtomicU64::new(0);
    // Read, add and write in one indivisible step.
    on_four_threads(increments, || {
        counter.fetch_add(1, Relaxed);
    });
    counter.into_inner()
}

fn with_mutex(increments: u64) -> u64 {
    let counter = Mutex::new(0_u64);
    // The guard is held from the read to the write: nobody can get in between.
    on_four_threads(increments, || *counter.lock().expect("no thread panicked") += 1);
    counter.into_inner().expect("no thread panicked")
}
// ANCHOR_END: fixed

/// The number after `--increments`, or the default; `None` for anything else.
fn parse_increments(args: &[String]) -> Option<u64> {
    match args {
        [] => Some(DEFAULT_INCREMENTS),
        [flag, number] if flag == "--increments" => number
            .parse()
            .ok()
            .filter(|&n: &u64| n > 0 && n.checked_mul(THREADS).is_some()),
        _ => None,
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(increments) = parse_increments(&args) else {
        eprintln!(
            "sync-race: expected `--increments N` with N a whole number above 0, got {args:?}\n\
             usage: sync-race [--increments N]"
        );
        std::process::exit(2);
    };
    let expected = THREADS * increments;
    println!(
        "{THREADS} threads add 1, {increments} times each: expected total {expected}"
    );

    // ANCHOR: report
    let racy = load_then_store(increments);
    println!("load, then store:  total {racy}, {} updates lost", expected - racy);
    let fetch_add = with_fetch_add(increments);
    println!("fetch_add:         total {fetch_add}");
    let mutex = with_mutex(increments);
    println!("Mutex<u64>:        total {mutex}");
    // ANCHOR_END: report

    assert!(racy > 0 && racy <= expected, "every store writes a value that was counted");
    assert_eq!((fetch_add, mutex), (expected, expected));
    Ok(())
}

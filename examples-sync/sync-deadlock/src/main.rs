//! What happens when two threads each hold a lock the other one needs?
//!
//! Thread 1 takes lock A then B, thread 2 takes B then A, and a barrier makes
//! each hold its first lock before it reaches for the second: a deadlock on
//! every run. A watchdog in `main` sees that nothing moves and says who waits
//! for what; then the fix, one order for every thread, runs to the end. The
//! other deadlock, a thread locking a `Mutex` it already holds, is in
//! `src/bin/relock.rs`.
//!
//!     cargo run -p sync-deadlock
//!     cargo run -p sync-deadlock --bin relock
//!
//! Watch for: the two "took" lines (in either order), the watchdog's report a
//! second later, and the deadlocked threads never printing again.

use std::sync::mpsc::{self, Sender};
use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};

/// Two locks taken in opposite orders, a watchdog, and the fix.
#[derive(Parser)]
struct Args {
    /// Milliseconds without progress after which the watchdog calls it a deadlock.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: deadlock
/// A lock and its name, for the watchdog's report.
type Lock = (&'static str, Mutex<()>);

// Static: the deadlocked threads hold them until the process ends.
static A: Lock = ("A", Mutex::new(()));
static B: Lock = ("B", Mutex::new(()));
static BOTH_HOLD_ONE: Barrier = Barrier::new(2);

/// Takes `first`, waits until the other thread holds its first lock too, then
/// takes `second`, telling the watchdog before and after.
fn take_both(who: &str, first: &Lock, second: &Lock, watchdog: Sender<String>) {
    let _first = first.1.lock().unwrap();
    println!("{who} took {}", first.0);
    BOTH_HOLD_ONE.wait();
    watchdog.send(format!("{who} holds {} and waits for {}", first.0, second.0)).unwrap();
    let _second = second.1.lock().unwrap(); // the other thread holds it: for ever
    watchdog.send(format!("{who} took both")).unwrap();
}

fn opposite_orders(patience: Duration) {
    let (to_watchdog, watchdog) = mpsc::channel();
    let to_watchdog_too = to_watchdog.clone();
    // Detached: a deadlocked thread can never be joined.
    thread::spawn(move || take_both("thread 1", &A, &B, to_watchdog));
    thread::spawn(move || take_both("thread 2", &B, &A, to_watchdog_too));
    let mut waiting: Vec<String> = watchdog.iter().take(2).collect();
    waiting.sort();
    // Both are waiting now. Has either moved on after `patience`?
    if watchdog.recv_timeout(patience).is_err() {
        println!("watchdog: neither thread has moved on, a deadlock:");
        waiting.iter().for_each(|line| println!("  {line}"));
    }
}
// ANCHOR_END: deadlock

// ANCHOR: one_order
fn one_order() {
    let (a, b) = (&Mutex::new(()), &Mutex::new(()));
    thread::scope(|scope| {
        for who in ["thread 1", "thread 2"] {
            scope.spawn(move || {
                let _a = a.lock().unwrap(); // every thread takes A first, then B
                let _b = b.lock().unwrap();
                println!("{who} took A and B");
            });
        }
    });
    println!("both threads finished");
}
// ANCHOR_END: one_order

fn main() {
    sigpipe::reset();
    let args = Args::parse();
    println!("Two threads, two locks, taken in opposite orders:");
    opposite_orders(Duration::from_millis(args.step_ms));
    println!("Both stay blocked until main returns: nothing can take a lock away.");
    println!("The fix, one order for every thread:");
    one_order();
}

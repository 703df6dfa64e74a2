//! What happens when two threads each hold a lock the other one needs?
//!
//! Thread 1 takes lock A then B, thread 2 takes B then A, and a barrier makes
//! each hold its first lock before it reaches for the second: a deadlock on
//! every run, which main notices. The fix, and the other deadlock (locking a
//! lock one already holds), are the package's programs in src/bin/.
//!
//!     cargo run -p sync-deadlock
//!
//! Watch for: main's report a second after the two "waits" lines, then nothing.

use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};

/// Two locks taken in opposite orders, and main watching the threads.
#[derive(Parser)]
struct Args {
    /// Milliseconds main gives the threads before it calls it a deadlock.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: deadlock
/// A lock and its name, for the report.
type Lock = (&'static str, Mutex<()>);

// Static: the deadlocked threads hold them until the process ends.
static A: Lock = ("A", Mutex::new(()));
static B: Lock = ("B", Mutex::new(()));
/// Met by main and by both threads, each holding its first lock.
static BOTH_HOLD_ONE: Barrier = Barrier::new(3);

fn take_both(who: &str, first: &Lock, second: &Lock) {
    let _first = first.1.lock().unwrap();
    println!("{who} holds {} and waits for {}", first.0, second.0);
    BOTH_HOLD_ONE.wait();
    let _second = second.1.lock().unwrap(); // the other thread holds it: for ever
    println!("{who} took both");
}

fn main() {
    sigpipe::reset();
    let patience = Duration::from_millis(Args::parse().step_ms);
    println!("Two threads, two locks, taken in opposite orders:");
    let threads = [
        thread::spawn(|| take_both("thread 1", &A, &B)),
        thread::spawn(|| take_both("thread 2", &B, &A)),
    ];
    BOTH_HOLD_ONE.wait();
    thread::sleep(patience);
    if !threads.iter().any(|handle| handle.is_finished()) {
        println!("main: neither thread has finished: a deadlock");
    }
    // Not joined: a deadlocked thread never returns, and nothing can take its lock away.
    println!("main: returning ends the process, and the blocked threads with it");
}
// ANCHOR_END: deadlock

//! How long do you wait for several jobs, when one may never finish?
//!
//! Python's `wait(futures, timeout=)`: a crossbeam select over a results
//! channel and a deadline, which gives up after one step.
//!
//!     cargo run -p thread-timeouts --bin thread-timeouts-wait
//!
//! Watch for: the same lines on every run. The slow job waits at a gate that
//! main opens only after the deadline, so the deadline always wins.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};
use crossbeam::channel::{self, select_biased};

/// Waiting for two jobs with a deadline.
#[derive(Parser)]
struct Args {
    /// Milliseconds per step: how long the wait lasts before it gives up.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: wait
fn main() {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    let (gate, gate_rx) = mpsc::channel::<()>();
    let (results_tx, results) = channel::unbounded();
    let quick_tx = results_tx.clone();
    let quick = thread::spawn(move || quick_tx.send(("quick", 2 * 2)).unwrap());
    let slow = thread::spawn(move || {
        gate_rx.recv().ok(); // the work: it lasts until main drops `gate`
        results_tx.send(("slow", 3 * 3)).unwrap();
    });
    quick.join().unwrap(); // so that every run has one job done and one not
    let deadline = channel::after(step); // a channel that delivers once, a step from now
    let mut pending = vec!["quick", "slow"];
    while !pending.is_empty() {
        // Biased: a result already there counts, even once the deadline has passed too.
        select_biased! {
            recv(results) -> result => {
                let (name, answer) = result.unwrap();
                println!("wait: {name} is done: {answer}");
                pending.retain(|job| *job != name);
            }
            recv(deadline) -> _ => break,
        }
    }
    println!("wait: not done at the deadline: {pending:?}");
    drop(gate);
    slow.join().unwrap();
}
// ANCHOR_END: wait

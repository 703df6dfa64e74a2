//! How long do you wait for a thread that may never answer?
//!
//! Python's `join(timeout)`, `queue.get(timeout=)` and `wait(futures,
//! timeout=)`, in Rust: a channel's `recv_timeout`, and a crossbeam select
//! over a results channel and a deadline. Each wait gives up after one step.
//! Cancelling jobs is the package's other program, src/bin/cancel-jobs.rs.
//!
//!     cargo run -p thread-timeouts
//!
//! Watch for: the same lines on every run. A slow job waits at a gate that main
//! opens only after the deadline, so the deadline always wins.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};
use crossbeam::channel::{self, select_biased};

/// Waiting for threads with a deadline.
#[derive(Parser)]
struct Args {
    /// Milliseconds per step: how long each wait lasts before it gives up.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: join
fn join_with_timeout(step: Duration) {
    let (gate, gate_rx) = mpsc::channel::<()>();
    let (answer_tx, answer) = mpsc::channel();
    let worker = thread::spawn(move || {
        gate_rx.recv().ok(); // the work: it lasts until main drops `gate`
        answer_tx.send(6 * 7).unwrap();
    });
    // No JoinHandle::join_timeout: wait for the thread's answer instead.
    let waited = answer.recv_timeout(step);
    println!("join: after a step, {waited:?}; finished: {}", worker.is_finished());
    drop(gate);
    println!("join: the answer is {}", answer.recv().unwrap());
    worker.join().unwrap();
    // Unlike queue.get(timeout=), a channel knows when nobody can send any more.
    println!("get: {:?} at once, not after a step", answer.recv_timeout(step));
}
// ANCHOR_END: join

// ANCHOR: wait
fn wait_with_deadline(step: Duration) {
    let (gate, gate_rx) = mpsc::channel::<()>();
    let (results_tx, results) = channel::unbounded();
    let quick_tx = results_tx.clone();
    let quick = thread::spawn(move || quick_tx.send(("quick", 2 * 2)).unwrap());
    let slow = thread::spawn(move || {
        gate_rx.recv().ok();
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

fn main() {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    join_with_timeout(step);
    wait_with_deadline(step);
}

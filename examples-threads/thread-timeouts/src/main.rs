//! How long do you wait for a thread that may never answer?
//!
//! Python's `join(timeout)` and `queue.get(timeout=)`: in Rust, a channel's
//! `recv_timeout`, which gives up after one step. Waiting for several jobs and
//! cancelling them are the package's other programs, in src/bin/.
//!
//!     cargo run -p thread-timeouts
//!
//! Watch for: the same lines on every run. The worker waits at a gate that main
//! opens only after the deadline, so the deadline always wins.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};

/// Waiting for a thread with a deadline.
#[derive(Parser)]
struct Args {
    /// Milliseconds per step: how long each wait lasts before it gives up.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: join
fn main() {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
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

//! How do you stop a thread that is still working, without waiting for its pause?
//!
//! The stop request goes through a channel, and the worker's pause is the wait
//! for it: `recv_timeout` returns at the end of the step, or as soon as a
//! message comes (or the sender is dropped). Python's `Event.wait(timeout)`.
//!
//!     cargo run -p thread-stop-flag --bin thread-stop-flag-channel
//!
//! Watch for: the worker finishes the step it is in, and stops as soon as asked.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};

/// A worker thread asked to stop through a channel.
#[derive(Parser)]
struct Args {
    /// Milliseconds per step of the worker.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: channel
fn main() {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    let (stop_sender, stop_receiver) = mpsc::channel();
    let worker = thread::spawn(move || {
        let mut steps = 0;
        loop {
            steps += 1;
            println!("worker: step {steps}");
            // The pause is also the check: a message, or a dropped sender, ends it early.
            if stop_receiver.recv_timeout(step) != Err(RecvTimeoutError::Timeout) {
                break;
            }
        }
        println!("worker: got the stop message after {steps} steps, cleaning up");
        steps
    });
    thread::sleep(step * 5 / 2); // let it work for two steps and a half
    println!("main: sending the stop message");
    stop_sender.send(()).unwrap();
    println!("main: the worker stopped after {} steps", worker.join().unwrap());
}
// ANCHOR_END: channel

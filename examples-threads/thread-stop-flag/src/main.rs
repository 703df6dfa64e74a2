//! How do you stop a thread that is still working?
//!
//! You cannot kill it from outside: std has no `JoinHandle::kill`, because a
//! thread stopped at a random point could leave a lock held or data half
//! written. You ask it, and it stops itself at a point it chooses. Two ways:
//! an atomic flag that the worker checks between steps, and a channel whose
//! message also wakes the worker from its wait.
//!
//!     cargo run -p thread-stop-flag
//!
//! Watch for: the worker always finishes the step it is in. With the flag, a
//! stop request waits until the worker's pause ends; with the channel, the
//! request ends the pause at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};

/// A worker thread asked to stop, with a flag and then with a channel.
#[derive(Parser)]
struct Args {
    /// Milliseconds per step of the worker.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: flag
fn stop_with_flag(step: Duration) -> u32 {
    let stop = AtomicBool::new(false);
    thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let mut steps = 0;
            while !stop.load(Ordering::Relaxed) {
                steps += 1;
                println!("worker: step {steps}");
                thread::sleep(step); // a stop request made now waits for this pause
            }
            println!("worker: saw the stop flag after {steps} steps, cleaning up");
            steps
        });
        thread::sleep(step * 5 / 2); // let it work for two steps and a half
        println!("main: setting the stop flag");
        stop.store(true, Ordering::Relaxed);
        worker.join().unwrap()
    })
}
// ANCHOR_END: flag

// ANCHOR: channel
fn stop_with_channel(step: Duration) -> u32 {
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
    thread::sleep(step * 5 / 2);
    println!("main: sending the stop message");
    stop_sender.send(()).unwrap();
    worker.join().unwrap()
}
// ANCHOR_END: channel

fn main() {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    println!("-- stopping with an atomic flag --");
    let steps = stop_with_flag(step);
    println!("main: the worker stopped after {steps} steps");
    println!("-- stopping with a channel --");
    let steps = stop_with_channel(step);
    println!("main: the worker stopped after {steps} steps");
}

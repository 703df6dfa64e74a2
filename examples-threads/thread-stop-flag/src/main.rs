//! How do you stop a thread that is still working?
//!
//! You cannot kill it: a thread stopped at a random point could leave a lock
//! held or data half written. You ask it, and it stops itself between steps.
//! Here it checks an atomic flag; src/bin/thread-stop-flag-channel.rs asks
//! through a channel instead.
//!
//!     cargo run -p thread-stop-flag
//!
//! Watch for: the worker finishes the step it is in; the request waits for
//! the worker's pause to end.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};

/// A worker thread asked to stop with an atomic flag.
#[derive(Parser)]
struct Args {
    /// Milliseconds per step of the worker.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: flag
fn main() {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    let stop = AtomicBool::new(false);
    let steps = thread::scope(|scope| {
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
    });
    println!("main: the worker stopped after {steps} steps");
}
// ANCHOR_END: flag

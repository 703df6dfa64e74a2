//! Which jobs can still be called off?
//!
//! Python's `Future.cancel()` and `shutdown(cancel_futures=True)`: a waiting
//! job can be cancelled, and the worker skips it; a running one cannot.
//!
//!     cargo run -p thread-timeouts --bin thread-timeouts-cancel
//!
//! Watch for: the same lines on every run. Job 1 holds the one worker until
//! main has made its cancel calls, so jobs 2 to 4 are all still waiting.

use std::sync::atomic::{AtomicU8, Ordering::Relaxed};
use std::sync::mpsc;
use std::thread;

use clap::Parser;

/// Cancelling waiting jobs, and trying to cancel a running one.
#[derive(Parser)]
struct Args {}

// ANCHOR: cancel
const QUEUED: u8 = 0;
const RUNNING: u8 = 1;
const CANCELLED: u8 = 2;

/// `Future.cancel()`: true if the job will never run, decided in one atomic step.
fn cancel(job: &AtomicU8) -> bool {
    let before = job.compare_exchange(QUEUED, CANCELLED, Relaxed, Relaxed);
    before.is_ok() || before == Err(CANCELLED)
}

fn main() {
    sigpipe::reset();
    Args::parse();
    let jobs = &[QUEUED; 4].map(AtomicU8::new);
    let (started_tx, started) = mpsc::channel();
    let (gate, gate_rx) = mpsc::channel::<()>();
    thread::scope(|scope| {
        scope.spawn(move || {
            for (number, job) in (1..).zip(jobs) {
                if job.compare_exchange(QUEUED, RUNNING, Relaxed, Relaxed).is_err() {
                    println!("worker: job {number} was cancelled, skipping it");
                    continue;
                }
                println!("worker: job {number} started");
                started_tx.send(()).unwrap();
                gate_rx.recv().ok(); // the work: it lasts until main drops `gate`
                println!("worker: job {number} finished");
            }
        });
        started.recv().unwrap(); // job 1 is running
        println!("main: cancel job 1: {}", cancel(&jobs[0]));
        println!("main: cancel job 3: {}", cancel(&jobs[2]));
        // shutdown(cancel_futures=True): cancel every job that has not started.
        let cancelled: Vec<_> =
            (1..).zip(jobs).filter(|(_, job)| cancel(job)).map(|(n, _)| n).collect();
        println!("main: shutting down, cancelled {cancelled:?}");
        drop(gate);
    });
}
// ANCHOR_END: cancel

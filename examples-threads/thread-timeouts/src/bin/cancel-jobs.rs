//! Which jobs can still be called off?
//!
//! Python's `Future.cancel()` and `shutdown(cancel_futures=True)`: a job waiting
//! in the queue can be cancelled, and the worker skips it; a job that a worker
//! has started cannot, in Rust as in Python, because nothing can stop a running
//! thread from outside. It can only be asked (see the thread-stop-flag example).
//!
//!     cargo run -p thread-timeouts --bin cancel-jobs
//!
//! Watch for: the same lines on every run. One worker, four jobs; job 1 runs
//! until main has made its cancel calls, so jobs 2 to 4 are all still queued.

use std::sync::atomic::{AtomicU8, Ordering::Relaxed};
use std::sync::{Arc, mpsc};
use std::thread;

use clap::Parser;

/// Cancelling queued jobs, and trying to cancel a running one.
#[derive(Parser)]
struct Args {}

// ANCHOR: cancel
const QUEUED: u8 = 0;
const RUNNING: u8 = 1;
const CANCELLED: u8 = 2;

/// `Future.cancel()`: true if the job will never run. One atomic step decides
/// the race with a worker taking the job at the same moment.
fn cancel(job: &AtomicU8) -> bool {
    let before = job.compare_exchange(QUEUED, CANCELLED, Relaxed, Relaxed);
    before.is_ok() || before == Err(CANCELLED)
}

fn cancel_queued_jobs() {
    let (queue, jobs) = mpsc::channel::<(u32, Arc<AtomicU8>)>();
    let (started_tx, started) = mpsc::channel();
    let (gate, gate_rx) = mpsc::channel::<()>();
    let worker = thread::spawn(move || {
        for (number, job) in jobs {
            if job.compare_exchange(QUEUED, RUNNING, Relaxed, Relaxed).is_err() {
                println!("worker: job {number} was cancelled, skipping it");
                continue;
            }
            println!("worker: job {number} started");
            started_tx.send(number).unwrap();
            gate_rx.recv().ok(); // the work: it lasts until main drops `gate`
            println!("worker: job {number} finished");
        }
    });
    let states: Vec<_> = (1..=4).map(|_| Arc::new(AtomicU8::new(QUEUED))).collect();
    for (number, job) in (1..).zip(&states) {
        queue.send((number, Arc::clone(job))).unwrap();
    }
    started.recv().unwrap(); // job 1 is running
    println!("main: cancel job 1: {}", cancel(&states[0]));
    println!("main: cancel job 3: {}", cancel(&states[2]));
    // shutdown(cancel_futures=True): cancel all that has not started, close the queue.
    let cancelled: Vec<_> =
        (1..).zip(&states).filter(|(_, job)| cancel(job)).map(|(n, _)| n).collect();
    println!("main: shutting down, cancelled {cancelled:?}");
    drop(queue);
    drop(gate);
    worker.join().unwrap();
}
// ANCHOR_END: cancel

fn main() {
    sigpipe::reset();
    Args::parse();
    cancel_queued_jobs();
}

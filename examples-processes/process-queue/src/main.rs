//! How do processes send results to their parent?
//!
//! The guide's queue example: four worker processes each put one greeting on a
//! shared `multiprocessing.Queue`, and the parent takes them off, then joins
//! the workers. Here the queue is an ipc-channel: the parent gives every worker
//! a clone of its sending end, and keeps the receiving end.
//!
//!     cargo run -p process-queue
//!
//! Watch for: the greetings arrive in whatever order the workers finish their
//! step of work, not the order they were started. The parent reports the end
//! only after every worker has exited; kill one, and it says which, and how.

use std::thread;
use std::time::Duration;

use anyhow::{Result, ensure};
use clap::{Parser, value_parser};
use process_toolkit::ipc_channel::ipc::{self, IpcSender};
use process_toolkit::worker::{self, Worker};

/// Four worker processes greet their parent through one queue.
#[derive(Parser)]
struct Args {
    /// Milliseconds each worker works before it greets.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: worker
const WORKERS: u32 = 4;

/// A worker's one job: its number, how long it works, the queue's sending end.
type Job = (u32, Duration, IpcSender<String>);

fn greet() -> Result<()> {
    let parent = worker::connect::<Job, ()>()?;
    if let Some((number, work, queue)) = parent.next_job()? {
        thread::sleep(work);
        queue.send(format!("Hello from worker {number} (pid {})", std::process::id()))?;
    }
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset();
    if worker::role().is_some() {
        return greet();
    }
    let work = Duration::from_millis(Args::parse().step_ms);

    let (queue, greetings) = ipc::channel::<String>()?;
    let mut workers = Vec::new();
    for number in 1..=WORKERS {
        let mut worker = Worker::<Job, ()>::start("greet")?;
        worker.send((number, work, queue.clone()))?;
        println!("started worker {number} (pid {})", worker.pid());
        workers.push(worker);
    }
    // Only the workers hold senders now: once every one has exited, recv fails.
    drop(queue);
    while let Ok(greeting) = greetings.recv() {
        println!("received: {greeting}");
    }
    for (number, mut worker) in (1..).zip(workers) {
        let status = worker.wait()?; // a crashed worker is named, with how it ended
        let ended = worker::describe(status);
        ensure!(status.success(), "worker {number} (pid {}) {ended}", worker.pid());
    }
    println!("all {WORKERS} workers have exited");
    Ok(())
}
// ANCHOR_END: main

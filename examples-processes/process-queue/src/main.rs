//! How do processes send results to their parent?
//!
//! Four worker processes each put a greeting on one queue, the guide's
//! `multiprocessing.Queue`; here an ipc-channel, with a sender for each worker.
//!
//!     cargo run -p process-queue
//!
//! Watch for: the greetings arrive in the order the workers finish, not the
//! order they started; the last line comes once every worker has exited.

use std::time::Duration;

use anyhow::Result;
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
type Job = (u32, Duration, IpcSender<String>); // number, time to work, the queue
fn greet() -> Result<()> {
    let parent = worker::connect::<Job, ()>()?;
    let Some((number, work, queue)) = parent.next_job()? else { return Ok(()) };
    std::thread::sleep(work);
    Ok(queue.send(format!("Hello from worker {number} (pid {})", std::process::id()))?)
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
    drop(queue); // now only workers hold senders: recv fails once all have exited
    while let Ok(greeting) = greetings.recv() {
        println!("received: {greeting}");
    }
    workers.into_iter().try_for_each(Worker::join)?; // a crash: its PID, and how it ended
    println!("all {WORKERS} workers have exited");
    Ok(())
}
// ANCHOR_END: main

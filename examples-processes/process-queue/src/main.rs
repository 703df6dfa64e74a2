//! How do processes send results to their parent?
//!
//! The guide's queue example: four worker processes each put one greeting on a
//! shared `multiprocessing.Queue`, and the parent takes four off it, then
//! joins the workers. Here the queue is an ipc-channel: the parent gives every
//! worker a clone of its sending end, and keeps the receiving end.
//!
//! Watch for: the greetings arrive in whatever order the workers finish, not
//! the order they were started; the parent still gets exactly four, and
//! reports the end only after every worker has exited.

use anyhow::{Result, bail};
use process_toolkit::ipc_channel::ipc::{self, IpcSender};
use process_toolkit::worker::{self, Worker};

const WORKERS: u32 = 4;

/// A worker's one job: its number, and the sending end of the shared queue.
type Job = (u32, IpcSender<String>);

// ANCHOR: worker
fn greet() -> Result<()> {
    let parent = worker::connect::<Job, ()>()?;
    if let Some((number, queue)) = parent.next_job()? {
        queue.send(format!("Hello from worker {number} (pid {})", std::process::id()))?;
    }
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: main
fn main() -> Result<()> {
    if let Some(role) = worker::role() {
        if role != "greet" {
            bail!("unknown worker role {role:?}");
        }
        return greet();
    }

    let (queue, greetings) = ipc::channel::<String>()?;
    let mut workers = Vec::new();
    for number in 1..=WORKERS {
        let mut worker = Worker::<Job, ()>::start("greet")?;
        worker.send((number, queue.clone()))?;
        workers.push(worker);
    }
    // Only the workers hold senders now: if they all die, recv fails instead of waiting forever.
    drop(queue);

    for _ in 0..WORKERS {
        println!("received: {}", greetings.recv()?);
    }
    for worker in workers {
        worker.join()?;
    }
    println!("all {WORKERS} workers have exited");
    Ok(())
}
// ANCHOR_END: main

//! How do jobs pass work along a pipeline, and how does the pipeline stop?
//!
//! The Q&A thread's advice for jobs that are not self-contained: make them
//! stages that pass messages through explicit queues. Three stages, parse,
//! work and collect (in `stages.rs`), are connected first by crossbeam
//! channels between threads, then by ipc-channel channels to a work stage in
//! a worker process. No message says "stop": a stage's loop ends when its
//! input channel closes, and the stage then drops its own sender.
//!
//!     cargo run -p sync-message-passing
//!     cargo run -p sync-message-passing -- --crash-at 3
//!
//! Watch for: each stage handles the lines in input order, and the stages
//! close in order: parse, then work, then collect. How their lines interleave
//! changes from run to run. With `--crash-at`, the work process panics: the
//! pipeline ends with an error that says how the process ended, not a hang.

mod stages;

use std::iter;
use std::thread;
use std::time::Duration;

use anyhow::{Result, ensure};
use clap::{Parser, value_parser};
use crossbeam::channel;
use process_toolkit::ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use process_toolkit::worker::{self, Worker};
use serde::{Deserialize, Serialize};
use stages::{Item, collect, parse, work};

/// Three stages passing messages: on threads, then with the middle one in a process.
#[derive(Parser)]
struct Args {
    /// Milliseconds the work stage takes per number.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
    /// Make the work process panic when this line (1 to 6) reaches it.
    #[arg(long, value_name = "LINE", value_parser = value_parser!(u32).range(1..=6))]
    crash_at: Option<u32>,
}

// ANCHOR: threads
fn on_threads(step: Duration) -> Vec<Item> {
    // Bounded: a stage that runs ahead waits for the next instead of piling up items.
    let (to_work, work_input) = channel::bounded(2);
    let (work_output, to_collect) = channel::bounded(2);
    let parser = thread::spawn(move || parse(|item| to_work.send(item).is_ok()));
    let worker = thread::spawn(move || {
        work(work_input, |item| work_output.send(item).is_ok(), step)
    });
    let items = collect(to_collect); // collect runs on this thread
    parser.join().unwrap();
    worker.join().unwrap();
    items
}
// ANCHOR_END: threads

// ANCHOR: processes
/// What the work stage's process is sent: its two ends of the pipeline.
#[derive(Serialize, Deserialize)]
struct Ends {
    input: IpcReceiver<Item>,
    output: IpcSender<Item>,
    step: Duration,
    crash_at: Option<u32>,
}

/// In the worker process: the work stage, between the two ends it was sent.
fn work_in_this_process() -> Result<()> {
    let parent = worker::connect::<Ends, ()>()?;
    let Some(ends) = parent.next_job()? else { return Ok(()) };
    println!("work: running in pid {}", std::process::id());
    // recv() fails once every sender is gone, and that ends the input.
    let input = iter::from_fn(|| ends.input.recv().ok()).inspect(|item| {
        if ends.crash_at == Some(item.line) {
            panic!("work: crashing at line {}, as --crash-at asked", item.line);
        }
    });
    work(input, |item| ends.output.send(item).is_ok(), ends.step);
    Ok(())
}

fn in_processes(step: Duration, crash_at: Option<u32>) -> Result<Vec<Item>> {
    let (to_work, work_input) = ipc::channel()?;
    let (work_output, to_collect) = ipc::channel()?;
    let mut worker = Worker::<Ends, ()>::start("work")?;
    // The middle ends move to the worker: when it exits, however it exits, they close.
    worker.send(Ends { input: work_input, output: work_output, step, crash_at })?;
    let parser = thread::spawn(move || parse(|item| to_work.send(item).is_ok()));
    let items = collect(iter::from_fn(|| to_collect.recv().ok()));
    parser.join().unwrap();
    worker.join()?; // a crashed work stage is reported here, with how it ended
    Ok(items)
}
// ANCHOR_END: processes

fn main() -> Result<()> {
    sigpipe::reset();
    if worker::role().is_some() {
        return work_in_this_process(); // this process is the work stage
    }
    let args = Args::parse();
    let step = Duration::from_millis(args.step_ms);
    println!("-- threads, connected by crossbeam channels --");
    let threads = on_threads(step);
    println!("-- the work stage in a worker process, connected by ipc-channel --");
    let processes = in_processes(step, args.crash_at)?;
    ensure!(threads == processes, "the two pipelines disagree");
    println!("both pipelines gave the same results");
    Ok(())
}

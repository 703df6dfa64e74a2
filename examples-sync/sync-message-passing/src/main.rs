//! How do jobs pass work along a pipeline, and how does the pipeline stop?
//!
//! The Q&A thread's advice for jobs that are not self-contained: make them
//! stages that pass messages through explicit queues. Three stages, parse,
//! work and collect (in `stages.rs`), are connected first by crossbeam
//! channels between threads, then by ipc-channel channels to a work stage in
//! a worker process. No message says "stop": a stage's loop ends when its
//! input channel closes, and the stage then drops its own sender.
//!
//! Watch for: each stage handles the lines in input order, and the stages
//! close in order: parse, then work, then collect. How their lines interleave
//! changes from run to run. With `--crash-at LINE` the work stage panics at
//! that line: each pipeline ends with an error instead of waiting forever.

mod stages;

use std::iter;
use std::thread;
use std::time::Duration;

use anyhow::{Result, anyhow, bail, ensure};
use crossbeam::channel;
use process_toolkit::ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use process_toolkit::pace;
use process_toolkit::worker::{self, Worker};
use serde::{Deserialize, Serialize};
use stages::{Item, LINES, collect, parse, work};

// ANCHOR: threads
fn on_threads(step: Duration, crash_at: Option<usize>) -> Result<Vec<Item>> {
    // Bounded: a stage that runs ahead waits for the next instead of piling up items.
    let (to_work, work_input) = channel::bounded(2);
    let (work_output, to_collect) = channel::bounded(2);
    let parser = thread::spawn(move || parse(|item| to_work.send(item).is_ok()));
    let worker = thread::spawn(move || {
        work(
            work_input.into_iter(),
            |item| work_output.send(item).is_ok(),
            step,
            crash_at,
        )
    });
    let items = collect(to_collect.into_iter()); // collect runs on this thread
    parser.join().map_err(|_| anyhow!("the parse thread panicked"))?;
    worker.join().map_err(|_| anyhow!("the work thread panicked"))?;
    Ok(items)
}
// ANCHOR_END: threads

// ANCHOR: processes
/// What the work stage's process is sent: its two ends of the pipeline.
#[derive(Serialize, Deserialize)]
struct Ends {
    input: IpcReceiver<Item>,
    output: IpcSender<Item>,
    crash_at: Option<usize>,
}

/// In the worker process: the work stage, between the two ends it was sent.
fn work_in_this_process() -> Result<()> {
    let parent = worker::connect::<Ends, ()>()?;
    let Some(ends) = parent.next_job()? else { return Ok(()) };
    println!("work: running in pid {}", std::process::id());
    let input = iter::from_fn(|| ends.input.recv().ok()); // None once all senders are gone
    work(input, |item| ends.output.send(item).is_ok(), pace::step()?, ends.crash_at);
    Ok(())
}

fn in_processes(crash_at: Option<usize>) -> Result<Vec<Item>> {
    let (to_work, work_input) = ipc::channel()?;
    let (work_output, to_collect) = ipc::channel()?;
    let mut worker = Worker::<Ends, ()>::start("work")?;
    // The middle ends move to the worker: when it exits, however it exits, they close.
    worker.send(Ends { input: work_input, output: work_output, crash_at })?;
    let parser = thread::spawn(move || parse(|item| to_work.send(item).is_ok()));
    let items = collect(iter::from_fn(|| to_collect.recv().ok()));
    parser.join().map_err(|_| anyhow!("the parse thread panicked"))?;
    worker.join()?; // a crashed work stage is reported here, with how it ended
    Ok(items)
}
// ANCHOR_END: processes

/// Prints what a pipeline gave, or on stderr why it failed.
fn report(part: &str, outcome: Result<Vec<Item>>) -> Option<Vec<Item>> {
    let items =
        outcome.map_err(|err| eprintln!("{part}: the pipeline failed: {err:#}")).ok()?;
    let squares: Vec<i64> =
        items.iter().filter_map(|item| item.value.clone().ok()).collect();
    let errors = items.len() - squares.len();
    println!("{part}: squares {squares:?} and {errors} errors, in input order");
    Some(items)
}

fn main() -> Result<()> {
    if let Some(role) = worker::role() {
        ensure!(role == "work", "unknown worker role {role:?}");
        return work_in_this_process();
    }
    let step = pace::step()?;
    let crash_at = crash_at_from_args();

    println!("-- threads, connected by crossbeam channels --");
    let threads = report("threads", on_threads(step, crash_at));
    println!("-- the work stage in a worker process, connected by ipc-channel --");
    let processes = report("processes", in_processes(crash_at));
    let (Some(threads), Some(processes)) = (threads, processes) else {
        bail!("a pipeline failed");
    };
    ensure!(threads == processes, "the two pipelines disagree");
    println!("both pipelines gave the same results");
    Ok(())
}

/// `--crash-at LINE`, or nothing; anything else stops the program with exit code 2.
fn crash_at_from_args() -> Option<usize> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let problem = match args.as_slice() {
        [] => return None,
        [flag, line] if flag == "--crash-at" => match line.parse() {
            Ok(line) if (1..=LINES.len()).contains(&line) => return Some(line),
            _ => {
                format!("--crash-at needs a line from 1 to {}, not {line:?}", LINES.len())
            }
        },
        [other, ..] => format!("unexpected argument {other:?}"),
    };
    eprintln!(
        "sync-message-passing: {problem}\nusage: sync-message-passing [--crash-at LINE]"
    );
    std::process::exit(2);
}

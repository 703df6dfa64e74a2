//! What does a thread, or a process, cost per job?
//!
//! The short post's exercise: run `calc_square` and `calc_quad` on threads, on
//! processes and on neither, and measure the difference. Here the same small
//! jobs run seven ways, from inline to a process each; the figure is the time
//! per job. `--with-python` measures Python's ways in the same run.
//!
//!     cargo run --release -p bench-overhead -- --with-python
//!
//! Watch for: the job itself costs almost nothing, so each row is the price of
//! its way of running a job: a thread costs far less than a process, and a
//! pool pays its start once for all the jobs.

mod processes;

use std::thread;

use anyhow::{Result, ensure};
use benchmark_kit::{Chart, CommonOptions, Report, thousands, timed};
use clap::{Parser, value_parser};
use process_toolkit::pool::{self, Executor, ProcessPool, ThreadPool};
use process_toolkit::worker;

use processes::{exec_per_job, fork_per_job, run_as_child, spawn_per_job};

/// The cost per job of threads, processes, pools, and neither.
#[derive(Parser)]
struct Args {
    /// How many jobs each way runs.
    #[arg(long, default_value_t = 50, value_parser = value_parser!(u64).range(1..=10_000))]
    jobs: u64,
    /// How many threads or processes each pool starts.
    #[arg(long, default_value_t = 4, value_parser = value_parser!(u64).range(1..=64))]
    workers: u64,
    #[command(flatten)]
    common: CommonOptions,
}

// ANCHOR: job
/// One job: the post's `calc_square` and `calc_quad` of one number.
type Answer = (u64, u64);

fn calc(number: u64) -> Answer {
    (number * number, number * number * number * number)
}
// ANCHOR_END: job

// ANCHOR: threads
fn inline(numbers: &[u64], _: usize) -> Result<Vec<Answer>> {
    Ok(numbers.iter().map(|&number| calc(number)).collect())
}

/// A new thread for each job, started and joined before the next. (`join`
/// gives an `Err` if the thread panicked; `unwrap` passes the panic on.)
fn thread_per_job(numbers: &[u64], _: usize) -> Result<Vec<Answer>> {
    let run = |&number: &u64| thread::spawn(move || calc(number)).join().unwrap();
    Ok(numbers.iter().map(run).collect())
}

/// A pool started for these jobs and stopped after them, inside the timing.
fn thread_pool(numbers: &[u64], workers: usize) -> Result<Vec<Answer>> {
    Ok(ThreadPool::new(workers, calc).map(numbers.iter().copied())?)
}
// ANCHOR_END: threads

// ANCHOR: pool
/// The same jobs on a pool of worker processes, started and stopped inside the timing.
fn process_pool(numbers: &[u64], workers: usize) -> Result<Vec<Answer>> {
    Ok(ProcessPool::new(workers, calc)?.map(numbers.iter().copied())?)
}
// ANCHOR_END: pool

fn main() -> Result<()> {
    sigpipe::reset();
    pool::serve_if_worker(calc); // in a process pool's worker: serve jobs, then exit
    if let Some(role) = worker::role() {
        return run_as_child(&role);
    }
    let args = Args::parse();
    benchmark_kit::run(&args.common, Chart::Bars { log: true }, || measure(&args))
}

// ANCHOR: measure
type Way = fn(&[u64], usize) -> Result<Vec<Answer>>;

/// The rows, in the table's order, named as Python's are.
const WAYS: [(&str, Way); 7] = [
    ("inline", inline),
    ("thread per job", thread_per_job),
    ("thread pool", thread_pool),
    ("fork per job", fork_per_job),
    ("exec per job", exec_per_job),
    ("spawn per job", spawn_per_job),
    ("process pool", process_pool),
];

fn measure(args: &Args) -> Result<Report> {
    let numbers: Vec<u64> = (1..=args.jobs).collect();
    let expected = inline(&numbers, 0)?;
    let mut report =
        Report::new("bench-overhead", "The cost of one job", "way", "µs per job");
    report.rows = WAYS.iter().map(|(name, _)| name.to_string()).collect();
    report.setting("jobs", thousands(args.jobs));
    let pools =
        format!("{} workers, started and stopped inside the timing", args.workers);
    report.setting("pools", pools);
    report.measure(&[("Rust", ())], args.common.runs, |(), row| {
        let (answers, seconds) = timed(|| WAYS[row].1(&numbers, args.workers as usize))?;
        ensure!(answers == expected, "wrong answers");
        Ok(Some(seconds * 1e6 / args.jobs as f64))
    })?;
    // ANCHOR_END: measure
    let python = [("--jobs", args.jobs), ("--workers", args.workers)];
    report.add_python(&args.common, "bench_overhead.py", python)?;
    Ok(report)
}

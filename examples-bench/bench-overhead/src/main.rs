//! What does a thread, or a process, cost per job?
//!
//! The short post ends with an exercise: run `calc_square` and `calc_quad`
//! on threads, on processes and on neither, and measure the difference. Here
//! the same small jobs run six ways: inline, on a new thread each, on a
//! thread pool, on a forked process each, on a spawned (re-executed) process
//! each, and on a process pool. The figure is the time per job.
//! `--with-python` measures Python's six ways in the same run.
//!
//! Watch for: the computation itself costs almost nothing, so each row is the
//! price of its way of running a job: a thread costs far less than a process,
//! a spawned process far more than a forked one, and a pool pays its start
//! once for all the jobs. Build with `--release`.

use std::io::{self, Read, Write};
use std::thread;

use anyhow::{Context, Result, anyhow, bail, ensure};
use benchmark_kit::{Chart, Column, CommonOptions, Report, python_dir, thousands, timed};
use clap::Parser;
use nix::unistd::{ForkResult, fork};
use process_toolkit::forked;
use process_toolkit::pool::{self, Executor, ProcessPool, ThreadPool};
use process_toolkit::worker::{self, Worker};

#[derive(Parser)]
#[command(about = "The cost per job of threads, processes, pools, and neither")]
struct Options {
    /// How many jobs each way runs.
    #[arg(long, default_value_t = 50,
          value_parser = clap::value_parser!(u64).range(1..=10_000))]
    jobs: u64,
    /// How many threads or processes each pool starts.
    #[arg(long, default_value_t = 4,
          value_parser = clap::value_parser!(u64).range(1..=64))]
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
fn inline(numbers: &[u64]) -> Result<Vec<Answer>> {
    Ok(numbers.iter().map(|&number| calc(number)).collect())
}

/// A new thread for each job, started and joined before the next.
fn thread_per_job(numbers: &[u64]) -> Result<Vec<Answer>> {
    let run = |&number: &u64| thread::spawn(move || calc(number)).join();
    numbers
        .iter()
        .map(|number| run(number).map_err(|_| anyhow!("a job panicked")))
        .collect()
}

/// A pool started for these jobs and stopped after them, inside the timing.
fn thread_pool(numbers: &[u64], workers: usize) -> Result<Vec<Answer>> {
    Ok(ThreadPool::new(workers, calc).map(numbers.iter().copied())?)
}
// ANCHOR_END: threads

// ANCHOR: fork
/// A forked child for each job, one after the other; each answer comes back
/// through a pipe, since the child's memory is its own.
fn process_per_job_forked(numbers: &[u64]) -> Result<Vec<Answer>> {
    // Forking copies only the calling thread: a lock another thread held would
    // stay locked in the child forever. So this runs before any thread starts.
    ensure!(threads_in_this_process()? == 1, "fork must come before the first thread");
    io::stdout().flush()?; // else each child would inherit, and print, what is buffered
    numbers.iter().map(|&number| in_forked_child(number)).collect()
}

fn in_forked_child(number: u64) -> Result<Answer> {
    let (mut reader, mut writer) = io::pipe()?;
    // SAFETY: this process has a single thread (checked above), so the child is
    // a whole copy of it and may run any code, not only async-signal-safe calls.
    match unsafe { fork() }? {
        ForkResult::Child => {
            let (square, quad) = calc(number);
            let mut bytes = [0; 16];
            bytes[..8].copy_from_slice(&square.to_le_bytes());
            bytes[8..].copy_from_slice(&quad.to_le_bytes());
            let sent = writer.write_all(&bytes);
            // Exit here: returning would run the rest of the parent's program again.
            std::process::exit(i32::from(sent.is_err()))
        }
        ForkResult::Parent { child } => {
            drop(writer);
            let mut bytes = [0; 16];
            let read = reader.read_exact(&mut bytes);
            // A child that failed is reported before what it sent is read.
            forked::join(child)?;
            read.context("the child sent no answer")?;
            let half = |range: std::ops::Range<usize>| {
                u64::from_le_bytes(bytes[range].try_into().expect("8 bytes"))
            };
            Ok((half(0..8), half(8..16)))
        }
    }
}
// ANCHOR_END: fork

// ANCHOR: spawn
/// A spawned child for each job: this program started again as a worker,
/// connected over ipc-channel, given one job, then told to exit.
fn process_per_job_spawned(numbers: &[u64]) -> Result<Vec<Answer>> {
    let run = |&number: &u64| {
        let mut child = Worker::<u64, Answer>::start(CALC_ROLE)?;
        child.send(number)?;
        let answer = child.recv()?;
        child.join()?;
        Ok(answer)
    };
    numbers.iter().map(run).collect()
}

/// The same jobs on a pool of worker processes, started and stopped inside the timing.
fn process_pool(numbers: &[u64], workers: usize) -> Result<Vec<Answer>> {
    Ok(ProcessPool::new(workers, calc)?.map(numbers.iter().copied())?)
}
// ANCHOR_END: spawn

/// The role of a spawned child: answer the jobs its parent sends.
const CALC_ROLE: &str = "calc";

fn serve_calc() -> Result<()> {
    let parent = worker::connect::<u64, Answer>()?;
    while let Some(number) = parent.next_job()? {
        parent.reply(calc(number))?;
    }
    Ok(())
}

/// How many threads this process has now, as Linux counts them.
fn threads_in_this_process() -> Result<usize> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status.lines().find_map(|line| line.strip_prefix("Threads:"));
    Ok(line.context("no Threads: line in /proc/self/status")?.trim().parse()?)
}

fn main() -> Result<()> {
    pool::serve_if_worker(calc); // in a process pool's worker: serve jobs, then exit
    match worker::role().as_deref() {
        Some(CALC_ROLE) => return serve_calc(),
        Some(other) => bail!("unknown worker role {other:?}"),
        None => {}
    }
    let options = Options::parse();
    let chart = Chart::Bars { log: true };
    if let Some(path) = &options.common.from_json {
        return benchmark_kit::publish(
            &Report::read_json(path)?,
            &options.common,
            &chart,
        );
    }
    let report = measure(&options)?;
    benchmark_kit::publish(&report, &options.common, &chart)
}

// ANCHOR: measure
type Way = fn(&[u64], usize) -> Result<Vec<Answer>>;

/// The six ways, in the table's order. Python's rows have the same names.
const WAYS: [(&str, Way); 6] = [
    ("inline", |numbers, _| inline(numbers)),
    ("thread per job", |numbers, _| thread_per_job(numbers)),
    ("thread pool", thread_pool),
    ("fork per job", |numbers, _| process_per_job_forked(numbers)),
    ("spawn per job", |numbers, _| process_per_job_spawned(numbers)),
    ("process pool", process_pool),
];

/// The order they are measured in: the forks come before every way that
/// starts a thread (the pools and `Worker::start` start threads too).
const MEASURE_ORDER: [usize; 6] = [0, 3, 1, 2, 4, 5];

fn measure(options: &Options) -> Result<Report> {
    let numbers: Vec<u64> = (1..=options.jobs).collect();
    let expected = inline(&numbers)?;
    let (runs, workers) = (options.common.runs, options.workers as usize);
    let mut report =
        Report::new("bench-overhead", "The cost of one job", "way", "µs per job");
    report.rows = WAYS.iter().map(|(name, _)| name.to_string()).collect();
    report.setting("jobs", thousands(options.jobs));
    report.setting(
        "pools",
        format!("{workers} workers, started and stopped inside the timing"),
    );

    let bar = benchmark_kit::progress((WAYS.len() as u64) * u64::from(runs));
    let mut column = Column { name: "Rust".into(), runs: vec![Vec::new(); WAYS.len()] };
    for row in MEASURE_ORDER {
        let (name, way) = WAYS[row];
        bar.set_message(name);
        for _ in 0..runs {
            let (answers, seconds) = timed(|| way(&numbers, workers))?;
            ensure!(answers == expected, "{name} gave wrong answers");
            column.runs[row].push(seconds * 1e6 / options.jobs as f64);
            bar.inc(1);
        }
    }
    report.columns.push(column);
    // ANCHOR_END: measure
    if options.common.with_python {
        let args = [
            "--jobs".to_owned(),
            options.jobs.to_string(),
            "--workers".to_owned(),
            workers.to_string(),
            "--runs".to_owned(),
            runs.to_string(),
        ];
        let script = python_dir().join("bench_overhead.py");
        report.merge(benchmark_kit::run_python(&script, &args, &bar)?)?;
    }
    bar.finish_and_clear();
    Ok(report)
}

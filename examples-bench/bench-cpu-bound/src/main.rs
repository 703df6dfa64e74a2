//! Do threads speed up CPU-bound work? In Python they do not; in Rust?
//!
//! The long guide's CPU table: sum the first n integers, split into equal
//! ranges over 1 to 16 workers, and time it. Here the workers are threads,
//! a thread pool, rayon, and worker processes; `--gil` adds threads that must
//! hold one global lock while they compute, as Python's threads hold the GIL;
//! `--with-python` measures the Python version in the same run.
//!
//! Watch for: every Rust column speeds up until the workers outnumber the
//! cores, then stays flat; the `--gil` column and Python's threads stay near
//! 1x; Python's processes scale like Rust's. Build with `--release`.

use std::hint::black_box;
use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use anyhow::{Result, ensure};
use benchmark_kit::{Chart, Column, CommonOptions, Report, python_dir, thousands, timed};
use clap::Parser;
use process_toolkit::pool::{self, Executor, ProcessPool, ThreadPool};

#[derive(Parser)]
#[command(about = "Sum the first n integers on 1 to 16 workers: threads vs processes")]
struct Options {
    /// The worker counts, the rows of the table.
    #[arg(long, value_delimiter = ',', default_value = "1,2,4,8,16",
          value_parser = clap::value_parser!(u64).range(1..=64))]
    workers: Vec<u64>,
    /// How many integers Rust sums.
    #[arg(long, default_value_t = 500_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    n: u64,
    /// How many integers Python sums (it takes about a hundred times longer per integer).
    #[arg(long, default_value_t = 10_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    python_n: u64,
    /// Add a column of threads that take one global lock per slice of work, like the GIL.
    #[arg(long)]
    gil: bool,
    #[command(flatten)]
    common: CommonOptions,
}

// ANCHOR: work
/// The work: add up `range` one integer at a time. `black_box` keeps the
/// optimizer from replacing the loop by the formula n(n-1)/2, which would
/// take no time at all whatever n is. `inline(never)`: every way of running
/// it calls this same machine code (all but rayon's, which splits and adds
/// up the range itself), so the columns differ only in how it is run.
#[inline(never)]
fn sum(range: Range<u64>) -> u64 {
    let mut total = 0_u64;
    for i in range {
        total = total.wrapping_add(black_box(i));
    }
    total
}

/// `0..n` cut into `parts` ranges of (almost) equal length.
fn split(n: u64, parts: u64) -> Vec<Range<u64>> {
    (0..parts).map(|part| n * part / parts..n * (part + 1) / parts).collect()
}

/// How many chunks each worker's share is cut into. Workers take chunks one
/// at a time until none are left, so a worker whose core is slowed down (by
/// another program, on a shared machine) does less, instead of making all
/// the others wait for its fixed half.
const CHUNKS_PER_WORKER: u64 = 16;
// ANCHOR_END: work

/// A range as a process pool's job: `Range` itself is not serializable.
fn sum_job((start, end): (u64, u64)) -> u64 {
    sum(start..end)
}

// ANCHOR: ways
/// What each thread does: take the next chunk and add it up, until none are
/// left. With a `gil`, only while holding it, as in CPython.
fn add_up_chunks(
    chunks: &[Range<u64>],
    next: &AtomicUsize,
    gil: Option<&Mutex<()>>,
) -> u64 {
    let mut total = 0_u64;
    while let Some(chunk) = chunks.get(next.fetch_add(1, Ordering::Relaxed)) {
        let _held = gil.map(|gil| gil.lock().unwrap()); // the line that serializes them
        total = total.wrapping_add(sum(chunk.clone()));
    }
    total
}

fn on_threads(n: u64, workers: u64, gil: Option<&Mutex<()>>) -> u64 {
    let (chunks, next) = (split(n, workers * CHUNKS_PER_WORKER), AtomicUsize::new(0));
    thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| add_up_chunks(&chunks, &next, gil)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .fold(0, u64::wrapping_add)
    })
}

/// Python's threads in Rust: the same threads, but each computes only while
/// it holds one global lock, handed over after every chunk.
fn on_threads_with_gil(n: u64, workers: u64) -> u64 {
    static GIL: Mutex<()> = Mutex::new(());
    on_threads(n, workers, Some(&GIL))
}

fn on_thread_pool(n: u64, workers: u64) -> Result<u64> {
    let pool = ThreadPool::new(workers as usize, sum);
    let chunks = split(n, workers * CHUNKS_PER_WORKER);
    Ok(pool.map(chunks)?.into_iter().fold(0, u64::wrapping_add))
}

fn on_rayon(n: u64, workers: u64) -> Result<u64> {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(workers as usize).build()?;
    Ok(pool.install(|| {
        (0..n).into_par_iter().map(black_box).reduce(|| 0, u64::wrapping_add)
    }))
}

fn on_processes(n: u64, workers: u64) -> Result<u64> {
    let pool = ProcessPool::new(workers as usize, sum_job)?;
    let chunks = split(n, workers * CHUNKS_PER_WORKER);
    let jobs = chunks.into_iter().map(|range| (range.start, range.end));
    Ok(pool.map(jobs)?.into_iter().fold(0, u64::wrapping_add))
}
// ANCHOR_END: ways

fn main() -> Result<()> {
    pool::serve_if_worker(sum_job); // in a worker process: serve jobs, then exit
    let options = Options::parse();
    let chart = Chart::Speedup;
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
fn measure(options: &Options) -> Result<Report> {
    type Way = fn(u64, u64) -> Result<u64>;
    let mut ways: Vec<(&str, Way)> = vec![
        ("Rust threads", |n, w| Ok(on_threads(n, w, None))),
        ("Rust thread pool", on_thread_pool),
        ("Rust rayon", on_rayon),
        ("Rust processes", on_processes),
    ];
    if options.gil {
        ways.push(("Rust threads, one global lock", |n, w| {
            Ok(on_threads_with_gil(n, w))
        }));
    }
    let (n, runs) = (options.n, options.common.runs);
    let mut report = Report::new("bench-cpu-bound", "Summing integers", "workers", "s");
    report.rows = options.workers.iter().map(u64::to_string).collect();
    report.speedup = true;
    report.setting("Rust n", thousands(n));

    let cores = report.machine.cores as f64;
    let ideal = options.workers.iter().map(|&w| vec![(w as f64).min(cores)]).collect();
    report.ideal = Some(Column { name: "ideal".into(), runs: ideal });

    let bar = benchmark_kit::progress(
        (ways.len() * options.workers.len()) as u64 * runs as u64,
    );
    let expected = (u128::from(n) * u128::from(n - 1) / 2) as u64; // what `sum` wraps to
    report.columns = ways
        .iter()
        .map(|(name, _)| Column {
            name: name.to_string(),
            runs: vec![vec![]; report.rows.len()],
        })
        .collect();
    // Round after round of every cell, rather than one column after another:
    // a spell of load from elsewhere on a shared machine then slows a little
    // of every column, instead of all of one.
    for round in 1..=runs {
        for (row, &workers) in options.workers.iter().enumerate() {
            for (column, (name, way)) in ways.iter().enumerate() {
                bar.set_message(format!("round {round}: {name}, {workers} workers"));
                let (total, time) = timed(|| way(n, workers))?;
                ensure!(
                    total == expected,
                    "{name} on {workers} workers summed to {total}"
                );
                report.columns[column].runs[row].push(time);
                bar.inc(1);
            }
        }
    }
    // ANCHOR_END: measure
    report.setting("work check", work_check(n)?);
    if options.common.with_python {
        let args = vec![
            "--workers".to_owned(),
            options.workers.iter().map(u64::to_string).collect::<Vec<_>>().join(","),
            "--n".to_owned(),
            options.python_n.to_string(),
            "--runs".to_owned(),
            runs.to_string(),
        ];
        let script = python_dir().join("bench_cpu_bound.py");
        report.merge(benchmark_kit::run_python(&script, &args, &bar)?)?;
    }
    bar.finish_and_clear();
    Ok(report)
}

/// Proof that the loop was not optimized away: on one thread, summing twice
/// the integers takes about twice as long.
fn work_check(n: u64) -> Result<String> {
    let time = |range: Range<u64>| Ok::<_, anyhow::Error>(timed(|| Ok(sum(range)))?.1);
    let (half, whole) = (time(0..n / 2)?, time(0..n)?);
    Ok(format!(
        "n/2 integers take {:.2} of the time of n (0.5 if the loop really runs)",
        half / whole
    ))
}

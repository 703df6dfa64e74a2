//! Do threads speed up CPU-bound work? In Python they do not; in Rust?
//!
//! The long guide's CPU table: sum the first n integers on 1 to 16 workers.
//! Here the workers are threads, a thread pool, rayon, and worker processes;
//! `--gil` adds threads that compute only while they hold one global lock, as
//! Python's threads hold the GIL; `--with-python` runs the Python version too.
//!
//!     cargo run --release -p bench-cpu-bound -- --gil --with-python
//!
//! Watch for: every Rust column speeds up until the workers outnumber the cores;
//! the `--gil` column and Python's threads stay near 1x.

use std::sync::{Mutex, atomic::AtomicUsize, atomic::Ordering};
use std::{hint::black_box, ops::Range, thread};

use anyhow::{Result, ensure};
use benchmark_kit::{Chart, CommonOptions, Report, comma_list, thousands, timed};
use clap::{Parser, value_parser};
use process_toolkit::pool::{self, Executor, ProcessPool, ThreadPool};

/// Sum the first n integers on 1 to 16 workers: threads vs processes.
#[derive(Parser)]
struct Args {
    /// The worker counts, the rows of the table.
    #[arg(long, value_delimiter = ',', default_value = "1,2,4,8,16",
          value_parser = value_parser!(u64).range(1..=64))]
    workers: Vec<u64>,
    /// How many integers Rust sums (at most a trillion: about ten minutes a run).
    #[arg(long, default_value_t = 500_000_000,
          value_parser = value_parser!(u64).range(1..=1_000_000_000_000))]
    n: u64,
    /// How many integers Python sums (a Python loop takes about fifty times longer).
    #[arg(long, default_value_t = 10_000_000,
          value_parser = value_parser!(u64).range(1..=20_000_000_000))]
    python_n: u64,
    /// Add a column of threads that take one global lock per chunk of work, like the GIL.
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

/// `0..n` cut into `CHUNKS_PER_WORKER` ranges of (almost) equal length per worker.
fn chunks(n: u64, workers: u64) -> Vec<Range<u64>> {
    let parts = workers * CHUNKS_PER_WORKER;
    (0..parts).map(|part| n * part / parts..n * (part + 1) / parts).collect()
}

/// How many chunks each worker's share is cut into: a worker takes the next
/// chunk until none are left, so one slowed down by another program does less.
const CHUNKS_PER_WORKER: u64 = 16;
// ANCHOR_END: work

// ANCHOR: ways
/// Python's GIL in Rust, for `--gil`. Unlike CPython's GIL, a `Mutex` forces
/// no turn taking: the thread that unlocks it often locks it again before a
/// waiting thread has woken up. Either way, one thread computes at a time.
static GIL: Mutex<()> = Mutex::new(());

fn on_threads(n: u64, workers: u64, gil: Option<&Mutex<()>>) -> u64 {
    let (chunks, next) = (chunks(n, workers), AtomicUsize::new(0));
    // Each thread takes the next chunk and adds it up, until none are left.
    let add_up_chunks = || {
        let mut subtotal = 0_u64;
        while let Some(chunk) = chunks.get(next.fetch_add(1, Ordering::Relaxed)) {
            let _held = gil.map(|gil| gil.lock().unwrap()); // the line that serializes them
            subtotal = subtotal.wrapping_add(sum(chunk.clone()));
        }
        subtotal
    };
    thread::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(add_up_chunks)).collect();
        total(handles.into_iter().map(|handle| handle.join().unwrap()))
    })
}

fn on_rayon(n: u64, workers: u64) -> Result<u64> {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(workers as usize).build()?;
    let sum = || (0..n).into_par_iter().map(black_box).reduce(|| 0, u64::wrapping_add);
    Ok(pool.install(sum))
}

/// The workers' sums added up, wrapping as `sum` does.
fn total(sums: impl IntoIterator<Item = u64>) -> u64 {
    sums.into_iter().fold(0, u64::wrapping_add)
}

type Way = fn(u64, u64) -> Result<u64>;
/// The columns: the ways to sum `n` on `w` workers (the last with `--gil` only).
const WAYS: [(&str, Way); 5] = [
    ("Rust threads", |n, w| Ok(on_threads(n, w, None))),
    ("Rust thread pool", |n, w| {
        Ok(total(ThreadPool::new(w as usize, sum).map(chunks(n, w))?))
    }),
    ("Rust rayon", on_rayon),
    // The same chunks, sent to worker processes: a `Range` is serializable.
    ("Rust processes", |n, w| {
        Ok(total(ProcessPool::new(w as usize, sum)?.map(chunks(n, w))?))
    }),
    ("Rust threads, one global lock", |n, w| Ok(on_threads(n, w, Some(&GIL)))),
];
// ANCHOR_END: ways

fn main() -> Result<()> {
    sigpipe::reset();
    pool::serve_if_worker(sum); // in a worker process: serve jobs, then exit
    let args = Args::parse();
    benchmark_kit::run(&args.common, Chart::Speedup, || measure(&args))
}

// ANCHOR: measure
fn measure(args: &Args) -> Result<Report> {
    let mut report = Report::new("bench-cpu-bound", "Summing integers", "workers", "s");
    report.speedup_over(&args.workers);
    report.setting("Rust n", thousands(args.n));
    let n = u128::from(args.n);
    let expected = (n * (n - 1) / 2) as u64; // what `sum` wraps to
    let ways = &WAYS[..4 + usize::from(args.gil)];
    report.measure(ways, args.common.runs, |way, row| {
        let (total, seconds) = timed(|| way(args.n, args.workers[row]))?;
        ensure!(total == expected, "summed to {total}, not {expected}");
        Ok(Some(seconds))
    })?;
    // ANCHOR_END: measure
    // Proof that the loop was not optimized away: half the integers, half the time.
    let seconds = |range| timed(|| Ok(sum(range))).map_or(f64::NAN, |(_, time)| time);
    let ratio = seconds(0..args.n / 2) / seconds(0..args.n);
    let check = "of the time of n (0.5 if the loop really runs)";
    report.setting("work check", format!("n/2 integers take {ratio:.2} {check}"));
    let python =
        [("--workers", comma_list(&args.workers)), ("--n", args.python_n.to_string())];
    report.add_python(&args.common, "bench_cpu_bound.py", python)?;
    Ok(report)
}

//! Do threads speed up CPU-bound work? In Python they do not; in Rust?
//!
//! The long guide's CPU table: sum the first n integers on 1 to 16 threads,
//! a thread pool, rayon and processes, beside what independent processes get
//! from the cores now (the measured limit). `--gil` adds threads that compute
//! only while they hold one global lock; `--with-python`, Python's version.
//!
//!     cargo run --release -p bench-cpu-bound -- --gil --with-python
//!
//! Watch for: Rust's columns near the measured limit; `--gil` and Python's threads near 1x.

use anyhow::{Result, ensure};
use benchmark_kit::{Chart, CommonOptions, Report, comma_list, thousands, timed};
use clap::{Parser, value_parser};
use process_toolkit::pool::{self, Executor, ProcessPool, ThreadPool};
use std::sync::{Mutex, atomic::AtomicUsize, atomic::Ordering};
use std::{hint::black_box, ops::Range, thread};

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
    /// How many integers Python sums (a Python loop takes fifty to a hundred times longer).
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
/// optimizer from replacing the loop by the formula n(n-1)/2. `inline(never)`:
/// every way but rayon's calls this same machine code.
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

/// Chunks per worker: each takes the next until none are left, so a slowed one does less.
const CHUNKS_PER_WORKER: u64 = 16;
// ANCHOR_END: work

// ANCHOR: ways
/// Python's GIL in Rust, for `--gil`. Unlike CPython's, a `Mutex` forces no
/// turn taking, but either way one thread computes at a time.
static GIL: Mutex<()> = Mutex::new(());

fn on_threads(n: u64, workers: u64, gil: Option<&Mutex<()>>) -> u64 {
    let (chunks, next) = (chunks(n, workers), AtomicUsize::new(0));
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
/// What the cores give now: `sum` in one single-threaded process per core, sharing nothing.
fn measured_limit(n: u64, workers: u64) -> Result<u64> {
    let count = workers.min(thread::available_parallelism()?.get() as u64);
    let shares: Vec<_> = (0..count).map(|p| n * p / count..n * (p + 1) / count).collect();
    Ok(total(benchmark_kit::solo_processes(&shares)?))
}
// ANCHOR_END: ways

fn main() -> Result<()> {
    sigpipe::reset();
    pool::serve_if_worker(sum); // in a worker process: serve jobs, then exit
    benchmark_kit::solo_if_asked(sum); // in a process of the measured limit: the same
    let args = Args::parse();
    benchmark_kit::run(&args.common, Chart::Speedup, || measure(&args))
}

// ANCHOR: measure
fn measure(args: &Args) -> Result<Report> {
    let mut report = Report::new("bench-cpu-bound", "Summing integers", "workers", "s");
    report.speedup_over(&args.workers);
    report.setting("Rust n", thousands(args.n));
    let expected = (u128::from(args.n) * u128::from(args.n - 1) / 2) as u64; // as `sum` wraps
    let mut ways = WAYS[..4 + usize::from(args.gil)].to_vec();
    ways.push(("measured limit", measured_limit)); // in the same rounds as the others
    report.measure(&ways, args.common.runs, |way, row| {
        let (total, seconds) = timed(|| way(args.n, args.workers[row]))?;
        ensure!(total == expected, "summed to {total}, not {expected}");
        Ok(Some(seconds))
    })?;
    report.columns.last_mut().expect("the limit's column").reference = true;
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

//! Is a process pool faster than a thread pool? What does `do_work` measure?
//!
//! The Q&A thread's `do_work` starts a pool of 50 threads or processes, hands
//! it 299 `fileio` or 1,999 `square` jobs with `apply_async`, and waits for the
//! results. Here: the toolkit's pools, the jobs with no pool, and the pools
//! given no jobs; `--with-python` times the Python version in the same run.
//!
//!     cargo run --release -p bench-do-work -- --with-python
//!
//! Watch for: each pool's "no jobs" row is about as high as its rows with jobs:
//! `do_work` times starting 50 workers, not parallel work.

use std::{fs, path::PathBuf};

use anyhow::{Result, ensure};
use benchmark_kit::{Chart, CommonOptions, Report, ScratchDir, thousands, timed};
use clap::{Parser, value_parser};
use process_toolkit::worker::Message;
use process_toolkit::{pool, pool::Executor, pool::ProcessPool, pool::ThreadPool};

/// The Q&A thread's do_work: 50 pool workers on tiny jobs, or no pool.
#[derive(Parser)]
struct Args {
    /// How many threads or processes each pool starts.
    #[arg(long, default_value_t = 50, value_parser = value_parser!(u64).range(1..=200))]
    workers: u64,
    /// do_work's `items` for fileio: jobs 1 to items - 1, as in `range(1, items)`.
    #[arg(long, default_value_t = 300, value_parser = value_parser!(u64).range(2..=100_000))]
    fileio_items: u64,
    /// do_work's `items` for square.
    #[arg(long, default_value_t = 2000,
          value_parser = value_parser!(u64).range(2..=1_000_000))]
    square_items: u64,
    /// How many bytes each fileio job writes to its file and reads back.
    #[arg(long, default_value_t = 4096,
          value_parser = value_parser!(u64).range(1..=10_000_000))]
    file_bytes: u64,
    #[command(flatten)]
    common: CommonOptions,
}

// ANCHOR: jobs
/// The article's `square`: one multiplication.
fn square(item: u64) -> u64 {
    item * item
}

/// The article's `fileio`: write a small file, read it back, remove it (ext4
/// flushes a file rewritten from the start to the disk). The reply is how many
/// bytes came back, or why not, as text that can cross a process boundary.
fn fileio((directory, item, bytes): (PathBuf, u64, u64)) -> Result<u64, String> {
    let path = directory.join(format!("test-{item}"));
    let read =
        fs::write(&path, vec![b'x'; bytes as usize]).and_then(|()| fs::read(&path));
    let removed = fs::remove_file(&path);
    let bytes = read.and_then(|back| removed.map(|()| back.len() as u64));
    bytes.map_err(|err| format!("{}: {err}", path.display()))
}
// ANCHOR_END: jobs

// ANCHOR: ways
const WAYS: [(&str, Way); 3] = [
    ("Rust thread pool", Way::ThreadPool),
    ("Rust process pool", Way::ProcessPool),
    ("Rust, no pool", Way::Inline),
];

#[derive(Clone, Copy)]
enum Way {
    ThreadPool,
    ProcessPool,
    Inline,
}

/// `do_work`: start a pool of `size`, `map` the jobs (`apply_async` for each,
/// then `get` for each), stop the pool, all timed. (`function` is generic: a
/// process pool's workers find it by its type's name, `bench_do_work::square`.)
fn do_work<Job, Reply, F>(
    way: Way,
    size: usize,
    function: F,
    jobs: Vec<Job>,
) -> Result<Vec<Reply>>
where
    Job: Message,
    Reply: Message,
    F: Fn(Job) -> Reply + Send + Sync + 'static,
{
    match way {
        // Dropping a pool at the end of its arm stops it: its threads finish,
        // its processes are told to exit and waited for.
        Way::ThreadPool => Ok(ThreadPool::new(size, function).map(jobs)?),
        Way::ProcessPool => Ok(ProcessPool::new(size, function)?.map(jobs)?),
        Way::Inline => Ok(jobs.into_iter().map(function).collect()),
    }
}
// ANCHOR_END: ways

fn main() -> Result<()> {
    sigpipe::reset();
    pool::serve_if_worker(square); // in a worker process: serve jobs, then exit
    pool::serve_if_worker(fileio);
    let args = Args::parse();
    benchmark_kit::run(&args.common, Chart::Bars { log: true }, || measure(&args))
}

fn measure(args: &Args) -> Result<Report> {
    let title = format!("do_work: {} pool workers on tiny jobs", args.workers);
    let mut report = Report::new("bench-do-work", &title, "work", "ms");
    report.rows = vec![
        format!("fileio, {} jobs", thousands(args.fileio_items - 1)),
        format!("square, {} jobs", thousands(args.square_items - 1)),
        "no jobs: start and stop the pool".to_owned(),
    ];
    report.setting("pool size", format!("{} workers", args.workers));
    let bytes = thousands(args.file_bytes);
    report.setting("fileio", format!("{bytes} bytes written and read back per job"));
    report.setting("each figure", "start the pool, run every job, stop the pool");
    // ANCHOR: measure
    // The fileio jobs' folder: removed at the end, or on Ctrl-C or SIGTERM.
    let scratch = ScratchDir::new("bench-do-work-")?;
    let (workers, bytes, dir) = (args.workers as usize, args.file_bytes, scratch.path());
    // One cell, timed, with every reply checked; no pool and no jobs: `None`.
    report.measure(&WAYS, args.common.runs, |&way, row| {
        let ((), seconds) = match (row, way) {
            (0, _) => timed(|| {
                let jobs = (1..args.fileio_items).map(|i| (dir.to_owned(), i, bytes));
                for reply in do_work(way, workers, fileio, jobs.collect())? {
                    let read = reply.map_err(anyhow::Error::msg)?;
                    ensure!(read == bytes, "read back {read} bytes of {bytes}");
                }
                Ok(())
            })?,
            (1, _) => timed(|| {
                let items = 1..args.square_items;
                let replies = do_work(way, workers, square, items.clone().collect())?;
                ensure!(replies.into_iter().eq(items.map(square)), "a square is wrong");
                Ok(())
            })?,
            (_, Way::Inline) => return Ok(None),
            _ => timed(|| do_work(way, workers, square, vec![]).map(drop))?,
        };
        Ok(Some(seconds * 1000.0))
    })?;
    // ANCHOR_END: measure
    let flags = ["--workers", "--fileio-items", "--square-items", "--file-bytes"];
    let values = [args.workers, args.fileio_items, args.square_items, args.file_bytes];
    report.add_python(&args.common, "bench_do_work.py", flags.into_iter().zip(values))?;
    Ok(report)
}

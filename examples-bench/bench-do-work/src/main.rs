//! Is a process pool faster than a thread pool? What does `do_work` measure?
//!
//! The Q&A thread times `do_work(50, 300, ..., 'fileio')` and `do_work(50,
//! 2000, ..., 'square')`: start a pool of 50 threads or 50 processes, hand it
//! tiny jobs with `apply_async`, wait for every result. Here the same runs on
//! the process toolkit's `ThreadPool` and `ProcessPool`, beside the same jobs
//! done inline with no pool at all, and beside the pools started and stopped
//! with no jobs. `--with-python` times the Python version in the same run.
//!
//! Watch for: the "no pool" column is far below both pools, and each pool's
//! "no jobs" row is about as high as its rows with jobs. The benchmark times
//! starting 50 workers, not parallel work. Build with `--release`.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, ensure};
use benchmark_kit::{Chart, Column, CommonOptions, Report, python_dir, thousands, timed};
use clap::Parser;
use process_toolkit::pool::{self, Executor, Pending, ProcessPool, ThreadPool};
use process_toolkit::worker::Message;

#[derive(Parser)]
#[command(about = "The Q&A thread's do_work: 50 pool workers on tiny jobs, or no pool")]
struct Options {
    /// How many threads or processes each pool starts.
    #[arg(long, default_value_t = 50,
          value_parser = clap::value_parser!(u64).range(1..=200))]
    workers: u64,
    /// do_work's `items` for fileio: jobs 1 to items - 1, as `range(1, items)`.
    #[arg(long, default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(2..=100_000))]
    fileio_items: u64,
    /// do_work's `items` for square.
    #[arg(long, default_value_t = 2000,
          value_parser = clap::value_parser!(u64).range(2..=1_000_000))]
    square_items: u64,
    /// How many bytes each fileio job writes to its file and reads back.
    #[arg(long, default_value_t = 4096,
          value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    file_bytes: u64,
    #[command(flatten)]
    common: CommonOptions,
}

// ANCHOR: jobs
/// The article's `square`: one multiplication.
fn square(item: u64) -> u64 {
    item * item
}

/// The article's `fileio`: write a small file, read it back, remove it. The
/// reply is how many bytes came back, or why not (as text, to cross a process
/// boundary). Removing the file matters: rewriting an existing file from the
/// start would make ext4 flush it to the disk on close, and time the disk.
fn fileio((directory, item, bytes): (PathBuf, u64, u64)) -> Result<u64, String> {
    let path = directory.join(format!("test-{item}"));
    let text = vec![b'x'; bytes as usize];
    let read = fs::write(&path, &text).and_then(|()| fs::read(&path));
    let removed = fs::remove_file(&path);
    let bytes = read.and_then(|back| removed.map(|()| back.len() as u64));
    bytes.map_err(|err| format!("{}: {err}", path.display()))
}
// ANCHOR_END: jobs

// ANCHOR: ways
#[derive(Clone, Copy)]
enum Way {
    ThreadPool,
    ProcessPool,
    Inline,
}

/// `do_work`: start a pool of `workers`, submit every job, wait for every
/// result, stop the pool. Starting and stopping the pool is part of the time,
/// as it was in the article. (`function` is a generic, not a `fn` pointer: the
/// process pool's workers find it by its type's name, `bench_do_work::square`.)
fn do_work<Job, Reply, F>(
    way: Way,
    workers: usize,
    function: F,
    jobs: Vec<Job>,
) -> Result<Vec<Reply>>
where
    Job: Message,
    Reply: Message,
    F: Fn(Job) -> Reply + Send + Sync + 'static,
{
    match way {
        Way::ThreadPool => {
            let pool = ThreadPool::new(workers, function);
            submit_and_wait(&pool, jobs)
            // `pool` is dropped here: its threads finish and stop.
        }
        Way::ProcessPool => {
            let pool = ProcessPool::new(workers, function)?;
            submit_and_wait(&pool, jobs)
            // Dropping `pool` closes its queue, and waits for its processes to exit.
        }
        Way::Inline => Ok(jobs.into_iter().map(function).collect()),
    }
}

/// `[pool.apply_async(f, (a,)) for a in ...]`, then `[res.get() for res in ...]`.
fn submit_and_wait<Job, Reply: Send + 'static>(
    pool: &impl Executor<Job, Reply>,
    jobs: Vec<Job>,
) -> Result<Vec<Reply>> {
    let pending: Vec<Pending<Reply>> =
        jobs.into_iter().map(|job| pool.submit(job)).collect();
    Ok(pending.into_iter().map(Pending::wait).collect::<Result<_, _>>()?)
}
// ANCHOR_END: ways

/// A directory for the fileio jobs, removed with everything in it when dropped.
struct ScratchDirectory(PathBuf);

impl ScratchDirectory {
    fn create() -> Result<Self> {
        let path =
            std::env::temp_dir().join(format!("bench-do-work-{}", std::process::id()));
        fs::create_dir(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(ScratchDirectory(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDirectory {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn main() -> Result<()> {
    // In a worker process of a pool of either function: serve jobs, then exit.
    pool::serve_if_worker(square);
    pool::serve_if_worker(fileio);
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

/// The rows: the article's two calls of do_work, and the pools given no jobs.
#[derive(Clone, Copy)]
enum Work {
    Fileio,
    Square,
    NoJobs,
}

impl Work {
    /// The row's label, the same in Rust and in Python.
    fn label(self, options: &Options) -> String {
        match self {
            Work::Fileio => {
                format!("fileio, {} jobs", thousands(options.fileio_items - 1))
            }
            Work::Square => {
                format!("square, {} jobs", thousands(options.square_items - 1))
            }
            Work::NoJobs => "no jobs: start and stop the pool".to_owned(),
        }
    }
}

// ANCHOR: measure
/// Times one cell, in ms, checking every reply: `way` on one row's jobs
/// (items 1 to items - 1, as `range(1, items)`). `None` for no jobs and no
/// pool: there is nothing to time.
fn time_cell(way: Way, work: Work, options: &Options, dir: &Path) -> Result<Option<f64>> {
    let workers = options.workers as usize;
    let (_, seconds) = match (work, way) {
        (Work::Fileio, _) => {
            let bytes = options.file_bytes;
            let jobs =
                (1..options.fileio_items).map(|item| (dir.to_path_buf(), item, bytes));
            timed(|| {
                for reply in do_work(way, workers, fileio, jobs.collect())? {
                    let read = reply.map_err(anyhow::Error::msg)?;
                    ensure!(read == bytes, "read back {read} bytes of {bytes}");
                }
                Ok(())
            })?
        }
        (Work::Square, _) => timed(|| {
            let items = 1..options.square_items;
            let replies = do_work(way, workers, square, items.clone().collect())?;
            ensure!(replies.into_iter().eq(items.map(square)), "a square is wrong");
            Ok(())
        })?,
        (Work::NoJobs, Way::Inline) => return Ok(None),
        (Work::NoJobs, _) => timed(|| do_work(way, workers, square, vec![]).map(drop))?,
    };
    Ok(Some(seconds * 1000.0))
}
// ANCHOR_END: measure

fn measure(options: &Options) -> Result<Report> {
    let ways = [
        ("Rust thread pool", Way::ThreadPool),
        ("Rust process pool", Way::ProcessPool),
        ("Rust, no pool", Way::Inline),
    ];
    let runs = options.common.runs;
    let mut report = Report::new(
        "bench-do-work",
        &format!("do_work: {} pool workers on tiny jobs", options.workers),
        "work",
        "ms",
    );
    let works = [Work::Fileio, Work::Square, Work::NoJobs];
    report.rows = works.iter().map(|work| work.label(options)).collect();
    report.setting("pool size", format!("{} workers", options.workers));
    report.setting(
        "fileio",
        format!("{} bytes written and read back per job", thousands(options.file_bytes)),
    );
    report.setting("each figure", "start the pool, run every job, stop the pool");

    let directory = ScratchDirectory::create()?;
    let bar =
        benchmark_kit::progress((ways.len() * report.rows.len()) as u64 * runs as u64);
    for (name, way) in ways {
        let mut column = Column { name: name.into(), runs: Vec::new() };
        for (work, label) in works.into_iter().zip(&report.rows) {
            bar.set_message(format!("{name}: {label}"));
            let mut times = Vec::new();
            for _ in 0..runs {
                times.extend(time_cell(way, work, options, directory.path())?);
                bar.inc(1);
            }
            column.runs.push(times);
        }
        report.columns.push(column);
    }
    if options.common.with_python {
        let args: Vec<String> = [
            ("--workers", options.workers),
            ("--fileio-items", options.fileio_items),
            ("--square-items", options.square_items),
            ("--file-bytes", options.file_bytes),
            ("--runs", u64::from(runs)),
        ]
        .iter()
        .flat_map(|(flag, value)| [flag.to_string(), value.to_string()])
        .collect();
        let script = python_dir().join("bench_do_work.py");
        report.merge(benchmark_kit::run_python(&script, &args, &bar)?)?;
    }
    bar.finish_and_clear();
    Ok(report)
}

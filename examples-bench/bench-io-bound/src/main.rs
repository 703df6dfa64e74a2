//! Do more workers help when the work is waiting? With threads, and with processes?
//!
//! The long guide's I/O table: fetch 100 web pages on 1 to 16 workers, with
//! a thread pool and with a process pool. Here the pages come from a local
//! server that this program starts, which waits `--delay-ms` before every
//! answer, so the best possible time is known: ceil(pages / workers) x delay.
//! `--with-python` fetches from the same server with Python's
//! `ThreadPoolExecutor` and `ProcessPoolExecutor`.
//!
//!     cargo run --release -p bench-io-bound -- --with-python
//!
//! Watch for: every column follows the ideal line far past the 2 cores,
//! because a worker that waits for a socket needs no core; processes pay
//! their start-up on top; Python's threads keep up, because a thread waiting
//! on a socket has let go of the GIL.

mod server;

use std::time::Duration;

use anyhow::{Result, anyhow, ensure};
use benchmark_kit::{Chart, Column, CommonOptions, Report, comma_list, thousands, timed};
use clap::{Parser, value_parser};
use process_toolkit::pool::{self, Executor, ProcessPool, ThreadPool};

use server::Server;

/// Fetch pages from a slow local server on 1 to 16 workers: threads vs processes.
#[derive(Parser)]
struct Args {
    /// The worker counts, the rows of the table.
    #[arg(long, value_delimiter = ',', default_value = "1,2,4,8,16",
          value_parser = value_parser!(u64).range(1..=64))]
    workers: Vec<u64>,
    /// How many pages each run fetches.
    #[arg(long, default_value_t = 100, value_parser = value_parser!(u32).range(1..=10_000))]
    pages: u32,
    /// How long the server waits before it answers each request, in milliseconds.
    #[arg(long, default_value_t = 10, value_parser = value_parser!(u64).range(1..=10_000))]
    delay_ms: u64,
    #[command(flatten)]
    common: CommonOptions,
}

/// Longer than any page should take: a server that stops answering is an error, not a hang.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

// ANCHOR: fetch
/// A job: the server's URL and the number of the page to fetch from it.
type Page = (String, u32);

/// Fetches one page and checks it, so that a broken server is an error and
/// not a fast row. The error is a `String` because it may have to travel
/// back from a worker process, and `anyhow::Error` cannot be serialized.
fn fetch((server, number): Page) -> Result<(), String> {
    let url = format!("{server}/page/{number}");
    let fetched = || -> Result<()> {
        let config = ureq::get(&url).config().timeout_global(Some(FETCH_TIMEOUT));
        let mut response = config.build().call()?; // an error for 4xx and 5xx too
        ensure!(response.status() == 200, "status {}", response.status());
        let body = response.body_mut().read_to_string()?;
        ensure!(body == server::page(number), "unexpected page {body:?}");
        Ok(())
    };
    fetched().map_err(|err| format!("{url}: {err:#}"))
}
// ANCHOR_END: fetch

// ANCHOR: ways
/// Python's `with ThreadPoolExecutor(max_workers=workers) as pool: pool.map(...)`.
fn on_threads(pages: Vec<Page>, workers: usize) -> Result<()> {
    let pool = ThreadPool::new(workers, fetch);
    all_fetched(pool.map(pages)?)
} // the pool ends here, as at the end of the `with` block

/// The same with `ProcessPoolExecutor`: a new pool, new processes, every run.
fn on_processes(pages: Vec<Page>, workers: usize) -> Result<()> {
    let pool = ProcessPool::new(workers, fetch)?;
    all_fetched(pool.map(pages)?)
}
// ANCHOR_END: ways

/// The first page that failed, as an error.
fn all_fetched(results: Vec<Result<(), String>>) -> Result<()> {
    results.into_iter().try_for_each(|result| result.map_err(|err| anyhow!(err)))
}

fn main() -> Result<()> {
    sigpipe::reset();
    pool::serve_if_worker(fetch); // in a worker process: serve jobs, then exit
    let args = Args::parse();
    benchmark_kit::run(&args.common, Chart::Lines { log: true }, || measure(&args))
}

// ANCHOR: measure
fn measure(args: &Args) -> Result<Report> {
    type Way = fn(Vec<Page>, usize) -> Result<()>;
    let ways: [(&str, Way); 2] =
        [("Rust threads", on_threads), ("Rust processes", on_processes)];
    let server = Server::start(Duration::from_millis(args.delay_ms))?;
    let jobs: Vec<Page> = (0..args.pages).map(|number| (server.url(), number)).collect();

    let mut report = Report::new("bench-io-bound", "Fetching pages", "workers", "ms");
    report.rows = args.workers.iter().map(u64::to_string).collect();
    report.setting("pages", thousands(args.pages.into()));
    report.setting("server delay", format!("{} ms", args.delay_ms));
    // The ideal: every worker always waiting on a page, so ceil(pages / workers) waits.
    let waits =
        args.workers.iter().map(|&workers| u64::from(args.pages).div_ceil(workers));
    let ideal = waits.map(|waits| (waits * args.delay_ms) as f64);
    report.ideal = Some(Column::computed("ideal", ideal));

    report.measure(&ways, args.common.runs, |way, row| {
        let ((), seconds) = timed(|| way(jobs.clone(), args.workers[row] as usize))?;
        Ok(Some(seconds * 1000.0))
    })?;
    // ANCHOR_END: measure
    // Python fetches from this same server, which is still running.
    let python = [
        ("--url", server.url()),
        ("--workers", comma_list(&args.workers)),
        ("--pages", args.pages.to_string()),
    ];
    report.add_python(&args.common, "bench_io_bound.py", python)?;
    Ok(report)
}

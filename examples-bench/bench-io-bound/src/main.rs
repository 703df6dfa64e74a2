//! Do more workers help when the work is waiting? Threads, processes, or tasks?
//!
//! The long guide's I/O table: 100 pages fetched on 1 to 16 workers (threads,
//! processes, tokio tasks) from a local server that waits `--delay-ms` per
//! page: the best time is ceil(pages / workers) x delay. `--in-flight` fetches
//! N pages on N workers at once, up to 10,000: the best is one delay.
//! `--with-python` adds Python's threads, processes and asyncio.
//!
//!     cargo run --release -p bench-io-bound -- --with-python
//!     cargo run --release -p bench-io-bound -- --in-flight 1,100,10000 --delay-ms 1000
//!
//! Watch for: every column follows the ideal far past the 2 cores (a waiting
//! worker needs no core); at thousands in flight, what each one costs shows.

mod server;
mod tasks;
use anyhow::{Result, anyhow, ensure};
use benchmark_kit::{Chart, Column, CommonOptions, Report, comma_list, thousands, timed};
use clap::{Parser, value_parser};
use process_toolkit::pool::{self, Executor, ProcessPool, ThreadPool};
use std::time::Duration;

/// Fetch pages from a slow local server: threads vs processes vs tasks.
#[derive(Parser)]
struct Args {
    /// The worker counts, the rows of the table.
    #[arg(long, value_delimiter = ',', default_value = "1,2,4,8,16",
          value_parser = value_parser!(u64).range(1..=64))]
    workers: Vec<u64>,
    /// How many pages each run fetches.
    #[arg(long, default_value_t = 100, value_parser = value_parser!(u32).range(1..=10_000))]
    pages: u32,
    /// Rows of N pages fetched at once by N workers, instead of --workers and --pages.
    #[arg(long, value_delimiter = ',', conflicts_with_all = ["workers", "pages"],
          value_parser = value_parser!(u64).range(1..=10_000))]
    in_flight: Option<Vec<u64>>,
    /// More worker processes than this are not started: the cell says "not practical".
    #[arg(long, default_value_t = 100, value_parser = value_parser!(u64).range(1..=10_000))]
    max_processes: u64,
    /// How long the server waits before it answers each request, in milliseconds.
    #[arg(long, default_value_t = 10, value_parser = value_parser!(u64).range(1..=10_000))]
    delay_ms: u64,
    #[command(flatten)]
    common: CommonOptions,
}

/// A server that stops answering is an error, not a hang.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(60);

// ANCHOR: fetch
/// A job: the server's URL and the number of the page to fetch from it.
pub type Page = (String, u32);

/// Fetches one page and checks it: a broken server is an error, not a fast
/// row. A `String` error can travel back from a worker process.
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
/// `with ThreadPoolExecutor(max_workers=workers) as pool: pool.map(...)`.
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
    server::serve_if_asked()?; // in the server's process: the same
    let args = Args::parse();
    // A page in flight is a socket here, and in Python, which inherits the limit.
    let most = args.in_flight.iter().flatten().chain(&args.workers).max().unwrap_or(&1);
    benchmark_kit::open_files_or_exit(most + 64, &format!("{most} pages in flight"));
    benchmark_kit::run(&args.common, Chart::Lines { log: true }, || measure(&args))
}

// ANCHOR: measure
fn measure(args: &Args) -> Result<Report> {
    type Way = fn(Vec<Page>, usize) -> Result<()>; // and whether it starts processes:
    let ways: [(&str, (Way, bool)); 3] = [
        ("Rust threads", (on_threads, false)),
        ("Rust processes", (on_processes, true)),
        ("Rust tokio tasks", (tasks::on_tasks, false)),
    ];
    // A row: (workers, pages); with --in-flight, as many pages as workers.
    let rows: Vec<(u64, u64)> = match &args.in_flight {
        Some(counts) => counts.iter().map(|&count| (count, count)).collect(),
        None => args.workers.iter().map(|&w| (w, args.pages.into())).collect(),
    };
    let most = rows.iter().map(|row| row.0).max().unwrap_or(1);
    let server = server::Server::start(Duration::from_millis(args.delay_ms), most)?;
    let label = if args.in_flight.is_some() { "pages in flight" } else { "workers" };
    let mut report = Report::new("bench-io-bound", "Fetching pages", label, "ms");
    report.rows = rows.iter().map(|&(workers, _)| thousands(workers)).collect();
    let pages = thousands(args.pages.into());
    report.setting(
        "pages",
        if args.in_flight.is_some() { "one per worker" } else { &pages },
    );
    report.setting("server delay", format!("{} ms", args.delay_ms));
    // The ideal: every worker always waiting on a page, so ceil(pages / workers) waits.
    let ideal = rows.iter().map(|&(w, pages)| (pages.div_ceil(w) * args.delay_ms) as f64);
    report.ideal = Some(Column::computed("ideal", ideal));
    report.measure(&ways, args.common.runs, |&(way, processes), row| {
        let (workers, pages) = rows[row];
        if processes && workers > args.max_processes {
            return Ok(None); // marked "not practical" below
        }
        let jobs = (0..pages as u32).map(|number| (server.url(), number)).collect();
        let ((), seconds) = timed(|| way(jobs, workers as usize))?;
        Ok(Some(seconds * 1000.0))
    })?;
    // ANCHOR_END: measure
    for row in (0..rows.len()).filter(|&row| rows[row].0 > args.max_processes) {
        report.skip("Rust processes", row, "not practical");
    }
    // Python fetches the same rows from this same server, still running.
    let (workers, pages): (Vec<u64>, Vec<u64>) = rows.iter().copied().unzip();
    let python =
        [("--url", server.url()), ("--max-processes", args.max_processes.to_string())];
    let rows = [("--workers", comma_list(&workers)), ("--pages", comma_list(&pages))];
    let python = python.into_iter().chain(rows);
    report.add_python(&args.common, "bench_io_bound.py", python)?;
    report.setting("most requests the server held at once", thousands(server.peak()?));
    tasks::compare(&mut report);
    Ok(report)
}

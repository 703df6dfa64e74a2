//! Do more workers help when the work is waiting? With threads, and with processes?
//!
//! The long guide's I/O table: fetch 100 web pages on 1 to 16 workers, with
//! a thread pool and with a process pool. Here the pages come from a local
//! server that this program starts, which waits `--delay-ms` before every
//! answer, so the best possible time is known: ceil(pages / workers) x delay.
//! `--with-python` fetches from the same server with Python's
//! `ThreadPoolExecutor` and `ProcessPoolExecutor`.
//!
//! Watch for: every column follows the ideal line far past the 2 cores,
//! because a worker that waits for a socket needs no core; processes pay
//! their start-up on top; Python's threads keep up, because a thread waiting
//! on a socket has let go of the GIL. Build with `--release`.

mod server;

use std::time::Duration;

use anyhow::{Result, anyhow, ensure};
use benchmark_kit::{Chart, Column, CommonOptions, Report, python_dir, thousands, timed};
use clap::Parser;
use process_toolkit::pool::{self, Executor, ProcessPool, ThreadPool};

use server::Server;

#[derive(Parser)]
#[command(
    about = "Fetch pages from a slow local server on 1 to 16 workers: threads vs processes"
)]
struct Options {
    /// The worker counts, the rows of the table.
    #[arg(long, value_delimiter = ',', default_value = "1,2,4,8,16",
          value_parser = clap::value_parser!(u64).range(1..=64))]
    workers: Vec<u64>,
    /// How many pages each run fetches.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pages: u32,
    /// How long the server waits before it answers each request, in milliseconds.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=10_000))]
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
    pool::serve_if_worker(fetch); // in a worker process: serve jobs, then exit
    let options = Options::parse();
    let chart = Chart::Lines { log: true };
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
    type Way = fn(Vec<Page>, usize) -> Result<()>;
    let ways: [(&str, Way); 2] =
        [("Rust threads", on_threads), ("Rust processes", on_processes)];
    let (pages, delay_ms, runs) = (options.pages, options.delay_ms, options.common.runs);
    let server = Server::start(Duration::from_millis(delay_ms))?;
    let jobs: Vec<Page> = (0..pages).map(|number| (server.url(), number)).collect();

    let mut report = Report::new("bench-io-bound", "Fetching pages", "workers", "ms");
    report.rows = options.workers.iter().map(u64::to_string).collect();
    report.setting("pages", thousands(pages.into()));
    report.setting("server delay", format!("{delay_ms} ms"));
    // The ideal: every worker always waiting on a page, so ceil(pages / workers) waits.
    let ideal = options
        .workers
        .iter()
        .map(|&workers| vec![(u64::from(pages).div_ceil(workers) * delay_ms) as f64]);
    report.ideal = Some(Column { name: "ideal".into(), runs: ideal.collect() });

    let bar = benchmark_kit::progress(
        (ways.len() * options.workers.len()) as u64 * runs as u64,
    );
    for (name, way) in ways {
        let mut column = Column { name: name.into(), runs: Vec::new() };
        for &workers in &options.workers {
            bar.set_message(format!("{name}, {workers} workers"));
            let mut times = Vec::new();
            for _ in 0..runs {
                let ((), seconds) = timed(|| way(jobs.clone(), workers as usize))?;
                times.push(seconds * 1000.0);
                bar.inc(1);
            }
            column.runs.push(times);
        }
        report.columns.push(column);
    }
    // ANCHOR_END: measure
    if options.common.with_python {
        // Python fetches from this same server, which is still running.
        let args = vec![
            "--url".to_owned(),
            server.url(),
            "--workers".to_owned(),
            options.workers.iter().map(u64::to_string).collect::<Vec<_>>().join(","),
            "--pages".to_owned(),
            pages.to_string(),
            "--runs".to_owned(),
            runs.to_string(),
        ];
        let script = python_dir().join("bench_io_bound.py");
        report.merge(benchmark_kit::run_python(&script, &args, &bar)?)?;
    }
    bar.finish_and_clear();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fetch_checks_what_the_server_answers() {
        let server = Server::start(Duration::from_millis(1)).unwrap();
        assert_eq!(fetch((server.url(), 7)), Ok(()));
        let missing = fetch((format!("{}/missing", server.url()), 7)).unwrap_err();
        assert!(missing.contains("/missing/page/7: http status: 404"), "{missing}");
        let url = server.url();
        drop(server);
        assert!(fetch((url, 7)).is_err(), "a fetch from a stopped server succeeded");
    }
}

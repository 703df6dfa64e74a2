//! How much memory does an idle worker take: a thread, a process, a task?
//!
//! The articles say processes mean large memory consumption. Here 1 to 1,000
//! workers wait, blocked, while the program adds up the PSS of itself and all
//! its processes (a page shared by n processes counts 1/n in each): Rust
//! threads, toolkit workers (this program started again), forked children,
//! tokio tasks (up to 10,000); `--with-python` measures Python's threads, its
//! three start methods and asyncio tasks in the same run.
//!
//!     cargo run --release -p bench-memory -- --with-python
//!
//! Watch for: a thread costs a few pages, not the megabytes it reserves; a
//! forked child shares its parent's pages until it writes to them; a task
//! costs less than a page; a fresh Python interpreter costs the most.

mod footprint;
mod processes;
mod threads;

use anyhow::{Result, bail};
use benchmark_kit::{Chart, CommonOptions, Report, comma_list, figure, thousands};
use clap::{Parser, value_parser};
use process_toolkit::worker::{self, Worker};

use footprint::stack_reserved;
use processes::{IDLE, exec_workers, forked_children, idle_worker};
use threads::{threads, tokio_tasks, with_threads};

/// Memory per idle worker: threads, processes and tasks, 1 to 1,000 of each.
#[derive(Parser)]
struct Args {
    /// The worker counts, the rows of the table; threads and processes stop
    /// at 1,000, tasks go on to 10,000.
    #[arg(long, value_delimiter = ',', default_value = "1,10,100",
          value_parser = value_parser!(u64).range(1..=10_000))]
    workers: Vec<u64>,
    #[command(flatten)]
    common: CommonOptions,
}

/// The most threads or processes a row starts (1,000 Python interpreters: gigabytes).
const MOST_THREADS_OR_PROCESSES: u64 = 1000;

// ANCHOR: main
/// The role of a process that measures one cell: a fresh process, whose
/// heap holds no memory freed by the cells before it for workers to reuse.
const MEASURE: &str = "measure";

type Cell = Worker<(usize, u64), Result<f64, String>>;

fn main() -> Result<()> {
    sigpipe::reset();
    match worker::role().as_deref() {
        Some(IDLE) => return idle_worker(),
        Some(MEASURE) => return measure_cells(),
        Some(other) => bail!("unknown worker role {other:?}"),
        None => {}
    }
    let args = Args::parse();
    benchmark_kit::run(&args.common, Chart::Lines { log: true }, || measure(&args))
}

fn measure_cells() -> Result<()> {
    let parent = worker::connect::<(usize, u64), Result<f64, String>>()?;
    while let Some((way, count)) = parent.next_job()? {
        let (_, (_, start)) = &WAYS[way];
        parent.reply(start(count).map_err(|err| format!("{err:#}")))?;
    }
    Ok(())
}
// ANCHOR_END: main

// ANCHOR: measure
#[derive(PartialEq)]
enum Kind {
    Thread,
    Process,
    Task,
}

/// The columns: what a worker is, and how `count` of them are started,
/// measured while they wait, and ended: the PSS each added, in KiB.
type Way = (Kind, fn(u64) -> Result<f64>);
const WAYS: [(&str, Way); 4] = [
    ("Rust threads", (Kind::Thread, threads)),
    ("Rust processes, exec", (Kind::Process, exec_workers)),
    ("Rust processes, fork", (Kind::Process, forked_children)),
    ("tokio tasks", (Kind::Task, tokio_tasks)),
];

fn measure(args: &Args) -> Result<Report> {
    let mut report =
        Report::new("bench-memory", "Memory per idle worker (PSS)", "workers", "KiB");
    report.rows = args.workers.iter().map(|&count| thousands(count)).collect();
    let most = thousands(MOST_THREADS_OR_PROCESSES);
    report.setting("threads and processes", format!("up to {most} workers"));
    let columns: Vec<(&str, usize)> =
        WAYS.iter().enumerate().map(|(index, (name, _))| (*name, index)).collect();
    report.measure(&columns, args.common.runs, |&way, row| {
        let (count, (kind, _)) = (args.workers[row], &WAYS[way].1);
        if count > MOST_THREADS_OR_PROCESSES && *kind != Kind::Task {
            return Ok(None);
        }
        let mut cell = Cell::start(MEASURE)?;
        cell.send((way, count))?;
        let added = cell.recv()?.map_err(anyhow::Error::msg)?;
        cell.join()?;
        Ok(Some(added))
    })?;
    // ANCHOR_END: measure
    let stack = with_threads(1, |ids| stack_reserved(ids[0]))?;
    report.setting(
        "stack reserved per Rust thread",
        format!("{} MiB", figure(stack / 1024.0)),
    );
    let python = [("--workers", comma_list(&args.workers))];
    report.add_python(&args.common, "bench_memory.py", python)?;
    if let Some((row, ratios)) = ratios(&report) {
        report.setting(&format!("ratios at {row} workers"), ratios);
    }
    Ok(report)
}

/// How many times the memory of the second of each pair the first takes,
/// at the most workers that both were measured at.
fn ratios(report: &Report) -> Option<(String, String)> {
    const PAIRS: [(&str, &str); 7] = [
        ("Rust processes, exec", "Rust threads"),
        ("Rust processes, fork", "Rust threads"),
        ("Rust threads", "tokio tasks"),
        ("Python processes, spawn", "Python threads"),
        ("Python processes, forkserver", "Python threads"),
        ("Python processes, fork", "Python threads"),
        ("Python threads", "asyncio tasks"),
    ];
    let median = |name: &str, row| {
        report.columns.iter().find(|column| column.name == name)?.median(row)
    };
    let row = (0..report.rows.len())
        .rev()
        .find(|&row| median("Rust threads", row).is_some())?;
    let ratios: Vec<String> = PAIRS
        .iter()
        .filter_map(|&(more, less)| {
            let ratio = median(more, row)? / median(less, row)?;
            Some(format!("{more} / {less} = {}", figure(ratio)))
        })
        .collect();
    Some((report.rows[row].clone(), ratios.join(", ")))
}

//! Can threads count into one shared map? And processes, which share nothing?
//!
//! The in-depth guide counts fetched pages in a `collections.Counter` shared by
//! the threads of a pool, and calls it thread-safe; for processes it hands a
//! `multiprocessing.Queue` to pool workers. Here twelve fetches are counted by
//! four threads into one `Mutex<BTreeMap>`, then by four worker processes, each
//! into a map of its own that it sends back for the parent to merge.
//!
//!     cargo run -p sync-shared-counter
//!
//! Watch for: both parts print the same counts, and the chunks come back in the
//! order they were handed out, because `map` keeps the order of its jobs.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use anyhow::{Result, ensure};
use clap::{Parser, value_parser};
use process_toolkit::pool::{self, Executor, ProcessPool};

/// Twelve fetches counted by four threads in one map, then by four processes.
#[derive(Parser)]
struct Args {
    /// Milliseconds per fetch.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: counts
/// The pages fetched, with repeats: one line of three per worker.
#[rustfmt::skip]
const FETCHED: [&str; 12] = [
    "example.com", "python.org", "example.com",
    "rust-lang.org", "example.com", "docs.rs",
    "python.org", "example.com", "crates.io",
    "rust-lang.org", "python.org", "example.com",
];

/// How many times each page was fetched: Python's `Counter`, sorted by page.
type Counts = BTreeMap<String, u32>;

/// The counts on one line: "docs.rs 1, example.com 2".
fn show(counts: &Counts) -> String {
    let pages: Vec<String> =
        counts.iter().map(|(page, n)| format!("{page} {n}")).collect();
    pages.join(", ")
}
// ANCHOR_END: counts

// ANCHOR: threads
fn count_on_threads(step: Duration) -> Counts {
    let shared = Mutex::new(Counts::new());
    // Scoped threads may borrow `shared`: the scope ends only after every thread has.
    thread::scope(|scope| {
        for chunk in FETCHED.chunks(3) {
            let shared = &shared;
            scope.spawn(move || {
                for page in chunk {
                    thread::sleep(step); // the request: slow, and it needs no lock
                    let mut counts = shared.lock().unwrap();
                    *counts.entry(page.to_string()).or_default() += 1;
                } // the guard `counts` is dropped here: locked for the update only
            });
        }
    });
    shared.into_inner().unwrap()
}
// ANCHOR_END: threads

// ANCHOR: processes
/// Runs in a worker process: counts one chunk in a map of its own, and returns it.
fn count_chunk((chunk, step): (Vec<String>, Duration)) -> Counts {
    let mut counts = Counts::new();
    for page in chunk {
        thread::sleep(step); // the request
        *counts.entry(page).or_default() += 1; // nobody else can see this map: no lock
    }
    counts
}

fn count_in_processes(step: Duration) -> Result<Counts> {
    let pool = ProcessPool::new(4, count_chunk)?;
    let jobs = FETCHED.chunks(3).map(|chunk| {
        let pages = chunk.iter().map(|page| page.to_string()).collect();
        (pages, step)
    });
    let mut merged = Counts::new();
    // Each worker's map travels back as a message (serialized, like a pickled Counter).
    for (chunk, counts) in (1..).zip(pool.map(jobs)?) {
        println!("chunk {chunk} from a worker process: {}", show(&counts));
        for (page, count) in counts {
            *merged.entry(page).or_default() += count;
        }
    }
    Ok(merged)
}
// ANCHOR_END: processes

fn main() -> Result<()> {
    sigpipe::reset();
    pool::serve_if_worker(count_chunk); // in a worker process: count chunks, then exit
    let step = Duration::from_millis(Args::parse().step_ms);

    println!("-- 4 threads counting into one shared map --");
    let on_threads = count_on_threads(step);
    println!("counts: {}", show(&on_threads));

    println!("-- 4 processes counting separately, merged by the parent --");
    let in_processes = count_in_processes(step)?;
    println!("counts: {}", show(&in_processes));

    ensure!(on_threads == in_processes, "threads and processes counted differently");
    println!("both ways counted all {} fetches alike", on_threads.values().sum::<u32>());
    Ok(())
}

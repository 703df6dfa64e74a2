//! Can threads count into one shared map? And processes, which share nothing?
//!
//! The in-depth guide counts fetched pages in a `collections.Counter` that the
//! threads of a pool share, and calls it thread-safe; for processes it hands a
//! `multiprocessing.Queue` to pool workers. Here twelve fetches of five pages
//! are split among four threads that count into one `Mutex<HashMap>`, then
//! among four worker processes that each count into a map of their own and
//! send it back, for the parent to merge.
//!
//! Watch for: both parts print the same counts, and the program checks that
//! they do. The chunks come back from the processes in the order they were
//! handed out, because `map` keeps the order of its jobs.

use std::collections::HashMap;
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use anyhow::{Result, anyhow, ensure};
use process_toolkit::pace;
use process_toolkit::pool::{self, Executor, ProcessPool};

/// The pages fetched, in order, with repeats: twelve fetches, five pages. One
/// line per worker: the threads and the processes split the list the same way.
#[rustfmt::skip]
const FETCHED: [&str; 12] = [
    "example.com", "python.org", "example.com",
    "rust-lang.org", "example.com", "docs.rs",
    "python.org", "example.com", "crates.io",
    "rust-lang.org", "python.org", "example.com",
];
const WORKERS: usize = 4;
const CHUNK: usize = FETCHED.len() / WORKERS;

/// How many times each page was fetched: Python's `Counter`.
type Counts = HashMap<String, u32>;

// ANCHOR: threads
fn count_on_threads(step: Duration) -> Result<Counts> {
    let shared = Mutex::new(Counts::new());
    // Scoped threads may borrow `shared`: the scope ends only after every thread has.
    thread::scope(|scope| {
        let threads: Vec<_> = FETCHED
            .chunks(CHUNK)
            .map(|chunk| {
                let shared = &shared;
                scope.spawn(move || {
                    for page in chunk {
                        thread::sleep(step); // the request: slow, and it needs no lock
                        let mut counts = shared.lock().expect("no panic while counting");
                        *counts.entry(page.to_string()).or_insert(0) += 1;
                    } // the guard `counts` is dropped here: locked for the update only
                })
            })
            .collect();
        threads.into_iter().try_for_each(|thread| {
            thread.join().map_err(|_| anyhow!("a counting thread panicked"))
        })
    })?;
    shared.into_inner().map_err(|_| anyhow!("a thread panicked while holding the lock"))
}
// ANCHOR_END: threads

// ANCHOR: processes
/// Runs in a worker process: counts one chunk in a map of its own, and returns it.
fn count_chunk(chunk: Vec<String>) -> Counts {
    let step = pace::step().unwrap_or(pace::DEFAULT_STEP);
    let mut counts = Counts::new();
    for page in chunk {
        thread::sleep(step); // the request
        *counts.entry(page).or_insert(0) += 1; // nobody else can see this map: no lock
    }
    counts
}

fn count_in_processes() -> Result<Counts> {
    let pool = ProcessPool::new(WORKERS, count_chunk)?;
    let chunks: Vec<Vec<String>> = (FETCHED.chunks(CHUNK))
        .map(|chunk| chunk.iter().map(|page| page.to_string()).collect())
        .collect();
    let mut merged = Counts::new();
    // Each worker's map travels back as a message (serialized, like a pickled Counter).
    for (chunk, counts) in (1..).zip(pool.map(chunks)?) {
        println!("chunk {chunk} from a worker process: {}", show(&counts));
        for (page, count) in counts {
            *merged.entry(page).or_insert(0) += count;
        }
    }
    Ok(merged)
}
// ANCHOR_END: processes

/// A map's counts sorted by page, on one line: "docs.rs 1, example.com 2".
fn show(counts: &Counts) -> String {
    let mut pages: Vec<_> = counts.iter().collect();
    pages.sort();
    let entries: Vec<String> =
        pages.iter().map(|(page, n)| format!("{page} {n}")).collect();
    entries.join(", ")
}

fn main() -> Result<()> {
    pool::serve_if_worker(count_chunk); // in a worker process: count chunks, then exit
    let step = pace::step()?;

    println!("-- {WORKERS} threads counting into one shared map --");
    let on_threads = count_on_threads(step)?;
    println!("counts: {}", show(&on_threads));

    println!("-- {WORKERS} processes counting separately, merged by the parent --");
    let in_processes = count_in_processes()?;
    println!("counts: {}", show(&in_processes));

    ensure!(on_threads == in_processes, "threads and processes counted differently");
    let total: u32 = on_threads.values().sum();
    ensure!(
        total as usize == FETCHED.len(),
        "{total} fetches counted, not {}",
        FETCHED.len()
    );
    println!("both ways counted all {total} fetches alike");
    Ok(())
}

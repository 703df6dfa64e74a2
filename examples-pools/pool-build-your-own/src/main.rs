//! What does a thread pool do inside?
//!
//! `ThreadPoolExecutor` by hand, with std alone: workers take boxed jobs from
//! one shared channel; dropping the pool closes it and joins every worker. With
//! `--hold-lock` the workers make a well-known mistake: they keep the channel's
//! lock while they run a job, so only one job runs at a time.
//!
//!     cargo run -p pool-build-your-own
//!     cargo run -p pool-build-your-own -- --hold-lock
//!
//! Watch for: 4 jobs at once on 4 workers, but 1 with `--hold-lock`, a step per
//! job. All 8 jobs are done once the pool is dropped.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use clap::{Parser, value_parser};

/// A thread pool of four workers, built from a channel, a Mutex and Drop.
#[derive(Parser)]
struct Args {
    /// Run the workers that hold the channel's lock while a job runs.
    #[arg(long)]
    hold_lock: bool,
    /// Milliseconds per step: the longest a job waits for others to run beside it.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: pool
const WORKERS: usize = 4;
/// What `execute` accepts: any closure that may run once on another thread.
type Job = Box<dyn FnOnce() + Send>;
/// A Receiver may move to another thread but not be shared: one Mutex for all.
type Jobs = Arc<Mutex<Receiver<Job>>>;

struct ThreadPool {
    sender: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    fn new(worker: fn(Jobs)) -> ThreadPool {
        let (sender, receiver) = mpsc::channel();
        let jobs: Jobs = Arc::new(Mutex::new(receiver));
        let spawn = |jobs: Jobs| thread::spawn(move || worker(jobs));
        let workers = (0..WORKERS).map(|_| spawn(Arc::clone(&jobs))).collect();
        ThreadPool { sender: Some(sender), workers }
    }
    fn execute(&self, job: impl FnOnce() + Send + 'static) {
        self.sender.as_ref().unwrap().send(Box::new(job)).unwrap();
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        drop(self.sender.take()); // closed: each worker stops once the queue is empty
        self.workers.drain(..).for_each(|worker| worker.join().unwrap());
    }
}
// ANCHOR_END: pool

// ANCHOR: workers
fn worker(jobs: Jobs) {
    loop {
        let Ok(job) = jobs.lock().unwrap().recv() else { return }; // unlocked at the `;`
        job();
    }
}

fn worker_holding_the_lock(jobs: Jobs) {
    // The guard is a temporary of the `while let`: it lives until the body ends.
    while let Ok(job) = jobs.lock().unwrap().recv() {
        job();
    }
}
// ANCHOR_END: workers

// ANCHOR: counted_job
/// How many jobs run now, the most that ever ran at once, and how many are done.
#[derive(Clone, Copy, Default)]
struct Count {
    now: usize,
    most: usize,
    done: usize,
}

/// Counts itself in, then waits (a step at most) to see a job on every worker: the
/// count shows what the pool allows, not how quickly its threads happened to start.
fn counted_job((count, changed): &(Mutex<Count>, Condvar), step: Duration) {
    let mut counts = count.lock().unwrap();
    counts.now += 1;
    counts.most = counts.most.max(counts.now);
    changed.notify_all();
    let wait = changed.wait_timeout_while(counts, step, |counts| counts.most < WORKERS);
    let mut counts = wait.unwrap().0;
    counts.now -= 1;
    counts.done += 1;
}
// ANCHOR_END: counted_job

// ANCHOR: main
fn main() {
    sigpipe::reset();
    let args = Args::parse();
    let step = Duration::from_millis(args.step_ms);
    let worker = if args.hold_lock { worker_holding_the_lock } else { worker };
    println!("8 jobs for {WORKERS} workers; --hold-lock: {}", args.hold_lock);
    let count = Arc::new((Mutex::new(Count::default()), Condvar::new()));
    let pool = ThreadPool::new(worker);
    for count in (0..8).map(|_| Arc::clone(&count)) {
        pool.execute(move || counted_job(&count, step));
    }
    drop(pool); // waits for every job: Drop joins the workers
    let Count { most, done, .. } = *count.0.lock().unwrap();
    println!("at most {most} at once; {done} of 8 done when the pool was dropped");
}
// ANCHOR_END: main

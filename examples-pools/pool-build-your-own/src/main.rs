//! What does a thread pool do inside?
//!
//! `ThreadPoolExecutor` by hand, with std alone: workers take boxed jobs from
//! one shared channel, and dropping the pool joins them. With `--hold-lock`,
//! they keep the channel's lock while a job runs, a well-known mistake: watch
//! the 4 jobs at once on 4 workers become 1.
//!
//!     cargo run -p pool-build-your-own -- --hold-lock

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use clap::{Parser, value_parser};

/// A thread pool of four workers, built from a channel, a Mutex and Drop.
#[derive(Parser)]
struct Args {
    /// Run the workers that hold the channel's lock while a job runs.
    #[arg(long)]
    hold_lock: bool,
    /// Milliseconds per step: how long main waits for one more job to start.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: pool
const WORKERS: usize = 4;
type Job = Box<dyn FnOnce() + Send>;
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

// ANCHOR: main
fn main() {
    sigpipe::reset();
    let Args { hold_lock, step_ms } = Args::parse();
    println!("8 jobs for {WORKERS} workers; --hold-lock: {hold_lock}");
    let pool = ThreadPool::new(if hold_lock { worker_holding_the_lock } else { worker });
    let (started_tx, started) = mpsc::channel();
    let (gates, waits): (Vec<_>, Vec<_>) = (0..8).map(|_| mpsc::channel::<()>()).unzip();
    for gate in waits {
        let started_tx = started_tx.clone();
        pool.execute(move || {
            started_tx.send(()).unwrap();
            gate.recv().ok(); // the work: it lasts until main drops the gates
        });
    }
    // Started jobs stay at their gates, so as many start as the pool runs at once:
    started.recv().unwrap(); // the first, then the others, a step at most each
    let step = Duration::from_millis(step_ms);
    let at_once =
        1 + (1..WORKERS).take_while(|_| started.recv_timeout(step).is_ok()).count();
    drop(gates);
    drop(pool); // waits for every job: Drop joins the workers
    let done = at_once + started.try_iter().count(); // every job that started is done
    println!("at most {at_once} at once; {done} of 8 done when the pool was dropped");
}
// ANCHOR_END: main

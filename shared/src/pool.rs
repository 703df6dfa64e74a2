//! Pools: a fixed set of workers, threads or processes, behind one interface.
//!
//! This is the Rust side of Python's `concurrent.futures`: an [`Executor`]
//! takes jobs with `submit`, `map` (results in input order) or `as_completed`
//! (results as they finish). [`ThreadPool`] runs a function on threads;
//! [`ProcessPool`] runs the same function in worker processes, and changing
//! which one a program builds is a one-line change.
//!
//! A process pool's workers are this program started again (see
//! [`crate::worker`]), so they must find the pool's function themselves:
//! `main` calls [`serve_if_worker`] first, as a Python module guards its
//! top level with `if __name__ == "__main__":`.
//!
//! ```no_run
//! use process_toolkit::pool::{self, Executor, ProcessPool};
//!
//! fn square(n: u64) -> u64 {
//!     n * n
//! }
//!
//! fn main() -> anyhow::Result<()> {
//!     pool::serve_if_worker(square); // in a worker: serve jobs, then exit
//!     let pool = ProcessPool::new(4, square)?;
//!     assert_eq!(pool.map(1..=4)?, [1, 4, 9, 16]);
//!     Ok(())
//! }
//! ```

use std::sync::Arc;
use std::thread::{self, JoinHandle};

use anyhow::{Result, anyhow};
use crossbeam::channel::{self, Receiver, Sender};

use crate::worker::{self, Message, Worker};

/// What a pool does with a job's result once it exists.
type Deliver<Reply> = Box<dyn FnOnce(Result<Reply>) + Send>;

// ANCHOR: executor
/// The interface both pools share, after Python's `concurrent.futures.Executor`.
pub trait Executor<Job, Reply> {
    /// Queues a job; `deliver` receives its result (or why it failed) when it ends.
    fn dispatch(&self, job: Job, deliver: Deliver<Reply>);

    /// Queues a job and returns a handle to wait on its result.
    fn submit(&self, job: Job) -> Pending<Reply>
    where
        Reply: Send + 'static,
    {
        let (sender, receiver) = channel::bounded(1);
        self.dispatch(job, Box::new(move |result| drop(sender.send(result))));
        Pending { receiver }
    }

    /// Runs every job and returns the results in the order of the jobs.
    fn map(&self, jobs: impl IntoIterator<Item = Job>) -> Result<Vec<Reply>>
    where
        Reply: Send + 'static,
    {
        let pending: Vec<Pending<Reply>> =
            jobs.into_iter().map(|job| self.submit(job)).collect();
        pending.into_iter().map(Pending::wait).collect()
    }

    /// Runs every job and yields `(index, result)` pairs as the jobs finish.
    fn as_completed(&self, jobs: impl IntoIterator<Item = Job>) -> Completed<Reply>
    where
        Reply: Send + 'static,
    {
        let (sender, receiver) = channel::unbounded();
        for (index, job) in jobs.into_iter().enumerate() {
            let sender = sender.clone();
            self.dispatch(
                job,
                Box::new(move |result| drop(sender.send((index, result)))),
            );
        }
        Completed { receiver }
    }
}
// ANCHOR_END: executor

/// A submitted job's result, to wait for (Python's `Future`).
pub struct Pending<Reply> {
    receiver: Receiver<Result<Reply>>,
}

impl<Reply> Pending<Reply> {
    /// Blocks until the job has ended; an error if it failed or its worker died.
    pub fn wait(self) -> Result<Reply> {
        self.receiver
            .recv()
            .map_err(|_| anyhow!("the job was lost: its thread panicked"))?
    }
}

/// The results of [`Executor::as_completed`], in the order the jobs finish.
pub struct Completed<Reply> {
    receiver: Receiver<(usize, Result<Reply>)>,
}

impl<Reply> Iterator for Completed<Reply> {
    type Item = (usize, Result<Reply>);

    fn next(&mut self) -> Option<Self::Item> {
        self.receiver.recv().ok()
    }
}

/// A pool of threads running one function (built on the `threadpool` crate).
pub struct ThreadPool<F> {
    threads: threadpool::ThreadPool,
    function: Arc<F>,
}

impl<F> ThreadPool<F> {
    /// A pool of `size` threads that run `function` on each job.
    pub fn new(size: usize, function: F) -> Self {
        ThreadPool {
            threads: threadpool::ThreadPool::new(size),
            function: Arc::new(function),
        }
    }
}

impl<Job, Reply, F> Executor<Job, Reply> for ThreadPool<F>
where
    Job: Send + 'static,
    Reply: 'static,
    F: Fn(Job) -> Reply + Send + Sync + 'static,
{
    fn dispatch(&self, job: Job, deliver: Deliver<Reply>) {
        let function = Arc::clone(&self.function);
        // If the function panics, `deliver` is dropped unused and the waiter hears of it.
        self.threads.execute(move || deliver(Ok(function(job))));
    }
}

impl<F> Drop for ThreadPool<F> {
    /// Waits for the queued jobs, as `with ThreadPoolExecutor(...)` does at its end.
    fn drop(&mut self) {
        self.threads.join();
    }
}

/// A pool of worker processes running one function.
pub struct ProcessPool<Job, Reply> {
    queue: Option<Sender<(Job, Deliver<Reply>)>>,
    supervisors: Vec<JoinHandle<()>>,
    pids: Receiver<u32>,
}

// ANCHOR: process_pool
impl<Job: Message, Reply: Message> ProcessPool<Job, Reply> {
    /// Starts `size` worker processes that run `function` on each job. Each is
    /// this program, started again; its `main` must call [`serve_if_worker`].
    pub fn new<F: Fn(Job) -> Reply>(size: usize, function: F) -> Result<Self> {
        let _ = function; // only its name travels: the workers have their own copy
        let role = role_for::<F>();
        let (queue, jobs) = channel::unbounded::<(Job, Deliver<Reply>)>();
        let (pid_sender, pids) = channel::unbounded();
        let (started_sender, started) = channel::unbounded();
        let mut supervisors = Vec::with_capacity(size);
        for _ in 0..size {
            let (role, jobs, pid_sender) =
                (role.clone(), jobs.clone(), pid_sender.clone());
            let started_sender = started_sender.clone();
            // Each slot's thread starts its own workers: on Linux a worker dies
            // with the thread that started it, and this thread lives as long as the pool.
            supervisors.push(thread::spawn(move || {
                match Worker::<Job, Reply>::start(&role) {
                    Ok(worker) => {
                        let _ = started_sender.send(Ok(()));
                        supervise(worker, &role, &jobs, &pid_sender);
                    }
                    Err(err) => drop(started_sender.send(Err(err))),
                }
            }));
        }
        let pool = ProcessPool { queue: Some(queue), supervisors, pids };
        for _ in 0..size {
            // A program that cannot start its workers fails now, not at its first job.
            started.recv()??;
        }
        Ok(pool)
    }

    /// The PIDs of the workers started so far, replacements included, in start order.
    pub fn pids(&self) -> Vec<u32> {
        self.pids.try_iter().collect()
    }
}

/// One slot of the pool: feeds its worker jobs, and replaces it when it dies.
/// A worker's death fails the job it was running, and no other.
fn supervise<Job: Message, Reply: Message>(
    mut worker: Worker<Job, Reply>,
    role: &str,
    jobs: &Receiver<(Job, Deliver<Reply>)>,
    pid_sender: &Sender<u32>,
) {
    let _ = pid_sender.send(worker.pid());
    for (job, deliver) in jobs {
        let result = worker.send(job).and_then(|()| worker.recv());
        if result.is_ok() {
            deliver(result);
            continue;
        }
        // Replace the worker before reporting the failure, so that whoever
        // sees the failure also sees the slot served again.
        match Worker::start(role) {
            Ok(replacement) => {
                let _ = pid_sender.send(replacement.pid());
                worker = replacement;
                deliver(result);
            }
            Err(err) => {
                deliver(result);
                // Without a worker this slot can only fail: say why to whoever waits next.
                let why = format!("{err:#}");
                for (_, deliver) in jobs {
                    deliver(Err(anyhow!("no worker to run the job: {why}")));
                }
                return;
            }
        }
    }
    let _ = worker.join();
}
// ANCHOR_END: process_pool

impl<Job: Message, Reply: Message> Executor<Job, Reply> for ProcessPool<Job, Reply> {
    fn dispatch(&self, job: Job, deliver: Deliver<Reply>) {
        let queue = self.queue.as_ref().expect("the queue lives as long as the pool");
        if let Err(channel::SendError((_, deliver))) = queue.send((job, deliver)) {
            deliver(Err(anyhow!("the pool has no workers left")));
        }
    }
}

impl<Job, Reply> Drop for ProcessPool<Job, Reply> {
    /// Closes the queue: the workers finish what was queued, then exit.
    fn drop(&mut self) {
        self.queue = None;
        for supervisor in self.supervisors.drain(..) {
            let _ = supervisor.join();
        }
    }
}

// ANCHOR: serve
/// In a worker process started by a [`ProcessPool`] of `function`: runs jobs
/// until the pool closes its queue, then exits the process. Anywhere else it
/// returns at once, so `main` can call it first thing.
pub fn serve_if_worker<Job: Message, Reply: Message, F: Fn(Job) -> Reply>(function: F) {
    if worker::role().as_deref() != Some(role_for::<F>().as_str()) {
        return;
    }
    let served = worker::connect::<Job, Reply>().and_then(|parent| {
        while let Some(job) = parent.next_job()? {
            parent.reply(function(job))?;
        }
        Ok(())
    });
    if let Err(err) = served {
        eprintln!("pool worker {}: {err:#}", std::process::id());
        std::process::exit(1);
    }
    std::process::exit(0);
}

/// The role of a pool's workers: the function's name, which both sides know.
fn role_for<F>() -> String {
    format!("pool:{}", std::any::type_name::<F>())
}
// ANCHOR_END: serve

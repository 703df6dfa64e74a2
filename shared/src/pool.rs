//! Pools: a fixed set of workers, threads or processes, behind one interface.
//!
//! This is the Rust side of Python's `concurrent.futures`: an [`Executor`]
//! takes jobs with `submit` (a [`Pending`] result, Python's `Future`), `map`
//! (results in input order) or `as_completed` (results as they finish), and
//! can cancel what has not started. [`ThreadPool`] runs a function on threads;
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
//!
//! Every job's result comes back exactly once, as a value or as an
//! [`Error`]: the job panicked (with its message), its worker died under it,
//! it or its reply could not be serialized, it was cancelled.

use std::any::{TypeId, type_name};
use std::collections::VecDeque;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam::channel::{self, Receiver, RecvTimeoutError, Sender};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, panic_message};
use crate::worker::{self, Message, Parent, Worker};

// ANCHOR: executor
/// The interface both pools share, after Python's `concurrent.futures.Executor`.
pub trait Executor<Job, Reply> {
    /// Queues a job; `promise` is kept with its result when it ends.
    fn dispatch(&self, job: Job, promise: Promise<Reply>);

    /// Cancels every queued job that has not started (each fails with
    /// [`Error::Cancelled`]) and returns how many there were.
    fn cancel_queued(&self) -> usize;

    /// Stops without waiting, as Python's `shutdown(wait=False,
    /// cancel_futures=True)`: the queued jobs are cancelled; a process pool
    /// kills its workers, failing their jobs with [`Error::Killed`]; a thread
    /// pool's running jobs finish on their own (no one can stop a thread).
    fn shutdown_now(self)
    where
        Self: Sized;

    /// Queues a job and returns a handle to wait on its result.
    fn submit(&self, job: Job) -> Pending<Reply>
    where
        Reply: Send + 'static,
    {
        let (sender, receiver) = channel::bounded(1);
        let promise = Promise::new(move |result| drop(sender.send(result)));
        let state = Arc::clone(&promise.state);
        self.dispatch(job, promise);
        Pending { receiver, state }
    }

    /// Runs every job and yields each one's result in the order of the jobs,
    /// as Python's `executor.map` does; a failure hides no other result.
    /// Dropping the iterator cancels the jobs that have not started.
    fn map_iter(&self, jobs: impl IntoIterator<Item = Job>) -> InOrder<Reply>
    where
        Reply: Send + 'static,
    {
        InOrder { pending: jobs.into_iter().map(|job| self.submit(job)).collect() }
    }

    /// Runs every job and returns the results in the order of the jobs, or
    /// the first failure in that order (cancelling the jobs not started yet,
    /// as `list(executor.map(...))` does).
    fn map(&self, jobs: impl IntoIterator<Item = Job>) -> Result<Vec<Reply>>
    where
        Reply: Send + 'static,
    {
        self.map_iter(jobs).collect()
    }

    /// Runs every job and yields `(index, result)` pairs as the jobs finish,
    /// one for every job, failed ones included.
    fn as_completed(&self, jobs: impl IntoIterator<Item = Job>) -> Completed<Reply>
    where
        Reply: Send + 'static,
    {
        let (sender, receiver) = channel::unbounded();
        for (index, job) in jobs.into_iter().enumerate() {
            let sender = sender.clone();
            let promise = Promise::new(move |result| drop(sender.send((index, result))));
            self.dispatch(job, promise);
        }
        Completed { receiver }
    }
}
// ANCHOR_END: executor

// ANCHOR: promise
const QUEUED: u8 = 0;
const RUNNING: u8 = 1;
const DONE: u8 = 2;
const CANCELLED: u8 = 3;

/// A pool's side of a job's result: kept exactly once, with the result or
/// with why there is none. One dropped unkept is kept with [`Error::Lost`],
/// so nobody waits for a result that cannot come.
pub struct Promise<Reply> {
    state: Arc<AtomicU8>,
    deliver: Option<Box<dyn FnOnce(Result<Reply>) + Send>>,
}

impl<Reply> Promise<Reply> {
    /// A promise that hands the result to `deliver`.
    pub fn new(deliver: impl FnOnce(Result<Reply>) + Send + 'static) -> Self {
        Promise {
            state: Arc::new(AtomicU8::new(QUEUED)),
            deliver: Some(Box::new(deliver)),
        }
    }

    /// Marks the job as running; `None` (and the promise kept) if it was cancelled.
    fn start(self) -> Option<Self> {
        let started = self.state.compare_exchange(QUEUED, RUNNING, SeqCst, SeqCst);
        if started.is_ok() {
            return Some(self);
        }
        self.cancel();
        None
    }

    fn cancel(mut self) {
        self.state.store(CANCELLED, SeqCst);
        self.finish(Err(Error::Cancelled));
    }

    fn keep(mut self, result: Result<Reply>) {
        self.finish(result);
    }

    fn finish(&mut self, result: Result<Reply>) {
        if let Some(deliver) = self.deliver.take() {
            deliver(result);
            // Only now "done": a waiter that sees it finds the result there.
            let done = |state| (state != CANCELLED).then_some(DONE);
            let _ = self.state.fetch_update(SeqCst, SeqCst, done);
        }
    }
}

impl<Reply> Drop for Promise<Reply> {
    fn drop(&mut self) {
        self.finish(Err(Error::Lost));
    }
}
// ANCHOR_END: promise

// ANCHOR: pending
/// A submitted job's result, to wait for (Python's `Future`).
pub struct Pending<Reply> {
    receiver: Receiver<Result<Reply>>,
    state: Arc<AtomicU8>,
}

impl<Reply> Pending<Reply> {
    /// Blocks until the job has ended; its result, or why it has none.
    pub fn wait(self) -> Result<Reply> {
        if self.state.load(SeqCst) == CANCELLED {
            return Err(Error::Cancelled);
        }
        self.receiver.recv().unwrap_or(Err(Error::Lost))
    }

    /// Waits at most `timeout`: [`Error::Timeout`] if the job has not ended
    /// by then, and it goes on (wait again, or cancel it). Like a channel's
    /// message, the result is handed out once.
    pub fn wait_timeout(&self, timeout: Duration) -> Result<Reply> {
        if self.state.load(SeqCst) == CANCELLED {
            return Err(Error::Cancelled);
        }
        match self.receiver.recv_timeout(timeout) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => Err(Error::Timeout),
            Err(RecvTimeoutError::Disconnected) => Err(Error::Lost),
        }
    }

    /// True once the job has ended or was cancelled: then waiting takes no time.
    pub fn done(&self) -> bool {
        matches!(self.state.load(SeqCst), DONE | CANCELLED)
    }

    /// Cancels the job unless it has started: true if it will never run
    /// (waiting then gives [`Error::Cancelled`]), false if it runs or ran.
    pub fn cancel(&self) -> bool {
        let cancelled = self.state.compare_exchange(QUEUED, CANCELLED, SeqCst, SeqCst);
        cancelled.is_ok() || self.state.load(SeqCst) == CANCELLED
    }
}
// ANCHOR_END: pending

/// The results of [`Executor::map_iter`], in the order of the jobs.
pub struct InOrder<Reply> {
    pending: VecDeque<Pending<Reply>>,
}

impl<Reply> Iterator for InOrder<Reply> {
    type Item = Result<Reply>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.pending.pop_front()?.wait())
    }
}

impl<Reply> Drop for InOrder<Reply> {
    /// Nobody will read the rest: the jobs that have not started never will.
    fn drop(&mut self) {
        for pending in &self.pending {
            pending.cancel();
        }
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

/// The jobs a pool has not started, shared by its threads or slots.
struct Queue<Job, Reply> {
    sender: Option<Sender<(Job, Promise<Reply>)>>,
    receiver: Receiver<(Job, Promise<Reply>)>,
}

impl<Job, Reply> Queue<Job, Reply> {
    fn new() -> Self {
        let (sender, receiver) = channel::unbounded();
        Queue { sender: Some(sender), receiver }
    }

    fn push(&self, job: Job, promise: Promise<Reply>) {
        let sender = self.sender.as_ref().expect("the queue is open while the pool is");
        // It cannot fail: the queue itself holds a receiver.
        let _ = sender.send((job, promise));
    }

    fn cancel_all(&self) -> usize {
        self.receiver.try_iter().map(|(_, promise)| promise.cancel()).count()
    }

    /// No more jobs: each thread or slot ends once the queue is empty.
    fn close(&mut self) {
        self.sender = None;
    }
}

fn check_size(size: usize) -> Result<()> {
    if size == 0 {
        return Err(Error::setup(
            "a pool needs at least one worker, and 0 were asked for",
        ));
    }
    Ok(())
}

/// Runs a job and catches its panic, as Python's executors catch an exception.
fn run_caught<Reply>(job: impl FnOnce() -> Reply) -> Result<Reply, String> {
    panic::catch_unwind(AssertUnwindSafe(job)).map_err(|payload| panic_message(&*payload))
}

/// A pool of threads running one function.
pub struct ThreadPool<Job, Reply> {
    queue: Queue<Job, Reply>,
    threads: Vec<JoinHandle<()>>,
}

impl<Job: Send + 'static, Reply: Send + 'static> ThreadPool<Job, Reply> {
    /// A pool of `size` threads that run `function` on each job.
    ///
    /// # Panics
    ///
    /// If `size` is 0 or the system refuses a thread (as `thread::spawn`
    /// panics); [`try_new`](Self::try_new) returns those as errors.
    pub fn new<F>(size: usize, function: F) -> Self
    where
        F: Fn(Job) -> Reply + Send + Sync + 'static,
    {
        Self::try_new(size, function)
            .unwrap_or_else(|err| panic!("ThreadPool::new: {err}"))
    }

    /// A pool of `size` threads that run `function` on each job, or why not.
    pub fn try_new<F>(size: usize, function: F) -> Result<Self>
    where
        F: Fn(Job) -> Reply + Send + Sync + 'static,
    {
        check_size(size)?;
        let function = Arc::new(function);
        let mut pool =
            ThreadPool { queue: Queue::new(), threads: Vec::with_capacity(size) };
        for index in 0..size {
            let (jobs, function) = (pool.queue.receiver.clone(), Arc::clone(&function));
            let thread = thread::Builder::new().name(format!("pool thread {index}"));
            let thread = thread.spawn(move || {
                for (job, promise) in jobs {
                    if let Some(promise) = promise.start() {
                        let result = run_caught(|| function(job));
                        promise
                            .keep(result.map_err(|message| Error::Panicked { message }));
                    }
                }
            });
            pool.threads.push(thread.map_err(Error::io("start a pool thread"))?);
        }
        Ok(pool)
    }
}

impl<Job: Send + 'static, Reply: Send + 'static> Executor<Job, Reply>
    for ThreadPool<Job, Reply>
{
    fn dispatch(&self, job: Job, promise: Promise<Reply>) {
        self.queue.push(job, promise);
    }

    fn cancel_queued(&self) -> usize {
        self.queue.cancel_all()
    }

    fn shutdown_now(mut self) {
        self.queue.cancel_all();
        self.threads.clear(); // not joined: a running job ends when it ends
    }
}

impl<Job, Reply> Drop for ThreadPool<Job, Reply> {
    /// Waits for the queued jobs, as `with ThreadPoolExecutor(...)` does at its end.
    fn drop(&mut self) {
        self.queue.close();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// A pool of worker processes running one function.
pub struct ProcessPool<Job, Reply> {
    queue: Queue<Job, Reply>,
    supervisors: Vec<JoinHandle<()>>,
    pids: Arc<Mutex<Vec<u32>>>,
    stopping: Arc<AtomicBool>,
}

impl Failure {
    fn into_error<Job, Reply>(self) -> Error {
        match self {
            Failure::Panicked(message) => Error::Panicked { message },
            Failure::JobNotDeserialized(reason) => {
                Error::Deserialize { what: "job", type_name: type_name::<Job>(), reason }
            }
            Failure::ReplyNotSerialized(reason) => Error::Serialize {
                what: "reply",
                type_name: type_name::<Reply>(),
                reason,
            },
        }
    }
}

/// How often a slot waiting for a reply checks whether the pool is stopping.
const STOP_CHECK: Duration = Duration::from_millis(20);

impl<Job: Message, Reply: Message> ProcessPool<Job, Reply> {
    /// Starts `size` worker processes that run `function` on each job. Each is
    /// this program, started again; its `main` must call [`serve_if_worker`].
    pub fn new<F: Fn(Job) -> Reply + 'static>(size: usize, function: F) -> Result<Self> {
        let role = role_for(&function)?;
        worker::refuse_if_bootstrapping()?;
        check_size(size)?;
        let mut pool = ProcessPool {
            queue: Queue::new(),
            supervisors: Vec::with_capacity(size),
            pids: Arc::default(),
            stopping: Arc::default(),
        };
        let (started_sender, started) = channel::unbounded();
        for _ in 0..size {
            let slot = Slot {
                role: role.clone(),
                jobs: pool.queue.receiver.clone(),
                pids: Arc::clone(&pool.pids),
                stopping: Arc::clone(&pool.stopping),
            };
            let started_sender = started_sender.clone();
            // Each slot's thread starts its own workers: on Linux a worker dies
            // with the thread that started it, and this thread lives as long as the pool.
            pool.supervisors.push(thread::spawn(move || match slot.start_worker() {
                Ok(worker) => {
                    let _ = started_sender.send(Ok(()));
                    slot.supervise(worker);
                }
                Err(err) => drop(started_sender.send(Err(err))),
            }));
        }
        for _ in 0..size {
            // A program that cannot start its workers fails now, not at its first job.
            started.recv().unwrap_or(Err(Error::Lost))?;
        }
        Ok(pool)
    }

    /// The PIDs of the workers started so far, replacements included, in start order.
    pub fn pids(&self) -> Vec<u32> {
        self.pids.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }
}

/// One slot of the pool: a thread that feeds one worker jobs, and replaces it when it dies.
struct Slot<Job, Reply> {
    role: String,
    jobs: Receiver<(Job, Promise<Reply>)>,
    pids: Arc<Mutex<Vec<u32>>>,
    stopping: Arc<AtomicBool>,
}

impl<Job: Message, Reply: Message> Slot<Job, Reply> {
    fn start_worker(&self) -> Result<Worker<Job, Outcome<Reply>>> {
        let worker = Worker::start(&self.role)?;
        self.pids
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(worker.pid());
        Ok(worker)
    }

    // ANCHOR: supervise
    /// A worker's death fails the job it was running, and no other.
    fn supervise(&self, mut worker: Worker<Job, Outcome<Reply>>) {
        for (job, promise) in &self.jobs {
            let Some(promise) = promise.start() else { continue };
            if self.stopping.load(SeqCst) {
                promise.cancel();
                continue;
            }
            // A worker that died between jobs never saw this one: it goes to the replacement.
            if let Err(err) = self.replace_if_ended(&mut worker) {
                promise.keep(Err(err));
                return self.fail_the_rest();
            }
            let result = self.run(&mut worker, job);
            // Replace a worker that died now before reporting the failure, so
            // that whoever sees the failure also sees the slot served again.
            let replaced = self.replace_if_ended(&mut worker);
            promise.keep(result);
            if replaced.is_err() {
                return self.fail_the_rest();
            }
        }
        let _ = worker.join();
    }

    fn replace_if_ended(&self, worker: &mut Worker<Job, Outcome<Reply>>) -> Result<()> {
        if matches!(worker.try_wait(), Ok(None)) || self.stopping.load(SeqCst) {
            return Ok(());
        }
        *worker = self.start_worker()?;
        Ok(())
    }
    // ANCHOR_END: supervise

    fn run(&self, worker: &mut Worker<Job, Outcome<Reply>>, job: Job) -> Result<Reply> {
        worker.send(job)?;
        loop {
            match worker.recv_timeout(STOP_CHECK) {
                Ok(outcome) => return outcome.map_err(Failure::into_error::<Job, Reply>),
                Err(Error::Timeout) if self.stopping.load(SeqCst) => {
                    let _ = worker.kill();
                    let reason = "the pool was shut down";
                    return Err(Error::Killed { process: worker.name(), reason });
                }
                Err(Error::Timeout) => {}
                // The reply arrived, inside an outcome: name the reply's own type.
                Err(Error::Deserialize { what, reason, .. }) => {
                    return Err(Error::Deserialize {
                        what,
                        type_name: type_name::<Reply>(),
                        reason,
                    });
                }
                Err(err) => return Err(err),
            }
        }
    }

    /// Without a worker this slot can only fail: it says so to whoever waits next.
    fn fail_the_rest(&self) {
        for (_, promise) in &self.jobs {
            if let Some(promise) = promise.start() {
                let reason = format!(
                    "no worker to run the job: cannot start {:?}",
                    worker::readable(&self.role)
                );
                promise.keep(Err(Error::setup(reason)));
            }
        }
    }
}

impl<Job: Message, Reply: Message> Executor<Job, Reply> for ProcessPool<Job, Reply> {
    fn dispatch(&self, job: Job, promise: Promise<Reply>) {
        self.queue.push(job, promise);
    }

    fn cancel_queued(&self) -> usize {
        self.queue.cancel_all()
    }

    fn shutdown_now(self) {
        self.stopping.store(true, SeqCst);
        self.queue.cancel_all();
        // Dropping closes the queue; each busy slot kills its worker within STOP_CHECK.
    }
}

impl<Job, Reply> Drop for ProcessPool<Job, Reply> {
    /// Closes the queue: the workers finish what was queued, then exit.
    fn drop(&mut self) {
        self.queue.close();
        for supervisor in self.supervisors.drain(..) {
            let _ = supervisor.join();
        }
    }
}

// ANCHOR: serve
/// What a pool's worker answers: the reply, or why the job has none.
type Outcome<Reply> = std::result::Result<Reply, Failure>;

/// Why a job has no reply, as the worker tells it.
#[derive(Serialize, Deserialize)]
enum Failure {
    Panicked(String),
    JobNotDeserialized(String),
    ReplyNotSerialized(String),
}

/// In a worker process started by a [`ProcessPool`] of `function`: runs jobs
/// until the pool closes its queue, then exits the process. Anywhere else it
/// returns at once, so `main` can call it first thing.
pub fn serve_if_worker<Job, Reply, F>(function: F)
where
    Job: Message,
    Reply: Message,
    F: Fn(Job) -> Reply + 'static,
{
    let Ok(role) = role_for(&function) else { return };
    if worker::role().as_deref() != Some(role.as_str()) {
        return;
    }
    let served = worker::connect().and_then(|parent| serve(&parent, &function));
    if let Err(err) = served {
        eprintln!("pool worker {}: {err}", std::process::id());
        std::process::exit(1);
    }
    std::process::exit(0);
}

/// Answers every job, a panicking or unreadable one with its failure, so
/// that the worker outlives a bad job as Python's does.
fn serve<Job: Message, Reply: Message>(
    parent: &Parent<Job, Outcome<Reply>>,
    function: &impl Fn(Job) -> Reply,
) -> Result<()> {
    loop {
        let outcome = match parent.next_job() {
            Ok(None) => return Ok(()),
            Ok(Some(job)) => run_caught(|| function(job)).map_err(Failure::Panicked),
            Err(Error::Deserialize { reason, .. }) => {
                Err(Failure::JobNotDeserialized(reason))
            }
            Err(err) => return Err(err),
        };
        match parent.reply(outcome) {
            Err(Error::Serialize { reason, .. }) => {
                parent.reply(Err(Failure::ReplyNotSerialized(reason)))?;
            }
            replied => replied?,
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: role_for
/// The role of a pool's workers, which both sides compute from the function's
/// type: its name, for people, and a hash of its `TypeId`, which tells apart
/// two functions with one name (two closures in one function have the same
/// name). A worker finds the function again only if it has no state, so a
/// closure that captures something, or a function pointer, is refused.
fn role_for<F: 'static>(_function: &F) -> Result<String> {
    let name = type_name::<F>();
    if size_of::<F>() != 0 {
        return Err(Error::setup(format!(
            "a process pool needs a fn item or a closure that captures nothing, and \
             {name} holds {} bytes of state (captured variables, or a function pointer) \
             that its workers would not have: pass a fn, and put the state in the jobs",
            size_of::<F>()
        )));
    }
    let mut hasher = DefaultHasher::new();
    TypeId::of::<F>().hash(&mut hasher);
    Ok(format!("pool:{name}#{:016x}", hasher.finish()))
}
// ANCHOR_END: role_for

//! A program for the toolkit's tests and its chapter: what each pool does in
//! the cases where Python's `concurrent.futures` users expect something.
//!
//! It prints one line per case and pool, `case | pool | outcome`, and
//! `python/toolkit_cases.py` prints the same for Python's executors; the
//! chapter's table is made from the two recordings. Every case is
//! deterministic: a job that must still be running when the program looks is
//! held by a gate that the program opens itself.

use std::ffi::OsString;
use std::fmt::Debug;
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use nix::sys::signal::{Signal, kill, raise};
use nix::unistd::Pid;
use process_toolkit::Result;
use process_toolkit::ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use process_toolkit::pool::{self, Executor, Pending, ProcessPool, ThreadPool};
use serde::{Deserialize, Serialize};

/// In the program run again for the "no serve_if_worker" case.
const FORGETFUL: &str = "TOOLKIT_CASES_FORGET_SERVE";

fn square(n: u64) -> u64 {
    n * n
}

fn fails_on_two(n: u64) -> u64 {
    if n == 2 {
        panic!("job {n} fails");
    }
    n * n
}

fn worker_pid(_: u64) -> u32 {
    std::process::id()
}

fn kill_own_process(_: u64) -> u64 {
    let _ = raise(Signal::SIGKILL);
    unreachable!("SIGKILL cannot be caught")
}

fn path_length(path: PathBuf) -> usize {
    path.as_os_str().len()
}

/// A path that is not UTF-8 (a Latin-1 file name, say): serde refuses to serialize it.
fn not_utf8_path(_: u64) -> PathBuf {
    PathBuf::from(OsString::from_vec(b"\xff.rs".to_vec()))
}

/// Serializes as its content alone, and so cannot be deserialized by a format
/// that does not describe itself, as ipc-channel's does not.
#[derive(Serialize, Deserialize, Debug)]
#[serde(untagged)]
enum Size {
    Bytes(u64),
    Named(String),
}

fn size_in_bytes(size: Size) -> u64 {
    match size {
        Size::Bytes(bytes) => bytes,
        Size::Named(_) => 0,
    }
}

fn named_size(_: u64) -> Size {
    Size::Named("big".into())
}

/// A job that tells when it runs, then waits until it is released.
#[derive(Serialize, Deserialize)]
struct Gate {
    started: IpcSender<()>,
    release: IpcReceiver<()>,
}

fn gated(gate: Gate) -> u64 {
    gate.started.send(()).expect("the case waits for this");
    let _ = gate.release.recv();
    42
}

/// The program's ends of a [`Gate`].
struct GateKeeper {
    started: IpcReceiver<()>,
    release: IpcSender<()>,
}

fn gate() -> (Gate, GateKeeper) {
    let (started, started_rx) = ipc::channel().expect("a channel");
    let (release_tx, release) = ipc::channel().expect("a channel");
    (Gate { started, release }, GateKeeper { started: started_rx, release: release_tx })
}

impl GateKeeper {
    fn wait_started(&self) {
        self.started.recv().expect("the gated job starts");
    }

    fn open(&self) {
        let _ = self.release.send(());
    }
}

/// A result in a line: `Ok(..)` or `Err(Variant): message`.
fn show<T: Debug>(result: &Result<T>) -> String {
    match result {
        Ok(value) => format!("Ok({value:?})"),
        Err(err) => {
            let debug = format!("{err:?}");
            let variant = debug.split([' ', '{', '(']).next().unwrap_or("");
            format!("Err({variant}): {err}")
        }
    }
}

fn print(case: &str, pool: &str, outcome: &str) {
    println!("{case} | {pool} | {outcome}");
}

/// The cases that ask the same of both pools; `workers` says how many
/// processes a pool has started, where that means something.
fn common_cases<E>(
    kind: &str,
    make: impl Fn(usize) -> Result<E>,
    workers: impl Fn(&E) -> String,
) -> Result<()>
where
    E: Executor<u64, u64>,
{
    let pool = make(2)?;
    let panicked = show(&pool.submit(2).wait());
    print("a job panics (raises)", kind, &format!("{panicked}{}", workers(&pool)));

    let completed: Vec<_> = pool.as_completed(0..5).collect();
    let failed = completed.iter().filter(|(_, result)| result.is_err()).count();
    let outcome =
        format!("{} results for 5 jobs, {failed} of them an error", completed.len());
    print("as_completed, one job failing", kind, &outcome);

    let in_order: Vec<String> = pool.map_iter(0..5).map(|result| show(&result)).collect();
    let outcome =
        format!("map: {}; map_iter: {}", show(&pool.map(0..5)), in_order.join(", "));
    print("map, one job failing", kind, &outcome);
    drop(pool);

    print("a pool of 0 workers", kind, &show(&make(0).map(drop)));
    Ok(())
}

/// The gated cases: waiting with a deadline, cancelling, stopping.
fn gated_cases<E>(kind: &str, make: impl Fn() -> Result<E>) -> Result<()>
where
    E: Executor<Gate, u64>,
{
    let pool = make()?;
    let (job, keeper) = gate();
    let running = pool.submit(job);
    keeper.wait_started();
    let timed_out = show(&running.wait_timeout(Duration::from_millis(10)));
    let done_before = running.done();
    keeper.open();
    while !running.done() {
        std::thread::sleep(Duration::from_millis(1));
    }
    let outcome = format!(
        "wait_timeout: {timed_out}; done() {done_before}; opened: done() true, wait: {}",
        show(&running.wait())
    );
    print("waiting with a timeout", kind, &outcome);

    let (job, keeper) = gate();
    let running = pool.submit(job);
    keeper.wait_started();
    let (queued_job, _queued_keeper) = gate();
    let queued = pool.submit(queued_job);
    let cancelled = (running.cancel(), queued.cancel());
    let queued = show(&queued.wait());
    keeper.open();
    let outcome = format!(
        "running: cancel() {}; queued: cancel() {}, wait: {queued}; opened, running: {}",
        cancelled.0,
        cancelled.1,
        show(&running.wait())
    );
    print("cancelling", kind, &outcome);

    let (job, keeper) = gate();
    let running = pool.submit(job);
    keeper.wait_started();
    let (queued_job, _queued_keeper) = gate();
    let queued: Pending<u64> = pool.submit(queued_job);
    pool.shutdown_now();
    let queued = show(&queued.wait());
    keeper.open();
    let outcome = format!("queued: {queued}; running: {}", show(&running.wait()));
    print("stopping without waiting", kind, &outcome);
    Ok(())
}

/// What only a process pool can meet: dead workers and messages that do not cross.
fn process_cases(triple: impl Fn(u64) -> u64 + 'static) -> Result<()> {
    const KIND: &str = "processes";
    let pool = ProcessPool::new(1, kill_own_process)?;
    let killed = show(&pool.submit(1).wait());
    let workers = pool.pids().len();
    print(
        "a worker killed mid-job",
        KIND,
        &format!("{killed}; workers started: {workers}"),
    );

    let pool = ProcessPool::new(1, worker_pid)?;
    let first = pool.submit(0).wait()?;
    kill(Pid::from_raw(first as i32), Signal::SIGKILL).expect("the worker can be killed");
    while !is_gone(first) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let next = pool.submit(0).wait();
    let replaced = matches!(next, Ok(pid) if pid != first);
    print(
        "a worker that dies while idle",
        KIND,
        &format!("next job: Ok, on a new worker: {replaced}"),
    );

    let not_utf8 = not_utf8_path(0);
    let pool = ProcessPool::new(1, path_length)?;
    let refused = show(&pool.submit(not_utf8).wait());
    let next = show(&pool.submit(PathBuf::from("a.rs")).wait());
    let same = pool.pids().len() == 1;
    print(
        "a job that cannot be serialized",
        KIND,
        &format!("{refused}; next: {next}, same worker: {same}"),
    );

    let pool = ProcessPool::new(1, size_in_bytes)?;
    let refused = show(&pool.submit(Size::Bytes(4)).wait());
    let same = pool.pids().len() == 1;
    print(
        "a job that cannot be deserialized",
        KIND,
        &format!("{refused}; same worker: {same}"),
    );

    let pool = ProcessPool::new(1, not_utf8_path)?;
    let refused = show(&pool.submit(0).wait());
    let same = pool.pids().len() == 1;
    print(
        "a reply that cannot be serialized",
        KIND,
        &format!("{refused}; same worker: {same}"),
    );

    let pool = ProcessPool::new(1, named_size)?;
    let refused = show(&pool.submit(0).wait());
    let same = pool.pids().len() == 1;
    print(
        "a reply that cannot be deserialized",
        KIND,
        &format!("{refused}; same worker: {same}"),
    );

    let tripled = show(&ProcessPool::new(1, triple)?.map([1, 2, 3]));
    print(
        "two closures in one function",
        KIND,
        &format!("a pool of the second: {tripled}"),
    );

    let factor = 3;
    let outcome = ProcessPool::new(1, move |n: u64| n * factor).map(drop);
    print("a closure that captures state", KIND, &show(&outcome));

    // This program again, with a main that forgets serve_if_worker: the
    // error its worker gives, then the error it gives itself.
    let program = std::env::current_exe().expect("this program's path");
    let forgetful = Command::new(program).env(FORGETFUL, "1").output().expect("it runs");
    let stderr = String::from_utf8_lossy(&forgetful.stderr);
    let said: Vec<&str> =
        stderr.lines().filter_map(|line| line.strip_prefix("Error: ")).collect();
    let outcome =
        format!("{}; the worker: {}", forgetful.status, said.join("; then main: "));
    print("main without the guard", KIND, &outcome);
    Ok(())
}

/// True once `pid` has ended (a zombie waiting for its parent counts).
fn is_gone(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| {
        stat.rsplit(')').next().is_some_and(|s| s.trim_start().starts_with('Z'))
    })
}

fn thread_only_cases(triple: impl Fn(u64) -> u64 + Send + Sync + 'static) {
    const KIND: &str = "threads";
    let tripled = show(&ThreadPool::new(1, triple).map([1, 2, 3]));
    print(
        "two closures in one function",
        KIND,
        &format!("a pool of the second: {tripled}"),
    );
    let factor = 3;
    print(
        "a closure that captures state",
        KIND,
        &show(&ThreadPool::new(1, move |n: u64| n * factor).map([1, 2, 3])),
    );
    let not_utf8 = not_utf8_path(0);
    print(
        "a job that cannot be serialized",
        KIND,
        &show(&ThreadPool::new(1, path_length).submit(not_utf8).wait()),
    );
    print(
        "a reply that cannot be deserialized",
        KIND,
        &show(&ThreadPool::new(1, named_size).submit(0).wait()),
    );
}

/// A main that forgot `pool::serve_if_worker(square)`: its worker runs it too.
fn forgetful_main() -> anyhow::Result<()> {
    ProcessPool::new(1, square)?.map(0..3)?;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    if std::env::var_os(FORGETFUL).is_some() {
        return forgetful_main();
    }
    // Two closures with one type name: `toolkit_cases::main::{{closure}}`.
    let double = |n: u64| n * 2;
    let triple = |n: u64| n * 3;
    pool::serve_if_worker(double);
    pool::serve_if_worker(triple);
    pool::serve_if_worker(square);
    pool::serve_if_worker(fails_on_two);
    pool::serve_if_worker(worker_pid);
    pool::serve_if_worker(kill_own_process);
    pool::serve_if_worker(path_length);
    pool::serve_if_worker(size_in_bytes);
    pool::serve_if_worker(not_utf8_path);
    pool::serve_if_worker(named_size);
    pool::serve_if_worker(gated);

    let started = |pool: &ProcessPool<u64, u64>| {
        format!("; workers started: {}", pool.pids().len())
    };
    common_cases(
        "threads",
        |size| ThreadPool::try_new(size, fails_on_two),
        |_| String::new(),
    )?;
    common_cases("processes", |size| ProcessPool::new(size, fails_on_two), started)?;
    gated_cases("threads", || ThreadPool::try_new(1, gated))?;
    gated_cases("processes", || ProcessPool::new(1, gated))?;
    thread_only_cases(triple);
    process_cases(triple)?;
    Ok(())
}

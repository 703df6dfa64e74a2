//! What does a child process inherit, and what does it cost to start one?
//!
//! Python's `multiprocessing` starts children by "fork" (a copy of the running
//! parent) or "spawn" (a fresh interpreter that imports the main module again).
//! Rust has both: `fork` through nix, and re-executing this program, which is
//! what the process toolkit's workers do.
//!
//! Part 1 changes a global and opens a file, then starts one child each way.
//! Part 2 times starting and waiting for a thread, a forked child, a fresh run
//! of this program and a connected worker, on the machine it runs on.
//!
//! Watch for: the forked child sees the changed global and writes into the
//! parent's open file; the re-executed child sees the value in the source and
//! has no such file. Part 2's figures change with every run and machine; the
//! gaps between the rows are the lesson.

use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail, ensure};
use nix::unistd::{ForkResult, fork};
use process_toolkit::forked;
use process_toolkit::worker::{self, WORKER_FLAG, Worker};

// ANCHOR: setting
/// Every run of the program starts with this value, as a Python module's globals do.
static SETTING: Mutex<&str> = Mutex::new("as written in the source");

fn setting() -> &'static str {
    *SETTING.lock().unwrap() // only a panic while it is held could poison it; none can
}
// ANCHOR_END: setting

// ANCHOR: fork
/// Forks: the child runs `in_child` and exits; the parent waits for it.
fn fork_and_wait(in_child: impl FnOnce() -> Result<()>) -> Result<()> {
    io::stdout().flush()?; // else the child's copy of the buffer would print it again
    // SAFETY: main forks before it starts any thread, so the child's copy of
    // memory holds no lock that a thread, missing in the child, was holding.
    match unsafe { fork() }? {
        ForkResult::Child => {
            let result = in_child();
            if let Err(err) = &result {
                eprintln!("fork child: {err:#}");
            }
            let _ = io::stdout().flush();
            // Exit here: returning would run the rest of the parent's program again.
            std::process::exit(i32::from(result.is_err()))
        }
        ForkResult::Parent { child } => Ok(forked::join(child)?),
    }
}
// ANCHOR_END: fork

// ANCHOR: worker
/// The re-executed program: a fresh start that knows only what it is told.
fn run_worker(role: &str) -> Result<()> {
    match role {
        "exit" => Ok(()), // for timing the program's start-up alone
        "report" => {
            let parent = worker::connect::<PathBuf, ()>()?;
            while let Some(path) = parent.next_job()? {
                report("re-executed child", &path)?;
            }
            Ok(())
        }
        other => bail!("unknown worker role {other:?}"),
    }
}

/// What a child says: the SETTING it sees, and whether it has the parent's file open.
fn report(child: &str, path: &Path) -> Result<()> {
    println!("{child} sees SETTING = {:?}", setting());
    // Each entry of /proc/self/fd (Linux) is a link to what that descriptor refers to.
    let mut descriptors = fs::read_dir("/proc/self/fd")?.flatten();
    let open = descriptors.any(|fd| fs::read_link(fd.path()).is_ok_and(|to| to == path));
    println!("{child} has the parent's file open: {}", if open { "yes" } else { "no" });
    Ok(())
}
// ANCHOR_END: worker

/// The scratch file's path; dropping it removes the file, however main ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

// ANCHOR: median
/// Starts and waits for something `runs` times; the median time of one run.
fn median(
    runs: usize,
    mut start_and_wait: impl FnMut() -> Result<()>,
) -> Result<Duration> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        start_and_wait()?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[runs / 2])
}
// ANCHOR_END: median

/// `--runs N` with N at least 1, or 20; anything else is a usage error (exit code 2).
fn runs_from_args() -> usize {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs = match args.as_slice() {
        [] => Some(20),
        [flag, n] if flag == "--runs" => n.parse().ok().filter(|&n| n > 0),
        _ => None,
    };
    runs.unwrap_or_else(|| {
        eprintln!("process-start-methods: bad arguments {args:?}");
        eprintln!(
            "usage: process-start-methods [--runs N] (N: how many times, at least 1)"
        );
        std::process::exit(2)
    })
}

/// The machine the figures come from: CPUs this program may use, and their model.
fn machine() -> Result<String> {
    let cpus = thread::available_parallelism()?;
    let info = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
        .map_or("a CPU that /proc/cpuinfo does not name", |(_, model)| model.trim());
    Ok(format!("{cpus} CPUs available, {model}"))
}

// ANCHOR: main
fn main() -> Result<()> {
    if let Some(role) = worker::role() {
        return run_worker(&role);
    }
    let runs = runs_from_args();

    // Everything that forks comes first: Worker::start starts a thread, and a
    // process with threads must not fork.
    println!("Part 1: what a child inherits");
    *SETTING.lock().unwrap() = "changed at run time";
    let path = std::env::temp_dir()
        .join(format!("process-start-methods-{}", std::process::id()));
    let file = File::create_new(&path)?;
    let scratch = Scratch(path.canonicalize()?);
    writeln!(&file, "parent: written before the split")?;
    println!("parent sets SETTING = {:?} and opens a file", setting());
    fork_and_wait(|| {
        report("fork child", &scratch.0)?;
        Ok(writeln!(&file, "fork child: written through the inherited descriptor")?)
    })?;
    let fork_cost = median(runs, || fork_and_wait(|| Ok(())))?;

    let mut reporter = Worker::<PathBuf, ()>::start("report")?;
    reporter.send(scratch.0.clone())?;
    reporter.join()?;
    // The fork child moved the offset it shares with this descriptor: this line goes last.
    writeln!(&file, "parent: written after both children exited")?;
    println!("the file holds:");
    for line in fs::read_to_string(&scratch.0)?.lines() {
        println!("  {line}");
    }
    // ANCHOR_END: main

    // ANCHOR: costs
    let thread_cost = median(runs, || {
        thread::spawn(|| {}).join().map_err(|_| anyhow!("a thread panicked"))
    })?;
    let program = std::env::current_exe()?;
    let exec_cost = median(runs, || {
        let status = Command::new(&program).args([WORKER_FLAG, "exit"]).status()?;
        ensure!(status.success(), "the re-executed program {}", worker::describe(status));
        Ok(())
    })?;
    let worker_cost =
        median(runs, || Ok(Worker::<PathBuf, ()>::start("report")?.join()?))?;

    println!("Part 2: what each costs to start and wait for (median of {runs} runs)");
    println!("measured on: {}", machine()?);
    for (label, cost) in [
        ("thread: spawn + join", thread_cost),
        ("fork: fork + exit + waitpid", fork_cost),
        ("re-exec: run this program + wait", exec_cost),
        ("worker: Worker::start + join", worker_cost),
    ] {
        let ratio = cost.as_secs_f64() / thread_cost.as_secs_f64();
        println!("{label:<34}{:>8.0} µs {ratio:>7.1}x", cost.as_secs_f64() * 1e6);
    }
    Ok(())
}
// ANCHOR_END: costs

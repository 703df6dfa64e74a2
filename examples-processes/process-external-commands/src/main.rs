//! How do you run many external programs without starting them all at once?
//!
//! Python's answer is `ThreadPoolExecutor(max_workers=N)` with `subprocess.run`
//! in each job. Here N threads take the next command from a shared counter until
//! none is left, so at most N run at once, each killed if it runs too long.
//!
//!     cargo run -p process-external-commands
//!
//! Watch for: results in the list's order, failures in their place, the peak limited.

use std::io::{self, Seek};
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use clap::{Parser, value_parser};
use nix::{sys::prctl, sys::signal::Signal, sys::signal::killpg, unistd::Pid};
use signal_hook::consts::{SIGINT, SIGTERM};

/// Runs a list of external programs, at most N at a time, and reports each in order.
#[derive(Parser)]
struct Args {
    /// How many commands may run at once (one thread waits for each).
    #[arg(long, default_value_t = 3, value_parser = value_parser!(u64).range(1..=100))]
    max: u64,
}

// ANCHOR: commands
/// How long a command may run before it is killed.
const TIMEOUT: Duration = Duration::from_secs(2);

/// Programs with their arguments, as `Command` takes them: no shell parses them.
const COMMANDS: &[&[&str]] = &[
    &["echo", "hello"],
    &["sh", "-c", "sleep 0.5; echo slow"],
    &["sleep", "0.3"],
    &["sh", "-c", "echo disk full >&2; exit 3"],
    &["no-such-command"],
    &["sh", "-c", "sleep 0.2; echo medium"],
    &["sh", "-c", "kill -TERM $$"],
    &["sleep", "600"],
    &["sh", "-c", "echo first; echo second"],
    &["sh", "-c", "sleep 0.4; echo done"],
];
// ANCHOR_END: commands

// ANCHOR: run
/// Runs a command to its end, or kills it after TIMEOUT or on `stop`: (succeeded, report).
fn run(command: &[&str], stop: &AtomicBool) -> Result<(bool, String)> {
    // A file with no name rather than a pipe: the command never waits for a reader.
    let mut output = tempfile::tempfile()?;
    let mut child = Command::new(command[0]);
    child.args(&command[1..]).stdout(output.try_clone()?).stderr(output.try_clone()?);
    child.process_group(0); // its own group: killing the group kills what it started too
    // SAFETY: between fork and exec this calls only prctl, which is async-signal-safe. The
    // kernel then kills the command when its thread here ends, even by SIGKILL of the program.
    unsafe { child.pre_exec(|| Ok(prctl::set_pdeathsig(Signal::SIGKILL)?)) };
    let mut child = child.spawn().context("could not start it")?;
    let deadline = Instant::now() + TIMEOUT;
    while child.try_wait()?.is_none() {
        if Instant::now() > deadline || stop.load(Relaxed) {
            // Not waited for yet, so its number still names its group.
            killpg(Pid::from_raw(child.id().cast_signed()), Signal::SIGKILL)?;
            child.wait()?;
            return Ok((false, format!("timed out after {TIMEOUT:?}, killed")));
        }
        thread::sleep(Duration::from_millis(10));
    }
    let status = child.wait()?; // "exit status: 3", "signal: 15 (SIGTERM)"
    output.rewind()?;
    let printed = io::read_to_string(output)?;
    let first = printed.lines().next().map(|line| format!(", output: {line}"));
    Ok((status.success(), format!("{status}{}", first.unwrap_or_default())))
}
// ANCHOR_END: run

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset();
    let max = usize::try_from(Args::parse().max)?;
    let stop = Arc::new(AtomicBool::new(false)); // set by SIGINT or SIGTERM, nothing more
    signal_hook::flag::register(SIGINT, Arc::clone(&stop))?;
    signal_hook::flag::register(SIGTERM, Arc::clone(&stop))?;
    println!("running {} commands, at most {max} at a time", COMMANDS.len());
    let next = AtomicUsize::new(0); // the queue: the index of the next command to take
    let (running, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let take_and_run = || {
        let mut ran = Vec::new();
        loop {
            let index = next.fetch_add(1, Relaxed); // each index is handed out once
            if index >= COMMANDS.len() || stop.load(Relaxed) {
                return ran;
            }
            peak.fetch_max(running.fetch_add(1, Relaxed) + 1, Relaxed);
            ran.push((index, run(COMMANDS[index], &stop)));
            running.fetch_sub(1, Relaxed);
        }
    };
    // `max` threads, each running one command at a time: at most `max` at once.
    let mut results = thread::scope(|scope| {
        let runners: Vec<_> = (0..max).map(|_| scope.spawn(take_and_run)).collect();
        runners.into_iter().flat_map(|runner| runner.join().unwrap()).collect::<Vec<_>>()
    });
    ensure!(!stop.load(Relaxed), "stopped by a signal: the running commands were killed");
    results.sort_by_key(|(index, _)| *index);
    let mut succeeded = 0;
    for (index, result) in results {
        let (success, report) = result.unwrap_or_else(|err| (false, format!("{err:#}")));
        succeeded += usize::from(success);
        println!("{}. {:?}: {report}", index + 1, COMMANDS[index]);
    }
    println!("{succeeded} of {} commands succeeded", COMMANDS.len());
    println!("peak: {} running at once, limit {max}", peak.load(Relaxed));
    Ok(())
}
// ANCHOR_END: main

//! How do you run many external programs without starting them all at once?
//!
//! A thread per command, a thousand at a time, swamps the machine. Python's
//! answer is `ThreadPoolExecutor(max_workers=N)` with `subprocess.run` in each
//! job. Here N threads take the next command from a shared queue until it is
//! empty, so at most N commands run at once; each result is filed under its
//! command's index, so results are printed in input order, whatever order the
//! commands end in.
//!
//! Watch for: results in the order of the list; a command that fails, one that
//! is killed and one that does not exist, each reported while the rest still
//! run; the peak number of commands running at once, never above the limit.

use std::fmt::Write;
use std::io;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::thread;

use anyhow::{Result, anyhow};
use process_toolkit::worker::describe;

const DEFAULT_MAX: usize = 3;
const USAGE: &str = "usage: process-external-commands [--max N]   (N >= 1, default 3)";

// ANCHOR: commands
/// The programs to run, each with its arguments, as `Command` receives them (no shell
/// parses them): this machine's own `sh`, `echo` and `sleep`, and one that does not exist.
const COMMANDS: &[&[&str]] = &[
    &["echo", "hello"],
    &["sh", "-c", "sleep 0.5; echo slow"],
    &["sleep", "0.3"],
    &["sh", "-c", "echo disk full >&2; exit 3"],
    &["no-such-command"],
    &["sh", "-c", "sleep 0.2; echo medium"],
    &["sh", "-c", "kill -TERM $$"],
    &["sh", "-c", "echo first; echo second"],
    &["sh", "-c", "sleep 0.4; echo done"],
];
// ANCHOR_END: commands

/// What became of one command: what it printed and how it ended, or why it could not start.
type Ran = io::Result<Output>;

// ANCHOR: run_all
/// Runs every command, at most `max` at once. Returns the results in input
/// order, and the largest number of commands that were running at one time.
fn run_all(commands: &[&[&str]], max: usize) -> Result<(Vec<Ran>, usize)> {
    let next = AtomicUsize::new(0); // the queue: the index of the next command to take
    let (running, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
    // One thread's work: take the next index, run that command, until none is left.
    let take_and_run = || {
        let mut ran = Vec::new();
        loop {
            let index = next.fetch_add(1, Relaxed); // each index is handed out once
            let Some(command) = commands.get(index) else { return ran };
            peak.fetch_max(running.fetch_add(1, Relaxed) + 1, Relaxed);
            // output() starts the program, waits for it and collects what it printed.
            let result = Command::new(command[0]).args(&command[1..]).output();
            running.fetch_sub(1, Relaxed);
            ran.push((index, result));
        }
    };
    let mut results: Vec<Option<Ran>> = commands.iter().map(|_| None).collect();
    thread::scope(|scope| {
        // Each thread runs one command at a time: `max` threads, at most `max` commands.
        let threads: Vec<_> = (0..max).map(|_| scope.spawn(take_and_run)).collect();
        for thread in threads {
            let ran = thread.join().map_err(|_| anyhow!("a runner thread panicked"))?;
            for (index, result) in ran {
                results[index] = Some(result);
            }
        }
        anyhow::Ok(())
    })?;
    // Every slot is filled: each index was taken by exactly one thread.
    Ok((results.into_iter().flatten().collect(), peak.into_inner()))
}
// ANCHOR_END: run_all

/// How a command ended, and the first line it wrote to stdout and to stderr.
fn report(ran: &Ran) -> String {
    let output = match ran {
        Ok(output) => output,
        Err(err) => return format!("could not start it: {err}"),
    };
    let mut text = describe(output.status);
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        if let Some(line) = String::from_utf8_lossy(bytes).lines().next() {
            let _ = write!(text, ", {stream}: {line}");
        }
    }
    text
}

/// Reads `--max N` by hand: one option is not worth a dependency.
fn parse_max(args: &[String]) -> Result<usize, String> {
    match args {
        [] => Ok(DEFAULT_MAX),
        [flag, number] if flag == "--max" => match number.parse() {
            Ok(max) if max >= 1 => Ok(max),
            _ => Err(format!("--max needs a whole number of at least 1, not {number:?}")),
        },
        _ => Err(format!("unexpected arguments {args:?}")),
    }
}

// ANCHOR: main
fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let max = parse_max(&args).unwrap_or_else(|message| {
        eprintln!("process-external-commands: {message}\n{USAGE}");
        std::process::exit(2);
    });
    println!("running {} commands, at most {max} at a time", COMMANDS.len());
    let (results, peak) = run_all(COMMANDS, max)?;
    for (number, (command, ran)) in (1..).zip(COMMANDS.iter().zip(&results)) {
        println!("{number}. {command:?}: {}", report(ran));
    }
    let succeeded =
        results.iter().flatten().filter(|output| output.status.success()).count();
    println!("{succeeded} of {} commands succeeded", COMMANDS.len());
    println!("peak: {peak} running at once, limit {max}");
    assert!(peak <= max, "{peak} commands ran at once, more than {max}");
    Ok(())
}
// ANCHOR_END: main

//! How much memory this program and every process it started hold, read
//! from /proc; whether its workers are idle; how big a thread's stack is.

use std::collections::HashMap;
use std::fs;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

// ANCHOR: footprint
/// The PSS of this process and of every process below it (its children and
/// theirs: a forkserver's workers are its children, not ours), in KiB. PSS
/// divides each page among the processes that map it, so a page shared by
/// all of them is counted once in the sum, and a page copied is counted twice.
pub fn footprint() -> Result<f64> {
    let mut total = 0.0;
    for pid in descendants_and_self()? {
        // A process that ended after the listing holds nothing any more.
        if let Ok(rollup) = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) {
            total += kib(&rollup, "Pss:");
        }
    }
    Ok(total)
}

/// The value of the line `name   1234 kB`, 0 if there is none (a zombie's).
fn kib(text: &str, name: &str) -> f64 {
    let line = text.lines().find_map(|line| line.strip_prefix(name));
    let value = line.and_then(|rest| rest.split_whitespace().next());
    value.and_then(|kb| kb.parse().ok()).unwrap_or(0.0)
}
// ANCHOR_END: footprint

/// This process and its descendants, from the parent of every process in /proc.
fn descendants_and_self() -> Result<Vec<u32>> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in fs::read_dir("/proc").context("cannot list /proc")?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Some((parent, _)) = stat(&format!("/proc/{pid}/stat")) {
            children.entry(parent).or_default().push(pid);
        }
    }
    let mut tree = vec![std::process::id()];
    let mut next = 0;
    while let Some(&pid) = tree.get(next) {
        tree.extend(children.get(&pid).into_iter().flatten());
        next += 1;
    }
    Ok(tree)
}

/// The parent and the state letter in a `/proc/.../stat` file.
fn stat(path: &str) -> Option<(u32, char)> {
    let text = fs::read_to_string(path).ok()?;
    // After the command name in parentheses (which may hold spaces): state, ppid.
    let mut fields = text.rsplit_once(')')?.1.split_whitespace();
    let state = fields.next()?.chars().next()?;
    Some((fields.next()?.parse().ok()?, state))
}

// ANCHOR: idle
/// Waits until every one of `stats` (`/proc/<pid>/stat` of a process, or
/// `/proc/self/task/<tid>/stat` of a thread) is asleep: blocked, waiting.
/// A worker that said it is ready may not have reached its wait yet.
pub fn wait_until_asleep(stats: &[String]) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    for path in stats {
        loop {
            match stat(path) {
                Some((_, 'S')) => break,
                Some(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(1));
                }
                Some((_, state)) => bail!("{path}: still in state {state} after 60 s"),
                None => bail!("{path}: the worker is gone"),
            }
        }
    }
    Ok(())
}
// ANCHOR_END: idle

/// The size in KiB of the stack of thread `tid` of this process, asleep in
/// a system call: the mapping that holds its stack pointer, as the kernel
/// shows it (`/proc/self/task/<tid>/syscall` ends with the stack pointer).
pub fn stack_reserved(tid: i32) -> Result<f64> {
    let path = format!("/proc/self/task/{tid}/syscall");
    let syscall =
        fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    let hex = |text: &str| u64::from_str_radix(text.trim_start_matches("0x"), 16).ok();
    let pointer = syscall.split_whitespace().nth(7).and_then(hex);
    let pointer =
        pointer.with_context(|| format!("no stack pointer in {path}: {syscall}"))?;
    for line in fs::read_to_string("/proc/self/maps")?.lines() {
        let range =
            line.split_whitespace().next().and_then(|range| range.split_once('-'));
        if let Some((Some(start), Some(end))) = range.map(|(s, e)| (hex(s), hex(e)))
            && (start..end).contains(&pointer)
        {
            return Ok((end - start) as f64 / 1024.0);
        }
    }
    bail!("no mapping holds the stack pointer {pointer:#x} of thread {tid}")
}

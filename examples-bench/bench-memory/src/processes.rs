//! Idle worker processes: toolkit workers (this program started again) and
//! forked children. Each waits, blocked, until the parent lets it go.

use std::os::fd::{AsRawFd, OwnedFd};

use anyhow::{Context, Result, ensure};
use nix::sys::signal::{Signal, kill};
use nix::unistd::{ForkResult, Pid, fork, getppid};
use process_toolkit::{forked, worker, worker::Worker};

use crate::footprint::{footprint, wait_until_asleep};

/// The role of a toolkit worker that waits for a job that never comes.
pub const IDLE: &str = "idle";

// ANCHOR: exec
/// `count` toolkit workers, each connected to this process and waiting for
/// its first job, as a process pool's workers wait between jobs.
pub fn exec_workers(count: u64) -> Result<f64> {
    let before = footprint()?;
    let mut workers = Vec::new();
    for _ in 0..count {
        workers.push(Worker::<(), ()>::start(IDLE)?); // dropped on error: killed
    }
    let stats: Vec<String> =
        workers.iter().map(|worker| format!("/proc/{}/stat", worker.pid())).collect();
    wait_until_asleep(&stats)?;
    let added = footprint()? - before;
    for worker in workers {
        worker.join()?; // no more jobs: its `next_job` gives `None`, and it exits
    }
    Ok(added / count as f64)
}

/// A toolkit worker that waits for a job that never comes, as a process
/// pool's workers wait between jobs, until the parent closes the channel.
pub fn idle_worker() -> Result<()> {
    let parent = worker::connect::<(), ()>()?;
    while parent.next_job()?.is_some() {}
    Ok(())
}
// ANCHOR_END: exec

// ANCHOR: fork
/// `count` forked children, each blocked reading a pipe until the parent
/// closes its end. A child calls only async-signal-safe functions (no
/// allocation, no lock): it starts as a copy of a parent that may have other
/// threads, whose locks it would find locked.
pub fn forked_children(count: u64) -> Result<f64> {
    let before = footprint()?;
    let (ready_reader, ready_writer) = nix::unistd::pipe()?;
    let (release_reader, release_writer) = nix::unistd::pipe()?;
    let parent = std::process::id();
    let mut children = Children(Vec::new());
    for _ in 0..count {
        // SAFETY: the child runs only `idle_child`, which is async-signal-safe.
        match unsafe { fork() }? {
            ForkResult::Child => {
                idle_child(parent, &ready_writer, &release_reader, &release_writer)
            }
            ForkResult::Parent { child } => children.0.push(child),
        }
    }
    drop(ready_writer); // a child that dies before its byte then ends the read below
    let mut ready = 0;
    while ready < count {
        let mut bytes = [0; 256];
        let read =
            nix::unistd::read(&ready_reader, &mut bytes).context("read the pipe")?;
        ensure!(
            read > 0,
            "{} of {count} children died before they were ready",
            count - ready
        );
        ready += read as u64;
    }
    let stats: Vec<String> =
        children.0.iter().map(|pid| format!("/proc/{pid}/stat")).collect();
    wait_until_asleep(&stats)?;
    let added = footprint()? - before;
    drop(release_writer); // every child's read now sees the end of the pipe
    children.join()?;
    Ok(added / count as f64)
}

fn idle_child(parent: u32, ready: &OwnedFd, release: &OwnedFd, held: &OwnedFd) -> ! {
    let code = (|| {
        // Killed if the benchmark dies, however it dies (and if it already has).
        nix::sys::prctl::set_pdeathsig(Signal::SIGKILL).ok()?;
        (getppid().as_raw().cast_unsigned() == parent).then_some(())?;
        // SAFETY: this copy of the release pipe's writing end is ours to close;
        // with it open, the pipe would never end for us.
        unsafe { nix::libc::close(held.as_raw_fd()) };
        nix::unistd::write(ready, &[1]).ok()?;
        // SAFETY: as above, for the ready pipe: the parent counts on its end.
        unsafe { nix::libc::close(ready.as_raw_fd()) };
        let mut byte = [0];
        // Blocks here, idle, until the parent closes its end: then 0 bytes.
        while nix::unistd::read(release, &mut byte).ok()? > 0 {}
        Some(())
    })();
    // SAFETY: ends the child at once, running nothing of the parent's.
    unsafe { nix::libc::_exit(i32::from(code.is_none())) }
}

/// Forked children not waited for yet: killed and reaped when dropped.
struct Children(Vec<Pid>);

impl Children {
    fn join(mut self) -> Result<()> {
        while let Some(child) = self.0.pop() {
            forked::join(child)?; // on error, the rest are killed by `drop`
        }
        Ok(())
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        for &child in &self.0 {
            let _ = kill(child, Signal::SIGKILL);
        }
        for &child in &self.0 {
            let _ = forked::wait(child);
        }
    }
}
// ANCHOR_END: fork

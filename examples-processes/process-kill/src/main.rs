//! Can a process be stopped from outside, when a thread cannot?
//!
//! Yes: anyone allowed to can send it a signal by its PID, as `kill <pid>` does
//! in a shell. Python's `Process.terminate()` sends SIGTERM and `kill()` sends
//! SIGKILL. Here two worker processes count steps: a polite one that keeps the
//! default reaction to SIGTERM (it dies), and a stubborn one that ignores
//! SIGTERM, so only SIGKILL, which no process can ignore, ends it.
//!
//! Watch for: the PIDs printed first (run `ps -p <pid>` in another terminal);
//! "killed by SIGTERM" for the polite worker; the stubborn worker still counting
//! after its SIGTERM, and "killed by SIGKILL" once main loses patience.

use std::os::unix::process::ExitStatusExt;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use anyhow::{Result, bail, ensure};
use nix::sys::signal::{self, SigHandler, Signal};
use nix::unistd::Pid;
use process_toolkit::pace;
use process_toolkit::worker::{self, Worker};

/// How many more steps main lets the stubborn worker take after its SIGTERM.
const GRACE_STEPS: u32 = 3;

/// A worker answers each question `()` with the number of a step it printed after
/// the question arrived: an answer proves it was alive and working then.
type Counter = Worker<(), u32>;

// ANCHOR: worker
/// Runs in a worker process: counts steps on one thread, forever, while the
/// main thread answers the parent's questions.
fn run_worker(role: &str, step: Duration) -> Result<()> {
    match role {
        "polite" => {} // keeps the default reaction: SIGTERM ends the process
        "stubborn" => {
            // SAFETY: SIG_IGN installs no handler code, so nothing runs inside a
            // signal handler; no other part of this program relies on SIGTERM.
            unsafe { signal::signal(Signal::SIGTERM, SigHandler::SigIgn) }?;
        }
        other => bail!("unknown worker role {other:?}"),
    }
    let parent = worker::connect::<(), u32>()?;
    let (questions_tx, questions) = mpsc::channel::<()>();
    let (answers_tx, answers) = mpsc::channel();
    let name = role.to_owned();
    thread::spawn(move || {
        for n in 1.. {
            // Count the questions before printing, so the step answered is one
            // printed after the question came.
            let asked = questions.try_iter().count();
            println!("{name}: step {n}");
            for _ in 0..asked {
                answers_tx.send(n).ok();
            }
            thread::sleep(step);
        }
    });
    while parent.next_job()?.is_some() {
        questions_tx.send(())?;
        parent.reply(answers.recv()?)?;
    }
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: signal
/// Asks the worker for its next step; a dead worker gives an error that says how it ended.
fn next_step(worker: &mut Counter) -> Result<u32> {
    worker.send(())?;
    Ok(worker.recv()?)
}

/// Does what `kill -<signal> <pid>` does in a shell.
fn send_signal(worker: &Counter, signal: Signal) -> Result<()> {
    let (role, pid) = (worker.role(), worker.pid());
    println!("main: sending {} to the {role} worker (pid {pid})", signal.as_str());
    // The PID still names our worker: it is not waited for yet, so even dead
    // it keeps its PID as a zombie, and the number cannot go to another process.
    signal::kill(Pid::from_raw(pid.try_into()?), signal)?;
    Ok(())
}
// ANCHOR_END: signal

// ANCHOR: main
fn main() -> Result<()> {
    let step = pace::step()?;
    if let Some(role) = worker::role() {
        return run_worker(&role, step);
    }

    let mut polite = Counter::start("polite")?;
    let mut stubborn = Counter::start("stubborn")?;
    println!(
        "main: polite worker is pid {}, stubborn worker is pid {}",
        polite.pid(),
        stubborn.pid()
    );
    // An answer means the worker has set up its signals and is counting: no guessed sleep.
    next_step(&mut polite)?;
    next_step(&mut stubborn)?;
    println!("main: both workers are working");

    send_signal(&polite, Signal::SIGTERM)?;
    println!("main: the polite worker {}", worker::describe(polite.wait()?));

    send_signal(&stubborn, Signal::SIGTERM)?;
    for _ in 0..GRACE_STEPS {
        let step = next_step(&mut stubborn)?;
        println!("main: the stubborn worker is still working, at step {step}");
    }
    send_signal(&stubborn, Signal::SIGKILL)?;
    let status = stubborn.wait()?;
    println!("main: the stubborn worker {}", worker::describe(status));
    ensure!(status.signal() == Some(Signal::SIGKILL as i32), "SIGKILL did not end it");
    Ok(())
}
// ANCHOR_END: main

//! Can a process be stopped from outside, when a thread cannot?
//!
//! Yes: anyone allowed to can send it a signal by its PID, as `kill <pid>` does
//! in a shell. Python's `Process.terminate()` sends SIGTERM and `kill()` sends
//! SIGKILL. Two worker processes count steps: a polite one that keeps the
//! default reaction to SIGTERM (it dies), and a stubborn one that ignores it,
//! so that only SIGKILL, which no process can ignore, ends it.
//!
//!     cargo run -p process-kill
//!
//! Watch for: the PIDs printed first (`ps -p <pid>` in another terminal);
//! "killed by SIGTERM" for the polite worker; the stubborn worker answering,
//! and counting, after its SIGTERM, until SIGKILL ends it.

use std::thread;
use std::time::Duration;

use anyhow::Result;
use clap::{Parser, value_parser};
use nix::sys::signal::{self, SigHandler, Signal};
use nix::unistd::Pid;
use process_toolkit::worker::{self, Worker};

/// Two counting worker processes, stopped from outside with signals.
#[derive(Parser)]
struct Args {
    /// Milliseconds per step: the articles sleep one second.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: worker
/// A worker's first message is the length of a step, and it starts counting;
/// it answers every later one with `()`, which shows that it is still alive.
type Counter = Worker<Duration, ()>;

fn count(role: &str) -> Result<()> {
    if role == "stubborn" {
        // SAFETY: SIG_IGN installs no handler code, so nothing runs inside a
        // signal handler; no other part of this program relies on SIGTERM.
        unsafe { signal::signal(Signal::SIGTERM, SigHandler::SigIgn) }?;
    }
    let parent = worker::connect::<Duration, ()>()?; // after SIG_IGN: the parent may signal now
    let Some(step) = parent.next_job()? else { return Ok(()) };
    let name = role.to_owned();
    thread::spawn(move || {
        for n in 1.. {
            println!("{name}: step {n}");
            thread::sleep(step);
        }
    });
    while parent.next_job()?.is_some() {
        parent.reply(())?;
    }
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: signal
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
    sigpipe::reset();
    if let Some(role) = worker::role() {
        return count(&role);
    }
    let step = Duration::from_millis(Args::parse().step_ms);

    let mut polite = Counter::start("polite")?;
    let mut stubborn = Counter::start("stubborn")?;
    let (polite_pid, stubborn_pid) = (polite.pid(), stubborn.pid());
    println!(
        "main: polite worker is pid {polite_pid}, stubborn worker is pid {stubborn_pid}"
    );
    polite.send(step)?;
    stubborn.send(step)?;
    thread::sleep(2 * step); // a little counting to watch

    send_signal(&polite, Signal::SIGTERM)?;
    println!("main: the polite worker {}", worker::describe(polite.wait()?));

    send_signal(&stubborn, Signal::SIGTERM)?;
    stubborn.send(step)?; // a question, sent after the signal,
    stubborn.recv()?; // and its answer: SIGTERM did not end this one
    println!("main: the stubborn worker still answers");
    thread::sleep(2 * step);
    send_signal(&stubborn, Signal::SIGKILL)?;
    println!("main: the stubborn worker {}", worker::describe(stubborn.wait()?));
    Ok(())
}
// ANCHOR_END: main

//! A program for the toolkit's own tests: workers that misbehave on purpose.
//!
//! `worker-probe <parent-mode> <worker-role>` starts one worker in the given
//! role, prints its PID, and sends it jobs, printing each reply. The tests
//! then check what the parent reports, and that no worker is left behind
//! however the parent ends.

use std::time::Duration;

use anyhow::{Result, bail};
use nix::sys::signal::{SigHandler, Signal, signal};
use process_toolkit::worker::{self, Worker};

fn run_worker(role: &str) -> Result<()> {
    if role == "exit-before-connecting" {
        std::process::exit(3);
    }
    let parent = worker::connect::<u32, u32>()?;
    while let Some(job) = parent.next_job()? {
        match role {
            "echo" => parent.reply(job)?,
            "panic" => panic!("the worker panicked on job {job}"),
            "abort" => std::process::abort(),
            "exit-7" => std::process::exit(7),
            "sleep" => {
                // Reply first, so the parent can tell the tests "the worker is busy now".
                parent.reply(job)?;
                std::thread::sleep(Duration::from_secs(3600));
            }
            other => bail!("unknown role {other:?}"),
        }
    }
    Ok(())
}

fn main() -> Result<()> {
    if let Some(role) = worker::role() {
        return run_worker(&role);
    }
    // Play a program started from a terminal, where Ctrl-C interrupts: a shell
    // starts background jobs with SIGINT ignored, and children inherit that.
    // SAFETY: no thread exists yet, and the default action runs no handler code.
    unsafe { signal(Signal::SIGINT, SigHandler::SigDfl) }?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, role] = args.as_slice() else {
        bail!("usage: worker-probe <wait|panic-after-start|return-without-join> <role>");
    };
    let mut probe = Worker::<u32, u32>::start(role)?;
    println!("worker pid {}", probe.pid());
    // Every mode first sees one reply: after "reply 1" the worker is busy
    // (a sleeper is asleep), not merely waiting for a job.
    probe.send(1)?;
    println!("reply {}", probe.recv()?);
    match mode.as_str() {
        "wait" => {
            probe.send(2)?;
            println!("reply {}", probe.recv()?);
            Ok(probe.join()?)
        }
        "panic-after-start" => panic!("the parent panicked"),
        "return-without-join" => Ok(()),
        other => bail!("unknown mode {other:?}"),
    }
}

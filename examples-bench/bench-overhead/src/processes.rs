//! A process for each job: a forked child, a fresh run of this program, or a
//! toolkit worker. Each starts, runs one job, sends its answer back, and is
//! waited for, one after the other.

use std::io::{self, Read};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use nix::unistd::{ForkResult, fork};
use process_toolkit::{forked, worker, worker::WORKER_FLAG, worker::Worker};

use crate::{Answer, calc};

// ANCHOR: fork
/// A forked child for each job, one after the other; each answer comes back
/// through a pipe, since the child's memory is its own.
pub fn fork_per_job(numbers: &[u64], _: usize) -> Result<Vec<Answer>> {
    let run = |&number: &u64| {
        let (mut reader, writer) = io::pipe()?;
        // SAFETY: the child has only the thread that forked; a lock another
        // thread held (a pool's, say) stays locked there. So the child calls
        // only async-signal-safe functions, which take no lock: write, _exit.
        match unsafe { fork() }? {
            ForkResult::Child => {
                let (square, quad) = calc(number);
                let bytes = (u128::from(square) << 64 | u128::from(quad)).to_le_bytes();
                let sent = nix::unistd::write(&writer, &bytes);
                unsafe { nix::libc::_exit(i32::from(sent != Ok(bytes.len()))) }
            }
            ForkResult::Parent { child } => {
                drop(writer);
                let mut bytes = [0; 16];
                let read = reader.read_exact(&mut bytes);
                forked::join(child)?; // a child that failed says so first
                read.context("the child sent no answer")?;
                let answer = u128::from_le_bytes(bytes);
                Ok(((answer >> 64) as u64, answer as u64))
            }
        }
    };
    numbers.iter().map(run).collect()
}
// ANCHOR_END: fork

// ANCHOR: exec
/// This program started again for each job, with the number as its argument;
/// the answer is what it prints: `subprocess.run`, in Python's terms.
pub fn exec_per_job(numbers: &[u64], _: usize) -> Result<Vec<Answer>> {
    let program = std::env::current_exe()?;
    let run = |number: &u64| {
        let mut command = Command::new(&program);
        let output = command.args([WORKER_FLAG, EXEC, &number.to_string()]).output()?;
        ensure!(output.status.success(), "it {}", worker::describe(output.status));
        let text = String::from_utf8(output.stdout)?;
        let (square, quad) = text.trim().split_once(' ').context("no answer")?;
        Ok((square.parse()?, quad.parse()?))
    };
    numbers.iter().map(run).collect()
}
// ANCHOR_END: exec

// ANCHOR: spawn
/// A toolkit worker for each job: this program started again and connected
/// over ipc-channel, sent one job, then told to exit.
pub fn spawn_per_job(numbers: &[u64], _: usize) -> Result<Vec<Answer>> {
    let run = |&number: &u64| {
        let mut child = Worker::<u64, Answer>::start(SPAWN)?;
        child.send(number)?;
        let answer = child.recv()?;
        child.join()?;
        Ok(answer)
    };
    numbers.iter().map(run).collect()
}

/// The roles this program runs in when started again: once, or as a worker.
const EXEC: &str = "calc-once";
const SPAWN: &str = "calc";

pub fn run_as_child(role: &str) -> Result<()> {
    match role {
        EXEC => {
            let number = std::env::args().nth(3).context("no number")?.parse()?;
            let (square, quad) = calc(number);
            println!("{square} {quad}");
        }
        SPAWN => {
            let parent = worker::connect::<u64, Answer>()?;
            while let Some(number) = parent.next_job()? {
                parent.reply(calc(number))?;
            }
        }
        other => bail!("unknown worker role {other:?}"),
    }
    Ok(())
}
// ANCHOR_END: spawn

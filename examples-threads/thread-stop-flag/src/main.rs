//! How do you stop a thread that is still working?
//!
//! You cannot kill it from outside: std has no `JoinHandle::kill`, because a
//! thread stopped at a random point could leave a lock held or data half
//! written. You ask it, and it stops itself at a point it chooses. Two ways:
//! an atomic flag that the worker checks between steps, and a channel whose
//! message also wakes the worker from its wait.
//!
//! Watch for: the worker always finishes the step it is in. With the flag, a
//! stop request waits until the worker's pause ends; with the channel, the
//! request ends the pause at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use anyhow::{Result, anyhow};
use process_toolkit::pace;

/// Steps the worker completes before main asks it to stop.
const STEPS_BEFORE_STOP: u32 = 3;

/// Blocks until the worker reports `steps` finished steps, so main asks at a
/// known point rather than after a guessed delay.
fn wait_for_steps(progress: &Receiver<u32>, steps: u32) -> Result<()> {
    while progress.recv()? < steps {}
    Ok(())
}

// ANCHOR: flag
fn stop_with_flag(step: Duration) -> Result<u32> {
    let stop = AtomicBool::new(false);
    let (progress_tx, progress_rx) = mpsc::channel();
    thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let mut done = 0;
            while !stop.load(Ordering::Relaxed) {
                done += 1;
                println!("worker: step {done}");
                progress_tx.send(done).ok();
                thread::sleep(step); // a stop request made now waits for this pause
            }
            println!("worker: saw the stop flag after {done} steps, cleaning up");
            done
        });
        wait_for_steps(&progress_rx, STEPS_BEFORE_STOP)?;
        println!("main: setting the stop flag");
        stop.store(true, Ordering::Relaxed);
        worker.join().map_err(|_| anyhow!("the worker panicked"))
    })
}
// ANCHOR_END: flag

// ANCHOR: channel
fn stop_with_channel(step: Duration) -> Result<u32> {
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let (progress_tx, progress_rx) = mpsc::channel();
    thread::scope(|scope| {
        let worker = scope.spawn(move || {
            let mut done = 0;
            loop {
                done += 1;
                println!("worker: step {done}");
                progress_tx.send(done).ok();
                // The pause doubles as the check: a message (or a dropped sender) ends it early.
                match stop_rx.recv_timeout(step) {
                    Err(RecvTimeoutError::Timeout) => continue,
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
                }
            }
            println!("worker: got the stop message after {done} steps, cleaning up");
            done
        });
        wait_for_steps(&progress_rx, STEPS_BEFORE_STOP)?;
        println!("main: sending the stop message");
        stop_tx.send(())?;
        worker.join().map_err(|_| anyhow!("the worker panicked"))
    })
}
// ANCHOR_END: channel

fn main() -> Result<()> {
    let step = pace::step()?;
    println!("-- stopping with an atomic flag --");
    let steps = stop_with_flag(step)?;
    println!("main: the worker stopped after {steps} steps");
    println!("-- stopping with a channel --");
    let steps = stop_with_channel(step)?;
    println!("main: the worker stopped after {steps} steps");
    Ok(())
}

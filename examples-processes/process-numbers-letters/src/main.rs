//! Do two processes run at the same time, as two threads did?
//!
//! The guide's numbers-and-letters program again, with
//! `multiprocessing.Process` instead of `threading.Thread`: the program starts
//! itself twice more, once as the "numbers" worker and once as the "letters"
//! worker. Each is a separate process with its own memory; they share only the
//! terminal they print to.
//!
//!     cargo run -p process-numbers-letters
//!
//! Watch for: the same interleaving as with threads. Processes cost more to
//! start, but once running they take turns on the CPU just as threads do.

use std::thread;
use std::time::Duration;

use anyhow::Result;
use clap::{Parser, value_parser};
use process_toolkit::worker::{self, Worker};

/// Numbers and letters, printed by two worker processes at once.
#[derive(Parser)]
struct Args {
    /// Milliseconds per step: the guide sleeps one second.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: printers
fn print_numbers(step: Duration) {
    for number in 1..=5 {
        println!("Number: {number}");
        thread::sleep(step);
    }
}

fn print_letters(step: Duration) {
    for letter in 'a'..='e' {
        println!("Letter: {letter}");
        thread::sleep(step);
    }
}
// ANCHOR_END: printers

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset(); // a closed stdout ends a worker quietly, and its parent with it
    if let Some(role) = worker::role() {
        // A worker's one job is the length of a step; then it prints, and exits.
        let parent = worker::connect::<Duration, ()>()?;
        let Some(step) = parent.next_job()? else { return Ok(()) };
        match role.as_str() {
            "numbers" => print_numbers(step),
            _ => print_letters(step),
        }
        return Ok(());
    }
    let step = Duration::from_millis(Args::parse().step_ms);

    let mut numbers = Worker::<Duration, ()>::start("numbers")?;
    let mut letters = Worker::<Duration, ()>::start("letters")?;
    numbers.send(step)?;
    letters.send(step)?;
    numbers.join()?;
    letters.join()?;
    Ok(())
}
// ANCHOR_END: main

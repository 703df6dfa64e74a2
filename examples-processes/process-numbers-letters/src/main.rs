//! Do two processes run at the same time, as two threads did?
//!
//! The guide's numbers and letters, with `multiprocessing.Process` instead of
//! `threading.Thread`: this program starts itself twice more, as a "numbers"
//! and a "letters" worker. Watch for the interleaving of the thread version:
//! processes cost more to start, but once running they take turns as threads do.
//!
//!     cargo run -p process-numbers-letters

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
        let print = if role == "numbers" { print_numbers } else { print_letters };
        let parent = worker::connect::<Duration, ()>()?; // its one job: a step's length
        let Some(step) = parent.next_job()? else { return Ok(()) };
        print(step);
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

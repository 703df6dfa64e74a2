//! Do two processes run at the same time, as two threads did?
//!
//! The guide's numbers-and-letters program again, with
//! `multiprocessing.Process` instead of `threading.Thread`: the program starts
//! itself twice more, once as the "numbers" worker and once as the "letters"
//! worker. Each is a separate process with its own memory; they share only the
//! terminal they print to.
//!
//! Watch for: the same interleaving as with threads. Processes cost more to
//! start, but once running they take turns on the CPU just as threads do.

use std::thread;
use std::time::Duration;

use anyhow::{Result, bail};
use process_toolkit::pace;
use process_toolkit::worker::{self, Worker};

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
    let step = pace::step()?;
    if let Some(role) = worker::role() {
        // A worker connects so that its parent knows it started, then does its one task.
        let _parent = worker::connect::<(), ()>()?;
        match role.as_str() {
            "numbers" => print_numbers(step),
            "letters" => print_letters(step),
            other => bail!("unknown worker role {other:?}"),
        }
        return Ok(());
    }

    let numbers = Worker::<(), ()>::start("numbers")?;
    let letters = Worker::<(), ()>::start("letters")?;
    numbers.join()?;
    letters.join()?;
    Ok(())
}
// ANCHOR_END: main

//! Do two threads really run at the same time?
//!
//! The guide's first example: one thread prints the numbers 1 to 5, the other
//! the letters a to e, one a second. Both loops run at once, so the lines
//! interleave and the program takes five seconds, not ten.
//!
//! Watch for: numbers stay in order and letters stay in order, but within each
//! second whether the number or the letter comes first is up to the scheduler,
//! and changes between runs.

use std::thread;
use std::time::Duration;

use anyhow::{Result, anyhow};
use process_toolkit::pace;

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
    let numbers = thread::spawn(move || print_numbers(step));
    let letters = thread::spawn(move || print_letters(step));

    numbers.join().map_err(|_| anyhow!("the numbers thread panicked"))?;
    letters.join().map_err(|_| anyhow!("the letters thread panicked"))?;
    Ok(())
}
// ANCHOR_END: main

//! Do two threads really run at the same time?
//!
//! The guide's first example: one thread prints the numbers 1 to 5, the other
//! the letters a to e, one a second. Both loops run at once, so the lines
//! interleave and the program takes five seconds, not ten.
//!
//!     cargo run -p thread-numbers-letters
//!
//! Watch for: numbers stay in order and letters stay in order, but within each
//! second whether the number or the letter comes first is up to the scheduler,
//! and changes between runs.

use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};

/// Numbers and letters printed by two threads at once.
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
fn main() {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    let numbers = thread::spawn(move || print_numbers(step));
    let letters = thread::spawn(move || print_letters(step));

    // unwrap() passes a thread's panic on to main.
    numbers.join().unwrap();
    letters.join().unwrap();
}
// ANCHOR_END: main

//! Does `main` wait for the threads it starts?
//!
//! The first article's program: `foo` counts 3 steps and `bar` 5, each on its
//! own thread, a second apart, and `main` waits for each in turn. With
//! `--no-join`, `main` prints its finish lines and returns without waiting.
//!
//!     cargo run -p thread-join
//!     cargo run -p thread-join -- --no-join
//!
//! Watch for: "foo finish" always after "foo 2", "bar finish" last; the order of
//! a foo and a bar line in the same second changes from run to run. Without
//! joining, the program ends at once and takes the threads with it.

use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};

/// Two threads counting steps, joined in order or not at all.
#[derive(Parser)]
struct Args {
    /// Return from main without joining the threads.
    #[arg(long)]
    no_join: bool,
    /// Milliseconds per step: the article sleeps one second.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: count
fn count(name: &str, steps: u32, step: Duration) {
    for i in 0..steps {
        println!("{name} {i}");
        thread::sleep(step);
    }
}
// ANCHOR_END: count

// ANCHOR: main
fn main() {
    sigpipe::reset();
    let args = Args::parse();
    let step = Duration::from_millis(args.step_ms);
    let foo_thread = thread::spawn(move || count("foo", 3, step));
    let bar_thread = thread::spawn(move || count("bar", 5, step));
    // ANCHOR: without_join
    if args.no_join {
        drop((foo_thread, bar_thread)); // a dropped JoinHandle detaches its thread
        println!("foo finish");
        println!("bar finish");
        return; // the process ends here, and every thread in it, wherever it is
    }
    // ANCHOR_END: without_join
    // join() waits for the thread to return; unwrap() passes on its panic, if any.
    foo_thread.join().unwrap();
    println!("foo finish");
    bar_thread.join().unwrap();
    println!("bar finish");
}
// ANCHOR_END: main

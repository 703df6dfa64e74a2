//! Does `main` wait for the threads it starts?
//!
//! The first article's program: `foo` counts 3 steps and `bar` 5, each on its
//! own thread, a second apart, and `main` waits for each in turn. With
//! `--no-join`, `main` prints its finish lines and returns without waiting.
//!
//!     cargo run -p thread-join
//!     cargo run -p thread-join -- --no-join
//!
//! Watch for: "foo finish" always after "foo 2", "bar finish" last; which of a
//! foo line and a bar line printed in the same second comes first changes from
//! run to run. Without joining, the program ends at once and takes the threads
//! with it: bar never reaches 4.

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

// ANCHOR: with_join
fn with_join(step: Duration) {
    let foo_thread = thread::spawn(move || count("foo", 3, step));
    let bar_thread = thread::spawn(move || count("bar", 5, step));

    // join() blocks until the thread has returned. It is an Err if the
    // thread panicked, and unwrap() passes that panic on to main.
    foo_thread.join().unwrap();
    println!("foo finish");
    bar_thread.join().unwrap();
    println!("bar finish");
}
// ANCHOR_END: with_join

// ANCHOR: without_join
fn without_join(step: Duration) {
    // Dropping a JoinHandle detaches its thread: nobody will wait for it.
    drop(thread::spawn(move || count("foo", 3, step)));
    drop(thread::spawn(move || count("bar", 5, step)));

    println!("foo finish");
    println!("bar finish");
    // Returning from main ends the process, and every thread with it,
    // wherever it is. Python would wait here for foo and bar.
}
// ANCHOR_END: without_join

fn main() {
    sigpipe::reset();
    let args = Args::parse();
    let step = Duration::from_millis(args.step_ms);
    if args.no_join { without_join(step) } else { with_join(step) }
}

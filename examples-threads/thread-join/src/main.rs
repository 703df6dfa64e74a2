//! Does `main` wait for the threads it starts?
//!
//! The article's first program: `foo` counts 3 steps and `bar` 5, each on its
//! own thread, a second apart. Run it plain for the joined version; run it with
//! `--no-join` to see `main` return without waiting.
//!
//! Watch for: "foo finish" is always after "foo 2", and "bar finish" is the last
//! line; the order of a "foo" and a "bar" line printed in the same second
//! changes from run to run. Without joining, the program ends at once and takes
//! the threads with it: bar never reaches 4.

use std::thread;
use std::time::Duration;

use anyhow::{Result, anyhow};
use process_toolkit::pace;

// ANCHOR: count
fn count(name: &str, steps: u32, step: Duration) {
    for i in 0..steps {
        println!("{name} {i}");
        thread::sleep(step);
    }
}
// ANCHOR_END: count

// ANCHOR: with_join
fn with_join(step: Duration) -> Result<()> {
    let foo_thread = thread::spawn(move || count("foo", 3, step));
    let bar_thread = thread::spawn(move || count("bar", 5, step));

    // join() blocks until that thread has returned; a panic in it becomes an Err here.
    foo_thread.join().map_err(|_| anyhow!("the foo thread panicked"))?;
    println!("foo finish");
    bar_thread.join().map_err(|_| anyhow!("the bar thread panicked"))?;
    println!("bar finish");
    Ok(())
}
// ANCHOR_END: with_join

// ANCHOR: without_join
fn without_join(step: Duration) -> Result<()> {
    // Dropping a JoinHandle detaches the thread: nobody will wait for it.
    drop(thread::spawn(move || count("foo", 3, step)));
    drop(thread::spawn(move || count("bar", 5, step)));

    println!("foo finish");
    println!("bar finish");
    // Returning from main ends the whole process, and with it every thread,
    // wherever it is. Python would instead wait here for foo and bar.
    Ok(())
}
// ANCHOR_END: without_join

fn main() -> Result<()> {
    let step = pace::step()?;
    match std::env::args().nth(1).as_deref() {
        None => with_join(step),
        Some("--no-join") => without_join(step),
        Some(other) => {
            eprintln!(
                "thread-join: unknown argument {other:?}\nusage: thread-join [--no-join]"
            );
            std::process::exit(2);
        }
    }
}

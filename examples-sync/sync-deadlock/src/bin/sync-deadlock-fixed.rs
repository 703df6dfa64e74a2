//! How do you keep two locks from deadlocking?
//!
//! Take them in the same order in every thread: a thread that holds B then
//! already holds A, so no thread can hold B while it waits for A, and the cycle
//! of sync-deadlock's main program cannot form.
//!
//!     cargo run -p sync-deadlock --bin sync-deadlock-fixed
//!
//! Watch for: both threads take both locks, in either order, and the program ends.

use std::sync::Mutex;
use std::thread;

use clap::Parser;

/// Two locks taken in one order by every thread.
#[derive(Parser)]
struct Args {}

// ANCHOR: one_order
fn main() {
    sigpipe::reset();
    Args::parse();
    let (a, b) = (&Mutex::new(()), &Mutex::new(()));
    thread::scope(|scope| {
        for who in ["thread 1", "thread 2"] {
            scope.spawn(move || {
                let _a = a.lock().unwrap(); // every thread takes A first, then B
                let _b = b.lock().unwrap();
                println!("{who} took A and B");
            });
        }
    });
    println!("both threads finished");
}
// ANCHOR_END: one_order

// The compiler's `move` hint alone: the thread now sets its own copy of
// `result` (an Option<i32> is Copy), and main prints None, as in Python.
// Warnings are denied here, as CI denies them, so the warning is the failure.
#![deny(unused)]
use std::thread;

fn main() {
    let mut result = None;
    let worker = thread::spawn(move || {
        result = Some(7 * 7);
    });
    worker.join().unwrap();
    println!("{result:?}");
}

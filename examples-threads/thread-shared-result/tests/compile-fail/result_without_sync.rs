// The Python pitfall, written in Rust: a thread sets the caller's `result`.
use std::thread;

fn main() {
    let mut result = None;
    let worker = thread::spawn(|| {
        result = Some(7 * 7);
    });
    worker.join().unwrap();
    println!("{result:?}");
}

// The guide's shared Counter, in Rust: two threads count into one plain HashMap.
use std::collections::HashMap;
use std::thread;

fn main() {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    thread::scope(|scope| {
        scope.spawn(|| *counts.entry("example.com").or_insert(0) += 1);
        scope.spawn(|| *counts.entry("python.org").or_insert(0) += 1);
    });
    println!("{counts:?}");
}

// Shared ownership without a lock: each thread holds an Arc of the same map.
use std::collections::HashMap;
use std::sync::Arc;
use std::thread;

fn main() {
    let counts: Arc<HashMap<&str, u32>> = Arc::new(HashMap::new());
    let mut threads = Vec::new();
    for page in ["example.com", "python.org"] {
        let counts = Arc::clone(&counts);
        threads.push(thread::spawn(move || *counts.entry(page).or_insert(0) += 1));
    }
    for thread in threads {
        thread.join().unwrap();
    }
}

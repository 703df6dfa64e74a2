//! What the server says: its JSON answers, its count of requests in
//! progress, and the line that tells where `/fib` runs.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::Workers;
use crate::options::{ServeOptions, pool_size};

/// `{"n":30,"fib":832040}`
#[derive(Serialize)]
pub struct FibAnswer {
    pub n: u32,
    pub fib: u64,
}

/// `{"status":"ok","fib_in_progress":0}`
#[derive(Serialize)]
pub struct Health {
    pub status: &'static str,
    pub fib_in_progress: usize,
}

/// Counts a request while it lives: a guard, because a handler whose client
/// hangs up is dropped at its `.await` and would never count itself out.
pub struct InProgress<'a>(&'a AtomicUsize);

impl<'a> InProgress<'a> {
    pub fn start(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        InProgress(count)
    }
}

impl Drop for InProgress<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The second line of output: where `/fib` runs, with the workers' PIDs.
pub fn describe(workers: &Workers, options: &ServeOptions) -> String {
    let threads = options.runtime_threads;
    match workers {
        Workers::Inline => {
            format!("mode inline: /fib runs on the {threads} runtime threads")
        }
        Workers::Threads => "mode threads: /fib runs on tokio's blocking threads".into(),
        Workers::Processes(pool) => {
            // Each worker's PID arrives from its own pool thread, just after it started.
            let mut pids = Vec::new();
            while pids.len() < pool_size(options) {
                pids.extend(pool.pids());
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            pids.sort_unstable();
            let pids: Vec<String> = pids.iter().map(|pid| format!("pid {pid}")).collect();
            format!("mode processes: /fib runs in worker processes {}", pids.join(", "))
        }
    }
}

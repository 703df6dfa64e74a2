//! Idle threads, and idle tokio tasks on one thread.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

use anyhow::Result;
use tokio::sync::Semaphore;

use crate::footprint::{footprint, wait_until_asleep};

// ANCHOR: threads
/// Where the threads wait: the IDs of those ready, and whether they may go.
struct Gate {
    state: Mutex<(Vec<i32>, bool)>,
    changed: Condvar,
}

impl Gate {
    fn new(count: u64) -> Self {
        // Room for every ID now: a thread that grew the list would allocate.
        let ready = Vec::with_capacity(count as usize);
        Gate { state: Mutex::new((ready, false)), changed: Condvar::new() }
    }
    fn wait(&self) {
        let mut state = self.state.lock().unwrap();
        state.0.push(nix::unistd::gettid().as_raw());
        self.changed.notify_all();
        while !state.1 {
            state = self.changed.wait(state).unwrap(); // blocked here, idle
        }
    }
    /// The IDs of the threads once `count` are ready.
    fn ready(&self, count: u64) -> Vec<i32> {
        let state = self.state.lock().unwrap();
        let waiting = |state: &mut (Vec<i32>, bool)| (state.0.len() as u64) < count;
        self.changed.wait_while(state, waiting).unwrap().0.clone()
    }
}

/// Lets the threads go when dropped, however the measurement ends.
struct Open<'a>(&'a Gate);
impl Drop for Open<'_> {
    fn drop(&mut self) {
        self.0.state.lock().unwrap().1 = true;
        self.0.changed.notify_all();
    }
}

/// Runs `measure` on the IDs of `count` threads while they wait.
pub fn with_threads<T>(
    count: u64,
    measure: impl FnOnce(&[i32]) -> Result<T>,
) -> Result<T> {
    let gate = Gate::new(count);
    thread::scope(|scope| {
        let _open = Open(&gate); // before the scope joins the threads
        for _ in 0..count {
            thread::Builder::new().spawn_scoped(scope, || gate.wait())?;
        }
        let ids = gate.ready(count);
        let stats: Vec<String> =
            ids.iter().map(|tid| format!("/proc/self/task/{tid}/stat")).collect();
        wait_until_asleep(&stats)?;
        measure(&ids)
    })
}

pub fn threads(count: u64) -> Result<f64> {
    let before = footprint()?;
    with_threads(count, |_| Ok((footprint()? - before) / count as f64))
}
// ANCHOR_END: threads

// ANCHOR: tasks
/// `count` tokio tasks on one thread, each waiting for a permit that never comes.
pub fn tokio_tasks(count: u64) -> Result<f64> {
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let before = footprint()?; // the runtime is there before the tasks
    runtime.block_on(async {
        let (gate, ready) = (Arc::new(Semaphore::new(0)), Arc::new(AtomicU64::new(0)));
        let tasks: Vec<_> = (0..count)
            .map(|_| {
                let (gate, ready) = (gate.clone(), ready.clone());
                tokio::spawn(async move {
                    ready.fetch_add(1, Ordering::Relaxed);
                    let _ = gate.acquire().await; // pending here, idle
                })
            })
            .collect();
        // A task counts itself and waits in the same turn: all counted, all waiting.
        while ready.load(Ordering::Relaxed) < count {
            tokio::task::yield_now().await;
        }
        let added = footprint().map(|after| (after - before) / count as f64);
        gate.close(); // every `acquire` fails now, and each task ends
        for task in tasks {
            task.await?;
        }
        added
    })
}
// ANCHOR_END: tasks

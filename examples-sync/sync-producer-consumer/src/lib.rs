//! A counting semaphore and the bounded buffer built from two of them.
//!
//! Python has `threading.Semaphore`; Rust's standard library has no semaphore,
//! so [`Semaphore`] makes one from a `Mutex` and a `Condvar`. [`BoundedBuffer`]
//! is the Q&A thread's producer/consumer buffer: `fill_count` counts the items
//! in it, `empty_count` the free places.
//!
//! They live in this small library, not in `main.rs`, so that `tests/loom.rs`
//! can model-check them; the programs' [`Args`] live here too, as both take the
//! same. Built with `RUSTFLAGS="--cfg loom"`, the two lines
//! below pick loom's `Mutex` and `Condvar`, which let loom run every possible
//! interleaving of the threads; in a normal build they are the standard ones.

// ANCHOR: loom_switch
#[cfg(loom)]
use loom::sync::{Condvar, Mutex};
#[cfg(not(loom))]
use std::sync::{Condvar, Mutex};
// ANCHOR_END: loom_switch

use std::collections::VecDeque;

// ANCHOR: semaphore
/// A counting semaphore: `acquire` takes a permit, waiting while there is none;
/// `release` gives one back.
pub struct Semaphore {
    permits: Mutex<usize>,
    permit_released: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Semaphore { permits: Mutex::new(permits), permit_released: Condvar::new() }
    }

    /// Python's `acquire()`, the Q&A's `down()`.
    pub fn acquire(&self) {
        // The unwraps fail only if a thread panicked while holding this lock,
        // which the few lines below cannot do.
        let mut permits = self.permits.lock().unwrap();
        // `wait` unlocks, sleeps, and locks again before it returns. It may
        // return without a release (a spurious wakeup), and another thread may
        // have taken the permit first, so check the count again every time.
        while *permits == 0 {
            permits = self.permit_released.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    /// Python's `release()`, the Q&A's `up()`.
    pub fn release(&self) {
        let mut permits = self.permits.lock().unwrap();
        *permits += 1;
        // One new permit is enough for one waiter.
        self.permit_released.notify_one();
    }
}
// ANCHOR_END: semaphore

// ANCHOR: buffer
/// A first-in, first-out buffer of at most `capacity` items, shared by
/// producers and consumers.
pub struct BoundedBuffer<T> {
    items: Mutex<VecDeque<T>>,
    /// Permits = items in the buffer: a consumer waits here while it is empty.
    fill_count: Semaphore,
    /// Permits = free places: a producer waits here while the buffer is full.
    empty_count: Semaphore,
}

impl<T> BoundedBuffer<T> {
    pub fn new(capacity: usize) -> Self {
        BoundedBuffer {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            fill_count: Semaphore::new(0),
            empty_count: Semaphore::new(capacity),
        }
    }

    /// Puts `item` in, waiting for a free place. `report` is called with the
    /// number of items in the buffer while the lock is still held, so that
    /// number is exact, and reports come out in the order the buffer changed.
    pub fn push(&self, item: T, report: impl FnOnce(usize)) {
        self.empty_count.acquire(); // take a free place
        {
            let mut items = self.items.lock().unwrap();
            items.push_back(item);
            report(items.len());
        }
        self.fill_count.release(); // announce one more item
    }

    /// Takes the oldest item out, waiting for one; `report` as for `push`.
    pub fn pop(&self, report: impl FnOnce(&T, usize)) -> T {
        self.fill_count.acquire(); // take an item's permit
        let item = {
            let mut items = self.items.lock().unwrap();
            let item = items.pop_front().expect("fill_count promised an item");
            report(&item, items.len());
            item
        };
        self.empty_count.release(); // announce one more free place
        item
    }
}
// ANCHOR_END: buffer

// The command line of both programs, `main.rs` and `bin/bounded-channel.rs`.
/// Two producers and two consumers around a buffer of three places.
#[derive(clap::Parser)]
pub struct Args {
    /// Milliseconds to make an item; using one takes two.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(..=60_000))]
    pub step_ms: u64,
}

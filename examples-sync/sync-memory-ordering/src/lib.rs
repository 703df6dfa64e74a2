//! A value handed from one thread to another through a flag, two ways.
//!
//! The writer stores the data, then sets the flag; the reader checks the flag,
//! and if it is set, reads the data. With `Relaxed` on the flag, nothing says
//! that the data is visible once the flag is: a reader may see the flag and
//! the old data. With `Release` on the store and `Acquire` on the load, it
//! cannot.
//!
//! Both live in this small library so that `tests/loom.rs` can check them.
//! Built with `RUSTFLAGS="--cfg loom"`, the lines below pick loom's atomics,
//! which let loom try every value the memory model allows each load to return;
//! in a normal build they are the standard ones.

// ANCHOR: loom_switch
#[cfg(loom)]
use loom::sync::atomic::{AtomicBool, AtomicU32};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicBool, AtomicU32};
// ANCHOR_END: loom_switch

use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};

// ANCHOR: mailbox
/// One value, published once by a writer thread for a reader thread. It
/// starts empty: the data 0, the flag down.
#[derive(Default)]
pub struct Mailbox {
    data: AtomicU32,
    ready: AtomicBool,
}
// ANCHOR_END: mailbox

// ANCHOR: relaxed
/// Wrong: the flag promises nothing about the data.
impl Mailbox {
    pub fn publish_relaxed(&self, value: u32) {
        self.data.store(value, Relaxed);
        self.ready.store(true, Relaxed);
    }

    /// `None` while the flag is down.
    pub fn read_relaxed(&self) -> Option<u32> {
        if self.ready.load(Relaxed) { Some(self.data.load(Relaxed)) } else { None }
    }
}
// ANCHOR_END: relaxed

// ANCHOR: release_acquire
/// Right: whoever sees the flag sees the data.
impl Mailbox {
    pub fn publish(&self, value: u32) {
        self.data.store(value, Relaxed);
        self.ready.store(true, Release); // publishes every write before it
    }

    /// `None` while the flag is down.
    pub fn read(&self) -> Option<u32> {
        // Acquire: a load that sees the Release store sees what came before it.
        if self.ready.load(Acquire) { Some(self.data.load(Relaxed)) } else { None }
    }
}
// ANCHOR_END: release_acquire

//! The two mailboxes, model-checked with loom.
//!
//! `loom::model` runs its closure again and again: once for every way the two
//! threads can interleave, and, for each load of an atomic, once for every
//! store that the memory model allows that load to see, not only the latest.
//! That is how it finds what a processor that reorders could do, on a machine
//! that does not.
//!
//! Each test collects what the reader saw over every execution loom tried.
//! This file is compiled only with `--cfg loom`, which also switches
//! `src/lib.rs` to loom's atomics. Its own target directory keeps the normal
//! build's artifacts untouched:
//!
//! ```sh
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test --release -p sync-memory-ordering --test loom
//! ```
#![cfg(loom)]

use std::collections::BTreeSet;
use std::sync::Mutex;

use loom::sync::Arc;
use loom::thread;
use sync_memory_ordering::Mailbox;

// ANCHOR: outcomes
const VALUE: u32 = 42;

/// Every result of `read` that loom found, while another thread runs `publish`.
fn outcomes(
    publish: fn(&Mailbox, u32),
    read: fn(&Mailbox) -> Option<u32>,
) -> BTreeSet<Option<u32>> {
    // A std Mutex, outside the model: it outlives every execution loom runs.
    let seen = std::sync::Arc::new(Mutex::new(BTreeSet::new()));
    let seen_in_model = std::sync::Arc::clone(&seen);
    // Every execution, whatever the LOOM_MAX_* variables say: the model is tiny.
    let mut model = loom::model::Builder::new();
    model.preemption_bound = None;
    model.max_permutations = None;
    model.max_duration = None;
    model.check(move || {
        let mailbox = Arc::new(Mailbox::default());
        let writer = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || publish(&mailbox, VALUE))
        };
        let outcome = read(&mailbox);
        writer.join().unwrap();
        seen_in_model.lock().unwrap().insert(outcome);
    });
    seen.lock().unwrap().clone()
}
// ANCHOR_END: outcomes

// ANCHOR: tests
#[test]
fn relaxed_lets_the_reader_see_the_flag_without_the_data() {
    let seen = outcomes(Mailbox::publish_relaxed, Mailbox::read_relaxed);
    // None: the flag was still down. Some(42): the flag and the data.
    // Some(0): the flag, and the data from before it was written.
    assert_eq!(seen, BTreeSet::from([None, Some(0), Some(VALUE)]));
}

#[test]
fn release_acquire_never_does() {
    let seen = outcomes(Mailbox::publish, Mailbox::read);
    assert_eq!(seen, BTreeSet::from([None, Some(VALUE)]));
}
// ANCHOR_END: tests

//! The semaphore and the bounded buffer, model-checked with loom.
//!
//! `loom::model` runs its closure again and again, once for every way the
//! threads in it can interleave at each lock, unlock, wait and notify. A run in
//! which every thread is blocked is reported as a deadlock; a failed assertion
//! in any interleaving fails the test. The models are tiny on purpose: the
//! number of interleavings grows very fast with each thread and each
//! operation (two producers of two items each would already take loom many
//! minutes to explore in full).
//!
//! This file is compiled only with `--cfg loom`, which also switches
//! `src/lib.rs` to loom's `Mutex` and `Condvar`. Its own target directory keeps
//! the normal build's artifacts untouched:
//!
//! ```sh
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test --release -p sync-producer-consumer --test loom
//! ```
#![cfg(loom)]

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread;
use sync_producer_consumer::{BoundedBuffer, Semaphore};

#[test]
fn a_semaphore_of_one_lets_one_thread_in_at_a_time() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::new(1));
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (semaphore, inside) = (Arc::clone(&semaphore), Arc::clone(&inside));
                thread::spawn(move || {
                    semaphore.acquire();
                    assert_eq!(
                        inside.fetch_add(1, SeqCst),
                        0,
                        "two threads hold the permit"
                    );
                    inside.fetch_sub(1, SeqCst);
                    semaphore.release();
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
    });
}

#[test]
fn a_release_always_wakes_the_thread_waiting_in_acquire() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let releaser = {
            let semaphore = Arc::clone(&semaphore);
            thread::spawn(move || semaphore.release())
        };
        // Whether the release comes before this acquire or while it waits, a
        // lost wakeup would leave this thread blocked: loom reports a deadlock.
        semaphore.acquire();
        releaser.join().unwrap();
    });
}

#[test]
fn one_producer_one_consumer_every_item_arrives_once_in_order() {
    loom::model(|| {
        let buffer = Arc::new(BoundedBuffer::new(1));
        let producer = {
            let buffer = Arc::clone(&buffer);
            thread::spawn(move || {
                for item in [1, 2] {
                    buffer.push(item, |len| {
                        assert!(len <= 1, "{len} items in a buffer of 1")
                    });
                }
            })
        };
        let received: Vec<u32> = (0..2).map(|_| buffer.pop(|_, _| {})).collect();
        producer.join().unwrap();
        assert_eq!(received, [1, 2]);
    });
}

#[test]
fn two_producers_one_consumer_nothing_lost_or_doubled() {
    loom::model(|| {
        let buffer = Arc::new(BoundedBuffer::new(1));
        let producers: Vec<_> = [1, 2]
            .into_iter()
            .map(|item| {
                let buffer = Arc::clone(&buffer);
                thread::spawn(move || {
                    buffer.push(item, |len| {
                        assert!(len <= 1, "{len} items in a buffer of 1")
                    })
                })
            })
            .collect();
        let mut received: Vec<u32> = (0..2).map(|_| buffer.pop(|_, _| {})).collect();
        for producer in producers {
            producer.join().unwrap();
        }
        received.sort();
        assert_eq!(received, [1, 2]);
    });
}

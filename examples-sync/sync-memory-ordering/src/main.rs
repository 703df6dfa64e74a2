//! Can a thread see a flag set and still miss the data written before it?
//!
//! A writer thread publishes a value in each of many mailboxes (data, then
//! flag) while a reader follows close behind. With `Relaxed`, the reader may
//! find the flag and the old data; with `Release`/`Acquire`, it cannot. Python
//! never has to ask: its threads see each other's writes in order.
//!
//!     cargo run --release -p sync-memory-ordering -- --rounds 10000000
//!
//! Watch for: on x86 both counts are 0, and the first 0 proves nothing; on ARM
//! it may not be. Loom finds the bad case on any machine: `tests/loom.rs`.

use std::thread;

use clap::{Parser, value_parser};
use sync_memory_ordering::Mailbox;

// ANCHOR: main
/// A value published through a flag, with Relaxed and with Release/Acquire.
#[derive(Parser)]
struct Args {
    /// How many mailboxes each version fills and reads (8 bytes each).
    #[arg(long, default_value_t = 1_000_000, value_parser = value_parser!(u32).range(1..=20_000_000))]
    rounds: u32,
}

fn main() {
    sigpipe::reset();
    let Args { rounds } = Args::parse();
    println!("{rounds} values published through a flag, on {}:", std::env::consts::ARCH);
    let relaxed = stale_reads(rounds, Mailbox::publish_relaxed, Mailbox::read_relaxed);
    println!("Relaxed:         {relaxed} reads saw the flag but not the data");
    let release_acquire = stale_reads(rounds, Mailbox::publish, Mailbox::read);
    println!("Release/Acquire: {release_acquire} reads saw the flag but not the data");
}
// ANCHOR_END: main

// ANCHOR: race
/// What the writer puts in every mailbox; a reader that finds 0 read too early.
const VALUE: u32 = 42;

/// Fills `rounds` mailboxes on a thread and reads them here: how many were stale?
fn stale_reads(
    rounds: u32,
    publish: fn(&Mailbox, u32),
    read: fn(&Mailbox) -> Option<u32>,
) -> usize {
    let mailboxes: Vec<Mailbox> = (0..rounds).map(|_| Mailbox::default()).collect();
    thread::scope(|scope| {
        scope.spawn(|| mailboxes.iter().for_each(|mailbox| publish(mailbox, VALUE)));
        let value_in = |mailbox| loop {
            match read(mailbox) {
                Some(value) => break value,
                None => std::hint::spin_loop(), // flag still down: ask again
            }
        };
        mailboxes.iter().filter(|mailbox| value_in(mailbox) != VALUE).count()
    })
}
// ANCHOR_END: race

//! Who computes when? Two threads adding up chunks of integers: free, and
//! then each holding one global lock while it computes, as a CPython thread
//! holds the GIL. Each chunk's start and end is a line, and the book draws
//! the lines' times as a timeline.
//!
//!     cargo run --release -p bench-cpu-bound --bin bench-cpu-turns
//!
//! Watch for: alone and free, a chunk takes as long; free, the two threads'
//! chunks overlap; under the lock they run one at a time, and the lock is
//! not fair: the thread that lets go often takes it straight back.

use std::{hint::black_box, ops::Range, sync::Mutex, thread};

use clap::{Parser, value_parser};

/// Two threads summing chunks, free and under one lock, printing each chunk.
#[derive(Parser)]
struct Args {
    /// Integers in a chunk.
    #[arg(long, default_value_t = 100_000_000, value_parser = value_parser!(u64).range(1..=10_000_000_000))]
    chunk: u64,
    /// Chunks each thread adds up.
    #[arg(long, default_value_t = 4, value_parser = value_parser!(u64).range(1..=100))]
    chunks: u64,
}

// ANCHOR: turns
static GIL: Mutex<()> = Mutex::new(());

fn sum(range: Range<u64>) -> u64 {
    range.fold(0, |total, i| total.wrapping_add(black_box(i)))
}

fn add_up(who: &str, args: &Args, gil: Option<&Mutex<()>>) {
    for chunk in 0..args.chunks {
        let _held = gil.map(|gil| gil.lock().unwrap()); // the only difference
        println!("{who} starts chunk {chunk}");
        black_box(sum(chunk * args.chunk..(chunk + 1) * args.chunk));
        println!("{who} ends chunk {chunk}");
    }
}

fn main() {
    sigpipe::reset();
    let args = Args::parse();
    println!("one thread:");
    add_up("thread 1", &args, None);
    for (title, gil) in [("two threads:", None), ("two threads, one lock:", Some(&GIL))] {
        println!("{title}");
        thread::scope(|scope| {
            for who in ["thread 1", "thread 2"] {
                scope.spawn(|| add_up(who, &args, gil));
            }
        });
    }
}
// ANCHOR_END: turns

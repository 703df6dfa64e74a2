//! How do producers and consumers share a buffer of fixed size, without
//! overfilling it or taking from it while it is empty?
//!
//! The Q&A thread's answer: two semaphores around the buffer, `fill_count`
//! (items ready) and `empty_count` (free places), here in `src/lib.rs`. Two
//! producers make five items each, one a step; two consumers take them and need
//! two steps to use each one, so the buffer of three places fills up.
//! `src/bin/bounded-channel.rs` is the same with a bounded crossbeam channel,
//! which is what you would write in practice.
//!
//!     cargo run -p sync-producer-consumer
//!     cargo run -p sync-producer-consumer --bin bounded-channel
//!
//! Watch for: the count never above 3; when the buffer is full, the next put
//! comes only after a take; items come out in the order they went in. Which
//! consumer takes which item changes from run to run.

use std::thread;
use std::time::Duration;

use clap::{Parser, value_parser};
use sync_producer_consumer::BoundedBuffer;

/// Two producers and two consumers around a buffer of three places.
#[derive(Parser)]
struct Args {
    /// Milliseconds to make an item; using one takes two.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: produce_consume
const CAPACITY: usize = 3;

/// Items are named after their producer: "1-3" is producer 1's third.
/// `None` is the signal to stop.
type Buffer = BoundedBuffer<Option<String>>;

/// Makes five items, one a step, and puts each one in the buffer.
fn produce(producer: u32, buffer: &Buffer, step: Duration) {
    for number in 1..=5 {
        thread::sleep(step); // making the item
        let item = format!("{producer}-{number}");
        let line = format!("producer {producer} put item {item}");
        buffer.push(Some(item), |len| println!("{line} (buffer: {len} of {CAPACITY})"));
    }
}

/// Takes items until it takes a stop (`None`).
fn consume(consumer: u32, buffer: &Buffer, step: Duration) {
    loop {
        let item = buffer.pop(|item, len| {
            let what =
                item.as_ref().map_or("stop".to_owned(), |item| format!("item {item}"));
            println!("consumer {consumer} took {what} (buffer: {len} of {CAPACITY})");
        });
        if item.is_none() {
            return;
        }
        thread::sleep(2 * step); // using the item
    }
}
// ANCHOR_END: produce_consume

// ANCHOR: main
fn main() {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    println!("buffer of {CAPACITY}, 2 producers x 5 items, 2 consumers");
    let buffer = &Buffer::new(CAPACITY); // each thread gets a copy of this reference
    thread::scope(|scope| {
        for consumer in 1..=2 {
            scope.spawn(move || consume(consumer, buffer, step));
        }
        let producers: Vec<_> = (1..=2)
            .map(|producer| scope.spawn(move || produce(producer, buffer, step)))
            .collect();
        // Wait for every producer, then put one stop per consumer behind the
        // last item. Even if a producer panicked: without their stops, the
        // consumers would wait for ever, and so would the scope.
        let joined: Vec<_> =
            producers.into_iter().map(|producer| producer.join()).collect();
        for _ in 1..=2 {
            buffer.push(None, |len| {
                println!("main put stop (buffer: {len} of {CAPACITY})")
            });
        }
        assert!(joined.iter().all(Result::is_ok), "a producer panicked");
    });
}
// ANCHOR_END: main

//! How do producers and consumers share a buffer of three places, never
//! overfilling it nor taking from it while empty? With the Q&A thread's two
//! semaphores, in `src/lib.rs`; `src/bin/bounded-channel.rs` uses a channel.
//!
//!     cargo run -p sync-producer-consumer
//!
//! Watch for: the count never above 3; items leave in the order they came.

use std::thread;
use std::time::Duration;

use clap::Parser;
use sync_producer_consumer::{Args, BoundedBuffer};

// ANCHOR: produce_consume
const CAPACITY: usize = 3;
/// Items are named after their producer ("1-3" is producer 1's third); `None` says stop.
type Buffer = BoundedBuffer<Option<String>>;

fn produce(producer: u32, buffer: &Buffer, step: Duration) {
    for number in 1..=5 {
        thread::sleep(step); // making the item
        let item = format!("{producer}-{number}");
        let line = format!("producer {producer} put item {item}");
        buffer.push(Some(item), |len| println!("{line} (buffer: {len} of {CAPACITY})"));
    }
}

fn consume(consumer: u32, buffer: &Buffer, step: Duration) {
    let report = |item: &Option<String>, len| {
        let what = item.as_ref().map_or("stop".to_owned(), |item| format!("item {item}"));
        println!("consumer {consumer} took {what} (buffer: {len} of {CAPACITY})");
    };
    while buffer.pop(report).is_some() {
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
        let producers = [1, 2].map(|id| scope.spawn(move || produce(id, buffer, step)));
        // Stops after the last item, even if a producer panicked: else consumers hang.
        let finished = producers.map(|producer| producer.join().is_ok());
        let report = |len| println!("main put stop (buffer: {len} of {CAPACITY})");
        for _ in 1..=2 {
            buffer.push(None, report);
        }
        assert_eq!(finished, [true, true], "a producer panicked");
    });
}
// ANCHOR_END: main

//! How do producers and consumers share a buffer of fixed size, without
//! overfilling it or taking from it while it is empty?
//!
//! The Q&A thread's answer: two semaphores around the buffer, `fill_count`
//! (items ready) and `empty_count` (free places). Two producers make five items
//! each, one a step; two consumers take them and need two steps to use each one,
//! so the buffer of three places fills up. Run it plain for the semaphore buffer
//! of `src/lib.rs`; run it with `--channel` for a bounded crossbeam channel,
//! which is what you would write in practice.
//!
//! Watch for: the count never above 3; when the buffer is full, the next put
//! comes only after a take; items come out in the order they went in. Which
//! consumer takes which item changes from run to run.

use std::fmt;
use std::thread::{self, ScopedJoinHandle};
use std::time::Duration;

use anyhow::{Result, anyhow, ensure};
use crossbeam::channel;
use process_toolkit::pace;
use sync_producer_consumer::BoundedBuffer;

const CAPACITY: usize = 3;
const PRODUCERS: u32 = 2;
const ITEMS_EACH: u32 = 5;
const CONSUMERS: u32 = 2;

/// Item 1-3 is producer 1's third item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Item {
    producer: u32,
    number: u32,
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.producer, self.number)
    }
}

/// The semaphore version's buffer; `None` in it is the signal to stop.
type Buffer = BoundedBuffer<Option<Item>>;

/// Joins the consumers; returns every item they took.
fn all_taken(consumers: Vec<ScopedJoinHandle<'_, Vec<Item>>>) -> Result<Vec<Item>> {
    let taken: Result<Vec<Vec<Item>>, _> =
        consumers.into_iter().map(|c| c.join()).collect();
    Ok(taken.map_err(|_| anyhow!("a consumer panicked"))?.concat())
}

// ANCHOR: produce_consume
/// Makes `ITEMS_EACH` items, one a step, and puts each one in the buffer.
fn produce(producer: u32, buffer: &Buffer, step: Duration) {
    for number in 1..=ITEMS_EACH {
        thread::sleep(step); // making the item
        let item = Item { producer, number };
        buffer.push(Some(item), |len| {
            println!("producer {producer} put item {item} (buffer: {len} of {CAPACITY})");
        });
    }
}

/// Takes items until it takes a stop (`None`); returns the items it took.
fn consume(consumer: u32, buffer: &Buffer, step: Duration) -> Vec<Item> {
    let mut taken = Vec::new();
    loop {
        let message = buffer.pop(|message, len| {
            let what = message.map_or("stop".to_owned(), |item| format!("item {item}"));
            println!("consumer {consumer} took {what} (buffer: {len} of {CAPACITY})");
        });
        let Some(item) = message else { return taken };
        taken.push(item);
        thread::sleep(2 * step); // using the item
    }
}
// ANCHOR_END: produce_consume

// ANCHOR: with_semaphores
fn with_semaphores(step: Duration) -> Result<Vec<Item>> {
    let buffer = Buffer::new(CAPACITY);
    let buffer = &buffer; // each thread gets a copy of this reference
    thread::scope(|scope| {
        let consumers: Vec<_> = (1..=CONSUMERS)
            .map(|consumer| scope.spawn(move || consume(consumer, buffer, step)))
            .collect();
        let producers: Vec<_> = (1..=PRODUCERS)
            .map(|producer| scope.spawn(move || produce(producer, buffer, step)))
            .collect();
        // Wait for every producer, then put in one stop per consumer: they
        // queue up behind the last item. (Even if a producer panicked: without
        // their stops, the consumers would wait for ever.)
        let producers_failed =
            producers.into_iter().filter_map(|p| p.join().err()).count();
        for _ in 0..CONSUMERS {
            buffer.push(None, |len| {
                println!("main put stop (buffer: {len} of {CAPACITY})")
            });
        }
        ensure!(producers_failed == 0, "a producer panicked");
        all_taken(consumers)
    })
}
// ANCHOR_END: with_semaphores

// ANCHOR: with_channel
fn with_channel(step: Duration) -> Result<Vec<Item>> {
    let (sender, receiver) = channel::bounded(CAPACITY);
    thread::scope(|scope| {
        for producer in 1..=PRODUCERS {
            let sender = sender.clone();
            scope.spawn(move || {
                for number in 1..=ITEMS_EACH {
                    thread::sleep(step); // making the item
                    let item = Item { producer, number };
                    sender.send(item).expect("the consumers outlive the producers");
                    println!("producer {producer} put item {item}");
                }
            }); // this producer's sender is dropped here
        }
        // Keep no sender in main: once the producers have dropped theirs, the
        // channel is disconnected, and that is the consumers' stop signal.
        drop(sender);
        let receiver = &receiver; // the consumers only borrow the receiving end
        let consumers: Vec<_> = (1..=CONSUMERS)
            .map(|consumer| {
                scope.spawn(move || {
                    let mut taken = Vec::new();
                    // Ends when the channel is empty and every sender is gone.
                    for item in receiver {
                        println!("consumer {consumer} took item {item}");
                        taken.push(item);
                        thread::sleep(2 * step); // using the item
                    }
                    taken
                })
            })
            .collect();
        all_taken(consumers)
    })
}
// ANCHOR_END: with_channel

// ANCHOR: main
fn main() -> Result<()> {
    let step = pace::step()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let use_channel = match &args[..] {
        [] => false,
        [flag] if flag == "--channel" => true,
        _ => {
            eprintln!(
                "sync-producer-consumer: unexpected arguments {args:?}\n\
                 usage: sync-producer-consumer [--channel]"
            );
            std::process::exit(2);
        }
    };
    let kind = if use_channel { "channel" } else { "buffer" };
    println!(
        "{kind} of {CAPACITY}, {PRODUCERS} producers x {ITEMS_EACH} items, {CONSUMERS} consumers"
    );
    let mut taken =
        if use_channel { with_channel(step)? } else { with_semaphores(step)? };

    // Every item produced is consumed exactly once: none lost, none twice.
    taken.sort();
    let produced: Vec<Item> = (1..=PRODUCERS)
        .flat_map(|producer| {
            (1..=ITEMS_EACH).map(move |number| Item { producer, number })
        })
        .collect();
    assert_eq!(taken, produced, "the items consumed are not the items produced");
    println!("{} produced, {} consumed, each exactly once", produced.len(), taken.len());
    Ok(())
}
// ANCHOR_END: main

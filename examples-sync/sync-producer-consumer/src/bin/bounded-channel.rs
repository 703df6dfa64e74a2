//! The producers and consumers of sync-producer-consumer, with a bounded
//! channel in place of the hand-made buffer: what you would write in practice.
//!
//!     cargo run -p sync-producer-consumer --bin bounded-channel
//!
//! Watch for: every item taken once, each producer's items in order. A line is
//! printed after the channel has changed, with no lock held, so lines of
//! different threads may come out in another order than the changes did: a
//! take can be printed before the put of the same item.

use std::thread;
use std::time::Duration;

use clap::Parser;
use crossbeam::channel;
use sync_producer_consumer::Args;

// ANCHOR: with_channel
fn main() {
    sigpipe::reset();
    let step = Duration::from_millis(Args::parse().step_ms);
    println!("channel of 3, 2 producers x 5 items, 2 consumers");
    let (sender, receiver) = channel::bounded(3);
    thread::scope(|scope| {
        for producer in 1..=2 {
            let sender = sender.clone();
            scope.spawn(move || {
                for number in 1..=5 {
                    thread::sleep(step); // making the item
                    // send() waits while the channel is full.
                    sender.send(format!("{producer}-{number}")).unwrap();
                    println!("producer {producer} put item {producer}-{number}");
                }
            }); // this producer's sender is dropped here
        }
        // Once the producers have dropped their clones, no sender is left: the
        // channel is disconnected, and that is the consumers' stop signal.
        drop(sender);
        for consumer in 1..=2 {
            let receiver = receiver.clone();
            scope.spawn(move || {
                // Waits while the channel is empty; ends once it is disconnected.
                for item in receiver {
                    println!("consumer {consumer} took item {item}");
                    thread::sleep(2 * step); // using the item
                }
            });
        }
    });
}
// ANCHOR_END: with_channel

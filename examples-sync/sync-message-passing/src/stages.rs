//! The three stages, written once for both pipelines.
//!
//! A stage reads its input as an iterator that ends when the input channel
//! closes, and sends on through a function that returns false once the next
//! stage is gone. It knows nothing else about the channels: crossbeam between
//! threads and ipc-channel between processes both fit.

use std::thread;
use std::time::Duration;

use serde::{Deserialize, Serialize};

// ANCHOR: item
/// The input: one number per line, and two lines that are not whole numbers.
const LINES: [&str; 6] = ["3", "x", "10", "-4", "7.5", "12"];

/// A line on its way through the pipeline: where it was, and what it became.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Item {
    pub line: u32,
    pub value: Result<i64, String>,
}
// ANCHOR_END: item

// ANCHOR: stages
/// Parses each line; a bad line travels on as an error.
pub fn parse(mut send: impl FnMut(Item) -> bool) {
    for (line, text) in (1..).zip(LINES) {
        let value = text.parse().map_err(|_| format!("\"{text}\" is not a number"));
        match &value {
            Ok(number) => println!("parse: line {line} is {number}"),
            Err(error) => println!("parse: line {line}: {error}"),
        }
        if !send(Item { line, value }) {
            return; // the next stage is gone: nobody would read the rest
        }
    }
    println!("parse: end of input, closing my output");
} // `send`, and with it the sending end of the channel, is dropped here

/// Squares each number, taking a step for each; errors pass through untouched.
pub fn work(
    input: impl IntoIterator<Item = Item>,
    mut send: impl FnMut(Item) -> bool,
    step: Duration,
) {
    for mut item in input {
        match item.value {
            Ok(number) => {
                thread::sleep(step);
                println!(
                    "work: line {}: {number} squared is {}",
                    item.line,
                    number * number
                );
                item.value = Ok(number * number);
            }
            Err(_) => println!("work: line {}: passing the error along", item.line),
        }
        if !send(item) {
            return;
        }
    }
    println!("work: input closed, closing my output");
}

/// Keeps every item, in the order they come; the loop ends when the input closes.
pub fn collect(input: impl IntoIterator<Item = Item>) -> Vec<Item> {
    let mut items = Vec::new();
    for item in input {
        match &item.value {
            Ok(square) => println!("collect: line {} gives {square}", item.line),
            Err(_) => println!("collect: line {} gives an error", item.line),
        }
        items.push(item);
    }
    println!("collect: input closed after {} items", items.len());
    items
}
// ANCHOR_END: stages

//! What sync-producer-consumer must print, and what its Python counterpart prints.
//!
//! Which consumer takes which item, and how full the buffer is at each moment,
//! are the scheduler's. What is certain: in the semaphore version every put and
//! take line is printed under the buffer's lock, so the lines come out in the
//! order the buffer changed and their counts can be replayed (+1 for a put,
//! -1 for a take, never above 3); items come out in the order they went in;
//! and in both versions every item is put once and taken once.

use example_harness::timeline::{
    Kind, Recording, Span, Timeline, check_recorded_timeline, lane, timeline,
};
use example_harness::{Program, check_recorded};

const BIN: &str = "sync-producer-consumer";
/// The same producers and consumers around a bounded channel.
const CHANNEL_BIN: &str = "bounded-channel";
const CAPACITY: usize = 3;
const PRODUCERS: u32 = 2;
const ITEMS_EACH: u32 = 5;
const CONSUMERS: u32 = 2;
/// The last line of the Python version, which checks the items itself; the
/// Rust programs leave that to these tests.
const PYTHON_TOTALS: &str = "10 produced, 10 consumed, each exactly once";

/// Producer 1's third item is (1, 3), printed "1-3".
type Item = (u32, u32);

/// A put or take line. `item` is `None` for the stop signal.
#[derive(Debug, PartialEq)]
enum Event {
    Put { producer: u32, item: Item },
    MainPutStop,
    Took { consumer: u32, item: Option<Item> },
}

/// A line's event, and its "(buffer: k of 3)" count if it has one.
fn parse(line: &str) -> Option<(Event, Option<usize>)> {
    let (text, count) = match line.split_once(" (buffer: ") {
        Some((text, rest)) => {
            let count = rest.strip_suffix(&format!(" of {CAPACITY})"))?.parse().ok()?;
            (text, Some(count))
        }
        None => (line, None),
    };
    let item = |text: &str| -> Option<Item> {
        let (producer, number) = text.split_once('-')?;
        Some((producer.parse().ok()?, number.parse().ok()?))
    };
    let words: Vec<&str> = text.split(' ').collect();
    let event = match words[..] {
        ["producer", producer, "put", "item", label] => {
            Event::Put { producer: producer.parse().ok()?, item: item(label)? }
        }
        ["main", "put", "stop"] => Event::MainPutStop,
        ["consumer", consumer, "took", "item", label] => {
            Event::Took { consumer: consumer.parse().ok()?, item: Some(item(label)?) }
        }
        ["consumer", consumer, "took", "stop"] => {
            Event::Took { consumer: consumer.parse().ok()?, item: None }
        }
        _ => return None,
    };
    Some((event, count))
}

/// Which program printed the output: the Python one ends with its totals.
#[derive(Clone, Copy, PartialEq)]
enum Language {
    Rust,
    Python,
}

/// The header, every event line parsed, and Python's totals; panics on anything else.
fn events(output: &str, kind: &str, language: Language) -> Vec<(Event, Option<usize>)> {
    let mut lines: Vec<&str> = output.lines().collect();
    let header = format!(
        "{kind} of {CAPACITY}, {PRODUCERS} producers x {ITEMS_EACH} items, {CONSUMERS} consumers"
    );
    assert_eq!(lines.first(), Some(&header.as_str()), "{output}");
    if language == Language::Python {
        assert_eq!(lines.pop(), Some(PYTHON_TOTALS), "{output}");
    }
    let middle = &lines[1..];
    let parsed = middle.iter().map(|line| {
        parse(line).unwrap_or_else(|| panic!("unexpected line {line:?}\n{output}"))
    });
    parsed.collect()
}

/// What both versions guarantee, in Rust and in Python alike.
fn assert_every_item_once(events: &[(Event, Option<usize>)], output: &str) {
    let all_items: Vec<Item> = (1..=PRODUCERS)
        .flat_map(|producer| (1..=ITEMS_EACH).map(move |number| (producer, number)))
        .collect();
    for item in &all_items {
        let puts = events.iter().filter(|(event, _)| match event {
            Event::Put { item: put, .. } => put == item,
            _ => false,
        });
        let takes = events.iter().filter(|(event, _)| match event {
            Event::Took { item: Some(took), .. } => took == item,
            _ => false,
        });
        assert_eq!(puts.count(), 1, "item {item:?} is not put exactly once\n{output}");
        assert_eq!(takes.count(), 1, "item {item:?} is not taken exactly once\n{output}");
    }
    for (event, _) in events {
        match event {
            Event::Put { producer, item } => assert_eq!(*producer, item.0, "{output}"),
            Event::Took { consumer, .. } => {
                assert!((1..=CONSUMERS).contains(consumer), "{output}");
            }
            Event::MainPutStop => {}
        }
    }
    // A producer's items go in in order, and any one consumer takes them in
    // that order too: the buffer is first in, first out.
    for producer in 1..=PRODUCERS {
        let mine = |(_, number): &Item| *number;
        let put: Vec<u32> = events
            .iter()
            .filter_map(|(event, _)| match event {
                Event::Put { item, .. } if item.0 == producer => Some(mine(item)),
                _ => None,
            })
            .collect();
        assert_eq!(put, (1..=ITEMS_EACH).collect::<Vec<_>>(), "{output}");
        for consumer in 1..=CONSUMERS {
            let took: Vec<u32> = events
                .iter()
                .filter_map(|(event, _)| match event {
                    Event::Took { consumer: c, item: Some(item) }
                        if *c == consumer && item.0 == producer =>
                    {
                        Some(mine(item))
                    }
                    _ => None,
                })
                .collect();
            assert!(took.is_sorted(), "consumer {consumer} took {took:?}\n{output}");
        }
    }
}

/// The semaphore version's own guarantees: every line was printed under the
/// buffer's lock, so the counts replay and the buffer is a FIFO queue.
fn assert_semaphore_buffer(output: &str, kind: &str, language: Language) {
    let events = events(output, kind, language);
    assert_every_item_once(&events, output);

    let mut in_buffer = 0; // replayed from the events alone
    for (event, count) in &events {
        let count = count.unwrap_or_else(|| panic!("{event:?} has no count\n{output}"));
        assert!(count <= CAPACITY, "{count} items in a buffer of {CAPACITY}\n{output}");
        in_buffer = match event {
            Event::Took { .. } => in_buffer - 1,
            _ => in_buffer + 1,
        };
        assert_eq!(count, in_buffer, "{event:?} does not replay\n{output}");
    }
    assert_eq!(in_buffer, 0, "the buffer ends empty\n{output}");

    // Out in the order they went in, stops included (None).
    let put: Vec<Option<Item>> = events
        .iter()
        .filter_map(|(event, _)| match event {
            Event::Put { item, .. } => Some(Some(*item)),
            Event::MainPutStop => Some(None),
            Event::Took { .. } => None,
        })
        .collect();
    let took: Vec<Option<Item>> = events
        .iter()
        .filter_map(|(event, _)| match event {
            Event::Took { item, .. } => Some(*item),
            _ => None,
        })
        .collect();
    assert_eq!(put, took, "the buffer is first in, first out\n{output}");

    // One stop per consumer, after the last item, and each consumer's last line.
    let stops = vec![None; CONSUMERS as usize];
    assert_eq!(put[put.len() - stops.len()..], stops, "{output}");
    for consumer in 1..=CONSUMERS {
        let last = events.iter().rev().find_map(|(event, _)| match event {
            Event::Took { consumer: c, item } if *c == consumer => Some(*item),
            _ => None,
        });
        assert_eq!(last, Some(None), "consumer {consumer} ends on a stop\n{output}");
    }
}

/// The channel (or queue) version: no counts, no stop lines, every item once.
fn assert_channel(output: &str, kind: &str, language: Language) {
    let events = events(output, kind, language);
    assert_every_item_once(&events, output);
    assert_eq!(events.len(), 2 * (PRODUCERS * ITEMS_EACH) as usize, "{output}");
    for (event, count) in &events {
        assert_eq!(*count, None, "{output}");
        assert_ne!(*event, Event::MainPutStop, "{output}");
    }
}

/// Per item, in item order: who put it in, and that a consumer took it out.
/// Which consumer, when, and the counts are the scheduler's; the header and
/// the totals stay where they are.
fn per_item(output: &str) -> String {
    let label = |(producer, number): Item| format!("item {producer}-{number}");
    let mut summary = Vec::new();
    let mut other = Vec::new();
    for line in output.lines() {
        summary.push(match parse(line) {
            Some((Event::Put { producer, item }, _)) => {
                format!("{}: put by producer {producer}", label(item))
            }
            Some((Event::Took { item: Some(item), .. }, _)) => {
                format!("{}: taken by a consumer", label(item))
            }
            Some((Event::MainPutStop, _)) => "stop: put by main".to_owned(),
            Some((Event::Took { item: None, .. }, _)) => {
                "stop: taken by a consumer".to_owned()
            }
            None => {
                other.push(line);
                continue;
            }
        });
    }
    summary.sort();
    let (header, rest) = other.split_first().expect("a header line");
    let lines = [*header].into_iter().chain(summary.iter().map(String::as_str));
    lines.chain(rest.iter().copied()).map(|line| format!("{line}\n")).collect()
}

/// The step of the recorded runs, made at the human pace: a producer makes an
/// item in one, a consumer uses one in two.
const RECORDED_STEP_MS: f64 = 1000.0;

/// Who ran when, in the semaphore version, where every put and take line is
/// printed under the buffer's lock, at the moment the buffer changed.
///
/// A producer prints nothing when it has made an item, but the code says
/// when that is: one step after its previous put (or after the header, for
/// the first). So its bar is that step of making, and the rest of the time
/// until its put line is the wait for a free place. A consumer's bar is the
/// two steps of using an item, from its take line; the rest until its next
/// take line is the wait for an item. Main waits for the producers until its
/// first stop, and for a free place until its second. Under them, how full
/// the buffer is, from the counts printed.
fn who_ran_when(title: &'static str) -> impl Fn(&Recording) -> Timeline {
    move |recording| {
        let started = recording.lines[0].at_ms;
        let mut producers = vec![Vec::new(); PRODUCERS as usize];
        let mut made_from = vec![started; PRODUCERS as usize];
        let mut consumers = vec![Vec::new(); CONSUMERS as usize];
        let mut free_from = vec![started; CONSUMERS as usize];
        let mut main = Vec::new();
        let mut buffer = Vec::new();
        let mut level: Option<(f64, usize)> = None;
        for arrival in &recording.lines {
            let Some((event, count)) = parse(&arrival.line) else { continue };
            let at = arrival.at_ms;
            match event {
                Event::Put { producer, item: (_, number) } => {
                    let index = producer as usize - 1;
                    let made = (made_from[index] + RECORDED_STEP_MS).min(at);
                    let label = format!("{producer}-{number}");
                    producers[index].push(Span::busy(made_from[index], made, label));
                    producers[index].push(Span::waiting(made, at, "full"));
                    made_from[index] = at;
                }
                Event::Took { consumer, item } => {
                    let index = consumer as usize - 1;
                    // The lines reach the harness a little late now and then:
                    // a take that comes a moment before two steps are up waited for nothing.
                    let free = free_from[index].min(at);
                    consumers[index].push(Span::waiting(free, at, "empty"));
                    if let Some((producer, number)) = item {
                        let label = format!("uses {producer}-{number}");
                        let used = at + 2.0 * RECORDED_STEP_MS;
                        consumers[index].push(Span::busy(at, used, label));
                        free_from[index] = used;
                    } else {
                        consumers[index].push(Span::busy(at, at, ""));
                    }
                }
                Event::MainPutStop => {
                    // Main puts its stops one after the other: a gap before the
                    // second is a wait for a free place.
                    let (from, why) = match main.last() {
                        None => (started, "join the producers"),
                        Some(Span { to_ms, .. }) => (*to_ms, "full"),
                    };
                    main.push(Span::waiting(from, at, why));
                    main.push(Span::busy(at, at, ""));
                }
            }
            if let Some((from, value)) = level.filter(|(_, value)| *value > 0) {
                let kind = Kind::Level { value: value as u32, max: CAPACITY as u32 };
                buffer.push(Span {
                    from_ms: from,
                    to_ms: at,
                    kind,
                    label: value.to_string(),
                });
            }
            level = Some((at, count.expect("the semaphore version prints its counts")));
        }
        let mut lanes: Vec<_> = (1..=PRODUCERS)
            .zip(producers)
            .map(|(producer, spans)| lane(&format!("producer {producer}"), 0, spans))
            .collect();
        lanes.extend(
            (1..=CONSUMERS)
                .zip(consumers)
                .map(|(consumer, spans)| lane(&format!("consumer {consumer}"), 1, spans)),
        );
        lanes.push(lane("main", 6, main));
        lanes.push(lane("items in the buffer", 6, buffer));
        let legend = ["making an item (1-3: producer 1's third) or using one", "waiting"];
        timeline(title, recording, lanes, legend)
    }
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_semaphore_buffer(&program.run_ok().stdout, "buffer", Language::Rust);
}

#[test]
fn the_buffer_never_holds_more_than_three_and_every_item_arrives_once() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_semaphore_buffer(&run.stdout, "buffer", Language::Rust);
    insta::assert_snapshot!("buffer", per_item(&run.stdout));
    check_recorded_timeline(
        &program,
        "examples-sync/sync-producer-consumer/recorded/buffer.txt",
        per_item,
        &run,
        "book/src/sync/timelines/sync-producer-consumer.svg",
        who_ran_when("sync-producer-consumer: a buffer of 3 between Rust threads"),
    );
}

#[test]
fn the_buffer_holds_when_the_threads_race_without_pauses() {
    // A step of 0: producers and consumers hit the semaphores as fast as they can.
    for _ in 0..5 {
        let run = Program::example(BIN).step_ms(0).run_ok();
        assert_semaphore_buffer(&run.stdout, "buffer", Language::Rust);
    }
}

#[test]
fn the_channel_delivers_every_item_once() {
    let program = Program::example(CHANNEL_BIN);
    let run = program.run_ok();
    assert_channel(&run.stdout, "channel", Language::Rust);
    insta::assert_snapshot!("channel", per_item(&run.stdout));
    check_recorded(
        &program,
        "examples-sync/sync-producer-consumer/recorded/channel.txt",
        per_item,
        &run,
    );
}

#[test]
fn the_channel_holds_when_the_threads_race_without_pauses() {
    for _ in 0..5 {
        let run = Program::example(CHANNEL_BIN).step_ms(0).run_ok();
        assert_channel(&run.stdout, "channel", Language::Rust);
    }
}

#[test]
fn python_semaphores_keep_the_same_bound() {
    let Some(program) = Program::python("sync_producer_consumer.py") else {
        return;
    };
    let run = program.run_ok();
    assert_semaphore_buffer(&run.stdout, "buffer", Language::Python);
    check_recorded_timeline(
        &program,
        "python/recorded/sync_producer_consumer.txt",
        per_item,
        &run,
        "book/src/sync/timelines/sync-producer-consumer-python.svg",
        who_ran_when("sync_producer_consumer.py: a buffer of 3 between Python threads"),
    );
    let racing = program.step_ms(0).run_ok();
    assert_semaphore_buffer(&racing.stdout, "buffer", Language::Python);
}

#[test]
fn python_queue_delivers_every_item_once() {
    let Some(program) = Program::python("sync_producer_consumer.py") else {
        return;
    };
    let program = program.arg("--queue");
    let run = program.run_ok();
    assert_channel(&run.stdout, "queue", Language::Python);
    check_recorded(
        &program,
        "python/recorded/sync_producer_consumer_queue.txt",
        per_item,
        &run,
    );
}

#[test]
fn python_refuses_bad_arguments() {
    let Some(program) = Program::python("sync_producer_consumer.py") else {
        return;
    };
    let run = program.arg("--channel").run();
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("usage: sync_producer_consumer.py [--queue]"));
    assert!(run.stdout.is_empty());
}

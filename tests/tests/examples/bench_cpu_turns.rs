//! bench-cpu-turns, the CPU-bound benchmark's picture of who computes when:
//! what its lines guarantee, and the timelines of its recorded runs, Rust
//! and Python.

use example_harness::timeline::{
    Marker, Recording, Span, Timeline, check_recorded_timeline, lane, timeline,
};
use example_harness::{Program, Run};

const BIN: &str = "bench-cpu-turns";
const THREADS: [&str; 2] = ["thread 1", "thread 2"];
/// A chunk takes about a fifth of a second in a debug build, so that the
/// bars are long beside the time a line takes to arrive.
const CHUNK: &str = "20000000";
const CHUNKS: u64 = 3;

/// `program` with `--chunk size --chunks CHUNKS`.
fn sized(program: Program, size: &str) -> Program {
    program.arg("--chunk").arg(size).arg("--chunks").arg(&CHUNKS.to_string())
}

fn program() -> Program {
    sized(Program::example(BIN), CHUNK)
}

/// The phases, each its title line and the lines its threads printed.
fn phases(output: &str) -> Vec<(&str, Vec<&str>)> {
    let mut phases: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in output.lines() {
        match phases.last_mut() {
            Some((_, lines)) if line.starts_with("thread ") => lines.push(line),
            _ => phases.push((line, Vec::new())),
        }
    }
    phases
}

/// The order of two threads' lines is the scheduler's (and, under the lock,
/// the lock's); each thread's own order is not. So each phase's lines are
/// grouped by thread, in the order each printed them.
fn by_thread(output: &str) -> String {
    let mut settled = String::new();
    for (title, lines) in phases(output) {
        settled.push_str(&format!("{title}\n"));
        for who in THREADS {
            for line in lines.iter().filter(|line| line.starts_with(who)) {
                settled.push_str(&format!("{line}\n"));
            }
        }
    }
    settled
}

/// What one thread prints for its chunks: start and end of each, in order.
fn chunk_lines(who: &str) -> Vec<String> {
    (0..CHUNKS)
        .flat_map(|chunk| {
            [format!("{who} starts chunk {chunk}"), format!("{who} ends chunk {chunk}")]
        })
        .collect()
}

/// Every phase has its title, in order, and each of its threads prints its
/// chunks in order: the form `by_thread` gives, known in advance.
fn assert_each_thread_in_order(run: &Run, titles: &[&str]) {
    let mut expected = String::new();
    for (index, title) in titles.iter().enumerate() {
        expected.push_str(&format!("{title}\n"));
        let threads = if index == 0 { &THREADS[..1] } else { &THREADS[..] };
        for who in threads {
            for line in chunk_lines(who) {
                expected.push_str(&format!("{line}\n"));
            }
        }
    }
    assert_eq!(by_thread(&run.stdout), expected, "--- as printed\n{}", run.stdout);
}

/// Under the lock a chunk's two lines are printed while the lock is held, so
/// no other thread's line comes between them: one computes at a time.
fn assert_one_at_a_time(lines: &[&str]) {
    for pair in lines.chunks(2) {
        let [start, end] = pair else { panic!("a chunk without its end: {lines:?}") };
        let who = &start[..start.find(" starts").expect("a start first")];
        let chunk = start.rsplit(' ').next().unwrap();
        assert_eq!(*end, format!("{who} ends chunk {chunk}"), "{lines:?}");
    }
}

pub fn check_copy(program: Program) {
    let program = sized(program, "1000");
    let run = program.run_ok();
    let titles = ["one thread:", "two threads:", "two threads, one lock:"];
    assert_each_thread_in_order(&run, &titles);
    assert_one_at_a_time(&phases(&run.stdout)[2].1);
}

#[test]
fn each_thread_sums_its_chunks_in_order_and_under_the_lock_one_at_a_time() {
    let program = program();
    let run = program.run_ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let titles = ["one thread:", "two threads:", "two threads, one lock:"];
    assert_each_thread_in_order(&run, &titles);
    assert_one_at_a_time(&phases(&run.stdout)[2].1);
    insta::assert_snapshot!("by_thread", by_thread(&run.stdout));
    check_recorded_timeline(
        &program,
        "examples-bench/bench-cpu-bound/recorded/turns.txt",
        by_thread,
        &run,
        "book/src/benchmarks/timelines/bench-cpu-turns.svg",
        |recording| {
            turns_timeline(
                "bench-cpu-turns: Rust threads, free and under one lock",
                recording,
            )
        },
    );
}

#[test]
fn python_threads_sum_their_chunks_in_order() {
    let Some(program) = Program::python("bench_cpu_turns.py") else { return };
    let program = sized(program, "1000000");
    let run = program.run_ok();
    assert_each_thread_in_order(&run, &["one thread:", "two threads:"]);
    check_recorded_timeline(
        &program,
        "python/recorded/bench_cpu_turns.txt",
        by_thread,
        &run,
        "book/src/benchmarks/timelines/bench-cpu-turns-python.svg",
        |recording| {
            turns_timeline("bench-cpu-turns: Python threads and the GIL", recording)
        },
    );
}

#[test]
fn a_chunk_interrupted_by_another_threads_line_is_caught() {
    let interleaved = ["thread 1 starts chunk 0", "thread 2 starts chunk 0"];
    let caught = std::panic::catch_unwind(|| assert_one_at_a_time(&interleaved));
    assert!(caught.is_err());
    assert_one_at_a_time(&["thread 2 starts chunk 0", "thread 2 ends chunk 0"]);
}

/// A lane per thread, a bar per chunk from its start line to its end line,
/// and a marker at each phase's title.
fn turns_timeline(title: &str, recording: &Recording) -> Timeline {
    let lines = &recording.lines;
    let bars = |who: &str| {
        let mut spans = Vec::new();
        for (index, arrival) in lines.iter().enumerate() {
            let Some(chunk) = arrival.line.strip_prefix(&format!("{who} starts chunk "))
            else {
                continue;
            };
            let end = format!("{who} ends chunk {chunk}");
            let ended = lines[index + 1..].iter().find(|later| later.line == end);
            let to = ended.map_or(recording.ended_ms, |later| later.at_ms);
            spans.push(Span::busy(arrival.at_ms, to, chunk));
        }
        spans
    };
    let mut drawn = timeline(
        title,
        recording,
        vec![
            lane(THREADS[0], 0, bars(THREADS[0])),
            lane(THREADS[1], 1, bars(THREADS[1])),
        ],
        ["adds up a chunk (its number)", "waits"],
    );
    drawn.markers = lines
        .iter()
        .filter(|arrival| !arrival.line.starts_with("thread "))
        .map(|arrival| Marker {
            at_ms: arrival.at_ms,
            label: arrival.line.trim_end_matches(':').to_owned(),
        })
        .collect();
    drawn
}

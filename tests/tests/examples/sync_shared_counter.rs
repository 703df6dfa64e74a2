//! What sync-shared-counter must print, and what its Python counterpart prints.
//!
//! Every line is certain: the counts are printed only after every thread or
//! process has finished, sorted by page, and the process pool returns the
//! chunks in the order they were handed out. Nothing needs normalizing.

use example_harness::{Program, assert_in_order, check_recorded};

const BIN: &str = "sync-shared-counter";

const COUNTS: &str =
    "counts: crates.io 1, docs.rs 1, example.com 5, python.org 3, rust-lang.org 2";

/// What both languages print for the two ways of counting, line for line.
const EXPECTED: [&str; 9] = [
    "-- 4 threads counting into one shared map --",
    COUNTS,
    "-- 4 processes counting separately, merged by the parent --",
    "chunk 1 from a worker process: example.com 2, python.org 1",
    "chunk 2 from a worker process: docs.rs 1, example.com 1, rust-lang.org 1",
    "chunk 3 from a worker process: crates.io 1, example.com 1, python.org 1",
    "chunk 4 from a worker process: example.com 1, python.org 1, rust-lang.org 1",
    COUNTS,
    "both ways counted all 12 fetches alike",
];

fn unchanged(output: &str) -> String {
    output.to_owned()
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    let run = program.run_ok();
    assert_eq!(run.lines(), EXPECTED, "{}", run.stdout);
}

#[test]
fn threads_and_processes_count_the_same() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_eq!(run.lines(), EXPECTED, "{}", run.stdout);
    insta::assert_snapshot!("run", run.stdout);
    check_recorded(
        &program,
        "examples-sync/sync-shared-counter/recorded/run.txt",
        unchanged,
        &run,
    );
}

#[test]
fn python_counts_the_same_and_refuses_the_guides_queue() {
    let Some(program) = Program::python("sync_shared_counter.py") else { return };
    let run = program.run_ok();
    assert_eq!(run.lines()[..EXPECTED.len()], EXPECTED, "{}", run.stdout);
    assert_in_order(
        &run.stdout,
        &[
            "-- the guide's version: a multiprocessing.Queue passed to submit --",
            "12 of 12 jobs failed: RuntimeError: \
             Queue objects should only be shared between processes through inheritance",
            "nothing reached the queue: the guide's queue.get() would wait forever",
            "through a Manager().Queue(): \
             crates.io 1, docs.rs 1, example.com 5, python.org 3, rust-lang.org 2",
        ],
    );
    assert_eq!(run.lines().len(), EXPECTED.len() + 4, "{}", run.stdout);
    check_recorded(&program, "python/recorded/sync_shared_counter.txt", unchanged, &run);
}

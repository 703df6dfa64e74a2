//! What sync-shared-counter and its processes program must print, and what
//! their Python counterpart prints.
//!
//! Every line is certain: the counts are printed only after every thread or
//! process has finished, sorted by page, and the process pool returns the
//! chunks in the order they were handed out. Nothing needs normalizing.

use example_harness::{Program, assert_in_order, check_recorded};

const BIN: &str = "sync-shared-counter";
const PROCESSES_BIN: &str = "sync-shared-counter-processes";

/// All twelve fetches, counted.
const COUNTS: &str = r#"{"crates.io": 1, "docs.rs": 1, "example.com": 5, "python.org": 3, "rust-lang.org": 2}"#;

/// What the processes program prints, line for line: the chunks in order.
const CHUNKS: [&str; 4] = [
    r#"chunk 1 from a worker process: {"example.com": 2, "python.org": 1}"#,
    r#"chunk 2 from a worker process: {"docs.rs": 1, "example.com": 1, "rust-lang.org": 1}"#,
    r#"chunk 3 from a worker process: {"crates.io": 1, "example.com": 1, "python.org": 1}"#,
    r#"chunk 4 from a worker process: {"example.com": 1, "python.org": 1, "rust-lang.org": 1}"#,
];

fn threads_expected() -> String {
    format!("4 threads counted into one map: {COUNTS}\n")
}

fn processes_expected() -> String {
    let chunks: String = CHUNKS.iter().map(|line| format!("{line}\n")).collect();
    format!("{chunks}4 processes counted apart, merged: {COUNTS}\n")
}

fn unchanged(output: &str) -> String {
    output.to_owned()
}

/// What the take-away test checks on a copy built outside the workspace:
/// both programs.
pub fn check_copy(program: Program) {
    assert_eq!(program.sibling(PROCESSES_BIN).run_ok().stdout, processes_expected());
    assert_eq!(program.run_ok().stdout, threads_expected());
}

#[test]
fn threads_count_every_fetch_into_one_map() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_eq!(run.stdout, threads_expected());
    check_recorded(
        &program,
        "examples-sync/sync-shared-counter/recorded/threads.txt",
        unchanged,
        &run,
    );
}

#[test]
fn processes_count_apart_and_the_parent_merges_the_same_counts() {
    let program = Program::example(PROCESSES_BIN);
    let run = program.run_ok();
    assert_eq!(run.stdout, processes_expected());
    insta::assert_snapshot!("processes", run.stdout);
    check_recorded(
        &program,
        "examples-sync/sync-shared-counter/recorded/processes.txt",
        unchanged,
        &run,
    );
}

/// Python prints both ways in one run, and then the guide's queue.
#[test]
fn python_counts_the_same_and_refuses_the_guides_queue() {
    let Some(program) = Program::python("sync_shared_counter.py") else { return };
    let run = program.run_ok();
    let counts =
        "counts: crates.io 1, docs.rs 1, example.com 5, python.org 3, rust-lang.org 2";
    assert_eq!(
        run.lines()[..9],
        [
            "-- 4 threads counting into one shared map --",
            counts,
            "-- 4 processes counting separately, merged by the parent --",
            "chunk 1 from a worker process: example.com 2, python.org 1",
            "chunk 2 from a worker process: docs.rs 1, example.com 1, rust-lang.org 1",
            "chunk 3 from a worker process: crates.io 1, example.com 1, python.org 1",
            "chunk 4 from a worker process: example.com 1, python.org 1, rust-lang.org 1",
            counts,
            "both ways counted all 12 fetches alike",
        ],
        "{}",
        run.stdout
    );
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
    assert_eq!(run.lines().len(), 9 + 4, "{}", run.stdout);
    check_recorded(&program, "python/recorded/sync_shared_counter.txt", unchanged, &run);
}

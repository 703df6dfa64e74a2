//! What thread-numbers-letters must print, and what its Python counterpart prints.

use example_harness::{
    Program, assert_in_order, check_recorded, first_word, group_by_label,
};

const BIN: &str = env!("CARGO_BIN_EXE_thread-numbers-letters");

const NUMBERS: [&str; 5] =
    ["Number: 1", "Number: 2", "Number: 3", "Number: 4", "Number: 5"];
const LETTERS: [&str; 5] =
    ["Letter: a", "Letter: b", "Letter: c", "Letter: d", "Letter: e"];

fn by_thread(output: &str) -> String {
    group_by_label(output, &["Number:", "Letter:"], first_word)
}

/// Each thread's lines are in order, and the two threads overlap in time.
///
/// The overlap check runs at a 300 ms step: the letters thread would have to
/// start more than a second late for its first line to miss the numbers'
/// last, and a thread that was started at once is never held back that long.
/// Running the printers one after the other (join before the second spawn)
/// fails it every time.
fn assert_interleaved(output: &str) {
    assert_in_order(output, &NUMBERS);
    assert_in_order(output, &LETTERS);
    assert_eq!(output.lines().count(), 10, "{output}");
    assert_in_order(output, &["Letter: a", "Number: 5"]);
    assert_in_order(output, &["Number: 1", "Letter: e"]);
}

#[test]
fn both_threads_print_at_once_each_in_order() {
    let program = Program::binary(BIN).step_ms(300);
    let run = program.run_ok();
    assert_interleaved(&run.stdout);
    insta::assert_snapshot!("by_thread", by_thread(&run.stdout));
    check_recorded(
        &program,
        "examples-threads/thread-numbers-letters/recorded/run.txt",
        by_thread,
        &run,
    );
}

#[test]
fn python_threads_interleave_the_same_way() {
    let Some(program) = Program::python("thread_numbers_letters.py") else {
        return;
    };
    let program = program.step_ms(300);
    let run = program.run_ok();
    assert_interleaved(&run.stdout);
    check_recorded(
        &program,
        "python/recorded/thread_numbers_letters.txt",
        by_thread,
        &run,
    );
}

//! What thread-numbers-letters must print, and what its Python counterpart prints.

use example_harness::{
    Program, assert_numbers_letters_interleaved, check_recorded, first_word,
    group_by_label,
};

const BIN: &str = "thread-numbers-letters";

fn by_thread(output: &str) -> String {
    group_by_label(output, &["Number:", "Letter:"], first_word)
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_numbers_letters_interleaved(&program.step_ms(300).run_ok().stdout);
}

#[test]
fn both_threads_print_at_once_each_in_order() {
    let program = Program::example(BIN).step_ms(300);
    let run = program.run_ok();
    assert_numbers_letters_interleaved(&run.stdout);
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
    assert_numbers_letters_interleaved(&run.stdout);
    check_recorded(
        &program,
        "python/recorded/thread_numbers_letters.txt",
        by_thread,
        &run,
    );
}

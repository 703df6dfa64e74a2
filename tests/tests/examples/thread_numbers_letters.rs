//! What thread-numbers-letters must print, and what its Python counterpart prints.

use example_harness::timeline::{
    Recording, Timeline, check_recorded_timeline, numbers_letters_lanes, timeline,
};
use example_harness::{
    Program, assert_numbers_letters_interleaved, first_word, group_by_label,
};

const BIN: &str = "thread-numbers-letters";

fn by_thread(output: &str) -> String {
    group_by_label(output, &["Number:", "Letter:"], first_word)
}

/// Who ran when: a lane per thread, a bar per step from its line to the
/// thread's next, and main waiting in join.
fn who_ran_when(title: &'static str) -> impl Fn(&Recording) -> Timeline {
    move |recording| {
        let names = ["numbers thread", "letters thread", "main"];
        let lanes = numbers_letters_lanes(recording, names);
        let legend =
            ["a step: from its line to the thread's next", "main, waiting in join"];
        timeline(title, recording, lanes, legend)
    }
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
    check_recorded_timeline(
        &program,
        "examples-threads/thread-numbers-letters/recorded/run.txt",
        by_thread,
        &run,
        "book/src/threads/timelines/thread-numbers-letters.svg",
        who_ran_when("thread-numbers-letters: two Rust threads at once"),
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
    check_recorded_timeline(
        &program,
        "python/recorded/thread_numbers_letters.txt",
        by_thread,
        &run,
        "book/src/threads/timelines/thread-numbers-letters-python.svg",
        who_ran_when("thread_numbers_letters.py: two Python threads at once"),
    );
}

//! What thread-numbers-letters must print, and what its Python counterpart prints.

use example_harness::timeline::{
    Recording, Span, Timeline, bars_to_next, check_recorded_timeline, lane, timeline,
};
use example_harness::{
    Program, assert_numbers_letters_interleaved, first_word, group_by_label,
};

const BIN: &str = "thread-numbers-letters";

fn by_thread(output: &str) -> String {
    group_by_label(output, &["Number:", "Letter:"], first_word)
}

/// Who ran when: each `Number: N` line starts a bar in the numbers thread's
/// lane that ends at its next line, the last at the end of the run (the
/// thread sleeps a step after it, and main returns once it is joined); the
/// same for letters; main waits in join from their first line to the end.
fn who_ran_when(title: &'static str) -> impl Fn(&Recording) -> Timeline {
    move |recording| {
        let steps = |label: &str| {
            let mine = |line: &str| first_word(line) == label;
            bars_to_next(recording, |line| mine(line).then(|| line.to_owned()), mine)
        };
        let started = recording.lines[0].at_ms;
        let main = vec![
            Span::busy(0.0, started, "starts"),
            Span::waiting(started, recording.ended_ms, "join"),
        ];
        let lanes = vec![
            lane("numbers thread", 0, steps("Number:")),
            lane("letters thread", 1, steps("Letter:")),
            lane("main", 6, main),
        ];
        let legend = ["a step: from its line to the thread's next", "main, waiting in join"];
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

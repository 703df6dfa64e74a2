//! What process-numbers-letters must print, and what its Python counterpart prints.

use example_harness::timeline::{
    Recording, Timeline, check_recorded_timeline, numbers_letters_lanes, timeline,
};
use example_harness::{
    Program, assert_numbers_letters_interleaved, first_word, group_by_label,
};

const BIN: &str = "process-numbers-letters";

fn by_process(output: &str) -> String {
    group_by_label(output, &["Number:", "Letter:"], first_word)
}

/// Who ran when: a lane per worker process, a bar per step from its line to
/// the process's next, and main waiting in join once the workers print.
fn who_ran_when(title: &'static str) -> impl Fn(&Recording) -> Timeline {
    move |recording| {
        let names = ["numbers process", "letters process", "main"];
        let lanes = numbers_letters_lanes(recording, names);
        let legend =
            ["a step: from its line to the process's next", "main, waiting in join"];
        timeline(title, recording, lanes, legend)
    }
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    let run = program.step_ms(300).run_ok();
    assert_numbers_letters_interleaved(&run.stdout);
}

#[test]
fn both_processes_print_at_once_each_in_order() {
    let program = Program::example(BIN).step_ms(300);
    let run = program.run_ok();
    assert_numbers_letters_interleaved(&run.stdout);
    insta::assert_snapshot!("by_process", by_process(&run.stdout));
    check_recorded_timeline(
        &program,
        "examples-processes/process-numbers-letters/recorded/run.txt",
        by_process,
        &run,
        "book/src/processes/timelines/process-numbers-letters.svg",
        who_ran_when("process-numbers-letters: two Rust worker processes at once"),
    );
}

/// `| head -1`: the worker that writes the second line finds the pipe closed
/// and dies of SIGPIPE; its parent ends the same way instead of reporting a
/// crash, and takes the other worker with it.
#[test]
fn piped_into_head_the_workers_and_the_parent_end_quietly() {
    let run = Program::example(BIN).run_into_head(1);
    assert_eq!(run.lines.len(), 1, "{run:?}");
    run.assert_quiet();
}

#[test]
fn python_processes_interleave_the_same_way() {
    let Some(program) = Program::python("process_numbers_letters.py") else { return };
    let program = program.step_ms(300);
    let run = program.run_ok();
    assert_numbers_letters_interleaved(&run.stdout);
    check_recorded_timeline(
        &program,
        "python/recorded/process_numbers_letters.txt",
        by_process,
        &run,
        "book/src/processes/timelines/process-numbers-letters-python.svg",
        who_ran_when("process_numbers_letters.py: two multiprocessing.Process at once"),
    );
}

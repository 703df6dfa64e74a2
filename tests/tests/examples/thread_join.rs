//! What thread-join must print, and what its Python counterpart prints.

use example_harness::timeline::{
    Recording, Timeline, check_recorded_timeline, foo_bar_lanes, timeline,
};
use example_harness::{
    Program, assert_absent, assert_foo_bar_joined, assert_in_order, check_recorded,
    first_word, group_by_label, without_lines,
};

const BIN: &str = "thread-join";

/// The order of a foo line and a bar line is the scheduler's; each thread's own order is not.
fn by_thread(output: &str) -> String {
    group_by_label(output, &["foo", "bar"], first_word)
}

/// Main's lines are certain; which counting lines squeeze in before the end is
/// not, and a thread stopped in the middle of a `println!` may leave a piece of
/// one ("foo", seen in a test run), so both are dropped.
fn main_lines_only(output: &str) -> String {
    without_lines(output, |line| {
        ["foo ", "bar "].iter().any(|name| {
            name.starts_with(line)
                || line.strip_prefix(name).is_some_and(|step| step.parse::<u32>().is_ok())
        })
    })
}

/// Who ran when: a lane per thread, a bar per step from its line to the
/// thread's next line, and main waiting in join once it has started both,
/// which is as their first lines come.
fn threads_timeline(title: &'static str) -> impl Fn(&Recording) -> Timeline {
    move |recording| {
        let started = recording.lines[0].at_ms;
        let lanes =
            foo_bar_lanes(recording, ["foo thread", "bar thread", "main"], started);
        let legend =
            ["a step: from its line to the thread's next", "main, waiting in join"];
        timeline(title, recording, lanes, legend)
    }
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_foo_bar_joined(&program.run_ok().stdout, 0);
}

#[test]
fn joined_threads_finish_before_their_finish_line() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_foo_bar_joined(&run.stdout, 0);
    insta::assert_snapshot!("with_join", by_thread(&run.stdout));
    check_recorded_timeline(
        &program,
        "examples-threads/thread-join/recorded/with-join.txt",
        by_thread,
        &run,
        "book/src/threads/timelines/thread-join.svg",
        threads_timeline("thread-join: two Rust threads, joined in order"),
    );
}

#[test]
fn without_join_main_returns_and_the_threads_die_with_it() {
    // A step of 5 s: a second counting line would need main to stall that long
    // between starting the threads and returning, so "only step 0" is certain.
    let program = Program::example(BIN).arg("--no-join").step_ms(5_000);
    let run = program.run_ok();
    assert_in_order(&run.stdout, &["foo finish", "bar finish"]);
    assert_absent(&run.stdout, &["foo 1", "foo 2", "bar 1", "bar 2", "bar 3", "bar 4"]);
    insta::assert_snapshot!("without_join", main_lines_only(&run.stdout));
    check_recorded(
        &program,
        "examples-threads/thread-join/recorded/without-join.txt",
        main_lines_only,
        &run,
    );
}

#[test]
fn python_joined_version_prints_the_same() {
    let Some(program) = Program::python("thread_join.py") else {
        return;
    };
    let run = program.run_ok();
    assert_foo_bar_joined(&run.stdout, 0);
    check_recorded_timeline(
        &program,
        "python/recorded/thread_join.txt",
        by_thread,
        &run,
        "book/src/threads/timelines/thread-join-python.svg",
        threads_timeline("thread_join.py: two Python threads, joined in order"),
    );
}

#[test]
fn python_without_join_still_waits_for_its_threads() {
    let Some(program) = Program::python("thread_join.py") else {
        return;
    };
    // A step of 300 ms: main prints its finish lines at once, long before bar's
    // fifth line 1.2 s later, so that order is certain even on a busy machine.
    let program = program.arg("--no-join").step_ms(300);
    let run = program.run_ok();
    // The finish lines come early, yet both threads count to the end.
    assert_in_order(&run.stdout, &["foo finish", "bar finish", "bar 4"]);
    assert_in_order(&run.stdout, &["foo 0", "foo 1", "foo 2"]);
    assert_in_order(&run.stdout, &["bar 0", "bar 1", "bar 2", "bar 3", "bar 4"]);
    check_recorded(
        &program,
        "python/recorded/thread_join_no_join.txt",
        main_lines_only,
        &run,
    );
}

#[test]
fn main_lines_survive_and_cut_off_counting_lines_are_dropped() {
    let output = "foo 0\nfoo finish\nbar finish\nbar 0\nfoo";
    assert_eq!(main_lines_only(output), "foo finish\nbar finish\n");
}

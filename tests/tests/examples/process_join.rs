//! What process-join must print, and what its Python counterpart prints.

use example_harness::timeline::{
    Recording, Timeline, check_recorded_timeline, foo_bar_lanes, timeline,
};
use example_harness::{
    Program, assert_foo_bar_joined, first_word, group_by_label, pids, redact_pids,
};

const BIN: &str = "process-join";

/// As with threads, foo's and bar's lines interleave as the scheduler pleases,
/// so lines are grouped: the PID lines, then each worker's.
fn by_process(output: &str) -> String {
    redact_pids(&group_by_label(output, &["pids", "foo", "bar"], pid_line_or_worker))
}

fn pid_line_or_worker(line: &str) -> &str {
    if line.contains(" pid ") { "pids" } else { first_word(line) }
}

/// Three processes, three different PIDs, and the parent's comes first.
fn assert_three_processes(output: &str) {
    let found = pids(output);
    assert_eq!(found.len(), 3, "the main PID, then foo's and bar's:\n{output}");
    assert!(
        found[0] != found[1] && found[0] != found[2] && found[1] != found[2],
        "{output}"
    );
}

/// Who ran when: a lane per process, named with the PID it printed; a bar
/// per step from its line to the process's next; main starting the two
/// processes until it prints their PIDs, then waiting in join.
fn who_ran_when(title: &'static str) -> impl Fn(&Recording) -> Timeline {
    move |recording| {
        let text: String =
            recording.lines.iter().map(|a| format!("{}\n", a.line)).collect();
        let [main_pid, foo_pid, bar_pid] = pids(&text)[..] else {
            panic!("three PIDs in\n{text}")
        };
        let started = recording.time_of(|line| line.starts_with("foo runs in pid"));
        let names = [
            &format!("foo, pid {foo_pid}"),
            &format!("bar, pid {bar_pid}"),
            &format!("main, pid {main_pid}"),
        ];
        let lanes = foo_bar_lanes(
            recording,
            names.map(String::as_str),
            started.expect("the PIDs"),
        );
        let legend =
            ["a step: from its line to the process's next", "main, waiting in join"];
        timeline(title, recording, lanes, legend)
    }
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    let run = program.run_ok();
    assert_three_processes(&run.stdout);
    assert_foo_bar_joined(&run.stdout, 2);
}

#[test]
fn each_process_has_its_own_pid_and_is_joined() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_three_processes(&run.stdout);
    assert_foo_bar_joined(&run.stdout, 2);
    insta::assert_snapshot!("by_process", by_process(&run.stdout));
    check_recorded_timeline(
        &program,
        "examples-processes/process-join/recorded/run.txt",
        by_process,
        &run,
        "book/src/processes/timelines/process-join.svg",
        who_ran_when("process-join: two worker processes, joined in order"),
    );
}

#[test]
fn python_processes_print_the_same() {
    let Some(program) = Program::python("process_join.py") else { return };
    let run = program.run_ok();
    assert_three_processes(&run.stdout);
    assert_foo_bar_joined(&run.stdout, 2);
    check_recorded_timeline(
        &program,
        "python/recorded/process_join.txt",
        by_process,
        &run,
        "book/src/processes/timelines/process-join-python.svg",
        who_ran_when("process_join.py: two multiprocessing.Process, joined in order"),
    );
}

#[test]
fn the_worker_role_cannot_be_started_by_hand() {
    let run = Program::example(BIN).arg("--worker").arg("count").run();
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("not by hand"), "{}", run.stderr);
}

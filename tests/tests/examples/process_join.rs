//! What process-join must print, and what its Python counterpart prints.

use example_harness::{
    Program, assert_foo_bar_joined, check_recorded, first_word, group_by_label, pids,
    redact_pids,
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
    check_recorded(
        &program,
        "examples-processes/process-join/recorded/run.txt",
        by_process,
        &run,
    );
}

#[test]
fn python_processes_print_the_same() {
    let Some(program) = Program::python("process_join.py") else { return };
    let run = program.run_ok();
    assert_three_processes(&run.stdout);
    assert_foo_bar_joined(&run.stdout, 2);
    check_recorded(&program, "python/recorded/process_join.txt", by_process, &run);
}

#[test]
fn the_worker_role_cannot_be_started_by_hand() {
    let run = Program::example(BIN).arg("--worker").arg("count").run();
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("not by hand"), "{}", run.stderr);
}

//! What process-shared-result must print, and what its Python counterpart prints.

use example_harness::{
    Program, assert_absent, assert_in_order, check_recorded, pids, redact_pids,
};

const BIN: &str = "process-shared-result";

/// Every line waits for the one before it (the parent waits for each child),
/// so only the PIDs change from run to run.
fn without_pids(output: &str) -> String {
    redact_pids(output)
}

/// Three processes: the parent, then the two children, each named twice (by
/// itself, and by the parent that waited for it, in part one).
fn assert_three_processes(output: &str) {
    let found = pids(output);
    assert_eq!(found.len(), 4, "parent, child, the same child, second child:\n{output}");
    let (parent, first_child, second_child) = (found[0], found[1], found[3]);
    assert_eq!(
        found[2], first_child,
        "the parent names the child it waited for:\n{output}"
    );
    assert!(parent != first_child && parent != second_child, "{output}");
    assert!(first_child != second_child, "{output}");
}

/// What both versions guarantee, given how each writes the result.
fn assert_lesson(output: &str, set_result: &str) {
    let redacted = redact_pids(output);
    assert_in_order(
        &redacted,
        &[
            "parent: pid [PID], result is None",
            &format!("child: pid [PID], set result to {set_result}"),
            "parent: child pid [PID] has exited; result is still None",
            "child: pid [PID], sending 49 through the pipe",
            "parent: received 49 from the pipe",
        ],
    );
    assert_eq!(redacted.lines().count(), 5, "{output}");
    assert_three_processes(output);
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_lesson(&program.run_ok().stdout, "Some(49)");
}

#[test]
fn the_child_sets_its_own_copy_and_the_pipe_brings_the_result_back() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_lesson(&run.stdout, "Some(49)");
    insta::assert_snapshot!("run", without_pids(&run.stdout));
    check_recorded(
        &program,
        "examples-processes/process-shared-result/recorded/run.txt",
        without_pids,
        &run,
    );
}

#[test]
fn a_child_that_panics_is_reported_not_waited_for_forever() {
    let run = Program::example(BIN).arg("--child-panics").run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains(" exited with code 101"), "{}", run.stderr);
    assert!(run.stderr.contains("Error: child pid "), "{}", run.stderr);
    assert!(
        run.stderr.contains("the child crashed before it sent its result"),
        "{}",
        run.stderr
    );
    // Part one still ran; part two stopped at the crash.
    let redacted = redact_pids(&run.stdout);
    assert_in_order(
        &redacted,
        &["parent: child pid [PID] has exited; result is still None"],
    );
    assert_absent(
        &redacted,
        &[
            "child: pid [PID], sending 49 through the pipe",
            "parent: received 49 from the pipe",
        ],
    );
}

/// `| head -1`: the parent's first line gets through; whichever process
/// writes next, a child or the parent, finds the pipe closed and ends by
/// SIGPIPE, and the parent, seeing its child end that way, ends quietly too.
#[test]
fn piped_into_head_the_children_and_the_parent_end_quietly() {
    let run = Program::example(BIN).run_into_head(1);
    assert_eq!(run.lines.len(), 1, "{run:?}");
    run.assert_quiet();
}

#[test]
fn python_child_sets_its_own_global_and_the_pipe_brings_the_result_back() {
    let Some(program) = Program::python("process_shared_result.py") else {
        return;
    };
    let run = program.run_ok();
    assert_lesson(&run.stdout, "49");
    check_recorded(
        &program,
        "python/recorded/process_shared_result.txt",
        without_pids,
        &run,
    );
}

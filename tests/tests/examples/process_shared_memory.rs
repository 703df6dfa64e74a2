//! What process-shared-memory must print, and what its Python counterpart prints.

use example_harness::{Program, assert_in_order, check_recorded, group_by_label};

const BIN: &str = "process-shared-memory";
const CHILDREN: [&str; 4] = ["child 0", "child 1", "child 2", "child 3"];

/// The children run at the same time, so the order of their lines is the
/// scheduler's: group them by child. The parent's lines come last anyway.
fn by_process(output: &str) -> String {
    group_by_label(output, &CHILDREN, |line| line.split(':').next().unwrap_or(""))
}

/// Exact totals, whatever the interleaving: child n makes (n + 1) * `adds`
/// additions, and the parent prints only after every child has exited.
fn assert_exact_totals(output: &str, adds: u64) {
    let mut totals = [0; CHILDREN.len()];
    for (number, total) in totals.iter_mut().enumerate() {
        *total = (number as u64 + 1) * adds;
    }
    let sum: u64 = totals.iter().sum();
    let shared = format!("parent: shared counter {sum}, shared slots {totals:?}");
    let plain = "parent: plain counter 0, plain slots [0, 0, 0, 0]";
    for (number, total) in totals.into_iter().enumerate() {
        let mut own_copy = [0; CHILDREN.len()];
        own_copy[number] = total;
        let child = format!(
            "child {number}: {total} additions; plain counter {total}, plain slots {own_copy:?}"
        );
        assert_in_order(output, &[child.as_str(), shared.as_str(), plain]);
    }
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), CHILDREN.len() + 2, "{output}");
    assert_eq!(lines[CHILDREN.len()..], [shared.as_str(), plain], "{output}");
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_exact_totals(&program.run_ok().stdout, 100_000);
}

#[test]
fn atomics_in_shared_memory_add_up_and_plain_copies_do_not() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_exact_totals(&run.stdout, 100_000);
    insta::assert_snapshot!("by_process", by_process(&run.stdout));
    check_recorded(
        &program,
        "examples-processes/process-shared-memory/recorded/run.txt",
        by_process,
        &run,
    );
}

/// `| head -1`: the first child's line gets through, the next child to print
/// dies of SIGPIPE, and the parent, seeing it end so, ends quietly too.
#[test]
fn piped_into_head_the_children_and_the_parent_end_quietly() {
    let run = Program::example(BIN).run_into_head(1);
    assert_eq!(run.lines.len(), 1, "{run:?}");
    run.assert_quiet();
}

#[test]
fn python_value_and_array_add_up_and_plain_globals_do_not() {
    let Some(program) = Program::python("process_shared_memory.py") else {
        return;
    };
    let run = program.run_ok();
    assert_exact_totals(&run.stdout, 10_000);
    check_recorded(
        &program,
        "python/recorded/process_shared_memory.txt",
        by_process,
        &run,
    );
}

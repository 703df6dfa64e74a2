//! What thread-shared-result must print, and what its Python counterpart prints.

use example_harness::{Program, assert_in_order, check_recorded};

const BIN: &str = "thread-shared-result";

/// Nothing here depends on the scheduler: every fix joins before it prints.
fn as_printed(output: &str) -> String {
    output.to_owned()
}

/// Each of the three fixes hands back 49 and 2401, and nothing else is printed.
const EVERY_FIX_AGREES: &str = "\
The square and the fourth power of 7, three ways:
join handle:    (49, 2401)
scoped threads: (49, 2401)
Arc<Mutex<_>>:  (49, 2401)
";

fn assert_every_fix_agrees(output: &str) {
    assert_eq!(output, EVERY_FIX_AGREES);
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_every_fix_agrees(&program.run_ok().stdout);
}

#[test]
fn every_fix_hands_the_result_back() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_every_fix_agrees(&run.stdout);
    insta::assert_snapshot!("fixes", run.stdout);
    check_recorded(
        &program,
        "examples-threads/thread-shared-result/recorded/run.txt",
        as_printed,
        &run,
    );
}

#[test]
fn python_thread_sets_a_local_unless_it_says_global() {
    let Some(program) = Program::python("thread_shared_result.py") else {
        return;
    };
    let run = program.run_ok();
    assert_in_order(
        &run.stdout,
        &[
            "result after a thread assigned it: None",
            "result after a thread assigned it as a global: 49",
            "result returned through a queue: 49",
        ],
    );
    check_recorded(
        &program,
        "python/recorded/thread_shared_result.txt",
        as_printed,
        &run,
    );
}

//! What pool-thread-map must print, and what its Python counterpart prints.

use example_harness::{Program, check_recorded};

const BIN: &str = "pool-thread-map";

/// The whole output, the same in every version and on every run: `map` keeps
/// input order whatever order the jobs finish in.
const EXPECTED: &str = "[1, 4, 9, 16, 25, 36, 49, 64, 81, 100]\nFinish\n";

/// Nothing here depends on the scheduler, so the output is compared as it is.
fn as_printed(output: &str) -> String {
    output.to_owned()
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_eq!(program.run_ok().stdout, EXPECTED);
    assert_eq!(program.arg("--rayon").run_ok().stdout, EXPECTED);
}

#[test]
fn threadpool_map_keeps_input_order() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_eq!(run.stdout, EXPECTED);
    insta::assert_snapshot!("threadpool", run.stdout);
    check_recorded(
        &program,
        "examples-pools/pool-thread-map/recorded/threadpool.txt",
        as_printed,
        &run,
    );
}

#[test]
fn rayon_collect_keeps_input_order() {
    let program = Program::example(BIN).arg("--rayon");
    let run = program.run_ok();
    assert_eq!(run.stdout, EXPECTED);
    insta::assert_snapshot!("rayon", run.stdout);
    check_recorded(
        &program,
        "examples-pools/pool-thread-map/recorded/rayon.txt",
        as_printed,
        &run,
    );
}

#[test]
fn order_is_kept_when_the_jobs_finish_in_any_order() {
    // With no sleep at all, which job ends first is entirely the scheduler's
    // choice, run after run; the printed list must not change.
    for program in [Program::example(BIN), Program::example(BIN).arg("--rayon")] {
        for _ in 0..5 {
            assert_eq!(program.clone().step_ms(0).run_ok().stdout, EXPECTED);
        }
    }
}

#[test]
fn python_thread_pool_executor_prints_the_same() {
    let Some(program) = Program::python("pool_thread_map.py") else {
        return;
    };
    let run = program.run_ok();
    assert_eq!(run.stdout, EXPECTED);
    check_recorded(&program, "python/recorded/pool_thread_map.txt", as_printed, &run);
}

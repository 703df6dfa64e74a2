//! What pool-process-map must print, and what its Python counterpart prints.

use example_harness::{Program, check_recorded};

const BIN: &str = "pool-process-map";
const EXPECTED: &str = "[1, 4, 9, 16, 25, 36, 49, 64, 81, 100]\nFinish\n";

/// Nothing to normalize: `map` returns results in input order, whoever finished first.
fn as_printed(output: &str) -> String {
    output.to_owned()
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_eq!(program.run_ok().stdout, EXPECTED);
}

#[test]
fn the_process_pool_returns_squares_in_input_order() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_eq!(run.stdout, EXPECTED);
    check_recorded(
        &program,
        "examples-pools/pool-process-map/recorded/run.txt",
        as_printed,
        &run,
    );
}

#[test]
fn the_workers_take_the_step_of_the_parent_whatever_set_it() {
    // The workers read the step from their environment. Given on the command
    // line, it must reach them too: were they to sleep STEP_MS's minute per
    // job instead, the run would take two minutes and be killed as hung.
    let program = Program::example(BIN).arg("--step-ms").arg("0").step_ms(60_000);
    assert_eq!(program.run_ok().stdout, EXPECTED);
}

#[test]
fn a_bad_step_is_refused_once_before_any_worker_starts() {
    let run = Program::example(BIN).env("STEP_MS", "soon").run();
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(run.stderr.matches("invalid value 'soon'").count(), 1, "{}", run.stderr);
    assert!(!run.stderr.contains("worker"), "a worker was started:\n{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn python_process_pool_prints_the_same() {
    let Some(program) = Program::python("pool_process_map.py") else { return };
    let run = program.run_ok();
    assert_eq!(run.stdout, EXPECTED);
    check_recorded(&program, "python/recorded/pool_process_map.txt", as_printed, &run);
}

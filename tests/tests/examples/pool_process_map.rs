//! What pool-process-map must print, and what its Python counterpart prints.

use example_harness::{Program, check_recorded};

const BIN: &str = "pool-process-map";
const EXPECTED: &str = "[1, 4, 9, 16, 25, 36, 49, 64, 81, 100]\nFinish\n";

/// Nothing to normalize: `map` returns results in input order, whoever finished first.
fn as_printed(output: &str) -> String {
    output.to_owned()
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
fn python_process_pool_prints_the_same() {
    let Some(program) = Program::python("pool_process_map.py") else { return };
    let run = program.run_ok();
    assert_eq!(run.stdout, EXPECTED);
    check_recorded(&program, "python/recorded/pool_process_map.txt", as_printed, &run);
}

#[test]
fn a_malformed_step_is_refused_once() {
    let run = Program::example(BIN).env("STEP_MS", "soon").run();
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr.matches("whole number of milliseconds").count(),
        1,
        "{}",
        run.stderr
    );
}

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
    for args in [&[][..], &["--rayon"]] {
        for _ in 0..5 {
            let program =
                args.iter().fold(Program::example(BIN), |program, arg| program.arg(arg));
            assert_eq!(program.step_ms(0).run_ok().stdout, EXPECTED, "{args:?}");
        }
    }
}

#[test]
fn bad_arguments_are_refused_with_usage() {
    for args in [&["--bogus"][..], &["--rayon", "--rayon"], &["rayon"]] {
        let run = args
            .iter()
            .fold(Program::example(BIN), |program, arg| program.arg(arg))
            .run();
        assert_eq!(run.code, Some(2), "{args:?}");
        assert!(run.stderr.contains("usage: pool-thread-map [--rayon]"), "{args:?}");
        assert!(run.stdout.is_empty(), "{args:?}: nothing runs");
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

//! What pool-build-your-own must print, and what its Python counterpart prints.
//!
//! Every job says it has started, then waits at a gate that main opens only
//! after counting: main waits for the first start, then a step at most for
//! each further one. With the lock held across the job, no second job can
//! start while the first waits at its gate, so "at most 1" is certain. With
//! the lock let go, 4 jobs at once is certain as soon as each of 4 threads
//! gets a job within a step of the one before; these runs make the step 5 s,
//! which costs nothing (main stops waiting once 4 have started) and leaves the
//! scheduler five seconds to start each thread. The Python version counts
//! with a Condition instead, and the same step.

use example_harness::{Program, check_recorded};

const BIN: &str = "pool-build-your-own";

/// A step long enough that only a lock can keep four jobs from running together.
const GENEROUS_STEP_MS: u64 = 5_000;

const RELEASED: &str = "\
8 jobs for 4 workers; --hold-lock: false
at most 4 at once; 8 of 8 done when the pool was dropped
";

const HELD: &str = "\
8 jobs for 4 workers; --hold-lock: true
at most 1 at once; 8 of 8 done when the pool was dropped
";

/// Nothing here depends on the scheduler, so the output is compared as it is.
fn as_printed(output: &str) -> String {
    output.to_owned()
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_eq!(program.step_ms(GENEROUS_STEP_MS).run_ok().stdout, RELEASED);
}

#[test]
fn workers_that_let_go_of_the_lock_run_four_jobs_at_once() {
    let program = Program::example(BIN).step_ms(GENEROUS_STEP_MS);
    let run = program.run_ok();
    assert_eq!(run.stdout, RELEASED);
    insta::assert_snapshot!("released", run.stdout);
    check_recorded(
        &program,
        "examples-pools/pool-build-your-own/recorded/released.txt",
        as_printed,
        &run,
    );
}

#[test]
fn workers_that_hold_the_lock_run_one_job_at_a_time() {
    let program = Program::example(BIN).arg("--hold-lock");
    let run = program.run_ok();
    assert_eq!(run.stdout, HELD);
    insta::assert_snapshot!("held", run.stdout);
    check_recorded(
        &program,
        "examples-pools/pool-build-your-own/recorded/held.txt",
        as_printed,
        &run,
    );
}

#[test]
fn python_pool_runs_four_at_once_and_one_with_the_lock_held() {
    let Some(program) = Program::python("pool_build_your_own.py") else {
        return;
    };
    let shut_down = |output: &str| output.replace("was dropped", "was shut down");
    let released = program.clone().step_ms(GENEROUS_STEP_MS);
    let run = released.run_ok();
    assert_eq!(run.stdout, shut_down(RELEASED));
    check_recorded(
        &released,
        "python/recorded/pool_build_your_own.txt",
        as_printed,
        &run,
    );
    let held = program.arg("--hold-lock");
    let run = held.run_ok();
    assert_eq!(run.stdout, shut_down(HELD));
    check_recorded(
        &held,
        "python/recorded/pool_build_your_own_hold_lock.txt",
        as_printed,
        &run,
    );
}

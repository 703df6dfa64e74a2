//! What thread-timeouts and its wait and cancel programs must print, and what
//! their Python counterpart prints.
//!
//! Every wait that gives up is certain to: the job it waits for is held at a
//! gate that main opens only afterwards. Every wait that succeeds is certain
//! to as well: the quick job is joined before the deadline starts, and the
//! select prefers a result to the deadline. So the whole output is asserted.

use example_harness::{Program, check_recorded};

const BIN: &str = "thread-timeouts";
const WAIT_BIN: &str = "thread-timeouts-wait";
const CANCEL_BIN: &str = "thread-timeouts-cancel";

const JOIN: &str = "\
join: after a step, Err(Timeout); finished: false
join: the answer is 42
get: Err(Disconnected) at once, not after a step
";

const WAIT: &str = "\
wait: quick is done: 4
wait: not done at the deadline: [\"slow\"]
";

/// One worker: job 1 runs until main has cancelled, so jobs 2 to 4 are still
/// queued then, and the worker reaches them only afterwards, in queue order.
const CANCELS: &str = "\
worker: job 1 started
main: cancel job 1: false
main: cancel job 3: true
main: shutting down, cancelled [2, 3, 4]
worker: job 1 finished
worker: job 2 was cancelled, skipping it
worker: job 3 was cancelled, skipping it
worker: job 4 was cancelled, skipping it
";

/// Nothing here depends on the scheduler, so the output is compared as it is.
fn as_printed(output: &str) -> String {
    output.to_owned()
}

/// What the take-away test checks on a copy built outside the workspace:
/// all three programs.
pub fn check_copy(program: Program) {
    assert_eq!(program.sibling(WAIT_BIN).run_ok().stdout, WAIT);
    assert_eq!(program.sibling(CANCEL_BIN).run_ok().stdout, CANCELS);
    assert_eq!(program.run_ok().stdout, JOIN);
}

#[test]
fn the_join_gives_up_at_its_deadline_and_the_work_goes_on() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_eq!(run.stdout, JOIN);
    insta::assert_snapshot!("join", run.stdout);
    check_recorded(
        &program,
        "examples-threads/thread-timeouts/recorded/join.txt",
        as_printed,
        &run,
    );
}

#[test]
fn the_wait_for_two_jobs_gives_up_on_the_slow_one_only() {
    let program = Program::example(WAIT_BIN);
    let run = program.run_ok();
    assert_eq!(run.stdout, WAIT);
    insta::assert_snapshot!("wait", run.stdout);
    check_recorded(
        &program,
        "examples-threads/thread-timeouts/recorded/wait.txt",
        as_printed,
        &run,
    );
}

#[test]
fn queued_jobs_are_cancelled_and_the_running_one_is_not() {
    let program = Program::example(CANCEL_BIN);
    let run = program.run_ok();
    assert_eq!(run.stdout, CANCELS);
    insta::assert_snapshot!("cancels", run.stdout);
    check_recorded(
        &program,
        "examples-threads/thread-timeouts/recorded/cancel.txt",
        as_printed,
        &run,
    );
}

#[test]
fn python_waits_give_up_and_the_threads_go_on() {
    let Some(program) = Program::python("thread_timeouts.py") else {
        return;
    };
    let run = program.run_ok();
    assert_eq!(
        run.stdout,
        "join: after a step, alive: True\n\
         join: the answer is 42\n\
         get: queue.Empty, after the whole step\n\
         wait: quick is done: 4\n\
         wait: not done at the deadline: ['slow']\n"
    );
    check_recorded(&program, "python/recorded/thread_timeouts.txt", as_printed, &run);
}

#[test]
fn python_cancels_queued_futures_and_not_the_running_one() {
    let Some(program) = Program::python("thread_timeouts.py") else {
        return;
    };
    let program = program.arg("--cancel");
    let run = program.run_ok();
    // The executor drops cancelled jobs without a word, so the worker says less.
    assert_eq!(
        run.stdout,
        "worker: job 1 started\n\
         main: cancel job 1: False\n\
         main: cancel job 3: True\n\
         main: shut down, cancelled [2, 3, 4]\n\
         worker: job 1 finished\n"
    );
    check_recorded(
        &program,
        "python/recorded/thread_timeouts_cancel.txt",
        as_printed,
        &run,
    );
}

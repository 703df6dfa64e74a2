//! What sync-deadlock must print, and what its Python counterpart prints.

use example_harness::{Program, check_recorded};

const BIN: &str = "sync-deadlock";

/// The threads of one phase print in the order the scheduler picks; each run
/// of consecutive "thread ..." lines is sorted, and every other line stays.
fn settled(output: &str) -> String {
    let mut settled = Vec::new();
    let mut threads: Vec<&str> = Vec::new();
    for line in output.lines().chain([""]) {
        if line.starts_with("thread ") {
            threads.push(line);
            continue;
        }
        threads.sort();
        settled.append(&mut threads);
        settled.push(line);
    }
    settled.pop(); // the "" that ended the last run
    settled.iter().map(|line| format!("{line}\n")).collect()
}

/// Everything the Rust program guarantees, and so all of its output once the
/// two pairs of thread lines are sorted: each thread holds its first lock
/// before the watchdog speaks (it waits for both to say so), the report names
/// both waits in a fixed order, and the fix runs only after it, to the end.
const RUST_SETTLED: &str = "\
Two threads, two locks, taken in opposite orders:
thread 1 took A
thread 2 took B
watchdog: neither thread has moved on, a deadlock:
  thread 1 holds A and waits for B
  thread 2 holds B and waits for A
Both stay blocked until main returns: nothing can take a lock away.
The fix, one order for every thread:
thread 1 took A and B
thread 2 took A and B
both threads finished
";

fn assert_deadlock_reported_then_fixed(program: &Program) -> example_harness::Run {
    let run = program.run_ok();
    assert_eq!(settled(&run.stdout), RUST_SETTLED, "--- as printed\n{}", run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    run
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_deadlock_reported_then_fixed(&program);
}

#[test]
fn the_deadlock_happens_every_run_is_reported_and_the_fix_runs_to_the_end() {
    let program = Program::example(BIN);
    let run = assert_deadlock_reported_then_fixed(&program);
    insta::assert_snapshot!("settled", settled(&run.stdout));
    check_recorded(
        &program,
        "examples-sync/sync-deadlock/recorded/deadlock.txt",
        settled,
        &run,
    );
}

#[test]
fn the_report_is_right_even_when_the_watchdog_does_not_wait() {
    // The barrier, not the watchdog's patience, makes the deadlock: with none
    // at all the report says the same, every time.
    let program = Program::example(BIN).step_ms(0);
    for _ in 0..5 {
        assert_deadlock_reported_then_fixed(&program);
    }
}

#[test]
fn relocking_a_held_mutex_would_block_and_passing_the_data_on_does_not() {
    let run = Program::example("relock").run_ok();
    assert_eq!(
        run.stdout,
        "asked again by its holder: WouldBlock\n\
         add_entry, handed the guarded data: 2 entries\n\
         asked once the guard is dropped: Ok(2)\n"
    );
    check_recorded(
        &Program::example("relock"),
        "examples-sync/sync-deadlock/recorded/relock.txt",
        |output| output.to_owned(),
        &run,
    );
}

#[test]
fn python_threads_give_up_with_a_timeout_and_the_fix_runs_to_the_end() {
    let Some(program) = Program::python("sync_deadlock.py") else { return };
    let run = program.run_ok();
    // Both took their first lock before either gave up: the barrier.
    let lines = run.lines();
    let took = |line: &&str| line.ends_with(" took A") || line.ends_with(" took B");
    assert!(lines[1..3].iter().all(took), "{}", run.stdout);
    assert_eq!(
        settled(&run.stdout),
        "\
Two threads, two locks, taken in opposite orders:
thread 1 holds A and waits for B: gave up
thread 1 took A
thread 2 holds B and waits for A: gave up
thread 2 took B
Both gave up and let go, so the program goes on.
The fix, one order for every thread:
thread 1 took A and B
thread 2 took A and B
both threads finished
",
        "--- as printed\n{}",
        run.stdout
    );
    check_recorded(&program, "python/recorded/sync_deadlock.txt", settled, &run);
}

#[test]
fn python_lock_waits_for_its_own_holder_and_rlock_does_not() {
    let Some(program) = Program::python("sync_deadlock.py") else { return };
    let program = program.arg("--relock");
    let run = program.run_ok();
    assert_eq!(
        run.stdout,
        "Lock, acquired again by its holder: False\n\
         RLock, acquired again by its holder: True\n"
    );
    check_recorded(
        &program,
        "python/recorded/sync_deadlock_relock.txt",
        |output| output.to_owned(),
        &run,
    );
}

#[test]
fn settled_sorts_each_run_of_thread_lines_and_keeps_the_rest() {
    let output = "head\nthread 2 b\nthread 1 a\nmiddle\nthread 2 c\nthread 1 d\nend\n";
    assert_eq!(
        settled(output),
        "head\nthread 1 a\nthread 2 b\nmiddle\nthread 1 d\nthread 2 c\nend\n"
    );
    assert_eq!(settled("thread 2\nthread 1\n"), "thread 1\nthread 2\n");
}

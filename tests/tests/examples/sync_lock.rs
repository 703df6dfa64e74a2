//! What sync-lock and its poisoned program must print, and what their Python
//! counterpart prints.

use example_harness::{Program, Run, check_recorded, group_by_label};

const BIN: &str = "sync-lock";
const POISONED_BIN: &str = "sync-lock-poisoned";

const WORKERS: [&str; 4] = ["thread 1", "thread 2", "thread 3", "thread 4"];

/// "thread 2" for "thread 2: has the lock", "main" for main's lines.
fn label(line: &str) -> &str {
    line.split_once(':').map_or(line, |(label, _)| label)
}

/// Which thread got the lock first is the scheduler's choice; what each did is not.
fn by_thread(output: &str) -> String {
    group_by_label(output, &WORKERS, label)
}

/// The lock's promise: a thread's two lines are never split by another thread's,
/// and each of the four threads has its turn exactly once, before main goes on.
fn assert_turns_are_whole(output: &str) {
    let lines: Vec<&str> = output.lines().collect();
    let turns: Vec<&str> =
        lines.iter().take_while(|l| label(l) != "main").copied().collect();
    assert_eq!(turns.len(), 2 * WORKERS.len(), "{output}");
    for pair in turns.chunks(2) {
        let worker = label(pair[0]);
        assert_eq!(pair[0], format!("{worker}: has the lock"), "{output}");
        assert!(pair[1].starts_with(&format!("{worker}: done, ")), "{output}");
    }
    for worker in WORKERS {
        let count = turns.iter().filter(|l| label(l) == worker).count();
        assert_eq!(count, 2, "{worker} must have exactly one turn\n{output}");
    }
}

/// The turns, then main's line: four entries.
fn assert_turns_then_count(output: &str) {
    assert_turns_are_whole(output);
    let main_lines: Vec<&str> = output.lines().skip(8).collect();
    assert_eq!(main_lines, ["main: the log has 4 entries, one per thread"], "{output}");
}

/// After the panic: join is an Err, the lock free at once but poisoned, and
/// the half-done update recovered. The panic's message is on stderr, from the
/// default panic hook.
fn assert_released_but_poisoned(run: &Run) {
    assert_eq!(
        run.stdout,
        "main: the log has 1 entry; a worker thread starts an update\n\
         main: the worker panicked: true\n\
         main: lock() returned at once; poisoned: true\n\
         main: recovered 2 entries; the last one is:\n\
         main:   \"update by the worker: started\"\n"
    );
    assert!(
        run.stderr.contains("the worker failed halfway through its update"),
        "{}",
        run.stderr
    );
}

/// What the take-away test checks on a copy built outside the workspace:
/// both programs.
pub fn check_copy(program: Program) {
    assert_released_but_poisoned(&program.sibling(POISONED_BIN).run_ok());
    assert_turns_then_count(&program.run_ok().stdout);
}

#[test]
fn threads_take_turns_with_the_lock() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_turns_then_count(&run.stdout);
    insta::assert_snapshot!("run", by_thread(&run.stdout));
    check_recorded(&program, "examples-sync/sync-lock/recorded/run.txt", by_thread, &run);
}

#[test]
fn a_panic_releases_but_poisons_the_lock() {
    let program = Program::example(POISONED_BIN);
    let run = program.run_ok();
    assert_released_but_poisoned(&run);
    check_recorded(
        &program,
        "examples-sync/sync-lock/recorded/poisoned.txt",
        |output| output.to_owned(),
        &run,
    );
}

#[test]
fn python_releases_the_lock_on_an_exception_and_does_not_poison_it() {
    let Some(program) = Program::python("sync_lock.py") else {
        return;
    };
    let run = program.run_ok();
    assert_turns_are_whole(&run.stdout);
    let main_lines: Vec<&str> = run.lines().into_iter().skip(8).collect();
    assert_eq!(
        main_lines,
        [
            "main: the log has 4 entries, one per thread",
            "main: thread 5 raised; join returned as usual",
            "main: lock.locked() is False",
            "main: took the lock again; 5 entries, the last one is:",
            "main:   'update by thread 5: started'",
        ],
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("Exception in thread thread 5"), "{}", run.stderr);
    assert!(
        run.stderr.contains("RuntimeError: thread 5 failed halfway through its update"),
        "{}",
        run.stderr
    );
    check_recorded(&program, "python/recorded/sync_lock.txt", by_thread, &run);
}

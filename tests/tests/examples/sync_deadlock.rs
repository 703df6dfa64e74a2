//! What sync-deadlock and its fixed and relock programs must print, and what
//! their Python counterpart prints.

use example_harness::timeline::{
    Recording, Span, Timeline, check_recorded_timeline, lane, timeline,
};
use example_harness::{Program, Run, check_recorded};

const BIN: &str = "sync-deadlock";
const FIXED_BIN: &str = "sync-deadlock-fixed";
const RELOCK_BIN: &str = "sync-deadlock-relock";

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

/// Everything the deadlocked program guarantees, and so all of its output once
/// the pair of thread lines is sorted: each thread prints its line while it
/// holds its first lock, before the barrier that main waits at too, and after
/// the barrier neither can finish, so main's report comes after both and no
/// thread prints again.
const DEADLOCK_SETTLED: &str = "\
Two threads, two locks, taken in opposite orders:
thread 1 holds A and waits for B
thread 2 holds B and waits for A
main: neither thread has finished: a deadlock
main: returning ends the process, and the blocked threads with it
";

/// The fix: both threads take both locks, whichever goes first, then main ends.
const FIXED_SETTLED: &str = "\
thread 1 took A and B
thread 2 took A and B
both threads finished
";

const RELOCK: &str = "\
asked again by its holder: WouldBlock
add_entry, handed the guarded data: 2 entries
asked once the guard is dropped: Ok(2)
";

fn assert_settles_to(program: &Program, expected: &str) -> Run {
    let run = program.run_ok();
    assert_eq!(settled(&run.stdout), expected, "--- as printed\n{}", run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    run
}

/// What the take-away test checks on a copy built outside the workspace:
/// all three programs.
pub fn check_copy(program: Program) {
    assert_settles_to(&program.sibling(FIXED_BIN), FIXED_SETTLED);
    assert_eq!(program.sibling(RELOCK_BIN).run_ok().stdout, RELOCK);
    assert_settles_to(&program, DEADLOCK_SETTLED);
}

#[test]
fn the_deadlock_happens_every_run_and_is_reported() {
    let program = Program::example(BIN);
    let run = assert_settles_to(&program, DEADLOCK_SETTLED);
    insta::assert_snapshot!("settled", settled(&run.stdout));
    check_recorded_timeline(
        &program,
        "examples-sync/sync-deadlock/recorded/deadlock.txt",
        settled,
        &run,
        "book/src/sync/timelines/sync-deadlock.svg",
        deadlock_timeline,
    );
}

/// When the first line that starts with `start` arrived.
fn time_of_line(recording: &Recording, start: &str) -> f64 {
    recording
        .time_of(|line| line.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?}"))
}

/// Each thread takes its first lock as it prints its line, and from then on
/// waits for its second, until the process ends. Main waits at the barrier
/// for both, gives them a step, and reports; it returns at its last line.
fn deadlock_timeline(recording: &Recording) -> Timeline {
    let at = |start: &str| time_of_line(recording, start);
    let end = recording.ended_ms;
    let thread = |who: &str, first: &str, second: &str| {
        let took = at(&format!("{who} holds"));
        let waits = format!("holds {first}, waits for {second} for ever");
        vec![Span::busy(took, took, first), Span::waiting(took, end, waits)]
    };
    let both_hold = at("thread 1").max(at("thread 2"));
    let reported = at("main: neither");
    let main = vec![
        Span::busy(0.0, at("Two threads"), "starts"),
        Span::waiting(at("Two threads"), both_hold, "barrier"),
        Span::waiting(both_hold, reported, "gives them a step"),
        Span::busy(reported, at("main: returning"), "reports"),
    ];
    let title = "sync-deadlock: two Rust threads, two locks, opposite orders";
    two_threads_and_main(title, recording, thread, main)
}

/// Thread 1 takes A first, thread 2 takes B first; `thread` draws a thread
/// from its name and its two locks, in order.
fn two_threads_and_main(
    title: &str,
    recording: &Recording,
    thread: impl Fn(&str, &str, &str) -> Vec<Span>,
    main: Vec<Span>,
) -> Timeline {
    let lanes = vec![
        lane("thread 1", 0, thread("thread 1", "A", "B")),
        lane("thread 2", 1, thread("thread 2", "B", "A")),
        lane("main", 6, main),
    ];
    timeline(title, recording, lanes, ["runs (a moment: takes a lock)", "blocked"])
}

/// Python's threads give up: each takes its first lock as it prints "took",
/// waits for the other lock from the barrier (the later "took") until its
/// "gave up", and lets go once both have given up. Then the fixed threads
/// each take both locks in turn. Main joins each pair.
fn python_deadlock_timeline(recording: &Recording) -> Timeline {
    let at = |start: &str| time_of_line(recording, start);
    let both_hold = at("thread 1 took").max(at("thread 2 took"));
    let let_go = at("Both gave up");
    let thread = |who: &str, first: &str, second: &str| {
        let took = at(&format!("{who} took {first}"));
        let gave_up = at(&format!("{who} holds"));
        let fixed = at(&format!("{who} took A and B"));
        vec![
            Span::busy(took, took, first),
            Span::waiting(both_hold, gave_up, format!("acquire({second}, timeout)")),
            Span::waiting(gave_up, let_go, "barrier"),
            Span::busy(fixed, fixed, "A and B"),
        ]
    };
    let header = at("Two threads");
    let main = vec![
        Span::busy(0.0, header, "starts"),
        Span::waiting(header, let_go, "join"),
        Span::waiting(at("The fix"), at("both threads"), "join"),
    ];
    let title = "sync-deadlock: two Python threads that give up, then one lock order";
    two_threads_and_main(title, recording, thread, main)
}

#[test]
fn the_report_is_right_even_when_main_does_not_wait() {
    // The barrier, not main's patience, makes the deadlock: with none at all
    // the report says the same, every time.
    let program = Program::example(BIN).step_ms(0);
    for _ in 0..5 {
        assert_settles_to(&program, DEADLOCK_SETTLED);
    }
}

#[test]
fn one_lock_order_runs_to_the_end() {
    let program = Program::example(FIXED_BIN);
    let run = assert_settles_to(&program, FIXED_SETTLED);
    check_recorded(
        &program,
        "examples-sync/sync-deadlock/recorded/fixed.txt",
        settled,
        &run,
    );
}

#[test]
fn relocking_a_held_mutex_would_block_and_passing_the_data_on_does_not() {
    let program = Program::example(RELOCK_BIN);
    let run = program.run_ok();
    assert_eq!(run.stdout, RELOCK);
    check_recorded(
        &program,
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
    check_recorded_timeline(
        &program,
        "python/recorded/sync_deadlock.txt",
        settled,
        &run,
        "book/src/sync/timelines/sync-deadlock-python.svg",
        python_deadlock_timeline,
    );
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

//! What thread-send-sync and its Mutex program must print, what their Python
//! counterpart prints, and the compiler errors their chapter quotes.

use example_harness::{Program, check_recorded, workspace_root};

const BIN: &str = "thread-send-sync";
const MUTEX_BIN: &str = "thread-send-sync-mutex";

/// Every count is exact on every run: the Arc's is atomic, and the barriers
/// make main count while every clone is held. 400005 = main's Arc, one clone
/// moved into each of 4 threads, and 4 x 100000 clones.
const ARC: &str = "\
Arc: 1 owner before the threads start
Arc: 400005 owners while 4 threads hold 100000 clones each
Arc: 1 owner after the threads have ended
";

/// The Vec is behind a Mutex: every push is kept.
const MUTEX: &str = "Mutex: 400000 names pushed by 4 threads, 100000 each\n";

/// Nothing here depends on the scheduler, so the output is compared as it is.
fn as_printed(output: &str) -> String {
    output.to_owned()
}

/// What the take-away test checks on a copy built outside the workspace:
/// both programs.
pub fn check_copy(program: Program) {
    assert_eq!(program.sibling(MUTEX_BIN).run_ok().stdout, MUTEX);
    assert_eq!(program.run_ok().stdout, ARC);
}

#[test]
fn arc_keeps_every_count_exact() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_eq!(run.stdout, ARC);
    insta::assert_snapshot!("arc", run.stdout);
    check_recorded(
        &program,
        "examples-threads/thread-send-sync/recorded/arc.txt",
        as_printed,
        &run,
    );
}

#[test]
fn mutex_keeps_every_push() {
    let program = Program::example(MUTEX_BIN);
    let run = program.run_ok();
    assert_eq!(run.stdout, MUTEX);
    check_recorded(
        &program,
        "examples-threads/thread-send-sync/recorded/mutex.txt",
        as_printed,
        &run,
    );
}

/// The chapter says which trait each refusal names; trybuild (the package's own
/// `compile_fail` test) checks that the compiler still prints these files.
#[test]
fn the_refusals_name_send_and_sync() {
    let dir =
        workspace_root().join("examples-threads/thread-send-sync/tests/compile-fail");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let rc = read("rc_into_thread.stderr");
    assert!(rc.starts_with(
        "error[E0277]: `Rc<Vec<&str>>` cannot be sent between threads safely"
    ));
    assert!(
        rc.contains("the trait `Send` is not implemented for `Rc<Vec<&str>>`"),
        "{rc}"
    );
    let refcell = read("refcell_shared.stderr");
    assert!(refcell.starts_with(
        "error[E0277]: `RefCell<Vec<&str>>` cannot be shared between threads safely"
    ));
    assert!(
        refcell.contains("the trait `Sync` is not implemented for `RefCell"),
        "{refcell}"
    );
    assert!(refcell.contains("required for `&RefCell<Vec<&str>>` to implement `Send`"));
}

/// The same counts in Python, on every version from 3.10 to 3.13: 400010 = the
/// name and getrefcount's own argument, 4 x 100000 list entries, and two per
/// thread for its arguments (the Thread's args tuple and the function's parameter).
#[test]
fn python_reference_counts_stay_exact_under_the_gil() {
    let Some(program) = Program::python("thread_send_sync.py") else {
        return;
    };
    let run = program.run_ok();
    assert_eq!(
        run.stdout,
        "getrefcount: 2 before the threads start\n\
         getrefcount: 400010 while 4 threads hold 100000 references each\n\
         getrefcount: 2 after the threads have ended\n\
         list: 400000 names appended by 4 threads, 100000 each, no lock\n"
    );
    check_recorded(&program, "python/recorded/thread_send_sync.txt", as_printed, &run);
}

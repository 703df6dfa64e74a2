//! The chapter "What the articles got wrong": each claim's Python program must
//! show what really happens, its recording must match, and the Rust side's
//! compile error must stay the one the chapter shows.

use example_harness::{Program, Run, assert_in_order, check_recorded, python_version};

/// Runs a counterpart that must succeed and print no traceback or warning.
fn run_clean(program: &Program) -> Run {
    let run = program.run_ok();
    assert!(
        run.stderr.is_empty(),
        "{} wrote to stderr (a traceback?):\n{}",
        run.label,
        run.stderr
    );
    run
}

/// How pickle says that it cannot send a nested function: CPython 3.13 looks
/// the name up first and reports that lookup instead.
fn cannot_pickle() -> &'static str {
    if python_version() >= (3, 13) { "Can't get" } else { "Can't pickle" }
}

/// The recordings are CPython 3.11 runs: the words of 3.13 are compared as 3.11's.
fn same_words_for_pickling(output: &str) -> String {
    output.replace("Can't get local object", "Can't pickle local object")
}

/// The programs whose whole output is guaranteed are compared line for line.
fn as_is(output: &str) -> String {
    output.to_owned()
}

#[test]
fn python_a_multiprocessing_queue_passed_to_submit_fails_every_job_silently() {
    let Some(program) = Program::python("wrong_queue_argument.py") else { return };
    let run = run_clean(&program);
    let error = "RuntimeError: Queue objects should only be shared between processes \
                 through inheritance";
    let jobs = ["example.com", "python.org", "rust-lang.org"];
    let failures: Vec<String> =
        jobs.iter().map(|page| format!("job for {page}: {error}")).collect();
    let mut expected = vec!["submit raised nothing for 3 jobs"];
    expected.extend(failures.iter().map(String::as_str));
    expected
        .push("nothing reached the queue: one results.get() per job would wait forever");
    expected.push("-- without the queue: each job returns its page --");
    expected.push("rust-lang.org: <title>rust-lang.org</title>");
    assert_in_order(&run.stdout, &expected);
    check_recorded(&program, "python/recorded/wrong_queue_argument.txt", as_is, &run);
}

#[test]
fn python_a_nested_function_runs_on_threads_but_cannot_be_sent_to_a_process() {
    let Some(program) = Program::python("wrong_nested_function.py") else { return };
    let run = run_clean(&program);
    let error = format!(
        "AttributeError: {} local object 'fib_endpoint.<locals>.fib_recursive'",
        cannot_pickle()
    );
    assert_eq!(
        run.lines(),
        [
            "thread pool, nested function: 6765",
            &format!("process pool, nested function: {error}"),
            "process pool, module-level function: 6765",
        ]
    );
    check_recorded(
        &program,
        "python/recorded/wrong_nested_function.txt",
        same_words_for_pickling,
        &run,
    );
}

const COUNTER_RUNS: u32 = 20;

/// How many of the racy runs came out short: the scheduler's business.
fn runs_short(output: &str) -> u32 {
    let line = output
        .lines()
        .find_map(|line| {
            line.strip_prefix("without a lock: the total came out short in ")
        })
        .unwrap_or_else(|| panic!("no line about the runs without a lock\n{output}"));
    let (short, rest) = line.split_once(" of ").expect("\"K of N runs\"");
    assert_eq!(rest, format!("{COUNTER_RUNS} runs"), "{line}");
    short.parse().unwrap_or_else(|_| panic!("not a count of runs: {line}"))
}

/// The count of short runs is the scheduler's; the bytecode listing is the
/// interpreter version's (asserted per version), so the recording of 3.11
/// is compared from the first line after it.
fn counter_short_runs_hidden(output: &str) -> String {
    let short = format!("short in {} of", runs_short(output));
    let after_bytecode: Vec<&str> =
        output.lines().skip_while(|line| !line.starts_with("4 threads")).collect();
    (after_bytecode.join("\n") + "\n").replace(&short, "short in [K] of")
}

#[test]
fn python_a_counter_update_is_several_bytecodes_and_only_a_lock_makes_it_exact() {
    let Some(program) = Program::python("wrong_counter.py") else { return };
    let run = run_clean(&program);
    // The bytecode is fixed by each interpreter version: the read, the
    // addition and the write are separate instructions in every one of them.
    let (major, minor) = python_version();
    let add = if (major, minor) < (3, 11) {
        "  INPLACE_ADD"
    } else {
        "  BINARY_OP +=        adds 1"
    };
    assert_in_order(
        &run.stdout,
        &[
            &format!("counter[page] += 1, as CPython {major}.{minor} runs it:"),
            "  BINARY_SUBSCR       reads the count (a new page calls Counter.__missing__)",
            add,
            "  STORE_SUBSCR        writes the sum back",
        ],
    );
    // How many racy runs lose updates is up to the scheduler (the program
    // itself asserts that no run counts more than it should).
    assert!(runs_short(&run.stdout) <= COUNTER_RUNS);
    assert_in_order(
        &run.stdout,
        &[&format!(
            "with a lock: the total was exact in {COUNTER_RUNS} of {COUNTER_RUNS} runs"
        )],
    );
    check_recorded(
        &program,
        "python/recorded/wrong_counter.txt",
        counter_short_runs_hidden,
        &run,
    );
}

#[test]
fn python_a_syntax_error_stops_everything_and_a_wrong_arity_only_its_thread() {
    let Some(program) = Program::python("wrong_calc_quad.py") else { return };
    let run = run_clean(&program);
    assert_eq!(
        run.lines(),
        [
            "a program with the post's print line: SyntaxError: invalid syntax \
             (the_post.py, line 4)",
            "so none of its lines runs, not even the correct ones",
            "Square: 49",
            "join() returned for the square thread",
            "the quad thread failed: TypeError: calc_quad() takes 0 positional arguments \
             but 1 was given",
            "join() returned for the quad thread",
        ]
    );
    check_recorded(&program, "python/recorded/wrong_calc_quad.txt", as_is, &run);
}

#[test]
fn python_a_thread_assigning_result_without_global_leaves_it_none() {
    let Some(program) = Program::python("wrong_result_none.py") else { return };
    let run = run_clean(&program);
    assert_eq!(
        run.lines(),
        [
            "calc_square has the local variables: number, result",
            "after a thread ran calc_square(7): result = None",
            "calc_square_global has the local variables: number",
            "after a thread ran calc_square_global(7): result = 49",
        ]
    );
    check_recorded(&program, "python/recorded/wrong_result_none.txt", as_is, &run);
}

#[test]
fn python_only_a_forked_child_can_run_a_nested_function() {
    let Some(program) = Program::python("wrong_start_method.py") else { return };
    let run = run_clean(&program);
    let error = format!(
        "AttributeError: {} local object 'start_children.<locals>.greet'",
        cannot_pickle()
    );
    let cannot_start = format!("  start() fails: {error}");
    let (major, minor) = python_version();
    // fork stayed Linux's default up to 3.13; 3.14 moved to forkserver.
    let default = if (major, minor) < (3, 14) { "fork" } else { "forkserver" };
    assert_in_order(
        &run.stdout,
        &[
            &format!("Python {major}.{minor} on linux"),
            &format!("default start method: {default}"),
            "start method fork:",
            "  the child runs the nested function",
            "  the child exited with code 0",
            "start method forkserver:",
            &cannot_start,
            "start method spawn:",
            &cannot_start,
        ],
    );
    check_recorded(
        &program,
        "python/recorded/wrong_start_method.txt",
        |output| {
            same_words_for_pickling(
                &output.replace(&format!("Python {major}.{minor} "), "Python 3.11 "),
            )
        },
        &run,
    );
}

/// What Rust says where Python raises a TypeError in the thread: the program
/// is not built. The expected error is the file the chapter includes.
#[test]
fn calling_a_function_with_an_argument_it_does_not_take_does_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/calc_quad_takes_no_number.rs");
}

//! The chapter "What the articles got wrong": each claim's Python program must
//! show what really happens, its recording must match, and the Rust side's
//! compile error must stay the one the chapter shows.

use example_harness::{Program, Run, assert_in_order, check_recorded};

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

/// The programs whose whole output is guaranteed are compared line for line.
fn as_is(output: &str) -> String {
    output.to_owned()
}

#[test]
fn a_multiprocessing_queue_passed_to_submit_fails_every_job_silently() {
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
fn a_nested_function_runs_on_threads_but_cannot_be_sent_to_a_process() {
    let Some(program) = Program::python("wrong_nested_function.py") else { return };
    let run = run_clean(&program);
    assert_eq!(
        run.lines(),
        [
            "thread pool, nested function: 6765",
            "process pool, nested function: AttributeError: Can't pickle local object \
             'fib_endpoint.<locals>.fib_recursive'",
            "process pool, module-level function: 6765",
        ]
    );
    check_recorded(&program, "python/recorded/wrong_nested_function.txt", as_is, &run);
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

fn counter_short_runs_hidden(output: &str) -> String {
    let short = format!("short in {} of", runs_short(output));
    output.replace(&short, "short in [K] of")
}

#[test]
fn a_counter_update_is_several_bytecodes_and_only_a_lock_makes_it_exact() {
    let Some(program) = Program::python("wrong_counter.py") else { return };
    let run = run_clean(&program);
    // The bytecode is fixed by the interpreter: the read, the addition and
    // the write are separate instructions.
    assert_in_order(
        &run.stdout,
        &[
            "counter[page] += 1, as CPython 3.11 runs it:",
            "  BINARY_SUBSCR       reads the count (a new page calls Counter.__missing__)",
            "  BINARY_OP +=        adds 1",
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
fn a_syntax_error_stops_everything_and_a_wrong_arity_only_its_thread() {
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
fn a_thread_assigning_result_without_global_leaves_it_none() {
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
fn only_a_forked_child_can_run_a_nested_function() {
    let Some(program) = Program::python("wrong_start_method.py") else { return };
    let run = run_clean(&program);
    let error =
        "AttributeError: Can't pickle local object 'start_children.<locals>.greet'";
    let cannot_start = format!("  start() fails: {error}");
    assert_in_order(
        &run.stdout,
        &[
            "Python 3.11 on linux",
            "default start method: fork",
            "start method fork:",
            "  the child runs the nested function",
            "  the child exited with code 0",
            "start method forkserver:",
            &cannot_start,
            "start method spawn:",
            &cannot_start,
        ],
    );
    check_recorded(&program, "python/recorded/wrong_start_method.txt", as_is, &run);
}

/// What Rust says where Python raises a TypeError in the thread: the program
/// is not built. The expected error is the file the chapter includes.
#[test]
fn calling_a_function_with_an_argument_it_does_not_take_does_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/calc_quad_takes_no_number.rs");
}

//! What pool-switch must print, and what its Python counterpart prints.

use example_harness::{Program, assert_in_order, check_recorded};

const BIN: &str = "pool-switch";

/// `as_completed` lines come in the order the jobs finished, which is the
/// scheduler's business on a busy machine: they are sorted, the rest kept.
/// Python's pickling error is worded differently from one version to the
/// next (see [`pickling_error`]): only that it is one is kept.
fn completions_sorted(output: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    let mut completions: Vec<&str> = Vec::new();
    for line in output.lines() {
        if line.starts_with("as_completed: ") {
            completions.push(line);
            continue;
        }
        completions.sort_unstable();
        lines.append(&mut completions);
        if line.starts_with("process pool: ") && line.contains("local object") {
            lines.push("process pool: [the error of a job that cannot be pickled]");
        } else {
            lines.push(line);
        }
    }
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// One pool's part: the same answers from either kind of pool.
fn assert_part(part: &str, jobs_here: usize) {
    assert_in_order(part, &["submit(7) gives 49"]);
    for (job, square) in [(0, 0), (1, 1), (2, 4), (3, 9)] {
        let line = format!("as_completed: job {job} finished with {square}");
        assert_eq!(
            part.lines().filter(|l| *l == line).count(),
            1,
            "{line:?} once in\n{part}"
        );
    }
    assert_in_order(part, &["map(1..=8) gives [1, 4, 9, 16, 25, 36, 49, 64]"]);
    let last = format!("jobs that ran in this program's own process: {jobs_here} of 8");
    assert_in_order(part, &[last.as_str()]);
    assert_eq!(part.lines().count(), 7, "{part}");
}

fn parts(output: &str) -> (&str, &str) {
    let after_threads =
        output.split_once("-- on a thread pool --\n").expect("threads part").1;
    let (threads, processes) =
        after_threads.split_once("-- on a process pool --\n").expect("processes part");
    (threads, processes.split("-- a lambda").next().unwrap())
}

/// Both parts, each with the answers of its pool.
fn assert_both_pools(output: &str) {
    let (threads, processes) = parts(output);
    assert_part(threads, 8);
    assert_part(processes, 0);
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_both_pools(&program.run_ok().stdout);
}

#[test]
fn both_pools_give_the_same_answers_and_only_the_process_pool_leaves_the_process() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_both_pools(&run.stdout);
    insta::assert_snapshot!("sorted", completions_sorted(&run.stdout));
    check_recorded(
        &program,
        "examples-pools/pool-switch/recorded/run.txt",
        completions_sorted,
        &run,
    );
}

#[test]
fn the_workers_take_the_step_of_the_parent_whatever_set_it() {
    // A worker process is started without the parent's options. Given on the
    // command line, the step must reach the workers all the same: were they
    // to sleep STEP_MS's minute per step instead, the run would be killed as
    // hung.
    let program = Program::example(BIN).arg("--step-ms").arg("0").step_ms(60_000);
    assert_both_pools(&program.run_ok().stdout);
}

/// The version of the CPython that `python3` runs: (major, minor, micro).
fn python_version() -> (u32, u32, u32) {
    let script = "import sys; print(*sys.version_info[:3])";
    let output = std::process::Command::new("python3").args(["-c", script]).output();
    let text = String::from_utf8(output.unwrap().stdout).unwrap();
    let numbers: Vec<u32> = text.split_whitespace().map(|n| n.parse().unwrap()).collect();
    (numbers[0], numbers[1], numbers[2])
}

/// What the process pool says of the lambda, which depends on the version:
/// the C pickler's message for a local object was reworded in 3.13, and in
/// the 3.12 line from 3.12.5 on (as other projects' tests found); 3.12.1 here
/// still says "Can't pickle".
fn pickling_error(version: (u32, u32, u32)) -> &'static str {
    match version {
        (3, 13, _) | (3, 12, 5..) => {
            "process pool: AttributeError: Can't get local object 'run_lambda.<locals>.<lambda>'"
        }
        (3, 10..=12, _) => {
            "process pool: AttributeError: Can't pickle local object 'run_lambda.<locals>.<lambda>'"
        }
        other => panic!("no known pickling error for Python {other:?}: add it here"),
    }
}

#[test]
fn python_executors_give_the_same_answers_and_a_lambda_fails_on_processes_only() {
    let Some(program) = Program::python("pool_switch.py") else { return };
    let run = program.run_ok();
    assert_both_pools(&run.stdout);
    let lambda_part = run.stdout.split_once("-- a lambda as the job --\n").unwrap().1;
    let lines: Vec<&str> = lambda_part.lines().collect();
    assert_eq!(lines.len(), 2, "{lambda_part}");
    assert_eq!(lines[0], "thread pool: 9");
    let expected = pickling_error(python_version());
    assert_eq!(lines[1], expected, "Python {:?}", python_version());
    check_recorded(&program, "python/recorded/pool_switch.txt", completions_sorted, &run);
}

//! What pool-switch must print, and what its Python counterpart prints.

use example_harness::{Program, assert_in_order, check_recorded};

const BIN: &str = "pool-switch";

/// `as_completed` lines come in the order the jobs finished, which is the
/// scheduler's business on a busy machine: they are sorted, the rest kept.
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
        lines.push(line);
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
}

fn parts(output: &str) -> (&str, &str) {
    let after_threads =
        output.split_once("-- on a thread pool --\n").expect("threads part").1;
    let (threads, processes) =
        after_threads.split_once("-- on a process pool --\n").expect("processes part");
    (threads, processes.split("-- a lambda").next().unwrap())
}

#[test]
fn both_pools_give_the_same_answers_and_only_the_process_pool_leaves_the_process() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    let (threads, processes) = parts(&run.stdout);
    assert_part(threads, 8);
    assert_part(processes, 0);
    insta::assert_snapshot!("sorted", completions_sorted(&run.stdout));
    check_recorded(
        &program,
        "examples-pools/pool-switch/recorded/run.txt",
        completions_sorted,
        &run,
    );
}

#[test]
fn python_executors_give_the_same_answers_and_a_lambda_fails_on_processes_only() {
    let Some(program) = Program::python("pool_switch.py") else { return };
    let run = program.run_ok();
    let (threads, processes) = parts(&run.stdout);
    assert_part(threads, 8);
    assert_part(processes, 0);
    assert_in_order(
        &run.stdout,
        &[
            "thread pool: 9",
            "process pool: AttributeError: Can't pickle local object 'run_lambda.<locals>.<lambda>'",
        ],
    );
    check_recorded(&program, "python/recorded/pool_switch.txt", completions_sorted, &run);
}

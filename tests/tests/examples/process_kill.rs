//! What process-kill must print, and what its Python counterpart prints.

use example_harness::{Program, check_recorded, pids, redact_pids, without_lines};

const BIN: &str = "process-kill";

/// The step number of a worker's line ("stubborn: step 4"), if it is one.
fn step_of(line: &str, worker: &str) -> Option<u32> {
    line.strip_prefix(worker)?.strip_prefix(": step ")?.parse().ok()
}

fn is_step_line(line: &str) -> bool {
    step_of(line, "polite").is_some() || step_of(line, "stubborn").is_some()
}

/// How many steps a worker prints, and where they fall among main's lines, is
/// the scheduler's doing, so the workers' lines are dropped; main's lines and
/// their order are certain. PIDs change on every run.
fn main_lines(output: &str) -> String {
    without_lines(&redact_pids(output), is_step_line)
}

/// What signals guarantee, in Rust and in Python alike. `ended` is what
/// follows "was killed by SIGTERM" or "by SIGKILL" in main's lines.
fn assert_killed(output: &str, polite_ended: &str, stubborn_ended: &str) {
    let main = main_lines(output);
    let expected = [
        "main: polite worker is pid [PID], stubborn worker is pid [PID]",
        "main: sending SIGTERM to the polite worker (pid [PID])",
        &format!("main: the polite worker was killed by SIGTERM{polite_ended}"),
        "main: sending SIGTERM to the stubborn worker (pid [PID])",
        // An answer to a question sent after the signal: the worker outlived it.
        "main: the stubborn worker still answers",
        "main: sending SIGKILL to the stubborn worker (pid [PID])",
        &format!("main: the stubborn worker was killed by SIGKILL{stubborn_ended}"),
    ];
    assert_eq!(main.lines().collect::<Vec<_>>(), expected, "{output}");

    let lines: Vec<&str> = output.lines().collect();
    let at = |wanted: &str| lines.iter().position(|line| line.contains(wanted)).unwrap();
    for (worker, death) in [
        ("polite", at("polite worker was killed by SIGTERM")),
        ("stubborn", at("stubborn worker was killed by SIGKILL")),
    ] {
        let steps: Vec<(usize, u32)> = (lines.iter().enumerate())
            .filter_map(|(index, line)| Some((index, step_of(line, worker)?)))
            .collect();
        let numbers: Vec<u32> = steps.iter().map(|&(_, step)| step).collect();
        let last = numbers.last().copied().unwrap_or(0);
        assert_eq!(numbers, (1..=last).collect::<Vec<_>>(), "{worker}'s steps, in order");
        // A process that was waited for is gone: it prints nothing more.
        assert!(
            steps.iter().all(|&(index, _)| index < death),
            "{worker} printed after its death\n{output}"
        );
    }

    // The PIDs main names: two workers, each signalled at the PID announced.
    let [polite, stubborn, polite_term, stubborn_term, stubborn_kill] = pids(output)[..]
    else {
        panic!("five PIDs are printed\n{output}");
    };
    assert_ne!(polite, stubborn);
    assert_eq!([polite_term, stubborn_term, stubborn_kill], [polite, stubborn, stubborn]);
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_killed(&program.run_ok().stdout, "", "");
}

#[test]
fn sigterm_stops_the_polite_worker_and_sigkill_the_stubborn_one() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_killed(&run.stdout, "", "");
    insta::assert_snapshot!("main_lines", main_lines(&run.stdout));
    check_recorded(
        &program,
        "examples-processes/process-kill/recorded/run.txt",
        main_lines,
        &run,
    );
}

/// `| head -1`: a worker's step or main's next line finds the pipe closed;
/// whichever process that is ends by SIGPIPE, and so, quietly, do the others.
#[test]
fn piped_into_head_the_workers_and_the_parent_end_quietly() {
    let run = Program::example(BIN).run_into_head(1);
    assert_eq!(run.lines.len(), 1, "{run:?}");
    run.assert_quiet();
}

#[test]
fn python_terminate_and_kill_give_negative_exitcodes() {
    let Some(program) = Program::python("process_kill.py") else {
        return;
    };
    let run = program.run_ok();
    assert_killed(&run.stdout, " (exitcode -15)", " (exitcode -9)");
    check_recorded(&program, "python/recorded/process_kill.txt", main_lines, &run);
}

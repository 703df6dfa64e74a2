//! What process-kill must print, and what its Python counterpart prints.

use example_harness::{Program, check_recorded, pids, redact_pids, without_lines};

const BIN: &str = "process-kill";

/// How many answers main waits for after the stubborn worker's SIGTERM.
const GRACE_STEPS: usize = 3;

/// The step number of a worker's line ("stubborn: step 4"), if it is one.
fn step_of(line: &str, worker: &str) -> Option<u32> {
    line.strip_prefix(worker)?.strip_prefix(": step ")?.parse().ok()
}

fn is_step_line(line: &str) -> bool {
    step_of(line, "polite").is_some() || step_of(line, "stubborn").is_some()
}

/// How many steps a worker fits in before main acts is timing, so the workers'
/// lines are dropped and the step main quotes becomes N; main's lines, their
/// order and their count are certain. PIDs change on every run.
fn main_lines(output: &str) -> String {
    without_lines(&redact_pids(output), is_step_line)
        .lines()
        .map(|line| match line.split_once(", at step ") {
            Some((head, _)) => format!("{head}, at step N\n"),
            None => format!("{line}\n"),
        })
        .collect()
}

/// What signals guarantee, in Rust and in Python alike. `polite_end` and
/// `stubborn_end` are main's lines saying how each worker ended.
fn assert_killed(output: &str, polite_end: &str, stubborn_end: &str) {
    let text = redact_pids(output);
    let lines: Vec<&str> = text.lines().collect();
    let at = |wanted: &str| {
        lines.iter().position(|line| *line == wanted).unwrap_or_else(|| {
            panic!("{wanted:?} is never printed\n--- output\n{output}")
        })
    };
    let working = at("main: both workers are working");
    let polite_term = at("main: sending SIGTERM to the polite worker (pid [PID])");
    let polite_dead = at(polite_end);
    let stubborn_term = at("main: sending SIGTERM to the stubborn worker (pid [PID])");
    let stubborn_kill = at("main: sending SIGKILL to the stubborn worker (pid [PID])");
    let stubborn_dead = at(stubborn_end);
    assert!(
        working < polite_term
            && polite_term < polite_dead
            && polite_dead < stubborn_term
            && stubborn_term < stubborn_kill
            && stubborn_kill < stubborn_dead,
        "main's lines are out of order\n{output}"
    );
    assert_eq!(lines.last(), Some(&stubborn_end), "{output}");

    for worker in ["polite", "stubborn"] {
        let steps: Vec<(usize, u32)> = (lines.iter().enumerate())
            .filter_map(|(index, line)| Some((index, step_of(line, worker)?)))
            .collect();
        let numbers: Vec<u32> = steps.iter().map(|&(_, step)| step).collect();
        let last = numbers.last().copied().unwrap_or(0);
        assert_eq!(numbers, (1..=last).collect::<Vec<_>>(), "{worker}'s steps, in order");
        // A worker answers main only after printing a step: step 1 came before.
        let first = steps.first().map(|&(index, _)| index);
        assert!(first.is_some_and(|index| index < working), "{worker} step 1\n{output}");
        // A process that was waited for is gone: it prints nothing more.
        let dead = if worker == "polite" { polite_dead } else { stubborn_dead };
        assert!(
            steps.iter().all(|&(index, _)| index < dead),
            "{worker} after death\n{output}"
        );
    }

    // Each answer names a step the stubborn worker printed after the question,
    // so after SIGTERM (or the answer before) and before main quotes it.
    let mut asked_after = stubborn_term;
    let mut answers = 0;
    for (index, line) in lines.iter().enumerate() {
        let Some((_, step)) = line.split_once("still working, at step ") else {
            continue;
        };
        let printed = at(&format!("stubborn: step {step}"));
        assert!(
            asked_after < printed && printed < index,
            "step {step} misplaced\n{output}"
        );
        asked_after = index;
        answers += 1;
    }
    assert_eq!(answers, GRACE_STEPS, "{output}");
    assert!(asked_after < stubborn_kill, "{output}");

    // The PIDs main names: two workers, each signalled at the PID announced.
    let [polite, stubborn, polite_term, stubborn_term, stubborn_kill] = pids(output)[..]
    else {
        panic!("five PIDs are printed\n{output}");
    };
    assert_ne!(polite, stubborn);
    assert_eq!([polite_term, stubborn_term, stubborn_kill], [polite, stubborn, stubborn]);
}

#[test]
fn sigterm_stops_the_polite_worker_and_sigkill_the_stubborn_one() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_killed(
        &run.stdout,
        "main: the polite worker was killed by SIGTERM",
        "main: the stubborn worker was killed by SIGKILL",
    );
    insta::assert_snapshot!("main_lines", main_lines(&run.stdout));
    check_recorded(
        &program,
        "examples-processes/process-kill/recorded/run.txt",
        main_lines,
        &run,
    );
}

#[test]
fn python_terminate_and_kill_give_negative_exitcodes() {
    let Some(program) = Program::python("process_kill.py") else {
        return;
    };
    let run = program.run_ok();
    assert_killed(
        &run.stdout,
        "main: the polite worker was killed by SIGTERM (exitcode -15)",
        "main: the stubborn worker was killed by SIGKILL (exitcode -9)",
    );
    check_recorded(&program, "python/recorded/process_kill.txt", main_lines, &run);
}

#[test]
fn a_malformed_step_is_refused() {
    let run = Program::example(BIN).env("STEP_MS", "fast").run();
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("whole number of milliseconds"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "no worker starts: {}", run.stdout);
}

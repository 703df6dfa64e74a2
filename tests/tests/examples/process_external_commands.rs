//! What process-external-commands must print, and what its Python counterpart prints.

use example_harness::{Program, check_recorded};

const BIN: &str = "process-external-commands";

/// Each command's last argument (it appears in the line that shows the command)
/// and how the command must end, in input order.
const EXPECTED: &[(&str, &str)] = &[
    ("hello", "exited with code 0, stdout: hello"),
    ("sleep 0.5; echo slow", "exited with code 0, stdout: slow"),
    ("0.3", "exited with code 0"),
    ("echo disk full >&2; exit 3", "exited with code 3, stderr: disk full"),
    ("no-such-command", "could not start it: "),
    ("sleep 0.2; echo medium", "exited with code 0, stdout: medium"),
    ("kill -TERM $$", "was killed by SIGTERM"),
    ("echo first; echo second", "exited with code 0, stdout: first"),
    ("sleep 0.4; echo done", "exited with code 0, stdout: done"),
];

/// The peak line's number: how many commands overlapped is the scheduler's doing.
fn settled(output: &str) -> String {
    (output.lines())
        .map(|line| {
            match line.strip_prefix("peak: ").and_then(|rest| rest.split_once(' ')) {
                Some((_, rest)) => format!("peak: [PEAK] {rest}\n"),
                None => format!("{line}\n"),
            }
        })
        .collect()
}

/// What the program guarantees, in Rust and in Python alike; returns the peak.
fn assert_all_reported(output: &str, max: usize) -> usize {
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), EXPECTED.len() + 3, "{output}");
    assert_eq!(
        lines[0],
        format!("running {} commands, at most {max} at a time", EXPECTED.len())
    );

    // One line per command, in input order, whichever ended first; failures
    // are reported in their place and every other command still ran.
    for (number, ((last_argument, ending), line)) in
        (1..).zip(EXPECTED.iter().zip(&lines[1..]))
    {
        assert!(line.starts_with(&format!("{number}. [")), "line {number}: {line}");
        let (command, result) = line.split_once("]: ").expect("command: result");
        assert!(command.contains(last_argument), "line {number}: {line}");
        if ending.starts_with("could not start") {
            assert!(result.starts_with(ending), "line {number}: {line}");
            assert!(
                result.contains("No such file or directory"),
                "line {number}: {line}"
            );
        } else {
            assert_eq!(result, *ending, "line {number}: {line}");
        }
    }
    assert_eq!(lines[EXPECTED.len() + 1], "6 of 9 commands succeeded");

    let peak_line = lines[EXPECTED.len() + 2];
    let (peak, limit) = peak_line
        .strip_prefix("peak: ")
        .and_then(|rest| rest.split_once(" running at once, limit "))
        .unwrap_or_else(|| panic!("a peak line: {peak_line}"));
    let peak: usize = peak.parse().expect("the peak is a number");
    assert_eq!(limit, max.to_string());
    assert!((1..=max).contains(&peak), "peak {peak} with at most {max} allowed");
    peak
}

#[test]
fn at_most_three_run_at_once_and_results_keep_input_order() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_all_reported(&run.stdout, 3);
    insta::assert_snapshot!("settled", settled(&run.stdout));
    check_recorded(
        &program,
        "examples-processes/process-external-commands/recorded/run.txt",
        settled,
        &run,
    );
}

#[test]
fn with_max_one_they_run_one_at_a_time() {
    let run = Program::example(BIN).arg("--max").arg("1").run_ok();
    assert_eq!(assert_all_reported(&run.stdout, 1), 1);
}

#[test]
fn a_limit_above_the_number_of_commands_is_fine() {
    let run = Program::example(BIN).arg("--max").arg("50").run_ok();
    assert!(assert_all_reported(&run.stdout, 50) <= EXPECTED.len());
}

#[test]
fn bad_arguments_are_refused_with_usage() {
    for args in [
        &["--max", "0"][..],
        &["--max", "three"],
        &["--max"],
        &["--bogus"],
        &["--max", "2", "4"],
    ] {
        let run = args
            .iter()
            .fold(Program::example(BIN), |program, arg| program.arg(arg))
            .run();
        assert_eq!(run.code, Some(2), "{args:?}");
        assert!(
            run.stderr.contains("usage: process-external-commands [--max N]"),
            "{args:?}"
        );
        assert!(run.stdout.is_empty(), "{args:?}: nothing runs");
    }
}

#[test]
fn python_thread_pool_runs_them_the_same_way() {
    let Some(program) = Program::python("process_external_commands.py") else {
        return;
    };
    let run = program.run_ok();
    assert_all_reported(&run.stdout, 3);
    check_recorded(
        &program,
        "python/recorded/process_external_commands.txt",
        settled,
        &run,
    );
}

#[test]
fn python_refuses_a_bad_limit() {
    let Some(program) = Program::python("process_external_commands.py") else {
        return;
    };
    let run = program.arg("--max").arg("0").run();
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("usage: process_external_commands.py [--max N]"));
}

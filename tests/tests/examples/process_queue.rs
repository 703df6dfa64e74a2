//! What process-queue must print, and what its Python counterpart prints.

use example_harness::{Program, assert_in_order, check_recorded, redact_pids};

const BIN: &str = "process-queue";

/// The greetings arrive in the order the workers got to them: sorted, with PIDs
/// redacted, the four lines are always the same.
fn sorted_greetings(output: &str) -> String {
    let (mut greetings, rest): (Vec<&str>, Vec<&str>) =
        output.lines().partition(|line| line.starts_with("received: "));
    greetings.sort_unstable();
    let lines: Vec<&str> = greetings.into_iter().chain(rest).collect();
    redact_pids(&(lines.join("\n") + "\n"))
}

/// Four greetings, one from each worker, before the final line.
fn assert_four_greetings(output: &str, last_line: &str) {
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 5, "{output}");
    assert_eq!(lines[4], last_line);
    for number in 1..=4 {
        let from = format!("received: Hello from worker {number} (pid ");
        let count = lines[..4].iter().filter(|line| line.starts_with(&from)).count();
        assert_eq!(count, 1, "exactly one greeting from worker {number}:\n{output}");
    }
}

#[test]
fn the_parent_receives_one_greeting_per_worker_then_joins_them() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_four_greetings(&run.stdout, "all 4 workers have exited");
    insta::assert_snapshot!("sorted", sorted_greetings(&run.stdout));
    check_recorded(
        &program,
        "examples-processes/process-queue/recorded/run.txt",
        sorted_greetings,
        &run,
    );
}

#[test]
fn python_queue_delivers_the_same_greetings() {
    let Some(program) = Program::python("process_queue.py") else { return };
    let run = program.run_ok();
    assert_four_greetings(&run.stdout, "all 4 workers have exited");
    assert_in_order(&run.stdout, &["all 4 workers have exited"]);
    check_recorded(&program, "python/recorded/process_queue.txt", sorted_greetings, &run);
}

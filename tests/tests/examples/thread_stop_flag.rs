//! What thread-stop-flag and its channel program must print, and what their
//! Python counterpart prints.

use example_harness::{Program, assert_in_order, check_recorded, without_lines};

const BIN: &str = "thread-stop-flag";
const CHANNEL_BIN: &str = "thread-stop-flag-channel";

/// Main asks after two and a half steps of sleep, so the worker usually stops
/// after 3 steps; but how many it takes before main asks is timing (a busy
/// machine starts the worker late or wakes main late). So the step lines are
/// dropped and the counts replaced by N: what is left comes in a certain order.
fn settled(output: &str) -> String {
    let kept = without_lines(output, |line| step_number(line).is_some());
    kept.lines()
        .map(|line| match line.split_once(" after ") {
            Some((head, tail)) => {
                let rest = tail.split_once(' ').map_or("", |(_, rest)| rest);
                format!("{head} after N {rest}\n")
            }
            None => format!("{line}\n"),
        })
        .collect()
}

fn step_number(line: &str) -> Option<u32> {
    line.strip_prefix("worker: step ")?.parse().ok()
}

/// One stop: the worker's steps counted from 1 without a gap, and its last
/// line, after main's request and its own last step, names how many it took.
/// Returns that number.
fn assert_stopped_cooperatively(output: &str, request: &str) -> u32 {
    let steps: Vec<u32> = output.lines().filter_map(step_number).collect();
    let last = steps.len() as u32;
    assert_eq!(steps, (1..=last).collect::<Vec<_>>(), "steps in order, none skipped");
    let worker_done = output
        .lines()
        .find(|line| line.ends_with(&format!(" after {last} steps, cleaning up")))
        .unwrap_or_else(|| {
            panic!("the worker's last line names {last} steps:\n{output}")
        });
    assert_in_order(output, &[request, worker_done]);
    if let Some(last_step) = steps.last() {
        assert_in_order(output, &[&format!("worker: step {last_step}"), worker_done]);
    }
    last
}

/// A Rust stop: cooperative, and main's last line, after the join, names the
/// count the thread returned.
fn assert_stopped_and_joined(output: &str, request: &str) -> u32 {
    let steps = assert_stopped_cooperatively(output, request);
    let main_done = format!("main: the worker stopped after {steps} steps");
    assert_eq!(output.lines().last(), Some(main_done.as_str()), "{output}");
    steps
}

fn assert_flag_stop(output: &str) {
    assert_stopped_and_joined(output, "main: setting the stop flag");
    assert!(output.contains("saw the stop flag"), "{output}");
}

fn assert_channel_stop(output: &str) {
    let steps = assert_stopped_and_joined(output, "main: sending the stop message");
    // The channel's worker prints its first step before it ever waits for a message.
    assert!(steps >= 1, "{output}");
    assert!(output.contains("got the stop message"), "{output}");
}

/// What the take-away test checks on a copy built outside the workspace:
/// both programs.
pub fn check_copy(program: Program) {
    assert_channel_stop(&program.sibling(CHANNEL_BIN).run_ok().stdout);
    assert_flag_stop(&program.run_ok().stdout);
}

#[test]
fn the_worker_stops_itself_when_the_flag_is_set() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_flag_stop(&run.stdout);
    insta::assert_snapshot!("flag", settled(&run.stdout));
    check_recorded(
        &program,
        "examples-threads/thread-stop-flag/recorded/flag.txt",
        settled,
        &run,
    );
}

#[test]
fn the_worker_stops_itself_when_the_message_comes() {
    let program = Program::example(CHANNEL_BIN);
    let run = program.run_ok();
    assert_channel_stop(&run.stdout);
    insta::assert_snapshot!("channel", settled(&run.stdout));
    check_recorded(
        &program,
        "examples-threads/thread-stop-flag/recorded/channel.txt",
        settled,
        &run,
    );
}

#[test]
fn python_worker_stops_on_its_event() {
    let Some(program) = Program::python("thread_stop_flag.py") else {
        return;
    };
    let run = program.run_ok();
    assert_stopped_cooperatively(&run.stdout, "main: setting the stop event");
    assert_eq!(run.lines().last().copied(), Some("main: the worker has stopped"));
    check_recorded(&program, "python/recorded/thread_stop_flag.txt", settled, &run);
}

#[test]
fn runs_that_differ_only_in_their_step_count_settle_alike() {
    let stop_after = |steps: u32| -> String {
        let mut run = String::new();
        for step in 1..=steps {
            run.push_str(&format!("worker: step {step}\n"));
        }
        run.push_str("main: sending the stop message\n");
        run.push_str(&format!(
            "worker: got the stop message after {steps} steps, cleaning up\n"
        ));
        run + &format!("main: the worker stopped after {steps} steps\n")
    };
    assert_eq!(settled(&stop_after(3)), settled(&stop_after(4)));
    assert_eq!(
        settled(&stop_after(3)),
        "main: sending the stop message\n\
         worker: got the stop message after N steps, cleaning up\n\
         main: the worker stopped after N steps\n"
    );
}

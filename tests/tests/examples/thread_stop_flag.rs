//! What thread-stop-flag must print, and what its Python counterpart prints.

use example_harness::{Program, assert_in_order, check_recorded, without_lines};

const BIN: &str = "thread-stop-flag";

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
fn assert_stopped_cooperatively(section: &str, request: &str) -> u32 {
    let steps: Vec<u32> = section.lines().filter_map(step_number).collect();
    let last = steps.len() as u32;
    assert_eq!(steps, (1..=last).collect::<Vec<_>>(), "steps in order, none skipped");
    let worker_done = section
        .lines()
        .find(|line| line.ends_with(&format!(" after {last} steps, cleaning up")))
        .unwrap_or_else(|| {
            panic!("the worker's last line names {last} steps:\n{section}")
        });
    assert_in_order(section, &[request, worker_done]);
    if let Some(last_step) = steps.last() {
        assert_in_order(section, &[&format!("worker: step {last_step}"), worker_done]);
    }
    last
}

/// Both stops, flag first, in their own sections.
fn assert_both_stops(output: &str) {
    let (flag, channel) = output
        .strip_prefix("-- stopping with an atomic flag --\n")
        .and_then(|rest| rest.split_once("-- stopping with a channel --\n"))
        .unwrap_or_else(|| panic!("both sections, in order:\n{output}"));
    for (section, request) in [
        (flag, "main: setting the stop flag"),
        (channel, "main: sending the stop message"),
    ] {
        let steps = assert_stopped_cooperatively(section, request);
        // Main's last line, after the join, names the count the thread returned.
        let main_done = format!("main: the worker stopped after {steps} steps");
        assert_eq!(section.lines().last(), Some(main_done.as_str()), "{section}");
    }
    // The channel's worker prints its first step before it ever waits for a message.
    assert!(channel.contains("worker: step 1\n"), "{channel}");
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_both_stops(&program.run_ok().stdout);
}

#[test]
fn the_worker_stops_itself_when_asked() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_both_stops(&run.stdout);
    insta::assert_snapshot!("settled", settled(&run.stdout));
    check_recorded(
        &program,
        "examples-threads/thread-stop-flag/recorded/run.txt",
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
        let mut run = String::from("-- stopping with a channel --\n");
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
        "-- stopping with a channel --\nmain: sending the stop message\n\
         worker: got the stop message after N steps, cleaning up\n\
         main: the worker stopped after N steps\n"
    );
}

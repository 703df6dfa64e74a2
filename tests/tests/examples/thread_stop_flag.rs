//! What thread-stop-flag must print, and what its Python counterpart prints.

use example_harness::{Program, assert_in_order, check_recorded, without_lines};

const BIN: &str = "thread-stop-flag";

/// Main asks after the worker reports step 3. Whether the worker starts a 4th
/// step before it notices is timing (main may be slow to act on the report),
/// so extra steps are dropped and the step count is replaced by N.
fn settled(output: &str) -> String {
    let kept =
        without_lines(output, |line| step_number(line).is_some_and(|step| step > 3));
    kept.lines()
        .map(|line| match line.split_once(" after ") {
            Some((head, tail))
                if tail.ends_with("steps") || tail.ends_with("cleaning up") =>
            {
                let rest = tail.split_once(' ').map_or("", |(_, rest)| rest);
                format!("{head} after N {rest}\n")
            }
            _ => format!("{line}\n"),
        })
        .collect()
}

fn step_number(line: &str) -> Option<u32> {
    line.strip_prefix("worker: step ")?.parse().ok()
}

/// One stop, in order: three steps, the request, the worker's last word, main's.
/// The worker stops at or after step 3, on the last step it printed, and main
/// reports the same count.
fn assert_stopped_cooperatively(section: &str, request: &str) {
    assert_in_order(
        section,
        &["worker: step 1", "worker: step 2", "worker: step 3", request],
    );
    let steps: Vec<u32> = section.lines().filter_map(step_number).collect();
    let last = *steps.last().expect("the worker took steps");
    assert_eq!(steps, (1..=last).collect::<Vec<_>>(), "steps in order, none skipped");
    assert!(last >= 3, "the worker stopped before it was asked:\n{section}");
    let worker_done = section
        .lines()
        .find(|line| line.contains(&format!(" after {last} steps, cleaning up")))
        .unwrap_or_else(|| {
            panic!("the worker's last line names {last} steps:\n{section}")
        });
    assert_in_order(section, &[request, worker_done]);
}

fn sections(output: &str) -> (&str, &str) {
    let (flag, channel) = output
        .split_once("-- stopping with a channel --\n")
        .expect("both sections are printed");
    (flag, channel)
}

#[test]
fn the_worker_stops_itself_when_asked() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    let (flag, channel) = sections(&run.stdout);
    assert_stopped_cooperatively(flag, "main: setting the stop flag");
    assert_stopped_cooperatively(channel, "main: sending the stop message");
    for section in [flag, channel] {
        let last = section.lines().filter_map(step_number).max().expect("steps");
        let main_done = format!("main: the worker stopped after {last} steps");
        assert_eq!(section.lines().last(), Some(main_done.as_str()), "{section}");
    }
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

//! What process-queue must print, and what its Python counterpart prints.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use example_harness::timeline::{
    Recording, Span, Timeline, check_recorded_timeline, lane, timeline,
};
use example_harness::{Program, example_binary, pids, redact_pids};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const BIN: &str = "process-queue";
const WORKERS: u32 = 4;

/// The greetings arrive in the order the workers finished their step: sorted,
/// with PIDs redacted, the lines are always the same.
fn sorted_greetings(output: &str) -> String {
    let (mut greetings, rest): (Vec<&str>, Vec<&str>) =
        output.lines().partition(|line| line.starts_with("received: "));
    greetings.sort_unstable();
    let (started, last): (Vec<&str>, Vec<&str>) =
        rest.into_iter().partition(|line| line.starts_with("started "));
    let lines: Vec<&str> = started.into_iter().chain(greetings).chain(last).collect();
    redact_pids(&(lines.join("\n") + "\n"))
}

/// Four workers started in order, one greeting from each (from the PID it
/// was started with), then the final line once all have exited.
fn assert_four_greetings(output: &str) {
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 9, "{output}");
    let started = pids(&lines[..4].join("\n"));
    for (number, line) in (1..=WORKERS).zip(&lines[..4]) {
        let pid = started[number as usize - 1];
        assert_eq!(*line, format!("started worker {number} (pid {pid})"), "{output}");
        let greeting = format!("received: Hello from worker {number} (pid {pid})");
        let count = lines[4..8].iter().filter(|line| **line == greeting).count();
        assert_eq!(count, 1, "exactly one greeting from worker {number}:\n{output}");
    }
    assert_eq!(lines[8], "all 4 workers have exited", "{output}");
}

/// Who ran when: a lane per worker process, named with its PID, whose step
/// runs from main's `started worker N` line (printed once the job was sent)
/// until main receives its greeting, which the worker sends as its step ends
/// while main waits in `recv`. Main starts the workers, then waits: for the
/// greetings (each a moment in its lane), then for the workers to exit.
fn who_ran_when(title: &'static str) -> impl Fn(&Recording) -> Timeline {
    move |recording| {
        let mut lanes = Vec::new();
        for number in 1..=WORKERS {
            let started = format!("started worker {number} (pid ");
            let greeting = format!("received: Hello from worker {number} (pid ");
            let from = recording.time_of(|line| line.starts_with(&started));
            let to = recording.time_of(|line| line.starts_with(&greeting));
            let (Some(from), Some(to)) = (from, to) else {
                panic!("worker {number}'s lines")
            };
            let line =
                recording.lines.iter().find(|a| a.line.starts_with(&started)).unwrap();
            let name = format!("worker {number}, pid {}", pids(&line.line)[0]);
            lanes.push(lane(&name, 0, vec![Span::busy(from, to, "a step of work")]));
        }
        let last_started = recording.time_of(|line| line.starts_with("started worker 4"));
        let mut main = vec![Span::busy(0.0, last_started.expect("worker 4"), "starts")];
        let mut waiting_from = main[0].to_ms;
        for arrival in &recording.lines {
            if arrival.line.starts_with("received: ") || arrival.line.starts_with("all ")
            {
                let why = if arrival.line.starts_with("all ") { "wait" } else { "recv" };
                main.push(Span::waiting(waiting_from, arrival.at_ms, why));
                main.push(Span::busy(arrival.at_ms, arrival.at_ms, ""));
                waiting_from = arrival.at_ms;
            }
        }
        lanes.push(lane("main", 6, main));
        let legend = [
            "running: a step of work, or main",
            "main, waiting for a greeting or an exit",
        ];
        timeline(title, recording, lanes, legend)
    }
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_four_greetings(&program.run_ok().stdout);
}

#[test]
fn the_parent_receives_one_greeting_per_worker_then_joins_them() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_four_greetings(&run.stdout);
    insta::assert_snapshot!("sorted", sorted_greetings(&run.stdout));
    check_recorded_timeline(
        &program,
        "examples-processes/process-queue/recorded/run.txt",
        sorted_greetings,
        &run,
        "book/src/processes/timelines/process-queue.svg",
        who_ran_when("process-queue: four worker processes, one queue"),
    );
}

/// Worker 2 is killed while it works (its step lasts seconds, and the parent
/// names its PID only once it has sent the job): the queue still brings the
/// other three greetings, and the parent then says which worker died and how.
#[test]
fn a_killed_worker_is_named_with_how_it_ended() {
    let mut child = Command::new(example_binary(BIN))
        .env("STEP_MS", "5000")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    let mut killed = None;
    let mut line = String::new();
    while stdout.read_line(&mut line).unwrap() > 0 {
        if let Some(rest) = line.strip_prefix("started worker 2 (pid ") {
            let pid: i32 = rest.trim_end().trim_end_matches(')').parse().unwrap();
            // Not waited for yet, so the PID is still our program's worker's.
            kill(Pid::from_raw(pid), Signal::SIGKILL).unwrap();
            killed = Some(pid);
        }
        lines.push(std::mem::take(&mut line));
    }
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    let output = lines.concat();
    let killed = killed.unwrap_or_else(|| panic!("no worker 2 was started:\n{output}"));

    assert_eq!(status.code(), Some(1), "{output}{stderr}");
    // The PID is the one main printed beside "started worker 2".
    let expected = format!("worker \"greet\" (pid {killed}) was killed by SIGKILL");
    assert!(stderr.contains(&expected), "stderr must say {expected:?}:\n{stderr}");
    assert!(!stderr.contains("Disconnected"), "{stderr}");
    let greetings: Vec<&str> =
        output.lines().filter(|line| line.starts_with("received: ")).collect();
    assert_eq!(greetings.len(), 3, "the three others still greet:\n{output}");
    assert!(greetings.iter().all(|line| !line.contains("worker 2 ")), "{output}");
    assert!(!output.contains("have exited"), "{output}");
}

#[test]
fn python_queue_delivers_the_same_greetings() {
    let Some(program) = Program::python("process_queue.py") else { return };
    let run = program.run_ok();
    assert_four_greetings(&run.stdout);
    check_recorded_timeline(
        &program,
        "python/recorded/process_queue.txt",
        sorted_greetings,
        &run,
        "book/src/processes/timelines/process-queue-python.svg",
        who_ran_when("process_queue.py: four multiprocessing.Process, one Queue"),
    );
}

//! What pool-bounded-queue must print, and what its Python counterpart prints.
//!
//! Nothing here measures time. The bound is proved by counting: from the
//! counts the jobs print, and from the output itself, where a job is running
//! between its start line and its finish line.

use example_harness::Program;
use example_harness::timeline::{
    Edge, Recording, Timeline, check_recorded_timeline, count_lane, job_lanes, timeline,
};

const BIN: &str = "pool-bounded-queue";
const JOBS: usize = 10;

/// A job's line: whether it is a start, the job's number, and the count it printed.
fn job_line(line: &str) -> Option<(bool, usize, usize)> {
    let (start, rest) = match line.split_once(" job ")? {
        ("start", rest) => (true, rest),
        ("finish", rest) => (false, rest),
        _ => return None,
    };
    let (job, count) = rest.strip_suffix(')')?.split_once(" (running: ")?;
    Some((start, job.parse().ok()?, count.parse().ok()?))
}

/// Every guarantee of the program, in Rust and in Python alike; returns the peak.
fn assert_bounded(output: &str, workers: usize) -> usize {
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 2 * JOBS + 2, "{output}");
    assert_eq!(lines[0], format!("{JOBS} jobs, at most {workers} running at once"));

    let mut started = [false; JOBS + 1];
    let mut finished = [false; JOBS + 1];
    let mut open = 0; // jobs whose start line is printed and finish line not yet
    let mut highest_start_count = 0;
    let mut a_finish_counted_zero = false;
    for line in &lines[1..=2 * JOBS] {
        let (start, job, count) =
            job_line(line).unwrap_or_else(|| panic!("not a job line: {line}\n{output}"));
        assert!((1..=JOBS).contains(&job), "{line}");
        if start {
            assert!(!started[job], "job {job} starts twice\n{output}");
            started[job] = true;
            open += 1;
            // The count includes the job itself, and at most `workers` run.
            assert!((1..=workers).contains(&count), "{line}\n{output}");
            highest_start_count = highest_start_count.max(count);
        } else {
            assert!(started[job], "job {job} finishes before it starts\n{output}");
            assert!(!finished[job], "job {job} finishes twice\n{output}");
            finished[job] = true;
            open -= 1;
            // The job has counted itself out, so at most `workers - 1` others remain.
            assert!(count < workers, "{line}\n{output}");
            a_finish_counted_zero |= count == 0;
        }
        // Each pool thread prints a job's start and finish before it takes the
        // next job, so the output itself never shows more than `workers` open.
        assert!(open <= workers, "{open} jobs open at {line:?}\n{output}");
    }
    assert_eq!(open, 0, "every job finished\n{output}");
    assert!(a_finish_counted_zero, "the last job to leave saw 0\n{output}");

    let peak_line = lines[2 * JOBS + 1];
    let peak: usize = peak_line
        .strip_prefix("peak: ")
        .and_then(|rest| {
            rest.strip_suffix(&format!(" running at once (limit {workers})"))
        })
        .and_then(|peak| peak.parse().ok())
        .unwrap_or_else(|| panic!("a peak line: {peak_line}"));
    assert!(peak <= workers, "{peak_line}");
    // Every count a job counted itself in with is printed, so the peak is the largest.
    assert_eq!(peak, highest_start_count, "{output}");
    peak
}

/// Per job, what it did in its own order, in job order and without the counts
/// (the scheduler's); the peak's number is the scheduler's too.
fn per_job(output: &str) -> String {
    let mut events = vec![Vec::new(); JOBS + 1];
    let (mut other, mut peak) = (String::new(), String::new());
    for line in output.lines() {
        let peak_rest = line.strip_prefix("peak: ").and_then(|rest| rest.split_once(' '));
        match (job_line(line), peak_rest) {
            (Some((start, job, _)), _) if job <= JOBS => {
                events[job].push(if start { "started" } else { "finished" });
            }
            (_, Some((_, rest))) => peak += &format!("peak: [PEAK] {rest}\n"),
            _ => other += &format!("{line}\n"),
        }
    }
    let jobs: String = (1..=JOBS)
        .map(|job| format!("job {job}: {}\n", events[job].join(", ")))
        .collect();
    other + &jobs + &peak
}

/// Who ran when: `start job N` and `finish job N` bound job N's bar; before
/// its start the job waits in the queue, where all ten are from the header
/// line on (printed just before they are queued). Under the jobs, how many
/// run at each moment, against the limit of 4.
fn who_ran_when(title: &'static str) -> impl Fn(&Recording) -> Timeline {
    move |recording| {
        let queued = recording.lines[0].at_ms;
        let edge = |line: &str| {
            let (start, job, _) = job_line(line)?;
            Some((if start { Edge::Start } else { Edge::Finish }, job as u32))
        };
        let mut lanes = job_lanes(recording, queued, edge, |job| format!("job {job}"), 0);
        lanes.push(count_lane("running at once", &lanes, 4, 6));
        let legend = ["a job, from its start line to its finish line", "queued"];
        timeline(title, recording, lanes, legend)
    }
}

/// With one worker the queue runs strictly one job after another, in order.
fn one_at_a_time() -> String {
    let mut expected = format!("{JOBS} jobs, at most 1 running at once\n");
    for job in 1..=JOBS {
        expected +=
            &format!("start job {job} (running: 1)\nfinish job {job} (running: 0)\n");
    }
    expected + "peak: 1 running at once (limit 1)\n"
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_bounded(&program.clone().run_ok().stdout, 4);
    assert_eq!(program.arg("--workers").arg("1").run_ok().stdout, one_at_a_time());
}

#[test]
fn never_more_than_four_jobs_run_at_once() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_bounded(&run.stdout, 4);
    insta::assert_snapshot!("per_job", per_job(&run.stdout));
    check_recorded_timeline(
        &program,
        "examples-pools/pool-bounded-queue/recorded/run.txt",
        per_job,
        &run,
        "book/src/pools/timelines/pool-bounded-queue.svg",
        who_ran_when("pool-bounded-queue: ten jobs on a pool of 4 Rust threads"),
    );
}

#[test]
fn the_bound_holds_when_jobs_take_no_time_at_all() {
    // Zero-length jobs make the threads race for the queue as hard as they can.
    for _ in 0..5 {
        assert_bounded(&Program::example(BIN).step_ms(0).run_ok().stdout, 4);
    }
}

#[test]
fn with_one_worker_the_jobs_run_in_order_one_at_a_time() {
    let run = Program::example(BIN).arg("--workers").arg("1").run_ok();
    assert_bounded(&run.stdout, 1);
    assert_eq!(run.stdout, one_at_a_time());
}

#[test]
fn more_workers_than_jobs_is_fine() {
    let run = Program::example(BIN).arg("--workers").arg("20").run_ok();
    assert!(assert_bounded(&run.stdout, 20) <= JOBS);
}

/// A pool of no thread would never run a job, and a hundred million threads
/// would bring the machine down before the ten jobs: both are refused, with
/// the reason, before anything runs.
fn assert_workers_refused(program: &Program, value: &str) {
    let run = program.clone().arg("--workers").arg(value).run();
    assert_eq!(run.code, Some(2), "--workers {value}: {}", run.stderr);
    assert!(run.stderr.contains(value), "--workers {value}: {}", run.stderr);
    assert!(run.stdout.is_empty(), "--workers {value}: nothing runs");
}

#[test]
fn a_pool_size_out_of_range_is_refused() {
    for value in ["0", "101", "100000000", "-1", "four"] {
        assert_workers_refused(&Program::example(BIN), value);
    }
    // The largest pool allowed runs.
    let run = Program::example(BIN).arg("--workers").arg("100").step_ms(0).run_ok();
    assert!(assert_bounded(&run.stdout, 100) <= JOBS);
}

#[test]
fn python_thread_pool_keeps_the_same_bound() {
    let Some(program) = Program::python("pool_bounded_queue.py") else {
        return;
    };
    let run = program.run_ok();
    assert_bounded(&run.stdout, 4);
    check_recorded_timeline(
        &program,
        "python/recorded/pool_bounded_queue.txt",
        per_job,
        &run,
        "book/src/pools/timelines/pool-bounded-queue-python.svg",
        who_ran_when(
            "pool_bounded_queue.py: ten jobs, ThreadPoolExecutor(max_workers=4)",
        ),
    );
}

#[test]
fn python_with_one_worker_runs_them_in_order() {
    let Some(program) = Program::python("pool_bounded_queue.py") else {
        return;
    };
    let run = program.arg("--workers").arg("1").run_ok();
    assert_eq!(run.stdout, one_at_a_time());
}

#[test]
fn python_refuses_the_same_pool_sizes() {
    let Some(program) = Program::python("pool_bounded_queue.py") else {
        return;
    };
    for value in ["0", "101", "100000000", "-1", "four"] {
        assert_workers_refused(&program, value);
    }
}

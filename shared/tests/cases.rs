//! What a `concurrent.futures` user expects of a pool, case by case, checked
//! on both pools: `toolkit-cases` runs every case once and prints
//! `case | pool | outcome`; each test here reads the lines of its case.

use std::collections::HashMap;
use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use process_toolkit::Error;
use process_toolkit::pool::{Executor, ThreadPool};

const PROBE: &str = env!("CARGO_BIN_EXE_toolkit-cases");

/// Every case's outcome, by (case, pool), from one run of the probe.
fn outcomes() -> &'static HashMap<(String, String), String> {
    static OUTCOMES: OnceLock<HashMap<(String, String), String>> = OnceLock::new();
    OUTCOMES.get_or_init(|| {
        let stdout = run_probe();
        let mut outcomes = HashMap::new();
        for line in stdout.lines() {
            let [case, pool, outcome] = line.splitn(3, " | ").collect::<Vec<_>>()[..]
            else {
                panic!("not `case | pool | outcome`: {line:?}");
            };
            let key = (case.to_owned(), pool.to_owned());
            assert!(outcomes.insert(key, outcome.to_owned()).is_none(), "twice: {line}");
        }
        outcomes
    })
}

/// Runs the probe to its end; a hang (a pool that recursed, a wait that never
/// returns) fails after a minute instead of blocking the suite.
fn run_probe() -> String {
    let mut probe = Command::new(PROBE)
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the probe starts");
    let mut stdout_pipe = probe.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut stdout = String::new();
        stdout_pipe.read_to_string(&mut stdout).map(|_| stdout)
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = probe.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = probe.kill();
            panic!("toolkit-cases hung");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout = reader.join().unwrap().expect("stdout is UTF-8");
    assert!(status.success(), "toolkit-cases failed: {status}\n{stdout}");
    stdout
}

fn outcome(case: &str, pool: &str) -> &'static str {
    let key = (case.to_owned(), pool.to_owned());
    outcomes().get(&key).unwrap_or_else(|| panic!("no line for {case} on {pool}"))
}

fn assert_outcome(case: &str, pool: &str, expected: &str) {
    assert_eq!(outcome(case, pool), expected, "{case} on {pool}");
}

fn assert_starts(case: &str, pool: &str, start: &str) {
    let outcome = outcome(case, pool);
    assert!(
        outcome.starts_with(start),
        "{case} on {pool}: {outcome:?} should start {start:?}"
    );
}

const BOTH: [&str; 2] = ["threads", "processes"];
const PANICKED: &str = "Err(Panicked): the job panicked: job 2 fails";
const CANCELLED: &str = "Err(Cancelled): the job was cancelled before it started";

#[test]
fn a_panic_is_an_error_with_its_message_and_the_worker_lives_on() {
    assert_outcome("a job panics (raises)", "threads", PANICKED);
    let started_two = format!("{PANICKED}; workers started: 2");
    assert_outcome("a job panics (raises)", "processes", &started_two);
}

#[test]
fn as_completed_yields_every_job_failed_ones_too() {
    for pool in BOTH {
        let expected = "5 results for 5 jobs, 1 of them an error";
        assert_outcome("as_completed, one job failing", pool, expected);
    }
}

#[test]
fn map_iter_keeps_the_results_around_a_failure() {
    let expected =
        format!("map: {PANICKED}; map_iter: Ok(0), Ok(1), {PANICKED}, Ok(9), Ok(16)");
    for pool in BOTH {
        assert_outcome("map, one job failing", pool, &expected);
    }
}

#[test]
fn a_pool_of_zero_workers_is_refused() {
    for pool in BOTH {
        let expected =
            "Err(Setup): a pool needs at least one worker, and 0 were asked for";
        assert_outcome("a pool of 0 workers", pool, expected);
    }
}

#[test]
fn wait_timeout_gives_up_and_the_job_goes_on() {
    let expected = "wait_timeout: Err(Timeout): the job has not ended yet; done() false; \
                    opened: done() true, wait: Ok(42)";
    for pool in BOTH {
        assert_outcome("waiting with a timeout", pool, expected);
    }
}

#[test]
fn a_queued_job_can_be_cancelled_and_a_running_one_cannot() {
    let expected = format!(
        "running: cancel() false; queued: cancel() true, wait: {CANCELLED}; opened, running: Ok(42)"
    );
    for pool in BOTH {
        assert_outcome("cancelling", pool, &expected);
    }
}

#[test]
fn stopping_without_waiting_cancels_the_queue_and_kills_busy_workers() {
    let stopping = "stopping without waiting";
    assert_outcome(stopping, "threads", &format!("queued: {CANCELLED}; running: Ok(42)"));
    let killed = format!("queued: {CANCELLED}; running: Err(Killed): worker \"pool:");
    assert_starts(stopping, "processes", &killed);
    assert!(
        outcome(stopping, "processes").ends_with(" was killed: the pool was shut down")
    );
}

#[test]
fn two_closures_of_one_function_are_two_roles() {
    for pool in BOTH {
        let expected = "a pool of the second: Ok([3, 6, 9])";
        assert_outcome("two closures in one function", pool, expected);
    }
}

#[test]
fn a_process_pool_refuses_a_closure_with_state() {
    assert_outcome("a closure that captures state", "threads", "Ok([3, 6, 9])");
    let case = "a closure that captures state";
    assert_starts(
        case,
        "processes",
        "Err(Setup): a process pool needs a fn item or a closure",
    );
    assert!(outcome(case, "processes").contains("holds 8 bytes of state"));
}

#[test]
fn a_job_that_cannot_be_serialized_fails_at_once_and_keeps_the_worker() {
    let case = "a job that cannot be serialized";
    assert_outcome(case, "threads", "Ok(4)");
    let expected = "Err(Serialize): cannot serialize the job (a std::path::PathBuf): \
                    Serde Serialization Error; next: Ok(4), same worker: true";
    assert_outcome(case, "processes", expected);
}

#[test]
fn a_job_that_cannot_be_deserialized_fails_alone() {
    let expected = "Err(Deserialize): cannot deserialize the job (a toolkit_cases::Size): \
                    This is a feature that PostCard will never implement; same worker: true";
    assert_outcome("a job that cannot be deserialized", "processes", expected);
}

#[test]
fn a_reply_that_cannot_be_serialized_fails_alone() {
    let expected = "Err(Serialize): cannot serialize the reply (a std::path::PathBuf): \
                    Serde Serialization Error; same worker: true";
    assert_outcome("a reply that cannot be serialized", "processes", expected);
}

#[test]
fn a_reply_that_cannot_be_deserialized_fails_alone() {
    let case = "a reply that cannot be deserialized";
    assert_outcome(case, "threads", "Ok(Named(\"big\"))");
    let expected = "Err(Deserialize): cannot deserialize the reply (a toolkit_cases::Size): \
                    This is a feature that PostCard will never implement; same worker: true";
    assert_outcome(case, "processes", expected);
}

#[test]
fn a_worker_killed_mid_job_is_a_death_and_is_replaced() {
    let case = "a worker killed mid-job";
    assert_starts(
        case,
        "processes",
        "Err(Died): worker \"pool:toolkit_cases::kill_own_process\"",
    );
    let outcome = outcome(case, "processes");
    assert!(outcome.ends_with(" was killed by SIGKILL; workers started: 2"), "{outcome}");
}

#[test]
fn a_worker_that_died_idle_fails_no_job() {
    let expected = "next job: Ok, on a new worker: true";
    assert_outcome("a worker that dies while idle", "processes", expected);
}

#[test]
fn a_main_without_the_guard_fails_once_in_the_worker_and_once_in_main() {
    let outcome = outcome("main without the guard", "processes");
    let (status, said) = outcome.split_once("; the worker: ").expect("two parts");
    assert_eq!(status, "exit status: 1");
    let (worker, main) = said.split_once("; then main: ").expect("the worker, then main");
    let hint = "main must call pool::serve_if_worker(square) before anything else";
    assert!(worker.starts_with("this process is worker \"pool:toolkit_cases::square\""));
    assert!(worker.contains("tried to start workers of its own before serving its role"));
    assert!(worker.contains(hint), "{worker}");
    assert!(main.starts_with("worker \"pool:toolkit_cases::square\""), "{main}");
    assert!(
        main.contains(") tried to start workers of its own instead of serving its role")
    );
    assert!(main.contains(hint), "{main}");
    assert!(
        !main.contains("; then main: "),
        "one worker, one refusal: it did not recurse"
    );
}

// ANCHOR: typed
/// The error is a type to match, and `?` still turns it into an `anyhow::Error`.
#[test]
fn errors_are_matched_by_kind_and_pass_through_anyhow() {
    let pool = ThreadPool::new(1, |n: u64| n.checked_sub(1).expect("no zeros"));
    match pool.submit(0).wait() {
        Err(Error::Panicked { message }) => assert_eq!(message, "no zeros"),
        Err(other) => panic!("expected the job's panic, got {other}"),
        Ok(n) => panic!("0 - 1 is not {n}"),
    }
    let with_anyhow = || -> anyhow::Result<u64> { Ok(pool.submit(0).wait()?) };
    let err = with_anyhow().unwrap_err();
    assert!(matches!(err.downcast_ref(), Some(Error::Panicked { .. })), "{err:?}");
}
// ANCHOR_END: typed

#[test]
#[should_panic(expected = "ThreadPool::new: a pool needs at least one worker")]
fn a_thread_pool_of_zero_threads_panics_in_new_with_the_reason() {
    let _ = ThreadPool::new(0, |n: u64| n);
}

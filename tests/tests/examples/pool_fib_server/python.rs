//! The Python counterpart, run for real: the same answers in every mode, a
//! 400 for bad input, a clean stop on SIGTERM, and `/health` answered while
//! slow requests run, in every mode.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use super::common::{ANSWERS, Server, bad_n, get};
use example_harness::{Program, workspace_root};
use nix::sys::signal::Signal;

#[test]
fn python_server_gives_the_same_answers_and_a_400_in_every_mode() {
    // Skips (and says so) when python3 is missing, unless REQUIRE_PYTHON is set.
    let Some(_) = Program::python("pool_fib_server.py") else { return };
    for mode in ["inline", "threads", "processes"] {
        let mut server = python_server(mode);
        assert_eq!(server.next_line(), format!("mode {mode}"));
        for (n, fib) in ANSWERS {
            let expected = format!(r#"{{"n":{n},"fib":{fib}}}"#);
            assert_eq!(server.get(&format!("/fib/{n}")), (200, expected), "{mode}");
        }
        for text in ["abc", "-1", "36", "4.5"] {
            let answer = server.get(&format!("/fib/{text}"));
            assert_eq!(answer, (400, bad_n(text, 35)), "{mode}: /fib/{text}");
        }
        assert_eq!(server.get("/nothing/here").0, 404);
        let expected = r#"{"status":"ok","fib_in_progress":0}"#.to_owned();
        assert_eq!(server.get("/health"), (200, expected), "{mode}");
        let status = server.stop_with(Signal::SIGTERM);
        assert!(status.success(), "{mode}: {status}; {:?}", server.printed);
        assert_eq!(server.printed[2..], ["SIGTERM: stopping", "stopped"], "{mode}");
    }
}

/// The `fib_in_progress` that the Python server's `/health` reports.
fn in_progress(health: &str) -> u64 {
    let health: serde_json::Value = serde_json::from_str(health).expect("JSON");
    assert_eq!(health["status"], "ok", "{health}");
    health["fib_in_progress"].as_u64().expect("fib_in_progress")
}

fn python_server(mode: &str) -> Server {
    let script: PathBuf = workspace_root().join("python/pool_fib_server.py");
    let mut command = Command::new("python3");
    command.arg(script).args(["--mode", mode, "--port", "0", "--workers", "2"]);
    Server::start(command)
}

/// Unlike the Rust server's inline mode, Python's threaded server answers
/// `/health` while two slow requests compute, in every mode: each request has
/// a thread of its own, and the GIL passes between threads every few
/// milliseconds. Two fib(32) overlap for a large part of a second, time for
/// many answers; three is a wide margin.
#[test]
fn python_server_answers_health_while_two_slow_requests_run_in_every_mode() {
    let Some(_) = Program::python("pool_fib_server.py") else { return };
    for mode in ["inline", "threads", "processes"] {
        let server = python_server(mode);
        let answered = AtomicUsize::new(0);
        let while_two_run = thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    let answer = get(&server.base, "/fib/32");
                    answered.fetch_add(1, Ordering::SeqCst);
                    assert_eq!(answer, (200, r#"{"n":32,"fib":2178309}"#.to_owned()));
                });
            }
            let mut while_two_run = 0;
            while answered.load(Ordering::SeqCst) < 2 {
                if in_progress(&get(&server.base, "/health").1) == 2 {
                    while_two_run += 1;
                }
            }
            while_two_run
        });
        assert!(
            while_two_run >= 3,
            "{mode}: {while_two_run} /health answers while both ran"
        );
    }
}

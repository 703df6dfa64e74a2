//! The Rust server, run for real: the same answers in every mode, a 400 for
//! bad input, `/health` blocked by inline work but not by offloaded work, and
//! no process left behind after SIGTERM or SIGINT.

use std::fs;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use super::common::{ANSWERS, Server, bad_n, get, in_progress};
use example_harness::pids;
use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const MODES: [&str; 3] = ["inline", "threads", "processes"];

/// Slow enough that two of these overlap for a long while, even in a debug build.
const SLOW_N: u32 = 38;

#[test]
fn every_mode_gives_the_same_answers() {
    for mode in MODES {
        let server = Server::rust(mode);
        for (n, fib) in ANSWERS {
            let expected = format!(r#"{{"n":{n},"fib":{fib}}}"#);
            assert_eq!(server.get(&format!("/fib/{n}")), (200, expected), "{mode}");
        }
        let expected = r#"{"status":"ok","fib_in_progress":0}"#.to_owned();
        assert_eq!(server.get("/health"), (200, expected), "{mode}");
    }
}

#[test]
fn bad_input_gets_400_with_a_clear_message() {
    let server = Server::rust("threads");
    for text in ["abc", "-1", "43", "4.5", "99999999999999999999999"] {
        let answer = server.get(&format!("/fib/{text}"));
        assert_eq!(answer, (400, bad_n(text, 42)), "/fib/{text}");
    }
    assert_eq!(server.get("/fib/42.").0, 400);
    assert_eq!(server.get("/nothing/here").0, 404);
    assert_eq!(server.get("/fib/").0, 404);
    assert_eq!(server.post("/fib/3"), 405);
    assert_eq!(server.post("/health"), 405);
}

/// Sends two slow requests at once to a server with two runtime threads and
/// two workers, and asks `/health` again and again until both are answered.
/// Returns how many `/health` answers report both slow requests in progress.
fn health_answers_while_two_run(mode: &str) -> usize {
    let server = Server::rust(mode);
    let slow = format!("/fib/{SLOW_N}");
    let expected = format!(r#"{{"n":{SLOW_N},"fib":39088169}}"#);
    let answered = AtomicUsize::new(0);
    thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                let answer = get(&server.base, &slow);
                answered.fetch_add(1, Ordering::SeqCst);
                assert_eq!(answer, (200, expected.clone()), "{mode}");
            });
        }
        let mut while_two_run = 0;
        while answered.load(Ordering::SeqCst) < 2 {
            let (status, health) = server.get("/health");
            assert_eq!(status, 200, "{mode}: {health}");
            if in_progress(&health) == 2 {
                while_two_run += 1;
            }
        }
        while_two_run
    })
}

#[test]
fn health_is_blocked_by_inline_work_and_not_by_offloaded_work() {
    // Inline, each slow request holds one of the two runtime threads while it
    // computes, and /health needs a runtime thread to run at all: no answer
    // can ever report two in progress. This is guaranteed, not timing.
    assert_eq!(health_answers_while_two_run("inline"), 0);
    // Offloaded, the runtime threads stay free. The same two requests overlap
    // for a long while (hundreds of milliseconds even on a busy machine), and
    // /health answers many times in it; three is a wide margin.
    for mode in ["threads", "processes"] {
        let answers = health_answers_while_two_run(mode);
        assert!(answers >= 3, "{mode}: only {answers} /health answers while both ran");
    }
}

/// True while a process with this PID exists (a zombie counts: not reaped yet).
fn exists(pid: u32) -> bool {
    match kill(Pid::from_raw(pid.cast_signed()), None) {
        Ok(()) => true,
        Err(Errno::ESRCH) => false,
        Err(err) => panic!("kill(pid {pid}, 0): {err}"),
    }
}

/// The parent PID of a process, from /proc/PID/stat.
fn parent_of(pid: u32) -> u32 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // "pid (name) state ppid ...": the name may hold spaces, so split after ')'.
    let after_name = &stat[stat.rfind(')').unwrap() + 1..];
    after_name.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn stops_cleanly_with(signal: Signal) {
    let mut server = Server::rust("processes");
    let workers = pids(&server.next_line());
    assert_eq!(workers.len(), 2, "{:?}", server.printed);
    for &worker in &workers {
        assert_eq!(parent_of(worker), server.pid().as_raw().cast_unsigned());
    }
    let base = server.base.clone();
    thread::scope(|scope| {
        // A request in progress when the signal comes is still answered.
        let slow = scope.spawn(|| get(&base, "/fib/35"));
        while in_progress(&server.get("/health").1) == 0 {
            assert!(!slow.is_finished(), "the slow request ended before it was seen");
        }
        let status = server.stop_with(signal);
        assert_eq!(slow.join().unwrap(), (200, r#"{"n":35,"fib":9227465}"#.to_owned()));
        assert!(status.success(), "{signal}: {status}; {:?}", server.printed);
    });
    let name = signal.as_str();
    let stopping = format!("{name}: finishing the requests in progress");
    let printed: Vec<&str> = server.printed.iter().map(String::as_str).collect();
    assert_eq!(printed[2..], [stopping.as_str(), "stopped"]);
    // The pool waited for its workers before "stopped": they are gone, not orphaned.
    for worker in workers {
        assert!(!exists(worker), "worker pid {worker} outlived the server ({name})");
    }
}

#[test]
fn sigterm_stops_the_server_and_its_worker_processes() {
    stops_cleanly_with(Signal::SIGTERM);
}

#[test]
fn sigint_stops_the_server_and_its_worker_processes() {
    stops_cleanly_with(Signal::SIGINT);
}

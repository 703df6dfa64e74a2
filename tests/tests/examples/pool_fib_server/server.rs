//! The Rust server, run for real: the same answers in every mode, a 400 for
//! bad input, and `/health` blocked by inline work but not by offloaded work.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use super::common::{ANSWERS, Health, Server, bad_n, get};

const MODES: [&str; 3] = ["inline", "threads", "processes"];

/// Slow enough that two of these overlap for a long while, even in a debug build.
const SLOW_N: u32 = 38;

/// Two runtime threads and two workers: the setting of the inline lesson.
fn two_and_two(mode: &str) -> Server {
    Server::rust(&["--mode", mode, "--runtime-threads", "2", "--workers", "2"])
}

#[test]
fn every_mode_gives_the_same_answers() {
    for mode in MODES {
        let server = two_and_two(mode);
        for (n, fib) in ANSWERS {
            let expected = format!(r#"{{"n":{n},"fib":{fib}}}"#);
            assert_eq!(server.get(&format!("/fib/{n}")), (200, expected), "{mode}");
        }
        let idle = r#"{"status":"ok","fib_running":0,"fib_queued":0,"fib_cancelled":0}"#;
        assert_eq!(server.get("/health"), (200, idle.to_owned()), "{mode}");
    }
}

#[test]
fn bad_input_gets_400_with_a_clear_message() {
    let server = two_and_two("threads");
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
/// Returns how many `/health` answers report both slow requests running.
fn health_answers_while_two_run(mode: &str) -> usize {
    let server = two_and_two(mode);
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
            if server.health().running == 2 {
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
    // can ever report two running. This is guaranteed, not timing.
    assert_eq!(health_answers_while_two_run("inline"), 0);
    // Offloaded, the runtime threads stay free. The same two requests overlap
    // for a long while (hundreds of milliseconds even on a busy machine), and
    // /health answers many times in it; three is a wide margin.
    for mode in ["threads", "processes"] {
        let answers = health_answers_while_two_run(mode);
        assert!(answers >= 3, "{mode}: only {answers} /health answers while both ran");
    }
}

#[test]
fn health_parses_the_three_counts() {
    let body = r#"{"status":"ok","fib_running":2,"fib_queued":1,"fib_cancelled":3}"#;
    assert_eq!(Health::parse(body), Health { running: 2, queued: 1, cancelled: 3 });
}

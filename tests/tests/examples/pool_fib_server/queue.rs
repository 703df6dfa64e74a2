//! The bounded queue in front of the work, in every mode: at most `--workers`
//! computations at once, at most `--queue` more waiting, a 503 for the next;
//! a waiting request whose client hangs up is cancelled and never computed;
//! `/health` counts what runs and what waits.
//!
//! Each test holds the server busy with fib(42), which takes seconds even in
//! a release build, while it makes a few requests that take milliseconds.
//! `--shutdown-timeout-ms 0` lets the server drop that work when the test ends.
//!
//! Not in `inline` mode, although its queue is the same code: these tests
//! watch the queue through `/health` while work runs, and inline work can
//! stall every `/health` until it ends, even with a runtime thread idle (the
//! thread that took the work may be the one that was watching the sockets;
//! the chapter explains it). `server.rs` tests what inline mode guarantees.

use super::common::{Health, Server, get_with_retry_after};

/// The modes that keep the runtime's threads free while work runs.
const MODES: [&str; 2] = ["threads", "processes"];

/// A server with one worker.
fn one_worker(mode: &str, queue: &str) -> Server {
    Server::rust(&[
        "--mode",
        mode,
        "--runtime-threads",
        "2",
        "--workers",
        "1",
        "--queue",
        queue,
        "--shutdown-timeout-ms",
        "0",
    ])
}

#[test]
fn a_full_queue_answers_503_with_retry_after_in_every_mode() {
    for mode in MODES {
        let server = one_worker(mode, "1");
        let _running = server.send("/fib/42");
        server.health_when(|health| health.running == 1);
        let _waiting = server.send("/fib/42");
        let health = server.health_when(|health| health.queued == 1);
        assert_eq!(health, Health { running: 1, queued: 1, cancelled: 0 }, "{mode}");
        let refused = get_with_retry_after(&server.base, "/fib/1");
        let why = r#"{"error":"every worker is busy and the queue is full"}"#;
        assert_eq!(refused, (503, Some("1".to_owned()), why.to_owned()), "{mode}");
    }
}

#[test]
fn a_client_that_hangs_up_while_it_waits_takes_its_work_away_in_every_mode() {
    for mode in MODES {
        let server = one_worker(mode, "4");
        let running = server.send("/fib/42");
        server.health_when(|health| health.running == 1);
        let waiting = server.send("/fib/42");
        server.health_when(|health| health.queued == 1);
        drop(waiting);
        // Its place is given up and its work never started: the one worker
        // still computes the first request.
        let health = server.health_when(|health| health.cancelled == 1);
        assert_eq!(health, Health { running: 1, queued: 0, cancelled: 1 }, "{mode}");
        // Work that has started is not stopped by its client leaving: it
        // keeps the worker, and the next request waits behind it.
        drop(running);
        let _next = server.send("/fib/1");
        let health = server.health_when(|health| health.queued == 1);
        assert_eq!(health, Health { running: 1, queued: 1, cancelled: 1 }, "{mode}");
    }
}

#[test]
fn the_threads_mode_computes_at_most_workers_at_once() {
    let server = Server::rust(&[
        "--mode",
        "threads",
        "--workers",
        "2",
        "--shutdown-timeout-ms",
        "0",
    ]);
    let _clients: Vec<_> = (0..4).map(|_| server.send("/fib/42")).collect();
    let health = server.health_when(|health| health.running + health.queued == 4);
    assert_eq!(health, Health { running: 2, queued: 2, cancelled: 0 });
}

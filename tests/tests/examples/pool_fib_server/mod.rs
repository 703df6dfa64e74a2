//! pool-fib-server: the server in every mode, its queue, how it stops, the
//! session the book shows, and its Python twin.

mod common;
mod python;
mod queue;
mod server;
mod session;
mod stopping;

use common::{ANSWERS, Server, bad_n, exists};
use example_harness::{Program, pids};
use nix::sys::signal::Signal;

/// What the take-away test checks on a copy built outside the workspace: the
/// answers, a 400, and a clean stop that takes the worker processes along.
pub fn check_copy(program: Program) {
    let mut server = Server::of(program, &["--mode", "processes", "--workers", "2"]);
    let workers = pids(&server.next_line());
    assert_eq!(workers.len(), 2, "{:?}", server.printed);
    for (n, fib) in ANSWERS {
        let expected = format!(r#"{{"n":{n},"fib":{fib}}}"#);
        assert_eq!(server.get(&format!("/fib/{n}")), (200, expected));
    }
    assert_eq!(server.get("/fib/abc"), (400, bad_n("abc", 42)));
    let status = server.stop_with(Signal::SIGTERM);
    assert!(status.success(), "{status}; {:?}", server.printed);
    let stopping = "SIGTERM: finishing the requests in progress";
    assert_eq!(server.printed_after_start(), [stopping, "stopped"]);
    for worker in workers {
        assert!(!exists(worker), "worker pid {worker} outlived the server");
    }
}

#[test]
fn serves_answers_and_stops_with_its_workers() {
    check_copy(Program::example(common::BIN));
}

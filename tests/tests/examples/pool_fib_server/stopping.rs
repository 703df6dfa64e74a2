//! How the server stops: gracefully on the first SIGINT or SIGTERM, whether
//! it reaches the server alone or its whole process group (Ctrl-C in a
//! terminal); at once on a second signal or when the shutdown deadline
//! passes; and never held up by a client that sends half a request.

use std::io::Write;
use std::thread;

use super::common::{Server, assert_ends, exists, get, parent_of, read_to_close};
use example_harness::pids;
use nix::sys::signal::Signal;

const FINISHING: &str = "finishing the requests in progress";
const DROPPED: &str = "stopping now, unfinished work is dropped";

/// A request in progress when the signal comes is still answered, by a
/// worker that the signal did not kill; then the server and its workers end.
fn stops_gracefully(signal: Signal, to_the_group: bool) {
    let mut server = Server::rust(&[
        "--mode",
        "processes",
        "--workers",
        "2",
        "--shutdown-timeout-ms",
        "600000",
    ]);
    let workers = pids(&server.next_line());
    assert_eq!(workers.len(), 2, "{:?}", server.printed);
    for &worker in &workers {
        assert_eq!(parent_of(worker), server.pid().as_raw().cast_unsigned());
    }
    let base = server.base.clone();
    thread::scope(|scope| {
        let slow = scope.spawn(|| get(&base, "/fib/38"));
        server.health_when(|health| health.running == 1);
        if to_the_group {
            server.signal_group(signal);
        } else {
            server.signal(signal);
        }
        let status = server.wait();
        assert_eq!(slow.join().unwrap(), (200, r#"{"n":38,"fib":39088169}"#.to_owned()));
        assert!(status.success(), "{signal}: {status}; {:?}", server.printed);
    });
    let name = signal.as_str();
    let finishing = format!("{name}: {FINISHING}");
    assert_eq!(server.printed_after_start(), [finishing.as_str(), "stopped"]);
    // The pool waited for its workers before "stopped": they are gone, not orphaned.
    for worker in workers {
        assert!(!exists(worker), "worker pid {worker} outlived the server ({name})");
    }
}

#[test]
fn sigterm_stops_the_server_and_its_worker_processes() {
    stops_gracefully(Signal::SIGTERM, false);
}

#[test]
fn sigint_stops_the_server_and_its_worker_processes() {
    stops_gracefully(Signal::SIGINT, false);
}

/// Ctrl-C in a terminal sends SIGINT to every process of the foreground
/// group. The workers must not die of it in the middle of a job: they leave
/// their end to the server.
#[test]
fn ctrl_c_to_the_whole_process_group_lets_the_workers_finish_their_jobs() {
    stops_gracefully(Signal::SIGINT, true);
}

#[test]
fn a_second_signal_stops_the_server_at_once() {
    let mut server = Server::rust(&[
        "--mode",
        "processes",
        "--workers",
        "1",
        "--shutdown-timeout-ms",
        "600000",
    ]);
    let workers = pids(&server.next_line());
    let mut client = server.send("/fib/42");
    server.health_when(|health| health.running == 1);
    server.signal(Signal::SIGINT);
    // The first signal taken (two pending signals of one kind would be one).
    assert_eq!(server.next_line(), format!("SIGINT: {FINISHING}"));
    let status = server.stop_with(Signal::SIGTERM);
    assert_eq!(status.code(), Some(1), "{status}; {:?}", server.printed);
    let again = format!("SIGTERM again: {DROPPED}");
    assert_eq!(server.printed_after_start()[1..], [again.as_str()]);
    assert_eq!(read_to_close(&mut client), "", "the request in progress is dropped");
    // The kernel kills the worker as its parent ends (it may stay a zombie
    // for a moment, until whoever adopted it reaps it).
    for worker in workers {
        assert_ends(worker, "a worker of the stopped server");
    }
}

/// Inline, both runtime threads compute fib(42): a stop that needed a runtime
/// thread would wait for them. The deadline ends the server anyway.
#[test]
fn the_deadline_stops_a_server_whose_runtime_threads_are_all_busy() {
    let mut server = Server::rust(&[
        "--mode",
        "inline",
        "--runtime-threads",
        "2",
        "--workers",
        "2",
        "--shutdown-timeout-ms",
        "300",
    ]);
    let mut first = server.send("/fib/42");
    // Not `/health`: inline work may keep it from being answered at all.
    server.wait_until_computing();
    let _second = server.send("/fib/42"); // from now on, probably no runtime thread is free
    let status = server.stop_with(Signal::SIGTERM);
    assert_eq!(status.code(), Some(1), "{status}; {:?}", server.printed);
    let finishing = format!("SIGTERM: {FINISHING}");
    let deadline = format!("the shutdown deadline has passed: {DROPPED}");
    assert_eq!(server.printed_after_start(), [finishing.as_str(), deadline.as_str()]);
    assert_eq!(read_to_close(&mut first), "", "the request in progress is dropped");
}

/// A connection that sends nothing, or half a request's headers, is closed
/// after `--header-timeout-ms`, and so it cannot hold up a graceful stop.
#[test]
fn a_client_that_sends_half_a_request_is_dropped_and_does_not_hold_up_a_stop() {
    let mut server = Server::rust(&["--mode", "threads", "--header-timeout-ms", "200"]);
    let half_request = b"GET /fib/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    let mut silent = server.connect();
    let mut half = server.connect();
    half.write_all(half_request).unwrap();
    assert_eq!(server.get("/fib/10"), (200, r#"{"n":10,"fib":55}"#.to_owned()));
    assert_eq!(read_to_close(&mut silent), "", "a silent connection is closed");
    assert_eq!(read_to_close(&mut half), "", "a half-sent request is closed");

    let mut half_at_the_stop = server.connect();
    half_at_the_stop.write_all(half_request).unwrap();
    // Connections are accepted in order: once a later one is answered, this
    // one is the server's, and a graceful stop must wait for it or close it.
    assert_eq!(server.get("/fib/1").0, 200);
    let status = server.stop_with(Signal::SIGTERM);
    assert!(status.success(), "{status}; {:?}", server.printed);
    let finishing = format!("SIGTERM: {FINISHING}");
    assert_eq!(server.printed_after_start(), [finishing.as_str(), "stopped"]);
    assert_eq!(read_to_close(&mut half_at_the_stop), "");
}

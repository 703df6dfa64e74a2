//! The session the chapter shows, run for real: what the server prints from
//! start to stop, and what a client gets from it along the way, a crashed
//! worker included.
//!
//! RECORDED: the two files are this test's run, written when RECORD_OUTPUTS is set:
//!     RECORD_OUTPUTS=1 cargo test -p example-harness --test examples pool_fib_server::session

use std::fs;

use super::common::{Server, get_with_retry_after, read_to_close, status_and_body};
use example_harness::{RECORD_OUTPUTS, pids, redact_pids, workspace_root};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const SERVER: &str = "examples-pools/pool-fib-server/recorded/server.txt";
const CLIENT: &str = "examples-pools/pool-fib-server/recorded/client.txt";

/// What a client sent and got, one line per request, with notes on what
/// happened between them.
struct Transcript {
    base: String,
    text: String,
}

impl Transcript {
    fn get(&mut self, path: &str) {
        let (status, retry_after, body) = get_with_retry_after(&self.base, path);
        let retry = retry_after.map(|secs| format!(" (Retry-After: {secs})"));
        let retry = retry.unwrap_or_default();
        self.text.push_str(&format!("GET {path} -> {status}{retry} {body}\n"));
    }

    fn note(&mut self, note: &str) {
        self.text.push_str(&format!("# {note}\n"));
    }
}

/// The port changes from run to run, and so do PIDs.
fn normalize(text: &str) -> String {
    let redacted = redact_pids(text);
    match redacted.split_once("http://127.0.0.1:") {
        Some((before, after)) => {
            let rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
            format!("{before}http://127.0.0.1:[PORT]{rest}")
        }
        None => redacted,
    }
}

/// Compares a recorded file with this run, after writing it first when
/// RECORD_OUTPUTS is set.
fn check_recorded_text(recorded: &str, now: &str) {
    let path = workspace_root().join(recorded);
    if std::env::var_os(RECORD_OUTPUTS).is_some() {
        fs::write(&path, now).unwrap();
    }
    let book = fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {recorded}: {err}; record it"));
    assert_eq!(
        normalize(&book),
        normalize(now),
        "{recorded} no longer matches the session; record it again with \
         {RECORD_OUTPUTS}=1 (see this file's comment)"
    );
}

#[test]
fn the_books_session_is_what_the_server_prints_and_answers() {
    let mut server =
        Server::rust(&["--mode", "processes", "--workers", "1", "--queue", "1"]);
    let worker = pids(&server.next_line())[0];
    let mut client = Transcript { base: server.base.clone(), text: String::new() };
    client.get("/fib/30");
    client.get("/fib/abc");
    client.get("/health");

    client.note("a client asks for /fib/42, then another for /fib/41");
    let mut slow = server.send("/fib/42");
    server.health_when(|health| health.running == 1);
    let waiting = server.send("/fib/41");
    server.health_when(|health| health.queued == 1);
    client.get("/health");
    client.get("/fib/10");

    client.note("the /fib/41 client hangs up");
    drop(waiting);
    server.health_when(|health| health.cancelled == 1);
    client.get("/health");

    client
        .note(&format!("kill -KILL the worker, pid {worker}, while it computes fib(42)"));
    kill(Pid::from_raw(worker.cast_signed()), Signal::SIGKILL).unwrap();
    let answer = read_to_close(&mut slow);
    let (status, body) = status_and_body(&answer);
    client.text.push_str(&format!("the /fib/42 client gets: {status} {body}\n"));
    client.get("/fib/20");

    let status = server.stop_with(Signal::SIGINT);
    assert!(status.success(), "{status}; {:?}", server.printed);
    let printed: String = server.printed.iter().map(|line| format!("{line}\n")).collect();
    check_recorded_text(SERVER, &printed);
    check_recorded_text(CLIENT, &client.text);
}

#[test]
fn normalize_hides_the_port_and_the_pids() {
    assert_eq!(
        normalize("listening on http://127.0.0.1:40123\nin pid 77, pid 78\n"),
        "listening on http://127.0.0.1:[PORT]\nin pid [PID], pid [PID]\n"
    );
}

//! A server started for a test, and never left behind: dropping it kills it
//! and its workers, so a failed assertion does not leave a process running.

// Each test file uses a part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use example_harness::TIMEOUT;
use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

pub const BIN: &str = "pool-fib-server";

pub struct Server {
    child: Child,
    lines: Receiver<String>,
    /// `http://127.0.0.1:PORT`, from the first line the server prints.
    pub base: String,
    /// Every line printed so far.
    pub printed: Vec<String>,
}

impl Server {
    /// The Rust server in `mode`, on a free port, with two runtime threads and two workers.
    pub fn rust(mode: &str) -> Server {
        let mut command = Command::new(example_harness::example_binary(BIN));
        command.args(["--mode", mode, "--port", "0"]);
        command.args(["--runtime-threads", "2", "--workers", "2"]);
        Server::start(command)
    }

    /// Starts the server and reads where it listens.
    pub fn start(mut command: Command) -> Server {
        // A process group of its own, which its workers join: Drop can kill them all.
        command.stdout(Stdio::piped()).process_group(0);
        let mut child = command.spawn().expect("cannot start the server");
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, lines) = mpsc::channel();
        // Reads every line as it comes, so the server never blocks on a full pipe.
        thread::spawn(move || {
            for line in stdout.lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server =
            Server { child, lines, base: String::new(), printed: Vec::new() };
        let first = server.next_line();
        server.base = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                panic!("the first line must say where it listens: {first:?}")
            })
            .to_owned();
        server
    }

    /// The next line the server prints (a test failure after [`TIMEOUT`]).
    pub fn next_line(&mut self) -> String {
        let line = self.lines.recv_timeout(TIMEOUT).unwrap_or_else(|err| {
            panic!("no line from the server ({err}); so far: {:?}", self.printed)
        });
        self.printed.push(line.clone());
        line
    }

    pub fn pid(&self) -> Pid {
        Pid::from_raw(self.child.id().cast_signed())
    }

    /// `GET path`: the status and the body.
    pub fn get(&self, path: &str) -> (u16, String) {
        get(&self.base, path)
    }

    /// `POST path` with no body: the status.
    pub fn post(&self, path: &str) -> u16 {
        answer(agent().post(format!("{}{path}", self.base)).send_empty()).0
    }

    /// Sends `signal` and waits for the server to exit (a test failure after [`TIMEOUT`]).
    pub fn stop_with(&mut self, signal: Signal) -> ExitStatus {
        kill(self.pid(), signal).expect("the server is running");
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The rest of its output, now that the pipe is closed.
                while let Ok(line) = self.lines.recv_timeout(TIMEOUT) {
                    self.printed.push(line);
                }
                return status;
            }
            assert!(Instant::now() < deadline, "the server ignored {signal}");
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    /// Asks the server to stop, so that it reaps its own workers; after a
    /// few seconds, or if a test failed, kills its whole process group.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) && !thread::panicking() {
            let _ = kill(self.pid(), Signal::SIGTERM);
            let deadline = Instant::now() + Duration::from_secs(5);
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(10));
            }
        }
        let _ = killpg(self.pid(), Signal::SIGKILL);
        let _ = self.child.wait();
    }
}

/// `GET path` from the server at `base`, for threads (a `Server` stays in one).
pub fn get(base: &str, path: &str) -> (u16, String) {
    answer(agent().get(format!("{base}{path}")).call())
}

/// A client that returns every status as an answer (not a 400 as an error),
/// and gives up after [`TIMEOUT`] instead of hanging the test.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(TIMEOUT))
        .build()
        .into()
}

fn answer(
    response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> (u16, String) {
    let mut response = response.expect("the server answers");
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().expect("a text body"))
}

/// The `fib_in_progress` that a `/health` answer reports.
pub fn in_progress(health: &str) -> u64 {
    let health: serde_json::Value = serde_json::from_str(health).expect("JSON");
    assert_eq!(health["status"], "ok", "{health}");
    health["fib_in_progress"].as_u64().expect("fib_in_progress")
}

/// The answers both servers must give, Rust and Python: (n, fib(n)).
pub const ANSWERS: [(u32, u64); 6] =
    [(0, 0), (1, 1), (2, 1), (10, 55), (20, 6765), (25, 75025)];

/// What a client must get for `/fib/{text}` when text is not an allowed n.
pub fn bad_n(text: &str, max: u32) -> String {
    format!(r#"{{"error":"n must be a whole number from 0 to {max}, got \"{text}\""}}"#)
}

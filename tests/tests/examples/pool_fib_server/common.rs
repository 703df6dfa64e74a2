//! A server started for a test, and never left behind: dropping it stops it
//! and its workers, so a failed assertion does not leave a process running.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use example_harness::{Program, TIMEOUT};
use nix::sys::signal::{SigHandler, Signal, kill, killpg};
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
    /// The workspace's Rust server on a free port, with these options.
    pub fn rust(args: &[&str]) -> Server {
        Server::of(Program::example(BIN), args)
    }

    /// `program` (the server, built here or elsewhere) on a free port, with these options.
    pub fn of(program: Program, args: &[&str]) -> Server {
        let mut command = program.command();
        command.args(["--port", "0"]).args(args);
        Server::start(command)
    }

    /// Starts the server and reads where it listens.
    pub fn start(mut command: Command) -> Server {
        // A process group of its own, which its workers join: Drop can kill them all,
        // and a test can signal the whole group as Ctrl-C in a terminal does.
        command.stdout(Stdio::piped()).process_group(0);
        // A shell starts a background job with SIGINT ignored, and the test
        // may have inherited that. A terminal's foreground job has SIGINT and
        // SIGTERM at their defaults: so does the server here, or an ignored
        // SIGINT would hide what a Ctrl-C does to its workers.
        // SAFETY: between fork and exec, only sigaction, which is async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                for signal in [Signal::SIGINT, Signal::SIGTERM] {
                    nix::sys::signal::signal(signal, SigHandler::SigDfl)?;
                }
                Ok(())
            });
        }
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

    /// What `/health` reports now.
    pub fn health(&self) -> Health {
        let (status, body) = self.get("/health");
        assert_eq!(status, 200, "{body}");
        Health::parse(&body)
    }

    /// Asks `/health` until `wanted` holds, and returns that answer (a test
    /// failure after [`TIMEOUT`]: the state never came).
    pub fn health_when(&self, wanted: impl Fn(&Health) -> bool) -> Health {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let health = self.health();
            if wanted(&health) {
                return health;
            }
            assert!(Instant::now() < deadline, "/health never got there: {health:?}");
            thread::sleep(Duration::from_millis(2));
        }
    }

    /// Waits until the server has used a fifth of a second of CPU time from
    /// now, which an idle server never does: a computation has started (a
    /// test failure after [`TIMEOUT`]). For inline work, during which
    /// `/health` may go unanswered.
    pub fn wait_until_computing(&self) {
        let pid = self.child.id();
        let cpu_ticks = || {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
            // utime and stime, the 14th and 15th fields, after "pid (name) ".
            let after_name = &stat[stat.rfind(')').unwrap() + 1..];
            let fields: Vec<u64> = after_name
                .split_whitespace()
                .skip(11)
                .take(2)
                .map(|f| f.parse().unwrap())
                .collect();
            fields.iter().sum::<u64>()
        };
        // /proc counts in USER_HZ, which is 100 on Linux.
        let fifth_of_a_second = 20;
        let start = cpu_ticks();
        let deadline = Instant::now() + TIMEOUT;
        while cpu_ticks() < start + fifth_of_a_second {
            assert!(Instant::now() < deadline, "the server never started computing");
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Opens a connection and sends `GET path` on it, as a client that will
    /// wait for the answer ([`read_to_close`]), or hang up by dropping the stream.
    pub fn send(&self, path: &str) -> TcpStream {
        let mut stream = self.connect();
        // Closed after the answer, so that reading to the end reads one answer.
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).unwrap();
        stream
    }

    /// A connection to the server on which nothing is sent yet.
    pub fn connect(&self) -> TcpStream {
        let address = self.base.strip_prefix("http://").unwrap();
        let stream = TcpStream::connect(address).expect("the server accepts");
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream
    }

    /// Sends `signal` to the server alone.
    pub fn signal(&self, signal: Signal) {
        kill(self.pid(), signal).expect("the server is running");
    }

    /// Sends `signal` to the server's whole process group, workers included,
    /// as Ctrl-C in a terminal does.
    pub fn signal_group(&self, signal: Signal) {
        killpg(self.pid(), signal).expect("the server's group exists");
    }

    /// Waits for the server to exit (a test failure after [`TIMEOUT`]) and
    /// reads the rest of what it printed.
    pub fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The rest of its output, now that the pipe is closed.
                while let Ok(line) = self.lines.recv_timeout(TIMEOUT) {
                    self.printed.push(line);
                }
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop");
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends `signal` and waits for the server to exit.
    pub fn stop_with(&mut self, signal: Signal) -> ExitStatus {
        self.signal(signal);
        self.wait()
    }

    /// What the server printed after its first two lines.
    pub fn printed_after_start(&self) -> Vec<&str> {
        self.printed.iter().skip(2).map(String::as_str).collect()
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

/// The counts a `/health` answer reports.
#[derive(Debug, PartialEq)]
pub struct Health {
    pub running: u64,
    pub queued: u64,
    pub cancelled: u64,
}

impl Health {
    pub fn parse(body: &str) -> Health {
        let health: serde_json::Value = serde_json::from_str(body).expect("JSON");
        assert_eq!(health["status"], "ok", "{health}");
        let count = |key: &str| {
            health[key].as_u64().unwrap_or_else(|| panic!("no {key} in {health}"))
        };
        Health {
            running: count("fib_running"),
            queued: count("fib_queued"),
            cancelled: count("fib_cancelled"),
        }
    }
}

/// Reads what the server sends on `stream` until it closes the connection:
/// the whole answer, or nothing for a connection it dropped.
pub fn read_to_close(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    match stream.read_to_end(&mut received) {
        Ok(_) => {}
        // Closed with data unread on our side: the kernel says so with a reset.
        Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(err) => panic!("the server neither answered nor closed: {err}"),
    }
    String::from_utf8(received).unwrap()
}

/// The status and the body of an HTTP answer read by [`read_to_close`].
pub fn status_and_body(answer: &str) -> (u16, &str) {
    let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    let status = head.split(' ').nth(1).and_then(|code| code.parse().ok());
    (status.unwrap_or_else(|| panic!("no status in {head:?}")), body)
}

/// `GET path` from the server at `base`, for threads (a `Server` stays in one).
pub fn get(base: &str, path: &str) -> (u16, String) {
    answer(agent().get(format!("{base}{path}")).call())
}

/// `GET path`: the status, the `Retry-After` header if any, and the body.
pub fn get_with_retry_after(base: &str, path: &str) -> (u16, Option<String>, String) {
    let mut response =
        agent().get(format!("{base}{path}")).call().expect("the server answers");
    let retry_after = response.headers().get("retry-after");
    let retry_after = retry_after.map(|value| value.to_str().unwrap().to_owned());
    let body = response.body_mut().read_to_string().expect("a text body");
    (response.status().as_u16(), retry_after, body)
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

/// The answers both servers must give, Rust and Python: (n, fib(n)).
pub const ANSWERS: [(u32, u64); 6] =
    [(0, 0), (1, 1), (2, 1), (10, 55), (20, 6765), (25, 75025)];

/// What a client must get for `/fib/{text}` when text is not an allowed n.
pub fn bad_n(text: &str, max: u32) -> String {
    format!(r#"{{"error":"n must be a whole number from 0 to {max}, got \"{text}\""}}"#)
}

/// True while a process with this PID exists, a zombie included (not reaped yet).
pub fn exists(pid: u32) -> bool {
    match kill(Pid::from_raw(pid.cast_signed()), None) {
        Ok(()) => true,
        Err(nix::errno::Errno::ESRCH) => false,
        Err(err) => panic!("kill(pid {pid}, 0): {err}"),
    }
}

/// True while a process with this PID runs: not gone, and not a zombie (a
/// dead child that nobody has reaped yet, such as an orphan of a server that
/// exited at once).
pub fn runs(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // "pid (name) state ...": the name may hold spaces, so split after ')'.
    let state = stat[stat.rfind(')').unwrap() + 1..].split_whitespace().next();
    state != Some("Z")
}

/// Waits until `pid` runs no more (a test failure after [`TIMEOUT`]).
pub fn assert_ends(pid: u32, what: &str) {
    let deadline = Instant::now() + TIMEOUT;
    while runs(pid) {
        assert!(Instant::now() < deadline, "{what} (pid {pid}) is still running");
        thread::sleep(Duration::from_millis(10));
    }
}

/// The parent PID of a process, from /proc/PID/stat.
pub fn parent_of(pid: u32) -> u32 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 1..];
    after_name.split_whitespace().nth(1).unwrap().parse().unwrap()
}

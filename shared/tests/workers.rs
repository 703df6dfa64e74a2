//! The toolkit's guarantees: a crashed worker is an error that names it, and
//! no worker outlives its parent, however the parent ends.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const PROBE: &str = env!("CARGO_BIN_EXE_worker-probe");
const PATIENCE: Duration = Duration::from_secs(30);

/// Starts the probe and reads the worker's PID from its first line.
fn start_probe(
    mode: &str,
    role: &str,
) -> (Child, BufReader<std::process::ChildStdout>, Pid) {
    let mut probe = Command::new(PROBE)
        .args([mode, role])
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the probe starts");
    let mut stdout = BufReader::new(probe.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let pid: i32 = line
        .trim()
        .strip_prefix("worker pid ")
        .unwrap_or_else(|| panic!("the probe's first line names the worker: {line:?}"))
        .parse()
        .unwrap();
    (probe, stdout, Pid::from_raw(pid))
}

/// Waits for the probe to exit, killing it (and failing) if it hangs. Stderr is
/// read on a thread: a worker left behind would hold the pipe open forever.
fn finish(mut probe: Child) -> (Option<i32>, Option<i32>, String) {
    let mut stderr_pipe = probe.stderr.take().unwrap();
    let (stderr_tx, stderr_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut stderr = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr_pipe, &mut stderr);
        let _ = stderr_tx.send(stderr);
    });
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = probe.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = probe.kill();
            panic!("the probe hung");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stderr = stderr_rx.recv_timeout(PATIENCE).unwrap_or_else(|_| {
        "(stderr still open: a process outlived the probe)".to_owned()
    });
    use std::os::unix::process::ExitStatusExt;
    (status.code(), status.signal(), stderr)
}

/// True once `pid` is gone (or only a zombie waiting for a reaper).
fn is_gone(pid: Pid) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => {
            stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z'))
        }
    }
}

fn assert_gone_soon(pid: Pid, what: &str) {
    let deadline = Instant::now() + PATIENCE;
    while !is_gone(pid) {
        assert!(Instant::now() < deadline, "worker {pid} still runs after {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Reads the probe's next line, which must be `expected`.
fn expect_line(stdout: &mut BufReader<std::process::ChildStdout>, expected: &str) {
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line.trim_end(), expected);
}

fn assert_worker_failure(role: &str, expected: &str) {
    let (probe, _stdout, worker) = start_probe("wait", role);
    let (code, _, stderr) = finish(probe);
    assert_eq!(code, Some(1), "the parent fails: {stderr}");
    let named = format!("worker {role:?} (pid {worker}) {expected}");
    assert!(stderr.contains(&named), "expected {named:?} in:\n{stderr}");
    assert_gone_soon(worker, "the parent reported it");
}

#[test]
fn a_worker_that_replies_is_joined_cleanly() {
    let (probe, mut stdout, worker) = start_probe("wait", "echo");
    expect_line(&mut stdout, "reply 1");
    expect_line(&mut stdout, "reply 2");
    let (code, _, stderr) = finish(probe);
    assert_eq!(code, Some(0), "{stderr}");
    assert_gone_soon(worker, "join");
}

#[test]
fn a_panicking_worker_is_an_error_naming_it() {
    assert_worker_failure("panic", "exited with code 101 (a Rust panic exits with 101)");
}

#[test]
fn an_aborting_worker_is_an_error_naming_its_signal() {
    assert_worker_failure("abort", "was killed by SIGABRT");
}

#[test]
fn a_worker_exit_code_is_reported_truthfully() {
    assert_worker_failure("exit-7", "exited with code 7");
}

#[test]
fn a_worker_that_dies_before_connecting_is_an_error_not_a_hang() {
    let probe = Command::new(PROBE)
        .args(["wait", "exit-before-connecting"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (code, _, stderr) = finish(probe);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("\"exit-before-connecting\"")
            && stderr.contains("exited with code 3 before it connected"),
        "{stderr}"
    );
}

#[test]
fn a_worker_killed_while_the_parent_waits_is_reported() {
    let (probe, mut stdout, worker) = start_probe("wait", "sleep");
    expect_line(&mut stdout, "reply 1");
    kill(worker, Signal::SIGKILL).unwrap();
    let (code, _, stderr) = finish(probe);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("(pid {worker}) was killed by SIGKILL")),
        "{stderr}"
    );
}

// ANCHOR: parent_signal
fn assert_parent_signal_takes_the_worker(signal: Signal) {
    let (probe, mut stdout, worker) = start_probe("wait", "sleep");
    expect_line(&mut stdout, "reply 1"); // the worker is asleep in the middle of a job
    kill(Pid::from_raw(probe.id() as i32), signal).unwrap();
    let (_, killed_by, _) = finish(probe);
    assert_eq!(killed_by, Some(signal as i32));
    assert_gone_soon(worker, &format!("its parent got {signal}"));
}

#[test]
fn sigkill_to_the_parent_leaves_no_worker() {
    assert_parent_signal_takes_the_worker(Signal::SIGKILL);
}
// ANCHOR_END: parent_signal

#[test]
fn sigterm_to_the_parent_leaves_no_worker() {
    assert_parent_signal_takes_the_worker(Signal::SIGTERM);
}

#[test]
fn sigint_to_the_parent_leaves_no_worker() {
    assert_parent_signal_takes_the_worker(Signal::SIGINT);
}

#[test]
fn a_panicking_parent_leaves_no_worker() {
    let (probe, mut stdout, worker) = start_probe("panic-after-start", "sleep");
    expect_line(&mut stdout, "reply 1");
    let (code, _, _) = finish(probe);
    assert_eq!(code, Some(101));
    assert_gone_soon(worker, "its parent panicked");
}

#[test]
fn a_parent_that_returns_without_joining_leaves_no_worker() {
    let (probe, mut stdout, worker) = start_probe("return-without-join", "sleep");
    expect_line(&mut stdout, "reply 1");
    let (code, _, stderr) = finish(probe);
    assert_eq!(code, Some(0), "{stderr}");
    assert_gone_soon(worker, "its parent returned");
}

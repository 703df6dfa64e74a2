//! Every binary of every example, probed with the same bad inputs.
//!
//! A reader mistypes an option, pipes the output into `head`, or has a file
//! name that is not UTF-8. Whatever the example, the answer must be a clear
//! message and exit code 2, or a quiet end, never a panic or a hang, and no
//! process may be left behind. A new example is probed without anyone
//! having to remember it.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use example_harness::example_binary;
use example_harness::takeaway::examples;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// Options that make a long-running program quick enough to probe its end.
fn quick_arguments(binary: &str) -> &'static [&'static str] {
    match binary {
        "bench-cpu-bound" => &["--n", "20000", "--runs", "1", "--workers", "1"],
        "bench-io-bound" => &["--pages", "4", "--runs", "1", "--workers", "1"],
        "bench-memory" => &["--workers", "1", "--runs", "1"],
        "bench-do-work" => &[
            "--fileio-items",
            "6",
            "--square-items",
            "6",
            "--workers",
            "2",
            "--runs",
            "1",
        ],
        "bench-fib-latency" => &["--n", "15", "--requests", "2", "--runs", "1"],
        "bench-overhead" => &["--jobs", "2", "--runs", "1"],
        "bench-ipc" => &["--sizes", "8,4096", "--messages", "10", "--runs", "1"],
        _ => &[],
    }
}

/// Every binary of every example; `PROBE=name1,name2` probes only those examples.
fn binaries() -> Vec<String> {
    let only = std::env::var("PROBE").ok();
    let wanted =
        |name: &str| only.as_ref().is_none_or(|list| list.split(',').any(|n| n == name));
    let examples = examples().into_iter().filter(|example| wanted(&example.name));
    examples.flat_map(|example| example.binaries()).collect()
}

/// Runs `binary` with `args`, stdout and stderr captured, killed after a minute.
fn run(binary: &str, args: &[&OsStr], step_ms: Option<&str>) -> Output {
    let mut command = Command::new(example_binary(binary));
    command.args(args).stdin(Stdio::null()).env_remove("STEP_MS");
    if let Some(step) = step_ms {
        command.env("STEP_MS", step);
    }
    let output = assert_cmd::Command::from_std(command)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(output.status.signal().is_none(), "{binary} {args:?} was killed (a hang?)");
    output
}

fn assert_refused(binary: &str, args: &[&OsStr], step_ms: Option<&str>) {
    let output = run(binary, args, step_ms);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{binary} {args:?}: {stderr}");
    assert!(!stderr.trim().is_empty(), "{binary} {args:?} says nothing on stderr");
    assert!(!stderr.contains("panicked"), "{binary} {args:?} panicked: {stderr}");
    assert!(output.stdout.is_empty(), "{binary} {args:?} still ran");
}

#[test]
fn help_is_printed_and_succeeds() {
    for binary in binaries() {
        let output = run(&binary, &[OsStr::new("--help")], None);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{binary} --help");
        assert!(stdout.contains("Usage:"), "{binary} --help printed:\n{stdout}");
    }
}

#[test]
fn unknown_options_and_stray_arguments_are_refused() {
    for binary in binaries() {
        assert_refused(&binary, &[OsStr::new("--no-such-option")], None);
        assert_refused(&binary, &[OsStr::new("no-such-argument")], None);
        assert_refused(&binary, &[OsStr::new("--help-me")], None);
    }
}

#[test]
fn arguments_that_are_not_utf8_are_refused() {
    let not_utf8 = OsStr::from_bytes(b"name-\xff");
    let dashed = OsStr::from_bytes(b"--name-\xff");
    for binary in binaries() {
        assert_refused(&binary, &[not_utf8], None);
        assert_refused(&binary, &[dashed], None);
    }
}

#[test]
fn a_step_that_is_not_a_number_is_refused() {
    for binary in binaries() {
        let help =
            String::from_utf8_lossy(&run(&binary, &[OsStr::new("--help")], None).stdout)
                .into_owned();
        if help.contains("STEP_MS") {
            assert_refused(&binary, &[], Some("soon"));
            assert_refused(&binary, &[], Some("-5"));
            assert_refused(&binary, &[], Some("99999999999999999999999"));
        }
    }
}

/// Processes in process group `group` that have not ended (zombies have).
fn live_members(group: u32) -> Vec<u32> {
    let mut members = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // After the command name in parentheses: state, ppid, pgrp.
        let fields: Vec<&str> =
            stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
        if fields[2] == group.to_string() && fields[0] != "Z" {
            members.push(pid);
        }
    }
    members
}

#[test]
fn a_closed_stdout_ends_the_program_quietly_and_leaves_no_process() {
    for binary in binaries() {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader); // the first line the program writes finds nobody reading
        let mut command = Command::new(example_binary(&binary));
        command.args(quick_arguments(&binary)).env("STEP_MS", "1").process_group(0);
        if binary == "pool-fib-server" {
            command.args(["--port", "0"]);
        }
        command.stdin(Stdio::null()).stdout(writer).stderr(Stdio::piped());
        let child = command.spawn().unwrap();
        let group = child.id();
        let output = wait_at_most(child, Duration::from_secs(60), &binary);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let by_sigpipe = output.status.signal() == Some(Signal::SIGPIPE as i32);
        assert!(
            output.status.success() || by_sigpipe,
            "{binary} with a closed stdout ended with {}: {stderr}",
            output.status
        );
        assert!(stderr.trim().is_empty(), "{binary} with a closed stdout said: {stderr}");
        let deadline = Instant::now() + Duration::from_secs(5);
        while !live_members(group).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(
            live_members(group),
            Vec::<u32>::new(),
            "{binary} left processes behind"
        );
    }
}

/// Waits for `child`, killing its whole group if it runs longer than `limit`.
fn wait_at_most(mut child: std::process::Child, limit: Duration, binary: &str) -> Output {
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = killpg(Pid::from_raw(child.id().cast_signed()), Signal::SIGKILL);
            panic!("{binary} with a closed stdout did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

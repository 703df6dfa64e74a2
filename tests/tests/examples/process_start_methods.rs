//! What process-start-methods must print, and what its Python counterpart prints.
//!
//! What a child inherits is the same on every run, so the output is checked
//! line by line. (What starting each kind of child costs is measured by
//! bench-overhead, not here.)

use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use example_harness::{
    Program, check_recorded, example_binary, live_processes, process_info,
};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const BIN: &str = "process-start-methods";

const RUST_LINES: [&str; 9] = [
    "parent sets SETTING = \"changed at run time\" and opens a file",
    "fork child sees SETTING = \"changed at run time\"",
    "fork child has the parent's file open: yes",
    "re-executed child sees SETTING = \"as written in the source\"",
    "re-executed child has the parent's file open: no",
    "the file holds:",
    "  parent: written before the split",
    "  fork child: written through the inherited descriptor",
    "  parent: written after both children exited",
];

const PYTHON_LINES: [&str; 4] = [
    "parent sets SETTING = \"changed at run time\"",
    "fork child sees SETTING = \"changed at run time\"",
    "forkserver child sees SETTING = \"as written in the source\"",
    "spawn child sees SETTING = \"as written in the source\"",
];

/// The last line of the Python version names the default start method.
const PYTHON_DEFAULT: &str = "a plain Process here starts by ";

fn unchanged(output: &str) -> String {
    output.to_owned()
}

/// The default start method is the one line that depends on the Python version.
fn without_default(output: &str) -> String {
    let lines = output.lines().map(|line| match line.strip_prefix(PYTHON_DEFAULT) {
        Some(_) => format!("{PYTHON_DEFAULT}[METHOD]\n"),
        None => format!("{line}\n"),
    });
    lines.collect()
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_eq!(program.run_ok().lines(), RUST_LINES);
}

#[test]
fn fork_inherits_memory_and_files_and_re_exec_starts_fresh() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_eq!(run.lines(), RUST_LINES, "{}", run.stdout);
    insta::assert_snapshot!("start_methods", run.stdout);
    check_recorded(
        &program,
        "examples-processes/process-start-methods/recorded/start-methods.txt",
        unchanged,
        &run,
    );
}

#[test]
fn the_scratch_file_leaves_nothing_behind() {
    let scratch = tempfile::tempdir().unwrap();
    let tmpdir = scratch.path().to_str().unwrap();
    for _ in 0..2 {
        let run = Program::example(BIN).env("TMPDIR", tmpdir).run_ok();
        assert_eq!(run.lines(), RUST_LINES);
    }
    assert_eq!(entries(scratch.path()), Vec::<String>::new());
}

/// `| head -1`: the fork child's line finds the pipe closed, the child dies of
/// SIGPIPE, and the parent, seeing it end so, ends quietly too.
#[test]
fn piped_into_head_the_fork_child_and_the_parent_end_quietly() {
    let run = Program::example(BIN).run_into_head(1);
    assert_eq!(run.lines, [RUST_LINES[0]], "{run:?}");
    run.assert_quiet();
}

/// Signalled while the file is open and its fork child is running, the
/// program leaves nothing in its temporary directory, whatever the signal.
#[test]
fn a_signal_in_the_middle_leaves_no_scratch_file() {
    for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGKILL] {
        let scratch = tempfile::tempdir().unwrap();
        signal_while_the_fork_child_runs(scratch.path(), signal);
        assert_eq!(entries(scratch.path()), Vec::<String>::new(), "after {signal}");
    }
}

fn entries(dir: &std::path::Path) -> Vec<String> {
    let names = std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().file_name());
    names.map(|name| name.to_string_lossy().into_owned()).collect()
}

/// Runs the program with `TMPDIR` set to `tmpdir` and its stdout a pipe with
/// room for exactly its first line: the fork child's first line then blocks,
/// so the program is held in the middle (its file open, its parent waiting for
/// the child) until the test has sent `signal` to the parent.
fn signal_while_the_fork_child_runs(tmpdir: &std::path::Path, signal: Signal) {
    let (reader, mut writer) = std::io::pipe().unwrap();
    // SAFETY: F_GETPIPE_SZ only reads the pipe's capacity.
    let capacity =
        unsafe { nix::libc::fcntl(writer.as_raw_fd(), nix::libc::F_GETPIPE_SZ) };
    let first_line = format!("{}\n", RUST_LINES[0]);
    let filler = usize::try_from(capacity).unwrap() - first_line.len();
    writer.write_all(&vec![b'.'; filler]).unwrap();
    let mut program = Command::new(example_binary(BIN))
        .env("TMPDIR", tmpdir)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let forked = loop {
        let child = live_processes().into_iter().find(|p| p.parent == program.id());
        if let Some(child) = child {
            break child;
        }
        assert!(program.try_wait().unwrap().is_none(), "it ended without blocking");
        assert!(Instant::now() < deadline, "no fork child within a minute");
        std::thread::sleep(Duration::from_millis(5));
    };
    kill(Pid::from_raw(program.id().cast_signed()), signal).unwrap();
    let status = program.wait().unwrap();
    assert!(!status.success(), "{signal} ended it with {status}");
    // The orphaned fork child is still blocked writing: with the pipe closed,
    // its write fails and SIGPIPE ends it (and its end of stderr closes).
    drop(reader);
    while process_info(forked.pid).is_some_and(|now| now.start_time == forked.start_time)
    {
        assert!(Instant::now() < deadline, "the fork child outlived the pipe");
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut stderr = String::new();
    program.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(stderr.is_empty(), "{signal}: {stderr}");
}

/// The Python version as (major, minor), from the `python3` the tests run.
fn python_version() -> (u32, u32) {
    let output = Command::new("python3")
        .args(["-c", "import sys; print(*sys.version_info[:2])"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let (major, minor) = text.trim().split_once(' ').unwrap();
    (major.parse().unwrap(), minor.parse().unwrap())
}

#[test]
fn python_fork_child_sees_the_change_and_spawn_child_does_not() {
    let Some(program) = Program::python("process_start_methods.py") else {
        return;
    };
    let run = program.run_ok();
    let lines = run.lines();
    assert_eq!(lines[..4], PYTHON_LINES, "{}", run.stdout);
    // Linux's default was fork until Python 3.13; 3.14 made it forkserver.
    let default = if python_version() < (3, 14) { "fork" } else { "forkserver" };
    assert_eq!(lines[4..], [format!("{PYTHON_DEFAULT}{default}")], "{}", run.stdout);
    check_recorded(
        &program,
        "python/recorded/process_start_methods.txt",
        without_default,
        &run,
    );
}

//! What process-external-commands must print, and what its Python counterpart prints.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use example_harness::{
    ProcessInfo, Program, check_recorded, example_binary, live_processes, process_info,
};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const BIN: &str = "process-external-commands";

/// Each command's last argument (it appears in the line that shows the command)
/// and how the command must end, in input order.
const EXPECTED: &[(&str, &str)] = &[
    ("hello", "exit status: 0, output: hello"),
    ("sleep 0.5; echo slow", "exit status: 0, output: slow"),
    ("0.3", "exit status: 0"),
    ("echo disk full >&2; exit 3", "exit status: 3, output: disk full"),
    ("no-such-command", "could not start it: No such file or directory (os error 2)"),
    ("sleep 0.2; echo medium", "exit status: 0, output: medium"),
    ("kill -TERM $$", "signal: 15 (SIGTERM)"),
    ("600", "timed out after 2s, killed"),
    ("echo first; echo second", "exit status: 0, output: first"),
    ("sleep 0.4; echo done", "exit status: 0, output: done"),
];

/// The peak line's number: how many commands overlapped is the scheduler's doing.
fn settled(output: &str) -> String {
    (output.lines())
        .map(|line| {
            match line.strip_prefix("peak: ").and_then(|rest| rest.split_once(' ')) {
                Some((_, rest)) => format!("peak: [PEAK] {rest}\n"),
                None => format!("{line}\n"),
            }
        })
        .collect()
}

/// What the program guarantees, in Rust and in Python alike; returns the peak.
fn assert_all_reported(output: &str, max: usize) -> usize {
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), EXPECTED.len() + 3, "{output}");
    assert_eq!(
        lines[0],
        format!("running {} commands, at most {max} at a time", EXPECTED.len())
    );

    // One line per command, in input order, whichever ended first; failures
    // are reported in their place and every other command still ran.
    for (number, ((last_argument, ending), line)) in
        (1..).zip(EXPECTED.iter().zip(&lines[1..]))
    {
        assert!(line.starts_with(&format!("{number}. [")), "line {number}: {line}");
        let (command, result) = line.split_once("]: ").expect("command: result");
        assert!(command.contains(last_argument), "line {number}: {line}");
        assert_eq!(result, *ending, "line {number}: {line}");
    }
    assert_eq!(lines[EXPECTED.len() + 1], "6 of 10 commands succeeded");

    let peak_line = lines[EXPECTED.len() + 2];
    let (peak, limit) = peak_line
        .strip_prefix("peak: ")
        .and_then(|rest| rest.split_once(" running at once, limit "))
        .unwrap_or_else(|| panic!("a peak line: {peak_line}"));
    let peak: usize = peak.parse().expect("the peak is a number");
    assert_eq!(limit, max.to_string());
    assert!((1..=max).contains(&peak), "peak {peak} with at most {max} allowed");
    peak
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_all_reported(&program.run_ok().stdout, 3);
}

#[test]
fn at_most_three_run_at_once_and_results_keep_input_order() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_all_reported(&run.stdout, 3);
    insta::assert_snapshot!("settled", settled(&run.stdout));
    check_recorded(
        &program,
        "examples-processes/process-external-commands/recorded/run.txt",
        settled,
        &run,
    );
}

#[test]
fn with_max_one_they_run_one_at_a_time() {
    let run = Program::example(BIN).arg("--max").arg("1").run_ok();
    assert_eq!(assert_all_reported(&run.stdout, 1), 1);
}

#[test]
fn a_limit_above_the_number_of_commands_is_fine() {
    let run = Program::example(BIN).arg("--max").arg("100").run_ok();
    assert!(assert_all_reported(&run.stdout, 100) <= EXPECTED.len());
}

/// `--max` starts that many threads: a huge one is refused, not a panic.
#[test]
fn a_limit_too_large_is_refused_with_a_message() {
    for max in ["101", "18446744073709551615", "99999999999999999999999"] {
        let run = Program::example(BIN).arg("--max").arg(max).run();
        assert_eq!(run.code, Some(2), "--max {max}: {}", run.stderr);
        assert!(run.stderr.contains("--max"), "--max {max}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "--max {max}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "--max {max} ran: {}", run.stdout);
    }
}

/// Every process descended from `ancestor`, alive now.
fn descendants(ancestor: u32) -> Vec<ProcessInfo> {
    let all = live_processes();
    let mut found: Vec<ProcessInfo> = Vec::new();
    let mut parents = vec![ancestor];
    while let Some(parent) = parents.pop() {
        for process in all.iter().filter(|process| process.parent == parent) {
            parents.push(process.pid);
            found.push(process.clone());
        }
    }
    found
}

/// A process that has been sent SIGKILL, or is already on its way out.
fn dying(pid: u32) -> bool {
    const SIGKILL_BIT: u64 = 1 << (9 - 1);
    const PF_EXITING: u64 = 0x4;
    let status =
        std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let pending = status.lines().any(|line| {
        let mask = line.strip_prefix("SigPnd:").or_else(|| line.strip_prefix("ShdPnd:"));
        mask.and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
            .is_some_and(|mask| mask & SIGKILL_BIT != 0)
    });
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let flags =
        stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(6));
    let exiting =
        flags.and_then(|f| f.parse::<u64>().ok()).is_none_or(|f| f & PF_EXITING != 0);
    pending || exiting
}

fn command_line(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|bytes| String::from_utf8_lossy(&bytes).replace('\0', " "))
        .unwrap_or_default()
}

/// Killed while its commands run (the one that hangs among them), by
/// `signal`, the program takes its commands with it: the ones it started
/// through the kernel's parent-death signal, even for SIGKILL, and on SIGINT
/// or SIGTERM everything in their process groups, killed before it exits.
fn kill_while_commands_run(signal: Signal) {
    let mut program = Command::new(example_binary(BIN))
        .args(["--max", "10"])
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let commands = loop {
        let commands = descendants(program.id());
        if commands.iter().any(|process| command_line(process.pid) == "sleep 600 ") {
            break commands;
        }
        assert!(program.try_wait().unwrap().is_none(), "it ended before `sleep 600` ran");
        assert!(Instant::now() < deadline, "`sleep 600` never ran");
        std::thread::sleep(Duration::from_millis(5));
    };
    kill(Pid::from_raw(program.id().cast_signed()), signal).unwrap();
    let status = program.wait().unwrap();
    let mut stderr = String::new();
    program.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let same = |process: &ProcessInfo| {
        process_info(process.pid).is_some_and(|now| now.start_time == process.start_time)
    };
    // The moment it has exited, what it killed is gone or dying: on SIGINT and
    // SIGTERM everything it started, grandchildren in a command's process group
    // too; on SIGKILL the commands it started itself (a command's own children
    // are out of the kernel's reach then, and end when they end).
    let killed = commands
        .iter()
        .filter(|process| signal != Signal::SIGKILL || process.parent == program.id());
    for process in killed {
        assert!(
            !same(process) || dying(process.pid),
            "{signal}: {} ({}) is still running, and nothing killed it",
            process.pid,
            command_line(process.pid)
        );
    }
    if signal == Signal::SIGKILL {
        assert_eq!(status.code(), None, "{stderr}");
    } else {
        assert_eq!(status.code(), Some(1), "{signal}: {stderr}");
        assert!(stderr.contains("stopped by a signal"), "{signal}: {stderr}");
    }
    while commands.iter().any(same) {
        let left: Vec<_> = commands.iter().filter(|p| same(p)).map(|p| p.pid).collect();
        assert!(Instant::now() < deadline, "{signal} left {left:?} running");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigint_stops_its_commands() {
    kill_while_commands_run(Signal::SIGINT);
}

#[test]
fn sigterm_stops_its_commands() {
    kill_while_commands_run(Signal::SIGTERM);
}

#[test]
fn sigkill_of_the_program_stops_its_commands_too() {
    kill_while_commands_run(Signal::SIGKILL);
}

#[test]
fn python_thread_pool_runs_them_the_same_way() {
    let Some(program) = Program::python("process_external_commands.py") else {
        return;
    };
    let run = program.run_ok();
    assert_all_reported(&run.stdout, 3);
    check_recorded(
        &program,
        "python/recorded/process_external_commands.txt",
        settled,
        &run,
    );
}

#[test]
fn python_refuses_a_bad_limit() {
    let Some(program) = Program::python("process_external_commands.py") else {
        return;
    };
    let run = program.arg("--max").arg("0").run();
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("0 is not in 1..=100"), "{}", run.stderr);
}

//! What bench-fib-latency must print and write, with a small load. No
//! latency or rate is asserted, only what the programs guarantee: a row per
//! server and mode, every slow request answered (the server is correct and
//! the client checks every answer), p50 no higher than p99, no errors; the
//! JSON reads back; and the server is never left behind, however the
//! benchmark ends.

use std::os::unix::process::ExitStatusExt;

use example_harness::bench::{
    Table, assert_bad_options, assert_group_ends, assert_valid_svg,
    check_recorded_benchmark, live_members, scratch, spawn_in_group, value, wait_until,
};
use example_harness::{Program, example_binary};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const BIN: &str = "bench-fib-latency";
const COLUMNS: [&str; 7] = [
    "server",
    "/fib answered",
    "/health p50",
    "/health p99",
    "503 busy",
    "errors",
    "client CPU",
];
const RUST_ROWS: [&str; 3] = ["Rust inline", "Rust threads", "Rust processes"];

/// A small load, quick even in a debug build: 6 requests for /fib/20, 2 at a
/// time (`--runs` is the caller's).
fn small(program: Program) -> Program {
    program
        .arg("--n")
        .arg("20")
        .arg("--python-n")
        .arg("15")
        .arg("--requests")
        .arg("6")
        .arg("--clients")
        .arg("2")
}

/// Each row's figures: requests answered, p50 <= p99, no errors.
fn assert_rows(table: &Table, rows: &[&str]) {
    assert_eq!(table.header, COLUMNS);
    assert_eq!(table.column("server"), rows);
    for (row, cells) in rows.iter().zip(&table.rows) {
        assert!(
            cells[1].ends_with(" per s") && value(&cells[1]) > 0.0,
            "{row}: {cells:?}"
        );
        let (p50, p99) = (value(&cells[2]), value(&cells[3]));
        assert!(cells[2].ends_with(" ms") && 0.0 < p50 && p50 <= p99, "{row}: {cells:?}");
        assert_eq!(cells[5], "0", "{row} had errors: {cells:?}");
        assert!(cells[6].ends_with(" % of a core"), "{row}: {cells:?}");
    }
}

/// What the take-away test checks on a copy built outside the workspace: the
/// copy has no server beside it, so it is given the workspace's.
pub fn check_copy(program: Program) {
    let server = example_binary("pool-fib-server");
    let run = small(program).arg("--runs").arg("1");
    let run = run.arg("--server").arg(&server.to_string_lossy()).run_ok();
    assert_rows(&Table::parse(&run.stdout), &RUST_ROWS);
}

#[test]
fn every_mode_of_the_server_gets_a_row_with_its_figures() {
    let (json, svg) = (scratch("fib.json"), scratch("fib.svg"));
    let run = small(Program::example(BIN))
        .arg("--runs")
        .arg("2")
        .arg("--json")
        .arg(&json.to_string_lossy())
        .arg("--svg")
        .arg(&svg.to_string_lossy())
        .run_ok();
    assert_rows(&Table::parse(&run.stdout), &RUST_ROWS);
    assert!(run.stdout.contains("median of 2 runs."), "{}", run.stdout);
    assert!(run.stdout.contains("Settings: slow request: /fib/20; "), "{}", run.stdout);
    assert!(run.stdout.contains("6 requests, 2 at a time"), "{}", run.stdout);
    let again =
        Program::example(BIN).arg("--from-json").arg(&json.to_string_lossy()).run_ok();
    assert_eq!(again.stdout, run.stdout);
    // The chart shows the latencies, in ms; the counts and rates are in the table only.
    assert_valid_svg(&svg, &["/health p50", "/health p99", "Rust threads"]);
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(!chart.contains("/fib answered"), "the chart draws a rate among times");
}

#[test]
fn with_python_the_python_server_gets_its_rows() {
    if Program::python("pool_fib_server.py").is_none() {
        return;
    }
    let run =
        small(Program::example(BIN)).arg("--runs").arg("1").arg("--with-python").run_ok();
    let rows = [RUST_ROWS[0], RUST_ROWS[1], RUST_ROWS[2]];
    let python = ["Python inline", "Python threads", "Python processes"];
    assert_rows(&Table::parse(&run.stdout), &[rows, python].concat());
    assert!(run.stdout.contains("Python's slow request: /fib/15"), "{}", run.stdout);
}

#[test]
fn the_books_table_and_chart_are_what_the_program_makes_of_the_recorded_figures() {
    check_recorded_benchmark(
        &Program::example(BIN),
        "examples-bench/bench-fib-latency/recorded/run.json",
        "examples-bench/bench-fib-latency/recorded/table.md",
        "book/src/benchmarks/bench-fib-latency.svg",
    );
}

#[test]
fn bad_options_get_a_message_and_exit_code_2() {
    assert_bad_options(
        &Program::example(BIN),
        &[
            (&["--n", "43"][..], "43 is not in 1..=42"),
            (&["--python-n", "36"], "36 is not in 1..=35"),
            (&["--clients", "0"], "0 is not in 1..=64"),
            (&["--requests", "1001"], "1001 is not in 1..=1000"),
            (&["--health-every-ms", "soon"], "invalid digit"),
            (&["--runs", "0"], "0 is not in 1..=100"),
        ],
    );
}

#[test]
fn a_missing_server_is_an_error_that_says_how_to_build_it() {
    let run = Program::example(BIN).arg("--server").arg("/nonexistent/server").run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("no server at /nonexistent/server"), "{}", run.stderr);
    assert!(run.stderr.contains("cargo build --release -p pool-fib-server"));
}

/// Killed, even by SIGKILL, while a server is under load: the kernel sends the
/// server SIGTERM, and it stops, its worker processes with it.
#[test]
fn the_server_ends_with_the_benchmark_however_it_ends() {
    for signal in [Signal::SIGKILL, Signal::SIGTERM, Signal::SIGINT] {
        let long = Program::example(BIN)
            .arg("--n")
            .arg("25")
            .arg("--requests")
            .arg("1000")
            .arg("--runs")
            .arg("100");
        let mut child = spawn_in_group(&long);
        let group = child.id();
        // The benchmark and its server: two processes, or more with workers.
        wait_until("the server", || live_members(group).len() > 1);
        kill(Pid::from_raw(group.cast_signed()), signal).unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(signal as i32), "{signal}: {status}");
        assert_group_ends(group, BIN);
    }
}

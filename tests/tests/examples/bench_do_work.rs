//! What bench-do-work must print and write, at a tiny size. No timing is
//! asserted: only that every column and row is there with positive figures
//! (and "-" where there is nothing to time), the JSON reads back, the chart is
//! a well-formed SVG, and the fileio jobs leave no file behind.

use std::os::unix::process::ExitStatusExt;
use std::path::Path;

use example_harness::Program;
use example_harness::bench::{
    Table, assert_bad_options, assert_group_ends, assert_left_nothing, assert_valid_svg,
    check_recorded_benchmark, empty_temp_dir, scratch, spawn_in_group, value, wait_until,
};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const BIN: &str = "bench-do-work";
const RUST_COLUMNS: [&str; 3] =
    ["Rust thread pool", "Rust process pool", "Rust, no pool"];
const PYTHON_COLUMNS: [&str; 3] =
    ["Python thread pool", "Python process pool", "Python, no pool"];
const ROWS: [&str; 3] =
    ["fileio, 5 jobs", "square, 8 jobs", "no jobs: start and stop the pool"];

fn tiny(program: Program, temp: &Path) -> Program {
    program
        .env("TMPDIR", &temp.to_string_lossy())
        .arg("--workers")
        .arg("3")
        .arg("--fileio-items")
        .arg("6")
        .arg("--square-items")
        .arg("9")
        .arg("--file-bytes")
        .arg("100")
        .arg("--runs")
        .arg("2")
}

/// Every cell of `name` holds a positive time in ms, but no pool and no jobs: "-".
fn assert_cells(table: &Table, name: &str) {
    let cells = table.column(name);
    assert_eq!(cells.len(), ROWS.len(), "{name}: {cells:?}");
    for (row, cell) in cells.iter().enumerate() {
        if name.ends_with("no pool") && row == 2 {
            assert_eq!(*cell, "-", "{name} starts no pool");
        } else {
            assert!(cell.ends_with(" ms") && value(cell) > 0.0, "{name}: {cell}");
        }
    }
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    let temp = empty_temp_dir("do-work-copy-tmp");
    let run = tiny(program, &temp).run_ok();
    let table = Table::parse(&run.stdout);
    assert_eq!(table.column("work"), ROWS);
    for name in RUST_COLUMNS {
        assert_cells(&table, name);
    }
    assert_left_nothing(&temp);
}

#[test]
fn every_way_gets_a_column_and_every_workload_a_row() {
    let temp = empty_temp_dir("do-work-tmp");
    let (json, svg) = (scratch("do-work.json"), scratch("do-work.svg"));
    let run = tiny(Program::example(BIN), &temp)
        .arg("--json")
        .arg(&json.to_string_lossy())
        .arg("--svg")
        .arg(&svg.to_string_lossy())
        .run_ok();
    let table = Table::parse(&run.stdout);
    assert_eq!(table.column("work"), ROWS);
    for name in RUST_COLUMNS {
        assert_cells(&table, name);
    }
    assert!(run.stdout.contains("median of 2 runs"), "{}", run.stdout);
    for setting in ["pool size: 3 workers", "fileio: 100 bytes written and read back"] {
        assert!(run.stdout.contains(setting), "{setting:?} in {}", run.stdout);
    }
    assert!(run.stdout.contains("Machine: "), "{}", run.stdout);
    assert_left_nothing(&temp);

    // The JSON holds every run, and reads back into the same table.
    let again =
        Program::example(BIN).arg("--from-json").arg(&json.to_string_lossy()).run_ok();
    assert_eq!(again.stdout, run.stdout);
    assert_valid_svg(&svg, &RUST_COLUMNS);
}

#[test]
fn with_python_the_python_columns_join_the_rust_ones() {
    if Program::python("bench_do_work.py").is_none() {
        return;
    }
    let temp = empty_temp_dir("do-work-python-tmp");
    let run = tiny(Program::example(BIN), &temp).arg("--with-python").run_ok();
    let table = Table::parse(&run.stdout);
    for name in RUST_COLUMNS.iter().chain(&PYTHON_COLUMNS) {
        assert_cells(&table, name);
    }
    assert!(run.stdout.contains("Python process pool start method: "), "{}", run.stdout);
    assert!(
        run.stdout.contains(", Python 3."),
        "the machine line names Python: {}",
        run.stdout
    );
    assert_left_nothing(&temp);
}

#[test]
fn the_python_benchmark_alone_prints_its_medians() {
    let Some(python) = Program::python("bench_do_work.py") else { return };
    let temp = empty_temp_dir("do-work-python-alone-tmp");
    let run = python
        .env("TMPDIR", &temp.to_string_lossy())
        .arg("--workers")
        .arg("2")
        .arg("--fileio-items")
        .arg("6")
        .arg("--square-items")
        .arg("9")
        .arg("--runs")
        .arg("1")
        .run_ok();
    let lines = run.lines();
    assert_eq!(
        lines[0],
        "work | Python thread pool | Python process pool | Python, no pool"
    );
    for (line, row) in lines[1..].iter().zip(ROWS) {
        assert!(line.starts_with(&format!("{row} | ")), "{row}: {line}");
        assert_eq!(line.ends_with(" | -"), row.starts_with("no jobs"), "{line}");
    }
    assert_eq!(lines.len(), 1 + ROWS.len(), "{}", run.stdout);
    assert_left_nothing(&temp);
}

#[test]
fn the_books_table_and_chart_are_what_the_program_makes_of_the_recorded_figures() {
    check_recorded_benchmark(
        &Program::example(BIN),
        "examples-bench/bench-do-work/recorded/run.json",
        "examples-bench/bench-do-work/recorded/table.md",
        "book/src/benchmarks/bench-do-work.svg",
    );
}

#[test]
fn bad_options_get_a_message_and_exit_code_2() {
    assert_bad_options(
        &Program::example(BIN),
        &[
            (&["--workers", "0"][..], "0 is not in 1..=200"),
            (&["--fileio-items", "1"], "1 is not in 2..=100000"),
            (&["--square-items", "many"], "invalid digit"),
            (&["--file-bytes", "0"], "0 is not in 1..=10000000"),
            (&["--runs", "0"], "0 is not in 1..=100"),
        ],
    );
}

/// Ctrl-C or SIGTERM in the middle of the fileio jobs: the scratch folder goes
/// (it used to stay in /tmp, named by PID), the program ends by that signal,
/// and its worker processes end with it.
#[test]
fn a_signal_while_it_runs_removes_its_folder_and_leaves_no_process() {
    for signal in [Signal::SIGINT, Signal::SIGTERM] {
        let temp = empty_temp_dir("do-work-signal-tmp");
        let long = Program::example(BIN)
            .env("TMPDIR", &temp.to_string_lossy())
            .arg("--workers")
            .arg("2")
            .arg("--fileio-items")
            .arg("100000")
            .arg("--runs")
            .arg("100");
        let child = spawn_in_group(&long);
        let group = child.id();
        // Once the scratch folder exists, the fileio jobs are under way.
        wait_until("the scratch folder", || {
            std::fs::read_dir(&temp).unwrap().count() > 0
        });
        kill(Pid::from_raw(group.cast_signed()), signal).unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.signal(), Some(signal as i32), "{signal}: {stderr}");
        assert_left_nothing(&temp);
        assert_group_ends(group, BIN);
    }
}

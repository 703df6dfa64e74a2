//! What bench-io-bound must print and write, at a tiny size. No time limit is
//! asserted; what is guaranteed is a lower bound: each page takes at least the
//! server's delay and a worker fetches one page at a time, so no run can beat
//! the ideal ceil(pages / workers) x delay. A server that did not wait, or a
//! client that skipped pages, would.

use example_harness::Program;
use example_harness::bench::{
    Table, assert_bad_options, assert_valid_svg, check_recorded_benchmark, scratch, value,
};

const BIN: &str = "bench-io-bound";
const RUST_COLUMNS: [&str; 2] = ["Rust threads", "Rust processes"];

/// 12 pages, 5 ms each: ceil(12 / workers) x 5 ms is 60, 30 and 20 ms.
fn tiny(program: Program) -> Program {
    program
        .arg("--pages")
        .arg("12")
        .arg("--delay-ms")
        .arg("5")
        .arg("--runs")
        .arg("2")
        .arg("--workers")
        .arg("1,2,3")
}

/// Every cell of `columns` is a time in ms, no shorter than the ideal of its row.
fn assert_no_faster_than_ideal(table: &Table, columns: &[&str]) {
    let ideal: Vec<f64> = table.column("ideal").into_iter().map(value).collect();
    assert_eq!(ideal, [60.0, 30.0, 20.0], "{:?}", table.column("ideal"));
    for name in columns {
        for (cell, ideal) in table.column(name).into_iter().zip(&ideal) {
            assert!(cell.ends_with(" ms") && !cell.contains('('), "{name}: {cell}");
            assert!(value(cell) >= *ideal, "{name}: {cell} beats the ideal {ideal} ms");
        }
    }
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    let run = tiny(program).run_ok();
    assert_no_faster_than_ideal(&Table::parse(&run.stdout), &RUST_COLUMNS);
}

#[test]
fn threads_and_processes_each_get_a_column_no_faster_than_the_ideal() {
    let (json, svg) = (scratch("io.json"), scratch("io.svg"));
    let run = tiny(Program::example(BIN))
        .arg("--json")
        .arg(&json.to_string_lossy())
        .arg("--svg")
        .arg(&svg.to_string_lossy())
        .run_ok();
    let table = Table::parse(&run.stdout);
    assert_eq!(table.header, ["workers", "Rust threads", "Rust processes", "ideal"]);
    assert_eq!(table.column("workers"), ["1", "2", "3"]);
    assert_no_faster_than_ideal(&table, &RUST_COLUMNS);
    assert!(run.stdout.contains("median of 2 runs."), "{}", run.stdout);
    assert!(
        run.stdout.contains("Settings: pages: 12; server delay: 5 ms."),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Machine: "), "{}", run.stdout);

    // The JSON holds every run, and reads back into the same table.
    let again =
        Program::example(BIN).arg("--from-json").arg(&json.to_string_lossy()).run_ok();
    assert_eq!(again.stdout, run.stdout);
    let figures = std::fs::read_to_string(&json).unwrap();
    assert_eq!(figures.matches("\"name\"").count(), RUST_COLUMNS.len() + 1, "{figures}");
    assert_valid_svg(&svg, &[RUST_COLUMNS[0], RUST_COLUMNS[1], "ideal", "ms"]);
}

#[test]
fn with_python_the_python_columns_fetch_from_the_same_server() {
    if Program::python("bench_io_bound.py").is_none() {
        return;
    }
    let run = tiny(Program::example(BIN)).arg("--with-python").run_ok();
    let table = Table::parse(&run.stdout);
    let columns =
        ["Rust threads", "Rust processes", "Python threads", "Python processes"];
    assert_eq!(table.header[1..5], columns);
    // Python was given the URL, not the delay: its figures obey the Rust
    // server's 5 ms (it would start its own with 10 ms otherwise).
    assert_no_faster_than_ideal(&table, &columns);
    assert!(
        run.stdout.contains("Settings: pages: 12; server delay: 5 ms.\n"),
        "Python adds no settings of its own when it uses the Rust server: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains(", Python 3."),
        "the machine line names Python: {}",
        run.stdout
    );
}

#[test]
fn the_python_benchmark_alone_starts_its_own_server() {
    let Some(python) = Program::python("bench_io_bound.py") else { return };
    let run = python
        .arg("--pages")
        .arg("6")
        .arg("--delay-ms")
        .arg("5")
        .arg("--workers")
        .arg("1,2")
        .arg("--runs")
        .arg("1")
        .run_ok();
    let lines = run.lines();
    assert_eq!(lines[0], "workers | Python threads | Python processes");
    for (line, (row, ideal)) in lines[1..].iter().zip([("1", 30.0), ("2", 15.0)]) {
        let cells: Vec<&str> = line.split(" | ").collect();
        assert_eq!(cells[0], row, "{}", run.stdout);
        for cell in &cells[1..] {
            assert!(cell.ends_with(" ms") && value(cell) >= ideal, "{}", run.stdout);
        }
    }
    assert_eq!(lines.len(), 3, "{}", run.stdout);
}

#[test]
fn the_python_benchmark_fails_when_the_server_does_not_answer() {
    let Some(python) = Program::python("bench_io_bound.py") else { return };
    // Nothing listens on port 1: every fetch is refused, and that must be an error.
    let run = python
        .arg("--url")
        .arg("http://127.0.0.1:1")
        .arg("--workers")
        .arg("1")
        .arg("--runs")
        .arg("1")
        .run();
    assert_ne!(run.code, Some(0), "{}", run.stdout);
    assert!(run.stderr.contains("Connection refused"), "{}", run.stderr);
}

#[test]
fn the_books_table_and_chart_are_what_the_program_makes_of_the_recorded_figures() {
    check_recorded_benchmark(
        &Program::example(BIN),
        "examples-bench/bench-io-bound/recorded/run.json",
        "examples-bench/bench-io-bound/recorded/table.md",
        "book/src/benchmarks/bench-io-bound.svg",
    );
}

#[test]
fn bad_options_get_a_message_and_exit_code_2() {
    assert_bad_options(
        &Program::example(BIN),
        &[
            (&["--workers", "0"][..], "0 is not in 1..=64"),
            (&["--workers", "two"], "invalid digit"),
            (&["--pages", "0"], "0 is not in 1..=10000"),
            (&["--delay-ms", "-5"], "unexpected argument '-5'"),
            (&["--runs", "0"], "0 is not in 1..=100"),
        ],
    );
}

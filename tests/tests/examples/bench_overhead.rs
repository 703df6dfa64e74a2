//! What bench-overhead must print and write, at a tiny size. No timing is
//! asserted, and no order of the figures: only that every way of running the
//! jobs has its row with a positive time per job, the JSON reads back, and the
//! chart is a well-formed SVG. (The program itself checks every answer.)

use example_harness::Program;
use example_harness::bench::{
    Table, assert_bad_options, assert_valid_svg, check_recorded_benchmark, scratch, value,
};

const BIN: &str = "bench-overhead";
const WAYS: [&str; 7] = [
    "inline",
    "thread per job",
    "thread pool",
    "fork per job",
    "exec per job",
    "spawn per job",
    "process pool",
];

fn tiny(program: Program) -> Program {
    program.arg("--jobs").arg("4").arg("--workers").arg("2")
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    let run = tiny(program).arg("--runs").arg("1").run_ok();
    assert_times_per_job(&Table::parse(&run.stdout), "Rust");
}

fn assert_times_per_job(table: &Table, column: &str) {
    assert_eq!(table.column("way"), WAYS);
    for (way, cell) in WAYS.iter().zip(table.column(column)) {
        assert!(
            cell.ends_with(" µs per job") && value(cell) > 0.0,
            "{column}, {way}: {cell}"
        );
    }
}

#[test]
fn every_way_of_running_the_jobs_gets_a_row() {
    let (json, svg) = (scratch("overhead.json"), scratch("overhead.svg"));
    let run = tiny(Program::example(BIN))
        .arg("--runs")
        .arg("2")
        .arg("--json")
        .arg(&json.to_string_lossy())
        .arg("--svg")
        .arg(&svg.to_string_lossy())
        .run_ok();
    let table = Table::parse(&run.stdout);
    assert_eq!(table.header, ["way", "Rust"]);
    assert_times_per_job(&table, "Rust");
    assert!(run.stdout.contains("median of 2 runs"), "{}", run.stdout);
    assert!(run.stdout.contains("Settings: jobs: 4; pools: 2 workers"), "{}", run.stdout);
    assert!(run.stdout.contains("Machine: "), "{}", run.stdout);

    // The JSON holds every run, and reads back into the same table.
    let again =
        Program::example(BIN).arg("--from-json").arg(&json.to_string_lossy()).run_ok();
    assert_eq!(again.stdout, run.stdout);
    assert_valid_svg(&svg, &["Rust"]);
}

#[test]
fn with_python_the_python_column_joins_the_rust_one() {
    if Program::python("bench_overhead.py").is_none() {
        return;
    }
    let run =
        tiny(Program::example(BIN)).arg("--runs").arg("1").arg("--with-python").run_ok();
    let table = Table::parse(&run.stdout);
    assert_eq!(table.header, ["way", "Rust", "Python"]);
    assert_times_per_job(&table, "Rust");
    assert_times_per_job(&table, "Python");
    assert!(run.stdout.contains("Python process pool start method: "), "{}", run.stdout);
    assert!(
        run.stdout.contains(", Python 3."),
        "the machine line names Python: {}",
        run.stdout
    );
}

#[test]
fn the_python_benchmark_alone_prints_its_medians() {
    let Some(python) = Program::python("bench_overhead.py") else { return };
    let run = python
        .arg("--jobs")
        .arg("2")
        .arg("--workers")
        .arg("2")
        .arg("--runs")
        .arg("1")
        .run_ok();
    let lines = run.lines();
    assert_eq!(lines[0], "way | Python");
    assert_eq!(lines.len(), 1 + WAYS.len(), "{}", run.stdout);
    for (line, way) in lines[1..].iter().zip(WAYS) {
        assert!(line.starts_with(&format!("{way} | ")), "{way}: {line}");
        assert!(line.ends_with(" µs per job"), "{line}");
    }
}

#[test]
fn the_books_table_and_chart_are_what_the_program_makes_of_the_recorded_figures() {
    check_recorded_benchmark(
        &Program::example(BIN),
        "examples-bench/bench-overhead/recorded/run.json",
        "examples-bench/bench-overhead/recorded/table.md",
        "book/src/benchmarks/bench-overhead.svg",
    );
}

#[test]
fn bad_options_get_a_message_and_exit_code_2() {
    assert_bad_options(
        &Program::example(BIN),
        &[
            (&["--jobs", "0"][..], "0 is not in 1..=10000"),
            (&["--jobs", "lots"], "invalid digit"),
            (&["--workers", "65"], "65 is not in 1..=64"),
            (&["--runs", "0"], "0 is not in 1..=100"),
        ],
    );
}

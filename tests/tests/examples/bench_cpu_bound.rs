//! What bench-cpu-bound must print and write, at a tiny size. No timing is
//! asserted: only that every column and row is there, every speedup is a
//! positive number, the JSON reads back, and the chart is a well-formed SVG.

use example_harness::Program;
use example_harness::bench::{
    Table, assert_bad_options, assert_valid_svg, check_recorded_benchmark, scratch,
    speedup, value,
};

const BIN: &str = "bench-cpu-bound";
const RUST_COLUMNS: [&str; 6] = [
    "Rust threads",
    "Rust thread pool",
    "Rust rayon",
    "Rust processes",
    "Rust threads, one global lock",
    "measured limit",
];

fn tiny(program: Program) -> Program {
    program.arg("--n").arg("200000").arg("--runs").arg("2")
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    let turns = program.sibling("bench-cpu-turns");
    let run = tiny(program).arg("--workers").arg("1,2").arg("--gil").run_ok();
    assert_columns(&Table::parse(&run.stdout));
    crate::bench_cpu_turns::check_copy(turns);
}

/// Every Rust column is there, with a time and a positive speedup in every row.
fn assert_columns(table: &Table) {
    for name in RUST_COLUMNS {
        let cells = table.column(name);
        assert_eq!(speedup(cells[0]), 1.0, "{name} against itself: {cells:?}");
        for cell in cells {
            assert!(cell.ends_with("x)") && cell.contains(" s ("), "{name}: {cell}");
            assert!(value(cell) > 0.0 && speedup(cell) > 0.0, "{name}: {cell}");
        }
    }
}

#[test]
fn every_way_to_run_the_sum_gets_a_column_with_positive_speedups() {
    let (json, svg) = (scratch("cpu.json"), scratch("cpu.svg"));
    let run = tiny(Program::example(BIN))
        .arg("--workers")
        .arg("1,2,3")
        .arg("--gil")
        .arg("--json")
        .arg(&json.to_string_lossy())
        .arg("--svg")
        .arg(&svg.to_string_lossy())
        .run_ok();
    let table = Table::parse(&run.stdout);
    assert_eq!(table.column("workers"), ["1", "2", "3"]);
    assert_columns(&table);
    // The ideal is the worker count, up to the number of cores.
    let ideal: Vec<f64> = table.column("ideal").into_iter().map(value).collect();
    assert_eq!(ideal[0], 1.0);
    assert!(ideal.windows(2).all(|pair| pair[0] <= pair[1]), "{ideal:?}");
    // The measured limit comes after the ways of doing the work, before the ideal.
    assert_eq!(table.header[table.header.len() - 2..], ["measured limit", "ideal"]);
    assert!(run.stdout.contains("median of 2 runs"), "{}", run.stdout);
    assert!(run.stdout.contains("Settings: Rust n: 200,000;"), "{}", run.stdout);
    assert!(run.stdout.contains("n/2 integers take "), "{}", run.stdout);
    assert!(run.stdout.contains("Machine: "), "{}", run.stdout);

    // The JSON holds every run, and reads back into the same table.
    let again =
        Program::example(BIN).arg("--from-json").arg(&json.to_string_lossy()).run_ok();
    assert_eq!(again.stdout, run.stdout);
    let figures = std::fs::read_to_string(&json).unwrap();
    assert_eq!(figures.matches("\"name\"").count(), RUST_COLUMNS.len() + 1, "{figures}");
    assert_valid_svg(&svg, &RUST_COLUMNS);
}

#[test]
fn with_python_the_python_columns_join_the_rust_ones() {
    if Program::python("bench_cpu_bound.py").is_none() {
        return;
    }
    let run = tiny(Program::example(BIN))
        .arg("--workers")
        .arg("1,2")
        .arg("--with-python")
        .arg("--python-n")
        .arg("20000")
        .run_ok();
    let table = Table::parse(&run.stdout);
    for name in ["Rust threads", "Python threads", "Python processes"] {
        assert!(table.column(name).iter().all(|cell| speedup(cell) > 0.0), "{name}");
    }
    assert!(run.stdout.contains("Python n: 20,000"), "{}", run.stdout);
    assert!(
        run.stdout.contains(", Python 3."),
        "the machine line names Python: {}",
        run.stdout
    );
}

#[test]
fn the_python_benchmark_alone_prints_its_medians() {
    let Some(python) = Program::python("bench_cpu_bound.py") else { return };
    let run = python
        .arg("--n")
        .arg("10000")
        .arg("--workers")
        .arg("1,2")
        .arg("--runs")
        .arg("1")
        .run_ok();
    let lines = run.lines();
    assert_eq!(lines[0], "workers | Python threads | Python processes");
    assert!(
        lines[1].starts_with("1 | ") && lines[2].starts_with("2 | "),
        "{}",
        run.stdout
    );
}

#[test]
fn the_books_table_and_chart_are_what_the_program_makes_of_the_recorded_figures() {
    check_recorded_benchmark(
        &Program::example(BIN),
        "examples-bench/bench-cpu-bound/recorded/run.json",
        "examples-bench/bench-cpu-bound/recorded/table.md",
        "book/src/benchmarks/bench-cpu-bound.svg",
    );
}

#[test]
fn bad_options_get_a_message_and_exit_code_2() {
    assert_bad_options(
        &Program::example(BIN),
        &[
            (&["--workers", "0"][..], "0 is not in 1..=64"),
            (&["--workers", "two"], "invalid digit"),
            (&["--n", "0"], "0 is not in 1..=1000000000000"),
            (&["--python-n", "0"], "0 is not in 1..=20000000000"),
            (&["--runs", "0"], "0 is not in 1..=100"),
        ],
    );
}

/// n * workers once overflowed u64 as the range was cut in chunks (a panic in
/// a debug build, a wrong split in release): too large an n is refused now.
#[test]
fn extreme_sizes_are_refused_with_a_message() {
    assert_bad_options(
        &Program::example(BIN),
        &[
            (&["--n", "18446744073709551615"][..], "is not in 1..=1000000000000"),
            (&["--n", "1000000000001"], "is not in 1..=1000000000000"),
            (&["--python-n", "18446744073709551615"], "is not in 1..=20000000000"),
            (&["--workers", "65"], "65 is not in 1..=64"),
        ],
    );
}

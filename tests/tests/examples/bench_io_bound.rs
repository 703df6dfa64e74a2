//! What bench-io-bound must print and write, at a tiny size. No time limit is
//! asserted; what is guaranteed is a lower bound: each page takes at least the
//! server's delay and a worker fetches one page at a time, so no run can beat
//! the ideal ceil(pages / workers) x delay. A server that did not wait, or a
//! client that skipped pages, would.

use example_harness::bench::{
    Table, assert_bad_options, assert_valid_svg, check_recorded_benchmark, scratch, value,
};
use example_harness::{Program, example_binary, workspace_root};

const BIN: &str = "bench-io-bound";
const RUST_COLUMNS: [&str; 3] = ["Rust threads", "Rust processes", "Rust tokio tasks"];

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

fn with_args(program: Program, args: &[&str]) -> Program {
    args.iter().fold(program, |program, arg| program.arg(arg))
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
    assert_eq!(
        table.header,
        ["workers", "Rust threads", "Rust processes", "Rust tokio tasks", "ideal"]
    );
    assert_eq!(table.column("workers"), ["1", "2", "3"]);
    assert_no_faster_than_ideal(&table, &RUST_COLUMNS);
    assert!(run.stdout.contains("median of 2 runs."), "{}", run.stdout);
    let settings = "Settings: pages: 12; server delay: 5 ms; most requests the server \
                    held at once: ";
    assert!(run.stdout.contains(settings), "{}", run.stdout);
    assert!(run.stdout.contains("Machine: "), "{}", run.stdout);

    // The JSON holds every run, and reads back into the same table.
    let again =
        Program::example(BIN).arg("--from-json").arg(&json.to_string_lossy()).run_ok();
    assert_eq!(again.stdout, run.stdout);
    let figures = std::fs::read_to_string(&json).unwrap();
    assert_eq!(figures.matches("\"name\"").count(), RUST_COLUMNS.len() + 1, "{figures}");
    assert_valid_svg(&svg, &[RUST_COLUMNS[0], RUST_COLUMNS[1], "ideal", "ms"]);
}

/// N pages on N workers at once: the ideal is one delay in every row, the
/// processes beyond --max-processes are marked, not left out, and the server
/// says it held up to N requests at once (no more can be in flight).
#[test]
fn in_flight_rows_fetch_as_many_pages_as_workers_and_mark_what_is_not_practical() {
    let svg = scratch("scale.svg");
    let options = ["--in-flight", "1,3", "--delay-ms", "5", "--runs", "1"];
    let run = with_args(Program::example(BIN), &options)
        .arg("--max-processes")
        .arg("2")
        .arg("--svg")
        .arg(&svg.to_string_lossy())
        .run_ok();
    let table = Table::parse(&run.stdout);
    assert_eq!(table.header[0], "pages in flight");
    assert_eq!(table.column("pages in flight"), ["1", "3"]);
    assert_eq!(table.column("ideal"), ["5.00 ms", "5.00 ms"]);
    assert_eq!(table.column("Rust processes")[1], "not practical");
    for name in ["Rust threads", "Rust tokio tasks"] {
        assert!(table.column(name).iter().all(|cell| value(cell) >= 5.0), "{name}");
    }
    assert!(run.stdout.contains("Settings: pages: one per worker;"), "{}", run.stdout);
    let held = run.stdout.split("held at once: ").nth(1).expect("the server's peak");
    let held: u32 = held.split(['.', ';']).next().unwrap().parse().unwrap();
    assert!((1..=3).contains(&held), "{}", run.stdout);
    assert_valid_svg(&svg, &["Rust processes: not practical"]);
}

/// A count the open-file limits cannot hold is refused before anything
/// starts, with the limit named and exit code 2, as a bad option is.
#[test]
fn a_count_the_open_file_limit_cannot_hold_is_refused_with_exit_code_2() {
    let binary = example_binary(BIN);
    let script = format!(
        "ulimit -Sn 100 && ulimit -Hn 200 && exec {} --in-flight 1000",
        binary.display()
    );
    let run = Program::binary("sh").arg("-c").arg(&script).run();
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("cannot hold 1000 pages in flight"), "{}", run.stderr);
    assert!(run.stderr.contains("the hard limit is 200"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn with_python_the_python_columns_fetch_from_the_same_server() {
    if Program::python("bench_io_bound.py").is_none() {
        return;
    }
    let run = tiny(Program::example(BIN)).arg("--with-python").run_ok();
    let table = Table::parse(&run.stdout);
    let columns = [
        "Rust threads",
        "Rust processes",
        "Rust tokio tasks",
        "Python threads",
        "Python processes",
        "Python asyncio",
    ];
    assert_eq!(table.header[1..7], columns);
    // Python was given the URL, not the delay: its figures obey the Rust
    // server's 5 ms (it would start its own with 10 ms otherwise).
    assert_no_faster_than_ideal(&table, &columns);
    let settings = run.stdout.lines().find(|line| line.starts_with("Settings: "));
    assert_eq!(
        settings.map(|line| line.matches("pages: ").count()),
        Some(1),
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
    assert_eq!(lines[0], "workers | Python threads | Python processes | Python asyncio");
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
    check_recorded_benchmark(
        &Program::example(BIN),
        "examples-bench/bench-io-bound/recorded/scale.json",
        "examples-bench/bench-io-bound/recorded/scale.md",
        "book/src/benchmarks/bench-io-bound-scale.svg",
    );
}

/// The recorded run at scale went to 10,000 in flight, and the decision
/// guide and the introduction cite the waits per second it measured there.
#[test]
fn the_book_cites_the_waits_per_second_recorded_at_10000_in_flight() {
    let root = workspace_root();
    let scale = std::fs::read_to_string(
        root.join("examples-bench/bench-io-bound/recorded/scale.md"),
    )
    .unwrap();
    assert_eq!(Table::parse(&scale).column("pages in flight").last(), Some(&"10,000"));
    let at = scale.split("at 10,000 in flight: ").nth(1).expect("the figures at 10,000");
    let rate = at.split("tasks: ").nth(1).unwrap().split(' ').next().unwrap();
    for chapter in ["book/src/choosing.md", "book/src/introduction.md"] {
        let text = std::fs::read_to_string(root.join(chapter)).unwrap();
        let cited = format!("{rate} waits per second");
        assert!(text.contains(&cited), "{chapter} does not cite {cited:?}");
    }
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
            (&["--in-flight", "0"], "0 is not in 1..=10000"),
            (&["--in-flight", "10001"], "10001 is not in 1..=10000"),
            (&["--in-flight", "5", "--workers", "2"], "cannot be used with"),
            (&["--max-processes", "0"], "0 is not in 1..=10000"),
        ],
    );
}

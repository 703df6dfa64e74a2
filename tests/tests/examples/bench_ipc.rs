//! What bench-ipc must print and write, at a tiny size. No rate is asserted,
//! and no order of the ways: only that every way has its row and every size
//! its column, that each cell's megabytes per second are its round trips per
//! second times the size, that the ratios are there, that the JSON reads back
//! and the chart is a well-formed SVG; and that a run ended by a signal leaves
//! no worker process and nothing in its temporary folder. (The program itself
//! checks every answer.)

use std::os::unix::process::ExitStatusExt;
use std::path::Path;

use example_harness::Program;
use example_harness::bench::{
    Table, assert_bad_options, assert_group_ends, assert_left_nothing, assert_valid_svg,
    check_recorded_benchmark, empty_temp_dir, live_members, scratch, spawn_in_group,
    wait_until,
};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const BIN: &str = "bench-ipc";
const RUST_WAYS: [&str; 4] =
    ["Rust thread channel", "Rust ipc-channel", "Rust pipe", "Rust shared memory"];
const PYTHON_WAYS: [&str; 4] = [
    "Python queue.Queue",
    "Python multiprocessing.Queue",
    "Python multiprocessing.Pipe",
    "Python shared_memory",
];
const SIZES: [(&str, f64); 3] = [("8 B", 8.0), ("4 KiB", 4096.0), ("64 KiB", 65536.0)];

/// `program` with `args` added.
fn with_args(program: Program, args: &[&str]) -> Program {
    args.iter().fold(program, |program, arg| program.arg(arg))
}

/// 20 round trips of 8 B and 4 KiB, and 1 MiB of 64 KiB messages: 16.
fn tiny(program: Program, temp: &Path) -> Program {
    let program = program.env("TMPDIR", &temp.to_string_lossy());
    with_args(program, &["--sizes", "8,4096,65536", "--messages", "20", "--mib", "1"])
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    let temp = empty_temp_dir("ipc-copy-tmp");
    let run = tiny(program, &temp).arg("--runs").arg("1").run_ok();
    assert_rows(&Table::parse(&run.stdout), &RUST_WAYS);
    assert_left_nothing(&temp);
}

/// The numbers of a cell: "12,345/s · 0.0988 MB/s · 1.52x" gives (12345, 0.0988, Some(1.52)).
fn cell(cell: &str) -> (f64, f64, Option<f64>) {
    let parts: Vec<&str> = cell.split(" · ").collect();
    let number = |text: &str, unit: &str| -> f64 {
        let figure =
            text.strip_suffix(unit).unwrap_or_else(|| panic!("{unit} in {cell:?}"));
        figure.replace(',', "").parse().unwrap_or_else(|_| panic!("{cell:?}"))
    };
    let ratio = parts.get(2).map(|ratio| number(ratio, "x"));
    assert!(parts.len() <= 3, "{cell:?}");
    (number(parts[0], "/s"), number(parts[1], " MB/s"), ratio)
}

/// The rows are `ways`, in order, each with a cell for every size: a positive
/// rate, the megabytes it carries, and a ratio to the first way, which has none.
fn assert_rows(table: &Table, ways: &[&str]) {
    let header: Vec<&str> = SIZES.iter().map(|(label, _)| *label).collect();
    assert_eq!(table.header, [&["way"][..], &header].concat());
    let rows: Vec<&str> =
        table.column("way").into_iter().filter(|way| ways.contains(way)).collect();
    assert_eq!(rows, ways);
    for (label, size) in SIZES {
        let cells = table.column(label);
        for (way, text) in table.column("way").into_iter().zip(cells) {
            let Some(index) = ways.iter().position(|w| *w == way) else { continue };
            let (rate, megabytes, ratio) = cell(text);
            assert!(
                rate > 0.0 && ratio.is_none_or(|ratio| ratio > 0.0),
                "{way}, {label}: {text}"
            );
            assert_eq!(ratio.is_none(), index == 0, "{way}, {label}: {text}");
            let carried = rate * size / 1e6;
            assert!(
                (megabytes - carried).abs() <= carried * 0.01 + 0.001,
                "{way}, {label}: {text}"
            );
        }
    }
}

#[test]
fn every_way_gets_a_row_and_every_size_a_column() {
    let temp = empty_temp_dir("ipc-tmp");
    let (json, svg) = (scratch("ipc.json"), scratch("ipc.svg"));
    let (json_path, svg_path) = (json.to_string_lossy(), svg.to_string_lossy());
    let files = ["--runs", "2", "--json", &json_path, "--svg", &svg_path];
    let run = with_args(tiny(Program::example(BIN), &temp), &files).run_ok();
    let table = Table::parse(&run.stdout);
    assert_eq!(table.column("way"), RUST_WAYS);
    assert_rows(&table, &RUST_WAYS);
    assert!(run.stdout.contains("median of 2 runs"), "{}", run.stdout);
    let counts = "round trips per measurement: 20 (8 B), 20 (4 KiB), 16 (64 KiB)";
    assert!(run.stdout.contains(counts), "{}", run.stdout);
    assert!(run.stdout.contains("Machine: "), "{}", run.stdout);
    assert_left_nothing(&temp);

    // The JSON holds every run, and reads back into the same table.
    let again = Program::example(BIN).arg("--from-json").arg(&json_path).run_ok();
    assert_eq!(again.stdout, run.stdout);
    assert_valid_svg(&svg, &RUST_WAYS);
}

#[test]
fn with_python_the_python_rows_join_the_rust_ones() {
    if Program::python("bench_ipc.py").is_none() {
        return;
    }
    let temp = empty_temp_dir("ipc-python-tmp");
    let program = tiny(Program::example(BIN), &temp);
    let run = with_args(program, &["--runs", "1", "--with-python"]).run_ok();
    let table = Table::parse(&run.stdout);
    assert_eq!(table.column("way"), [RUST_WAYS, PYTHON_WAYS].concat());
    assert_rows(&table, &RUST_WAYS);
    assert_rows(&table, &PYTHON_WAYS);
    assert!(run.stdout.contains("Python start method: fork"), "{}", run.stdout);
    assert!(
        run.stdout.contains(", Python 3."),
        "the machine line names Python: {}",
        run.stdout
    );
    assert_left_nothing(&temp);
}

#[test]
fn the_python_benchmark_alone_prints_its_medians() {
    let Some(python) = Program::python("bench_ipc.py") else { return };
    let run =
        with_args(python, &["--sizes", "8,4096", "--messages", "10", "--runs", "1"])
            .run_ok();
    let lines = run.lines();
    assert_eq!(
        lines[0],
        ["message"].into_iter().chain(PYTHON_WAYS).collect::<Vec<_>>().join(" | ")
    );
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    for (line, size) in lines[1..].iter().zip(["8 B", "4 KiB"]) {
        assert!(line.starts_with(&format!("{size} | ")), "{size}: {line}");
        assert_eq!(line.matches(" round trips/s").count(), PYTHON_WAYS.len(), "{line}");
    }
}

#[test]
fn the_books_table_and_chart_are_what_the_program_makes_of_the_recorded_figures() {
    check_recorded_benchmark(
        &Program::example(BIN),
        "examples-bench/bench-ipc/recorded/run.json",
        "examples-bench/bench-ipc/recorded/table.md",
        "book/src/benchmarks/bench-ipc.svg",
    );
}

#[test]
fn bad_options_get_a_message_and_exit_code_2() {
    assert_bad_options(
        &Program::example(BIN),
        &[
            (&["--sizes", "7"][..], "7 is not in 8..=67108864"),
            (&["--sizes", "8,big"], "invalid digit"),
            (&["--messages", "0"], "0 is not in 1..=10000000"),
            (&["--mib", "0"], "0 is not in 1..=65536"),
            (&["--runs", "0"], "0 is not in 1..=100"),
        ],
    );
}

/// A signal while a worker process runs: the worker ends with the benchmark
/// (even on SIGKILL, which nothing can catch), and on Ctrl-C or SIGTERM the
/// temporary folder that holds ipc-channel's socket goes too.
#[test]
fn a_signal_while_a_worker_runs_leaves_no_process_and_nothing_in_tmp() {
    for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGKILL] {
        let temp = empty_temp_dir("ipc-signal-tmp");
        let long = Program::example(BIN).env("TMPDIR", &temp.to_string_lossy());
        let long =
            with_args(long, &["--sizes", "8", "--messages", "100000", "--runs", "100"]);
        let mut child = spawn_in_group(&long);
        let group = child.id();
        wait_until("a worker process", || live_members(group).len() > 1);
        kill(Pid::from_raw(group.cast_signed()), signal).unwrap();
        // Its status only: a worker left running would hold its stderr open.
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(signal as i32), "{signal}");
        assert_group_ends(group, BIN);
        if signal != Signal::SIGKILL {
            assert_left_nothing(&temp);
        }
    }
}

//! What process-start-methods must print, and what its Python counterpart prints.
//!
//! Part 1 (what a child inherits) is the same on every run and is checked
//! line by line. Part 2 (what starting costs) is measured: the tests check its
//! shape (every row, every figure a number) and never its values.

use example_harness::{Program, check_recorded};

const BIN: &str = "process-start-methods";

const RUST_INHERITANCE: [&str; 10] = [
    "Part 1: what a child inherits",
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

const RUST_ROWS: [&str; 4] = [
    "thread: spawn + join",
    "fork: fork + exit + waitpid",
    "re-exec: run this program + wait",
    "worker: Worker::start + join",
];

const PYTHON_INHERITANCE: [&str; 5] = [
    "Part 1: what a child inherits",
    "parent sets SETTING = \"changed at run time\"",
    "fork child sees SETTING = \"changed at run time\"",
    "forkserver child sees SETTING = \"as written in the source\"",
    "spawn child sees SETTING = \"as written in the source\"",
];

const PYTHON_ROWS: [&str; 4] = [
    "thread: Thread start + join",
    "fork: Process start + join",
    "forkserver: Process start + join",
    "spawn: Process start + join",
];

const MACHINE: &str = "measured on: ";

/// A row of Part 2, "<label>   <micros> µs   <ratio>x": its label and its two figures.
fn cost_row(line: &str) -> Option<(&str, f64, f64)> {
    let (rest, ratio) = line.trim_end().rsplit_once(' ')?;
    let ratio = ratio.strip_suffix('x')?.parse().ok()?;
    let rest = rest.trim_end().strip_suffix(" µs")?;
    let (label, micros) = rest.rsplit_once(' ')?;
    Some((label.trim_end(), micros.parse().ok()?, ratio))
}

/// The machine line: how many CPUs, and their model.
fn machine(line: &str) -> Option<(u32, &str)> {
    let (cpus, model) = line.strip_prefix(MACHINE)?.split_once(" CPUs available, ")?;
    Some((cpus.parse().ok()?, model))
}

/// Timings and the machine change with every run: keep the labels, drop the figures.
fn without_figures(output: &str) -> String {
    let lines = output.lines().map(|line| {
        if machine(line).is_some() {
            format!("{MACHINE}[N] CPUs available, [CPU MODEL]")
        } else if let Some((label, _, _)) = cost_row(line) {
            format!("{label} [N] µs [N]x")
        } else {
            line.to_owned()
        }
    });
    lines.map(|line| line + "\n").collect()
}

/// Part 1 exactly, then Part 2's header, machine and rows, each figure a number.
fn assert_shape(output: &str, inheritance: &[&str], runs: u32, rows: &[&str]) {
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), inheritance.len() + 2 + rows.len(), "{output}");
    let (part_one, part_two) = lines.split_at(inheritance.len());
    assert_eq!(part_one, inheritance, "{output}");
    let header =
        format!("Part 2: what each costs to start and wait for (median of {runs} runs)");
    assert_eq!(part_two[0], header, "{output}");
    let (cpus, model) =
        machine(part_two[1]).unwrap_or_else(|| panic!("no machine:\n{output}"));
    assert!(cpus > 0 && !model.trim().is_empty(), "{output}");
    for (line, expected) in part_two[2..].iter().zip(rows) {
        let (label, micros, ratio) = cost_row(line)
            .unwrap_or_else(|| panic!("not a cost row: {line:?}\n{output}"));
        assert_eq!(label, *expected, "{output}");
        // Only the shape is certain: on a busy machine any figure, a ratio
        // especially, can round to 0.
        assert!(micros >= 0.0 && ratio >= 0.0, "a figure is negative: {line:?}");
    }
}

#[test]
fn fork_inherits_memory_and_files_and_re_exec_starts_fresh() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_shape(&run.stdout, &RUST_INHERITANCE, 20, &RUST_ROWS);
    insta::assert_snapshot!("start_methods", without_figures(&run.stdout));
    check_recorded(
        &program,
        "examples-processes/process-start-methods/recorded/start-methods.txt",
        without_figures,
        &run,
    );
}

#[test]
fn runs_sets_how_many_starts_are_timed() {
    let run = Program::example(BIN).arg("--runs").arg("3").run_ok();
    assert_shape(&run.stdout, &RUST_INHERITANCE, 3, &RUST_ROWS);
}

#[test]
fn bad_arguments_are_refused_with_usage() {
    for args in [&["--runs", "0"][..], &["--runs", "many"], &["--runs"], &["--fast"]] {
        let program =
            args.iter().fold(Program::example(BIN), |program, arg| program.arg(arg));
        let run = program.run();
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("usage: process-start-methods [--runs N]"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{args:?} printed {}", run.stdout);
    }
}

#[test]
fn normalizing_keeps_labels_and_drops_figures() {
    let row = "fork: fork + exit + waitpid            334 µs     3.4x";
    assert_eq!(cost_row(row), Some(("fork: fork + exit + waitpid", 334.0, 3.4)));
    assert_eq!(
        without_figures(&format!("{row}\nmeasured on: 2 CPUs available, AMD EPYC\n")),
        "fork: fork + exit + waitpid [N] µs [N]x\nmeasured on: [N] CPUs available, [CPU MODEL]\n"
    );
    assert_eq!(cost_row("fork child has the parent's file open: yes"), None);
}

#[test]
fn python_fork_child_sees_the_change_and_spawn_child_does_not() {
    let Some(program) = Program::python("process_start_methods.py") else {
        return;
    };
    let run = program.run_ok();
    assert_shape(&run.stdout, &PYTHON_INHERITANCE, 20, &PYTHON_ROWS);
    check_recorded(
        &program,
        "python/recorded/process_start_methods.txt",
        without_figures,
        &run,
    );
}

#[test]
fn python_refuses_bad_arguments() {
    let Some(program) = Program::python("process_start_methods.py") else {
        return;
    };
    let run = program.arg("--runs").arg("0").run();
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("usage: process_start_methods.py [--runs N]"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

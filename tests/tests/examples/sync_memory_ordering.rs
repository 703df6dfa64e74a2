//! What sync-memory-ordering must print, and what its Python counterpart prints.
//!
//! The lesson's real check is the loom model in the example's own
//! `tests/loom.rs` (run by `.ci/run`): it finds the stale read with `Relaxed`
//! and proves it impossible with `Release`/`Acquire`. A run of the program can
//! only show what this machine does, so these tests hold it to what the memory
//! model guarantees everywhere, and nothing more.

use example_harness::{Program, check_recorded};

const BIN: &str = "sync-memory-ordering";

/// The machine's name and the `Relaxed` count are this machine's and this
/// run's: x86 shows 0 stale reads, an ARM processor may show more.
fn settled(output: &str) -> String {
    let mut settled = String::new();
    for line in output.lines() {
        let line = match line.split_once(" reads saw") {
            Some((count, rest)) if count.starts_with("Relaxed:") => {
                format!("Relaxed: [N] reads saw{rest}")
            }
            _ => line.replace(&format!("on {}:", std::env::consts::ARCH), "on [ARCH]:"),
        };
        settled.push_str(&line);
        settled.push('\n');
    }
    settled
}

/// A count of stale reads on a line that starts with `label`.
fn stale_reads(output: &str, label: &str) -> u64 {
    let line = output.lines().find(|line| line.starts_with(label)).unwrap_or_else(|| {
        panic!("no {label:?} line\n--- output\n{output}");
    });
    let count = line[label.len()..].split_whitespace().next().unwrap();
    count.parse().unwrap_or_else(|_| panic!("not a count: {line:?}"))
}

fn assert_release_acquire_never_stale(output: &str, rounds: u64) {
    let arch = std::env::consts::ARCH;
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines[0], format!("{rounds} values published through a flag, on {arch}:"));
    assert!(stale_reads(output, "Relaxed:") <= rounds, "{output}");
    // Guaranteed by the memory model, on every machine.
    assert_eq!(stale_reads(output, "Release/Acquire:"), 0, "{output}");
    assert_eq!(lines.len(), 3, "{output}");
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_release_acquire_never_stale(&program.run_ok().stdout, 1_000_000);
}

#[test]
fn release_acquire_never_shows_the_flag_without_the_data() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_release_acquire_never_stale(&run.stdout, 1_000_000);
    insta::assert_snapshot!("settled", settled(&run.stdout));
    check_recorded(
        &program,
        "examples-sync/sync-memory-ordering/recorded/run.txt",
        settled,
        &run,
    );
}

#[test]
fn the_number_of_rounds_is_the_readers_choice_within_limits() {
    let run = Program::example(BIN).arg("--rounds").arg("1000").run_ok();
    assert_release_acquire_never_stale(&run.stdout, 1000);
    for refused in ["0", "20000001", "many"] {
        let run = Program::example(BIN).arg("--rounds").arg(refused).run();
        assert_eq!(run.code, Some(2), "--rounds {refused}: {}", run.stderr);
    }
}

#[test]
fn settled_hides_the_machine_and_the_relaxed_count_only() {
    let arch = std::env::consts::ARCH;
    let output = format!(
        "5 values published through a flag, on {arch}:\n\
         Relaxed:         3 reads saw the flag but not the data\n\
         Release/Acquire: 0 reads saw the flag but not the data\n"
    );
    assert_eq!(
        settled(&output),
        "5 values published through a flag, on [ARCH]:\n\
         Relaxed: [N] reads saw the flag but not the data\n\
         Release/Acquire: 0 reads saw the flag but not the data\n"
    );
}

#[test]
fn python_threads_see_the_data_with_the_flag() {
    let Some(program) = Program::python("sync_memory_ordering.py") else { return };
    let run = program.run_ok();
    // With the GIL, CPython's threads see each other's stores in order.
    assert_eq!(
        run.stdout,
        "100000 values published through a flag, by Python threads:\n\
         0 reads saw the flag but not the data\n\
         CPython has no Relaxed to choose: with the GIL, whoever sees the flag sees the data.\n"
    );
    check_recorded(
        &program,
        "python/recorded/sync_memory_ordering.txt",
        |output| output.to_owned(),
        &run,
    );
}

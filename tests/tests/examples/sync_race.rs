//! What sync-race and its fixed program must print, and what their Python
//! counterpart prints.

use example_harness::{Program, check_recorded};

const BIN: &str = "sync-race";
const FIXED_BIN: &str = "sync-race-fixed";

/// A line "<label> total <n>, <m> updates lost": the two numbers.
fn racy_numbers(line: &str) -> Option<(u64, u64)> {
    let (_, rest) = line.split_once(" total ")?;
    let (total, rest) = rest.split_once(", ")?;
    let lost = rest.strip_suffix(" updates lost")?;
    Some((total.parse().ok()?, lost.parse().ok()?))
}

/// How many updates a racy run loses is up to the scheduler: replace the numbers.
fn racy_numbers_hidden(output: &str) -> String {
    output
        .lines()
        .map(|line| match (racy_numbers(line), line.split_once(" total ")) {
            (Some(_), Some((label, _))) => {
                format!("{label} total [RACY], [LOST] updates lost\n")
            }
            _ => format!("{line}\n"),
        })
        .collect()
}

/// What is certain about a racy total: at least one store happened, and no
/// store can write more than the number of increments made.
fn assert_racy_line(line: &str, expected: u64) {
    let (total, lost) =
        racy_numbers(line).unwrap_or_else(|| panic!("not a racy line: {line}"));
    assert!(total > 0 && total <= expected, "{line}");
    assert_eq!(total + lost, expected, "{line}");
}

fn expected_line(increments: u64) -> String {
    format!("4 threads add 1, {increments} times each: expected total {}", 4 * increments)
}

fn assert_racy(stdout: &str, increments: u64) {
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(lines[0], expected_line(increments));
    assert!(lines[1].starts_with("load, then store:  total "), "{stdout}");
    assert_racy_line(lines[1], 4 * increments);
}

fn assert_exact(stdout: &str, increments: u64) {
    let expected = 4 * increments;
    assert_eq!(
        stdout,
        format!(
            "{}\nfetch_add:         total {expected}\nMutex<u64>:        total {expected}\n",
            expected_line(increments)
        )
    );
}

/// What the take-away test checks on a copy built outside the workspace:
/// both programs.
pub fn check_copy(program: Program) {
    assert_exact(&program.sibling(FIXED_BIN).run_ok().stdout, 1_000_000);
    assert_racy(&program.run_ok().stdout, 1_000_000);
}

#[test]
fn the_racy_total_is_at_most_the_expected_one() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_racy(&run.stdout, 1_000_000);
    insta::assert_snapshot!("default", racy_numbers_hidden(&run.stdout));
    check_recorded(
        &program,
        "examples-sync/sync-race/recorded/run.txt",
        racy_numbers_hidden,
        &run,
    );
}

#[test]
fn the_fixed_totals_are_exact() {
    let program = Program::example(FIXED_BIN);
    let run = program.run_ok();
    assert_exact(&run.stdout, 1_000_000);
    check_recorded(
        &program,
        "examples-sync/sync-race/recorded/fixed.txt",
        |output| output.to_owned(),
        &run,
    );
}

#[test]
fn the_number_of_increments_can_be_chosen() {
    let run = Program::example(BIN).arg("--increments").arg("1000").run_ok();
    assert_racy(&run.stdout, 1000);
    let run = Program::example(FIXED_BIN).arg("--increments").arg("1000").run_ok();
    assert_exact(&run.stdout, 1000);
}

#[test]
fn a_number_of_increments_out_of_range_is_refused() {
    // 0 would race nothing; past 100 million a run takes minutes, and 4 times
    // the number must still fit in a u64.
    for (bin, increments) in [BIN, FIXED_BIN].into_iter().flat_map(|bin| {
        ["0", "100000001", "18446744073709551615", "-5", "many"].map(|n| (bin, n))
    }) {
        let run = Program::example(bin).arg(&format!("--increments={increments}")).run();
        assert_eq!(run.code, Some(2), "{increments}\n{}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("invalid value '{increments}' for '--increments")),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{increments}\n{}", run.stdout);
    }
}

#[test]
fn python_loses_updates_only_where_a_switch_can_come_and_the_lock_is_exact() {
    let Some(program) = Program::python("sync_race.py") else {
        return;
    };
    let run = program.run_ok();
    let lines = run.lines();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert_eq!(lines[0], "4 threads add 1, 100000 times each: expected total 400000");
    assert!(lines[1].starts_with("counter += 1: "), "{}", run.stdout);
    assert_racy_line(lines[1], 400_000);
    assert!(lines[2].starts_with("counter = add_one(counter): "), "{}", run.stdout);
    assert_racy_line(lines[2], 400_000);
    assert_eq!(lines[3], "the same, holding a lock:    total 400000, matches");
    check_recorded(&program, "python/recorded/sync_race.txt", racy_numbers_hidden, &run);
}

//! What sync-message-passing must print, and what its Python counterpart prints.
//!
//! Each stage is one thread (or process) reading one channel, so each stage's
//! own lines come in input order; how the three stages' lines interleave is
//! the scheduler's choice. The normalized form groups each part's lines by
//! stage, which removes exactly that choice.

use example_harness::timeline::{
    Marker, Recording, Span, Timeline, check_recorded_timeline, lane, timeline,
};
use example_harness::{
    Program, assert_absent, assert_in_order, first_word, group_by_label, redact_pids,
};

const BIN: &str = "sync-message-passing";
const STAGES: [&str; 3] = ["parse:", "work:", "collect:"];

const PARSE: [&str; 7] = [
    "parse: line 1 is 3",
    "parse: line 2: \"x\" is not a number",
    "parse: line 3 is 10",
    "parse: line 4 is -4",
    "parse: line 5: \"7.5\" is not a number",
    "parse: line 6 is 12",
    "parse: end of input, closing my output",
];
const WORK: [&str; 7] = [
    "work: line 1: 3 squared is 9",
    "work: line 2: passing the error along",
    "work: line 3: 10 squared is 100",
    "work: line 4: -4 squared is 16",
    "work: line 5: passing the error along",
    "work: line 6: 12 squared is 144",
    "work: input closed, closing my output",
];
const COLLECT: [&str; 7] = [
    "collect: line 1 gives 9",
    "collect: line 2 gives an error",
    "collect: line 3 gives 100",
    "collect: line 4 gives 16",
    "collect: line 5 gives an error",
    "collect: line 6 gives 144",
    "collect: input closed after 6 items",
];

/// The output cut at its "-- ... --" headers: the part under each header.
fn parts(output: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for line in output.lines() {
        match parts.last_mut() {
            Some(part) if !line.starts_with("-- ") => part.push_str(&format!("{line}\n")),
            _ => parts.push(String::new()),
        }
    }
    parts
}

/// Each part's lines grouped by stage (each stage keeping its order), PIDs redacted.
fn by_stage(output: &str) -> String {
    let mut normalized = String::new();
    let mut part = String::new();
    for line in output.lines().chain(["-- end --"]) {
        if line.starts_with("-- ") {
            normalized.push_str(&group_by_label(&part, &STAGES, first_word));
            part.clear();
            if line != "-- end --" {
                normalized.push_str(&format!("{line}\n"));
            }
        } else {
            part.push_str(&format!("{line}\n"));
        }
    }
    redact_pids(&normalized)
}

/// What one pipeline guarantees, whatever the interleaving. `summary` is the
/// line the Python version prints after each pipeline; the Rust one prints none.
fn assert_pipeline(part: &str, summary: Option<&str>, work_pid_line: bool) {
    assert_in_order(part, &PARSE);
    assert_in_order(part, &WORK);
    assert_in_order(part, &COLLECT);
    // An item reaches a stage only after the stage before has printed it.
    for line in 0..6 {
        assert_in_order(part, &[PARSE[line], WORK[line], COLLECT[line]]);
    }
    // Each stage's input closes only after the stage before it has finished.
    assert_in_order(part, &[PARSE[6], WORK[6], COLLECT[6]]);
    let pid_lines = part.lines().filter(|line| line.starts_with("work: running in pid "));
    assert_eq!(pid_lines.count(), usize::from(work_pid_line), "{part}");
    let stage_lines = part.lines().filter(|line| STAGES.contains(&first_word(line)));
    assert_eq!(stage_lines.count(), 21 + usize::from(work_pid_line), "{part}");
    let others: Vec<&str> =
        part.lines().filter(|line| !STAGES.contains(&first_word(line))).collect();
    assert_eq!(others, Vec::from_iter(summary), "{part}");
    if let Some(summary) = summary {
        assert_in_order(part, &[COLLECT[6], summary]);
    }
}

/// Both pipelines, threads first; `summaries` for the Python version.
fn assert_both_pipelines(output: &str, summaries: [Option<&str>; 2]) {
    let pipelines = output
        .strip_suffix("both pipelines gave the same results\n")
        .unwrap_or_else(|| panic!("the last line says both agree:\n{output}"));
    let parts = parts(pipelines);
    assert_eq!(parts.len(), 2, "{output}");
    assert_pipeline(&parts[0], summaries[0], false);
    assert_pipeline(&parts[1], summaries[1], true);
}

/// The step of the recorded runs, made at the human pace: the work stage
/// takes one per number.
const RECORDED_STEP_MS: f64 = 1000.0;

/// Who ran when, in both pipelines: a lane per stage, the two parts one after
/// the other, with a line where each begins.
///
/// Each stage's line is a moment: parse's as it sends a line on, collect's as
/// it takes one in. The work stage squares a number in one step and prints
/// its line after it, as the code says, so that line ends a step's bar (an
/// error passes through at once). Between a stage's moments it waits: for
/// its input, or for room in its bounded output channel.
fn who_ran_when(title: &'static str) -> impl Fn(&Recording) -> Timeline {
    move |recording| {
        let mut stages = [Vec::new(), Vec::new(), Vec::new()];
        let mut markers = Vec::new();
        // Where each stage's waiting begins: the end of what it did last.
        let mut idle_from = [0.0; 3];
        for arrival in &recording.lines {
            let (line, at) = (arrival.line.as_str(), arrival.at_ms);
            if line.starts_with("-- ") {
                let label =
                    if markers.is_empty() { "threads" } else { "work in a process" };
                markers.push(Marker { at_ms: at, label: label.to_owned() });
                idle_from = [at; 3];
                continue;
            }
            let Some(stage) = STAGES.iter().position(|stage| first_word(line) == *stage)
            else {
                continue;
            };
            let squared = line.contains(" squared is ");
            let begins =
                if squared { (at - RECORDED_STEP_MS).max(idle_from[stage]) } else { at };
            stages[stage].push(Span::waiting(idle_from[stage], begins, ""));
            let label = match line.split(": ").nth(1) {
                Some(which) if squared => which.to_owned(),
                _ => String::new(),
            };
            stages[stage].push(Span::busy(begins, at, label));
            idle_from[stage] = at;
        }
        let [parse, work, collect] = stages;
        let lanes = vec![
            lane("parse", 0, parse),
            lane("work", 1, work),
            lane("collect", 2, collect),
        ];
        let legend = ["a line printed, or work's step before it", "waiting"];
        let mut timeline = timeline(title, recording, lanes, legend);
        timeline.markers = markers;
        timeline
    }
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_both_pipelines(&program.run_ok().stdout, [None, None]);
}

#[test]
fn both_pipelines_pass_every_line_through_and_close_in_order() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_both_pipelines(&run.stdout, [None, None]);
    insta::assert_snapshot!("by_stage", by_stage(&run.stdout));
    check_recorded_timeline(
        &program,
        "examples-sync/sync-message-passing/recorded/run.txt",
        by_stage,
        &run,
        "book/src/sync/timelines/sync-message-passing.svg",
        who_ran_when(
            "sync-message-passing: three stages, on threads then with a process",
        ),
    );
}

#[test]
fn a_crashed_work_process_is_an_error_not_a_hang() {
    let run = Program::example(BIN).arg("--crash-at").arg("3").run();
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("work: crashing at line 3, as --crash-at asked"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Error: worker \"work\" (pid ")
            && run.stderr.contains("exited with code 101"),
        "{}",
        run.stderr
    );
    let parts = parts(&run.stdout);
    assert_eq!(parts.len(), 2, "{}", run.stdout);
    // Only the work process crashes: the threads' pipeline is whole.
    assert_pipeline(&parts[0], None, false);
    // Lines 1 and 2 were sent on before the crash and still arrive; nothing after does.
    assert_in_order(
        &parts[1],
        &[COLLECT[0], COLLECT[1], "collect: input closed after 2 items"],
    );
    assert_absent(&parts[1], &[COLLECT[2], COLLECT[3], COLLECT[4], COLLECT[5], WORK[6]]);
    assert!(!run.stdout.contains("both pipelines"), "{}", run.stdout);
}

#[test]
fn python_pipelines_with_sentinels_do_the_same() {
    let Some(program) = Program::python("sync_message_passing.py") else { return };
    let run = program.run_ok();
    let summaries = [
        Some("threads: squares [9, 100, 16, 144] and 2 errors, in input order"),
        Some("processes: squares [9, 100, 16, 144] and 2 errors, in input order"),
    ];
    assert_both_pipelines(&run.stdout, summaries);
    check_recorded_timeline(
        &program,
        "python/recorded/sync_message_passing.txt",
        by_stage,
        &run,
        "book/src/sync/timelines/sync-message-passing-python.svg",
        who_ran_when(
            "sync_message_passing.py: three stages, on threads then with a process",
        ),
    );
}

#[test]
fn the_line_to_crash_at_must_be_a_line_of_the_input() {
    for line in ["0", "7", "two"] {
        let run = Program::example(BIN).arg("--crash-at").arg(line).run();
        assert_eq!(run.code, Some(2), "{line}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("invalid value '{line}' for '--crash-at <LINE>'")),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{line}: {}", run.stdout);
    }
}

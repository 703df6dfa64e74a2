//! What pool-process-map must print, and what its Python counterpart prints.

use example_harness::timeline::{
    Recording, Timeline, check_recorded_timeline, map_lanes, timeline,
};
use example_harness::{Program, assert_squares_mapped, squares_by_job};

const BIN: &str = "pool-process-map";
/// `max_workers=8`: eight worker processes.
const WORKERS: usize = 8;

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_squares_mapped(&program.run_ok().stdout, WORKERS);
}

/// Who ran when: a lane per job from its start line to its finish line, both
/// printed by the worker process that ran it, queued before, and how many
/// run at once (eight at most).
fn who_ran_when(title: &'static str) -> impl Fn(&Recording) -> Timeline {
    move |recording| {
        let lanes = map_lanes(recording, WORKERS as u32);
        let legend = ["a job, from its start line to its finish line", "queued"];
        timeline(title, recording, lanes, legend)
    }
}

#[test]
fn the_process_pool_returns_squares_in_input_order() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_squares_mapped(&run.stdout, WORKERS);
    check_recorded_timeline(
        &program,
        "examples-pools/pool-process-map/recorded/run.txt",
        squares_by_job,
        &run,
        "book/src/pools/timelines/pool-process-map.svg",
        who_ran_when("pool-process-map: ten jobs on a pool of 8 worker processes"),
    );
}

#[test]
fn the_workers_take_the_step_of_the_parent_whatever_set_it() {
    // Given on the command line, the step must reach the workers, whose own
    // command line and inherited environment do not hold it: were they to
    // sleep STEP_MS's minute per job instead, the run would take two minutes
    // and be killed as hung.
    let program = Program::example(BIN).arg("--step-ms").arg("0").step_ms(60_000);
    assert_squares_mapped(&program.run_ok().stdout, WORKERS);
}

#[test]
fn a_bad_step_is_refused_once_before_any_worker_starts() {
    let run = Program::example(BIN).env("STEP_MS", "soon").run();
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(run.stderr.matches("invalid value 'soon'").count(), 1, "{}", run.stderr);
    assert!(!run.stderr.contains("worker"), "a worker was started:\n{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn python_process_pool_prints_the_same() {
    let Some(program) = Program::python("pool_process_map.py") else { return };
    let run = program.run_ok();
    assert_squares_mapped(&run.stdout, WORKERS);
    check_recorded_timeline(
        &program,
        "python/recorded/pool_process_map.txt",
        squares_by_job,
        &run,
        "book/src/pools/timelines/pool-process-map-python.svg",
        who_ran_when("pool_process_map.py: ten jobs, ProcessPoolExecutor(max_workers=8)"),
    );
}

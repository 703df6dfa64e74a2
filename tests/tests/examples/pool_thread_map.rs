//! What pool-thread-map must print, and what its Python counterpart prints.

use example_harness::timeline::{
    Recording, Timeline, check_recorded_timeline, map_lanes, timeline,
};
use example_harness::{Program, assert_squares_mapped, check_recorded, squares_by_job};

const BIN: &str = "pool-thread-map";
const RAYON_BIN: &str = "pool-thread-map-rayon";
/// `max_workers=8`.
const WORKERS: usize = 8;

/// What the take-away test checks on a copy built outside the workspace:
/// both programs.
pub fn check_copy(program: Program) {
    assert_squares_mapped(&program.sibling(RAYON_BIN).run_ok().stdout, WORKERS);
    assert_squares_mapped(&program.run_ok().stdout, WORKERS);
}

/// Who ran when: a lane per job from its start line to its finish line,
/// queued before, and how many run at once (eight at most).
fn who_ran_when(title: &'static str) -> impl Fn(&Recording) -> Timeline {
    move |recording| {
        let lanes = map_lanes(recording, WORKERS as u32);
        let legend = ["a job, from its start line to its finish line", "queued"];
        timeline(title, recording, lanes, legend)
    }
}

#[test]
fn threadpool_map_keeps_input_order() {
    let program = Program::example(BIN);
    let run = program.run_ok();
    assert_squares_mapped(&run.stdout, WORKERS);
    insta::assert_snapshot!("threadpool", squares_by_job(&run.stdout));
    check_recorded_timeline(
        &program,
        "examples-pools/pool-thread-map/recorded/threadpool.txt",
        squares_by_job,
        &run,
        "book/src/pools/timelines/pool-thread-map.svg",
        who_ran_when("pool-thread-map: ten jobs on a threadpool of 8 Rust threads"),
    );
}

#[test]
fn rayon_collect_keeps_input_order() {
    let program = Program::example(RAYON_BIN);
    let run = program.run_ok();
    assert_squares_mapped(&run.stdout, WORKERS);
    insta::assert_snapshot!("rayon", squares_by_job(&run.stdout));
    check_recorded(
        &program,
        "examples-pools/pool-thread-map/recorded/rayon.txt",
        squares_by_job,
        &run,
    );
}

#[test]
fn order_is_kept_when_the_jobs_finish_in_any_order() {
    // With no sleep at all, which job ends first is entirely the scheduler's
    // choice, run after run; the printed list must not change.
    for program in [Program::example(BIN), Program::example(RAYON_BIN)] {
        for _ in 0..5 {
            assert_squares_mapped(&program.clone().step_ms(0).run_ok().stdout, WORKERS);
        }
    }
}

#[test]
fn python_thread_pool_executor_prints_the_same() {
    let Some(program) = Program::python("pool_thread_map.py") else {
        return;
    };
    let run = program.run_ok();
    assert_squares_mapped(&run.stdout, WORKERS);
    check_recorded_timeline(
        &program,
        "python/recorded/pool_thread_map.txt",
        squares_by_job,
        &run,
        "book/src/pools/timelines/pool-thread-map-python.svg",
        who_ran_when("pool_thread_map.py: ten jobs, ThreadPoolExecutor(max_workers=8)"),
    );
}

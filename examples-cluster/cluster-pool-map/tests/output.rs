//! What cluster-pool-map prints on 1, 2 and 3 ranks, its mpi4py counterpart,
//! and what happens when a worker dies: under MPI, and on the process toolkit's pool.

use cluster_tests::{Mpi, by_number, example, python_with_mpi4py, redact, transcript};
use example_harness::{Program, Run, assert_in_order, check_recorded};

const SQUARES: &str = "[1, 4, 9, 16, 25, 36, 49, 64, 81, 100]";

/// 4294967296 is 2^32: its square does not fit in 64 bits, so its worker panics.
const WITH_OVERFLOW: [&str; 10] =
    ["1", "2", "3", "4", "5", "4294967296", "7", "8", "9", "10"];

/// Every number squared once, by a rank that may do jobs; the list in input
/// order after every job's line; "Finish" last.
fn assert_a_complete_map(run: &Run, ranks: u32) {
    let lines = run.lines();
    if ranks == 1 {
        // No worker: rank 0 squares them itself, and prints the article's two lines.
        assert_eq!(lines, [SQUARES, "Finish"], "{}", run.stdout);
        return;
    }
    for number in 1..=10_u64 {
        let done: Vec<&&str> = (lines.iter())
            .filter(|line| {
                line.ends_with(&format!(" squared {number}: {}", number * number))
            })
            .collect();
        assert_eq!(done.len(), 1, "{number} squared once\n{}", run.stdout);
        let rank: u32 =
            done[0]["rank ".len()..].split(' ').next().unwrap().parse().unwrap();
        let workers = if ranks == 1 { 0..1 } else { 1..ranks };
        assert!(
            workers.contains(&rank),
            "rank {rank} of {ranks} did a job\n{}",
            run.stdout
        );
    }
    assert_eq!(lines.len(), 12, "{}", run.stdout);
    assert_eq!(&lines[10..], [SQUARES, "Finish"], "{}", run.stdout);
}

fn pool_map(mpi: &Mpi, ranks: u32) -> Program {
    mpi.program(ranks, &example("cluster-pool-map"))
}

#[test]
fn the_squares_come_back_in_input_order_on_1_2_and_3_ranks() {
    let Some(mpi) = Mpi::new() else { return };
    for ranks in 1..=3 {
        assert_a_complete_map(&pool_map(&mpi, ranks).run_ok(), ranks);
    }
    let program = pool_map(&mpi, 3);
    let run = program.run_ok();
    assert_a_complete_map(&run, 3);
    let recorded = "examples-cluster/cluster-pool-map/recorded/three-ranks.txt";
    check_recorded(&program, recorded, by_number, &run);
}

#[test]
fn python_mpi4py_version_prints_the_same() {
    let Some(mpi) = Mpi::new() else { return };
    for ranks in 1..=3 {
        let Some(program) = mpi.python(ranks, "cluster_pool_map.py") else { return };
        let run = program.run_ok();
        assert_a_complete_map(&run, ranks);
        if ranks == 3 {
            check_recorded(
                &program,
                "python/recorded/cluster_pool_map.txt",
                by_number,
                &run,
            );
        }
    }
}

#[test]
fn python_without_mpirun_is_one_rank_that_does_every_job() {
    let Some(mpi) = Mpi::new() else { return };
    if python_with_mpi4py().is_none() {
        return;
    }
    let Some(program) = Program::python("cluster_pool_map.py") else { return };
    assert_a_complete_map(&mpi.alone(program).run_ok(), 1);
}

/// Of a run that a worker's death ended: the panic and how mpirun ended.
/// Which jobs finished first is the scheduler's, and Open MPI's own report
/// of the abort is sometimes lost in the hurry (a known race in its help
/// messages), so neither is compared.
fn the_panic_and_the_exit(transcript: &str) -> String {
    let mut kept = String::new();
    let mut lines = transcript.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("thread '") && line.contains("panicked at") {
            kept.push_str("a rank panicked:\n");
            kept.push_str(&format!("{}\n", lines.next().unwrap_or("")));
        } else if line.starts_with("--- exit") {
            kept.push_str(&format!("{line}\n"));
        }
    }
    kept
}

#[test]
fn a_worker_that_panics_ends_the_whole_job_with_an_error_not_a_hang() {
    let Some(mpi) = Mpi::new() else { return };
    let mut program = pool_map(&mpi, 3);
    for number in WITH_OVERFLOW {
        program = program.arg(number);
    }
    // The harness's timeout turns a hang into a failure (no exit code).
    let run = program.run();
    assert_eq!(run.code, Some(101), "the panic hook's MPI_Abort code\n{}", run.stderr);
    assert!(
        !run.stdout.contains("Finish") && !run.stdout.contains(" 36,"),
        "{}",
        run.stdout
    );
    transcript::check(
        &program,
        "examples-cluster/cluster-pool-map/recorded/worker-dies.txt",
        the_panic_and_the_exit,
        &run,
    );
}

#[test]
fn the_toolkit_pool_fails_that_one_job_and_serves_on() {
    let mut program =
        Program::binary(&example("toolkit-pool-map")).env("RUST_BACKTRACE", "0");
    for number in WITH_OVERFLOW {
        program = program.arg(number);
    }
    let run = program.run_ok();
    let expected = "1 squared: 1\n2 squared: 4\n3 squared: 9\n4 squared: 16\n5 squared: 25\n\
        4294967296 failed: worker \"pool:toolkit_pool_map::square\" (pid [PID]) was killed by SIGABRT\n\
        7 squared: 49\n8 squared: 64\n9 squared: 81\n10 squared: 100\n\
        workers started: 3\nFinish\n";
    let redact_pids = |output: &str| redact(output, "pid ", "PID");
    assert_eq!(redact_pids(&run.stdout), expected);
    let recorded = "examples-cluster/cluster-pool-map/recorded/toolkit-worker-dies.txt";
    check_recorded(&program, recorded, redact_pids, &run);
}

#[test]
fn without_a_failure_the_toolkit_pool_maps_like_the_others() {
    let run = Program::binary(&example("toolkit-pool-map")).run_ok();
    let lines: Vec<String> =
        (1..=10).map(|n: u64| format!("{n} squared: {}", n * n)).collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    assert_in_order(&run.stdout, &lines);
    assert_in_order(&run.stdout, &["10 squared: 100", "workers started: 2", "Finish"]);
}

#[test]
fn help_works_and_bad_arguments_exit_2() {
    for bin in ["cluster-pool-map", "toolkit-pool-map"] {
        let help = Program::binary(&example(bin)).arg("--help").run_ok();
        assert!(help.stdout.contains("--step-ms <STEP_MS>"), "{}", help.stdout);
        for bad in [&["-1"][..], &["two"], &["--bogus"], &["--step-ms", "70000"]] {
            let mut program = Program::binary(&example(bin));
            for arg in bad {
                program = program.arg(arg);
            }
            let run = program.run();
            assert_eq!(run.code, Some(2), "{bin} {bad:?}: {}", run.stderr);
            assert!(run.stdout.is_empty());
        }
        let run = Program::binary(&example(bin)).env("STEP_MS", "fast").run();
        assert_eq!(run.code, Some(2), "{bin}: {}", run.stderr);
    }
}

#[test]
fn normalizing_removes_ranks_and_completion_order() {
    let run = "rank 2 squared 10: 100\nrank 1 squared 9: 81\n[81, 100]\nFinish\n";
    assert_eq!(
        by_number(run),
        "rank [R] squared 9: 81\nrank [R] squared 10: 100\n[81, 100]\nFinish\n"
    );
}

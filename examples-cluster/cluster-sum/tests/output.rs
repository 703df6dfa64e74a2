//! What cluster-sum prints on 1, 2 and 3 ranks, and its mpi4py counterpart.

use cluster_tests::{Mpi, example, python_with_mpi4py};
use example_harness::{Program, check_recorded};

const N: u64 = 3_000_000;

/// What rank `rank` of `ranks` adds up, and what that comes to: the program's
/// split, computed again here with the formula instead of a loop.
fn expected(ranks: u64) -> String {
    let mut lines =
        vec![format!("MPI world size: {ranks}; adding up the integers below {N}")];
    for rank in 0..ranks {
        let (start, end) = (N * rank / ranks, N * (rank + 1) / ranks);
        let partial = (end * (end.max(1) - 1) - start * start.saturating_sub(1)) / 2;
        lines.push(format!("rank {rank} on [HOST] added {start}..{end}: {partial}"));
    }
    let total = N * (N - 1) / 2;
    lines.push(format!(
        "the reduce brought rank 0 the total: {total} (n(n-1)/2 = {total})"
    ));
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// The host names are the machine's: "rank 1 on [HOST] added ...".
fn without_hosts(output: &str) -> String {
    let line = |line: &str| match (line.find(" on "), line.find(" added ")) {
        (Some(on), Some(added)) if on < added => {
            format!("{} on [HOST]{}\n", &line[..on], &line[added..])
        }
        _ => format!("{line}\n"),
    };
    output.lines().map(line).collect()
}

fn sum(mpi: &Mpi, ranks: u32) -> Program {
    mpi.program(ranks, &example("cluster-sum")).arg("--n").arg(&N.to_string())
}

#[test]
fn every_rank_adds_its_share_and_rank_0_gets_the_exact_total() {
    let Some(mpi) = Mpi::new() else { return };
    for ranks in 1..=3 {
        let run = sum(&mpi, ranks).run_ok();
        assert_eq!(
            without_hosts(&run.stdout),
            expected(ranks.into()),
            "on {ranks} ranks"
        );
    }
    let program = sum(&mpi, 2);
    let run = program.run_ok();
    check_recorded(
        &program,
        "examples-cluster/cluster-sum/recorded/two-ranks.txt",
        without_hosts,
        &run,
    );
}

#[test]
fn python_mpi4py_version_prints_the_same() {
    let Some(mpi) = Mpi::new() else { return };
    for ranks in 1..=3 {
        let Some(program) = mpi.python(ranks, "cluster_sum.py") else { return };
        let program = program.arg("--n").arg(&N.to_string());
        let run = program.run_ok();
        assert_eq!(
            without_hosts(&run.stdout),
            expected(ranks.into()),
            "on {ranks} ranks"
        );
        if ranks == 2 {
            check_recorded(
                &program,
                "python/recorded/cluster_sum.txt",
                without_hosts,
                &run,
            );
        }
    }
}

#[test]
fn without_mpirun_it_is_one_rank_on_its_own() {
    let Some(mpi) = Mpi::new() else { return };
    // `cargo run` starts the program alone: MPI makes it a world of one rank.
    let program = Program::binary(&example("cluster-sum"));
    let run = mpi.alone(program).arg("--n").arg(&N.to_string()).run_ok();
    assert_eq!(without_hosts(&run.stdout), expected(1));
}

#[test]
fn python_without_mpirun_is_one_rank_on_its_own_too() {
    let Some(mpi) = Mpi::new() else { return };
    if python_with_mpi4py().is_none() {
        return;
    }
    let Some(program) = Program::python("cluster_sum.py") else { return };
    let run = mpi.alone(program).arg("--n").arg(&N.to_string()).run_ok();
    assert_eq!(without_hosts(&run.stdout), expected(1));
}

#[test]
fn help_works_and_bad_arguments_exit_2_before_mpi_starts() {
    let bin = example("cluster-sum");
    let help = Program::binary(&bin).arg("--help").run_ok();
    assert!(help.stdout.contains("--n <N>"), "{}", help.stdout);
    for bad in [&["--n", "0"][..], &["--n", "lots"], &["--bogus"], &["extra"]] {
        let mut program = Program::binary(&bin);
        for arg in bad {
            program = program.arg(arg);
        }
        let run = program.run();
        assert_eq!(run.code, Some(2), "{bad:?}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn a_non_utf8_argument_exits_2() {
    use std::os::unix::ffi::OsStrExt;
    let status = std::process::Command::new(example("cluster-sum"))
        .arg(std::ffi::OsStr::from_bytes(b"--n=\xff"))
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(2));
}

#[test]
fn the_shares_formula_agrees_with_a_loop() {
    let partial = |start: u64, end: u64| (start..end).sum::<u64>();
    let lines = expected(3);
    for rank in 0..3 {
        let (start, end) = (N * rank / 3, N * (rank + 1) / 3);
        assert!(
            lines.contains(&format!("{start}..{end}: {}\n", partial(start, end))),
            "{lines}"
        );
    }
}

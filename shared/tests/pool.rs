//! The pools' guarantees: results in input order from `map`; a job whose
//! worker process dies fails alone, the worker is replaced, and dropping the
//! pool leaves no process behind.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use process_toolkit::pool::{Executor, ThreadPool};

const PROBE: &str = env!("CARGO_BIN_EXE_pool-probe");

#[test]
fn a_thread_pool_maps_in_input_order() {
    let pool = ThreadPool::new(3, |n: u64| {
        // Later jobs finish first, so input order is not completion order.
        std::thread::sleep(Duration::from_millis(40 - 4 * n));
        n * n
    });
    assert_eq!(pool.map(1..=8).unwrap(), [1, 4, 9, 16, 25, 36, 49, 64]);
}

#[test]
fn a_panicking_job_on_a_thread_pool_is_an_error_for_that_job_only() {
    let pool = ThreadPool::new(2, |n: u64| {
        assert_ne!(n, 2, "job 2 fails");
        n
    });
    let pending: Vec<_> = (0..4).map(|n| pool.submit(n)).collect();
    let results: Vec<bool> = pending.into_iter().map(|p| p.wait().is_ok()).collect();
    assert_eq!(results, [true, true, false, true]);
}

#[test]
fn a_worker_killed_mid_job_fails_that_job_only_and_leaves_nothing_behind() {
    let mut probe = Command::new(PROBE)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the probe starts");
    let mut lines = BufReader::new(probe.stdout.take().unwrap()).lines();
    let announced = lines.next().expect("a line").unwrap();
    let pid: i32 = announced
        .strip_prefix("job 3 runs in pid ")
        .unwrap_or_else(|| panic!("the stuck job announces itself first: {announced:?}"))
        .parse()
        .unwrap();
    kill(Pid::from_raw(pid), Signal::SIGKILL).unwrap();

    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(probe.wait().unwrap().success(), "{rest:?}");
    for n in (0..8u64).filter(|n| *n != 3) {
        let expected = format!("result {n}: {}", n * n);
        assert!(rest.contains(&expected), "{expected:?} in {rest:#?}");
    }
    let failed = rest.iter().find(|line| line.starts_with("result 3: error: ")).unwrap();
    assert!(failed.ends_with(&format!("(pid {pid}) was killed by SIGKILL")), "{failed}");

    let listed = |prefix: &str| -> Vec<i32> {
        let line = rest.iter().find_map(|line| line.strip_prefix(prefix));
        let line = line.unwrap_or_else(|| panic!("a line {prefix:?} in {rest:#?}"));
        line.split(' ').map(|pid| pid.parse().unwrap()).collect()
    };
    let pids = listed("worker pids: ");
    assert_eq!(pids.len(), 3, "two workers and one replacement: {pids:?}");
    assert_eq!(listed("pids() again: "), pids, "pids() lists them again, not only once");
    assert!(pids.contains(&pid));
    for pid in pids {
        assert_gone_soon(pid);
    }
}

fn assert_gone_soon(pid: i32) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let gone = match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => {
                stat.rsplit(')').next().is_some_and(|s| s.trim_start().starts_with('Z'))
            }
        };
        if gone {
            return;
        }
        assert!(Instant::now() < deadline, "worker {pid} outlived its pool");
        std::thread::sleep(Duration::from_millis(10));
    }
}

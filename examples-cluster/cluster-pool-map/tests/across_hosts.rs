//! scripts/cluster-hosts: the programs across three hosts made of network
//! namespaces on this machine, the delay table, and the cleaning, interrupted or not.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use cluster_tests::{Mpi, by_number, example, processes_with, skip};
use example_harness::{Program, workspace_root};

fn script() -> String {
    workspace_root().join("scripts/cluster-hosts").to_string_lossy().into_owned()
}

fn bin_dir() -> String {
    let sum = example("cluster-sum");
    Path::new(&sum).parent().unwrap().to_string_lossy().into_owned()
}

/// Whether this machine lets us make network namespaces (root, and no
/// sandbox that forbids it); the tests that need them say so when it does not.
fn namespaces_permitted() -> bool {
    static PERMITTED: OnceLock<bool> = OnceLock::new();
    let permitted = *PERMITTED.get_or_init(|| {
        let probe = format!("cluster-probe-{}", std::process::id());
        let ip = |verb| {
            Command::new("ip")
                .args(["netns", verb, &probe])
                .stderr(Stdio::null())
                .status()
        };
        let made = ip("add").is_ok_and(|status| status.success());
        if made {
            let _ = ip("del");
        }
        made
    });
    if !permitted {
        eprintln!(
            "SKIPPED: `ip netns add` is not permitted here, so the hosts script was not run"
        );
    }
    permitted
}

fn hosts_available() -> bool {
    Mpi::new().is_some() && namespaces_permitted()
}

fn namespaces() -> String {
    let out = Command::new("ip").args(["netns", "list"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Nothing the script made is left: no namespace, no process, no scratch directory.
fn assert_all_removed(prefix: &str) {
    assert!(!namespaces().contains(prefix), "namespaces left behind:\n{}", namespaces());
    let marker = format!("CLUSTER_HOSTS_NAMESPACES={prefix}");
    // Killed processes may take a moment to be gone from /proc.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !processes_with(&marker).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(processes_with(&marker), Vec::<u32>::new(), "processes left behind");
}

/// The part of the script's output under `=== <title>`.
fn section<'a>(output: &'a str, title: &str) -> &'a str {
    let start = output
        .find(&format!("=== {title}\n"))
        .unwrap_or_else(|| panic!("no {title}:\n{output}"));
    let body = &output[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    &body[..body.find("\n=== ").map_or(body.len(), |end| end + 1)]
}

fn recorded(path: &str) -> String {
    std::fs::read_to_string(workspace_root().join(path)).unwrap()
}

/// One script at a time: each starts three busy ranks, and a machine of two
/// cores running three of them at once makes every run crawl.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `scripts/cluster-hosts --check` to the end and returns its stdout.
/// Not with the harness's runner: its timeout kills outright (SIGKILL),
/// which leaves the script no chance to remove its hosts. Here a run that
/// takes too long gets SIGTERM, and time to clean up, before it fails.
fn check_run() -> String {
    let child = Command::new(script())
        .args(["--check", "--bin-dir", &bin_dir()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || drop(sender.send(child.wait_with_output())));
    let output = match receiver.recv_timeout(Duration::from_secs(300)) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            unsafe { libc::kill(pid, libc::SIGTERM) };
            let _ = receiver.recv_timeout(Duration::from_secs(60));
            panic!("scripts/cluster-hosts --check took more than 5 minutes");
        }
    };
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "scripts/cluster-hosts --check failed:\n{stdout}");
    stdout
}

#[test]
fn both_programs_run_across_three_hosts_and_nothing_is_left_behind() {
    if !hosts_available() {
        return;
    }
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let stdout = check_run();
    let prefix =
        stdout.lines().next().and_then(|line| line.split(" in namespaces ").nth(1));
    let prefix = prefix.expect("the script names its namespaces").trim_end_matches('*');
    assert_all_removed(prefix);

    let sum = section(&stdout, "cluster-sum across host1, host2, host3");
    assert!(sum.contains("rank 1 on host2 added"), "{sum}");
    assert_eq!(sum, recorded("examples-cluster/cluster-sum/recorded/across-hosts.txt"));
    let map = section(&stdout, "cluster-pool-map across host1, host2, host3");
    let book = recorded("examples-cluster/cluster-pool-map/recorded/across-hosts.txt");
    assert_eq!(by_number(map), by_number(&book));

    let table = section(&stdout, "delay table");
    let rows: Vec<&str> = table
        .lines()
        .filter(|line| line.starts_with("| ") && line.contains(" ms |"))
        .collect();
    assert_eq!(rows.len(), 2, "a row for 0 ms and one for 1 ms:\n{table}");
    assert!(
        rows[0].starts_with("| 0 ms |") && rows[1].starts_with("| 1 ms |"),
        "{table}"
    );
}

/// Starts the script, waits until its hosts are up and mpirun has started,
/// interrupts it with `signal` (to its process group, as Ctrl-C does, when
/// `group`), and checks that it removed everything.
fn interrupt(signal: i32, group: bool) {
    use std::os::unix::process::CommandExt;
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut child = Command::new(script())
        .args(["--check", "--bin-dir", &bin_dir()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a first line").unwrap();
    let prefix = first
        .split(" in namespaces ")
        .nth(1)
        .expect("hosts up")
        .trim_end_matches('*')
        .to_owned();
    // mpirun is starting its daemons on the other hosts by now, or running the sum.
    std::thread::sleep(Duration::from_millis(300));
    let pid = child.id() as i32;
    assert_eq!(unsafe { libc::kill(if group { -pid } else { pid }, signal) }, 0);
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the interrupted script did not end");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!status.success(), "an interrupted run reports it");
    assert_all_removed(&prefix);
}

#[test]
fn ctrl_c_still_removes_every_namespace_and_process() {
    if hosts_available() {
        interrupt(libc::SIGINT, true);
    }
}

#[test]
fn sigterm_still_removes_every_namespace_and_process() {
    if hosts_available() {
        interrupt(libc::SIGTERM, false);
    }
}

#[test]
fn the_books_delay_table_is_what_the_recorded_figures_make() {
    if Command::new("python3").arg("--version").output().is_err() {
        assert!(
            std::env::var_os(example_harness::REQUIRE_PYTHON).is_none(),
            "python3 is missing"
        );
        return skip("python3 is not installed, so the delay table was not checked");
    }
    let figures = workspace_root().join("examples-cluster/recorded/delays.json");
    let run = Program::binary(&script())
        .arg("--table")
        .arg(&figures.to_string_lossy())
        .run_ok();
    assert_eq!(run.stdout, recorded("examples-cluster/recorded/delays.md"));
}

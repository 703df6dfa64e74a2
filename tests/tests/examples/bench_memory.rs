//! What bench-memory must print and write, at small counts. No figure is
//! asserted beyond what the kernel guarantees: every thread and process has
//! at least a page of its own (the stack it has written to), and a tokio
//! task, whose size is fixed when the program is compiled, less than one.
//! Those are checked at 100 workers: PSS shares a file's pages among every
//! process on the machine that maps them, so another run of the same program
//! starting or ending moves a total by a few pages, which at 1 worker is a
//! lot. For the same reason the tests that measure take turns. The JSON reads
//! back, the chart is a well-formed SVG, and no worker outlives the
//! benchmark, however it ends.

use std::sync::{Mutex, MutexGuard};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use example_harness::bench::{
    Table, assert_bad_options, assert_group_ends, assert_valid_svg,
    check_recorded_benchmark, live_members, scratch, spawn_in_group, value, wait_until,
};
use example_harness::{Program, workspace_root};

const BIN: &str = "bench-memory";
const THREADS_AND_PROCESSES: [&str; 3] =
    ["Rust threads", "Rust processes, exec", "Rust processes, fork"];
/// A page, less the rounding of PSS to whole KiB in each process's total.
const A_PAGE_AT_LEAST: f64 = 3.0;

fn small(program: Program) -> Program {
    program.arg("--workers").arg("1,10").arg("--runs").arg("1")
}

/// One measuring test at a time (see above).
fn turn() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    let run = small(program).run_ok();
    assert_rust_columns(&Table::parse(&run.stdout), &["1", "10"]);
}

/// Every Rust column has a figure in KiB in every row.
fn assert_rust_columns(table: &Table, rows: &[&str]) {
    assert_eq!(table.column("workers"), rows);
    for name in THREADS_AND_PROCESSES.iter().chain(&["tokio tasks"]) {
        for cell in table.column(name) {
            assert!(cell.ends_with(" KiB") && value(cell).is_finite(), "{name}: {cell}");
        }
    }
}

#[test]
fn every_kind_of_worker_gets_a_column_and_tasks_go_further() {
    let _turn = turn();
    let (json, svg) = (scratch("memory.json"), scratch("memory.svg"));
    let run = Program::example(BIN)
        .arg("--workers")
        .arg("1,100,2000")
        .arg("--runs")
        .arg("1")
        .arg("--json")
        .arg(&json.to_string_lossy())
        .arg("--svg")
        .arg(&svg.to_string_lossy())
        .run_ok();
    let table = Table::parse(&run.stdout);
    let header = ["workers", THREADS_AND_PROCESSES[0], THREADS_AND_PROCESSES[1]];
    assert_eq!(table.header[..3], header);
    let rows = table.rows.len();
    // Threads and processes stop at 1,000; tasks go on.
    for name in THREADS_AND_PROCESSES {
        assert_eq!(table.column(name)[rows - 1], "-", "{name} at 2,000 workers");
    }
    let mut small = Table { header: table.header.clone(), rows: table.rows.clone() };
    small.rows.pop();
    assert_rust_columns(&small, &["1", "100"]);
    for name in THREADS_AND_PROCESSES {
        let cell = table.column(name)[1];
        assert!(
            value(cell) >= A_PAGE_AT_LEAST,
            "{name}: {cell} at 100 is less than a page"
        );
    }
    let tasks = table.column("tokio tasks");
    assert!(value(tasks[1]) < 4.0, "100 tasks take less than a page each: {tasks:?}");
    assert!(value(tasks[2]) < 4.0, "2,000 tasks take less than a page each: {tasks:?}");
    // std's default, and the mapping the kernel shows: 2 MiB reserved, a page or two used.
    assert!(
        run.stdout.contains("stack reserved per Rust thread: 2.00 MiB"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("threads and processes: up to 1,000 workers"));
    assert!(run.stdout.contains("Machine: "), "{}", run.stdout);

    // The JSON holds every run, and reads back into the same table.
    let again =
        Program::example(BIN).arg("--from-json").arg(&json.to_string_lossy()).run_ok();
    assert_eq!(again.stdout, run.stdout);
    assert_valid_svg(&svg, &["Rust threads", "tokio tasks", "Memory per idle worker"]);
}

#[test]
fn with_python_the_python_columns_join_the_rust_ones() {
    if Program::python("bench_memory.py").is_none() {
        return;
    }
    let _turn = turn();
    let run = small(Program::example(BIN)).arg("--with-python").run_ok();
    let table = Table::parse(&run.stdout);
    assert_rust_columns(&table, &["1", "10"]);
    // A Python process is an interpreter: far more than a page, however shared.
    for method in ["fork", "spawn", "forkserver"] {
        let name = format!("Python processes, {method}");
        let cell = table.column(&name)[1];
        assert!(value(cell) >= A_PAGE_AT_LEAST, "{name}: {cell}");
    }
    for name in ["Python threads", "asyncio tasks"] {
        assert!(table.column(name).iter().all(|cell| value(cell).is_finite()), "{name}");
    }
    // RSS counts every shared page again in each forked child; PSS shares it out.
    let pss = table.column("Python processes, fork");
    let rss = table.column("Python processes, fork, RSS");
    for (pss, rss) in pss.iter().zip(&rss) {
        assert!(value(rss) > value(pss), "RSS {rss} is not above PSS {pss}");
    }
    for setting in [
        "stack reserved per Python thread: ",
        "Python's helper processes for spawn, once: ",
        "Python's helper processes for forkserver, once: ",
        ", Python 3.",
    ] {
        assert!(run.stdout.contains(setting), "no {setting:?} in {}", run.stdout);
    }
}

#[test]
fn the_python_benchmark_alone_prints_its_medians() {
    let Some(python) = Program::python("bench_memory.py") else { return };
    let _turn = turn();
    let run = python.arg("--workers").arg("1,2").arg("--runs").arg("1").run_ok();
    let lines = run.lines();
    assert_eq!(
        lines[0],
        "workers | Python threads | Python processes, fork | Python processes, fork, RSS \
         | Python processes, spawn | Python processes, forkserver | asyncio tasks"
    );
    assert!(
        lines[1].starts_with("1 | ") && lines[2].starts_with("2 | "),
        "{}",
        run.stdout
    );
    assert_eq!(lines.len(), 3, "{}", run.stdout);
}

/// The workers are idle, blocked, and would wait for ever: whatever ends
/// the benchmark must end them too. SIGINT goes to the whole group, as
/// Ctrl-C does; SIGKILL only to the benchmark, which can then clean nothing
/// up itself, so the kernel (PR_SET_PDEATHSIG) and the pipes must.
#[test]
fn no_worker_outlives_the_benchmark_however_it_ends() {
    let _turn = turn();
    for (signal, group) in [(Signal::SIGINT, true), (Signal::SIGKILL, false)] {
        let long =
            Program::example(BIN).arg("--workers").arg("200").arg("--runs").arg("100");
        let child = spawn_in_group(&long);
        let pid = child.id();
        let _ended = EndGroup(pid);
        wait_until("200 idle workers", || live_members(pid).len() > 200);
        let target = if group { -pid.cast_signed() } else { pid.cast_signed() };
        kill(Pid::from_raw(target), signal).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(!output.status.success(), "{signal}: {output:?}");
        assert_group_ends(pid, &format!("{BIN} ended by {signal}"));
    }
}

/// Ends what is left of a process group when a test fails before it did
/// (only then: once the group has ended, its number may be another's).
struct EndGroup(u32);
impl Drop for EndGroup {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = kill(Pid::from_raw(-self.0.cast_signed()), Signal::SIGKILL);
        }
    }
}

/// With Python: SIGTERM to the benchmark alone, as a service manager sends
/// it, while the forkserver's workers wait, ends every Python process and
/// leaves nothing in the temporary folder (multiprocessing makes one for the
/// forkserver's socket); SIGKILL ends every process too, though the
/// benchmark's own scratch folder then stays (in the test's folder here).
#[test]
fn no_python_worker_outlives_the_benchmark_ended_with_python() {
    if Program::python("bench_memory.py").is_none() {
        return;
    }
    let _turn = turn();
    for signal in [Signal::SIGTERM, Signal::SIGKILL] {
        let temp = scratch("tmp");
        std::fs::create_dir(&temp).unwrap();
        let long = Program::example(BIN)
            .env("TMPDIR", &temp.to_string_lossy())
            .arg("--workers")
            .arg("50")
            .arg("--runs")
            .arg("3") // Rust's rounds first, then Python's
            .arg("--with-python");
        let child = spawn_in_group(&long);
        let pid = child.id();
        let _ended = EndGroup(pid);
        let read =
            |member, file| std::fs::read_to_string(format!("/proc/{member}/{file}"));
        let members = |file, text: &str| {
            let has = |member| read(member, file).is_ok_and(|t| t.contains(text));
            live_members(pid).into_iter().filter(|&member| has(member)).count()
        };
        wait_until("50 workers of the forkserver", || {
            members("cmdline", "forkserver") > 0 && members("comm", "python") > 50
        });
        kill(Pid::from_raw(pid.cast_signed()), signal).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(!output.status.success(), "{signal}: {output:?}");
        assert_group_ends(pid, &format!("{BIN} --with-python ended by {signal}"));
        if signal == Signal::SIGTERM {
            let left: Vec<_> = std::fs::read_dir(&temp).unwrap().flatten().collect();
            assert!(left.is_empty(), "{signal} left {left:?} in TMPDIR");
        }
    }
}

#[test]
fn the_books_table_and_chart_are_what_the_program_makes_of_the_recorded_figures() {
    check_recorded_benchmark(
        &Program::example(BIN),
        "examples-bench/bench-memory/recorded/run.json",
        "examples-bench/bench-memory/recorded/table.md",
        "book/src/benchmarks/bench-memory.svg",
    );
}

/// What the chapter, the introduction and the decision guide cite, as
/// "<cell> per <worker>", from the recorded table's row of 1,000 workers.
const CITED: [(&str, &[(&str, &str)]); 3] = [
    (
        "book/src/benchmarks/bench-memory.md",
        &[
            ("Rust processes, fork", "forked Rust child"),
            ("Rust processes, exec", "toolkit worker"),
            ("Python processes, spawn", "spawned Python process"),
            ("Python processes, fork", "forked Python child"),
            ("Python processes, fork, RSS", "forked Python child"),
        ],
    ),
    (
        "book/src/introduction.md",
        &[
            ("Rust threads", "Rust thread"),
            ("Rust processes, fork", "forked Rust child"),
            ("Python processes, spawn", "spawned Python process"),
        ],
    ),
    (
        "book/src/choosing.md",
        &[
            ("Rust threads", "Rust thread"),
            ("Rust processes, fork", "forked Rust child"),
            ("Rust processes, exec", "toolkit worker"),
            ("tokio tasks", "tokio task"),
            ("Python threads", "Python thread"),
            ("Python processes, fork", "forked Python child"),
            ("Python processes, spawn", "spawned Python process"),
            ("asyncio tasks", "asyncio task"),
        ],
    ),
];

#[test]
fn the_figures_the_book_cites_are_the_recorded_ones() {
    let read = |path: &str| std::fs::read_to_string(workspace_root().join(path)).unwrap();
    let table = Table::parse(&read("examples-bench/bench-memory/recorded/table.md"));
    let row = table.column("workers").iter().position(|&workers| workers == "1,000");
    let row = row.expect("the recorded table has a row of 1,000 workers");
    for (chapter, cited) in CITED {
        let text = read(chapter).split_whitespace().collect::<Vec<_>>().join(" ");
        for (column, worker) in cited {
            let figure = format!("{} per {worker}", table.column(column)[row]);
            assert!(
                text.contains(&figure),
                "{chapter} must cite the recorded {figure:?} (recorded again?)"
            );
        }
    }
}

#[test]
fn bad_options_get_a_message_and_exit_code_2() {
    assert_bad_options(
        &Program::example(BIN),
        &[
            (&["--workers", "0"][..], "0 is not in 1..=10000"),
            (&["--workers", "10001"], "10001 is not in 1..=10000"),
            (&["--workers", "two"], "invalid digit"),
            (&["--runs", "0"], "0 is not in 1..=100"),
        ],
    );
}

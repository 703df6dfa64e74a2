//! What async-fetch must print, and what its Python counterpart prints.
//!
//! Nothing here measures time. The server counts the requests it has in
//! flight, and the program prints the count as each request arrives and the
//! peak at the end. With a blocking sleep the peak is 1 by construction: on
//! one thread, no other task can run between a request's count in and its
//! count out. With a sleep that gives the thread back, the peak is every page
//! when all the requests reach the server within one step of the first. That
//! takes the one thread a few milliseconds of work, so those tests use a step
//! of a second: it would have to stall for a whole step to miss.

use example_harness::{Program, assert_in_order, check_recorded};

const BIN: &str = "async-fetch";
const PAGES: usize = 5;
/// A step no busy machine stalls a thread for: see the module's comment.
const WIDE_STEP_MS: u64 = 1_000;

/// A server line: the page requested and the count in flight it printed.
fn server_line(line: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix("server: /page/")?;
    let (page, count) = rest.strip_suffix(" in flight")?.split_once(" requested, ")?;
    Some((page.parse().ok()?, count.parse().ok()?))
}

/// A task's line: the page it fetched.
fn fetched_line(line: &str) -> Option<usize> {
    let (task, body) = line.strip_prefix("task ")?.split_once(" fetched ")?;
    let page: usize = task.parse().ok()?;
    assert_eq!(body, format!("\"the page at /page/{page}\""), "task {page}'s page");
    Some(page)
}

/// What every run guarantees, whatever the wait: each page requested once and
/// fetched once by its own task, after its request; the tasks on one thread.
/// Returns the counts the server printed, in order, and the peak.
fn assert_fetched(output: &str, pages: usize) -> (Vec<usize>, usize) {
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 2 * pages + 2, "{output}");
    let (mut requested, mut fetched) = (vec![false; pages], vec![false; pages]);
    let mut counts = Vec::new();
    for line in &lines[..2 * pages] {
        if let Some((page, count)) = server_line(line) {
            assert!(!requested[page], "page {page} requested twice\n{output}");
            requested[page] = true;
            counts.push(count);
        } else if let Some(page) = fetched_line(line) {
            assert!(requested[page], "task {page} fetched before its request\n{output}");
            assert!(!fetched[page], "task {page} fetched twice\n{output}");
            fetched[page] = true;
        } else {
            panic!("neither a server line nor a task's: {line}\n{output}");
        }
    }
    assert!(fetched.iter().all(|done| *done), "every page fetched\n{output}");
    let peak = lines[2 * pages]
        .strip_prefix("most requests in flight at once: ")
        .and_then(|peak| peak.parse().ok())
        .unwrap_or_else(|| panic!("a peak line: {}", lines[2 * pages]));
    // Every count the server counted a request in with is printed.
    assert_eq!(Some(&peak), counts.iter().max(), "{output}");
    // A runtime (or event loop) with one thread runs every task on it.
    assert_eq!(
        lines[2 * pages + 1],
        format!("threads that ran the {pages} fetching tasks: 1")
    );
    (counts, peak)
}

/// A blocking sleep: one request in flight at a time, every time.
fn assert_one_at_a_time(output: &str) {
    let (counts, peak) = assert_fetched(output, PAGES);
    assert_eq!(counts, [1; PAGES], "{output}");
    assert_eq!(peak, 1, "{output}");
}

/// A sleep that gives the thread back: every request in flight at once, all
/// requested before any is answered (at the wide step).
fn assert_all_at_once(output: &str, pages: usize) {
    let (counts, peak) = assert_fetched(output, pages);
    assert_eq!(counts, (1..=pages).collect::<Vec<_>>(), "{output}");
    assert_eq!(peak, pages, "{output}");
    let lines: Vec<&str> = output.lines().collect();
    assert!(lines[..pages].iter().all(|line| server_line(line).is_some()), "{output}");
}

/// The server's lines in their order with the page numbers out (the order of
/// the requests is the scheduler's, their counts are not), then the tasks'
/// lines sorted (which task reads its answer first is the scheduler's too),
/// then the rest.
fn settled(output: &str) -> String {
    let (mut server, mut tasks, mut rest) = (Vec::new(), Vec::new(), Vec::new());
    for line in output.lines() {
        if let Some((_, count)) = server_line(line) {
            server.push(format!("server: /page/[N] requested, {count} in flight"));
        } else if line.starts_with("task ") {
            tasks.push(line.to_owned());
        } else {
            rest.push(line.to_owned());
        }
    }
    tasks.sort();
    server.into_iter().chain(tasks).chain(rest).map(|line| line + "\n").collect()
}

/// What the take-away test checks on a copy built outside the workspace.
pub fn check_copy(program: Program) {
    assert_all_at_once(&program.step_ms(WIDE_STEP_MS).run_ok().stdout, PAGES);
}

#[test]
fn one_thread_has_every_request_in_flight_at_once() {
    let program = Program::example(BIN).step_ms(WIDE_STEP_MS);
    let run = program.run_ok();
    assert_all_at_once(&run.stdout, PAGES);
    insta::assert_snapshot!("async", settled(&run.stdout));
    check_recorded(
        &program,
        "examples-async/async-fetch/recorded/async.txt",
        settled,
        &run,
    );
}

#[test]
fn one_thread_waits_on_a_hundred_sockets_as_on_five() {
    let program = Program::example(BIN).arg("--pages").arg("100").step_ms(WIDE_STEP_MS);
    assert_all_at_once(&program.run_ok().stdout, 100);
}

#[test]
fn a_blocking_sleep_in_a_task_lets_one_request_in_at_a_time() {
    let program = Program::example(BIN).arg("--wait").arg("blocking");
    let run = program.run_ok();
    assert_one_at_a_time(&run.stdout);
    insta::assert_snapshot!("blocking", settled(&run.stdout));
    check_recorded(
        &program,
        "examples-async/async-fetch/recorded/blocking.txt",
        settled,
        &run,
    );
}

#[test]
fn spawn_blocking_moves_the_sleep_off_the_thread_and_all_overlap_again() {
    let program =
        Program::example(BIN).arg("--wait").arg("spawn-blocking").step_ms(WIDE_STEP_MS);
    let run = program.run_ok();
    assert_all_at_once(&run.stdout, PAGES);
    insta::assert_snapshot!("spawn_blocking", settled(&run.stdout));
    check_recorded(
        &program,
        "examples-async/async-fetch/recorded/spawn-blocking.txt",
        settled,
        &run,
    );
}

#[test]
fn too_many_pages_are_refused() {
    let run = Program::example(BIN).arg("--pages").arg("101").run();
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn python_asyncio_has_every_request_in_flight_at_once() {
    let Some(program) = Program::python("async_fetch.py") else {
        return;
    };
    let program = program.step_ms(WIDE_STEP_MS);
    let run = program.run_ok();
    assert_all_at_once(&run.stdout, PAGES);
    check_recorded(&program, "python/recorded/async_fetch.txt", settled, &run);
}

#[test]
fn python_time_sleep_in_a_coroutine_lets_one_request_in_at_a_time() {
    let Some(program) = Program::python("async_fetch.py") else {
        return;
    };
    let program = program.arg("--wait").arg("blocking");
    let run = program.run_ok();
    assert_one_at_a_time(&run.stdout);
    check_recorded(&program, "python/recorded/async_fetch_blocking.txt", settled, &run);
}

#[test]
fn python_to_thread_moves_the_sleep_off_the_loop_and_all_overlap_again() {
    let Some(program) = Program::python("async_fetch.py") else {
        return;
    };
    let program = program.arg("--wait").arg("to-thread").step_ms(WIDE_STEP_MS);
    let run = program.run_ok();
    assert_all_at_once(&run.stdout, PAGES);
    check_recorded(&program, "python/recorded/async_fetch_to_thread.txt", settled, &run);
}

/// asyncio's debug mode (`python3 -X dev`) names every callback that held the
/// loop longer than `slow_callback_duration` (100 ms): a step of 300 ms is
/// at least that long, since `time.sleep` never returns early.
#[test]
fn python_debug_mode_reports_each_blocking_sleep() {
    let Some(program) = Program::python("async_fetch.py") else {
        return;
    };
    // PYTHONDEVMODE=1 is `python3 -X dev`, which turns asyncio's debug mode on.
    let program = program.env("PYTHONDEVMODE", "1").arg("--wait").arg("blocking");
    let run = program.step_ms(300).run_ok();
    assert_one_at_a_time(&run.stdout);
    let reports = run.stderr.lines().filter(|line| line.starts_with("Executing <Task"));
    assert_eq!(reports.count(), PAGES, "{}", run.stderr);
}

#[test]
fn the_settled_form_keeps_counts_and_drops_the_schedulers_order() {
    let one = "server: /page/1 requested, 1 in flight\nserver: /page/0 requested, 2 in flight\n\
               task 0 fetched \"the page at /page/0\"\ntask 1 fetched \"the page at /page/1\"\nend\n";
    let other = "server: /page/0 requested, 1 in flight\nserver: /page/1 requested, 2 in flight\n\
                 task 1 fetched \"the page at /page/1\"\ntask 0 fetched \"the page at /page/0\"\nend\n";
    assert_eq!(settled(one), settled(other));
    let serial = one.replace("2 in flight", "1 in flight");
    assert_ne!(settled(one), settled(&serial));
    assert_in_order(&settled(one), &["server: /page/[N] requested, 1 in flight", "end"]);
}

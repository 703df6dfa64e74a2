//! Every example, copied out of the workspace as its chapter says, builds and
//! runs there, and prints what its own tests demand.
//!
//! Building ~40 copies takes minutes, so the test that does it is ignored by
//! `cargo test --workspace`; CI runs it:
//!
//! ```sh
//! cargo test -p example-harness --test examples -- --ignored takeaway
//! ```

use example_harness::Program;
use example_harness::takeaway::{copy_out, examples};

/// A check from an example's module, run on a program built somewhere.
type Check = fn(Program);

/// Each example's check, from its own module: a copy must pass it too.
const CHECKS: &[(&str, Check)] = &[
    ("async-fetch", crate::async_fetch::check_copy),
    ("bench-cpu-bound", crate::bench_cpu_bound::check_copy),
    ("bench-do-work", crate::bench_do_work::check_copy),
    ("bench-fib-latency", crate::bench_fib_latency::check_copy),
    ("bench-io-bound", crate::bench_io_bound::check_copy),
    ("bench-ipc", crate::bench_ipc::check_copy),
    ("bench-memory", crate::bench_memory::check_copy),
    ("bench-overhead", crate::bench_overhead::check_copy),
    ("pool-bounded-queue", crate::pool_bounded_queue::check_copy),
    ("pool-build-your-own", crate::pool_build_your_own::check_copy),
    ("pool-fib-server", crate::pool_fib_server::check_copy),
    ("pool-process-map", crate::pool_process_map::check_copy),
    ("pool-switch", crate::pool_switch::check_copy),
    ("pool-thread-map", crate::pool_thread_map::check_copy),
    ("process-external-commands", crate::process_external_commands::check_copy),
    ("process-join", crate::process_join::check_copy),
    ("process-kill", crate::process_kill::check_copy),
    ("process-numbers-letters", crate::process_numbers_letters::check_copy),
    ("process-queue", crate::process_queue::check_copy),
    ("process-shared-memory", crate::process_shared_memory::check_copy),
    ("process-shared-result", crate::process_shared_result::check_copy),
    ("process-start-methods", crate::process_start_methods::check_copy),
    ("sync-deadlock", crate::sync_deadlock::check_copy),
    ("sync-lock", crate::sync_lock::check_copy),
    ("sync-memory-ordering", crate::sync_memory_ordering::check_copy),
    ("sync-message-passing", crate::sync_message_passing::check_copy),
    ("sync-producer-consumer", crate::sync_producer_consumer::check_copy),
    ("sync-race", crate::sync_race::check_copy),
    ("sync-shared-counter", crate::sync_shared_counter::check_copy),
    ("thread-join", crate::thread_join::check_copy),
    ("thread-numbers-letters", crate::thread_numbers_letters::check_copy),
    ("thread-send-sync", crate::thread_send_sync::check_copy),
    ("thread-shared-result", crate::thread_shared_result::check_copy),
    ("thread-stop-flag", crate::thread_stop_flag::check_copy),
    ("thread-timeouts", crate::thread_timeouts::check_copy),
];

fn check_of(name: &str) -> Check {
    let found = CHECKS.iter().find(|(example, _)| *example == name);
    found.unwrap_or_else(|| panic!("{name} has no take-away check in {}", file!())).1
}

#[test]
fn every_example_has_a_takeaway_check() {
    for example in examples() {
        check_of(&example.name);
    }
}

#[test]
#[ignore = "builds every example outside the workspace; CI runs it"]
fn every_example_runs_when_copied_out() {
    // TAKEAWAY=thread-join,process-join checks only those.
    let only = std::env::var("TAKEAWAY").ok();
    let wanted =
        |name: &str| only.as_ref().is_none_or(|list| list.split(',').any(|n| n == name));
    for example in examples().into_iter().filter(|example| wanted(&example.name)) {
        let check = check_of(&example.name);
        let copied = copy_out(&example);
        eprintln!("{}: built outside the workspace, checking it", example.name);
        check(Program::binary(&copied.binary.to_string_lossy()));
    }
}

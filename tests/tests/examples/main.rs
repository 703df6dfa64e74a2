//! The tests of every example, one module each.
//!
//! They live here rather than in the examples so that an example's folder
//! holds only the lesson: a reader copies it out with nothing that points back
//! into this workspace. Each module runs the real binary (`Program::example`),
//! asserts what the program guarantees, and checks the book's recorded output.

mod async_fetch;
mod bench_cpu_bound;
mod bench_cpu_turns;
mod bench_do_work;
mod bench_fib_latency;
mod bench_io_bound;
mod bench_ipc;
mod bench_memory;
mod bench_overhead;
mod pool_bounded_queue;
mod pool_build_your_own;
mod pool_fib_server;
mod pool_process_map;
mod pool_switch;
mod pool_thread_map;
mod probe;
mod process_external_commands;
mod process_join;
mod process_kill;
mod process_numbers_letters;
mod process_queue;
mod process_shared_memory;
mod process_shared_result;
mod process_start_methods;
mod sync_deadlock;
mod sync_lock;
mod sync_memory_ordering;
mod sync_message_passing;
mod sync_producer_consumer;
mod sync_race;
mod sync_shared_counter;
mod takeaway;
mod thread_join;
mod thread_numbers_letters;
mod thread_send_sync;
mod thread_shared_result;
mod thread_stop_flag;
mod thread_timeouts;
mod toolkit_cases;

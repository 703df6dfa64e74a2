//! Can a web server keep answering cheap requests while it computes slow ones?
//!
//! The long guide's Flask endpoint `/fib/<n>` computes a Fibonacci number the
//! slow recursive way: in the request handler, then on a thread pool, then on
//! a process pool. This server does the same, chosen with `--mode`: `inline`
//! in the async handler, `threads` on tokio's blocking threads, `processes`
//! in worker processes. `/health` is the cheap request that must stay quick.
//!
//!     cargo run -p pool-fib-server -- --mode threads
//!     curl http://127.0.0.1:3000/fib/30
//!
//! Watch for: inline, two slow requests hold both runtime threads and
//! `/health` waits. At most `--workers` computations run at once, `--queue`
//! more wait, the next request gets a 503. Ctrl-C finishes the work in
//! progress; a second Ctrl-C stops at once.

mod connections;
mod queue;
mod server;
mod stop;

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, ValueEnum, value_parser};
use process_toolkit::{pool, pool::ProcessPool, worker};

use crate::queue::Queue;
use crate::server::{Server, Workers, fib};

// ANCHOR: args
/// The /fib/N endpoint computed inline, on threads or in worker processes.
#[derive(Parser)]
struct Args {
    /// Where /fib is computed.
    #[arg(long, value_enum, default_value_t = Mode::Inline)]
    mode: Mode,
    /// The port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// The async runtime's threads, which run every request's handler.
    #[arg(long, default_value_t = 2, value_parser = value_parser!(u16).range(1..=64))]
    runtime_threads: u16,
    /// How many /fib computations run at once; in processes mode, the worker
    /// processes [default: one per core]
    #[arg(long, value_parser = value_parser!(u16).range(1..=64))]
    workers: Option<u16>,
    /// How many more /fib requests may wait for a worker; the next gets a 503.
    #[arg(long, default_value_t = 16, value_parser = value_parser!(u16).range(..=1024))]
    queue: u16,
    /// Milliseconds a connection may take to send a request's headers (an
    /// idle keep-alive connection is closed after as long).
    #[arg(long, default_value_t = 5_000, value_parser = value_parser!(u64).range(1..=600_000))]
    header_timeout_ms: u64,
    /// Milliseconds a stop waits for the work in progress before it drops it.
    #[arg(long, default_value_t = 10_000, value_parser = value_parser!(u64).range(..=600_000))]
    shutdown_timeout_ms: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    Inline,
    Threads,
    Processes,
}
// ANCHOR_END: args

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset();
    if worker::role().is_some() {
        stop::leave_to_the_server()?; // a Ctrl-C must not end a job half done
        pool::serve_if_worker(fib); // in a pool worker: compute fib, never return
    }
    let args = Args::parse();
    // First, before any thread starts: every thread inherits the blocked signals.
    let stopping = stop::on_signals(Duration::from_millis(args.shutdown_timeout_ms))?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let size = args.workers.map_or(cores, usize::from);
    let workers = match args.mode {
        Mode::Inline => Workers::Inline { runtime_threads: args.runtime_threads },
        Mode::Threads => Workers::Threads,
        Mode::Processes => Workers::Processes(ProcessPool::new(size, fib)?),
    };
    let queue = Queue::new(size, args.queue.into(), stopping.clone());
    let server = Arc::new(Server { workers, queue });
    // Few runtime threads, and said explicitly: two slow inline requests hold them all.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.runtime_threads.into())
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, args.port))
            .await
            .with_context(|| format!("cannot listen on 127.0.0.1:{}", args.port))?;
        println!("listening on http://{}", listener.local_addr()?);
        println!("{}", server.describe());
        let header_timeout = Duration::from_millis(args.header_timeout_ms);
        let app = server::app(&server);
        connections::serve(listener, app, header_timeout, stopping).await;
        // Work whose client left is still running: the deadline bounds this wait.
        server.queue.all_done().await;
        anyhow::Ok(())
    })?;
    drop(runtime);
    drop(server); // the process pool's workers exit here
    println!("stopped");
    Ok(())
}
// ANCHOR_END: main

//! Can a web server keep answering cheap requests while it computes slow ones?
//!
//! The long guide's Flask endpoint `/fib/<n>` computes a Fibonacci number the
//! slow recursive way: first right in the request handler, then on a thread
//! pool, then on a process pool. This server does the same three ways, chosen
//! with `--mode`: `inline` computes inside the async handler, `threads` hands
//! the work to tokio's blocking thread pool, `processes` to a pool of worker
//! processes. `/health` is the cheap request that should always answer.
//!
//! Watch for: in `inline` mode, two slow requests occupy both of the async
//! runtime's threads, and `/health` waits until one of them is done.
//! `pool-fib-server load` measures that for each mode and prints a table.

mod load;
mod options;
mod report;

use std::net::{Ipv4Addr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use clap::Parser;
use process_toolkit::pool::{self, Executor, ProcessPool};
use serde_json::json;
use tokio::signal::unix::{SignalKind, signal};

use crate::options::{Cli, Command, Mode, ServeOptions, pool_size};
use crate::report::{FibAnswer, Health, InProgress, describe};

// ANCHOR: fib
/// The largest n served. fib(42) takes a few seconds in a release build, so
/// no single request can keep a thread or a worker busy for minutes.
const MAX_N: u32 = 42;

/// The n-th Fibonacci number, computed the slow way on purpose.
fn fib(n: u32) -> u64 {
    if n < 2 { u64::from(n) } else { fib(n - 1) + fib(n - 2) }
}

/// Reads n from the path, or says why not: the client gets that with a 400.
fn parse_n(text: &str) -> Result<u32, String> {
    let n = text.parse().ok().filter(|n| *n <= MAX_N);
    n.ok_or_else(|| format!("n must be a whole number from 0 to {MAX_N}, got {text:?}"))
}
// ANCHOR_END: fib

/// Where `/fib` is computed: the three modes.
enum Workers {
    Inline,
    Threads,
    Processes(ProcessPool<u32, u64>),
}

struct Server {
    workers: Workers,
    /// `/fib` requests being computed now; `/health` reports it.
    in_progress: AtomicUsize,
}

// ANCHOR: modes
impl Server {
    async fn fib(&self, n: u32) -> Result<u64> {
        match &self.workers {
            // Right here, on one of the runtime's few threads: until fib
            // returns, this thread polls no other request.
            Workers::Inline => Ok(fib(n)),
            // On tokio's blocking pool; the handler awaits, its thread is free.
            Workers::Threads => Ok(tokio::task::spawn_blocking(move || fib(n)).await?),
            // In a worker process. Waiting for the answer blocks a thread,
            // so that wait goes to the blocking pool too.
            Workers::Processes(pool) => {
                let pending = pool.submit(n);
                tokio::task::spawn_blocking(move || pending.wait()).await?
            }
        }
    }
}
// ANCHOR_END: modes

// ANCHOR: handler
async fn fib_handler(
    State(server): State<Arc<Server>>,
    Path(text): Path<String>,
) -> Response {
    let n = match parse_n(&text) {
        Ok(n) => n,
        Err(why) => {
            return (StatusCode::BAD_REQUEST, Json(json!({ "error": why })))
                .into_response();
        }
    };
    let counted = InProgress::start(&server.in_progress);
    let answer = server.fib(n).await;
    drop(counted);
    match answer {
        Ok(fib) => Json(FibAnswer { n, fib }).into_response(),
        Err(err) => {
            let error = json!({ "error": format!("{err:#}") });
            (StatusCode::INTERNAL_SERVER_ERROR, Json(error)).into_response()
        }
    }
}

async fn health(State(server): State<Arc<Server>>) -> Json<Health> {
    let fib_in_progress = server.in_progress.load(Ordering::SeqCst);
    Json(Health { status: "ok", fib_in_progress })
}
// ANCHOR_END: handler

// ANCHOR: serve
fn serve(options: &ServeOptions) -> Result<()> {
    let port = options.port;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    let workers = match options.mode {
        Mode::Inline => Workers::Inline,
        Mode::Threads => Workers::Threads,
        Mode::Processes => Workers::Processes(ProcessPool::new(pool_size(options), fib)?),
    };
    let server = Arc::new(Server { workers, in_progress: AtomicUsize::new(0) });
    // Few runtime threads, and said explicitly: two slow inline requests are
    // enough to occupy all of them.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.runtime_threads.into())
        .enable_all()
        .build()?;
    runtime.block_on(run(listener, Arc::clone(&server), options))?;
    drop(runtime); // waits for blocking-pool threads still running
    drop(server); // the process pool's workers exit here
    println!("stopped");
    Ok(())
}

async fn run(
    listener: TcpListener,
    server: Arc<Server>,
    options: &ServeOptions,
) -> Result<()> {
    // Listen for the signals before saying where we are: whoever reads that
    // line may send one at once.
    let (mut terminate, mut interrupt) =
        (signal(SignalKind::terminate())?, signal(SignalKind::interrupt())?);
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    println!("listening on http://{}", listener.local_addr()?);
    println!("{}", describe(&server.workers, options));

    let app = Router::new()
        .route("/fib/{n}", get(fib_handler))
        .route("/health", get(health))
        .with_state(server);
    let stop = async move {
        let name = tokio::select! {
            _ = terminate.recv() => "SIGTERM",
            _ = interrupt.recv() => "SIGINT",
        };
        println!("{name}: finishing the requests in progress");
    };
    axum::serve(listener, app).with_graceful_shutdown(stop).await?;
    Ok(())
}
// ANCHOR_END: serve

// ANCHOR: main
fn main() -> Result<()> {
    // In a worker process of the pool: compute fib for the server, never return.
    pool::serve_if_worker(fib);
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Load(options)) => load::run(&options),
        None => serve(&cli.serve),
    }
}
// ANCHOR_END: main

//! The endpoint: the work, where it runs in each mode, and the handlers.

use std::sync::Arc;

use anyhow::Result;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use process_toolkit::pool::{Executor, ProcessPool};
use serde::Serialize;
use serde_json::json;

use crate::queue::{Health, Queue, Slot};

// ANCHOR: fib
/// The largest n served. fib(42) takes seconds, so that no single request
/// can keep a thread or a worker busy for minutes.
const MAX_N: u32 = 42;

/// The n-th Fibonacci number, computed the slow way on purpose.
pub fn fib(n: u32) -> u64 {
    if n < 2 { u64::from(n) } else { fib(n - 1) + fib(n - 2) }
}

/// Reads n from the path, or says why not: the client gets that with a 400.
fn parse_n(text: &str) -> Result<u32, String> {
    let n = text.parse().ok().filter(|n| *n <= MAX_N);
    n.ok_or_else(|| format!("n must be a whole number from 0 to {MAX_N}, got {text:?}"))
}
// ANCHOR_END: fib

// ANCHOR: modes
/// Where `/fib` is computed: the three modes.
pub enum Workers {
    Inline { runtime_threads: u16 },
    Threads,
    Processes(ProcessPool<u32, u64>),
}

pub struct Server {
    pub workers: Workers,
    pub queue: Queue,
}

impl Server {
    /// fib(n) where the mode says. `slot` is held until the work is done.
    async fn fib(&self, n: u32, slot: Slot) -> Result<u64> {
        match &self.workers {
            // Right here, on one of the runtime's few threads: until fib
            // returns, this thread polls no other request.
            Workers::Inline { .. } => Ok(fib(n)),
            // On a blocking thread. The handler only awaits it, so its runtime
            // thread is free. The slot goes along: a client that leaves drops
            // the handler, but the thread computes on, still counted.
            Workers::Threads => Ok(tokio::task::spawn_blocking(move || {
                let _slot = slot;
                fib(n)
            })
            .await?),
            // In a worker process. Waiting for its answer blocks a thread, so
            // the wait (and the slot) goes to a blocking thread too.
            Workers::Processes(pool) => {
                let pending = pool.submit(n);
                let answer = tokio::task::spawn_blocking(move || {
                    let _slot = slot;
                    pending.wait()
                });
                Ok(answer.await??)
            }
        }
    }
}
// ANCHOR_END: modes

// ANCHOR: handlers
/// `{"n":30,"fib":832040}`
#[derive(Serialize)]
struct Answer {
    n: u32,
    fib: u64,
}

async fn fib_handler(
    State(server): State<Arc<Server>>,
    Path(text): Path<String>,
) -> Response {
    let n = match parse_n(&text) {
        Ok(n) => n,
        Err(why) => return (StatusCode::BAD_REQUEST, error(&why)).into_response(),
    };
    // In line for a worker. If the client hangs up now, hyper drops this
    // future here, and the work is never started.
    let slot = match server.queue.slot().await {
        Ok(slot) => slot,
        Err(refused) => return refused.into_response(),
    };
    match server.fib(n, slot).await {
        Ok(fib) => Json(Answer { n, fib }).into_response(),
        Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, error(&format!("{err:#}")))
            .into_response(),
    }
}

async fn health(State(server): State<Arc<Server>>) -> Json<Health> {
    Json(server.queue.health())
}

pub fn app(server: &Arc<Server>) -> Router {
    Router::new()
        .route("/fib/{n}", get(fib_handler))
        .route("/health", get(health))
        .with_state(Arc::clone(server))
}

/// `{"error":"..."}`, the body of every refusal.
pub fn error(why: &str) -> Json<serde_json::Value> {
    Json(json!({ "error": why }))
}
// ANCHOR_END: handlers

impl Server {
    /// The line that says where `/fib` runs, with the workers' PIDs.
    pub fn describe(&self) -> String {
        let (mode, place) = match &self.workers {
            Workers::Inline { runtime_threads } => {
                ("inline", format!("on the runtime's {runtime_threads} threads"))
            }
            Workers::Threads => ("threads", "on tokio's blocking threads".to_owned()),
            Workers::Processes(pool) => {
                // Each PID arrives from its pool thread, just after its worker started.
                let mut pids = Vec::new();
                while pids.len() < self.queue.workers() {
                    pids.extend(pool.pids());
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                let pids: Vec<String> =
                    pids.iter().map(|pid| format!("pid {pid}")).collect();
                ("processes", format!("in worker processes {}", pids.join(", ")))
            }
        };
        format!(
            "mode {mode}: /fib runs {place}; {} at a time, {} more may wait",
            self.queue.workers(),
            self.queue.places()
        )
    }
}

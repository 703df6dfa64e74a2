//! Can one thread wait on many sockets at once, and what takes that away?
//!
//! Python's other answer to "threads for I/O" is `asyncio`: one thread, many
//! coroutines. Here one tokio thread runs a slow web server and a task per
//! page that fetches from it; the server waits a step before each answer, in
//! the way `--wait` names.
//!
//!     cargo run -p async-fetch
//!     cargo run -p async-fetch -- --wait blocking
//!
//! Watch for: with `async` the five requests are in flight together, on one
//! thread. With `blocking`, a `std::thread::sleep` in the server's task holds
//! that thread: one request at a time, a step each. `spawn-blocking` sleeps
//! on another thread, and the five overlap again.

mod server;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::Ordering::SeqCst;
use std::thread::{self, ThreadId};
use std::time::Duration;

use anyhow::{Result, bail};
use clap::{Parser, value_parser};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use server::{PEAK, Wait};

/// Pages fetched by tasks on one thread from a slow server on the same thread.
#[derive(Parser)]
struct Args {
    /// How the server waits before it answers.
    #[arg(long, value_enum, default_value_t = Wait::Async)]
    wait: Wait,
    /// Pages to fetch, one task each.
    #[arg(long, default_value_t = 5, value_parser = value_parser!(u32).range(1..=100))]
    pages: u32,
    /// Milliseconds the server waits before each answer: a second, the articles' pace.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: fetch
async fn fetch(server: SocketAddr, page: u32) -> Result<ThreadId> {
    let mut connection = TcpStream::connect(server).await?;
    connection.write_all(format!("GET /page/{page} HTTP/1.0\r\n\r\n").as_bytes()).await?;
    let mut response = String::new();
    // HTTP/1.0: the server closes the connection after its answer.
    connection.read_to_string(&mut response).await?;
    let Some(body) = response.strip_prefix("HTTP/1.0 200 OK\r\n\r\n") else {
        bail!("page {page}: the server said {response:?}");
    };
    println!("task {page} fetched {body:?}");
    Ok(thread::current().id())
}

async fn fetch_all(pages: u32, wait: Wait, step: Duration) -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let server = listener.local_addr()?;
    tokio::spawn(server::serve(listener, wait, step));
    // Every task spawned before any is awaited: awaiting each as it is spawned
    // would fetch one page at a time.
    let tasks: Vec<_> =
        (0..pages).map(|page| tokio::spawn(fetch(server, page))).collect();
    let mut threads = HashSet::new();
    for task in tasks {
        threads.insert(task.await??);
    }
    println!("most requests in flight at once: {}", PEAK.load(SeqCst));
    println!("threads that ran the {pages} fetching tasks: {}", threads.len());
    Ok(())
}
// ANCHOR_END: fetch

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset();
    let args = Args::parse();
    // What asyncio.run() makes: an event loop on this thread and no other.
    // enable_all() turns on the I/O driver (epoll) and the timers.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let step = Duration::from_millis(args.step_ms);
    runtime.block_on(fetch_all(args.pages, args.wait, step))
}
// ANCHOR_END: main

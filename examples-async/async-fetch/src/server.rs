//! The slow server: a task per connection, which waits a step before it
//! answers, in the way `Wait` says, and counts the requests in flight.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::thread;
use std::time::Duration;

use anyhow::Result;
use clap::ValueEnum;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::spawn_blocking;

#[derive(Clone, Copy, ValueEnum)]
pub enum Wait {
    /// tokio::time::sleep(step).await: the thread runs other tasks meanwhile
    Async,
    /// std::thread::sleep(step): the task keeps the thread, the others wait
    Blocking,
    /// spawn_blocking(move || std::thread::sleep(step)).await: another thread sleeps
    SpawnBlocking,
}

// ANCHOR: answer
// The requests being answered now, and the most there ever were at once.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
pub static PEAK: AtomicUsize = AtomicUsize::new(0);

async fn answer(mut connection: TcpStream, wait: Wait, step: Duration) -> Result<()> {
    let (reader, mut writer) = connection.split();
    let mut lines = BufReader::new(reader).lines();
    let request = lines.next_line().await?.unwrap_or_default(); // GET /page/3 HTTP/1.0
    while lines.next_line().await?.is_some_and(|header| !header.is_empty()) {}
    let path = request.split(' ').nth(1).unwrap_or("/");
    let now = IN_FLIGHT.fetch_add(1, SeqCst) + 1;
    PEAK.fetch_max(now, SeqCst);
    println!("server: {path} requested, {now} in flight");
    match wait {
        Wait::Async => tokio::time::sleep(step).await,
        Wait::Blocking => thread::sleep(step),
        Wait::SpawnBlocking => spawn_blocking(move || thread::sleep(step)).await?,
    }
    // Counted out before the next .await: with a blocking sleep, no other
    // task can run between the two counts.
    IN_FLIGHT.fetch_sub(1, SeqCst);
    let page = format!("HTTP/1.0 200 OK\r\n\r\nthe page at {path}");
    writer.write_all(page.as_bytes()).await?;
    Ok(())
}
// ANCHOR_END: answer

// ANCHOR: serve
/// Answers each connection on a task of its own, as long as the runtime runs.
pub async fn serve(listener: TcpListener, wait: Wait, step: Duration) {
    while let Ok((connection, _)) = listener.accept().await {
        tokio::spawn(async move {
            if let Err(err) = answer(connection, wait, step).await {
                eprintln!("server: {err}");
            }
        });
    }
}
// ANCHOR_END: serve

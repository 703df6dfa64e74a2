//! The third way: tokio tasks, Python's asyncio in Rust. A task that waits
//! for a socket is a small state machine that the runtime polls again when
//! the socket is ready, not a thread with a stack of its own.

use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, ensure};
use benchmark_kit::{Report, thousands};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{FETCH_TIMEOUT, Page, server};

// ANCHOR: tasks
/// `fetch` for a task: the same request and the same check, on a tokio
/// socket, written by hand (ureq blocks its thread while it waits).
async fn fetch_async((server, number): Page) -> Result<()> {
    let address = server.strip_prefix("http://").context("not an http:// URL")?;
    let mut connection = tokio::net::TcpStream::connect(address).await?;
    let request = format!("GET /page/{number} HTTP/1.1\r\nHost: {address}\r\n\r\n");
    connection.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    connection.read_to_string(&mut response).await?; // one page, then the server closes
    let page = format!("\r\n\r\n{}", server::page(number));
    let whole = response.starts_with("HTTP/1.1 200 OK\r\n") && response.ends_with(&page);
    ensure!(whole, "{server}/page/{number}: unexpected answer {response:?}");
    Ok(())
}

/// `workers` tasks, each fetching the next page until none are left, on a
/// new runtime (a thread per core) every run, as `asyncio.run` makes a loop.
pub fn on_tasks(pages: Vec<Page>, workers: usize) -> Result<()> {
    let pages = Arc::new(Mutex::new(pages.into_iter()));
    let worker = async move |pages: Arc<Mutex<std::vec::IntoIter<Page>>>| {
        while let Some(page) = { pages.lock().unwrap().next() } {
            tokio::time::timeout(FETCH_TIMEOUT, fetch_async(page)).await??;
        }
        anyhow::Ok(())
    };
    tokio::runtime::Runtime::new()?.block_on(async {
        let tasks = (0..workers).map(|_| tokio::spawn(worker(Arc::clone(&pages))));
        for task in tasks.collect::<Vec<_>>() {
            task.await??; // every task is spawned before the first is awaited
        }
        Ok(())
    })
}
// ANCHOR_END: tasks

/// The figures the chapter quotes, from the medians of one run, for each
/// row of a thousand pages in flight or more: how many times longer the
/// threads took than the tasks, and how many waits a second the tasks got
/// through (each page is one wait of the server's delay).
pub fn compare(report: &mut Report) {
    let median = |name: &str, row| {
        let column = report.columns.iter().find(|column| column.name == name);
        column.and_then(|column| column.median(row))
    };
    let mut figures = Vec::new();
    for (row, label) in report.rows.iter().enumerate() {
        let pages: f64 = label.replace(',', "").parse().unwrap_or(0.0);
        let (Some(threads), Some(tasks)) =
            (median("Rust threads", row), median("Rust tokio tasks", row))
        else {
            continue;
        };
        if pages >= 1000.0 && report.rows_label == "pages in flight" {
            let rate = thousands((pages / (tasks / 1000.0)).round() as u64);
            figures.push((format!("at {label} in flight"), format!("threads took {:.2}x the time of tasks; tasks: {rate} waits per second", threads / tasks)));
        }
    }
    for (name, value) in figures {
        report.setting(&name, value);
    }
}

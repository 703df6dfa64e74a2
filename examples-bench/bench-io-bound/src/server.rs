//! The slow web server the benchmark fetches from: it answers every request
//! after a fixed delay, as a distant web site would, so that fetching a page
//! is almost all waiting and the best possible time is known in advance.
//!
//! It must never be what limits the benchmark, up to 10,000 requests at
//! once: each connection is a tokio task, whose wait is a timer, not a
//! thread; the queue of connections waiting to be accepted is as long as the
//! system allows; and it runs in a process of its own (this program, started
//! again), so that its sockets do not count against the client's open files.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use anyhow::{Context, Result};
use benchmark_kit::ChildProcess;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader as AsyncBufReader};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

/// How long a connection may take to send its request before the server
/// gives up on it, so that no task waits forever. Generous: ten thousand
/// Python threads on a busy machine took over 30 s to send some requests.
const READ_TIMEOUT: Duration = Duration::from_secs(120);

/// The variable that makes this program, started again, the server.
const ROLE: &str = "BENCH_IO_BOUND_SERVER";

/// What page `number` says: the client checks that it got exactly this.
pub fn page(number: u32) -> String {
    format!("<p>page {number}</p>\n")
}

/// The requests a server is answering now, and the most there were at once
/// since someone last asked (`GET /peak`).
#[derive(Default)]
struct Counts {
    in_flight: AtomicUsize,
    peak: AtomicUsize,
}

/// A running server; dropping it stops it.
pub struct Server {
    address: SocketAddr,
    _process: Option<ChildProcess>,
}

impl Server {
    /// Starts the server in a process of its own, on 127.0.0.1 and a port
    /// the system picks, with room for `connections` open at once.
    pub fn start(delay: Duration, connections: u64) -> Result<Server> {
        let program = std::env::current_exe().context("cannot find this program")?;
        let mut command = Command::new(program);
        let role = format!("{} {connections}", delay.as_millis());
        command.env(ROLE, role).stdout(Stdio::piped());
        let mut process = ChildProcess::start(&mut command)?;
        let stdout = process.child().stdout.take().context("the server's stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let address = line.trim().parse().with_context(|| {
            format!("the server did not say where it listens: {line:?}")
        })?;
        Ok(Server { address, _process: Some(process) })
    }

    /// The same server on a thread of this process, for the unit tests (a
    /// test binary cannot start itself as the server).
    #[cfg(test)]
    pub fn in_thread(delay: Duration) -> Server {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let listener = runtime.block_on(listen()).unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || runtime.block_on(serve(listener, delay)));
        Server { address, _process: None }
    }

    /// The server's address as a URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The most requests the server held at once since the last time it was asked.
    pub fn peak(&self) -> Result<u64> {
        let answer = ureq::get(format!("{}/peak", self.url())).call();
        Ok(answer?.body_mut().read_to_string()?.trim().parse()?)
    }
}

/// In the process started by [`Server::start`]: serves until it is stopped.
/// Elsewhere, does nothing: call it first thing in `main`.
pub fn serve_if_asked() -> Result<()> {
    let Ok(role) = std::env::var(ROLE) else { return Ok(()) };
    let (delay, connections) = role.split_once(' ').context("a server role")?;
    benchmark_kit::open_files(connections.parse::<u64>()? + 64)?;
    let delay = Duration::from_millis(delay.parse()?);
    // As many threads as cores: accepting and answering must keep up with
    // ten thousand clients that connect at once.
    let runtime = tokio::runtime::Runtime::new()?;
    let listener = runtime.block_on(listen())?;
    println!("{}", listener.local_addr()?);
    runtime.block_on(serve(listener, delay));
    std::process::exit(0);
}

// ANCHOR: server
/// A listener on a free port of 127.0.0.1, with the longest queue of
/// connections waiting to be accepted that the system allows (Linux caps it
/// at `net.core.somaxconn`): a connection that finds the queue full is
/// dropped, and its client tries again only a second later.
async fn listen() -> Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.bind("127.0.0.1:0".parse()?)?;
    Ok(socket.listen(65_535)?)
}

/// Gives every connection a task of its own.
async fn serve(listener: TcpListener, delay: Duration) {
    let counts = Arc::new(Counts::default());
    loop {
        match listener.accept().await {
            // A client that hung up has nobody to tell: its error is dropped.
            Ok((connection, _)) => {
                drop(tokio::spawn(answer(connection, delay, Arc::clone(&counts))));
            }
            // Out of open files for a moment: wait for some to close.
            Err(_) => tokio::time::sleep(Duration::from_millis(1)).await,
        }
    }
}

/// One connection: read the request, wait, answer, close.
async fn answer(
    mut connection: TcpStream,
    delay: Duration,
    counts: Arc<Counts>,
) -> Result<()> {
    let (reader, mut writer) = connection.split();
    let mut lines = AsyncBufReader::new(reader).lines();
    let read_request = async {
        let request = lines.next_line().await?.unwrap_or_default();
        // The headers, up to the blank line: the whole request, before answering.
        while lines.next_line().await?.is_some_and(|header| !header.is_empty()) {}
        anyhow::Ok(request)
    };
    let request = tokio::time::timeout(READ_TIMEOUT, read_request).await??;
    let path = request.strip_prefix("GET ").and_then(|rest| rest.split(' ').next());
    let (status, body) = match path {
        Some("/peak") => ("200 OK", format!("{}\n", counts.peak.swap(0, SeqCst))),
        Some(path) => match path.strip_prefix("/page/").and_then(|n| n.parse().ok()) {
            Some(number) => {
                let now = counts.in_flight.fetch_add(1, SeqCst) + 1;
                counts.peak.fetch_max(now, SeqCst);
                tokio::time::sleep(delay).await; // the slow part: a timer, not a thread
                counts.in_flight.fetch_sub(1, SeqCst);
                ("200 OK", page(number))
            }
            None => ("404 Not Found", "not found\n".to_owned()),
        },
        None => ("404 Not Found", "not found\n".to_owned()),
    };
    // One page per connection, as Python's urllib asks for: `Connection: close`
    // tells the client not to send another request on it.
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    writer.write_all(response.as_bytes()).await?;
    Ok(())
}
// ANCHOR_END: server

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn get(server: &Server, path: &str) -> String {
        let mut connection = std::net::TcpStream::connect(server.address).unwrap();
        write!(connection, "GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").unwrap();
        let mut response = String::new();
        connection.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn it_answers_a_page_then_closes_the_connection() {
        let server = Server::in_thread(Duration::from_millis(1));
        let response = get(&server, "/page/17");
        assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
        assert!(response.contains("Connection: close\r\n"), "{response}");
        assert!(response.ends_with("\r\n\r\n<p>page 17</p>\n"), "{response}");
        assert!(get(&server, "/other").starts_with("HTTP/1.1 404 Not Found\r\n"));
    }

    #[test]
    fn it_holds_many_requests_at_once_and_says_how_many() {
        let server = Server::in_thread(Duration::from_secs(2));
        // Every request is sent before any answer is read, and each waits
        // 2 s, far longer than sending 50 requests takes: all 50 are held at once.
        let mut connections: Vec<_> = (0..50)
            .map(|number| {
                let mut connection =
                    std::net::TcpStream::connect(server.address).unwrap();
                write!(connection, "GET /page/{number} HTTP/1.1\r\n\r\n").unwrap();
                connection
            })
            .collect();
        for connection in &mut connections {
            let mut response = String::new();
            connection.read_to_string(&mut response).unwrap();
            assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
        }
        assert_eq!(server.peak().unwrap(), 50);
        assert_eq!(server.peak().unwrap(), 0, "asking starts the count again");
    }

    #[test]
    fn a_fetch_checks_what_the_server_answers() {
        let server = Server::in_thread(Duration::from_millis(1));
        assert_eq!(crate::fetch((server.url(), 7)), Ok(()));
        let missing = crate::fetch((format!("{}/missing", server.url()), 7)).unwrap_err();
        assert!(missing.contains("/missing/page/7: http status: 404"), "{missing}");
        assert!(crate::fetch(("http://127.0.0.1:1".into(), 7)).is_err());
    }
}

//! The slow web server the benchmark fetches from: it answers every request
//! after a fixed delay, as a distant web site would, so that fetching a page
//! is almost all waiting and the best possible time is known in advance.
//!
//! It is kept small on purpose: a std `TcpListener`, and one thread per
//! connection that reads the request, sleeps the delay and answers. The
//! threads sleep side by side, so requests that arrive together wait
//! together: with 16 clients, 16 pages take one delay, not 16.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use anyhow::{Context, Result};

/// How long a connection may take to send its request before the server
/// gives up on it: no connection's thread waits forever.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// What page `number` says: the client checks that it got exactly this.
pub fn page(number: u32) -> String {
    format!("<p>page {number}</p>\n")
}

/// A running server; dropping it stops it and waits for its threads.
pub struct Server {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    accepting: Option<JoinHandle<()>>,
}

// ANCHOR: server
impl Server {
    /// Starts a server on 127.0.0.1, on a port the system picks (port 0: a free one).
    pub fn start(delay: Duration) -> Result<Server> {
        let listener =
            TcpListener::bind("127.0.0.1:0").context("cannot start the server")?;
        let address = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let accepting = thread::spawn({
            let stop = Arc::clone(&stop);
            move || accept(&listener, delay, &stop)
        });
        Ok(Server { address, stop, accepting: Some(accepting) })
    }

    /// The server's address as a URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }
}

/// Gives every connection a thread of its own, until the server is stopped.
fn accept(listener: &TcpListener, delay: Duration, stop: &AtomicBool) {
    // The scope waits for every connection's thread before it ends.
    thread::scope(|scope| {
        for connection in listener.incoming() {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            if let Ok(connection) = connection {
                // A client that hung up has nobody to tell: its error is dropped.
                scope.spawn(move || answer(connection, delay));
            }
        }
    });
}

/// One connection: read the request, wait, answer, close.
fn answer(connection: TcpStream, delay: Duration) -> io::Result<()> {
    connection.set_read_timeout(Some(READ_TIMEOUT))?;
    let mut request = BufReader::new(&connection);
    let mut request_line = String::new();
    request.read_line(&mut request_line)?;
    // Read the headers up to the blank line: the whole request, before answering.
    let mut header = String::new();
    while request.read_line(&mut header)? > 0 && !header.trim().is_empty() {
        header.clear();
    }
    thread::sleep(delay); // the slow part, on this connection's own thread

    // "GET /page/17 HTTP/1.1" asks for page 17; anything else is not found.
    let number = request_line
        .strip_prefix("GET /page/")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|number| number.parse().ok());
    let (status, body) = match number {
        Some(number) => ("200 OK", page(number)),
        None => ("404 Not Found", "not found\n".to_owned()),
    };
    // One page per connection, as Python's urllib asks for: `Connection: close`
    // tells the client not to send another request on it.
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    (&connection).write_all(response.as_bytes())
}

impl Drop for Server {
    /// Stops accepting, and waits for the connections being answered.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // `accept` blocks until someone connects: connect once to wake it up.
        if TcpStream::connect(self.address).is_err() {
            return; // nothing can wake it: leave the thread to end with the program
        }
        if let Some(accepting) = self.accepting.take() {
            let _ = accepting.join();
        }
    }
}
// ANCHOR_END: server

#[cfg(test)]
mod tests {
    use super::*;

    fn get(server: &Server, path: &str) -> String {
        let mut connection = TcpStream::connect(server.address).unwrap();
        write!(connection, "GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").unwrap();
        let mut response = String::new();
        io::Read::read_to_string(&mut connection, &mut response).unwrap();
        response
    }

    #[test]
    fn it_answers_a_page_then_closes_the_connection() {
        let server = Server::start(Duration::from_millis(1)).unwrap();
        let response = get(&server, "/page/17");
        assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
        assert!(response.contains("Connection: close\r\n"), "{response}");
        assert!(response.ends_with("\r\n\r\n<p>page 17</p>\n"), "{response}");
        assert!(get(&server, "/other").starts_with("HTTP/1.1 404 Not Found\r\n"));
    }

    #[test]
    fn a_fetch_checks_what_the_server_answers() {
        let server = Server::start(Duration::from_millis(1)).unwrap();
        assert_eq!(crate::fetch((server.url(), 7)), Ok(()));
        let missing = crate::fetch((format!("{}/missing", server.url()), 7)).unwrap_err();
        assert!(missing.contains("/missing/page/7: http status: 404"), "{missing}");
        let url = server.url();
        drop(server);
        assert!(
            crate::fetch((url, 7)).is_err(),
            "a fetch from a stopped server succeeded"
        );
    }

    #[test]
    fn dropping_it_closes_its_port() {
        let server = Server::start(Duration::from_millis(1)).unwrap();
        let address = server.address;
        drop(server);
        assert!(TcpStream::connect(address).is_err(), "{address} still accepts");
    }
}

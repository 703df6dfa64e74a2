//! Accepting connections with hyper, the HTTP library under axum, so as to
//! give it what `axum::serve` does not: a timer, and with it a time limit on
//! reading a request's headers. Without one, a client that sends half a
//! request, or nothing, holds its connection forever, and a graceful stop
//! waits for it forever.

use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;

// ANCHOR: serve
/// Serves `app` until `stopping` turns true, then lets every connection
/// finish the request it is answering, and returns.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    mut stopping: watch::Receiver<bool>,
) {
    let mut http = http1::Builder::new();
    // Idle keep-alive connections too: the clock starts when a request may begin.
    http.timer(TokioTimer::new()).header_read_timeout(header_timeout);
    let graceful = GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopping.wait_for(|stopping| *stopping) => break,
        };
        match accepted {
            Ok((stream, _)) => {
                let service = TowerToHyperService::new(app.clone());
                let connection = http.serve_connection(TokioIo::new(stream), service);
                tokio::spawn(graceful.watch(connection));
            }
            // Out of file descriptors, say: wait a little instead of spinning.
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    drop(listener); // from now on, new connections are refused
    graceful.shutdown().await;
}
// ANCHOR_END: serve

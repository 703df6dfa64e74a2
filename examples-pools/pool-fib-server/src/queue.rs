//! The bounded queue in front of the work: at most `workers` computations at
//! once, at most `places` more requests waiting, and a 503 for the next one.
//!
//! A waiting request is a future parked on a semaphore. If its client hangs
//! up, hyper drops the request's future, and its place in line goes with it:
//! the work it asked for never starts. (In asyncio a task is cancelled by
//! raising `CancelledError` into it; in Rust, dropping a future is the
//! cancellation.) Work that has started cannot be stopped that way: a thread
//! cannot be interrupted from outside, so a computation keeps its slot, and
//! `/health` keeps counting it, until it is done.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use crate::server::error;

// ANCHOR: queue
/// The right to compute: whoever runs the work holds it until the work is done.
pub type Slot = OwnedSemaphorePermit;

pub struct Queue {
    free_slots: Arc<Semaphore>,
    free_places: Semaphore,
    workers: usize,
    places: usize,
    /// Requests whose client left while they waited: their work never ran.
    cancelled: AtomicUsize,
    stopping: watch::Receiver<bool>,
}

/// Why a request gets no slot: a 503 either way.
pub enum Refused {
    Full,
    Stopping,
}

impl Queue {
    /// A free slot at once, or a place in line to wait for one, or a refusal.
    pub async fn slot(&self) -> Result<Slot, Refused> {
        let mut stopping = self.stopping.clone();
        if *stopping.borrow() {
            return Err(Refused::Stopping);
        }
        if let Ok(slot) = Arc::clone(&self.free_slots).try_acquire_owned() {
            return Ok(slot);
        }
        let _place = self.free_places.try_acquire().map_err(|_| Refused::Full)?;
        // Dropped with this future if the client leaves: that counts a cancellation.
        let in_line = InLine(&self.cancelled);
        let slot = tokio::select! {
            slot = Arc::clone(&self.free_slots).acquire_owned() => {
                Ok(slot.expect("the semaphore is never closed"))
            }
            // Like Python's `shutdown(cancel_futures=True)`: a stop runs no waiting work.
            _ = stopping.wait_for(|stopping| *stopping) => Err(Refused::Stopping),
        };
        std::mem::forget(in_line); // it leaves the line with an answer, not cancelled
        slot
    }
}

struct InLine<'a>(&'a AtomicUsize);

impl Drop for InLine<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}
// ANCHOR_END: queue

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let why = match self {
            Refused::Full => "every worker is busy and the queue is full",
            Refused::Stopping => "the server is stopping",
        };
        // Come back in a second, rather than hold a connection in a full line.
        let retry = [(header::RETRY_AFTER, "1")];
        (StatusCode::SERVICE_UNAVAILABLE, retry, error(why)).into_response()
    }
}

// ANCHOR: health
/// `{"status":"ok","fib_running":2,"fib_queued":1,"fib_cancelled":0}`
#[derive(Serialize)]
pub struct Health {
    status: &'static str,
    /// Computations holding a slot, whether or not their client still waits.
    fib_running: usize,
    fib_queued: usize,
    fib_cancelled: usize,
}

impl Queue {
    pub fn health(&self) -> Health {
        Health {
            status: "ok",
            fib_running: self.workers - self.free_slots.available_permits(),
            fib_queued: self.places - self.free_places.available_permits(),
            fib_cancelled: self.cancelled.load(Ordering::SeqCst),
        }
    }

    /// Waits until every slot is free: no computation runs any more.
    pub async fn all_done(&self) {
        let all = u32::try_from(self.workers).expect("at most 64 workers");
        drop(self.free_slots.acquire_many(all).await);
    }
}
// ANCHOR_END: health

impl Queue {
    pub fn new(workers: usize, places: usize, stopping: watch::Receiver<bool>) -> Self {
        Queue {
            free_slots: Arc::new(Semaphore::new(workers)),
            free_places: Semaphore::new(places),
            workers,
            places,
            cancelled: AtomicUsize::new(0),
            stopping,
        }
    }

    pub fn workers(&self) -> usize {
        self.workers
    }

    pub fn places(&self) -> usize {
        self.places
    }
}

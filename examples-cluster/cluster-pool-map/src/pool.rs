//! A pool over MPI ranks: rank 0 holds the jobs, every other rank works.
//!
//! Nothing is shared between ranks, so everything a rank learns about
//! another arrives in a message: a job carries its index in the input, and
//! its result brings it back, which is how `map` returns the results in
//! input order whichever worker finished first.

use anyhow::{Context, Result};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use serde::{Deserialize, Serialize};

// ANCHOR: messages
/// What rank 0 sends a worker.
#[derive(Serialize, Deserialize)]
enum Job {
    Square { index: usize, number: u64 },
    Stop,
}

/// What a worker sends rank 0: a first request, then results, each of which
/// asks for the next job too.
#[derive(Serialize, Deserialize)]
enum Reply {
    Ready,
    Squared { index: usize, square: u64 },
}
// ANCHOR_END: messages

// ANCHOR: pool
/// Rank 0: hand the next job to whichever worker speaks, keep each result at
/// its job's place, and tell each worker to stop once no job is left.
pub fn map(
    world: &SimpleCommunicator,
    numbers: &[u64],
    square: impl Fn(u64) -> u64,
) -> Result<Vec<u64>> {
    if world.size() == 1 {
        // No worker to send jobs to: rank 0 does them itself.
        return Ok(numbers.iter().map(|&number| square(number)).collect());
    }
    let mut squares = vec![None; numbers.len()];
    let mut jobs = numbers.iter().enumerate();
    let mut workers = world.size() - 1;
    while workers > 0 {
        let (bytes, status) = world.any_process().receive_vec::<u8>();
        let worker = status.source_rank();
        if let Reply::Squared { index, square } = serde_json::from_slice(&bytes)? {
            println!("rank {worker} squared {}: {square}", numbers[index]);
            squares[index] = Some(square);
        }
        let job = match jobs.next() {
            Some((index, &number)) => Job::Square { index, number },
            None => {
                workers -= 1;
                Job::Stop
            }
        };
        world.process_at_rank(worker).send(&serde_json::to_vec(&job)?[..]);
    }
    squares.into_iter().collect::<Option<_>>().context("a job got no result")
}

/// Every other rank: ask, square, answer, until told to stop.
pub fn serve(world: &SimpleCommunicator, square: impl Fn(u64) -> u64) -> Result<()> {
    let pool = world.process_at_rank(0);
    let mut reply = Reply::Ready;
    loop {
        pool.send(&serde_json::to_vec(&reply)?[..]);
        let (bytes, _) = pool.receive_vec::<u8>();
        match serde_json::from_slice(&bytes)? {
            Job::Square { index, number } => {
                reply = Reply::Squared { index, square: square(number) };
            }
            Job::Stop => return Ok(()),
        }
    }
}
// ANCHOR_END: pool

//! Can a pool's `map` hand its jobs to workers that share nothing, not even a machine?
//!
//! The first article's `map(square, 1..10)`, as a pool over MPI ranks: rank 0
//! is the pool; every other rank is a worker that asks for a job, squares it
//! and asks again. Jobs and results travel as serde-encoded messages (JSON
//! here), as Python's pools pickle them; `python/cluster_pool_map.py` is the
//! same program on mpi4py.
//!
//! Run it: `cargo build`, then `mpirun -np 3 target/debug/cluster-pool-map`
//! (as root, Open MPI also wants `--allow-run-as-root`; more ranks than cores,
//! `--oversubscribe`). Give other numbers as arguments; one whose square does
//! not fit in 64 bits makes its worker panic.
//!
//! Watch for: a job goes to whichever worker asks first, so which rank squares
//! which number changes from run to run, yet the list comes back in input
//! order. A worker that panics ends the whole job: mpirun kills every rank and
//! rank 0 never prints its list.

use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, value_parser};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use serde::{Deserialize, Serialize};

#[derive(Parser)]
#[command(about = "map(square, 1..10) as a pool over MPI ranks")]
struct Args {
    /// The numbers to square (default: 1 to 10).
    numbers: Vec<u64>,
    /// Milliseconds per step: each square takes one, as the articles sleep one second.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: messages
/// What rank 0 sends a worker.
#[derive(Serialize, Deserialize)]
enum Job {
    Square { index: usize, number: u64 },
    Stop,
}

/// What a worker sends rank 0: its first request, then each result, which
/// also asks for the next job.
#[derive(Serialize, Deserialize)]
enum Reply {
    Ready,
    Squared { index: usize, square: u64 },
}
// ANCHOR_END: messages

fn square(number: u64, step: Duration) -> u64 {
    thread::sleep(step);
    number.checked_mul(number).expect("the square does not fit in 64 bits")
}

// ANCHOR: pool
/// Rank 0: hand the next job to whichever worker speaks, keep each result at
/// its job's place, and tell each worker to stop once no job is left.
fn pool(world: &SimpleCommunicator, numbers: &[u64], step: Duration) -> Result<Vec<u64>> {
    if world.size() == 1 {
        // No worker to send jobs to: rank 0 does them itself.
        let mut squares = Vec::new();
        for &number in numbers {
            squares.push(square(number, step));
            println!("rank 0 squared {number}: {}", squares[squares.len() - 1]);
        }
        return Ok(squares);
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
fn worker(world: &SimpleCommunicator, step: Duration) -> Result<()> {
    let pool = world.process_at_rank(0);
    let mut reply = Reply::Ready;
    loop {
        pool.send(&serde_json::to_vec(&reply)?[..]);
        let (bytes, _) = pool.receive_vec::<u8>();
        match serde_json::from_slice(&bytes)? {
            Job::Square { index, number } => {
                reply = Reply::Squared { index, square: square(number, step) };
            }
            Job::Stop => return Ok(()),
        }
    }
}
// ANCHOR_END: pool

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset();
    let mut args = Args::parse();
    if args.numbers.is_empty() {
        args.numbers = (1..=10).collect();
    }
    let step = Duration::from_millis(args.step_ms);
    let universe = mpi::initialize().context("MPI was already initialized")?;
    let world = universe.world();
    end_the_job_on_panic();

    let outcome = match world.rank() {
        0 => pool(&world, &args.numbers, step).map(|squares| println!("{squares:?}")),
        _ => worker(&world, step),
    };
    if let Err(err) = outcome {
        eprintln!("rank {}: {err:#}", world.rank());
        world.abort(1);
    }
    if world.rank() == 0 {
        println!("Finish");
    }
    Ok(())
}

/// A rank that fails must end the job. If it just returned, dropping the
/// universe would call `MPI_Finalize`, which waits for every other rank,
/// while they wait for its message: a hang. `MPI_Abort` kills them all.
fn end_the_job_on_panic() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        report(info);
        SimpleCommunicator::world().abort(101);
    }));
}
// ANCHOR_END: main

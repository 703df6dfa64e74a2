//! Can a pool's `map` hand its jobs to workers that share nothing, not even a machine?
//!
//! The first article's `map(square, 1..10)` as a pool over MPI ranks: rank 0
//! is the pool, the others are workers that ask for a job, square it and ask
//! again (`pool.rs`). Jobs travel serde-encoded (JSON), as Python's pools
//! pickle them; `python/cluster_pool_map.py` is the same on mpi4py. Run it:
//! `cargo build`, then
//! `mpirun --oversubscribe -np 3 target/debug/cluster-pool-map [NUMBERS]`.
//!
//! Watch for: which rank squares which number changes from run to run, yet
//! the list comes back in input order. 4294967296 squared does not fit in 64
//! bits: its worker panics, every rank is killed, and no list is printed.

use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, value_parser};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;

mod pool;

#[derive(Parser)]
#[command(about = "map(square, 1..10) as a pool over MPI ranks")]
struct Args {
    /// The numbers to square.
    #[arg(default_values_t = (1..=10).collect::<Vec<u64>>())]
    numbers: Vec<u64>,
    /// Milliseconds per step: each square takes one, as the articles sleep one second.
    #[arg(long, env = "STEP_MS", default_value_t = 1000, value_parser = value_parser!(u64).range(..=60_000))]
    step_ms: u64,
}

// ANCHOR: square
/// Runs on a worker rank: a slow square, one step long.
fn square(number: u64, step: Duration) -> u64 {
    thread::sleep(step);
    number.checked_mul(number).expect("the square does not fit in 64 bits")
}
// ANCHOR_END: square

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset();
    let args = Args::parse();
    let step = Duration::from_millis(args.step_ms);
    let universe = mpi::initialize().context("MPI was already initialized")?;
    let world = universe.world();
    end_the_job_on_panic();

    let square = |number| square(number, step);
    let outcome = match world.rank() {
        0 => pool::map(&world, &args.numbers, square).map(|list| println!("{list:?}")),
        _ => pool::serve(&world, square),
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

/// A failed rank must end the job: if it just returned, dropping `universe`
/// would call `MPI_Finalize`, which waits for the other ranks while they wait
/// for its message, and the job would hang. `MPI_Abort` kills every rank.
fn end_the_job_on_panic() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        report(info);
        SimpleCommunicator::world().abort(101);
    }));
}
// ANCHOR_END: main

//! Does the CPU-bound sum still work when the workers share nothing, not even a machine?
//!
//! The benchmarks' sum of the integers below n, split over MPI ranks: separate
//! processes, started by `mpirun` on one host or many, that can only exchange
//! messages. Each rank adds up its own share; a reduce brings the partial sums
//! to rank 0, which prints each rank's share and host, then the total. In
//! Python the same program uses mpi4py (`python/cluster_sum.py`).
//!
//! Run it: `cargo build`, then `mpirun -np 3 target/debug/cluster-sum`
//! (as root, Open MPI also wants `--allow-run-as-root`; more ranks than cores,
//! `--oversubscribe`).
//!
//! Watch for: the total is n(n-1)/2 whatever the number of ranks; every rank
//! runs the same program and learns from its rank which share is its own; the
//! host names tell where each share was computed.

use std::hint::black_box;
use std::ops::Range;

use anyhow::{Context, Result};
use clap::Parser;
use mpi::collective::SystemOperation;
use mpi::traits::*;

#[derive(Parser)]
#[command(about = "Sum the integers below n over MPI ranks, reduced to rank 0")]
struct Args {
    /// How many integers to add up (0 to n-1); at most 6e9, so that the total fits in 64 bits.
    #[arg(long, default_value_t = 200_000_000,
          value_parser = clap::value_parser!(u64).range(1..=6_000_000_000))]
    n: u64,
}

// ANCHOR: share
/// The same loop as the benchmark's: `black_box` keeps the optimizer from
/// replacing it by the formula.
fn sum(range: Range<u64>) -> u64 {
    range.map(black_box).sum()
}

/// Rank `rank` of `ranks` adds up the `rank`-th of `ranks` (almost) equal ranges.
fn share(n: u64, rank: u64, ranks: u64) -> Range<u64> {
    n * rank / ranks..n * (rank + 1) / ranks
}
// ANCHOR_END: share

// ANCHOR: main
fn main() -> Result<()> {
    sigpipe::reset();
    let args = Args::parse();
    let universe = mpi::initialize().context("MPI was already initialized")?;
    let world = universe.world();
    let (rank, ranks) = (world.rank(), world.size());

    let mine = share(args.n, rank as u64, ranks as u64);
    let partial = sum(mine.clone());
    let host = mpi::environment::processor_name()?;
    let report = format!("rank {rank} on {host} added {mine:?}: {partial}");

    let root = world.process_at_rank(0);
    if rank == 0 {
        println!("MPI world size: {ranks}; adding up the integers below {}", args.n);
        println!("{report}");
        for other in 1..ranks {
            // Received in rank order, whatever order the ranks finish in.
            let (bytes, _) = world.process_at_rank(other).receive_vec::<u8>();
            println!("{}", String::from_utf8_lossy(&bytes));
        }
        let mut total = 0_u64;
        root.reduce_into_root(&partial, &mut total, SystemOperation::sum());
        let expected = u128::from(args.n) * u128::from(args.n - 1) / 2;
        println!("the reduce brought rank 0 the total: {total} (n(n-1)/2 = {expected})");
    } else {
        root.send(report.as_bytes());
        root.reduce_into(&partial, SystemOperation::sum());
    }
    Ok(())
}
// ANCHOR_END: main

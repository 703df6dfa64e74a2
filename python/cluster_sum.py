"""The Python side of cluster-sum: the CPU-bound sum split over MPI ranks with
mpi4py, the partial sums reduced to rank 0.

Run it with: mpirun -np 3 python3 python/cluster_sum.py
"""

import argparse

from mpi4py import MPI


def add_up(share):
    total = 0
    for i in share:  # a loop, as in the benchmark: sum(range()) would run in C
        total += i
    return total


def share_of(n, rank, ranks):
    return range(n * rank // ranks, n * (rank + 1) // ranks)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000_000,
                        help="how many integers to add up (0 to n-1)")
    args = parser.parse_args()

    world = MPI.COMM_WORLD
    rank, ranks = world.Get_rank(), world.Get_size()
    mine = share_of(args.n, rank, ranks)
    partial = add_up(mine)
    host = MPI.Get_processor_name()
    report = f"rank {rank} on {host} added {mine.start}..{mine.stop}: {partial}"

    if rank == 0:
        print(f"MPI world size: {ranks}; adding up the integers below {args.n}")
        print(report)
        for other in range(1, ranks):
            # Received in rank order, whatever order the ranks finish in.
            print(world.recv(source=other))
        total = world.reduce(partial, op=MPI.SUM, root=0)
        expected = args.n * (args.n - 1) // 2
        print(f"the reduce brought rank 0 the total: {total} (n(n-1)/2 = {expected})")
    else:
        world.send(report, dest=0)
        world.reduce(partial, op=MPI.SUM, root=0)


if __name__ == "__main__":
    main()

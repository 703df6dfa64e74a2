"""The Python side of cluster-pool-map: map(square, 1..10) as a pool over MPI
ranks with mpi4py. Rank 0 hands each job to whichever worker asks next; the
jobs and results travel pickled, as in ProcessPoolExecutor.

Run it with: mpirun -np 3 python3 python/cluster_pool_map.py
"""

import sys
import time

from mpi4py import MPI

from steps import STEP


def square(number):
    time.sleep(STEP)
    return number * number


def pool(world, numbers):
    """Rank 0: the next job to whichever worker speaks, each result at its
    job's place, and a stop for each worker once no job is left."""
    if world.Get_size() == 1:  # no worker to send jobs to: rank 0 does them itself
        return [square(number) for number in numbers]
    squares = [None] * len(numbers)
    jobs = iter(enumerate(numbers))
    workers = world.Get_size() - 1
    status = MPI.Status()
    while workers > 0:
        reply = world.recv(source=MPI.ANY_SOURCE, status=status)
        worker = status.Get_source()
        if reply[0] == "squared":
            _, index, result = reply
            print(f"rank {worker} squared {numbers[index]}: {result}", flush=True)
            squares[index] = result
        job = next(jobs, None)
        if job is None:
            workers -= 1
            world.send(("stop",), dest=worker)
        else:
            world.send(("square", *job), dest=worker)
    return squares


def worker(world):
    """Every other rank: ask, square, answer, until told to stop."""
    reply = ("ready",)
    while True:
        world.send(reply, dest=0)
        job = world.recv(source=0)
        if job[0] == "stop":
            return
        _, index, number = job
        reply = ("squared", index, square(number))


def main():
    numbers = [int(arg) for arg in sys.argv[1:]] or list(range(1, 11))
    world = MPI.COMM_WORLD
    if world.Get_rank() == 0:
        print(pool(world, numbers), flush=True)
        print("Finish", flush=True)
    else:
        worker(world)


if __name__ == "__main__":
    main()

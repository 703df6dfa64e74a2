"""The Python side of process-queue: four processes put a greeting on one Queue."""

import multiprocessing
import os

from steps import say

WORKERS = 4


def greet(number, queue):
    queue.put(f"Hello from worker {number} (pid {os.getpid()})")


if __name__ == "__main__":
    queue = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=greet, args=(number, queue))
        for number in range(1, WORKERS + 1)
    ]
    for worker in workers:
        worker.start()
    # Take the messages off before joining: a process that has put data on a
    # Queue does not exit until that data has been consumed.
    for _ in workers:
        say(f"received: {queue.get()}")
    for worker in workers:
        worker.join()
    say(f"all {WORKERS} workers have exited")

"""The Python side of process-queue: four processes put a greeting on one Queue."""

import multiprocessing
import os
import time

from steps import STEP, say

WORKERS = 4


def greet(number, queue):
    time.sleep(STEP)  # a step of work before the greeting
    queue.put(f"Hello from worker {number} (pid {os.getpid()})")


if __name__ == "__main__":
    queue = multiprocessing.Queue()
    workers = []
    for number in range(1, WORKERS + 1):
        worker = multiprocessing.Process(target=greet, args=(number, queue))
        worker.start()
        say(f"started worker {number} (pid {worker.pid})")
        workers.append(worker)
    # Take the messages off before joining: a process that has put data on a
    # Queue does not exit until that data has been consumed.
    for _ in workers:
        say(f"received: {queue.get()}")
    for worker in workers:
        worker.join()
    say(f"all {WORKERS} workers have exited")

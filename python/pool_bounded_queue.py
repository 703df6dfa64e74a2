"""The Python side of pool-bounded-queue: ten jobs, at most 4 running at once.

ThreadPoolExecutor(max_workers=4) is the queue: submit() puts a job on it and
returns at once, and each of the 4 worker threads takes the next job when it is
free. A lock makes "count myself in, then read the count" one step, as the
atomics do in the Rust version.
"""

import argparse
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from steps import STEP, say

JOB_STEPS = [3, 1, 2, 1, 3, 2, 1, 2, 1, 2]  # how long each job runs, in steps

lock = threading.Lock()
running = 0
peak = 0


def job(number, steps):
    global running, peak
    with lock:
        running += 1
        peak = max(peak, running)
        now = running
    say(f"start job {number} (running: {now})")
    time.sleep(steps * STEP)
    with lock:
        running -= 1
        now = running
    say(f"finish job {number} (running: {now})")


def worker_count(text):
    workers = int(text)  # argparse reports a ValueError as an invalid value
    if not 1 <= workers <= 100:
        raise argparse.ArgumentTypeError(f"{workers} is not in 1..=100")
    return workers


def main():
    parser = argparse.ArgumentParser(description="Ten jobs, at most --workers at once.")
    parser.add_argument("--workers", type=worker_count, default=4, help="threads in the pool")
    workers = parser.parse_args().workers
    say(f"{len(JOB_STEPS)} jobs, at most {workers} running at once")
    with ThreadPoolExecutor(max_workers=workers) as executor:
        futures = [executor.submit(job, n, steps) for n, steps in enumerate(JOB_STEPS, 1)]
    for future in futures:
        future.result()  # re-raises an exception a job ended with
    say(f"peak: {peak} running at once (limit {workers})")


if __name__ == "__main__":
    main()

"""The Python side of pool-bounded-queue: ten jobs, at most 4 running at once.

ThreadPoolExecutor(max_workers=4) is the queue: submit() puts a job on it and
returns at once, and each of the 4 worker threads takes the next job when it is
free. A lock makes "count myself in, then read the count" one step, as the
atomics do in the Rust version.
"""

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from steps import STEP, say

JOB_STEPS = [3, 1, 2, 1, 3, 2, 1, 2, 1, 2]  # how long each job runs, in steps
USAGE = "usage: pool_bounded_queue.py [--workers N]   (N >= 1, default 4)"

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


def parse_workers(args):
    if not args:
        return 4
    if len(args) == 2 and args[0] == "--workers" and args[1].isdigit() and int(args[1]) >= 1:
        return int(args[1])
    print(f"pool_bounded_queue.py: unexpected arguments {args}\n{USAGE}", file=sys.stderr)
    sys.exit(2)


def main():
    workers = parse_workers(sys.argv[1:])
    say(f"{len(JOB_STEPS)} jobs, at most {workers} running at once")
    with ThreadPoolExecutor(max_workers=workers) as executor:
        futures = [executor.submit(job, n, steps) for n, steps in enumerate(JOB_STEPS, 1)]
    for future in futures:
        future.result()  # re-raises an exception a job ended with
    say(f"peak: {peak} running at once (limit {workers})")
    assert peak <= workers


if __name__ == "__main__":
    main()

"""The Python side of pool-build-your-own: what ThreadPoolExecutor does inside.

Worker threads take jobs from one queue.SimpleQueue; shutting down puts one
None on the queue per worker, so each loop ends once the real jobs are gone,
and then joins the threads. (ThreadPoolExecutor itself starts its threads as
jobs arrive and passes a single None from worker to worker; the idea is the
same.) Python's queue needs no lock around get(); with --hold-lock the
workers take one anyway and keep it while the job runs, the mistake the Rust
version makes with a temporary, here made with an indented `with` block.
"""

import queue
import sys
import threading

from steps import STEP, say

WORKERS = 4


class ThreadPool:
    def __init__(self, worker):
        self.jobs = queue.SimpleQueue()
        self.threads = [
            threading.Thread(target=worker, args=(self.jobs,)) for _ in range(WORKERS)
        ]
        for thread in self.threads:
            thread.start()

    def execute(self, job):
        self.jobs.put(job)

    def shutdown(self):
        for _ in self.threads:
            self.jobs.put(None)  # one "no more jobs" for each worker
        for thread in self.threads:
            thread.join()


def worker(jobs):
    while (job := jobs.get()) is not None:
        job()


lock = threading.Lock()


def worker_holding_the_lock(jobs):
    while True:
        with lock:
            job = jobs.get()
            if job is None:
                return
            job()  # still inside `with`: the lock is held while the job runs


class Count:
    def __init__(self):
        self.now = self.most = self.done = 0
        self.changed = threading.Condition()


def counted_job(count):
    """Counts itself in, then waits (a step at most) to see a job on every worker."""
    with count.changed:
        count.now += 1
        count.most = max(count.most, count.now)
        count.changed.notify_all()
        count.changed.wait_for(lambda: count.most >= WORKERS, timeout=STEP)
        count.now -= 1
        count.done += 1


def main():
    hold_lock = sys.argv[1:] == ["--hold-lock"]
    if sys.argv[1:] not in ([], ["--hold-lock"]):
        sys.exit("usage: pool_build_your_own.py [--hold-lock]")
    say(f"8 jobs for {WORKERS} workers; --hold-lock: {str(hold_lock).lower()}")
    count = Count()
    pool = ThreadPool(worker_holding_the_lock if hold_lock else worker)
    for _ in range(8):
        pool.execute(lambda: counted_job(count))
    pool.shutdown()
    done = f"{count.done} of 8 done when the pool was shut down"
    say(f"at most {count.most} at once; {done}")


if __name__ == "__main__":
    main()

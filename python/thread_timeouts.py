"""The Python side of thread-timeouts: waiting with a deadline, and cancelling.

join(timeout) and queue.get(timeout=) give up after the timeout; wait() says
which futures were done by the deadline; cancel() and shutdown(cancel_futures=
True) call off jobs that have not started. A started job runs to its end:
Python cannot stop a running thread either. As in the Rust version, a slow job
waits for a threading.Event that is set only after the deadline has passed,
so every run prints the same.

Run with --cancel for the cancelling half (the Rust one is
src/bin/thread-timeouts-cancel.rs).
"""

import queue
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, wait

from steps import STEP, say


def join_with_timeout():
    gate = threading.Event()
    answers = queue.Queue()

    def work():
        gate.wait()  # the work: it lasts until main sets the gate
        answers.put(6 * 7)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=STEP)  # returns None either way: ask is_alive()
    say(f"join: after a step, alive: {worker.is_alive()}")
    gate.set()
    worker.join()
    say(f"join: the answer is {answers.get()}")
    try:
        answers.get(timeout=STEP)
    except queue.Empty:
        # A queue cannot know that nobody will put again: it waits out the timeout.
        say("get: queue.Empty, after the whole step")


def slow_square(gate, number):
    gate.wait()  # the work: it lasts until main sets the gate
    return number * number


def wait_with_deadline():
    gate = threading.Event()
    with ThreadPoolExecutor(max_workers=2) as pool:
        quick = pool.submit(lambda: 2 * 2)
        slow = pool.submit(slow_square, gate, 3)
        quick.result()  # so that every run has one job done and one not
        done, not_done = wait([quick, slow], timeout=STEP)
        names = {quick: "quick", slow: "slow"}
        for future in done:
            say(f"wait: {names[future]} is done: {future.result()}")
        say(f"wait: not done at the deadline: {sorted(names[f] for f in not_done)}")
        gate.set()


def cancel_queued_jobs():
    gate = threading.Event()
    started = threading.Event()

    def job(number):
        say(f"worker: job {number} started")
        started.set()
        gate.wait()  # the work: it lasts until main sets the gate
        say(f"worker: job {number} finished")

    pool = ThreadPoolExecutor(max_workers=1)
    futures = [pool.submit(job, number) for number in range(1, 5)]
    started.wait()  # job 1 is running
    say(f"main: cancel job 1: {futures[0].cancel()}")
    say(f"main: cancel job 3: {futures[2].cancel()}")
    pool.shutdown(wait=False, cancel_futures=True)
    cancelled = [number for number, f in enumerate(futures, 1) if f.cancelled()]
    say(f"main: shut down, cancelled {cancelled}")
    gate.set()
    pool.shutdown()  # now wait for the worker


if __name__ == "__main__":
    if sys.argv[1:] == ["--cancel"]:
        cancel_queued_jobs()
    elif sys.argv[1:]:
        sys.exit("usage: thread_timeouts.py [--cancel]")
    else:
        join_with_timeout()
        wait_with_deadline()

"""The Python side of pool-switch: one demo on ThreadPoolExecutor and ProcessPoolExecutor.

Then the caveat the Rust version turns into a compile error: a job that cannot
be pickled (here a lambda) runs on threads but fails on processes, at run time.
"""

import os
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed

from steps import STEP, say


def slow_square(n):
    time.sleep(STEP * (4 - n % 4))
    return n * n, os.getpid()


def demo(pool):
    say(f"submit(7) gives {pool.submit(slow_square, 7).result()[0]}")

    jobs = {pool.submit(slow_square, n): n for n in range(4)}
    for done in as_completed(jobs):
        say(f"as_completed: job {jobs[done]} finished with {done.result()[0]}")

    answers = list(pool.map(slow_square, range(1, 9)))
    say(f"map(1..=8) gives {[square for square, _ in answers]}")

    here = sum(1 for _, pid in answers if pid == os.getpid())
    say(f"jobs that ran in this program's own process: {here} of {len(answers)}")


def run_lambda(pool):
    try:
        return pool.submit(lambda x: x * x, 3).result()
    except Exception as err:  # the pickling error arrives only when the result is asked for
        return f"{type(err).__name__}: {err}"


if __name__ == "__main__":
    say("-- on a thread pool --")
    with ThreadPoolExecutor(max_workers=4) as pool:
        demo(pool)
    say("-- on a process pool --")
    with ProcessPoolExecutor(max_workers=4) as pool:
        demo(pool)
    say("-- a lambda as the job --")
    with ThreadPoolExecutor(max_workers=4) as pool:
        say(f"thread pool: {run_lambda(pool)}")
    with ProcessPoolExecutor(max_workers=4) as pool:
        say(f"process pool: {run_lambda(pool)}")

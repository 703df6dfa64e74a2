"""The Python side of pool-process-map: ProcessPoolExecutor.map of slow squares."""

import time
from concurrent.futures import ProcessPoolExecutor

from steps import STEP, say


def square(a):
    say(f"start square({a})")  # only these lines show when a job runs
    time.sleep(STEP)
    say(f"finish square({a})")
    return a * a


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=8) as workers:
        print(list(workers.map(square, range(1, 11))), flush=True)
    print("Finish", flush=True)

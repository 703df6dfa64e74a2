"""The Python side of pool-process-map: ProcessPoolExecutor.map of slow squares."""

import time
from concurrent.futures import ProcessPoolExecutor

from steps import STEP


def square(a):
    time.sleep(STEP)
    return a * a


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=8) as workers:
        print(list(workers.map(square, range(1, 11))), flush=True)
    print("Finish", flush=True)

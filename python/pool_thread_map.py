"""The Python side of pool-thread-map: ThreadPoolExecutor.map with 8 workers.

map() queues one job per item at once and gives the results back in the order
of the items, waiting for each in turn; the with block waits for every job
before it ends, so "Finish" comes after all of them.
"""

import time
from concurrent.futures import ThreadPoolExecutor

from steps import STEP, say


def square(a):
    say(f"start square({a})")  # only these lines show when a job runs
    time.sleep(STEP)  # a step of pretend work
    say(f"finish square({a})")
    return a * a


def main():
    with ThreadPoolExecutor(max_workers=8) as executor:
        squares = list(executor.map(square, range(1, 11)))
        say(str(squares))
    assert squares == [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]
    say("Finish")


if __name__ == "__main__":
    main()

"""The Python side of process-join: foo and bar counting in two processes."""

import multiprocessing
import os
import time

from steps import STEP, say


def count(name, steps):
    for i in range(steps):
        say(f"{name} {i}")
        time.sleep(STEP)


if __name__ == "__main__":
    say(f"main process: pid {os.getpid()}")
    foo = multiprocessing.Process(target=count, args=("foo", 3))
    bar = multiprocessing.Process(target=count, args=("bar", 5))
    foo.start()
    bar.start()
    say(f"foo runs in pid {foo.pid}, bar in pid {bar.pid}")
    foo.join()
    say("foo finish")
    bar.join()
    say("bar finish")

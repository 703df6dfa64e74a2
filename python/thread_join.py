"""The Python side of thread-join: foo counts 3 steps and bar 5, on two threads.

Run with --no-join to see that Python waits for its (non-daemon) threads anyway:
the "finish" lines come early, and the counting goes on after them.
"""

import sys
import threading
import time

from steps import STEP, say


def count(name, steps):
    for i in range(steps):
        say(f"{name} {i}")
        time.sleep(STEP)


def main():
    join = sys.argv[1:] != ["--no-join"]
    foo = threading.Thread(target=count, args=("foo", 3))
    bar = threading.Thread(target=count, args=("bar", 5))
    foo.start()
    bar.start()
    if join:
        foo.join()
    say("foo finish")
    if join:
        bar.join()
    say("bar finish")
    # Without join, the interpreter still waits here for foo and bar before exiting.


if __name__ == "__main__":
    main()

"""The Python side of thread-stop-flag: a threading.Event as the stop request.

Python cannot kill a thread either. Event.wait(timeout) is both the pause and
the check, like recv_timeout on the Rust channel: set() ends the wait at once.
"""

import threading
import time

from steps import STEP, say


def worker(stop):
    done = 0
    while True:
        done += 1
        say(f"worker: step {done}")
        if stop.wait(STEP):
            break
    say(f"worker: got the stop request after {done} steps, cleaning up")


stop = threading.Event()
thread = threading.Thread(target=worker, args=(stop,))
thread.start()
time.sleep(2.5 * STEP)  # let it work for two steps and a half
say("main: setting the stop event")
stop.set()
thread.join()
say("main: the worker has stopped")

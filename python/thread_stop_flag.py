"""The Python side of thread-stop-flag: a threading.Event as the stop request.

Python cannot kill a thread either. Event.wait(timeout) is both the pause and
the check, like recv_timeout on the Rust channel: set() ends the wait at once.
"""

import queue
import threading

from steps import STEP, say

STEPS_BEFORE_STOP = 3


def worker(stop, progress):
    done = 0
    while True:
        done += 1
        say(f"worker: step {done}")
        progress.put(done)
        if stop.wait(STEP):
            break
    say(f"worker: got the stop request after {done} steps, cleaning up")


stop = threading.Event()
progress = queue.Queue()
thread = threading.Thread(target=worker, args=(stop, progress))
thread.start()
while progress.get() < STEPS_BEFORE_STOP:
    pass
say("main: setting the stop event")
stop.set()
thread.join()
say("main: the worker has stopped")

"""The Python side of sync-lock: threading.Lock, by hand and with `with`.

Four threads take turns appending to a shared log: the first two use the
article's acquire / try / finally / release, the others the `with lock:` form,
which does the same. Then a fifth thread raises an exception halfway through
its update, inside `with lock:`. The lock is released on the way out; there is
no poisoning, so main carries on with a half-updated log and nobody tells it.
"""

import threading
import time

from steps import STEP, say

WORKERS = 4

lock = threading.Lock()
log = []


def append_entry_by_hand(worker):
    lock.acquire()
    try:
        say(f"thread {worker}: has the lock")
        log.append(f"synchronized access by thread {worker}")
        time.sleep(STEP)
        say(f"thread {worker}: done, releasing the lock")
    finally:
        lock.release()


def append_entry_with(worker):
    with lock:  # acquire here, release when the block is left, however it is left
        say(f"thread {worker}: has the lock")
        log.append(f"synchronized access by thread {worker}")
        time.sleep(STEP)
        say(f"thread {worker}: done, leaving the with block")


def update_then_fail():
    with lock:
        log.append("update by thread 5: started")
        raise RuntimeError("thread 5 failed halfway through its update")


def main():
    targets = [append_entry_by_hand] * 2 + [append_entry_with] * 2
    threads = [
        threading.Thread(target=target, args=(worker,))
        for worker, target in enumerate(targets, start=1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    say(f"main: the log has {len(log)} entries, one per thread")

    # The traceback goes to stderr (threading.excepthook); join() returns as usual.
    updater = threading.Thread(target=update_then_fail, name="thread 5")
    updater.start()
    updater.join()
    say("main: thread 5 raised; join returned as usual")
    say(f"main: lock.locked() is {lock.locked()}")
    with lock:  # no poisoning: nothing says the log may be half updated
        say(f"main: took the lock again; {len(log)} entries, the last one is:")
        say(f"main:   {log[-1]!r}")


if __name__ == "__main__":
    main()

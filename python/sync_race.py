"""The Python side of sync-race: four threads add 1 to a shared integer.

`counter += 1` reads the counter, adds 1 and writes it back: three steps, with
no promise from the language that another thread cannot run between them.
CPython 3.11 switches threads only at some points (a call, the jump back to
the top of a loop), and there is none inside `counter += 1`, so that line
does not lose updates in practice. Put a call between the read and the write,
`counter = add_one(counter)`, and it does. A lock makes the read and the write
one step for every other thread that takes the same lock.
"""

import sys
import threading

THREADS = 4
INCREMENTS = 100_000

# Ask for a thread switch as often as the interpreter allows (the default is
# every 5 ms), so that the race shows on nearly every run, not just on most.
sys.setswitchinterval(1e-6)

counter = 0
lock = threading.Lock()


def add_one(value):
    return value + 1


def plain_increment():
    global counter
    for _ in range(INCREMENTS):
        counter += 1


def read_call_write():
    global counter
    for _ in range(INCREMENTS):
        counter = add_one(counter)  # a thread switch can come during the call


def locked_read_call_write():
    global counter
    for _ in range(INCREMENTS):
        with lock:
            counter = add_one(counter)


def run(target):
    global counter
    counter = 0
    threads = [threading.Thread(target=target) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter


expected = THREADS * INCREMENTS
print(f"{THREADS} threads add 1, {INCREMENTS} times each: expected total {expected}")
for label, target in [
    ("counter += 1:", plain_increment),
    ("counter = add_one(counter):", read_call_write),
]:
    total = run(target)
    print(f"{label:<28} total {total}, {expected - total} updates lost")
total = run(locked_read_call_write)
verdict = "matches" if total == expected else "DOES NOT MATCH"
print(f"{'the same, holding a lock:':<28} total {total}, {verdict}")

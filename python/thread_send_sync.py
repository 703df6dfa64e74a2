"""The Python side of thread-send-sync: what CPython does instead of Send and Sync.

Any object may go to any thread, and several threads may use it at once: the
language has no rule to break. Every object carries a reference count, and
the interpreter keeps it right while threads take and drop references. On the
usual build, only the thread holding the GIL runs bytecode, so no two threads
change a count at once. On the free-threaded build (3.13t and later), the
thread that created an object updates its own count plainly and other threads
update a second, shared count with atomic instructions (PEP 703).

The counts below come out the same on every run: four threads each take
100000 references to one shared list, and append 100000 names to another.
"""

import sys
import threading

from steps import say

THREADS = 4
EACH = 100_000


def hold_references(names, barrier):
    mine = []
    for _ in range(EACH):
        mine.append(names)  # one more reference to the shared list
    barrier.wait()  # every thread holds its references
    barrier.wait()  # main has counted


def append_names(names):
    for _ in range(EACH):
        names.append("foo")


names = ["foo", "bar"]
# getrefcount counts its own argument too: the name `names` plus that one.
before = sys.getrefcount(names)
say(f"getrefcount: {before} before the threads start")
barrier = threading.Barrier(THREADS + 1)
threads = [
    threading.Thread(target=hold_references, args=(names, barrier))
    for _ in range(THREADS)
]
for thread in threads:
    thread.start()
barrier.wait()
during = sys.getrefcount(names)
say(f"getrefcount: {during} while {THREADS} threads hold {EACH} references each")
barrier.wait()
for thread in threads:
    thread.join()
say(f"getrefcount: {sys.getrefcount(names)} after the threads have ended")

shared = []
threads = [threading.Thread(target=append_names, args=(shared,)) for _ in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
say(f"list: {len(shared)} names appended by {THREADS} threads, {EACH} each, no lock")

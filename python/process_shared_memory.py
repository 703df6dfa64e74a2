"""The Python side of process-shared-memory: Value and Array, and a plain global.

Four child processes add to a shared Value and fill their own slot of a
shared Array. They also update a plain global counter and list, which each
child gets a copy of, so the parent's stay at zero.
"""

import multiprocessing

from steps import say

CHILDREN = 4
# Child n adds (n + 1) times this many: a tenth of the Rust version's, because
# every addition here takes and releases a lock.
ADDS = 10_000

plain_counter = 0
plain_slots = [0] * CHILDREN


def add(number, adds, counter, slots):
    global plain_counter
    for _ in range(adds):
        # `+=` on a Value reads, then writes: without the lock, two processes
        # could read the same value and one addition would be lost.
        with counter.get_lock():
            counter.value += 1
        plain_counter += 1
    # A single item assignment takes the Array's lock by itself; get_lock()
    # is needed only to make several steps one.
    slots[number] = adds
    plain_slots[number] = adds
    say(
        f"child {number}: {adds} additions; "
        f"plain counter {plain_counter}, plain slots {plain_slots}"
    )


def main():
    counter = multiprocessing.Value("Q", 0)  # unsigned 64-bit, like Rust's AtomicU64
    slots = multiprocessing.Array("Q", CHILDREN)
    children = [
        multiprocessing.Process(target=add, args=(n, (n + 1) * ADDS, counter, slots))
        for n in range(CHILDREN)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join()
    failed = [child.pid for child in children if child.exitcode != 0]
    if failed:
        raise SystemExit(f"children with pids {failed} failed")
    say(f"parent: shared counter {counter.value}, shared slots {list(slots)}")
    say(f"parent: plain counter {plain_counter}, plain slots {plain_slots}")
    assert counter.value == sum(slots)


if __name__ == "__main__":
    main()

"""The long guide says a Counter is thread-safe, so `counter[page] += 1` needs no lock.

Part 1 shows what that line is made of, with `dis`: the count is read
(BINARY_SUBSCR), 1 is added (BINARY_OP), and the sum is written back
(STORE_SUBSCR), in separate bytecodes. The GIL keeps each bytecode whole, not
the three together. If another thread runs between the read and the write,
both write the same sum, and one of the two updates is lost.

Part 2 lets that happen. CPython 3.11 switches threads only at a few points,
a call among them, and reading a page that is not counted yet calls
Counter.__missing__, a method written in Python. So four threads count the
same new pages into one Counter, RUNS times, and the program says in how many
runs the total came out short. That number changes from run to run (nothing
promises it is above 0); with a lock, every run is exact.
"""

import dis
import sys
import threading
from collections import Counter

THREADS = 4
PAGES = [f"page-{n}" for n in range(10_000)]
RUNS = 20

# Ask for a thread switch as often as the interpreter allows (the default is
# every 5 ms), so that the lost updates show in most runs, not just in some.
sys.setswitchinterval(1e-6)

WHAT_IT_DOES = {
    "BINARY_SUBSCR": "reads the count (a new page calls Counter.__missing__)",
    "BINARY_OP": "adds 1",
    "STORE_SUBSCR": "writes the sum back",
}


def count(counter, page):
    counter[page] += 1  # the guide's line


def show_bytecode():
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    print(f"counter[page] += 1, as CPython {version} runs it:")
    for instruction in dis.get_instructions(count):
        if instruction.opname == "RESUME":
            continue  # the function's entry, not part of the line
        argument = instruction.argrepr or (instruction.arg if instruction.arg is not None else "")
        text = f"{instruction.opname} {argument}".rstrip()
        comment = WHAT_IT_DOES.get(instruction.opname, "")
        print(f"  {text:<20}{comment}".rstrip())
        if instruction.opname == "STORE_SUBSCR":
            break  # what follows is the function's `return None`


def count_on_threads(lock):
    counter = Counter()
    barrier = threading.Barrier(THREADS)  # start the threads' loops together

    def count_all():
        barrier.wait()
        for page in PAGES:
            if lock is None:
                count(counter, page)
            else:
                with lock:
                    count(counter, page)

    threads = [threading.Thread(target=count_all) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = counter.total()
    # Every write stores one more than a count that was read, so updates can
    # be lost but never invented: the total cannot exceed the increments.
    assert total <= THREADS * len(PAGES), total
    return total


if __name__ == "__main__":
    show_bytecode()
    expected = THREADS * len(PAGES)
    print(f"{THREADS} threads count the same {len(PAGES)} new pages into one Counter:")
    short = sum(1 for _ in range(RUNS) if count_on_threads(None) < expected)
    print(f"without a lock: the total came out short in {short} of {RUNS} runs")
    exact = sum(1 for _ in range(RUNS) if count_on_threads(threading.Lock()) == expected)
    print(f"with a lock: the total was exact in {exact} of {RUNS} runs")

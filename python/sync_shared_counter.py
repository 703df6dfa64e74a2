"""The Python side of sync-shared-counter: one Counter for threads, one per process.

Threads share the Counter, so they take a Lock around `counter[page] += 1`:
that line reads, adds and writes, and nothing promises that another thread
cannot run in between. Processes cannot share it: each returns a Counter of
its own, and the parent adds them up.

Then the guide's own process version, which hands a multiprocessing.Queue to
ProcessPoolExecutor workers: Python refuses it, and a fix that works.
"""

import queue
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Manager, Queue

from steps import STEP, say

# One line per worker: the threads and the processes split the list the same way.
FETCHED = [
    "example.com", "python.org", "example.com",
    "rust-lang.org", "example.com", "docs.rs",
    "python.org", "example.com", "crates.io",
    "rust-lang.org", "python.org", "example.com",
]
WORKERS = 4
CHUNKS = [FETCHED[start : start + 3] for start in range(0, len(FETCHED), 3)]


def show(counts):
    return ", ".join(f"{page} {n}" for page, n in sorted(counts.items()))


def count_on_threads():
    counter = Counter()
    lock = threading.Lock()

    def count(chunk):
        for page in chunk:
            time.sleep(STEP)  # the request: slow, and it needs no lock
            with lock:  # held for the read-add-write only
                counter[page] += 1

    threads = [threading.Thread(target=count, args=(chunk,)) for chunk in CHUNKS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter


def count_chunk(chunk):
    """Runs in a worker process: counts one chunk in a Counter of its own."""
    counts = Counter()
    for page in chunk:
        time.sleep(STEP)
        counts[page] += 1
    return counts  # pickled and sent back to the parent


def count_in_processes():
    merged = Counter()
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        for chunk, counts in enumerate(pool.map(count_chunk, CHUNKS), 1):
            say(f"chunk {chunk} from a worker process: {show(counts)}")
            merged += counts
    return merged


def put_page(page, results):
    results.put(page)  # the guide's fetch_url, without the request


def the_guides_queue():
    results = Queue()
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(put_page, page, results) for page in FETCHED]
    # The error is kept in each future; the guide never asks for it.
    error = futures[0].exception()
    failed = sum(1 for future in futures if future.exception() is not None)
    say(f"{failed} of {len(futures)} jobs failed: {type(error).__name__}: {error}")
    try:
        results.get(timeout=STEP)
    except queue.Empty:
        say("nothing reached the queue: the guide's queue.get() would wait forever")

    # A Manager's queue is a proxy to a queue in the manager's process, and
    # proxies can be pickled: it may travel as an argument.
    with Manager() as manager:
        results = manager.Queue()
        with ProcessPoolExecutor(max_workers=WORKERS) as pool:
            for future in [pool.submit(put_page, page, results) for page in FETCHED]:
                future.result()
        counts = Counter(results.get() for _ in FETCHED)
    say(f"through a Manager().Queue(): {show(counts)}")


if __name__ == "__main__":
    say(f"-- {WORKERS} threads counting into one shared map --")
    on_threads = count_on_threads()
    say(f"counts: {show(on_threads)}")

    say(f"-- {WORKERS} processes counting separately, merged by the parent --")
    in_processes = count_in_processes()
    say(f"counts: {show(in_processes)}")

    assert on_threads == in_processes, "threads and processes counted differently"
    total = on_threads.total()
    assert total == len(FETCHED)
    say(f"both ways counted all {total} fetches alike")

    say("-- the guide's version: a multiprocessing.Queue passed to submit --")
    the_guides_queue()

"""The long guide's process version: a multiprocessing.Queue passed to submit.

The guide gives every job of a ProcessPoolExecutor the same
multiprocessing.Queue and lets the jobs put their pages on it. But submit
sends each job to one of the pool's worker processes through a pipe, by
pickling the function and its arguments, and a Queue refuses to be pickled:
it can reach a child process only as the child is created ("through
inheritance").

So every job fails. submit itself raises nothing: the error is kept in the
job's future, which the guide never looks at. Nothing reaches the queue, and
the guide's last line, one results.get() per job, would wait forever.

`fetch` stands in for the guide's requests.get: the failure needs no network.
"""

import queue
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Queue

PAGES = ["example.com", "python.org", "rust-lang.org"]


def fetch(page):
    """A stand-in for requests.get(page).text, without the network."""
    return f"<title>{page}</title>"


def fetch_onto(page, results):
    results.put((page, fetch(page)))


def fetch_and_return(page):
    return page, fetch(page)


if __name__ == "__main__":
    print("-- the guide's way: the queue is an argument of every job --")
    results = Queue()
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(fetch_onto, page, results) for page in PAGES]
    print(f"submit raised nothing for {len(futures)} jobs")
    for page, future in zip(PAGES, futures):
        error = future.exception()
        print(f"job for {page}: {type(error).__name__}: {error}")
    try:
        results.get(timeout=0.2)
    except queue.Empty:
        print("nothing reached the queue: one results.get() per job would wait forever")

    print("-- without the queue: each job returns its page --")
    with ProcessPoolExecutor(max_workers=2) as pool:
        for page, text in pool.map(fetch_and_return, PAGES):
            print(f"{page}: {text}")

"""The Q&A thread's do_work benchmark in Python: 50 pool workers, threads
(multiprocessing.pool.ThreadPool) or processes (multiprocessing.Pool), given
tiny jobs with apply_async; beside them the same jobs with no pool, and the
pools started and stopped with no jobs. What it times is starting 50 workers."""

import multiprocessing
import os
import tempfile
from multiprocessing.pool import ThreadPool

import benchkit


# ANCHOR: jobs
def square(item):
    return item * item


def fileio(directory, item, size):
    """Writes a small file, reads it back and removes it; returns how much came back."""
    path = os.path.join(directory, f"test-{item}")
    with open(path, "w") as file:
        file.write("x" * size)
    with open(path) as file:
        text = file.read()
    os.remove(path)
    return len(text)
# ANCHOR_END: jobs


# ANCHOR: do_work
def do_work(pool_class, workers, function, jobs):
    """Start a pool, submit every job, wait for every result, stop the pool."""
    pool = pool_class(processes=workers)
    pending = [pool.apply_async(function, job) for job in jobs]
    results = [result.get() for result in pending]
    pool.close()
    pool.join()  # the article left its pools running; here stopping them is timed too
    return results


def no_pool(function, jobs):
    return [function(*job) for job in jobs]
# ANCHOR_END: do_work


def time_cell(way, function, jobs, expected, runs):
    """The times of `runs` runs of one cell, in ms, checking every result."""
    times = []
    for _ in range(runs):
        results = []
        times.append(1000 * benchkit.seconds(lambda: results.extend(way(function, jobs))))
        assert results == expected, (function.__name__, results[:5], expected[:5])
    return times


def main():
    options = benchkit.parser(__doc__, worker_counts=False)
    options.add_argument("--workers", type=int, default=50, help="pool size")
    options.add_argument("--fileio-items", type=int, default=300,
                         help="do_work's items for fileio: jobs 1 to items - 1")
    options.add_argument("--square-items", type=int, default=2000,
                         help="do_work's items for square")
    options.add_argument("--file-bytes", type=int, default=4096,
                         help="bytes each fileio job writes and reads back")
    args = options.parse_args()

    def thread_pool(function, jobs):
        return do_work(ThreadPool, args.workers, function, jobs)

    def process_pool(function, jobs):
        return do_work(multiprocessing.Pool, args.workers, function, jobs)

    fileio_jobs, square_jobs = args.fileio_items - 1, args.square_items - 1
    rows = [f"fileio, {fileio_jobs:,} jobs", f"square, {square_jobs:,} jobs",
            "no jobs: start and stop the pool"]
    columns = {}
    with tempfile.TemporaryDirectory(prefix="bench_do_work_") as directory:
        workloads = [  # (function, jobs, the results they must give)
            (fileio, [(directory, item, args.file_bytes) for item in range(1, args.fileio_items)],
             [args.file_bytes] * fileio_jobs),
            (square, [(item,) for item in range(1, args.square_items)],
             [item * item for item in range(1, args.square_items)]),
            (square, [], []),
        ]
        for name, way in [("Python thread pool", thread_pool),
                          ("Python process pool", process_pool),
                          ("Python, no pool", no_pool)]:
            columns[name] = [
                # No pool and no jobs: nothing to time, the cell shows "-".
                [] if way is no_pool and not jobs
                else time_cell(way, function, jobs, expected, args.runs)
                for function, jobs, expected in workloads
            ]

    settings = [("Python process pool start method", multiprocessing.get_start_method())]
    result = benchkit.report("bench_do_work.py",
                             f"do_work: {args.workers} pool workers on tiny jobs",
                             "work", rows, "ms", columns, settings)
    benchkit.publish(result, args.json)


if __name__ == "__main__":
    main()

"""The CPU-bound benchmark in Python: sum the first n integers on 1 to 16
threads, then on 1 to 16 processes. Threads take turns holding the GIL, so
adding threads does not make the sum faster; processes each have their own."""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import benchkit


# ANCHOR: work
def sum_range(bounds):
    start, end = bounds
    total = 0
    for i in range(start, end):  # a loop, as in the article: sum(range()) runs in C
        total += i
    return total


def split(n, parts):
    return [(n * part // parts, n * (part + 1) // parts) for part in range(parts)]


CHUNKS_PER_WORKER = 16  # as in the Rust version: a slowed-down worker takes fewer


def run(executor_class, n, workers):
    with executor_class(max_workers=workers) as executor:
        total = sum(executor.map(sum_range, split(n, workers * CHUNKS_PER_WORKER)))
    assert total == n * (n - 1) // 2, total
# ANCHOR_END: work


def main():
    options = benchkit.parser(__doc__)
    options.add_argument("--n", type=int, default=10_000_000, help="how many integers")
    args = options.parse_args()
    columns = {}
    for name, executor_class in [("Python threads", ThreadPoolExecutor),
                                 ("Python processes", ProcessPoolExecutor)]:
        columns[name] = [
            [benchkit.seconds(lambda: run(executor_class, args.n, workers))
             for _ in range(args.runs)]
            for workers in args.workers
        ]
    result = benchkit.report("bench_cpu_bound.py", "Summing integers", "workers",
                             args.workers, "s", columns, [("Python n", f"{args.n:,}")])
    benchkit.publish(result, args.json)


if __name__ == "__main__":
    main()

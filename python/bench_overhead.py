"""The short post's exercise in Python: the same small jobs run inline, on a
new thread each, on a thread pool, on a forked process each, in a fresh run of
this program each, on a spawned process each, and on a process pool; the time
per job, in microseconds."""

import multiprocessing
import subprocess
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import benchkit


# ANCHOR: job
def calc(number):
    """One job: the post's calc_square and calc_quad of one number."""
    return number * number, number * number * number * number


def calc_into(answers, index, number):
    """For a thread: it shares our memory, so it can store its answer in our list."""
    answers[index] = calc(number)


def calc_and_send(connection, number):
    """For a child process: its memory is its own, so the answer goes through a pipe."""
    connection.send(calc(number))
    connection.close()
# ANCHOR_END: job


# ANCHOR: ways
def inline(numbers, workers):
    return [calc(number) for number in numbers]


def thread_per_job(numbers, workers):
    answers = [None] * len(numbers)
    for index, number in enumerate(numbers):
        thread = threading.Thread(target=calc_into, args=(answers, index, number))
        thread.start()
        thread.join()
    return answers


def thread_pool(numbers, workers):
    with ThreadPoolExecutor(max_workers=workers) as executor:
        return list(executor.map(calc, numbers))


def process_per_job(numbers, start_method):
    context = multiprocessing.get_context(start_method)
    answers = []
    for number in numbers:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=calc_and_send, args=(sender, number))
        child.start()
        sender.close()  # the child has its own copy; ours would keep the pipe open
        answers.append(receiver.recv())
        child.join()
    return answers


def forked_process_per_job(numbers, workers):
    return process_per_job(numbers, "fork")


def spawned_process_per_job(numbers, workers):
    return process_per_job(numbers, "spawn")


def exec_per_job(numbers, workers):
    """This program run again for each job, the number as its argument, the
    answer read from what it prints: a new interpreter, as spawn starts, but
    with no pipe to pickle through."""
    answers = []
    for number in numbers:
        command = [sys.executable, __file__, "--calc", str(number)]
        printed = subprocess.run(command, capture_output=True, text=True, check=True)
        square, quad = printed.stdout.split()
        answers.append((int(square), int(quad)))
    return answers


def process_pool(numbers, workers):
    with ProcessPoolExecutor(max_workers=workers) as executor:
        return list(executor.map(calc, numbers))
# ANCHOR_END: ways


WAYS = [  # the rows, named as the Rust benchmark names them
    ("inline", inline),
    ("thread per job", thread_per_job),
    ("thread pool", thread_pool),
    ("fork per job", forked_process_per_job),
    ("exec per job", exec_per_job),
    ("spawn per job", spawned_process_per_job),
    ("process pool", process_pool),
]


def main():
    if sys.argv[1:2] == ["--calc"]:  # run again by exec_per_job: one job, then exit
        print(*calc(int(sys.argv[2])))
        return
    options = benchkit.parser(__doc__, worker_counts=False)
    options.add_argument("--jobs", type=int, default=50, help="jobs per way")
    options.add_argument("--workers", type=int, default=4, help="pool size")
    args = options.parse_args()
    numbers = list(range(1, args.jobs + 1))
    expected = inline(numbers, args.workers)
    runs = []
    for name, way in WAYS:
        times = []
        for _ in range(args.runs):
            answers = []
            seconds = benchkit.seconds(lambda: answers.extend(way(numbers, args.workers)))
            assert answers == expected, name
            times.append(seconds * 1e6 / args.jobs)
        runs.append(times)
    settings = [("Python process pool start method", multiprocessing.get_start_method())]
    result = benchkit.report("bench_overhead.py", "The cost of one job", "way",
                             [name for name, _ in WAYS], "µs per job",
                             {"Python": runs}, settings)
    benchkit.publish(result, args.json)


if __name__ == "__main__":
    main()

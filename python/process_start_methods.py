"""The Python side of process-start-methods: fork, forkserver and spawn.

Part 1 changes a global at run time, then starts a child with each start
method. A "fork" child is a copy of the parent, change included. A "spawn"
child is a fresh interpreter that imports this module again, so it sees the
value written below; a "forkserver" child is forked from a server that was
started the same fresh way, so it sees that value too.

Part 2 times starting and joining a thread and a process of each kind, and
says which machine the figures come from. Run with --runs N to time N of each.
"""

import multiprocessing
import os
import statistics
import sys
import threading
import time

from steps import say

SETTING = "as written in the source"


def report(method):
    say(f'{method} child sees SETTING = "{SETTING}"')


def nothing():
    pass


def start_and_join(start_method):
    process = multiprocessing.get_context(start_method).Process(target=nothing)
    process.start()
    process.join()


def start_and_join_thread():
    thread = threading.Thread(target=nothing)
    thread.start()
    thread.join()


def median_seconds(runs, start_and_wait):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        start_and_wait()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def machine():
    cpus = len(os.sched_getaffinity(0))
    model = "a CPU that /proc/cpuinfo does not name"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{cpus} CPUs available, {model}"


def runs_from_args():
    args = sys.argv[1:]
    if not args:
        return 20
    if len(args) == 2 and args[0] == "--runs" and args[1].isdigit() and int(args[1]) > 0:
        return int(args[1])
    sys.stderr.write(f"process_start_methods.py: bad arguments {args}\n")
    sys.stderr.write("usage: process_start_methods.py [--runs N] (N: how many times, at least 1)\n")
    sys.exit(2)


def main():
    global SETTING
    runs = runs_from_args()

    say("Part 1: what a child inherits")
    SETTING = "changed at run time"
    say(f'parent sets SETTING = "{SETTING}"')
    for start_method in ["fork", "forkserver", "spawn"]:
        context = multiprocessing.get_context(start_method)
        child = context.Process(target=report, args=(start_method,))
        child.start()
        child.join()

    # Forks first, as in the Rust version: forking a process that runs threads is unsafe.
    costs = {}
    for start_method in ["fork", "forkserver", "spawn"]:
        costs[start_method] = median_seconds(runs, lambda: start_and_join(start_method))
    costs["thread"] = median_seconds(runs, start_and_join_thread)

    say(f"Part 2: what each costs to start and wait for (median of {runs} runs)")
    say(f"measured on: {machine()}")
    for kind in ["thread", "fork", "forkserver", "spawn"]:
        label = f"{kind}: {'Thread' if kind == 'thread' else 'Process'} start + join"
        ratio = costs[kind] / costs["thread"]
        say(f"{label:<34}{costs[kind] * 1e6:>8.0f} µs {ratio:>7.1f}x")


if __name__ == "__main__":
    main()

"""The Python side of sync-message-passing: parse, work and collect stages joined by queues.

First the work stage is a thread and the queues are queue.Queue; then it is a
multiprocessing.Process and the queues are multiprocessing.Queue. A Python
queue cannot be closed in a way that ends the loop of the stage reading it,
so each stage puts a sentinel, None, when it is done, and the next stage
stops when it takes it off.
"""

import multiprocessing
import os
import queue
import threading
import time

from steps import STEP, say

LINES = ["3", "x", "10", "-4", "7.5", "12"]
DONE = None  # the sentinel: "no more items after this one"


def parse(output):
    for line, text in enumerate(LINES, 1):
        try:
            number, error = int(text), None
            say(f"parse: line {line} is {number}")
        except ValueError:
            number, error = None, f'"{text}" is not a number'
            say(f"parse: line {line}: {error}")
        output.put((line, number, error))
    say("parse: end of input, closing my output")
    output.put(DONE)


def work(input, output):
    for line, number, error in iter(input.get, DONE):
        if error is None:
            time.sleep(STEP)
            say(f"work: line {line}: {number} squared is {number * number}")
            number = number * number
        else:
            say(f"work: line {line}: passing the error along")
        output.put((line, number, error))
    say("work: input closed, closing my output")
    output.put(DONE)


def work_in_this_process(input, output):
    say(f"work: running in pid {os.getpid()}")
    work(input, output)


def collect(input):
    items = []
    for line, square, error in iter(input.get, DONE):
        say(f"collect: line {line} gives {square if error is None else 'an error'}")
        items.append((line, square, error))
    say(f"collect: input closed after {len(items)} items")
    return items


def report(part, items):
    squares = [square for _, square, error in items if error is None]
    say(f"{part}: squares {squares} and {len(items) - len(squares)} errors, in input order")
    return items


def on_threads():
    to_work, to_collect = queue.Queue(maxsize=2), queue.Queue(maxsize=2)
    parser = threading.Thread(target=parse, args=(to_work,))
    worker = threading.Thread(target=work, args=(to_work, to_collect))
    parser.start()
    worker.start()
    items = collect(to_collect)  # collect runs on the main thread
    parser.join()
    worker.join()
    return items


def in_processes():
    to_work = multiprocessing.Queue(maxsize=2)
    to_collect = multiprocessing.Queue(maxsize=2)
    # Start the process before the parse thread: forking a process that runs
    # threads copies only the thread that forks.
    worker = multiprocessing.Process(
        target=work_in_this_process, args=(to_work, to_collect)
    )
    worker.start()
    parser = threading.Thread(target=parse, args=(to_work,))
    parser.start()
    items = collect(to_collect)  # if the worker died, this would wait forever
    parser.join()
    worker.join()
    if worker.exitcode != 0:
        raise SystemExit(f"the work process ended with exit code {worker.exitcode}")
    return items


if __name__ == "__main__":
    say("-- threads, connected by queue.Queue --")
    threads = report("threads", on_threads())
    say("-- the work stage in a worker process, connected by multiprocessing.Queue --")
    processes = report("processes", in_processes())
    assert threads == processes, "the two pipelines disagree"
    say("both pipelines gave the same results")

"""The Python side of bench-cpu-turns: who computes when, on two threads.

One thread adds up chunks of integers, then two threads do at once. Each
chunk's start and end is a line; the book draws the lines' times. Two
threads take twice as long as one for twice the work: they take turns on
the GIL, every few milliseconds (sys.getswitchinterval()), so each chunk is
stretched over the other thread's turns too.
"""

import argparse
import threading

from steps import say


def sum_range(start, stop):
    total = 0
    for i in range(start, stop):
        total += i
    return total


def add_up(who, chunk, chunks):
    for number in range(chunks):
        say(f"{who} starts chunk {number}")
        sum_range(number * chunk, (number + 1) * chunk)
        say(f"{who} ends chunk {number}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunk", type=int, default=2_000_000, help="integers in a chunk")
    parser.add_argument("--chunks", type=int, default=4, help="chunks each thread adds up")
    args = parser.parse_args()
    say("one thread:")
    add_up("thread 1", args.chunk, args.chunks)
    say("two threads:")
    threads = [
        threading.Thread(target=add_up, args=(who, args.chunk, args.chunks))
        for who in ("thread 1", "thread 2")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()

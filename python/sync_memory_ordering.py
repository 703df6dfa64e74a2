"""The Python side of sync-memory-ordering: a value published through a flag.

A writer thread fills many mailboxes, the data first, then the flag; the
reader follows close behind, waits for each flag and reads the data at once.
Python offers no choice of memory ordering: with the GIL, one thread runs
Python code at a time, and handing the GIL over synchronizes the two threads
completely, so the reader sees the writer's stores in the order they were
made. Run with --rounds N for another number of mailboxes.
"""

import sys
import threading

from steps import say

VALUE = 42


def rounds_from_arguments():
    arguments = sys.argv[1:]
    if not arguments:
        return 100_000
    if len(arguments) == 2 and arguments[0] == "--rounds" and arguments[1].isdigit():
        return int(arguments[1])
    sys.exit("usage: sync_memory_ordering.py [--rounds N]")


def stale_reads(rounds):
    data = [0] * rounds
    ready = [False] * rounds

    def publish():
        for i in range(rounds):
            data[i] = VALUE
            ready[i] = True

    writer = threading.Thread(target=publish)
    writer.start()
    stale = 0
    for i in range(rounds):
        while not ready[i]:
            pass  # the flag is still down: ask again
        if data[i] != VALUE:
            stale += 1
    writer.join()
    return stale


def main():
    rounds = rounds_from_arguments()
    say(f"{rounds} values published through a flag, by Python threads:")
    say(f"{stale_reads(rounds)} reads saw the flag but not the data")
    say("CPython has no Relaxed to choose: with the GIL, whoever sees the flag sees the data.")


if __name__ == "__main__":
    main()

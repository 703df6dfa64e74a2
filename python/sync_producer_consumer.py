"""The Python side of sync-producer-consumer: the Q&A's two-semaphore buffer.

fill_count counts the items in the buffer, empty_count its free places, and a
lock guards the deque itself. Two producers make 5 items each, one a step; two
consumers use each item for two steps. A put or take line is printed while the
lock is held, so the count in it is exact.

Run with --queue for queue.Queue(maxsize=3), which keeps the same counts inside
it: the counterpart of the Rust version's bounded channel.
"""

import queue
import sys
import threading
import time
from collections import deque

from steps import STEP, say

CAPACITY = 3
PRODUCERS = 2
ITEMS_EACH = 5
CONSUMERS = 2
STOP = None  # the stop signal: one per consumer, put in after the last item


class BoundedBuffer:
    def __init__(self, capacity):
        self.items = deque()
        self.lock = threading.Lock()
        self.fill_count = threading.Semaphore(0)  # items ready to take
        self.empty_count = threading.Semaphore(capacity)  # free places

    def push(self, item, report):
        self.empty_count.acquire()
        with self.lock:
            self.items.append(item)
            report(len(self.items))
        self.fill_count.release()

    def pop(self, report):
        self.fill_count.acquire()
        with self.lock:
            item = self.items.popleft()
            report(item, len(self.items))
        self.empty_count.release()
        return item


def with_semaphores(taken):
    buffer = BoundedBuffer(CAPACITY)

    def produce(producer):
        for number in range(1, ITEMS_EACH + 1):
            time.sleep(STEP)  # making the item
            item = f"{producer}-{number}"
            buffer.push(item, lambda n: say(
                f"producer {producer} put item {item} (buffer: {n} of {CAPACITY})"))

    def consume(consumer):
        def report(item, n):
            what = "stop" if item is STOP else f"item {item}"
            say(f"consumer {consumer} took {what} (buffer: {n} of {CAPACITY})")

        while (item := buffer.pop(report)) is not STOP:
            taken.append(item)
            time.sleep(2 * STEP)  # using the item

    consumers = start(consume, CONSUMERS)
    for producer in start(produce, PRODUCERS):
        producer.join()
    for _ in range(CONSUMERS):
        buffer.push(STOP, lambda n: say(f"main put stop (buffer: {n} of {CAPACITY})"))
    for consumer in consumers:
        consumer.join()


def with_queue(taken):
    items = queue.Queue(maxsize=CAPACITY)

    def produce(producer):
        for number in range(1, ITEMS_EACH + 1):
            time.sleep(STEP)  # making the item
            item = f"{producer}-{number}"
            items.put(item)  # waits while the queue is full
            say(f"producer {producer} put item {item}")

    def consume(consumer):
        while (item := items.get()) is not STOP:  # waits while it is empty
            say(f"consumer {consumer} took item {item}")
            taken.append(item)
            time.sleep(2 * STEP)  # using the item

    consumers = start(consume, CONSUMERS)
    for producer in start(produce, PRODUCERS):
        producer.join()
    # Python 3.11's Queue cannot be closed (shutdown() came in 3.13): stop signals.
    for _ in range(CONSUMERS):
        items.put(STOP)
    for consumer in consumers:
        consumer.join()


def start(work, count):
    threads = [threading.Thread(target=work, args=(n,)) for n in range(1, count + 1)]
    for thread in threads:
        thread.start()
    return threads


def main():
    args = sys.argv[1:]
    if args not in ([], ["--queue"]):
        print(f"sync_producer_consumer.py: unexpected arguments {args}\n"
              "usage: sync_producer_consumer.py [--queue]", file=sys.stderr)
        sys.exit(2)
    kind, run = ("queue", with_queue) if args else ("buffer", with_semaphores)
    say(f"{kind} of {CAPACITY}, {PRODUCERS} producers x {ITEMS_EACH} items, "
        f"{CONSUMERS} consumers")
    taken = []  # list.append is one step, safe from several threads
    run(taken)
    produced = [f"{p}-{n}" for p in range(1, PRODUCERS + 1) for n in range(1, ITEMS_EACH + 1)]
    assert sorted(taken) == produced, "the items consumed are not the items produced"
    say(f"{len(produced)} produced, {len(taken)} consumed, each exactly once")


if __name__ == "__main__":
    main()

"""The Python side of sync-deadlock: two locks taken in opposite orders.

Thread 1 takes A then B, thread 2 takes B then A, and a barrier makes each hold
its first lock before it reaches for the second: plain acquire() would wait
for ever. acquire(timeout=...) gives up instead, so each thread can say who it
waits for. They meet at the barrier again before letting go, so that neither
gets the other's lock by luck in between: both give up, every run. Then the
fix, one order for every thread.

Run with --relock for the other deadlock: a thread taking a lock it already
holds. A Lock waits for itself (here, until the timeout); an RLock counts.
"""

import sys
import threading

from steps import STEP, say

a = threading.Lock()
b = threading.Lock()
both_hold_one = threading.Barrier(2)


def take_both(who, first, second):
    first_name, first_lock = first
    second_name, second_lock = second
    with first_lock:
        say(f"{who} took {first_name}")
        both_hold_one.wait()
        if second_lock.acquire(timeout=STEP):  # the other thread holds it
            second_lock.release()
            say(f"{who} took both")
        else:
            say(f"{who} holds {first_name} and waits for {second_name}: gave up")
        both_hold_one.wait()  # both have decided: now let go


def opposite_orders():
    threads = [
        threading.Thread(target=take_both, args=("thread 1", ("A", a), ("B", b))),
        threading.Thread(target=take_both, args=("thread 2", ("B", b), ("A", a))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def one_order(who):
    with a, b:  # every thread takes A first, then B
        say(f"{who} took A and B")


def relock():
    lock = threading.Lock()
    with lock:
        again = lock.acquire(timeout=STEP)  # plain acquire() would never return
        say(f"Lock, acquired again by its holder: {again}")
    rlock = threading.RLock()
    with rlock:
        again = rlock.acquire()  # an RLock counts its holder's acquires
        say(f"RLock, acquired again by its holder: {again}")
        rlock.release()  # one release per acquire


def main():
    arguments = sys.argv[1:]
    if arguments == ["--relock"]:
        relock()
        return
    if arguments:
        sys.exit("usage: sync_deadlock.py [--relock]")
    say("Two threads, two locks, taken in opposite orders:")
    opposite_orders()
    say("Both gave up and let go, so the program goes on.")
    say("The fix, one order for every thread:")
    threads = [threading.Thread(target=one_order, args=(who,)) for who in ("thread 1", "thread 2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    say("both threads finished")


if __name__ == "__main__":
    main()

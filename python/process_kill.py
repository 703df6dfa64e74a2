"""The Python side of process-kill: terminate() sends SIGTERM, kill() sends SIGKILL.

A process killed by a signal gets minus that signal's number as its exitcode:
-15 for SIGTERM, -9 for SIGKILL. The stubborn worker ignores SIGTERM.
"""

import multiprocessing
import signal
import time

from steps import STEP, say

GRACE_STEPS = 3


def count(name, questions, stubborn):
    if stubborn:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    step = 0
    while True:
        step += 1
        asked = 0
        while questions.poll():  # questions that came before this step
            questions.recv()
            asked += 1
        say(f"{name}: step {step}")
        for _ in range(asked):
            questions.send(step)  # the answer: a step begun after the question
        time.sleep(STEP)


def start(name):
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.Process(target=count, args=(name, theirs, name == "stubborn"))
    process.start()
    theirs.close()  # so that recv() raises EOFError if the worker dies
    return process, ours


def next_step(conn):
    conn.send(None)
    return conn.recv()


def ended(process):
    code = process.exitcode
    if code < 0:
        return f"was killed by {signal.Signals(-code).name} (exitcode {code})"
    return f"exited with code {code}"


def run(polite, polite_conn, stubborn, stubborn_conn):
    say(f"main: polite worker is pid {polite.pid}, stubborn worker is pid {stubborn.pid}")
    next_step(polite_conn)
    next_step(stubborn_conn)
    say("main: both workers are working")

    say(f"main: sending SIGTERM to the polite worker (pid {polite.pid})")
    polite.terminate()
    polite.join()
    say(f"main: the polite worker {ended(polite)}")

    say(f"main: sending SIGTERM to the stubborn worker (pid {stubborn.pid})")
    stubborn.terminate()
    for _ in range(GRACE_STEPS):
        step = next_step(stubborn_conn)
        say(f"main: the stubborn worker is still working, at step {step}")
    say(f"main: sending SIGKILL to the stubborn worker (pid {stubborn.pid})")
    stubborn.kill()
    stubborn.join()
    say(f"main: the stubborn worker {ended(stubborn)}")
    assert stubborn.exitcode == -signal.SIGKILL


if __name__ == "__main__":
    polite, polite_conn = start("polite")
    stubborn, stubborn_conn = start("stubborn")
    try:
        run(polite, polite_conn, stubborn, stubborn_conn)
    finally:
        # On an error, terminate() would not stop the stubborn worker; kill() does.
        # On a process already joined, kill() does nothing.
        for process in (polite, stubborn):
            process.kill()
            process.join()

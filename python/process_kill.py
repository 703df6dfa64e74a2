"""The Python side of process-kill: terminate() sends SIGTERM, kill() sends SIGKILL.

A process killed by a signal gets minus that signal's number as its exitcode:
-15 for SIGTERM, -9 for SIGKILL. The stubborn worker ignores SIGTERM.
"""

import itertools
import multiprocessing
import signal
import time

from steps import STEP, say


def count(name, questions, stubborn):
    if stubborn:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for step in itertools.count(1):
        say(f"{name}: step {step}")
        # Wait out the step, answering any question at once: an answer shows
        # that the worker is still alive.
        if questions.poll(STEP):
            questions.recv()
            questions.send(None)


def start(name):
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.Process(target=count, args=(name, theirs, name == "stubborn"))
    process.start()
    theirs.close()  # so that recv() raises EOFError if the worker dies
    return process, ours


def ask(conn):
    conn.send(None)
    return conn.recv()


def ended(process):
    code = process.exitcode
    if code < 0:
        return f"was killed by {signal.Signals(-code).name} (exitcode {code})"
    return f"exited with code {code}"


def run(polite, polite_conn, stubborn, stubborn_conn):
    say(f"main: polite worker is pid {polite.pid}, stubborn worker is pid {stubborn.pid}")
    # An answer means the worker runs count(): the stubborn one ignores SIGTERM by now.
    ask(polite_conn)
    ask(stubborn_conn)
    time.sleep(2 * STEP)  # a little counting to watch

    say(f"main: sending SIGTERM to the polite worker (pid {polite.pid})")
    polite.terminate()
    polite.join()
    say(f"main: the polite worker {ended(polite)}")

    say(f"main: sending SIGTERM to the stubborn worker (pid {stubborn.pid})")
    stubborn.terminate()
    ask(stubborn_conn)  # answered after the signal: SIGTERM did not end this one
    say("main: the stubborn worker still answers")
    time.sleep(2 * STEP)
    say(f"main: sending SIGKILL to the stubborn worker (pid {stubborn.pid})")
    stubborn.kill()
    stubborn.join()
    say(f"main: the stubborn worker {ended(stubborn)}")


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

"""What concurrent.futures does in each case the process toolkit's chapter compares.

Prints one line per case and pool, `case | pool | outcome`, as the toolkit's
`toolkit-cases` program does for its ThreadPool and ProcessPool. Process pools
use the "spawn" start method, which starts a fresh interpreter as the toolkit
starts a fresh copy of the program. A job that must still be running when the
script looks is held by an event that the script sets itself.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from multiprocessing import get_context

SPAWN = get_context("spawn")
FORGETFUL = "TOOLKIT_CASES_FORGET_GUARD"


def square(n):
    return n * n


def fails_on_two(n):
    if n == 2:
        raise ValueError(f"job {n} fails")
    return n * n


def kill_own_process(n):
    os.kill(os.getpid(), signal.SIGKILL)


def gated(started, release):
    started.set()
    release.wait()
    return 42


def _refuse():
    raise ValueError("this object cannot be rebuilt")


class Unpicklable:
    """Pickles into a call that fails when the other side unpickles it."""

    def __reduce__(self):
        return _refuse, ()


def returns_a_lock(n):
    return threading.Lock()


def returns_unpicklable(n):
    return Unpicklable()


def size_of(job):
    return 4


if os.environ.get(FORGETFUL):
    # A script without `if __name__ == "__main__":`: every spawned worker
    # imports it, and so runs this again.
    with ProcessPoolExecutor(1, mp_context=SPAWN) as forgetful:
        forgetful.submit(square, 3).result()
    sys.exit(0)


def show(call):
    try:
        return f"returns {call()!r}"
    except Exception as err:  # the case is what each exception is
        text = f"raises {type(err).__name__}"
        return f"{text}: {err}" if str(err) else text


def kind_only(call):
    """For exceptions whose message depends on which thread noticed first."""
    return show(call).split(":")[0]


def out(case, pool, outcome):
    print(f"{case} | {pool} | {outcome}", flush=True)


def threads(size=2):
    return ThreadPoolExecutor(size)


def processes(size=2):
    return ProcessPoolExecutor(size, mp_context=SPAWN)


def common_cases(kind, make):
    with make() as pool:
        future = pool.submit(fails_on_two, 2)
        outcome = show(future.result)
        try:
            future.result()
        except ValueError as err:
            traceback = "; the worker's traceback is its __cause__"
            outcome += traceback if err.__cause__ is not None else ""
        out("a job panics (raises)", kind, outcome)

        futures = [pool.submit(fails_on_two, n) for n in range(5)]
        completed = list(as_completed(futures))
        failed = sum(1 for future in completed if future.exception() is not None)
        out("as_completed, one job failing", kind, f"{len(completed)} results for 5 jobs, {failed} of them an error")

        results = []

        def consume():
            for result in pool.map(fails_on_two, range(5)):
                results.append(result)

        raised = show(consume)
        out("map, one job failing", kind, f"map yields {results}, then {raised}")

    out("a pool of 0 workers", kind, show(lambda: make(0)))


def gate(manager):
    return (manager.Event(), manager.Event()) if manager else (threading.Event(), threading.Event())


def hold(pool, manager, handed_on):
    """A gated job, running; `handed_on` jobs that the pool has already passed
    to its workers' queue (a process pool passes max_workers + 1 ahead); and
    one job still waiting in the pool's own queue."""
    started, release = gate(manager)
    running = pool.submit(gated, started, release)
    started.wait()
    handed = [pool.submit(square, 3) for _ in range(handed_on)]
    while not all(future.running() for future in handed):
        time.sleep(0.001)
    return running, handed, pool.submit(square, 3), release


def gated_cases(kind, make, manager=None, handed_on=0):
    pool = make(1)
    started, release = gate(manager)
    running = pool.submit(gated, started, release)
    started.wait()
    timed_out = show(lambda: running.result(timeout=0.01))
    done_before = running.done()
    release.set()
    out("waiting with a timeout", kind, f"result(timeout=0.01): {timed_out}; done() {done_before}; "
        f"set: result() {running.result()}, done() {running.done()}")

    running, handed, queued, release = hold(pool, manager, handed_on)
    passed = f"{handed_on} already passed on: cancel() {[f.cancel() for f in handed]}; " if handed else ""
    outcome = f"running: cancel() {running.cancel()}; {passed}queued: cancel() {queued.cancel()}, "
    outcome += f"result() {show(queued.result)}; "
    release.set()
    out("cancelling", kind, f"{outcome}set, running: {show(running.result)}")

    running, handed, queued, release = hold(pool, manager, handed_on)
    pool.shutdown(wait=False, cancel_futures=True)
    outcome = f"queued: {show(queued.result)}; "
    release.set()
    passed = f"{handed_on} already passed on: {[show(f.result) for f in handed]}; " if handed else ""
    out("stopping without waiting", kind, f"{outcome}{passed}running: {show(running.result)}")
    pool.shutdown()


def is_gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def process_cases():
    kind = "processes"
    with processes(1) as pool:
        killed = kind_only(pool.submit(kill_own_process, 1).result)
        out("a worker killed mid-job", kind, f"{killed}; next submit: {kind_only(lambda: pool.submit(square, 3))}")

    with processes(1) as pool:
        pid = pool.submit(os.getpid).result()
        os.kill(pid, signal.SIGKILL)
        while not is_gone(pid):
            time.sleep(0.001)
        out("a worker that dies while idle", kind, f"next job: {kind_only(lambda: pool.submit(square, 3).result())}")

    with processes(1) as pool:
        refused = show(pool.submit(size_of, threading.Lock()).result)
        out("a job that cannot be serialized", kind, f"{refused}; next: {show(pool.submit(square, 2).result)}")

    with processes(1) as pool:
        refused = kind_only(pool.submit(size_of, Unpicklable()).result)
        out("a job that cannot be deserialized", kind, f"{refused}; next: {kind_only(lambda: pool.submit(square, 2))}")

    with processes(1) as pool:
        refused = show(pool.submit(returns_a_lock, 0).result)
        out("a reply that cannot be serialized", kind, f"{refused}; next: {show(pool.submit(square, 2).result)}")

    with processes(1) as pool:
        refused = kind_only(pool.submit(returns_unpicklable, 0).result)
        out("a reply that cannot be deserialized", kind, f"{refused}; next: {kind_only(lambda: pool.submit(square, 2))}")

    double = lambda n: n * 2  # noqa: E731, F841: two functions with one name, "<lambda>"
    triple = lambda n: n * 3  # noqa: E731
    with processes(1) as pool:
        out("two closures in one function", kind, f"a pool of the second: {show(lambda: list(pool.map(triple, [1, 2, 3])))}")

    factor = 3

    def times(n):
        return n * factor

    with processes(1) as pool:
        out("a closure that captures state", kind, show(lambda: list(pool.map(times, [1, 2, 3]))))

    forgetful = subprocess.run(
        [sys.executable, __file__],
        env={**os.environ, FORGETFUL: "1"},
        capture_output=True,
        text=True,
    )
    lines = [line.strip() for line in forgetful.stderr.splitlines() if line.strip()]
    # The worker's traceback ends "RuntimeError:" and a message over several lines.
    at = next(i for i, line in enumerate(lines) if line.startswith("RuntimeError"))
    message = " ".join(lines[at + 1:at + 3])
    script = lines[-1].split(":")[0].rsplit(".", 1)[-1]
    out("main without the guard", kind, f"exit status: {forgetful.returncode}; the worker: "
        f"raises RuntimeError: {message}; then the script: raises {script}")


def thread_only_cases():
    kind = "threads"
    double = lambda n: n * 2  # noqa: E731, F841
    triple = lambda n: n * 3  # noqa: E731
    with threads(1) as pool:
        out("two closures in one function", kind, f"a pool of the second: {show(lambda: list(pool.map(triple, [1, 2, 3])))}")
        factor = 3

        def times(n):
            return n * factor

        out("a closure that captures state", kind, show(lambda: list(pool.map(times, [1, 2, 3]))))
        out("a job that cannot be serialized", kind, show(pool.submit(size_of, threading.Lock()).result))
        out("a reply that cannot be deserialized", kind, show(lambda: type(pool.submit(returns_unpicklable, 0).result()).__name__))


if __name__ == "__main__":
    common_cases("threads", threads)
    common_cases("processes", processes)
    gated_cases("threads", threads)
    with SPAWN.Manager() as manager:
        gated_cases("processes", processes, manager, handed_on=2)
    thread_only_cases()
    process_cases()

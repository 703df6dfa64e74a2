"""Memory per idle worker in Python: threads, processes started with each of
multiprocessing's start methods (fork, spawn, forkserver), and asyncio tasks.
The figure is the PSS that each worker adds to this program and all its
processes, in KiB, measured while the workers wait, blocked."""

# A spawned child imports this module again, and a forkserver imports it
# once: what is imported here at the top is paid by each of them. So only
# what a worker needs is; the rest is imported where it is used.
import multiprocessing
import multiprocessing.connection
import os
import threading

MOST_THREADS_OR_PROCESSES = 1000  # as in the Rust benchmark


# ANCHOR: footprint
def footprint():
    """PSS and RSS in KiB, summed over this process and every process below
    it (a forkserver's workers are its children, not ours)."""
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as file:
                    parent = int(file.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue  # it ended as we looked
            children.setdefault(parent, []).append(int(name))
    tree, pss, rss = [os.getpid()], 0, 0
    for pid in tree:
        tree.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as file:
                fields = dict(line.split()[:2] for line in file if line.endswith("kB\n"))
        except OSError:
            continue
        pss += int(fields.get("Pss:", 0))
        rss += int(fields.get("Rss:", 0))
    return pss, rss
# ANCHOR_END: footprint


def stack_reserved(native_id):
    """The size in KiB of the mapping that holds the stack pointer of this
    process's thread native_id, asleep in a system call."""
    with open(f"/proc/self/task/{native_id}/syscall") as file:
        pointer = int(file.read().split()[7], 16)
    with open("/proc/self/maps") as file:
        for line in file:
            start, end = (int(value, 16) for value in line.split()[0].split("-"))
            if start <= pointer < end:
                return (end - start) / 1024
    raise RuntimeError(f"no mapping holds the stack of thread {native_id}")


# ANCHOR: threads
def threads(count):
    ready, release = threading.Semaphore(0), threading.Event()

    def idle():
        ready.release()
        release.wait()  # blocked here, idle

    before = footprint()
    workers = [threading.Thread(target=idle) for _ in range(count)]
    try:
        for worker in workers:
            worker.start()
        for _ in workers:
            if not ready.acquire(timeout=60):
                raise RuntimeError("a thread never became ready")
        wait_until_asleep([f"/proc/self/task/{w.native_id}/stat" for w in workers])
        after = footprint()
        return after, before, {"stack": stack_reserved(workers[0].native_id)}
    finally:
        release.set()
        for worker in workers:
            if worker.ident is not None:
                worker.join()
# ANCHOR_END: threads


# ANCHOR: processes
def idle_process(ready):
    """A worker process: says it is ready, then waits until its parent ends
    it, or dies (the parent's sentinel then becomes readable)."""
    ready.send_bytes(b"ready")
    ready.close()
    multiprocessing.connection.wait([multiprocessing.parent_process().sentinel])


def processes(count, method):
    context = multiprocessing.get_context(method)
    # The helper processes that spawn and forkserver need (a resource tracker,
    # the forkserver) are started once per program: a first process, ended
    # at once, starts them, so that they are in the baseline, not in a worker.
    start = footprint()
    first = context.Process(target=int)
    first.start()
    first.join()
    before = footprint()
    workers, readers = [], []
    try:
        for _ in range(count):
            reader, writer = context.Pipe(duplex=False)
            worker = context.Process(target=idle_process, args=(writer,), daemon=True)
            worker.start()
            writer.close()  # the child has its own; with ours, EOF never comes
            workers.append(worker)
            readers.append(reader)
        for reader in readers:
            if not reader.poll(60) or reader.recv_bytes() != b"ready":
                raise RuntimeError("a worker process never became ready")
        wait_until_asleep([f"/proc/{worker.pid}/stat" for worker in workers])
        after = footprint()
        return after, before, {"helpers": (before[0] - start[0]) / 1024}
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join()
# ANCHOR_END: processes


# ANCHOR: tasks
def asyncio_tasks(count):
    import asyncio

    async def measure():
        release, ready = asyncio.Event(), 0

        async def idle():
            nonlocal ready
            ready += 1
            await release.wait()  # pending here, idle

        before = footprint()  # the event loop is there before the tasks
        tasks = [asyncio.create_task(idle()) for _ in range(count)]
        while ready < count:
            await asyncio.sleep(0)
        after = footprint()
        release.set()
        await asyncio.gather(*tasks)
        return after, before, {}

    return asyncio.run(measure())
# ANCHOR_END: tasks


def wait_until_asleep(stats):
    """Waits until every thread or process in stats is asleep (state S)."""
    import time
    deadline = time.monotonic() + 60
    for path in stats:
        while True:
            with open(path) as file:
                state = file.read().rsplit(")", 1)[1].split()[0]
            if state == "S":
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{path}: still in state {state} after 60 s")
            time.sleep(0.001)


WAYS = {  # the columns, and what each starts
    "Python threads": threads,
    "Python processes, fork": lambda count: processes(count, "fork"),
    "Python processes, spawn": lambda count: processes(count, "spawn"),
    "Python processes, forkserver": lambda count: processes(count, "forkserver"),
    "asyncio tasks": asyncio_tasks,
}
RSS_OF = "Python processes, fork"  # the one column shown in RSS too


def measure_cell(way, count):
    """Run by main in a fresh interpreter for each cell, so that no memory
    freed by the cells before it is there for the workers to reuse."""
    import json
    after, before, extra = WAYS[way](count)
    pss, rss = ((a - b) / count for a, b in zip(after, before))
    print(json.dumps({"pss": pss, "rss": rss, **extra}))


def main():
    import json
    import signal
    import statistics
    import subprocess
    import sys

    import benchkit
    if sys.argv[1:2] == ["--cell"]:
        # SIGTERM then ends the cell as an exception would: its workers are
        # ended, and multiprocessing removes its folder in /tmp on the way out.
        signal.signal(signal.SIGTERM, benchkit.end_on_sigterm)
        return measure_cell(sys.argv[2], int(sys.argv[3]))
    options = benchkit.parser(__doc__)
    options.set_defaults(workers=[1, 10, 100])
    args = options.parse_args()
    rows = args.workers
    names = list(WAYS)
    names.insert(names.index(RSS_OF) + 1, f"{RSS_OF}, RSS")
    runs = {name: [[] for _ in rows] for name in names}
    extras = {}
    for _ in range(args.runs):  # round after round, as the Rust benchmark does
        for row, count in enumerate(rows):
            for way in WAYS:
                if count > MOST_THREADS_OR_PROCESSES and way != "asyncio tasks":
                    continue
                command = [sys.executable, __file__, "--cell", way, str(count)]
                with subprocess.Popen(command, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) as done:
                    try:
                        stdout, stderr = done.communicate()
                    except BaseException:  # SIGTERM, Ctrl-C: end the cell, not kill it
                        done.terminate()
                        done.wait()
                        raise
                if done.returncode != 0:
                    sys.exit(f"{way}, {count} workers: {stderr}")
                cell = json.loads(stdout)
                runs[way][row].append(cell.pop("pss"))
                rss = cell.pop("rss")
                if way == RSS_OF:
                    runs[f"{RSS_OF}, RSS"][row].append(rss)
                for name, value in cell.items():
                    extras.setdefault((way, name), []).append(value)
    stack = statistics.median(extras[("Python threads", "stack")])
    settings = [("stack reserved per Python thread", f"{stack / 1024:.2f} MiB")]
    for method in ("spawn", "forkserver"):
        helpers = statistics.median(extras[(f"Python processes, {method}", "helpers")])
        settings.append((f"Python's helper processes for {method}, once",
                         f"{helpers:.1f} MiB"))
    result = benchkit.report("bench_memory.py", "Memory per idle worker (PSS)",
                             "workers", [f"{count:,}" for count in rows], "KiB",
                             runs, settings)
    for column in result["columns"]:
        if column["name"] == f"{RSS_OF}, RSS":
            column["unit"] = "KiB"  # in the table only: the chart shows PSS
    benchkit.publish(result, args.json)


if __name__ == "__main__":
    main()

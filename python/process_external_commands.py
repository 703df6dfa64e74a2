"""The Python side of process-external-commands: a thread pool running subprocesses.

ThreadPoolExecutor(max_workers=N) runs at most N jobs at once; map() gives the
results back in input order. Each job waits for its program with subprocess.run,
which releases the GIL while it waits, so threads are enough here.
"""

import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from steps import say

USAGE = "usage: process_external_commands.py [--max N]   (N >= 1, default 3)"

COMMANDS = [
    ["echo", "hello"],
    ["sh", "-c", "sleep 0.5; echo slow"],
    ["sleep", "0.3"],
    ["sh", "-c", "echo disk full >&2; exit 3"],
    ["no-such-command"],
    ["sh", "-c", "sleep 0.2; echo medium"],
    ["sh", "-c", "kill -TERM $$"],
    ["sh", "-c", "echo first; echo second"],
    ["sh", "-c", "sleep 0.4; echo done"],
]

lock = threading.Lock()
running = 0
peak = 0


def run(command):
    global running, peak
    with lock:
        running += 1
        peak = max(peak, running)
    try:
        return subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError as err:  # the program does not exist
        return err
    finally:
        with lock:
            running -= 1


def report(result):
    if isinstance(result, OSError):
        return f"could not start it: {result}"
    code = result.returncode
    if code < 0:
        text = f"was killed by {signal.Signals(-code).name}"
    else:
        text = f"exited with code {code}"
    for stream, printed in (("stdout", result.stdout), ("stderr", result.stderr)):
        if printed:
            text += f", {stream}: {printed.splitlines()[0]}"
    return text


def parse_max(args):
    if not args:
        return 3
    if len(args) == 2 and args[0] == "--max" and args[1].isdigit() and int(args[1]) >= 1:
        return int(args[1])
    print(f"process_external_commands.py: bad arguments {args}\n{USAGE}", file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    max_workers = parse_max(sys.argv[1:])
    say(f"running {len(COMMANDS)} commands, at most {max_workers} at a time")
    succeeded = 0
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        for number, (command, result) in enumerate(zip(COMMANDS, pool.map(run, COMMANDS)), 1):
            say(f"{number}. {command}: {report(result)}")
            if isinstance(result, subprocess.CompletedProcess) and result.returncode == 0:
                succeeded += 1
    say(f"{succeeded} of {len(COMMANDS)} commands succeeded")
    say(f"peak: {peak} running at once, limit {max_workers}")
    assert peak <= max_workers

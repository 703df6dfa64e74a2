"""The Python side of process-external-commands: a thread pool running subprocesses.

ThreadPoolExecutor(max_workers=N) runs at most N jobs at once; map() gives the
results back in input order. Each job waits for its program with subprocess.run,
which releases the GIL while it waits, so threads are enough here; its timeout
kills a program that runs too long.
"""

import argparse
import signal
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

from steps import say

TIMEOUT = 2  # seconds a command may run before it is killed

COMMANDS = [
    ["echo", "hello"],
    ["sh", "-c", "sleep 0.5; echo slow"],
    ["sleep", "0.3"],
    ["sh", "-c", "echo disk full >&2; exit 3"],
    ["no-such-command"],
    ["sh", "-c", "sleep 0.2; echo medium"],
    ["sh", "-c", "kill -TERM $$"],
    ["sleep", "600"],
    ["sh", "-c", "echo first; echo second"],
    ["sh", "-c", "sleep 0.4; echo done"],
]

lock = threading.Lock()
running = 0
peak = 0


def run(command):
    """Runs one command: whether it succeeded, and a report in the Rust version's words."""
    global running, peak
    with lock:
        running += 1
        peak = max(peak, running)
    try:
        done = subprocess.run(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT
        )
    except FileNotFoundError as err:  # the program does not exist
        return False, f"could not start it: {err.strerror} (os error {err.errno})"
    except subprocess.TimeoutExpired:  # run() has killed it and waited for it
        return False, f"timed out after {TIMEOUT}s, killed"
    finally:
        with lock:
            running -= 1
    code = done.returncode
    if code < 0:
        text = f"signal: {-code} ({signal.Signals(-code).name})"
    else:
        text = f"exit status: {code}"
    if done.stdout:
        text += f", output: {done.stdout.splitlines()[0]}"
    return code == 0, text


def limit(text):
    value = int(text)
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{value} is not in 1..=100")
    return value


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Runs external programs, at most N at a time.")
    parser.add_argument("--max", type=limit, default=3, help="how many may run at once")
    max_workers = parser.parse_args().max
    say(f"running {len(COMMANDS)} commands, at most {max_workers} at a time")
    succeeded = 0
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        for number, (command, (success, text)) in enumerate(
            zip(COMMANDS, pool.map(run, COMMANDS)), 1
        ):
            say(f"{number}. {command}: {text}")
            succeeded += success
    say(f"{succeeded} of {len(COMMANDS)} commands succeeded")
    say(f"peak: {peak} running at once, limit {max_workers}")
    assert peak <= max_workers

"""What the Python benchmarks share: options, timing, and the JSON report
that the Rust benchmarks read with --with-python (benchmark-kit's format)."""

import argparse
import json
import os
import platform
import signal
import statistics
import sys
import time


def end_on_sigterm(signum, frame):
    """SIGTERM (sent by the Rust benchmark if it dies first) ends the program
    as an exception would: `with` blocks shut their pools down on the way out,
    and multiprocessing's exit handler ends its daemon processes, where the
    default action would leave the workers running."""
    sys.exit(128 + signum)


def parser(description, worker_counts=True):
    """The options every Python benchmark has; worker_counts=False leaves out
    --workers, for benchmarks whose rows are not worker counts. Also arranges
    for SIGTERM to end the program cleanly (end_on_sigterm)."""
    signal.signal(signal.SIGTERM, end_on_sigterm)
    options = argparse.ArgumentParser(description=description)
    if worker_counts:
        options.add_argument("--workers", default="1,2,4,8,16",
                             type=lambda text: [int(w) for w in text.split(",")],
                             help="worker counts, comma-separated (the rows)")
    options.add_argument("--runs", type=int, default=3,
                         help="runs per cell; the table shows the median")
    options.add_argument("--json", help="write the raw figures to this file")
    return options


def seconds(work):
    """Runs work() once and returns how long it took, in seconds."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def report(benchmark, title, rows_label, rows, unit, columns, settings, skipped=None):
    """A report in benchmark-kit's JSON form; columns is {name: [[runs] per row]};
    skipped, if given, is {name: [[row, why], ...]}: the rows of a column left
    out on purpose."""
    skipped = skipped or {}
    return {
        "benchmark": benchmark,
        "title": title,
        "rows_label": rows_label,
        "rows": [str(row) for row in rows],
        "unit": unit,
        "speedup": False,
        "columns": [{"name": name, "runs": runs, "skipped": skipped.get(name, [])}
                    for name, runs in columns.items()],
        "ideal": None,
        "settings": [[name, str(value)] for name, value in settings],
        "machine": {
            "cores": len(os.sched_getaffinity(0)),
            "cpu": platform.processor() or platform.machine(),
            "build": "release",
            "python": f"Python {platform.python_version()}",
        },
    }


def publish(result, json_path):
    """Prints a plain table of medians, and writes the JSON if asked to. A cell
    with no runs (one that does not apply) shows as -."""
    print(" | ".join([result["rows_label"]] + [c["name"] for c in result["columns"]]))
    for index, row in enumerate(result["rows"]):
        medians = []
        for column in result["columns"]:
            runs = column["runs"][index]
            why = [why for row, why in column.get("skipped", []) if row == index]
            medians.append(f"{statistics.median(runs):.3g} {result['unit']}" if runs
                           else (why or ["-"])[0])
        print(" | ".join([row] + medians))
    if json_path:
        with open(json_path, "w") as file:
            json.dump(result, file, indent=2)
    sys.stdout.flush()

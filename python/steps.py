"""What every Python counterpart shares: the step length and whole-line printing.

STEP is STEP_MS milliseconds, or one second: the Rust examples read the same
variable, so a test runs both at the same pace.

say() writes a line in one call. print("foo", i) writes "foo", " ", i and the
newline separately, and another thread can print in between: a line like
"barfoo finish" is a real run of print() from two threads.
"""

import os
import sys


def _step_seconds() -> float:
    text = os.environ.get("STEP_MS")
    if text is None:
        return 1.0
    try:
        return int(text) / 1000
    except ValueError:
        sys.exit(f"STEP_MS must be a whole number of milliseconds, not {text!r}")


STEP = _step_seconds()


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()

"""The Python side of process-start-methods: fork, forkserver and spawn.

The parent changes a global at run time, then starts a child with each start
method. A "fork" child is a copy of the parent, change included. A "spawn"
child is a fresh interpreter that imports this module again, so it sees the
value written below; a "forkserver" child is forked from a server that was
started the same fresh way, so it sees that value too.
"""

import multiprocessing

from steps import say

SETTING = "as written in the source"


def report(method):
    say(f'{method} child sees SETTING = "{SETTING}"')


def main():
    global SETTING
    SETTING = "changed at run time"
    say(f'parent sets SETTING = "{SETTING}"')
    for start_method in ["fork", "forkserver", "spawn"]:
        context = multiprocessing.get_context(start_method)
        child = context.Process(target=report, args=(start_method,))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"the {start_method} child exited with code {child.exitcode}")
    # What a plain multiprocessing.Process uses: fork on Linux until 3.13, forkserver from 3.14.
    say(f"a plain Process here starts by {multiprocessing.get_start_method()}")


if __name__ == "__main__":
    main()

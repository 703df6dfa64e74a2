"""Which start method multiprocessing uses here, and why a program should not rely on it.

The default depends on the platform and on the Python version, and a program
written where the default is fork can break where it is not. Here a Process
is given a function defined inside another function: a forked child simply
has it, because its memory is a copy of the parent's; forkserver and spawn
must pickle the Process object to send it to a fresh interpreter, and such a
function cannot be pickled.
"""

import multiprocessing
import sys


def start_children():
    def greet():
        print("  the child runs the nested function", flush=True)

    for method in ["fork", "forkserver", "spawn"]:
        print(f"start method {method}:", flush=True)
        child = multiprocessing.get_context(method).Process(target=greet)
        try:
            child.start()
        except Exception as error:  # raised by start(), in the parent
            print(f"  start() fails: {type(error).__name__}: {error}")
            continue
        child.join()
        print(f"  the child exited with code {child.exitcode}")


if __name__ == "__main__":
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    print(f"Python {version} on {sys.platform}")
    print(f"default start method: {multiprocessing.get_start_method()}")
    print(f"available here: {', '.join(multiprocessing.get_all_start_methods())}")
    start_children()

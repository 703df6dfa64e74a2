"""The short post's calc_square and calc_quad: two mistakes, found at two different times.

First, `print('Quad': , ...)` is not Python: a colon cannot follow an argument.
Python compiles a whole file before it runs any of it, so a syntax error
anywhere means that no line runs, not even the correct ones. compile() on the
program's text shows the error without stopping this one.

Second, with the prints fixed, calc_quad takes no parameter but is started
with args=(number,). Nothing checks that until the thread calls it: the
TypeError is raised in the new thread, which prints it and ends. The thread
that started it is not told: join() returns as usual. (Here
threading.excepthook prints the error in one line instead of a traceback.)
"""

import threading

from steps import say

WITH_THE_POSTS_PRINT = """\
import threading

def calc_quad():
    print('Quad': , number ** 4)

number = 7
threading.Thread(target=calc_quad).start()
"""

number = 7


def calc_square(number):
    say(f"Square: {number * number}")


def calc_quad():  # no parameter, yet started with args=(number,) below
    say(f"Quad: {number**4}")


def report(hook):
    """threading.excepthook: called in the thread whose function raised."""
    error = hook.exc_value
    say(f"the {hook.thread.name} thread failed: {type(error).__name__}: {error}")


if __name__ == "__main__":
    try:
        compile(WITH_THE_POSTS_PRINT, "the_post.py", "exec")
        say("a program with the post's print line compiles")
    except SyntaxError as error:
        say(f"a program with the post's print line: {type(error).__name__}: {error}")
        say("so none of its lines runs, not even the correct ones")

    threading.excepthook = report
    # One thread at a time, so that the lines always come in this order.
    for target, name in [(calc_square, "square"), (calc_quad, "quad")]:
        thread = threading.Thread(target=target, args=(number,), name=name)
        thread.start()
        thread.join()
        say(f"join() returned for the {name} thread")

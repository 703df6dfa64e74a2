"""The Python side of process-shared-result: a child process sets `result`.

calc_square declares `result` global, so the scoping rule of the thread
version is out of the way: the child does assign the module's variable. The
parent still sees None, because the child's module lives in the child's own
memory. A pipe carries the value back instead.
"""

import multiprocessing
import os

from steps import say

result = None


def calc_square(number):
    global result
    result = number * number
    say(f"child: pid {os.getpid()}, set result to {result}")


def calc_square_into(number, writer):
    square = number * number
    say(f"child: pid {os.getpid()}, sending {square} through the pipe")
    writer.send(square)


def main():
    say(f"parent: pid {os.getpid()}, result is {result}")
    child = multiprocessing.Process(target=calc_square, args=(7,))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"child pid {child.pid} failed with exit code {child.exitcode}")
    say(f"parent: child pid {child.pid} has exited; result is still {result}")

    reader, writer = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.Process(target=calc_square_into, args=(7, writer))
    child.start()
    # Close the parent's copy of the sending end: if the child dies before it
    # sends, recv() then raises EOFError instead of waiting forever.
    writer.close()
    square = reader.recv()
    child.join()
    say(f"parent: received {square} from the pipe")


if __name__ == "__main__":
    main()

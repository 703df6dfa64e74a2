"""The Python side of thread-shared-result: why `result` is still None.

Assigning to a name inside a function makes it a new local variable, whether
the function runs on a thread or not. `global` changes that, and a queue
avoids the shared variable altogether.
"""

import queue
import threading

result = None


def calc_square(number):
    result = number * number  # noqa: F841 - a new local; the global stays None


def calc_square_global(number):
    global result
    result = number * number


def calc_square_into(number, results):
    results.put(number * number)


def run_in_thread(target, *args):
    thread = threading.Thread(target=target, args=args)
    thread.start()
    thread.join()


run_in_thread(calc_square, 7)
print("result after a thread assigned it:", result)

run_in_thread(calc_square_global, 7)
print("result after a thread assigned it as a global:", result)

results = queue.Queue()
run_in_thread(calc_square_into, 7, results)
print("result returned through a queue:", results.get())

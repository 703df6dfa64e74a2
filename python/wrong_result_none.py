"""The short post's `result`: why it is still None after a thread assigned it.

Threads share the module's variables, so separate memory is not the reason.
The reason is a scoping rule, applied when Python compiles the function: a
name that a function assigns to is a local variable of that function, unless
the function declares it `global`. The thread really did assign `result`: its
own local, which was gone as soon as the function returned.

The list of a function's local variables is fixed at compile time, and
`__code__.co_varnames` shows it.
"""

import threading

result = None


def calc_square(number):
    result = number * number  # noqa: F841 - a new local; the module's result is untouched


def calc_square_global(number):
    global result
    result = number * number


def run_in_thread(function, number):
    thread = threading.Thread(target=function, args=(number,))
    thread.start()
    thread.join()


for function in [calc_square, calc_square_global]:
    local_names = ", ".join(function.__code__.co_varnames)
    print(f"{function.__name__} has the local variables: {local_names}")
    run_in_thread(function, 7)
    print(f"after a thread ran {function.__name__}(7): result = {result}")

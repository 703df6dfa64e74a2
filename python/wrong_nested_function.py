"""The long guide's /fib endpoint on a process pool: a function defined inside another.

The guide's request handler defines fib_recursive inside itself and submits
it to a ProcessPoolExecutor. A process pool sends a job to a worker by
pickling it, and pickle sends a function by its name: the worker imports the
function's module and looks the name up. A function defined inside another
function has no such name; it exists only while the outer function runs. So
the job fails, with the error shown when the handler asks for the result.

On a thread pool the same code works: threads run the very function object,
nothing is pickled. Moving fib_recursive to the top of the module fixes the
process pool.
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

N = 20


def fib_endpoint(n, executor):
    """The guide's handler, without Flask: fib_recursive is defined inside it."""

    def fib_recursive(k):
        return k if k <= 1 else fib_recursive(k - 1) + fib_recursive(k - 2)

    try:
        return executor.submit(fib_recursive, n).result()
    except Exception as error:  # the pickling error arrives with the result
        return f"{type(error).__name__}: {error}"


def fib(k):
    """The fix: the same function, at the top of the module."""
    return k if k <= 1 else fib(k - 1) + fib(k - 2)


if __name__ == "__main__":
    with ThreadPoolExecutor(max_workers=2) as pool:
        print(f"thread pool, nested function: {fib_endpoint(N, pool)}")
    with ProcessPoolExecutor(max_workers=2) as pool:
        print(f"process pool, nested function: {fib_endpoint(N, pool)}")
        print(f"process pool, module-level function: {pool.submit(fib, N).result()}")

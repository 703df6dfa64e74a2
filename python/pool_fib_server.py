"""The Python side of pool-fib-server: GET /fib/<n> computed three ways.

The guide's Flask endpoint, with the standard library's ThreadingHTTPServer,
which (like Flask's development server) runs each request in its own thread:

    python3 python/pool_fib_server.py --mode inline      # in the request's thread
    python3 python/pool_fib_server.py --mode threads     # on a ThreadPoolExecutor
    python3 python/pool_fib_server.py --mode processes   # on a ProcessPoolExecutor

The first line printed says where it listens; --port 0 picks a free port.
"""

import argparse
import json
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from steps import say

# fib(35) takes a second or two in CPython; a much larger n would hold a thread for minutes.
MAX_N = 35


def fib(n):
    """The n-th Fibonacci number, the slow way on purpose.

    It lives at the top level of the module: a process pool sends a function to
    its workers by name, and a function nested in the handler has none they can find.
    """
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def parse_n(text):
    """n from the path, or a ValueError that the client gets with a 400."""
    if text.isascii() and text.isdigit() and int(text) <= MAX_N:
        return int(text)
    raise ValueError(f"n must be a whole number from 0 to {MAX_N}, got {json.dumps(text)}")


class Server(ThreadingHTTPServer):
    def __init__(self, port, executor):
        super().__init__(("127.0.0.1", port), Handler)
        self.executor = executor  # None computes inline
        self.in_progress = 0
        self.in_progress_lock = threading.Lock()  # `+= 1` from many threads needs one

    def fib(self, n):
        with self.in_progress_lock:
            self.in_progress += 1
        try:
            if self.executor is None:
                return fib(n)  # in this request's own thread, holding the GIL as it goes
            return self.executor.submit(fib, n).result()
        finally:
            with self.in_progress_lock:
                self.in_progress -= 1


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = urlsplit(self.path).path
        if path == "/health":
            self.reply(200, {"status": "ok", "fib_in_progress": self.server.in_progress})
        elif path.startswith("/fib/") and path.count("/") == 2:
            try:
                n = parse_n(unquote(path.removeprefix("/fib/")))
            except ValueError as err:
                self.reply(400, {"error": str(err)})
                return
            self.reply(200, {"n": n, "fib": self.server.fib(n)})
        else:
            self.reply(404, {"error": f"no such page: {path}"})

    def reply(self, status, answer):
        body = json.dumps(answer, separators=(",", ":")).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # one line per request would bury the output


def make_executor(mode, workers):
    if mode == "threads":
        return ThreadPoolExecutor(max_workers=workers)
    if mode == "processes":
        pool = ProcessPoolExecutor(max_workers=workers)
        # Start the workers now, from the main thread, before the server has threads.
        pool.submit(fib, 0).result()
        return pool
    return None


def whole_number(low, high):
    def parse(text):
        if not (text.isascii() and text.isdigit() and low <= int(text) <= high):
            raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high}")
        return int(text)

    return parse


def stop(signum, frame):
    raise SystemExit(signal.Signals(signum).name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["inline", "threads", "processes"], default="inline")
    parser.add_argument("--port", type=whole_number(0, 65535), default=3000, help="0 picks a free one")
    parser.add_argument("--workers", type=whole_number(1, 64), default=os.cpu_count())
    args = parser.parse_args()

    # Ctrl-C and SIGTERM end serve_forever with an exception in the main thread,
    # even when a shell started us with SIGINT ignored.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    executor = make_executor(args.mode, args.workers)
    server = Server(args.port, executor)
    say(f"listening on http://127.0.0.1:{server.server_address[1]}")
    say(f"mode {args.mode}")
    try:
        server.serve_forever()
    except SystemExit as signal_name:
        say(f"{signal_name}: stopping")
    finally:
        server.server_close()
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    say("stopped")


if __name__ == "__main__":
    sys.exit(main())

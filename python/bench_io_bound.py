"""The I/O-bound benchmark in Python: fetch pages from a slow web server on 1
to 16 threads, then on 1 to 16 processes. A thread that waits for a socket has
let go of the GIL, so threads overlap their waits as well as processes do.

With --url it fetches from that server (bench-io-bound passes its own);
without, it starts a server of its own that waits --delay-ms per page."""

import multiprocessing
import os
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import benchkit


def page(number):
    """What page `number` says: the same text as the Rust server's."""
    return f"<p>page {number}</p>\n"


# ANCHOR: fetch
def fetch(job):
    """Fetches one page and checks it: a broken server is an error, not a fast row."""
    server, number = job
    url = f"{server}/page/{number}"
    with urllib.request.urlopen(url, timeout=10) as response:  # raises on 4xx, 5xx
        body = response.read().decode()
    if body != page(number):
        raise RuntimeError(f"{url} answered {body!r}")


def run(executor_class, server, pages, workers):
    with executor_class(max_workers=workers) as executor:
        list(executor.map(fetch, [(server, number) for number in range(pages)]))
# ANCHOR_END: fetch


class SlowPages(BaseHTTPRequestHandler):
    """Answers /page/<n> after a delay; ThreadingHTTPServer gives each request a thread."""
    delay = 0.01

    def do_GET(self):
        number = self.path.removeprefix("/page/")
        if not self.path.startswith("/page/") or not number.isdigit():
            self.send_error(404)
            return
        time.sleep(self.delay)
        body = page(int(number)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # a line per request on stderr would bury the table


class SlowServer(ThreadingHTTPServer):
    # The default backlog is 5 connections waiting to be accepted: with 16
    # clients at once, the others' connections would be retried a second later.
    request_queue_size = 64
    parent = None  # the benchmark's process ID

    def service_actions(self):
        """serve_forever calls this at least every half second: a server whose
        benchmark has died, and so will never stop it, stops by itself."""
        if os.getppid() != self.parent:
            raise SystemExit("the benchmark that started this server is gone")


def serve(delay, ports, parent):
    SlowPages.delay = delay
    with SlowServer(("127.0.0.1", 0), SlowPages) as server:  # port 0: a free one
        server.parent = parent
        ports.put(server.server_address[1])
        server.serve_forever()


def start_server(delay):
    """Starts the server in a process of its own, and returns its URL and process.
    Not in a thread: this process must have no other thread when the process
    pools fork it. As a daemon process, it is ended when this program exits
    normally (multiprocessing's exit handler does that); but if this program
    is killed, or leaves by os._exit, nothing ends a daemon, so the server
    also checks for itself that the benchmark is still there."""
    ports = multiprocessing.Queue()
    process = multiprocessing.Process(target=serve, args=(delay, ports, os.getpid()),
                                      daemon=True)
    process.start()
    return f"http://127.0.0.1:{ports.get(timeout=30)}", process


def main():
    options = benchkit.parser(__doc__)
    options.add_argument("--pages", type=int, default=100, help="pages per run")
    options.add_argument("--url", help="the server to fetch from (default: start one)")
    options.add_argument("--delay-ms", type=int, default=10,
                         help="how long the server started here waits per page")
    args = options.parse_args()
    server, process, settings = args.url, None, []
    if server is None:
        server, process = start_server(args.delay_ms / 1000)
        settings = [("pages", f"{args.pages:,}"), ("server delay", f"{args.delay_ms} ms")]
    columns = {}
    for name, executor_class in [("Python threads", ThreadPoolExecutor),
                                 ("Python processes", ProcessPoolExecutor)]:
        columns[name] = [
            [1000 * benchkit.seconds(
                lambda: run(executor_class, server, args.pages, workers))
             for _ in range(args.runs)]
            for workers in args.workers
        ]
    if process is not None:
        process.terminate()
        process.join()
    result = benchkit.report("bench_io_bound.py", "Fetching pages", "workers",
                             args.workers, "ms", columns, settings)
    benchkit.publish(result, args.json)


if __name__ == "__main__":
    main()

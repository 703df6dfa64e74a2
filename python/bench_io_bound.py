"""The I/O-bound benchmark in Python: fetch pages from a slow web server on 1
to 16 threads, then on 1 to 16 processes, then on 1 to 16 asyncio tasks. A
thread that waits for a socket has let go of the GIL, so threads overlap their
waits as well as processes do; tasks wait on one thread, and cost least.

With --url it fetches from that server (bench-io-bound passes its own);
without, it starts a server of its own that waits --delay-ms per page."""

import asyncio
import multiprocessing
import os
import resource
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
    with urllib.request.urlopen(url, timeout=60) as response:  # raises on 4xx, 5xx
        body = response.read().decode()
    if body != page(number):
        raise RuntimeError(f"{url} answered {body!r}")


def run(executor_class, server, pages, workers):
    with executor_class(max_workers=workers) as executor:
        list(executor.map(fetch, [(server, number) for number in range(pages)]))


async def fetch_async(server, number):
    """The same fetch for a task: the request by hand, on an asyncio socket."""
    host, port = server.removeprefix("http://").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(f"GET /page/{number} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    response = (await reader.read()).decode()  # one page, then the server closes
    writer.close()
    if " 200 " not in response.split("\r\n")[0] or \
            not response.endswith("\r\n\r\n" + page(number)):
        raise RuntimeError(f"{server}/page/{number} answered {response!r}")


async def on_tasks(server, pages, workers):
    """`workers` tasks, each taking the next page until none are left."""
    numbers = iter(range(pages))  # shared: the tasks all run on this one thread

    async def worker():
        for number in numbers:
            await asyncio.wait_for(fetch_async(server, number), timeout=60)
    await asyncio.gather(*(worker() for _ in range(workers)))


def run_tasks(server, pages, workers):
    asyncio.run(on_tasks(server, pages, workers))  # a new event loop every run
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
    options.add_argument("--pages", default=[100],
                         type=lambda text: [int(p) for p in text.split(",")],
                         help="pages per run: one count, or one per row")
    options.add_argument("--max-processes", type=int, default=100,
                         help="more processes than this are not started")
    options.add_argument("--url", help="the server to fetch from (default: start one)")
    options.add_argument("--delay-ms", type=int, default=10,
                         help="how long the server started here waits per page")
    args = options.parse_args()
    pages = args.pages * len(args.workers) if len(args.pages) == 1 else args.pages
    if len(pages) != len(args.workers):
        options.error("--pages: one count, or one per worker count")
    # A page in flight is a socket: as many open files as the system lets us.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    server, process, settings = args.url, None, []
    if server is None:
        server, process = start_server(args.delay_ms / 1000)
        settings = [("pages", ",".join(f"{p:,}" for p in args.pages)),
                    ("server delay", f"{args.delay_ms} ms")]
    ways = [("Python threads", lambda p, w: run(ThreadPoolExecutor, server, p, w)),
            ("Python processes", lambda p, w: run(ProcessPoolExecutor, server, p, w)),
            ("Python asyncio", lambda p, w: run_tasks(server, p, w))]
    columns, skipped = {}, {"Python processes": []}
    for name, way in ways:
        columns[name] = [[] for _ in args.workers]
    for _ in range(args.runs):  # round after round, as the Rust side measures
        for row, (workers, count) in enumerate(zip(args.workers, pages)):
            for name, way in ways:
                if name == "Python processes" and workers > args.max_processes:
                    continue
                columns[name][row].append(
                    1000 * benchkit.seconds(lambda: way(count, workers)))
    for row, workers in enumerate(args.workers):
        if workers > args.max_processes:
            skipped["Python processes"].append([row, "not practical"])
    if process is not None:
        process.terminate()
        process.join()
    rows = [f"{workers:,}" for workers in args.workers]  # as the Rust table writes them
    result = benchkit.report("bench_io_bound.py", "Fetching pages", "workers",
                             rows, "ms", columns, settings, skipped)
    benchkit.publish(result, args.json)


if __name__ == "__main__":
    main()

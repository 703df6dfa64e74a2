"""The Python side of async-fetch: asyncio tasks fetch pages from a slow server
that runs on the same event loop, in the same thread.

The server waits a step before each answer, in the way --wait names:
asyncio.sleep (the default), time.sleep (blocking), or
asyncio.to_thread(time.sleep, ...) (to-thread).
"""

import argparse
import asyncio
import threading
import time

from steps import STEP, say

# The requests being answered now, and the most there ever were at once. No
# lock: only the event loop's thread touches them.
in_flight = 0
peak = 0


async def answer(reader, writer, wait):
    global in_flight, peak
    request = (await reader.readline()).decode()  # GET /page/3 HTTP/1.0
    while (await reader.readline()).strip():
        pass  # the headers, up to the empty line
    path = request.split(" ")[1]
    in_flight += 1
    peak = max(peak, in_flight)
    say(f"server: {path} requested, {in_flight} in flight")
    if wait == "async":
        await asyncio.sleep(STEP)
    elif wait == "blocking":
        time.sleep(STEP)  # no await: the loop runs nothing else meanwhile
    else:
        await asyncio.to_thread(time.sleep, STEP)
    in_flight -= 1
    writer.write(f"HTTP/1.0 200 OK\r\n\r\nthe page at {path}".encode())
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def fetch(port, page):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /page/{page} HTTP/1.0\r\n\r\n".encode())
    response = (await reader.read()).decode()  # to the end: the server closes
    writer.close()
    await writer.wait_closed()
    status, _, body = response.partition("\r\n\r\n")
    if status != "HTTP/1.0 200 OK":
        raise RuntimeError(f"page {page}: the server said {response!r}")
    say(f'task {page} fetched "{body}"')
    return threading.get_ident()


async def fetch_all(pages, wait):
    server = await asyncio.start_server(
        lambda reader, writer: answer(reader, writer, wait), "127.0.0.1", 0
    )
    port = server.sockets[0].getsockname()[1]
    # gather() wraps each coroutine in a task at once, so all of them run.
    threads = await asyncio.gather(*(fetch(port, page) for page in range(pages)))
    server.close()
    say(f"most requests in flight at once: {peak}")
    say(f"threads that ran the {pages} fetching tasks: {len(set(threads))}")


def page_count(text):
    pages = int(text)  # argparse reports a ValueError as an invalid value
    if not 1 <= pages <= 100:
        raise argparse.ArgumentTypeError(f"{pages} is not in 1..=100")
    return pages


def main():
    parser = argparse.ArgumentParser(description="Pages fetched by asyncio tasks.")
    parser.add_argument(
        "--wait",
        choices=["async", "blocking", "to-thread"],
        default="async",
        help="how the server waits before it answers",
    )
    parser.add_argument("--pages", type=page_count, default=5, help="one task each")
    args = parser.parse_args()
    asyncio.run(fetch_all(args.pages, args.wait))


if __name__ == "__main__":
    main()

"""What it costs to talk to another process, in Python: messages of 8 B to
4 MiB sent to a thread over a queue.Queue, and to a worker process over a
multiprocessing.Queue, a multiprocessing.Pipe, and shared_memory with the Pipe
left for the handshake; each message answered before the next is sent. The
receiver reads every byte (a CRC-32) and answers with how many it got and
their CRC, which the parent checks. The figures are round trips per second."""

import multiprocessing
import queue
import threading
import time
import zlib
from multiprocessing import shared_memory

import benchkit

# Forked workers inherit the queues, pipes and mappings made before the fork
# (the default on Linux before Python 3.14; said in the table's settings).
CONTEXT = multiprocessing.get_context("fork")
WARM_UP = 3  # round trips sent before the clock starts


# ANCHOR: answer
def answer(message):
    """What a receiver sends back: how many bytes it got, and their CRC-32."""
    return len(message), zlib.crc32(message)


def round_trips(size, count, round_trip):
    """Sends count messages of size bytes, each answered before the next is
    sent, checks every answer, and returns the seconds they took. Each message
    is the same bytes but its last eight: its number."""
    message = bytearray((bytes(range(251)) * (size // 251 + 1))[:size])
    body = zlib.crc32(memoryview(message)[:size - 8])
    start = time.perf_counter()
    for number in range(WARM_UP + count):
        if number == WARM_UP:
            start = time.perf_counter()
        stamp = number.to_bytes(8, "little")
        message[size - 8:] = stamp
        expected = (size, zlib.crc32(stamp, body))  # the CRC goes on from the body's
        got = round_trip(message)
        if got != expected:
            raise RuntimeError(f"message {number}: {got}, not {expected}")
    return time.perf_counter() - start
# ANCHOR_END: answer


# ANCHOR: ways
def serve_queue(messages, answers):
    """The receiver, a thread or a process: answers until it gets None."""
    while (message := messages.get()) is not None:
        answers.put(answer(message))


def over_queues(size, count, messages, answers, receiver):
    """Round trips to receiver (a Thread or a Process), through a queue each way."""
    receiver.start()

    def round_trip(message):
        messages.put(message)
        return answers.get()
    try:
        return round_trips(size, count, round_trip)
    finally:
        messages.put(None)
        receiver.join(5)


def thread_queue(size, count):
    """The baseline: a thread, and a queue each way; only a reference travels."""
    messages, answers = queue.Queue(), queue.Queue()
    thread = threading.Thread(target=serve_queue, args=(messages, answers))
    return over_queues(size, count, messages, answers, thread)


def process_queue(size, count):
    """A queue each way: put pickles the message, a feeder thread writes it to a pipe."""
    messages, answers = CONTEXT.Queue(), CONTEXT.Queue()
    worker = CONTEXT.Process(target=serve_queue, args=(messages, answers), daemon=True)
    return over_queues(size, count, messages, answers, worker)


def serve_pipe(connection, parents_end, memory=None):
    """The worker: the message itself, or its length with the bytes in memory."""
    parents_end.close()  # forked with us: while it is open here, no EOF comes
    while True:
        try:
            received = connection.recv_bytes() if memory is None else connection.recv()
        except EOFError:  # the parent closed its end
            return
        connection.send(answer(received if memory is None else memory.buf[:received]))


def process_pipe(size, count, memory=None):
    """A Pipe (a socket pair): send_bytes sends the bytes as they are, with their length."""
    ours, theirs = CONTEXT.Pipe()
    worker = CONTEXT.Process(target=serve_pipe, args=(theirs, ours, memory),
                             daemon=True)
    worker.start()
    theirs.close()  # the worker's copy is its own; ours would keep the pipe open

    def round_trip(message):
        if memory is None:
            ours.send_bytes(message)
        else:  # copy it in, then say how long it is: the memory is the worker's until it answers
            memory.buf[:size] = message
            ours.send(size)
        return ours.recv()
    try:
        return round_trips(size, count, round_trip)
    finally:
        ours.close()
        worker.join(5)


def process_shared_memory(size, count):
    """shared_memory for the bytes, the Pipe for the handshake."""
    memory = shared_memory.SharedMemory(create=True, size=size)
    # The worker will inherit the mapping by fork, so its name in /dev/shm can go now.
    memory.unlink()
    try:
        return process_pipe(size, count, memory)
    finally:
        memory.close()
# ANCHOR_END: ways


WAYS = [  # the columns, as the Rust benchmark names its own
    ("Python queue.Queue", thread_queue),
    ("Python multiprocessing.Queue", process_queue),
    ("Python multiprocessing.Pipe", process_pipe),
    ("Python shared_memory", process_shared_memory),
]


def size_label(size):
    if size % (1 << 20) == 0:
        return f"{size >> 20} MiB"
    if size % (1 << 10) == 0:
        return f"{size >> 10} KiB"
    return f"{size} B"


def main():
    options = benchkit.parser(__doc__, worker_counts=False)
    options.add_argument("--sizes", default="8,4096,4194304",
                         type=lambda text: [int(size) for size in text.split(",")],
                         help="message sizes in bytes, at least 8 (the rows)")
    options.add_argument("--messages", type=int, default=2000,
                         help="at most this many round trips per measurement")
    options.add_argument("--mib", type=int, default=64,
                         help="at most this many MiB sent per measurement")
    args = options.parse_args()
    if min(args.sizes) < 8:
        options.error("every size must be at least 8 bytes")
    runs = {name: [[] for _ in args.sizes] for name, _ in WAYS}
    for _ in range(args.runs):  # round after round, as the Rust benchmark measures
        for row, size in enumerate(args.sizes):
            count = min(max((args.mib << 20) // size, 1), args.messages)
            for name, way in WAYS:
                runs[name][row].append(count / way(size, count))
    settings = [("Python start method", CONTEXT.get_start_method())]
    result = benchkit.report("bench_ipc.py", "Round trips", "message",
                             [size_label(size) for size in args.sizes], "round trips/s",
                             runs, settings)
    benchkit.publish(result, args.json)


if __name__ == "__main__":
    main()

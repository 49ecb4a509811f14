"""A TCP proxy that delays every byte by D seconds each way: a stand-in for a real network.

On one laptop a round trip takes microseconds, which flatters every technique the
same way. Put this proxy between the pages and the server and each round trip costs
2 x D, so what that costs each technique shows: polling pays it on every request, long
polling once per update, a WebSocket once per frame. The bench measures through it
(bench/proxy.py, 50 ms each way); LATENCY=200 puts it in front of an app for a room
to watch (latency.py).

Each connection gets one connection of its own to the target and two delay lines,
one per direction. A delay line reads chunks as they arrive and queues each with its
due time (arrival + D), and sends them in order when they fall due: a chunk that
arrives while others wait leaves D after its own arrival, not D after theirs. A close
(or half-close) travels like the bytes do, after everything sent before it.

Run by hand: `python -m shared.tools.delay_proxy LISTEN_PORT TARGET_PORT [--delay 0.05]`;
latency.py's `start_proxy` runs it as a child process.
"""

import argparse
import os
import resource
import signal
import socket
import time
from functools import partial

import gevent
import gevent.event
import gevent.queue
import gevent.socket
from gevent.server import StreamServer

DEFAULT_DELAY_SECONDS = 0.05
CHUNK_BYTES = 64 * 1024
# Past this many bytes waiting in one direction, stop reading: the sender then feels the
# back-pressure of a slow reader, as it would on a real network, and memory stays bounded.
MAX_QUEUED_BYTES = 1024 * 1024
# A thousand pages may connect at once: the kernel should queue them, not refuse them.
LISTEN_BACKLOG = 4096
ORPHAN_CHECK_SECONDS = 1


class DelayLine:
    """One direction of a connection: what `source` sends reaches `destination` D seconds later."""

    def __init__(self, source, destination, delay):
        self.source = source
        self.destination = destination
        self.delay = delay
        self.chunks = gevent.queue.Queue()  # (due time, bytes); empty bytes stand for the close
        self.queued_bytes = 0
        self.has_room = gevent.event.Event()  # set while queued_bytes is under MAX_QUEUED_BYTES
        self.has_room.set()

    def read(self):
        """Queue each chunk with its due time as it arrives, until the source closes."""
        while True:
            self.has_room.wait()
            try:
                data = self.source.recv(CHUNK_BYTES)
            except OSError:
                data = b""  # a reset ends this direction just as a close does
            self.chunks.put((time.monotonic() + self.delay, data))
            if not data:
                return
            self.queued_bytes += len(data)
            if self.queued_bytes >= MAX_QUEUED_BYTES:
                self.has_room.clear()

    def write(self):
        """Send each chunk when it falls due, then pass the close on; False if the destination failed."""
        while True:
            due, data = self.chunks.get()
            # The event loop's clock can lag real time a little, so a single sleep may wake
            # early: sleep again until the chunk is really due, never before.
            while (wait := due - time.monotonic()) > 0:
                gevent.sleep(wait)
            try:
                if not data:
                    self.destination.shutdown(socket.SHUT_WR)
                    return True
                self.destination.sendall(data)  # blocks while the destination does not read
            except OSError:
                return False
            self.queued_bytes -= len(data)
            if self.queued_bytes < MAX_QUEUED_BYTES:
                self.has_room.set()


def relay(client, _address, target_port, delay):
    """Carry one client connection to its own connection to the target until both directions close."""
    try:
        upstream = gevent.socket.create_connection(("127.0.0.1", target_port))
    except OSError:
        return  # nothing to forward to: closing the client's connection says so
    with upstream:
        for end in (client, upstream):
            # Small frames (a WebSocket message, a long poll's answer) must leave at once,
            # not wait for Nagle's algorithm to gather more: the delay is ours to add.
            end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        lines = [DelayLine(client, upstream, delay), DelayLine(upstream, client, delay)]
        readers = [gevent.spawn(line.read) for line in lines]
        writers = [gevent.spawn(line.write) for line in lines]
        for finished in gevent.iwait(writers):
            if not finished.value:
                break  # one end vanished mid-stream: drop the whole connection
        gevent.killall(readers + writers)
    # The server closes `client` once this returns.


def raise_open_file_limit():
    """Allow as many open sockets as the system lets us: each page costs the proxy two."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def parse_options(argv):
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m shared.tools.delay_proxy", description=__doc__.splitlines()[0]
    )
    parser.add_argument("listen_port", type=int, help="port to listen on, on --host")
    parser.add_argument("target_port", type=int, help="port to forward to, on 127.0.0.1")
    parser.add_argument("--delay", type=float, default=DEFAULT_DELAY_SECONDS, help="seconds each way")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    return parser.parse_args(argv)


def stop_when_orphaned(stopping):
    """Stop once the process that started this one is gone (it was SIGKILLed, say): never outlive it."""
    parent = os.getppid()
    while os.getppid() == parent:
        gevent.sleep(ORPHAN_CHECK_SECONDS)
    stopping.set()


def main(argv=None):
    """Serve until SIGTERM (or Ctrl-C, or the parent's end), then stop accepting and exit."""
    options = parse_options(argv)
    raise_open_file_limit()
    handle = partial(relay, target_port=options.target_port, delay=options.delay)
    server = StreamServer((options.host, options.listen_port), handle, backlog=LISTEN_BACKLOG)
    server.start()
    print(
        f"proxy on {options.host}:{options.listen_port} -> 127.0.0.1:{options.target_port},"
        f" {options.delay * 1000:g} ms each way",
        flush=True,
    )
    stopping = gevent.event.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        gevent.signal_handler(signum, stopping.set)
    gevent.spawn(stop_when_orphaned, stopping)
    stopping.wait()
    # Open connections need no goodbye: the process exits and the kernel closes them.
    server.close()


if __name__ == "__main__":
    main()

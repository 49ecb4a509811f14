"""The delaying proxy (shared/tools/delay_proxy.py, the bench's DelayProxy): bytes carried faithfully, late.

It also closes what it opened, and stops when told.

Each test runs a small server of its own in this (gevent) process, and the proxy as
the real child process the bench starts, between the test's client and that server.
"""

import os
import socket
import time

import gevent
import pytest
from gevent.server import StreamServer

from bench.proxy import DelayProxy
from tests.servers import wait_until

DELAY_SECONDS = 0.05


def echo(connection, _address):
    """Send back everything received, then close once the other side has."""
    while data := connection.recv(65536):
        connection.sendall(data)


@pytest.fixture
def serve():
    """A factory of small TCP servers on free loopback ports (`serve(handle)` gives the port)."""
    servers = []

    def start(handle):
        server = StreamServer(("127.0.0.1", 0), handle)
        server.start()
        servers.append(server)
        return server.server_port

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def start_proxy():
    """A factory of delaying proxies (`start_proxy(target_port)` gives its port), all stopped afterwards."""
    proxies = []

    def start(target_port):
        proxy = DelayProxy(DELAY_SECONDS)
        proxies.append(proxy)
        return int(proxy.start(target_port).rsplit(":", 1)[1])

    yield start
    for proxy in proxies:
        proxy.stop()


def receive_until_closed(connection):
    """Everything the other side sends until it closes."""
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_bytes_cross_the_proxy_unchanged_and_in_order_both_ways(serve, start_proxy):
    port = start_proxy(serve(echo))
    lines = b"".join(b"line %06d\n" % number for number in range(20_000))  # 240 KB
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:

        def send_then_half_close():
            client.sendall(lines)
            client.shutdown(socket.SHUT_WR)  # the echo server closes once this reaches it

        sender = gevent.spawn(send_then_half_close)
        echoed = receive_until_closed(client)
        sender.get()
    assert len(echoed) == len(lines)
    assert echoed == lines


def test_a_round_trip_through_the_proxy_takes_at_least_the_delay_twice(serve, start_proxy):
    port = start_proxy(serve(echo))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        started = time.monotonic()
        client.sendall(b"ping")
        assert client.recv(4) == b"ping"
        round_trip = time.monotonic() - started
    assert round_trip >= 2 * DELAY_SECONDS


def test_closing_the_client_closes_the_upstream_connection(serve, start_proxy):
    received_before_close = []

    def record_until_closed(connection, _address):
        """Keep what one connection sent, once it has closed."""
        received_before_close.append(receive_until_closed(connection))

    port = start_proxy(serve(record_until_closed))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(b"hello")
    # The proxy's own check that it accepts connections was one too: look for ours.
    wait_until(lambda: b"hello" in received_before_close, timeout=5, message="the upstream close")


def test_the_proxy_reports_its_cpu_and_stopping_it_ends_its_process(serve):
    proxy = DelayProxy(DELAY_SECONDS)
    proxy.stop()  # before start: nothing to do
    proxy.start(serve(echo))
    pid = proxy.process.pid
    assert proxy.cpu_seconds() > 0  # starting Python and gevent alone takes some
    proxy.stop()
    proxy.stop()  # twice: still fine
    assert proxy.process.returncode == 0  # SIGTERM is a clean stop, not a crash
    assert not os.path.exists(f"/proc/{pid}")
    assert proxy.cpu_seconds() == 0

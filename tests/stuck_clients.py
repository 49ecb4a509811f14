"""Clients that stop reading or drop, on raw sockets the tests hold still, and cities to test them by.

A browser tab that sleeps, or a phone that walks out of Wi-Fi, keeps its connection
open and reads nothing more; the libraries' clients always read, so these speak the
protocols by hand over a socket with a small receive buffer that fills up soon.
"""

import json
import os
import socket

import gevent

from tests.servers import tcp_table, wait_until

SMALL_WINDOW_BYTES = 4096
CITIES_PER_ROUND, MAX_ROUNDS = 50, 200


def small_window_socket(app):
    """A connection to `app` with a small receive buffer: once it stops reading, the server's writes block."""
    connection = socket.socket()
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_WINDOW_BYTES)
    connection.connect(("127.0.0.1", app.port))
    return connection


def stuck_stream(app, client):
    """An event stream that sends its request and never reads a byte of the answer."""
    connection = small_window_socket(app)
    connection.sendall(f"GET /api/stream?client={client} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return connection


def stuck_websocket(app, client):
    """A socket.io connection over a WebSocket that connects as `client`, then never reads again."""
    connection = small_window_socket(app)
    connection.sendall(
        (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{app.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        ).encode()
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += connection.recv(1)  # one byte at a time: leave every frame after the head unread
    assert answer.startswith(b"HTTP/1.1 101"), answer
    connection.sendall(masked_text_frame("40" + json.dumps({"client": client})))  # socket.io: connect
    return connection


def masked_text_frame(text):
    """A short WebSocket text frame as a client must send it: masked (RFC 6455, 5.3)."""
    payload, mask = text.encode(), os.urandom(4)
    assert len(payload) < 126, "a short frame only"
    return bytes((0x81, 0x80 | len(payload))) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def server_holds(app, client_port):
    """True while the server has not closed its end of the connection from `client_port` (Linux)."""
    server_end, client_end = f":{app.port:04X}", f":{client_port:04X}"
    return any(row[0].endswith(server_end) and row[1].endswith(client_end) for row in tcp_table())


def cities_in_rounds_until(store, received_names, done):
    """Add cities in rounds until `done()`; each round must reach `received_names()` before the next.

    The reader that keeps reading never falls behind, while a stuck one falls further
    behind every round. Bounded: the server must have acted long before MAX_ROUNDS.
    Returns the names sent.
    """
    sent = []
    for round_number in range(MAX_ROUNDS):
        sent += [store.add_city(f"Rush {round_number}-{n}")["name"] for n in range(CITIES_PER_ROUND)]
        wait_until(lambda sent=sent: received_names() == sent, timeout=5, message=f"round {round_number}")
        if done():
            return sent
    raise AssertionError(f"the stuck client was still served after {len(sent)} cities")


def drain_until_closed(connection, timeout=10):
    """Read what the server sent until it closed the connection; return how many bytes that was."""
    received = 0
    with gevent.Timeout(timeout, AssertionError("the server kept the stuck connection open")):
        while chunk := connection.recv(65536):
            received += len(chunk)
    connection.close()
    return received

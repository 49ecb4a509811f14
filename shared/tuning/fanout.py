"""The fan-out: one event to a room, framed once and written straight to every socket that is idle.

Replaces the relay's `socketio.emit("event", event, to=LIVE_ROOM)` (websockets/relay.py,
its `broadcast` seam). Why: python-engineio gives every socket a queue and a writer
greenlet, so one event to a thousand sockets was a thousand queue puts, a thousand
greenlet switches (each with a gevent timeout) and a thousand WebSocket framings:
py-spy put two thirds of the server's time there. Node's socket.io writes each
socket's frame from the loop that emits. This does the same, where that is safe:

- a socket whose queue is empty, and whose writer is not sending, gets the frame
  now, written without waiting; nothing else can write to it in between, because
  gevent switches greenlets only when one waits;
- every other socket (busy, upgrading, slow) gets the packet through its queue, as
  before, so nothing overtakes what is already queued: acks and pings keep their
  order, and frames never interleave;
- a socket whose kernel buffer takes only part of a frame, or whose queue already
  holds `max_backlog` packets, is hopelessly behind (a page that stopped reading):
  it is disconnected, and its page reconnects and catches up from its cursor.
  engine.io's queue has no bound of its own, so without this a stuck socket kept
  every event of the board for it, until its heartbeat timed out or for ever.

What it buys, measured by `make bench FULL=1` on 2026-12-05, 1,000 pages per technique
(docs/tuning.md, "The direct fan-out"; textbook / tuned): delay p50 30 / 16 ms, p99 122 / 34 ms,
server CPU 44 / 14 ms per 1,000 deliveries (3.1×), and a process holds 7,500 sockets within the
500 ms limit against 3,000. Neither path compresses frames (websockets/__init__.py,
`without_compression`), so one frame serves every socket.

Two narrow hooks, both pinned by tests/crowds/test_websockets_fanout.py: the engine.io
server of this app builds its WebSockets with DirectWebSocket (a subclass of its
own gevent class), and the fan-out reads the sockets of a room through
python-socketio's manager.
"""

import contextlib
import socket

from engineio import packet as engine_packet
from engineio.async_drivers.gevent import WebSocketWSGI
from socketio import packet as socketio_packet

from shared.board.cost import process_cost

# The kernel would let a socket's unsent bytes grow to megabytes before a write blocked,
# and its queue never grew: a small send buffer keeps that memory small, and lets a page
# that stopped reading show up in its queue soon (the same as sse/stream.py's streams).
SEND_BUFFER_BYTES = 64 * 1024


class DirectWebSocket(WebSocketWSGI):
    """engine.io's WebSocket for gevent, which the fan-out may write to between the writer's sends."""

    sending = False  # True while engine.io's writer greenlet is sending a frame

    def __call__(self, environ, start_response):
        """Serve the connection; engine.io's socket (its handler's owner) can find us meanwhile."""
        self.app.__self__.direct_websocket = self
        connection = environ.get("board.socket")  # set by shared/web/http_handler.py
        if connection is not None:
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)
        return super().__call__(environ, start_response)

    def send(self, message):
        """engine.io's writer sends every queued packet through here: note that it is busy."""
        self.sending = True
        try:
            return super().send(message)
        finally:
            self.sending = False

    def write_now(self, frame):
        """Write a whole frame without waiting, if nothing else is being written: False to queue it."""
        connection = getattr(self, "ws", None)
        if connection is None or self.sending:
            return False
        try:
            written = connection.sock.send(frame, 0, 0.0)  # gevent: a timeout of 0 never waits
        except OSError:
            return False  # full (or gone): the queue takes it, and the writer finds out
        if written < len(frame):
            self.hang_up()  # half a frame out: this stream cannot go on
        return True

    def hang_up(self):
        """End the connection: the writer's blocked send fails, the reader sees the end, engine.io closes."""
        connection = getattr(self, "ws", None)
        if connection is not None:
            with contextlib.suppress(OSError):  # already shut
                connection.sock.shutdown(socket.SHUT_RDWR)


def install_direct_websockets(socketio):
    """Make this app's engine.io server build its WebSockets as DirectWebSocket (this server only)."""
    engine = socketio.server.eio
    engine._async = {**engine._async, "websocket": DirectWebSocket}


def text_frame(text):
    """A WebSocket text frame, as a server sends it (final, unmasked, uncompressed)."""
    payload = text.encode()
    if len(payload) < 126:
        header = bytes((0x81, len(payload)))
    elif len(payload) < 1 << 16:
        header = bytes((0x81, 126)) + len(payload).to_bytes(2, "big")
    else:
        header = bytes((0x81, 127)) + len(payload).to_bytes(8, "big")
    return header + payload


def emit_to_room(socketio, event, data, room, max_backlog, namespace="/"):
    """Emit `event` with `data` to every socket in `room`: as socketio.emit does, faster, and bounded."""
    server = socketio.server
    encoded = server.packet_class(socketio_packet.EVENT, namespace=namespace, data=[event, data]).encode()
    message = engine_packet.Packet(engine_packet.MESSAGE, encoded)
    frame = text_frame(message.encode())
    for _sid, engine_sid in server.manager.get_participants(namespace, room):
        engine_socket = server.eio.sockets.get(engine_sid)
        if engine_socket is not None and write_now(engine_socket, frame):
            process_cost.messages += 1  # a message to each socket (shared/board/cost.py)
            continue
        if engine_socket is not None and engine_socket.queue.qsize() >= max_backlog:
            hang_up(engine_socket)
        else:
            process_cost.messages += 1
            server.eio.send_packet(engine_sid, message)


def broadcaster(socketio, room, max_backlog):
    """The relay's broadcast, tuned: each event to `room` by emit_to_room."""

    def broadcast(event):
        """Emit one event to every socket in the room."""
        emit_to_room(socketio, "event", event, room, max_backlog)

    return broadcast


def hang_up(engine_socket):
    """Disconnect a socket that is too far behind; a queued one, not yet a WebSocket, is closed."""
    websocket = getattr(engine_socket, "direct_websocket", None)
    if websocket is not None:
        websocket.hang_up()
    else:
        engine_socket.close(wait=False, abort=True)


def write_now(engine_socket, frame):
    """True if `frame` went straight to this socket; False if it must go through the socket's queue."""
    websocket = getattr(engine_socket, "direct_websocket", None)
    idle = engine_socket.upgraded and not engine_socket.closed and engine_socket.queue.empty()
    return websocket is not None and idle and websocket.write_now(frame)

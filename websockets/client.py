"""Follow the board from a terminal over one socket, as the page does.

    python -m websockets.client http://127.0.0.1:5003 [--updates N]

Same protocol as static/websockets.js: connect with {client, cursor}, take the
`state` (or the events replayed since the cursor), then print each event the
server pushes. python-socketio's client reconnects by itself with backoff and
jitter, and every attempt sends the cursor as it is then.

It runs on gevent, patched by the package (websockets/__init__.py) before this
module is imported. That matters here: python-socketio's client hands each message
to a new thread, and patched threads are greenlets started in the order their
messages arrived, so events are applied in order. Real threads could overtake.
"""

import argparse

import socketio
from gevent.event import Event
from socketio import packet

from shared.board.events import is_after
from shared.tools.terminal import BoardView, new_client_id, report

CONNECT_TIMEOUT_SECONDS = 10
RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 1, 30


class FrameCount:
    """Frames received and their bytes, as the page's meter sizes them."""

    def __init__(self):
        self.frames = 0
        self.bytes = 0

    def count(self, name, payload):
        """Count one socket.io event as it crossed the wire: Engine.IO type, packet, frame header."""
        size = 1 + len(packet.Packet(packet.EVENT, data=[name, payload]).encode().encode())
        self.frames += 1
        self.bytes += size + (2 if size < 126 else 4 if size < 65536 else 10)

    def __str__(self):
        return f"frames {self.frames}, bytes {self.bytes:,}"


class SocketFollower:
    """One socket client: its id, the cursor and board it knows, what its frames cost."""

    def __init__(self, base_url, updates_wanted=None, show=report):
        self.base_url = base_url.rstrip("/")
        self.client = new_client_id()
        self.cursor = None
        self.view = BoardView()
        self.wire = FrameCount()
        self.show = show  # called with (changes, view, wire) for every update
        self.updates_wanted = updates_wanted
        self.finished = Event()  # set once `updates_wanted` updates arrived
        self.sio = socketio.Client(
            reconnection_delay=RETRY_FIRST_SECONDS,
            reconnection_delay_max=RETRY_MAX_SECONDS,
            randomization_factor=0.5,
        )
        self.sio.on("state", self.take_state)
        self.sio.on("event", self.take_event)
        self.sio.on("disconnect", self.lost)

    def connect(self):
        """Open the socket (WebSocket only), retrying with backoff while the server is away."""
        self.sio.connect(
            self.base_url,
            auth=self.auth,
            transports=["websocket"],
            wait_timeout=CONNECT_TIMEOUT_SECONDS,
            retry=True,
        )

    def auth(self):
        """What each connection attempt sends: who we are, and the last change we saw."""
        return {"client": self.client, "cursor": self.cursor}

    def take_state(self, state):
        """A whole board: the first connect, or a cursor too old to replay from."""
        self.wire.count("state", state)
        self.cursor = state["cursor"]
        self._show(self.view.apply_state(state))

    def take_event(self, event):
        """One change, pushed by the server; an event not after our cursor would be a repeat."""
        self.wire.count("event", event)
        if not is_after(event["cursor"], self.cursor):
            return
        self.cursor = event["cursor"]
        self._show(self.view.apply_event(event))

    def lost(self, reason):
        """The connection dropped; python-socketio is already trying again (unless we closed it)."""
        if reason != self.sio.reason.CLIENT_DISCONNECT:
            print(f"reconnecting ({reason})", flush=True)

    def _show(self, changes):
        """Hand the changes to `show`, and note when enough updates have arrived."""
        self.show(changes, self.view, self.wire)
        if self.updates_wanted is not None and len(self.view.delays) >= self.updates_wanted:
            self.finished.set()

    def close(self):
        """Close the socket: the server counts this page gone at once."""
        self.sio.disconnect()


def main():
    """Parse the command line and follow the board until Ctrl-C (or N updates)."""
    parser = argparse.ArgumentParser(description="Follow the meetup board over a socket.")
    parser.add_argument("url", help="the websockets app, e.g. http://127.0.0.1:5003")
    parser.add_argument("--updates", type=int, help="stop after this many updates")
    args = parser.parse_args()
    follower = SocketFollower(args.url, args.updates)
    try:
        follower.connect()
        follower.finished.wait()
    except KeyboardInterrupt:
        pass
    finally:
        follower.close()


if __name__ == "__main__":
    main()

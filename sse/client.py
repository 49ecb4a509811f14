"""Follow the board from a terminal over one event stream, as the page does.

    python -m sse.client http://127.0.0.1:5004 [--updates N]

Same protocol as static/sse.js: open /api/stream and read its messages as they
arrive; the first is the board (`event: state`), every later one an event. When the
stream drops, open it again with the id of the last message as `Last-Event-ID`, as
the browser does, and the server replays exactly what was missed. Read
long_polling/client.py first: the follower is the same, but its one request never ends.

It reads with `requests` (stream=True), already pinned for the other clients, rather
than an SSE client library. The format is a few "field: value" lines per message,
read by shared/board/eventstream.py, which the bench's pages share; a library would be one
more dependency to pin for thirty lines. requests hands over each chunk as it comes
(the server writes a chunk per message), so no message waits in a buffer for
more bytes to arrive.
"""

import argparse
import json

import requests

from shared.board.eventstream import MessageReader
from shared.tools.follower import HttpFollower

CONNECT_TIMEOUT_SECONDS = 10
# The server writes a comment every 15 s on a quiet stream: this long with no byte
# at all (three of them missed) means the connection is dead, though no one said so.
SILENCE_SECONDS = 45


class StreamFollower(HttpFollower):
    """One event-stream client: the shared follower, plus the open stream and the last id read."""

    def __init__(self, base_url, session=None):
        super().__init__(base_url, session)
        self.reader = MessageReader()
        self.lines = None  # the open stream's lines (None before it opens, and after it drops)

    def next_changes(self):
        """Read on to the stream's next message, opening it first if need be; return its changes."""
        try:
            if self.lines is None:
                self.lines = self.open_stream()
            for line in self.lines:
                self.wire.bytes += len(line.encode()) + 1  # the line ending too
                message = self.reader.take(line)
                if message is not None:
                    return self.apply(message)
            raise requests.ConnectionError("the server ended the stream")
        except requests.RequestException:
            self.lines = None  # the follower backs off, then this opens the stream again
            raise

    def open_stream(self):
        """Open /api/stream, resuming after the last message read; return its lines as they arrive."""
        headers = {"Last-Event-ID": self.reader.last_id} if self.reader.last_id else {}
        response = self.session.get(
            f"{self.base_url}/api/stream",
            params={"client": self.client},
            headers=headers,
            stream=True,
            timeout=(CONNECT_TIMEOUT_SECONDS, SILENCE_SECONDS),
        )
        self.wire.count_head(response)
        response.raise_for_status()
        # chunk_size=None: each chunk as the server wrote it, never held for more.
        return response.iter_lines(chunk_size=None, decode_unicode=True)

    def apply(self, message):
        """Take one message: a whole board (`state`), or one event."""
        data = json.loads(message.data)
        if message.event == "state":
            return self.view.apply_state(data)
        return self.view.apply_event(data)


def main():
    """Parse the command line and follow the board until Ctrl-C (or N updates)."""
    parser = argparse.ArgumentParser(description="Follow the meetup board over an event stream.")
    parser.add_argument("url", help="the SSE app, e.g. http://127.0.0.1:5004")
    parser.add_argument("--updates", type=int, help="stop after this many updates")
    args = parser.parse_args()
    follower = StreamFollower(args.url)
    follower.follow(follower.next_changes, args.updates)


if __name__ == "__main__":
    main()

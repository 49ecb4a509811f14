"""A simulated page that follows the board over Server-Sent Events, as sse.js does with EventSource.

Read bench/http_pages.py first: the same page, with its own client id, its own
connection and its receipts. This one asks once and then only reads: one GET of
/api/stream, whose answer never ends. When it ends anyway, the page reconnects
with the id of the last message it read as `Last-Event-ID`, as the browser does.
"""

import json

from bench.http_pages import HttpPage
from shared.board.eventstream import MessageReader


class StreamPage(HttpPage):
    """sse.js: one event stream; its first message is the board, every later one an event."""

    def __init__(self, url, client):
        super().__init__(url, client)
        self.reader = MessageReader()  # keeps the last id, as EventSource does

    def answer_deadline(self):
        """A quiet stream carries a keep-alive comment every 15 s; 10 s more and it is dead."""
        return 25.0

    def ask_once(self):
        """Open the stream and read it until it ends (`lines()` raises ConnectionLost then)."""
        headers = {"Last-Event-ID": self.reader.last_id} if self.reader.last_id else {}
        head = self.connection.open_stream(f"/api/stream?client={self.client}", headers)
        if head.status != 200:
            self.connection.close()  # its body, if any, is not worth reading
            raise ValueError(f"HTTP {head.status}")
        for line in self.connection.lines():
            message = self.reader.take(line)
            if message is None:
                continue
            self.pushed += 1
            data = json.loads(message.data)
            if message.event == "state":
                self.take_cities(data["cities"], first=not self.seen)
                self.live = True
            elif data["type"] == "city":
                self.take_city_event(data["city"])
            self.live = True

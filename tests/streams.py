"""Event streams for the tests: /api/stream read in a greenlet, recording every line and message."""

import json

import gevent
import requests

from shared.board.eventstream import MessageReader

CONNECT_SECONDS, SILENCE_SECONDS = 5, 60


class RecordingStream:
    """One event stream to the SSE app that keeps every line and every message it receives, in order."""

    def __init__(self, url, params=None, headers=None):
        self.response = requests.get(
            f"{url}/api/stream",
            params=params,
            headers=headers,
            stream=True,
            timeout=(CONNECT_SECONDS, SILENCE_SECONDS),
        )
        assert self.response.status_code == 200, self.response.text
        self.lines = []
        self.messages = []
        self.ended = False  # the server ended the response
        self._reader = gevent.spawn(self._read)

    def _read(self):
        """Take in lines until the server ends the stream (or close() stops this greenlet)."""
        reader = MessageReader()
        for line in self.response.iter_lines(chunk_size=None, decode_unicode=True):
            self.lines.append(line)
            message = reader.take(line)
            if message is not None:
                self.messages.append(message)
        self.ended = True

    def states(self):
        """The boards received (`event: state`)."""
        return [json.loads(message.data) for message in self.messages if message.event == "state"]

    def events(self, event_type=None):
        """The events received, all of them or those of one type."""
        events = [json.loads(message.data) for message in self.messages if message.event == "message"]
        return [event for event in events if event_type in (None, event["type"])]

    def city_names(self):
        """The names of the cities received as events, oldest first."""
        return [event["city"]["name"] for event in self.events("city")]

    def last_id(self):
        """The id of the newest message: what a browser would send back as Last-Event-ID."""
        return self.messages[-1].id

    def close(self):
        """Stop reading and close the connection, as a closing tab does."""
        self._reader.kill()
        self.response.close()

"""The text/event-stream format: how the SSE app writes a message, and how its readers take one in.

A message is a few "field: value" lines ended by a blank line: `event:` names its
type (without one it is a plain "message"), `id:` is what the browser sends back as
`Last-Event-ID` when it reconnects, `data:` carries the payload, and `retry:` says
how long to wait before that reconnect. A line that starts with ":" is a comment,
which every reader skips: the server sends one now and then so that an idle stream
still carries a few bytes, and no proxy takes it for a dead one.
"""

import json
from dataclasses import dataclass

KEEP_ALIVE = b": keep-alive\n\n"


def encode_message(data, cursor, event=None):
    """One message as bytes: `data` as JSON, its cursor as the id, and its type if not "message".

    JSON never holds a raw line break (json.dumps escapes them), so one `data:` line is enough.
    """
    kind = f"event: {event}\n" if event else ""
    return f"{kind}id: {cursor}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def encode_events(events):
    """The board's events as messages, one after another, each with its cursor as the id."""
    return b"".join(encode_message(event, event["cursor"]) for event in events)


def encode_retry(milliseconds):
    """The field that sets how long the browser waits before it reconnects."""
    return f"retry: {milliseconds}\n\n".encode()


@dataclass(frozen=True)
class Message:
    """One message as a reader receives it."""

    event: str
    id: str
    data: str


class MessageReader:
    """Takes a stream's lines one at a time and hands back each message they complete."""

    def __init__(self):
        self.last_id = ""  # as the browser keeps it: sent back as Last-Event-ID on a reconnect
        self.retry_milliseconds = None
        self._event, self._data = "", []

    def take(self, line):
        """Take one line (without its line ending); return the Message it completes, or None."""
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment: a keep-alive
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            self.last_id = value
        elif name == "retry" and value.isdigit():
            self.retry_milliseconds = int(value)
        return None

    def _dispatch(self):
        """A blank line ends a message; one without data (a lone `retry:`) is no message."""
        event, data = self._event or "message", self._data
        self._event, self._data = "", []
        if not data:
            return None
        return Message(event, self.last_id, "\n".join(data))

"""Sockets for the tests: python-socketio's client on a real WebSocket, recording what the server pushes."""

import socketio

ANSWER_TIMEOUT_SECONDS = 5


class RecordingSocket:
    """One socket to the websockets app that keeps every `state` and `event` it receives, in order."""

    def __init__(self, url, auth=None, headers=None):
        self.received = []  # ("state", state) and ("event", event), as they arrived
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("state", lambda state: self.received.append(("state", state)))
        self.sio.on("event", lambda event: self.received.append(("event", event)))
        self.sio.connect(
            url,
            auth=auth,
            headers=headers or {},
            transports=["websocket"],
            wait_timeout=ANSWER_TIMEOUT_SECONDS,
        )

    def states(self):
        """The states received so far."""
        return [value for kind, value in self.received if kind == "state"]

    def events(self, event_type=None):
        """The events received so far, all of them or those of one type."""
        events = [value for kind, value in self.received if kind == "event"]
        return [event for event in events if event_type in (None, event["type"])]

    def city_names(self):
        """The names of the cities received as events, oldest first."""
        return [event["city"]["name"] for event in self.events("city")]

    def call(self, event, *data):
        """Send an event and return the server's acknowledgement."""
        return self.sio.call(event, *data, timeout=ANSWER_TIMEOUT_SECONDS)

    def send_city(self, name):
        """Send a city as the page does; return the acknowledgement."""
        return self.call("city", {"name": name})

    def close(self):
        """Disconnect (a socket the server already closed is fine)."""
        self.sio.disconnect()

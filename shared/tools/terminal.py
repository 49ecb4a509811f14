"""What the terminal clients share: the board as they know it, the wire count, the report.

Each technique's `client.py` only decides how updates arrive (polling asks on a
timer; later ones wait or listen) and hands them to a BoardView, the way each
page hands them to board.js.
"""

import secrets
import statistics
import time

from shared.board.events import apply_event, cursor_time


def new_client_id():
    """Return a random client id, as each browser tab makes one."""
    return secrets.token_hex(12)


class WireCount:
    """Requests sent and bytes received (status line, headers and body), as the page counts them."""

    def __init__(self):
        self.requests = 0
        self.bytes = 0

    def count(self, response):
        """Count one requests.Response."""
        self.count_head(response)
        self.bytes += len(response.content)

    def count_head(self, response):
        """Count one request and its answer's status line and headers (a stream counts its body as read)."""
        self.requests += 1
        status_line = f"HTTP/1.1 {response.status_code} {response.reason}\r\n\r\n"
        self.bytes += len(status_line) + sum(
            len(name) + len(value) + 4 for name, value in response.headers.items()
        )

    def __str__(self):
        return f"requests {self.requests}, bytes {self.bytes:,}"


class BoardView:
    """The board as one client knows it, and the changes each update brings."""

    def __init__(self):
        self.state = None
        self.clock_offset = 0.0  # the server's clock minus ours, in seconds
        self.delays = []

    def apply_state(self, state):
        """Take a whole snapshot; return the changes it shows, as lines of text."""
        self.clock_offset = state["now"] - time.time()
        before, self.state = self.state, state
        if before is None:
            return [f"board: {describe_visits(state)}, {describe_present(state['present'])}"]
        known = {city["id"] for city in before["cities"]}
        changes = [f"city {city['name']!r}" for city in reversed(state["cities"]) if city["id"] not in known]
        if state["visits"] != before["visits"]:
            changes.append(describe_visits(state))
        if state["present"] != before["present"]:
            changes.append(describe_present(state["present"]))
        self.delays.append(self.delay_since(cursor_time(state["cursor"])))
        return changes

    def apply_event(self, event):
        """Take one event (long polling, websockets); return the change it shows, as lines."""
        apply_event(self.state, event)
        kind = event["type"]
        if kind == "city":
            change = f"city {event['city']['name']!r}"
        elif kind == "visits":
            change = describe_visits(self.state)
        else:
            change = describe_present(event["present"])
        self.delays.append(self.delay_since(event["at"]))
        return [change]

    def delay_since(self, at):
        """Seconds from the server recording a change (`at`) until now, on the server's clock."""
        return max(0.0, time.time() + self.clock_offset - at)

    def median_delay(self):
        """The median delay of the updates so far, in seconds (0 before any)."""
        return statistics.median(self.delays) if self.delays else 0.0


def describe_visits(state):
    """One line of how often the board has been opened."""
    return f"opened {state['visits']} times"


def describe_present(present):
    """One line of who is here, in total and per technique."""
    parts = ", ".join(f"{name} {count}" for name, count in present.items() if name != "total")
    return f"here now {present['total']} ({parts})"


def report(changes, view, wire):
    """Print one update: what changed, its delay and the running wire count."""
    delay_ms = round(view.delays[-1] * 1000) if view.delays else 0
    for change in changes:
        print(f"{change}  [delay {delay_ms} ms; {wire}]", flush=True)

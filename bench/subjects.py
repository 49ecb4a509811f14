"""What the bench measures, column by column: the board's techniques, then the two references.

As in tests/apps.py, a new technique is one entry here (sse was).
"""

from collections.abc import Callable
from dataclasses import dataclass

from bench import servers

# A Python page process keeps one core busy at about 500 pages; Node's holds thousands.
PAGES_PER_PROCESS = {"python": 500, "node": 5000}


@dataclass(frozen=True)
class Subject:
    """One column of the table: a server, and the simulated pages that speak its protocol."""

    name: str
    label: str
    pages: str  # "python" (bench/page_process.py) or "node" (bench/node/pages.mjs)
    start_server: Callable  # (redis_url or None) -> a started servers.Server
    reference: bool = False  # a reference has no Redis, and measures fan-out only: no quiet spell

    @property
    def uses_redis(self):
        """The board's apps need one; the references have none."""
        return not self.reference

    @property
    def technique(self):
        """The technique its pages speak."""
        return self.name if self.pages == "python" else "websockets"

    def processes_for(self, pages):
        """How many client processes carry `pages` pages."""
        return max(1, -(-pages // PAGES_PER_PROCESS[self.pages]))


def _board(technique):
    """Start the board app of `technique` on the given Redis."""
    return lambda redis_url: servers.board_app(technique, redis_url).start()


def _reference(make_server):
    """Start a reference server (it needs no Redis)."""
    return lambda _redis_url: make_server().start()


SUBJECTS = (
    Subject("polling", "polling", "python", _board("polling")),
    Subject("long_polling", "long polling", "python", _board("long_polling")),
    Subject("sse", "Server-Sent Events", "python", _board("sse")),
    Subject("websockets", "websockets", "node", _board("websockets")),
    Subject("flask_socketio", "minimal Flask-SocketIO (reference)", "node",
            _reference(servers.flask_socketio_reference), reference=True),
    Subject("node_socketio", "Node's socket.io (reference)", "node",
            _reference(servers.node_reference), reference=True),
)  # fmt: skip
SUBJECTS_BY_NAME = {subject.name: subject for subject in SUBJECTS}

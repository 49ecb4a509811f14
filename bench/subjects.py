"""What the bench measures, column by column: the board's techniques, then the two references.

As in tests/apps.py, a new technique (sse) is one entry here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from bench import servers


@dataclass(frozen=True)
class Subject:
    """One column of the table: a server, and the simulated pages that speak its protocol."""

    name: str
    label: str
    pages: str  # "python" (bench/page_process.py) or "node" (bench/node/pages.mjs)
    start_server: Callable  # (redis_url or None, extra env) -> a started servers.Server
    reference: bool = False  # a reference has no Redis, and measures fan-out only: no quiet spell
    pages_per_process: int = 500  # a Python page process is one core; Node's holds thousands

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
        return max(1, -(-pages // self.pages_per_process))


def _board(technique):
    """Start the board app of `technique` on the given Redis."""
    return lambda redis_url, env=None: servers.board_app(technique, redis_url, env).start()


SUBJECTS = (
    Subject("polling", "polling", "python", _board("polling")),
    Subject("long_polling", "long polling", "python", _board("long_polling")),
    Subject("websockets", "websockets", "node", _board("websockets"), pages_per_process=5000),
    Subject(
        "flask_socketio",
        "minimal Flask-SocketIO (reference)",
        "node",
        lambda _redis_url, _env=None: servers.flask_socketio_reference().start(),
        reference=True,
        pages_per_process=5000,
    ),
    Subject(
        "node_socketio",
        "Node's socket.io (reference)",
        "node",
        lambda _redis_url, _env=None: servers.node_reference().start(),
        reference=True,
        pages_per_process=5000,
    ),
)
SUBJECTS_BY_NAME = {subject.name: subject for subject in SUBJECTS}

"""What the bench measures, column by column: the board's techniques, each on its tuned path and
its textbook path (TEXTBOOK=1, docs/tuning.md), then the two references.

As in tests/apps.py, a new technique is one entry in TECHNIQUES here (sse was).
"""

import os
from collections.abc import Callable
from dataclasses import dataclass

from bench import servers
from shared.board.settings import textbook_from_env

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
        return self.name.removesuffix("_textbook") if self.pages == "python" else "websockets"

    def processes_for(self, pages):
        """How many client processes carry `pages` pages."""
        return max(1, -(-pages // PAGES_PER_PROCESS[self.pages]))


def _board(technique, textbook):
    """Start the board app of `technique`, on the path asked for, on the given Redis."""
    return lambda redis_url: servers.board_app(technique, redis_url, textbook).start()


def _reference(make_server):
    """Start a reference server (it needs no Redis)."""
    return lambda _redis_url: make_server().start()


# The board's techniques: (name, label, the client that plays its pages).
TECHNIQUES = (
    ("polling", "polling", "python"),
    ("long_polling", "long polling", "python"),
    ("sse", "Server-Sent Events", "python"),
    ("websockets", "websockets", "node"),
)


def board_subjects(textbook):
    """One subject per technique, on the tuned path or (textbook=True) the textbook one."""
    return tuple(
        Subject(name + "_textbook", label + " (textbook)", pages, _board(name, True))
        if textbook
        else Subject(name, label, pages, _board(name, False))
        for name, label, pages in TECHNIQUES
    )


TUNED, TEXTBOOK = board_subjects(textbook=False), board_subjects(textbook=True)
REFERENCES = (
    Subject("flask_socketio", "minimal Flask-SocketIO (reference)", "node",
            _reference(servers.flask_socketio_reference), reference=True),
    Subject("node_socketio", "Node's socket.io (reference)", "node",
            _reference(servers.node_reference), reference=True),
)  # fmt: skip
# Every subject, each textbook column right after its tuned one, as comparison.md sets them.
SUBJECTS = (*(s for pair in zip(TUNED, TEXTBOOK, strict=True) for s in pair), *REFERENCES)
SUBJECTS_BY_NAME = {subject.name: subject for subject in SUBJECTS}


def default_subjects():
    """What `make bench` runs: both paths, or only the one TEXTBOOK names (0 or 1), with the references."""
    if os.environ.get("TEXTBOOK", "") == "":
        return SUBJECTS
    return (*(TEXTBOOK if textbook_from_env() else TUNED), *REFERENCES)

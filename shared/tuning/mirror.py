"""The board as this process's listener last read it: a socket's first state costs Redis nothing.

A socket that connects without a cursor needs the whole board: visits, who is
here, the newest cities, and the cursor they are as of. Read from Redis, that is
a round trip on the process's pool for every arrival, and a restart brings
thousands of arrivals at once: the pool ran dry while Redis was fine. The
listener reads every event anyway, so it keeps the board up to date in memory,
from one state read when it starts, applying each event as a page does. Its
totals are those of the newest event, which is what its cursor says too.

Part of the listener's memory: memory.py plugs it in where the store would read `state()`.
What it buys, with the rest of the tuning, measured by `make bench FULL=1` on 2026-12-05,
1,000 pages per technique (docs/tuning.md, "Openings told together"; textbook / tuned): the
reconnect storm cost Redis 10,128 / 3,220 commands for websockets and 10,129 / 3,718 for SSE.
"""

import time

from shared.board.events import apply_event


class BoardMirror:
    """A state object kept up to date with every event the listener reads."""

    def __init__(self, state):
        self.board = dict(state)
        # The state's `now` is Redis's clock, which stamps every event's `at`: keep to it.
        self.clock_offset = state["now"] - time.time()

    @property
    def cursor(self):
        """The newest event the board includes."""
        return self.board["cursor"]

    def apply(self, batch, last_id):
        """Apply a batch the listener read (its entries reached `last_id`, skipped ones too)."""
        for event in batch:
            apply_event(self.board, event)
        self.board["cursor"] = last_id

    def state(self):
        """The board as a state object of its own, the same shape as the store's."""
        return {
            **self.board,
            "present": dict(self.board["present"]),
            "cities": list(self.board["cities"]),
            "now": time.time() + self.clock_offset,
        }

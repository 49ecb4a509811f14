"""The newest events, in this process's memory: a page a little behind is answered without Redis.

The listener already reads every event once for the whole process. Keeping the
newest of them answers the commonest question of all, "what came after my
cursor?" asked again right after an answer, with no Redis round trip: when a
city wakes a thousand held requests, their thousand re-asks cost Redis nothing.
A cursor the memory does not know (older than what it keeps, newer than what the
listener has read, or none of its events' ids: from before Redis was wiped, say)
goes to Redis, which alone can say "too old".

Part of the listener's memory: memory.py plugs it in where the store would send an XRANGE.
What it buys, measured by `make bench FULL=1` on 2026-12-05, 1,000 pages per technique
(docs/tuning.md, "The listener's memory"; textbook / tuned): long polling's Redis commands a
second while cities were written, 13,614 / 98.
"""

import bisect

from shared.board.events import parse_cursor


class RecentEvents:
    """Every event after `start` up to the listener's last read, the newest `kept` of them."""

    def __init__(self, start, kept):
        self.kept = kept  # never more than Redis keeps, so that "too old" means the same here
        self.covered_after = parse_cursor(start)  # every event after this one is held, up to read_up_to
        self.read_up_to = parse_cursor(start)
        self.positions = []  # parsed cursors, oldest first, for bisect
        self.events = []

    def add(self, batch, last_id):
        """Keep a batch the listener read (its entries reached `last_id`)."""
        self.positions += [parse_cursor(event["cursor"]) for event in batch]
        self.events += batch
        self.read_up_to = parse_cursor(last_id)
        if len(self.events) > 2 * self.kept:  # trim now and then, not on every batch
            self.covered_after = self.positions[-self.kept - 1]
            del self.positions[: -self.kept], self.events[: -self.kept]

    def after(self, cursor, limit):
        """The events after `cursor` (at most `limit`), or None when memory cannot say."""
        position = parse_cursor(cursor)
        first = bisect.bisect_right(self.positions, position)
        # Only a cursor handed out in this history: an event held, or where the memory starts or ends.
        # Between two of those there is none, unless it is from another history (Redis was wiped).
        held = first > 0 and self.positions[first - 1] == position
        if not (held or position in (self.covered_after, self.read_up_to)):
            return None
        return self.events[first : first + limit]

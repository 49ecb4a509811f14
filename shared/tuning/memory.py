"""The listener's memory: the board and the newest events, kept in this process as the listener reads them.

Replaces three of the store's Redis reads (shared/store/store.py, `memory`):
- a poll's 304: the newest cursor is the listener's last read, not an XREVRANGE;
- the first state of a socket or stream that opens: the board as the listener last
  applied it (mirror.py), not a MULTI of five reads;
- "what came after my cursor?", asked again by a held request or a reconnecting page:
  the newest events in memory (recent.py), not an XRANGE.
Why: the listener reads every event once for the whole process anyway, and a crowd asks
these three questions at the same moment (a restart brings every page back at once),
so a round trip each ran the process's pool of Redis connections dry while Redis was
fine. Only while the listener follows Redis: while Redis is away, the store asks Redis
and fails as it should.

What it buys, measured by `make bench FULL=1` on 2026-12-05, 1,000 pages per technique
(docs/tuning.md, "The listener's memory"; textbook / tuned): Redis commands a second while
cities were written, long polling 13,614 / 98 (139×), polling 7,558 / 5,623 (1.3×), SSE and
websockets 365 / 354 and 366 / 354; long polling's p99 delay 748 / 796 ms; and with openings told
together (group_commit.py), long polling's reconnect storm, 3.82 / 0.77 s and 31,506 / 2,096 commands.
"""

from shared.board.events import START_CURSOR, decode_events
from shared.tuning.mirror import BoardMirror
from shared.tuning.recent import RecentEvents


class ListenerMemory:
    """What the listener has read, kept to answer the store's reads without Redis."""

    def __init__(self, listener, kept):
        self.listener = listener
        self.kept = kept  # never more events than Redis keeps, so that "too old" means the same here
        self.board = None  # the board as of the listener's last read (mirror.py)
        self.recent = None  # the newest events up to that read (recent.py)

    def fill(self, listener):
        """Read the board and the newest events once, as the listener starts; return their cursor."""
        self.board = BoardMirror(listener.store.state())
        last_id = self.board.cursor
        # Pages reconnecting after a restart carry cursors from a moment before it: a crowd
        # of them is then answered from memory, not a Redis read each.
        entries = listener.redis.xrevrange(listener.events_key, max=last_id, count=self.kept)[::-1]
        # Fewer than `kept` means the stream was never trimmed: everything is here.
        start = entries[0][0] if len(entries) == self.kept else START_CURSOR
        self.recent = RecentEvents(start, self.kept)
        self.recent.add(decode_events(entries), last_id)
        return last_id

    def add(self, batch, last_id):
        """Keep a batch the listener read (its entries reached `last_id`, skipped ones too)."""
        self.recent.add(batch, last_id)
        self.board.apply(batch, last_id)

    def newest_cursor(self):
        """The newest event this process has read (it starts the listener: a poll's 304 asks this)."""
        self.listener.start()
        return self.listener.last_id

    def state(self):
        """The board from memory, or None while the listener has lost Redis (its board may be behind)."""
        self.listener.start()
        return self.board.state() if self.listener.following else None

    def events_after(self, cursor, limit):
        """The events after `cursor` from memory, or None when memory cannot say (recent.py)."""
        return self.recent.after(cursor, limit) if self.recent is not None else None

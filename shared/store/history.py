"""The event stream read back from Redis: the newest cursor, and what came after a cursor."""

from shared.board.events import START_CURSOR, CursorTooOld, decode_events, parse_cursor

EVENTS_PER_READ = 100


class History:
    """Reads one board's event stream, and tells a cursor it can still follow from one too old."""

    def __init__(self, redis, events_key, events_kept):
        self.redis = redis
        self.events_key = events_key
        self.events_kept = events_kept

    def newest_cursor(self):
        """Return the cursor of the newest event: what a poller's ETag is made of."""
        newest = self.redis.xrevrange(self.events_key, count=1)
        return newest[0][0] if newest else START_CURSOR

    def events_after(self, cursor, limit=EVENTS_PER_READ):
        """Return the events after `cursor`, oldest first, or raise CursorTooOld."""
        position = parse_cursor(cursor)
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.xrange(self.events_key, min=f"({cursor}", count=limit)
            pipe.xrange(self.events_key, count=1)
            pipe.xrevrange(self.events_key, count=1)
            pipe.xlen(self.events_key)
            entries, oldest, newest, length = pipe.execute()
        start = parse_cursor(START_CURSOR)
        # Every cursor handed out is an entry's id, or the start (an empty stream's board), so one
        # before the oldest entry is too old: trimmed away, or from before Redis was wiped (another
        # history, whose ids the new one has passed). The start is too, once trimming has begun
        # (it leaves at least `events_kept` entries). One after the newest is from another history.
        trimmed = length >= self.events_kept
        before_oldest = oldest and (trimmed or position != start) and position < parse_cursor(oldest[0][0])
        if before_oldest or position > (parse_cursor(newest[0][0]) if newest else start):
            raise CursorTooOld(cursor)
        return decode_events(entries)

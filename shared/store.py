"""The store: the one module that talks to Redis. Every app reads and writes through it.

Keys, all under one prefix: `visits` (a counter), `cities` (a list, newest first),
`events` (a stream: every change, its entry id the cursor), `present:<technique>`
(leases of open pages; `holders:` who holds them open), `pending:<kind>` and `rate:<who>` (bookkeeping).
"""

import functools
import time

import gevent
import redis

from shared import ratelimit
from shared.coalesce import PUBLISH_PRESENCE, PUBLISH_VISITS, Coalescer
from shared.connection import connect, redis_url_for
from shared.events import (
    CITIES_SHOWN,
    START_CURSOR,
    CursorTooOld,
    city_from,
    decode_events,
    is_after,
    parse_cursor,
)
from shared.leases import LeaseBatcher
from shared.listener import Listener
from shared.presence import TECHNIQUES, Presence
from shared.settings import Settings

EVENTS_PER_READ = 100

# The city's id is the entry id of its event, so the stream and the list agree.
ADD_CITY = """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'type', 'city', 'city', ARGV[1])
redis.call('LPUSH', KEYS[2], id .. ' ' .. ARGV[1])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
return id
"""


class Store:
    """Visits, presence, cities and the events that tell clients about them."""

    def __init__(self, settings: Settings):
        self.settings = settings
        prefix = settings.key_prefix
        self.visits_key, self.cities_key = f"{prefix}visits", f"{prefix}cities"
        self.events_key = f"{prefix}events"
        redis_url = redis_url_for(settings)
        self.redis = connect(redis_url, settings, name=f"{prefix}store")
        self.presence = Presence(self.redis, prefix, settings.presence_window_seconds)
        self._add_city = self.redis.register_script(ADD_CITY)
        self._publish_visits = self.redis.register_script(PUBLISH_VISITS)
        self._publish_presence = self.redis.register_script(PUBLISH_PRESENCE)
        publishers = {"visits": self.publish_visits, "presence": self.publish_presence}
        self.coalescer = Coalescer(self.redis, prefix, settings.coalesce_seconds, publishers)
        presence_changed = functools.partial(self.coalescer.changed, "presence")
        self.leases = LeaseBatcher(self.presence, settings.coalesce_seconds, presence_changed)
        self.listener = Listener(
            redis_url,
            self.events_key,
            f"{prefix}listener",
            read_state=self.state,
            recent_kept=min(1000, settings.events_kept),
        )
        self._sweeper = None

    def count_visit(self):
        """Count one opening of the page and return the new total."""
        visits = self.redis.incr(self.visits_key)
        self.coalescer.changed("visits")
        return visits

    def add_city(self, name):
        """Store a (validated) city and announce it as its own event; return it."""
        keys = [self.events_key, self.cities_key]
        settings = self.settings
        entry_id = self._add_city(keys, [name, settings.events_kept, settings.cities_kept])
        return city_from(entry_id, name)

    def seconds_until_city_allowed(self, who):
        """Count a city from `who`; 0 if allowed, else how long until one would be."""
        limit, period = self.settings.rate_limit_cities, self.settings.rate_limit_seconds
        return ratelimit.seconds_until_allowed(
            self.redis, f"{self.settings.key_prefix}rate:{who}", limit, period
        )

    def mark_present(self, technique, client, held_seconds=0):
        """Renew this page's lease: the window past any hold; a new arrival changes the totals.

        `held_seconds`: how long the server may hold this request open (long polling).
        The page asks nothing while it waits, so its lease covers the hold too.
        """
        window = self.settings.presence_window_seconds
        if self.leases.renew(technique, client, time.time() + held_seconds + window):
            self.coalescer.changed("presence")

    def mark_gone(self, technique, client):
        """End this page's presence lease at once."""
        if self.leases.leave(technique, client):
            self.coalescer.changed("presence")

    def cursor_if_unchanged(self, etags):
        """The newest event's cursor if the page's ETag names it (its board has not changed), else None.

        Asked first of this process's listener, which has read every event up to a
        moment ago: a poll that finds nothing new then costs Redis nothing. Only a
        page that looks behind (or ahead of the listener) is checked against Redis.
        """
        self.listener.start()
        if etags.contains(self.listener.last_id):
            return self.listener.last_id
        cursor = self.latest_cursor()
        return cursor if etags.contains(cursor) else None

    def latest_cursor(self):
        """Return the cursor of the newest event: what a poller's ETag is made of."""
        newest = self.redis.xrevrange(self.events_key, count=1)
        return newest[0][0] if newest else START_CURSOR

    def state(self):
        """Return the snapshot that /api/state serves, consistent with its cursor."""
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.get(self.visits_key)
            self.presence.queue_counts(pipe)
            pipe.lrange(self.cities_key, 0, CITIES_SHOWN - 1)
            pipe.xrevrange(self.events_key, count=1)
            pipe.time()
            visits, *counts, cities, newest, (seconds, microseconds) = pipe.execute()
        return {
            "visits": int(visits or 0),
            "present": self.presence.counts_from(counts),
            "cities": [city_from(*item.split(" ", 1)) for item in cities],
            "cursor": newest[0][0] if newest else START_CURSOR,
            "now": seconds + microseconds / 1_000_000,
        }

    def current_state(self):
        """The state from this process's listener, which keeps the board in memory; from Redis when it cannot.

        A crowd of sockets arriving at once then costs Redis nothing for their states.
        While the listener has lost Redis its board may be behind, so Redis is asked,
        and a connect fails as it should.
        """
        self.listener.start()
        if self.listener.following:
            return self.listener.board.state()
        return self.state()

    def events_after(self, cursor, limit=EVENTS_PER_READ):
        """Return the events after `cursor`, oldest first, or raise CursorTooOld.

        From this process's memory of the newest events when it covers the cursor
        (no Redis round trip: shared/recent.py), else from Redis.
        """
        position = parse_cursor(cursor)
        recent = self.listener.recent.after(cursor, limit) if self.listener.recent else None
        if recent is not None:
            return recent
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
        trimmed = length >= self.settings.events_kept
        before_oldest = oldest and (trimmed or position != start) and position < parse_cursor(oldest[0][0])
        if before_oldest or position > (parse_cursor(newest[0][0]) if newest else start):
            raise CursorTooOld(cursor)
        return decode_events(entries)

    def events_until(self, cursor, until):
        """Every event after `cursor`, read a page at a time on up to `until` at least; CursorTooOld as above.

        A socket or stream that (re)connects catches up with it. The store is asked
        once even when `cursor` looks current: a cursor from before a wiped Redis is
        ahead of the stream, and only the store can say so.
        """
        events = []
        while True:
            page = self.events_after(cursor)
            events += page
            if not page or not is_after(until, page[-1]["cursor"]):
                return events
            cursor = page[-1]["cursor"]

    def publish_visits(self):
        """Append one visits event with the current total."""
        return self._publish_visits([self.events_key, self.visits_key], [self.settings.events_kept])

    def publish_presence(self):
        """Append one presence event with the current totals."""
        keys = [self.events_key, *self.presence.keys()]
        return self._publish_presence(keys, [self.settings.events_kept, time.time(), *TECHNIQUES])

    def start_sweeping(self):
        """Start this process's greenlet that notices leases running out."""
        if self._sweeper is None:
            self._sweeper = gevent.spawn(self._sweep_forever)

    def _sweep_forever(self):
        """Every sweep_seconds, drop lapsed leases and announce the new totals."""
        while True:
            gevent.sleep(self.settings.sweep_seconds)
            self.leases.drop_lapsed(time.time())
            try:
                if self.presence.sweep():
                    self.coalescer.changed("presence")
            except redis.RedisError:
                pass  # Redis is away; the next sweep catches up

    def hold_open(self, technique, holder, clients):
        """Keep pages present while `holder` (this process) has their connections open (they ask nothing)."""
        if clients and self.presence.hold(technique, holder, clients):
            self.coalescer.changed("presence")  # new, or they had lapsed (Redis was away): they count again

    def release_open(self, technique, holder, client):
        """`holder` closed this page's last connection: it leaves, unless another process holds it open."""
        if self.presence.release(technique, holder, client):
            self.coalescer.changed("presence")

    def close(self):
        """Stop this store's greenlets and close its connections."""
        if self._sweeper is not None:
            self._sweeper.kill()
        self.leases.stop()
        self.listener.stop()
        self.redis.connection_pool.disconnect()

"""The store: the one place the apps talk to Redis about the board. Every app reads and writes through it.

Keys, all under one prefix: `visits` (a counter), `cities` (a list, newest first),
`events` (a stream: every change, its entry id the cursor), `present:<technique>`
(leases of open pages; `holders:` who holds them open), `pending:<kind>` and `rate:<who>` (bookkeeping).

As made here, the store is the textbook one: each request does its own Redis work.
The tuned path (shared/tuning/, plugged in by shared/serve.py unless TEXTBOOK=1)
replaces three parts, each marked "seam" below, with versions built for a crowd.
"""

import time

import gevent

from shared.board.events import CITIES_SHOWN, START_CURSOR, city_from, is_after
from shared.store import ratelimit
from shared.store.history import EVENTS_PER_READ, History
from shared.store.pool import connect
from shared.store.presence import Presence
from shared.store.totals import Totals

# The city's id is the entry id of its event, so the stream and the list agree.
ADD_CITY = """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'type', 'city', 'city', ARGV[1])
redis.call('LPUSH', KEYS[2], id .. ' ' .. ARGV[1])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
return id
"""


class Store:
    """Visits, presence, cities and the events that tell clients about them."""

    def __init__(self, settings):
        self.settings = settings
        prefix = settings.key_prefix
        self.visits_key, self.cities_key = f"{prefix}visits", f"{prefix}cities"
        self.events_key = f"{prefix}events"
        self.redis = connect(settings.redis_url, settings, name=f"{prefix}store")
        self.presence = Presence(self.redis, prefix, settings.presence_window_seconds)
        self.history = History(self.redis, self.events_key, settings.events_kept)
        self.totals = Totals(self.redis, self.events_key, self.visits_key, self.presence, settings)
        self._add_city = self.redis.register_script(ADD_CITY)
        self.leases = self.presence  # seam: a request's lease is its own ZADD (tuned: tuning/leases.py)
        self.totals_changed = self.totals.publish  # seam: an event per change (tuned: tuning/coalesce.py)
        self.memory = None  # seam: every read asks Redis (tuned: the listener's memory, tuning/memory.py)
        self.on_close = []  # what else stops with the store: the listener, the tuned parts' greenlets
        self._sweeper = None

    def count_visit(self):
        """Count one opening of the page and return the new total."""
        visits = self.redis.incr(self.visits_key)
        self.totals_changed("visits")
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
        lease_end = time.time() + held_seconds + self.settings.presence_window_seconds
        if self.leases.renew(technique, client, lease_end):
            self.totals_changed("presence")

    def mark_gone(self, technique, client):
        """End this page's presence lease at once."""
        if self.leases.leave(technique, client):
            self.totals_changed("presence")

    def hold_open(self, technique, holder, clients):
        """Keep pages present while `holder` (this process) has their connections open (they ask nothing)."""
        if clients and self.presence.hold(technique, holder, clients):
            self.totals_changed("presence")  # new, or they had lapsed (Redis was away): they count again

    def release_open(self, technique, holder, client):
        """`holder` closed this page's last connection: it leaves, unless another process holds it open."""
        if self.presence.release(technique, holder, client):
            self.totals_changed("presence")

    def state(self):
        """Return the whole board from Redis, as /api/state serves it, consistent with its cursor."""
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

    def state_for_new_page(self):
        """The board for a socket or stream that opens: `state()`, or the tuned path's memory of it."""
        remembered = self.memory.state() if self.memory is not None else None
        return remembered or self.state()

    def cursor_if_unchanged(self, etags):
        """The newest event's cursor if the page's ETag names it (its board has not changed), else None."""
        if self.memory is not None and etags.contains(self.memory.newest_cursor()):
            return self.memory.newest_cursor()  # tuned: a poll that finds nothing new costs Redis nothing
        cursor = self.history.newest_cursor()
        return cursor if etags.contains(cursor) else None

    def events_after(self, cursor, limit=EVENTS_PER_READ):
        """Return the events after `cursor`, oldest first, or raise CursorTooOld (store/history.py)."""
        remembered = self.memory.events_after(cursor, limit) if self.memory is not None else None
        return remembered if remembered is not None else self.history.events_after(cursor, limit)

    def events_until(self, cursor, until):
        """Every event after `cursor`, a page at a time, on up to `until` at least; CursorTooOld as above.

        A socket or stream that (re)connects catches up with it. Asked even when `cursor` looks
        current: one from before a wiped Redis is ahead of the stream, and only the store can say so.
        """
        events = []
        while True:
            page = self.events_after(cursor)
            events += page
            if not page or not is_after(until, page[-1]["cursor"]):
                return events
            cursor = page[-1]["cursor"]

    def start_sweeping(self):
        """Start this process's greenlet that notices leases running out, and announces the new totals."""
        if self._sweeper is None:
            # Through a lambda, not the method: the tuning may replace totals_changed after this.
            changed = lambda: self.totals_changed("presence")  # noqa: E731
            self._sweeper = gevent.spawn(self.presence.sweep_forever, self.settings.sweep_seconds, changed)

    def close(self):
        """Stop this store's greenlets (and what was added to `on_close`), and close its connections."""
        if self._sweeper is not None:
            self._sweeper.kill()
        for stop in self.on_close:
            stop()
        self.redis.connection_pool.disconnect()

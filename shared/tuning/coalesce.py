"""Coalesced totals: a thousand arrivals cost a few events, not a thousand broadcasts.

Replaces the store's event per change (shared/store/store.py, `totals_changed`).
Why: every visit and every page arriving or leaving changes a total, and the textbook
path appends an event for each, which every open page then receives: a room of N
arriving at once sends N events to N pages, N² messages. Here a change only marks
its kind as pending; the first process to mark it (SET NX, shared by every process
through Redis) publishes one event a moment later carrying the latest totals
(shared/store/totals.py).

What it buys, measured by `make bench FULL=1` on 2026-12-05, 1,000 pages per technique
(docs/tuning.md, "Coalesced totals"; textbook / tuned): what a page received while the room
arrived and its news settled, SSE 508.0 / 6.1 events (83.8×), websockets 524.8 / 8.7 frames
(60.2×); a polling or long polling page asks about as often either way (2.6 / 2.6, 4.0 / 3.2
requests). Totals reach a page up to `coalesce_seconds` (0.25 s) later; cities never wait.
"""

import logging

import gevent
import redis

from shared.board.backoff import retry_delay

log = logging.getLogger(__name__)

# A pending mark outlives a publisher that dies before publishing, but not by much.
PENDING_MARK_MILLISECONDS = 2000
RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 0.5, 5.0


class Coalescer:
    """Turns many changes of one kind into at most one event per interval."""

    def __init__(self, redis_client, key_prefix, interval_seconds, publish):
        self.redis = redis_client
        self.key_prefix = key_prefix
        self.interval_seconds = interval_seconds
        self.publish = publish  # called with a kind, appends its event (the store's totals.publish)
        self.scheduled = set()  # the kinds this process will publish shortly

    def changed(self, kind):
        """Note a change of `kind`; schedule a publish unless one is already pending."""
        if kind in self.scheduled:
            return  # this process publishes it shortly: a crowd's arrivals cost Redis nothing more
        # Noted before the round trip: a crowd woken together (shared/tuning/group_commit.py)
        # then sends one SET between them, not one each while the first is on its way.
        self.scheduled.add(kind)
        first = False
        try:
            first = self.redis.set(
                f"{self.key_prefix}pending:{kind}", 1, nx=True, px=PENDING_MARK_MILLISECONDS
            )
        finally:
            if not first:  # another process publishes it, or Redis is away: the next change asks again
                self.scheduled.discard(kind)
        if first:
            gevent.spawn_later(self.interval_seconds, self._publish, kind)

    def _publish(self, kind, failures=0):
        """Append one event with the latest totals of `kind` (runs once per pending mark)."""
        self.scheduled.discard(kind)
        try:
            # Unmark before reading the totals: a change made after this line
            # marks again and gets an event of its own, so none goes unshown.
            self.redis.delete(f"{self.key_prefix}pending:{kind}")
            self.publish(kind)
        except redis.RedisError as error:
            # Try again: no later change may come along to publish these totals,
            # and the pages would show stale ones until one did.
            wait = retry_delay(failures + 1, RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS)
            log.warning("could not publish %s (%s); retrying in %.1f s", kind, error, wait)
            gevent.spawn_later(wait, self._publish, kind, failures + 1)

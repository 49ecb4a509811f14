"""Coalesced totals: a thousand arrivals cost a few events, not a thousand broadcasts.

A change to the visits or to presence only marks its kind as pending. The first
process to mark it (SET NX, shared by every process through Redis) publishes one
event a moment later carrying the latest totals, read and appended by one Lua
script so that two publishers can never append totals out of order.
"""

import logging

import gevent
import redis

from shared.backoff import retry_delay

log = logging.getLogger(__name__)

# A pending mark outlives a publisher that dies before publishing, but not by much.
PENDING_MARK_MILLISECONDS = 2000
RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 0.5, 5.0

PUBLISH_VISITS = """
local visits = redis.call('GET', KEYS[2]) or '0'
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'type', 'visits', 'visits', visits)
"""

# KEYS: the stream, then one presence key per technique; ARGV: events kept, now, the names.
PUBLISH_PRESENCE = """
local words = {}
for i = 2, #KEYS do
  table.insert(words, ARGV[i + 1])
  table.insert(words, redis.call('ZCOUNT', KEYS[i], '(' .. ARGV[2], '+inf'))
end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
                  'type', 'presence', 'present', table.concat(words, ' '))
"""


class Coalescer:
    """Turns many changes of one kind into at most one event per interval."""

    def __init__(self, redis_client, key_prefix, interval_seconds, publishers):
        self.redis = redis_client
        self.key_prefix = key_prefix
        self.interval_seconds = interval_seconds
        self.publishers = publishers  # kind -> function that appends the event
        self.scheduled = set()  # the kinds this process will publish shortly

    def changed(self, kind):
        """Note a change of `kind`; schedule a publish unless one is already pending."""
        if kind in self.scheduled:
            return  # this process publishes it shortly: a crowd's arrivals cost Redis nothing more
        # Noted before the round trip: a crowd woken together (shared/group_commit.py)
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
            self.publishers[kind]()
        except redis.RedisError as error:
            # Try again: no later change may come along to publish these totals,
            # and the pages would show stale ones until one did.
            wait = retry_delay(failures + 1, RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS)
            log.warning("could not publish %s (%s); retrying in %.1f s", kind, error, wait)
            gevent.spawn_later(wait, self._publish, kind, failures + 1)

"""The totals as events: visits and presence, each appended to the stream with its latest value.

Read and appended by one Lua script each, so that two processes publishing at
once can never append totals out of order. The textbook path publishes one event
per change; the tuned path gathers a crowd's changes into one (shared/tuning/coalesce.py).
"""

import time

from shared.board.techniques import TECHNIQUES

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


class Totals:
    """Appends one event carrying the latest visits, or the latest presence counts."""

    def __init__(self, redis, events_key, visits_key, presence, settings):
        self.events_key, self.visits_key = events_key, visits_key
        self.presence = presence
        self.events_kept = settings.events_kept
        self._publish_visits = redis.register_script(PUBLISH_VISITS)
        self._publish_presence = redis.register_script(PUBLISH_PRESENCE)

    def publish(self, kind):
        """Append one event of `kind` ("visits" or "presence") with its latest totals; return its id."""
        if kind == "visits":
            return self._publish_visits([self.events_key, self.visits_key], [self.events_kept])
        keys = [self.events_key, *self.presence.keys()]
        return self._publish_presence(keys, [self.events_kept, time.time(), *TECHNIQUES])

"""Who is here now: one sorted set per technique, scored by when each page's lease ends.

A page's lease is renewed by every request it makes (`renew`: the request's own
ZADD; the tuned path sends them in batches, shared/tuning/leases.py) or held open by
its socket or stream (`hold`), and ends `presence_window` seconds after the last one.
Counting is ZCOUNT over the leases still running, so an arrival costs O(log N)
however many pages are open.
"""

import time

import gevent
import redis

from shared.board.techniques import TECHNIQUES

# A page's connections may be open on several processes at once (a tab reconnecting to
# another one while its old socket lingers), so each process notes itself as a holder
# of the page, with its own lease end, and the page leaves only when no holder is left.
# KEYS[1]: one technique's leases; KEYS[2..]: each page's holders. ARGV[1]: lease end,
# ARGV[2]: this process, ARGV[3..]: the pages. Returns how many pages were new to the leases.
HOLD_OPEN = """
local arrived = 0
for i = 2, #KEYS do
  arrived = arrived + redis.call('ZADD', KEYS[1], 'GT', ARGV[1], ARGV[i + 1])
  redis.call('ZADD', KEYS[i], ARGV[1], ARGV[2])
  redis.call('PEXPIREAT', KEYS[i], math.ceil(tonumber(ARGV[1]) * 1000))
end
return arrived
"""
# KEYS[1]: the leases, KEYS[2]: the page's holders; ARGV[1]: this process, ARGV[2]: now, ARGV[3]: the page.
# A holder whose lease has run out (its process died) holds nothing. Returns 1 if the page left.
RELEASE_OPEN = """
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('ZCOUNT', KEYS[2], '(' .. ARGV[2], '+inf') > 0 then return 0 end
redis.call('DEL', KEYS[2])
return redis.call('ZREM', KEYS[1], ARGV[3])
"""
HOLDS_PER_CALL = 500


class Presence:
    """Leases of open pages, per technique, in Redis."""

    def __init__(self, redis, key_prefix, window_seconds):
        self.redis = redis
        self.key_prefix = key_prefix
        self.window_seconds = window_seconds
        self._hold = redis.register_script(HOLD_OPEN)
        self._release = redis.register_script(RELEASE_OPEN)

    def key(self, technique):
        """Return the sorted set that holds this technique's leases."""
        return f"{self.key_prefix}present:{technique}"

    def keys(self):
        """Return every technique's key, in TECHNIQUES order."""
        return [self.key(technique) for technique in TECHNIQUES]

    def renew(self, technique, client, lease_end):
        """Extend this page's lease to `lease_end`; True if it arrived (it was not counted before)."""
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.zscore(self.key(technique), client)
            pipe.zadd(self.key(technique), {client: lease_end}, gt=True)
            previous, _ = pipe.execute()
        return previous is None or previous <= time.time()

    def leave(self, technique, client):
        """End this page's lease now; True if it was counted."""
        return self.redis.zrem(self.key(technique), client) == 1

    def queue_counts(self, pipe):
        """Queue one ZCOUNT per technique on `pipe`; `counts_from` reads the answers."""
        now = time.time()
        for key in self.keys():
            pipe.zcount(key, f"({now}", "+inf")

    @staticmethod
    def counts_from(answers):
        """Build the spec's `present` object from the answers of `queue_counts`."""
        counts = dict(zip(TECHNIQUES, answers, strict=True))
        return {"total": sum(counts.values()), **counts}

    def sweep_forever(self, interval_seconds, on_dropped):
        """Every `interval_seconds`, drop ended leases; call `on_dropped` when some were (totals changed)."""
        while True:
            gevent.sleep(interval_seconds)
            try:
                if self.sweep():
                    on_dropped()
            except redis.RedisError:
                pass  # Redis is away; the next sweep catches up

    def sweep(self):
        """Drop ended leases; True if any were dropped (the totals shown must change)."""
        now = time.time()
        with self.redis.pipeline(transaction=False) as pipe:
            for key in self.keys():
                pipe.zremrangebyscore(key, "-inf", now)
            return any(pipe.execute())

    def holders_key(self, technique, client):
        """Return the sorted set of the processes that hold this page's connections open, by lease end."""
        return f"{self.key_prefix}holders:{technique}:{client}"

    def hold(self, technique, holder, clients):
        """Extend the leases of pages `holder` has connections of open; return how many arrived anew.

        One script call per chunk of pages, so that ten thousand sockets cost a few
        calls and no single call holds Redis for long.
        """
        lease_end = time.time() + self.window_seconds
        arrived = 0
        for start in range(0, len(clients), HOLDS_PER_CALL):
            chunk = clients[start : start + HOLDS_PER_CALL]
            keys = [self.key(technique), *(self.holders_key(technique, client) for client in chunk)]
            arrived += self._hold(keys, [lease_end, holder, *chunk])
        return arrived

    def release(self, technique, holder, client):
        """`holder` closed this page's last connection: end its lease unless another process holds it open."""
        keys = [self.key(technique), self.holders_key(technique, client)]
        return self._release(keys, [holder, time.time(), client]) == 1

"""Who is here now: one sorted set per technique, scored by when each page's lease ends.

A page's lease is renewed by every request it makes (sent to Redis in batches, by
shared/leases.py) or held open by its socket, and ends `presence_window` seconds
after the last one. Counting is ZCOUNT over the leases still running, so an arrival
costs O(log N) however many pages are open.
"""

import time

# Every technique a page can be counted under, in the story's order; a new sibling app adds its name here.
TECHNIQUES = ("polling", "long_polling", "sse", "websockets")


class Presence:
    """Leases of open pages, per technique, in Redis."""

    def __init__(self, redis, key_prefix, window_seconds):
        self.redis = redis
        self.key_prefix = key_prefix
        self.window_seconds = window_seconds

    def key(self, technique):
        """Return the sorted set that holds this technique's leases."""
        return f"{self.key_prefix}present:{technique}"

    def keys(self):
        """Return every technique's key, in TECHNIQUES order."""
        return [self.key(technique) for technique in TECHNIQUES]

    def end(self, technique, client):
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

    def sweep(self):
        """Drop ended leases; True if any were dropped (the totals shown must change)."""
        now = time.time()
        with self.redis.pipeline(transaction=False) as pipe:
            for key in self.keys():
                pipe.zremrangebyscore(key, "-inf", now)
            return any(pipe.execute())

    def renew_all(self, technique, clients, chunk_size=1000):
        """Extend the leases of many pages at once (open sockets); return how many arrived anew.

        One pipeline of ZADDs, each of at most `chunk_size` members, so that ten
        thousand sockets cost one round trip and no single huge command.
        """
        lease_end = time.time() + self.window_seconds
        with self.redis.pipeline(transaction=False) as pipe:
            for start in range(0, len(clients), chunk_size):
                pipe.zadd(self.key(technique), dict.fromkeys(clients[start : start + chunk_size], lease_end))
            return sum(pipe.execute())

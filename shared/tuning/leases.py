"""Presence leases, renewed in batches: a request notes its page here, one greenlet tells Redis.

Replaces the request's own ZADD (shared/store/presence.py, `renew`; the store's
`leases` seam). Why: every poll and every held request says "this page is still
here". Said to Redis each time, that is a round trip per request: 500 of them a
second for a room of a thousand polling pages, to repeat what Redis already knew. Now each process
remembers how long Redis holds each of its pages' leases, and a page's renewal
goes out only when it would extend its lease by more than a third of the window,
together with every other renewal due, a few times a second, in one script call
per technique. A page new to this process is told before its request is answered,
and Redis says whether it truly arrived (it may have been here already, through
another process); pages arriving at the same moment are told together.

What it buys, measured by `make bench FULL=1` on 2026-12-05, 1,000 pages per technique
(docs/tuning.md, "Batched presence leases"; textbook / tuned): Redis commands per quiet
page-minute, polling 150.1 / 9.6 (15.7×), long polling 30.4 / 4.9 (6.1×), for as many
requests on the wire. A quiet poll's ETag check answered from memory (memory.py) shares in it.
"""

import logging
import time

import gevent
import gevent.lock
import redis

from shared.tuning.group_commit import GroupCommit

log = logging.getLogger(__name__)

# KEYS[1]: one technique's leases; ARGV[1]: now, then lease end and client, pair after pair.
# Returns how many of them were not counted before (absent, or their lease had run out).
RENEW_LEASES = """
local arrived = 0
for i = 2, #ARGV, 2 do
  local previous = redis.call('ZSCORE', KEYS[1], ARGV[i + 1])
  if not previous or tonumber(previous) <= tonumber(ARGV[1]) then arrived = arrived + 1 end
  redis.call('ZADD', KEYS[1], 'GT', ARGV[i], ARGV[i + 1])
end
return arrived
"""
RENEWALS_PER_CALL = 500  # one script call never holds Redis for long
FORGET_LAPSED_SECONDS = 1.0


class LeaseBatcher:
    """This process's pages: how long Redis holds each lease, and the renewals still to send."""

    def __init__(self, presence, flush_seconds, on_arrival):
        self.presence = presence
        self.flush_seconds = flush_seconds
        self.on_arrival = on_arrival  # called when a batch finds pages that had lapsed meanwhile
        self.held_until = {}  # (technique, client) -> lease end that Redis holds
        self.due = {}  # (technique, client) -> lease end to send with the next batch
        self._renew = presence.redis.register_script(RENEW_LEASES)
        self._flusher = None
        self.arrivals = GroupCommit(self._tell_arrivals)
        # A page that leaves while its renewal is on its way must not be renewed after it left.
        self._sending = gevent.lock.Semaphore()

    def renew(self, technique, client, lease_end):
        """Note that this page is here until `lease_end`; True if the totals changed (pages arrived).

        A page new to this process is told to Redis before this returns, so that the
        answer to its own request counts it; a renewal waits for the next batch, if it
        is needed at all.
        """
        page = (technique, client)
        if page not in self.held_until:
            # Told together with the pages arriving at the same moment (shared/tuning/group_commit.py).
            return self.arrivals.write(page, lease_end) > 0
        if lease_end - self.held_until[page] > self.presence.window_seconds / 3:
            self.due[page] = max(lease_end, self.due.get(page, 0))
            if self._flusher is None:
                self._flusher = gevent.spawn(self._flush_forever)
        return False

    def _tell_arrivals(self, pages):
        """Send the leases of pages new to this process; return how many truly arrived."""
        with self._sending:
            arrived = self._send(pages)
            self.held_until.update(pages)
        return arrived

    def leave(self, technique, client):
        """This page left: send nothing more for it, and end its lease now; True if it was counted."""
        with self._sending:
            self.held_until.pop((technique, client), None)
            self.due.pop((technique, client), None)
            self.arrivals.pending.pop((technique, client), None)
            return self.presence.leave(technique, client)

    def _flush_forever(self):
        """Every flush_seconds, send the renewals that are due (and now and then forget lapsed pages)."""
        forgotten_at = time.monotonic()
        while True:
            gevent.sleep(self.flush_seconds)
            if time.monotonic() - forgotten_at > FORGET_LAPSED_SECONDS:
                self.drop_lapsed(time.time())
                forgotten_at = time.monotonic()
            try:
                self.flush()
            except redis.RedisError as error:
                log.warning("could not renew presence leases (the next batch will): %s", error)

    def flush(self):
        """Send every due renewal, one call per technique and chunk; report arrivals."""
        with self._sending:
            sending, self.due = self.due, {}
            try:
                arrived = self._send(sending)
            except redis.RedisError:
                for page, lease_end in sending.items():  # keep them for the next batch
                    self.due[page] = max(lease_end, self.due.get(page, 0))
                raise
            self.held_until.update(sending)
        if arrived:
            self.on_arrival()

    def _send(self, sending):
        """Renew the leases in `sending`; return how many pages were not counted before."""
        now = time.time()
        by_technique = {}
        for (technique, client), lease_end in sending.items():
            by_technique.setdefault(technique, []).extend((lease_end, client))
        arrived = 0
        for technique, pairs in by_technique.items():
            for start in range(0, len(pairs), 2 * RENEWALS_PER_CALL):
                chunk = pairs[start : start + 2 * RENEWALS_PER_CALL]
                arrived += self._renew([self.presence.key(technique)], [now, *chunk])
        return arrived

    def forget_all(self):
        """Redis lost every lease (wiped): forget what it held, so each page's next request arrives anew."""
        self.held_until, self.due = {}, {}

    def drop_lapsed(self, now):
        """Forget pages whose lease has run out: if they come back, they arrive anew."""
        self.held_until = {page: end for page, end in self.held_until.items() if end > now}

    def stop(self):
        """Stop sending (what is due is dropped: those pages renew again or lapse)."""
        self.arrivals.stop()
        if self._flusher is not None:
            self._flusher.kill()

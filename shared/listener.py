"""The listener: ONE greenlet per process follows the event stream for everyone in it.

A thousand waiting pages are a thousand in-process subscriptions, not a thousand
Redis connections: the listener blocks on XREAD from the last id it saw, on its
own connection, and hands every batch to every subscription. When Redis goes
away it retries with backoff and resumes from that id, so nothing is missed.
"""

import logging

import gevent
import gevent.lock
import redis

from shared.backoff import retry_delay
from shared.events import START_CURSOR, decode_events, is_after
from shared.mirror import BoardMirror
from shared.recent import RecentEvents
from shared.subscription import Subscription

log = logging.getLogger(__name__)

BLOCK_MILLISECONDS = 5000
BATCH_LIMIT = 500
BACKOFF_FIRST_SECONDS, BACKOFF_MAX_SECONDS = 0.1, 5.0


class Listener:
    """Follows the event stream from a dedicated connection and fans batches out."""

    def __init__(self, redis_url, events_key, connection_name, read_state, recent_kept=1000):
        self.redis = redis.Redis.from_url(
            redis_url,
            socket_connect_timeout=2,
            socket_timeout=BLOCK_MILLISECONDS / 1000 + 5,  # longer than one XREAD blocks
            client_name=connection_name,
            decode_responses=True,
            single_connection_client=True,
        )
        self.events_key = events_key
        self.read_state = read_state  # the store's state(), read once to start the mirror from
        self.subscriptions = set()
        self.last_id = None
        self.recent = None  # the newest events read, once following (shared/recent.py)
        self.recent_kept = recent_kept
        self.board = None  # the board as of last_id, once following (shared/mirror.py)
        self.following = False  # False while Redis is away: `board` may then be behind
        self._greenlet = None
        self._starting = gevent.lock.Semaphore()

    def start(self):
        """Start following the stream (once); `last_id` is then the newest event read."""
        # A crowd's first requests all call this at once, and starting reads Redis (it
        # yields): the lock makes the others wait for that one start, not start again.
        if self._greenlet is None:  # every poll asks: only the first few take the lock
            with self._starting:
                if self._greenlet is None:
                    self._start_following()

    def _start_following(self):
        """Read the board and the newest events, then follow the stream from there."""
        # Take the starting point now, not when the greenlet first runs: an
        # event appended in between would otherwise reach nobody.
        self.board = BoardMirror(self.read_state())
        self.last_id = self.board.cursor
        self.recent = self._recent_events_so_far()
        self.following = True
        self._greenlet = gevent.spawn(self._follow_forever)

    def _recent_events_so_far(self):
        """The newest events up to last_id, read once, so that a restart starts with a memory.

        Pages reconnecting after a restart carry cursors from a moment before it;
        a crowd of them is then answered from memory, not a Redis read each.
        """
        entries = self.redis.xrevrange(self.events_key, max=self.last_id, count=self.recent_kept)[::-1]
        # Fewer than `recent_kept` means the stream was never trimmed: everything is here.
        start = entries[0][0] if len(entries) == self.recent_kept else START_CURSOR
        recent = RecentEvents(start, self.recent_kept)
        recent.add(decode_events(entries), self.last_id)
        return recent

    def subscribe(self, max_behind=None, on_cut_off=None):
        """Return a Subscription (a context manager) that receives every new batch (see subscription.py)."""
        self.start()
        subscription = Subscription(self, max_behind, on_cut_off)
        self.subscriptions.add(subscription)
        return subscription

    def _follow_forever(self):
        """Follow until killed; while Redis is away, wait and resume from the last id."""
        failures = 0
        while True:
            try:
                self._follow_this_history()
                failures = 0
                self.following = True
                continue
            except redis.RedisError as error:
                log.warning("listener lost Redis (%s); retrying", error)
            except Exception:
                # A bug must not end the one greenlet every waiter depends on: held
                # requests would quietly turn into slow polls. Say it loudly, go on.
                log.exception("listener failed; retrying")
            self.following = False
            failures += 1
            gevent.sleep(retry_delay(failures, BACKOFF_FIRST_SECONDS, BACKOFF_MAX_SECONDS))

    def _follow(self):
        """Read one batch (or time out) and deliver it."""
        answer = self.redis.xread(
            {self.events_key: self.last_id}, count=BATCH_LIMIT, block=BLOCK_MILLISECONDS
        )
        for _stream, entries in answer:
            self.last_id = entries[-1][0]
            batch = decode_events(entries)
            self.recent.add(batch, self.last_id)
            self.board.apply(batch, self.last_id)
            if not batch:
                continue
            for subscription in list(self.subscriptions):
                subscription.deliver(batch)

    def _follow_this_history(self):
        """Follow one batch; if Redis no longer holds the events read before it (wiped), start over."""
        read_before = self.last_id
        self._follow()
        # One more small read a batch, on this connection only. It comes after the batch, so
        # for that one round trip an old cursor may still be answered from the old memory.
        oldest = self.redis.xrange(self.events_key, count=1)
        if read_before != START_CURSOR and (not oldest or is_after(oldest[0][0], read_before)):
            self._start_over(delivered=self.last_id)

    def _start_over(self, delivered):
        """Take the board and the newest events afresh, and pass on those newer than `delivered`.

        The board and memory of the history that Redis lost would otherwise live on:
        old cities on every new socket, and the new history's events handed to cursors
        from the old one as if they followed on. Open pages still hear every new event.
        """
        log.warning("the event stream lost the events this process had read (Redis wiped?): starting over")
        self.board = BoardMirror(self.read_state())
        self.last_id = self.board.cursor
        self.recent = self._recent_events_so_far()
        missed = [event for event in self.recent.events if is_after(event["cursor"], delivered)]
        if missed:
            for subscription in list(self.subscriptions):
                subscription.deliver(missed)

    def stop(self):
        """Stop following and close the connection."""
        if self._greenlet is not None:
            self._greenlet.kill()
        self.redis.close()

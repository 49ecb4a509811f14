"""The listener: ONE greenlet per process follows the event stream for everyone in it.

A thousand waiting pages are a thousand in-process subscriptions, not a thousand
Redis connections: the listener blocks on XREAD from the last id it saw, on its
own connection, and hands every batch to every subscription. When Redis goes
away it retries with backoff and resumes from that id, so nothing is missed. When
Redis loses the events it read (wiped), it starts over, and tells its subscriptions.
"""

import logging

import gevent
import gevent.lock
import redis

from shared.board.backoff import retry_delay
from shared.board.events import START_CURSOR, decode_events, is_after
from shared.news.subscription import Subscription
from shared.store.pool import connect_alone

log = logging.getLogger(__name__)

# How long one XREAD waits for news. A quiet board's reads end empty this often, and
# each is followed by the check for a wiped Redis: an operator's FLUSHALL between two
# workshop groups is noticed within about this long, for two commands a read per process.
BLOCK_MILLISECONDS = 2000
BATCH_LIMIT = 500
BACKOFF_FIRST_SECONDS, BACKOFF_MAX_SECONDS = 0.1, 5.0


class Listener:
    """Follows one store's event stream from a dedicated connection and fans batches out."""

    def __init__(self, store):
        self.store = store
        self.events_key = store.events_key
        # Longer than one XREAD blocks. Its connection is made now and may lie idle until
        # the first request starts the listener: a Redis restart meanwhile cut it, and the
        # retry (pool.py) then makes a new one rather than fail that request.
        read_timeout = BLOCK_MILLISECONDS / 1000 + 5
        self.redis = connect_alone(
            store.settings.redis_url, f"{store.settings.key_prefix}listener", read_timeout
        )
        self.subscriptions = set()
        self.last_id = None
        self.following = False  # False while Redis is away
        # The tuned path keeps the board and the newest events here (shared/tuning/memory.py);
        # the listener fills it from where it starts, and with every batch it reads.
        self.memory = None
        # What else must start afresh when Redis loses the board (the presence of open pages).
        self.after_wipe = []
        self._greenlet = None
        self._starting = gevent.lock.Semaphore()

    def start(self):
        """Start following the stream (once); `last_id` is then the newest event read."""
        # A crowd's first requests all call this at once, and starting reads Redis (it
        # yields): the lock makes the others wait for that one start, not start again.
        if self._greenlet is None:  # every poll asks: only the first few take the lock
            with self._starting:
                if self._greenlet is None:
                    self._take_starting_point()
                    self.following = True
                    self._greenlet = gevent.spawn(self._follow_forever)

    @property
    def started(self):
        """True once the listener follows the stream (it starts on the first request that needs it)."""
        return self._greenlet is not None

    def _take_starting_point(self):
        """Note the newest event now, not when the greenlet first runs: one appended meanwhile reaches all."""
        if self.memory is not None:
            self.last_id = self.memory.fill(self)  # the board and the newest events, up to one cursor
        else:
            self.last_id = self.store.history.newest_cursor()

    def subscribe(self, max_backlog=None, on_cut_off=None):
        """Return a Subscription (a context manager) that receives every new batch (see subscription.py)."""
        self.start()
        subscription = Subscription(self, max_backlog, on_cut_off)
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
            if self.memory is not None:
                self.memory.add(batch, self.last_id)
            if batch:
                self._deliver(batch)

    def _deliver(self, batch):
        """Hand one batch to every subscription."""
        for subscription in list(self.subscriptions):
            subscription.deliver(batch)

    def _follow_this_history(self):
        """Follow one batch; if Redis no longer holds the events read before it (wiped), start over."""
        read_before = self.last_id
        self._follow()
        # One more small read a batch, on this connection only: on a quiet board, one every
        # BLOCK_MILLISECONDS. It comes after the batch, so for that one round trip an old
        # cursor may still be answered from the old memory.
        oldest = self.redis.xrange(self.events_key, count=1)
        if read_before != START_CURSOR and (not oldest or is_after(oldest[0][0], read_before)):
            self._start_over()

    def _start_over(self):
        """Start again from the newest event of the new history, and tell everyone who follows it.

        The memory of the history that Redis lost would otherwise live on: old cities
        on every open page and every new socket, and the new history's events handed
        to cursors from the old one as if they followed on. Each subscription is told
        (its waiter answers or sends a fresh board), then whatever else must start afresh.
        """
        log.warning("the event stream lost the events this process had read (Redis wiped?): starting over")
        self._take_starting_point()
        for subscription in list(self.subscriptions):
            subscription.history_lost()
        for start_afresh in self.after_wipe:
            start_afresh()

    def stop(self):
        """Stop following and close the connection."""
        if self._greenlet is not None:
            self._greenlet.kill()
        self.redis.close()

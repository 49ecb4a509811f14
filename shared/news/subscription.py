"""A subscription: one waiter's place in the listener's fan-out, the batches it has not read yet.

The listener (shared/news/listener.py) hands every batch to every subscription and never
waits for one. A held request or the websockets relay reads its batches at once; an
event stream writes each to a browser, and a browser that stops reading would let
its queue grow without end. So a subscription may be given `max_backlog`: once it
holds more unread events than that, it is cut off (ended, its queue dropped) and
`on_cut_off` is told, so that its owner can hang up. The page reconnects with its
cursor and catches up from the store, like any page that lost its connection.

A waiter whose page may leave mid-wait (a held request, an event stream) ends its
subscription when the page's connection closes: `end_when_reader_leaves`. And should
Redis lose the board (wiped), the listener tells every subscription: its waiter's next
read raises HistoryLost, and the waiter gives its page a fresh board.
"""

from gevent.queue import Empty, Queue
from gevent.socket import wait_read

from shared.board.events import CursorTooOld


class SubscriptionEnded(Exception):
    """The subscription was ended (cut off, or its reader left): it will deliver nothing more."""


class HistoryLost(CursorTooOld):
    """Redis lost the history this subscription followed (wiped): its waiter starts from a fresh board."""


HISTORY_LOST = ["history lost"]  # queued, not delivered: next_batch raises HistoryLost for it


class Subscription:
    """One waiter's view of the stream: the batches the listener delivered since it joined."""

    def __init__(self, listener, max_backlog=None, on_cut_off=None):
        self.listener = listener
        self.batches = Queue()
        # Every batch it receives holds only events after this cursor, and none is skipped.
        self.after = listener.last_id
        self.max_backlog = max_backlog  # unread events allowed before it is cut off (None: no limit)
        self.on_cut_off = on_cut_off
        self.unread = 0
        self.ended = False

    def deliver(self, batch):
        """Queue a batch for the waiter (the listener calls this); cut it off if it is too far behind."""
        self.unread += len(batch)
        if self.max_backlog is not None and self.unread > self.max_backlog:
            self.end()
            if self.on_cut_off is not None:
                self.on_cut_off()
            return
        self.batches.put(batch)

    def next_batch(self, timeout):
        """Return the next list of events, or None when `timeout` seconds pass first.

        Raises SubscriptionEnded once the subscription has been ended.
        """
        try:
            batch = self.batches.get(timeout=timeout)
        except Empty:
            return None
        if self.ended:
            raise SubscriptionEnded
        if batch is HISTORY_LOST:
            raise HistoryLost
        self.unread -= len(batch)
        return batch

    def history_lost(self):
        """Drop the unread batches (their history is gone); the waiter's next read raises HistoryLost."""
        self._drop_unread()
        self.batches.put(HISTORY_LOST)

    def end(self):
        """Receive nothing more: drop the unread batches, and wake the waiter to say so."""
        self.listener.subscriptions.discard(self)
        if self.ended:
            return
        self.ended = True
        self._drop_unread()
        self.batches.put([])  # wakes a waiter in next_batch, which then raises SubscriptionEnded

    def _drop_unread(self):
        """Forget every batch not read yet."""
        self.unread = 0
        while not self.batches.empty():
            self.batches.get_nowait()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.listener.subscriptions.discard(self)


def end_when_reader_leaves(reader, subscription):
    """Wait until the reader's socket has something to read, then end the subscription.

    A browser sends nothing more on a connection while its request is held or its
    stream is open, so a readable socket means it closed it. Without this watch, a
    page that left would go unseen until the next write to it failed: a quiet board
    would keep its greenlet and its subscription for the whole hold, or for ever.
    """
    wait_read(reader.fileno())
    subscription.end()

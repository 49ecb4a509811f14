"""Who is here, for pages that hold a connection open: counted from its opening until it closes.

A polling page renews its presence lease with every request. A socket (websockets/)
or an event stream (sse/) asks nothing while it waits, so this process renews the
leases of all its open connections together, every third of the presence window,
in a script call per 500 pages. A process that dies stops renewing, and its pages
drop out after the window. A tab that reconnects may hold two connections for a moment,
on this process or on another one: the page leaves only when its last connection,
on any process, closes (Redis keeps which processes hold it, shared/store/presence.py).
"""

import logging
import secrets
from collections import Counter

import gevent
import redis

log = logging.getLogger(__name__)


class OpenPresence:
    """The pages (client ids) with a connection open on this process, kept present in the store."""

    def __init__(self, store, technique):
        self.store = store
        self.technique = technique
        self.connections_per_client = Counter()
        self.client_of = {}  # connection (a socket's sid, a stream's number) -> client id, if counted
        self.holder = secrets.token_hex(8)  # this process, among those holding a page's connections open
        # Seam: each arrival is told to Redis by its own connection's greenlet (tuned: pages
        # arriving at the same moment, a crowd reconnecting, are told together: tuning/group_commit.py).
        self.tell_arrival = self._hold_one
        self._renewer = None

    def start(self, listener):
        """Start this process's greenlet that renews the leases of open connections (once).

        Should Redis lose the board (wiped), `listener` says so, and they are renewed at
        once: the open pages count again within seconds, not a third of a window later.
        """
        if self._renewer is None:
            self._renewer = gevent.spawn(self._renew_forever)
            listener.after_wipe.append(lambda: gevent.spawn(self._renew_or_say_why))

    def arrive(self, connection, client):
        """Count this connection's page as present (one without a client id is not counted)."""
        if client is None:
            return
        if not self.connections_per_client[client]:
            # Before recording anything: if Redis refuses, the opening fails cleanly.
            self.tell_arrival(client)
        self.connections_per_client[client] += 1
        self.client_of[connection] = client

    def leave(self, connection):
        """This connection closed: its page leaves when it was the page's last connection."""
        client = self.client_of.pop(connection, None)
        if client is None:
            return
        self.connections_per_client[client] -= 1
        if not self.connections_per_client[client]:
            del self.connections_per_client[client]
            self.store.release_open(self.technique, self.holder, client)

    def _hold(self, clients):
        """Tell Redis that this process holds these pages' connections open."""
        self.store.hold_open(self.technique, self.holder, list(clients))

    def _hold_one(self, client):
        """Tell Redis that this process holds one more page's connection open."""
        self._hold([client])

    def _renew(self):
        """Renew the leases of the pages with a connection open here, in one go."""
        renewing = list(self.connections_per_client)
        self._hold(renewing)
        # A page whose last connection closed while the renewal was on its way may have been
        # released first and renewed after: it would count for a whole window. Release it again.
        for client in renewing:
            if client not in self.connections_per_client:
                self.store.release_open(self.technique, self.holder, client)

    def _renew_forever(self):
        """Every third of the presence window, renew every open connection's lease."""
        interval = self.store.settings.presence_window_seconds / 3
        while True:
            gevent.sleep(interval)
            self._renew_or_say_why()

    def _renew_or_say_why(self):
        """Renew every open connection's lease; while Redis is away, log it (the next round tries again)."""
        try:
            self._renew()
        except redis.RedisError as error:
            log.warning("could not renew the presence of open connections (next round will): %s", error)

"""Who is here, for sockets: a page counts from its connect until its disconnect.

A polling page renews its presence lease with every request. A socket asks
nothing while it waits, so this process renews the leases of all its open
sockets together, every third of the presence window, in one pipelined command.
A process that dies stops renewing, and its sockets drop out after the window.
A tab that reconnects may hold two sockets for a moment: the page leaves only
when its last socket closes.
"""

import logging
from collections import Counter

import gevent
import redis

log = logging.getLogger(__name__)


class SocketPresence:
    """The pages (client ids) with a socket open on this process, kept present in the store."""

    def __init__(self, store, technique):
        self.store = store
        self.technique = technique
        self.sockets_per_client = Counter()
        self.client_of = {}  # sid -> client id, for the sockets that are counted
        self._renewer = None

    def start(self):
        """Start this process's greenlet that renews the leases of open sockets (once)."""
        if self._renewer is None:
            self._renewer = gevent.spawn(self._renew_forever)

    def arrive(self, sid, client):
        """Count this socket's page as present (a socket without a client id is not counted)."""
        if client is None:
            return
        if not self.sockets_per_client[client]:
            # Before recording anything: if Redis refuses, the connect fails cleanly.
            self.store.mark_present(self.technique, client)
        self.sockets_per_client[client] += 1
        self.client_of[sid] = client

    def leave(self, sid):
        """This socket closed: its page leaves when it was the page's last socket."""
        client = self.client_of.pop(sid, None)
        if client is None:
            return
        self.sockets_per_client[client] -= 1
        if not self.sockets_per_client[client]:
            del self.sockets_per_client[client]
            self.store.mark_gone(self.technique, client)

    def _renew_forever(self):
        """Every third of the presence window, renew every open socket's lease."""
        interval = self.store.settings.presence_window_seconds / 3
        while True:
            gevent.sleep(interval)
            try:
                self.store.renew_presence(self.technique, list(self.sockets_per_client))
            except redis.RedisError as error:
                log.warning("could not renew socket presence (next round will): %s", error)

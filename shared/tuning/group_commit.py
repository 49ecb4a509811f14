"""Group commit, as databases do it: writes that arrive together go to the server together.

The first write is sent at once; the writes that arrive during its round trip
wait, and go together in the next one. Alone, a write waits for nothing; in a
crowd of a thousand, the crowd costs a few round trips and holds one connection,
not a thousand. Every writer waits for the answer to its own group.

Openings told together: tuning/__init__.py puts one in place of OpenPresence's
`tell_arrival` (shared/news/open_presence.py, `_hold_one`: a script call per opening
socket or stream), and leases.py tells arriving pages with one. Why: a restart brings a
room of a thousand back within a second, and a call each queued them all for the
process's pool of Redis connections.

What it buys, measured by `make bench FULL=1` on 2026-12-05, 1,000 pages per technique
(docs/tuning.md, "Openings told together"; textbook / tuned): the reconnect storm, until
every page had a city posted at once, SSE 2.79 / 2.54 s and 10,129 / 3,718 Redis commands,
websockets 1.78 / 1.27 s and 10,128 / 3,220 commands (the listener's memory shares in it).
"""

import gevent
import gevent.event


class GroupCommit:
    """Gathers {key: value} writes and sends each group with `send(group)` from one greenlet."""

    def __init__(self, send):
        self.send = send  # called with a dict of the group's writes; its result is each writer's answer
        self.pending = {}  # the writes of the next group
        self._answer = gevent.event.AsyncResult()  # what the next group's writers will be told
        self._waiting = gevent.event.Event()
        self._sender = None

    def write(self, key, value):
        """Add this write to the next group and wait until it is sent: its result, or its error."""
        self.pending[key] = value
        answer = self._answer
        self._waiting.set()
        if self._sender is None:
            self._sender = gevent.spawn(self._send_forever)
        return answer.get()

    def _send_forever(self):
        """Send each group as soon as the one before it is answered."""
        while True:
            self._waiting.wait()
            self._waiting.clear()
            group, self.pending = self.pending, {}
            answer, self._answer = self._answer, gevent.event.AsyncResult()
            try:
                answer.set(self.send(group))
            except Exception as error:  # every writer of the group hears it, as if it had sent alone
                answer.set_exception(error)

    def stop(self):
        """Stop sending (writes still waiting are dropped)."""
        if self._sender is not None:
            self._sender.kill()

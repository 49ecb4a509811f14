"""The relay: ONE greenlet per process pushes every event of the store to its sockets.

It takes the batches of the process's listener (shared/news/listener.py), the same one
long polling's held requests wait on, and emits each event to the room every live
socket of this process is in. Cities added through the polling or long polling
app, or through another worker process, reach these sockets the same way: Redis
is the bus between processes, so no socket.io message queue is needed.

A socket that (re)connects first catches up from its cursor, and only then joins
the room; `catch_up` makes that hand-over exact: no event missed, none twice.
"""

import logging

import gevent
import redis
from gevent.event import Event

from shared.board.backoff import retry_delay
from shared.board.cost import process_cost
from shared.board.events import CursorTooOld, is_after
from shared.news.subscription import HistoryLost

log = logging.getLogger(__name__)

LIVE_ROOM = "live"  # every socket that has caught up
RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 0.1, 5.0


class Relay:
    """Emits the store's events to the live room, and brings new sockets up to date."""

    def __init__(self, socketio, store, listener):
        self.socketio = socketio
        self.store = store
        self.listener = listener
        self.room = LIVE_ROOM
        # Seam: one socket.io emit to the room (tuned: each event framed once and written
        # straight to every idle socket, shared/tuning/fanout.py).
        self.broadcast = self.emit_to_live_room
        self.cursor = None  # the newest event emitted to the room (None until subscribed)
        self.ready = Event()
        self.catching_up = {}  # sid -> the events relayed while that socket replays
        self._greenlet = None

    def start(self):
        """Start this process's relay greenlet (once)."""
        if self._greenlet is None:
            self._greenlet = gevent.spawn(self._relay_forever)

    def _relay_forever(self):
        """Subscribe to the listener (retrying while Redis is away), then emit every batch."""
        failures = 0
        while not self.ready.is_set():
            try:
                subscription = self.listener.subscribe()
            except redis.RedisError as error:
                failures += 1
                wait = retry_delay(failures, RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS)
                log.warning("relay cannot reach Redis (%s); retrying in %.1f s", error, wait)
                gevent.sleep(wait)
            else:
                self.cursor = subscription.after
                self.ready.set()
        with subscription:
            while True:
                try:
                    batch = subscription.next_batch(timeout=None)
                    self._emit(batch)
                except HistoryLost:
                    self._start_afresh()
                except Exception:
                    # A bug must not end the one greenlet every socket of the process
                    # depends on: sockets would silently stop hearing news. Say it loudly.
                    log.exception("relay could not emit a batch; carrying on")

    def _start_afresh(self):
        """Redis lost the board (wiped): send every live socket the fresh one, and go on from it."""
        try:
            state = self.store.state_for_new_page()
        except redis.RedisError as error:
            log.warning(
                "could not read the fresh board after a wipe (sockets get it as they reconnect): %s", error
            )
            return
        self.cursor = state["cursor"]
        process_cost.messages += self.live_sockets()
        self.socketio.emit("state", state, to=LIVE_ROOM)

    def _emit(self, batch):
        """Emit one batch to the live room, and hold it for every socket still catching up."""
        for event in batch:
            # Record first, emit last: should the emit ever yield to a connecting
            # socket, that socket already counts this event as relayed.
            for held in self.catching_up.values():
                held.append(event)
            self.cursor = event["cursor"]
            self.broadcast(event)

    def emit_to_live_room(self, event):
        """Send one event to every socket that has caught up: the broadcast, as socket.io writes it."""
        process_cost.messages += self.live_sockets()  # a message to each (shared/board/cost.py)
        self.socketio.emit("event", event, to=LIVE_ROOM)

    def live_sockets(self):
        """How many sockets of this process are in the live room: those a broadcast reaches."""
        return len(self.socketio.server.manager.rooms.get("/", {}).get(LIVE_ROOM, ()))

    def catch_up(self, sid, cursor):
        """Send `sid` what it missed since `cursor` (a state if None or too old), then make it live.

        Events keep arriving while this reads Redis. So it notes how far the room
        has got (`until`), replays from the store up to exactly there, sends what
        the relay held for it meanwhile, and joins the room: all after the last
        yield, so no event can fall between replay and room, or land in both.
        """
        held = self.catching_up[sid] = []
        until = self.cursor
        try:
            sent = self._replay(sid, cursor, until)
            for event in held:
                if is_after(event["cursor"], sent):
                    process_cost.messages += 1
                    self.socketio.emit("event", event, to=sid)
            self.socketio.server.enter_room(sid, LIVE_ROOM)
        finally:
            del self.catching_up[sid]

    def _replay(self, sid, cursor, until):
        """Emit to `sid` the events in (cursor, until], after a state if need be; return the last cursor."""
        if cursor is not None:
            try:
                return self._emit_stored(sid, cursor, until)
            except CursorTooOld:
                pass  # the events it missed are trimmed away: start it from a fresh board
        state = self.store.state_for_new_page()
        process_cost.messages += 1  # each message to one socket counts one (shared/board/cost.py)
        self.socketio.emit("state", state, to=sid)
        if not is_after(until, state["cursor"]):
            return state["cursor"]  # the usual case: the state already holds all the room has seen
        return self._emit_stored(sid, state["cursor"], until)

    def _emit_stored(self, sid, cursor, until):
        """Emit to `sid` the stored events in (cursor, until], oldest first; return the last cursor sent."""
        for event in self.store.events_until(cursor, until):
            if is_after(event["cursor"], until):
                break  # the relay holds this one and later ones for the socket
            process_cost.messages += 1
            self.socketio.emit("event", event, to=sid)
            cursor = event["cursor"]
        return cursor

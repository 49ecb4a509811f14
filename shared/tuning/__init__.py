"""The tuning for crowds: what made the apps hold a room of thousands, kept out of the lesson's way.

Read last. Each module replaces one textbook part at a seam, a line in the code it
replaces that names it, and opens with what it replaces, why, and what `make bench`
measured it buys (docs/tuning.md sets the figures side by side):

- leases.py (with group_commit.py): presence renewals sent in batches, not a ZADD per request;
- coalesce.py: a crowd's changes to the totals as one event, not an event per change;
- memory.py (with mirror.py and recent.py): a poll's 304, a new page's state and a re-ask
  answered from the listener's memory, not from Redis;
- fanout.py: the broadcast framed once and written straight to idle sockets, not socketio.emit;
- group_commit.py also tells Redis of sockets and streams opening together in one call.

shared/serve.py calls `tune(app)` on every app unless TEXTBOOK=1; the techniques' own
choices (long polling's linger and conflation, backoff with jitter, cursors) are
lessons, not tuning, and stay in both paths.
"""

import functools

from shared.tuning.coalesce import Coalescer
from shared.tuning.fanout import broadcaster, install_direct_websockets
from shared.tuning.group_commit import GroupCommit
from shared.tuning.leases import LeaseBatcher
from shared.tuning.memory import ListenerMemory


def tune(app):
    """Plug every crowd tuning into an app made by create_board_app, before it serves anyone."""
    store = app.extensions["board_store"]
    tune_board(store, app.extensions["board_listener"])
    presence = app.extensions.get("board_presence")  # sse/ and websockets/: pages holding a connection
    if presence is not None:
        arrivals = GroupCommit(presence._hold)
        presence.tell_arrival = functools.partial(arrivals.write, value=True)
        store.on_close.append(arrivals.stop)
    relay = app.extensions.get("board_relay")  # websockets/
    if relay is not None:
        install_direct_websockets(relay.socketio)
        relay.broadcast = broadcaster(relay.socketio, relay.room, store.settings.max_backlog)


def tune_board(store, listener):
    """Plug in the tunings of the store and its listener: batched leases, coalesced totals, the memory."""
    if listener.started:
        raise RuntimeError("tune the board before its listener starts: its memory fills as it starts")
    settings = store.settings
    coalescer = Coalescer(store.redis, settings.key_prefix, settings.coalesce_seconds, store.totals.publish)
    store.totals_changed = coalescer.changed
    presence_changed = functools.partial(coalescer.changed, "presence")
    store.leases = LeaseBatcher(store.presence, settings.coalesce_seconds, presence_changed)
    store.on_close.append(store.leases.stop)
    listener.after_wipe.append(store.leases.forget_all)
    listener.memory = store.memory = ListenerMemory(listener, min(1000, settings.events_kept))

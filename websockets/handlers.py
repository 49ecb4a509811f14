"""The socket handlers: what the server does when a socket connects, sends a city, or goes.

This is where the technique lives on the server. Each handler runs in a greenlet
of its own, so a slow or failing one holds up nobody else; an error answers the
socket that caused it, and every other socket carries on.
"""

import logging

import redis
from flask import current_app, request
from flask_socketio import ConnectionRefusedError

from shared.board.events import parse_cursor
from shared.board.validation import clean_city_name
from shared.store.pool import PoolBusy
from shared.store.ratelimit import refusal
from shared.web.errors import REDIS_UNREACHABLE, SERVER_BUSY, UNEXPECTED_ERROR
from shared.web.routes import CLIENT_ID_PATTERN

log = logging.getLogger(__name__)

# How long a connect waits for the relay to be following Redis before refusing.
RELAY_READY_SECONDS = 5
address_of_socket = {}  # sid -> the client address its connection counts against


def register(socketio):
    """Attach the handlers to the app's SocketIO (default namespace)."""
    socketio.on_event("connect", connect_within_cap)
    socketio.on_event("city", add_city)
    socketio.on_event("ping", ping)
    socketio.on_event("*", unknown_event)
    socketio.on_event("disconnect", disconnect)
    socketio.on_error_default(answer_error)


def connect(auth):
    """A socket opens: replay what it missed since its cursor (or send a state), then count it.

    `auth` is {"client": id, "cursor": C}, both optional. A malformed one refuses the
    connection with a message, as the HTTP API answers 400: the page's own bug shows.
    """
    client, cursor = read_auth(auth)
    relay = current_app.extensions["board_relay"]
    if not relay.ready.wait(RELAY_READY_SECONDS):
        raise ConnectionRefusedError(REDIS_UNREACHABLE)
    relay.catch_up(request.sid, cursor)
    presence = current_app.extensions["board_presence"]
    presence.arrive(request.sid, client)
    if not engine_socket_open(request.sid):
        # It closed while we read Redis, before python-socketio counted it as connected,
        # so no disconnect handler will run for it: undo here, and refuse what is gone.
        presence.leave(request.sid)
        return False
    return True


def connect_within_cap(auth):
    """connect, counted against its address's cap (MAX_STREAMS_PER_ADDRESS): refused past it."""
    cap, address = current_app.extensions["board_address_cap"], request.remote_addr
    if not cap.try_open(address):
        raise ConnectionRefusedError(cap.refusal())
    connected = False
    try:
        connected = connect(auth)
    finally:
        if connected:
            address_of_socket[request.sid] = address  # uncounted by disconnect()
        else:
            cap.close(address)  # refused, or it failed: no disconnect will follow
    return connected


def engine_socket_open(sid):
    """True while the connection under this socket (its Engine.IO session) is still open."""
    server = current_app.extensions["socketio"].server
    engine_socket = server.eio.sockets.get(server.manager.eio_sid_from_sid(sid, "/"))
    return engine_socket is not None and not engine_socket.closed


def read_auth(auth):
    """Return (client, cursor) from the connect's auth, or refuse a malformed one."""
    auth = {} if auth is None else auth
    if not isinstance(auth, dict):
        raise ConnectionRefusedError('auth must be an object such as {"client": "…", "cursor": "…"}')
    client, cursor = auth.get("client"), auth.get("cursor")
    if client is not None and not (isinstance(client, str) and CLIENT_ID_PATTERN.fullmatch(client)):
        raise ConnectionRefusedError("client must be 1 to 64 letters, digits, '-' or '_'")
    if cursor is not None:
        try:
            parse_cursor(cursor)
        except ValueError as reason:
            raise ConnectionRefusedError(str(reason)) from None
    return client, cursor


def add_city(payload=None):
    """Store a city sent on the socket; the acknowledgement says {"city": ...} or {"error": ...}.

    The city reaches every socket (this one too) as an event through the relay,
    like a city from any other app; the acknowledgement only tells the sender.
    """
    try:
        name = clean_city_name(payload)
    except ValueError as reason:
        return {"error": str(reason)}
    store = current_app.extensions["board_store"]
    client = current_app.extensions["board_presence"].client_of.get(request.sid)
    wait_seconds = store.seconds_until_city_allowed(client or request.remote_addr)
    if wait_seconds:
        return {"error": refusal(wait_seconds)}
    return {"city": store.add_city(name)}


def ping():
    """Answer at once: the page times this acknowledgement to show a ping in its meter."""
    return "pong"


def unknown_event(event, *arguments):
    """An event the board does not take: say so in its acknowledgement (without one, it is dropped)."""
    return {"error": f"unknown event {str(event)[:40]!r}: this board takes 'city' and 'ping'"}


def disconnect(reason=None):
    """A socket closed (the page left, or its heartbeat stopped): its page may leave now."""
    current_app.extensions["board_address_cap"].close(address_of_socket.pop(request.sid))
    current_app.extensions["board_presence"].leave(request.sid)


def answer_error(error):
    """A handler failed: tell its sender (refuse a connect), log it, and keep every other socket."""
    if isinstance(error, PoolBusy):
        log.warning("busy: %s", error)
        message = SERVER_BUSY  # Redis is fine; every connection of the pool was in use
    elif isinstance(error, redis.RedisError):
        log.warning("Redis unreachable: %s", error)
        message = REDIS_UNREACHABLE
    else:
        log.exception("unexpected error in a socket handler", exc_info=error)
        message = UNEXPECTED_ERROR
    if request.event["message"] == "connect":
        raise ConnectionRefusedError(message)
    return {"error": message}

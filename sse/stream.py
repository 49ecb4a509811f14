"""GET /api/stream: the response that stays open, the one route Server-Sent Events adds to the shared API."""

import contextlib
import functools
import itertools
import logging
import random
import socket

import gevent
import redis
from flask import Blueprint, Response, abort, current_app, request

from shared.board.cost import process_cost
from shared.board.events import is_after
from shared.board.eventstream import KEEP_ALIVE, encode_events, encode_message, encode_retry
from shared.news.subscription import HistoryLost, SubscriptionEnded, end_when_reader_leaves
from shared.web.routes import client_id, listener, store
from sse.resume import catch_up, resume_cursor

log = logging.getLogger(__name__)

# The browser's first reconnect waits this long, give or take: each stream is told its
# own delay, so a room that lost the server together does not return in one instant.
RETRY_MILLISECONDS = (1000, 2000)
STREAM_HEADERS = {
    "Cache-Control": "no-store",  # the same URL says something new every time: no cache may keep it
    "X-Accel-Buffering": "no",  # nginx would otherwise gather the messages and hold them back
}
SEND_BUFFER_BYTES = 64 * 1024
stream_numbers = itertools.count(1)  # names each stream of this process, for its presence

stream = Blueprint("stream", __name__)


@stream.get("/api/stream")
def event_stream():
    """The board's events as they happen, in one response that does not end.

    With no cursor the first message is the whole board, `event: state`. With one
    (the browser's `Last-Event-ID`, or `?cursor=` from a client that cannot set that
    header), the events after it, exactly; or a fresh state when it is too old.
    Then every event as it comes, each with its cursor as the id. 400 for a malformed cursor.
    """
    client, cursor = client_id(), resume_cursor()
    uncount_connection = count_connection()  # 429 once this address holds too many streams
    reader = request.environ.get("board.socket")  # set by shared/web/http_handler.py
    # Subscribe BEFORE reading the store, as a held request does: an event appended
    # meanwhile reaches the stream through the store, the subscription, or both (the
    # stream skips what it already sent), never through neither.
    max_backlog = store().settings.max_backlog  # a stream that stops reading is cut off past it
    subscription = listener().subscribe(max_backlog, lambda: hang_up(reader))
    presence, number = current_app.extensions["board_presence"], next(stream_numbers)
    try:
        opening, sent = catch_up(subscription, cursor)
        presence.arrive(number, client)
    except BaseException:
        subscription.end()  # Redis is away (the app answers 503) or a bug: the stream never opens
        uncount_connection()
        raise
    watcher = None
    if reader is not None:
        # The kernel would let a stream's unsent bytes grow to megabytes before a write
        # blocked: a small send buffer keeps that memory small, and lets a reader that
        # stopped reading show up as a backlog soon (see MAX_BACKLOG).
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)
        watcher = gevent.spawn(end_when_reader_leaves, reader, subscription)

    def close():
        """The response is over, however it ended: stop the subscription and count the page gone."""
        subscription.end()
        uncount_connection()
        if watcher is not None:
            watcher.kill(block=False)
        try:
            presence.leave(number)
        except redis.RedisError as error:
            log.warning("could not end a stream's presence (its lease lapses): %s", error)

    retry = encode_retry(random.randint(*RETRY_MILLISECONDS))
    keepalive = current_app.config["KEEPALIVE_SECONDS"]
    # The stream's generator runs after this view has returned: it takes the store's method, not the app's.
    fresh_state = store().state_for_new_page
    messages = follow(subscription, retry + opening, sent, keepalive, fresh_state)
    response = Response(messages, mimetype="text/event-stream")
    response.headers.update(STREAM_HEADERS)
    response.call_on_close(close)  # called even when the reader left before the first byte
    return response


def count_connection():
    """Count this stream against its address's cap (MAX_STREAMS_PER_ADDRESS): 429 past it."""
    cap, address = current_app.extensions["board_address_cap"], request.remote_addr
    if not cap.try_open(address):
        abort(429, cap.refusal())
    return functools.partial(cap.close, address)  # its uncount: close() calls it when the stream ends


def follow(subscription, opening, sent, keepalive_seconds, fresh_state):
    """Write the opening, then each new event as a message, and a comment whenever the board is quiet.

    This is the whole technique. Each `yield` is one write to the open response: the
    server pushes, the browser only reads. The wait is the listener's queue, as for a
    held request, so a thousand quiet streams cost Redis nothing. It ends when the
    subscription is ended: the reader left, or fell so far behind that it was cut off.
    Should Redis lose the board (wiped), the stream goes on from a fresh one, `event: state`.
    """
    yield opening
    while True:
        try:
            batch = subscription.next_batch(timeout=keepalive_seconds)
        except SubscriptionEnded:
            return
        except HistoryLost:
            try:
                state = fresh_state()
            except redis.RedisError:
                return  # Redis went away too: the browser reconnects, and gets a fresh board then
            sent = state["cursor"]
            process_cost.messages += 1  # each message written counts one (shared/board/cost.py)
            yield encode_message(state, sent, event="state")
            continue
        if batch is None:
            yield KEEP_ALIVE
            continue
        # The listener may deliver events the opening already held: skip those.
        news = [event for event in batch if is_after(event["cursor"], sent)]
        if news:
            sent = news[-1]["cursor"]
            process_cost.messages += len(news)
            yield encode_events(news)


def hang_up(reader):
    """Close a stream that fell too far behind: its blocked write fails, and its response ends."""
    if reader is not None:
        with contextlib.suppress(OSError):
            reader.shutdown(socket.SHUT_RDWR)

"""GET /api/updates: the held request, the one route long polling adds to the shared API."""

import time

import gevent
from flask import Blueprint, abort, current_app, jsonify, request

from shared.board.cost import process_cost
from shared.board.events import CursorTooOld, brings_news, conflated, is_after, parse_cursor
from shared.news.subscription import SubscriptionEnded, end_when_reader_leaves
from shared.store.history import EVENTS_PER_READ
from shared.web.routes import keep_present, listener, store

MAX_HOLD_SECONDS = 60.0
# New totals alone answer a held request only once it has been held this long (see hold_until_news).
TOTALS_LINGER_SECONDS = 2.0

updates = Blueprint("updates", __name__)


@updates.get("/api/updates")
def events_after_cursor():
    """The events after `cursor`: at once if there are some, else when the first arrives.

    `{"cursor", "events"}`; `"events": []` when `timeout` seconds pass with no news;
    `{"cursor", "state"}` when the cursor is too old for the events to be complete.
    """
    cursor = cursor_from(request.args)
    timeout = timeout_from(request.args)
    keep_present(held_seconds=timeout)
    # Subscribe BEFORE reading the store: an event appended between that read and
    # the wait then still reaches this request, through the subscription.
    with listener().subscribe() as subscription:
        try:
            read = store().events_after(cursor)
            stored = conflated(read)
            # A full read may have more behind it, which the subscription will never bring
            # (it starts at the listener's last read): answer now, and the page asks again.
            answer_now = brings_news(stored) or len(read) == EVENTS_PER_READ
            events = stored if answer_now else hold_while_page_stays(subscription, cursor, timeout, stored)
        except CursorTooOld:
            state = store().state()
            process_cost.messages += 1  # an answer with news (shared/board/cost.py)
            return jsonify(cursor=state["cursor"], state=state)
    if events:
        process_cost.messages += 1  # an answer with news; a timeout's [] is none
    response = jsonify(cursor=events[-1]["cursor"] if events else cursor, events=events)
    # The same URL answers differently each time: no cache or proxy may keep a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


def hold_while_page_stays(subscription, cursor, timeout, totals):
    """Hold the request until news (hold_until_news), or until its page closes the connection.

    A laptop that sleeps mid-request says nothing: without this watch, its request
    would stay held, a greenlet and a subscription, until the next city or the timeout.
    """
    reader = request.environ.get("board.socket")  # set by shared/web/http_handler.py
    watcher = gevent.spawn(end_when_reader_leaves, reader, subscription) if reader is not None else None
    try:
        return hold_until_news(subscription, cursor, timeout, totals)
    finally:
        if watcher is not None:
            watcher.kill()  # before the answer: the next request on this connection is no leaving


def hold_until_news(subscription, cursor, timeout, totals):
    """Wait until the listener brings a city after `cursor`, or until the totals are worth an answer.

    This is the whole technique. The wait is a gevent queue, woken by the one
    listener greenlet of this process: a thousand held requests are a thousand
    idle greenlets and cost Redis nothing while they wait.

    A city ends the wait at once. New totals (visits, presence: `totals` holds those
    already known) end it only once the request has been held TOTALS_LINGER_SECONDS:
    when a room arrives, each arrival changes the totals, and answering every change
    at once sent every held request back for another, which slowed the arrivals,
    which changed the totals again. A page then asks at most once per linger for
    totals, and shows them that little bit later. [] when `timeout` passes with none,
    and what it has when the subscription is ended (its page left: nobody reads it).
    """
    started = time.monotonic()
    last_known = totals[-1]["cursor"] if totals else cursor
    while True:
        answer_by = started + (min(timeout, TOTALS_LINGER_SECONDS) if totals else timeout)
        remaining = answer_by - time.monotonic()
        try:
            batch = subscription.next_batch(timeout=remaining) if remaining > 0 else None
        except SubscriptionEnded:
            batch = None
        if batch is None:
            return conflated(totals)
        # The listener may still be catching up on events this page already has
        # (its cursor can be newer than the listener's last read): skip those.
        newer = [event for event in batch if is_after(event["cursor"], last_known)]
        if not newer:
            continue
        totals, last_known = totals + newer, newer[-1]["cursor"]
        if brings_news(newer):
            return conflated(totals)


def cursor_from(args):
    """The `cursor` parameter, checked; 400 when it is missing or malformed."""
    cursor = args.get("cursor")
    if cursor is None:
        abort(400, "cursor is required: start from the cursor that /api/state gives")
    try:
        parse_cursor(cursor)
    except ValueError as reason:
        abort(400, str(reason))
    return cursor


def timeout_from(args):
    """The `timeout` parameter in seconds (HOLD_SECONDS when absent); 400 when it is not one."""
    raw = args.get("timeout")
    if raw is None:
        return current_app.config["HOLD_SECONDS"]
    try:
        timeout = float(raw)
    except ValueError:
        timeout = None
    # Written so that NaN fails too: every comparison with NaN is false.
    if timeout is None or not 0 <= timeout <= MAX_HOLD_SECONDS:
        abort(400, f"timeout must be a number of seconds from 0 to {MAX_HOLD_SECONDS:g}")
    return timeout

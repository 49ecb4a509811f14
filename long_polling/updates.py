"""GET /api/updates: the held request, the one route long polling adds to the shared API."""

import time

from flask import Blueprint, abort, current_app, jsonify, request

from shared.events import CursorTooOld, is_after, parse_cursor
from shared.routes import keep_present, store

MAX_HOLD_SECONDS = 60.0

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
    with store().listener.subscribe() as subscription:
        try:
            events = store().events_after(cursor) or hold_until_event(subscription, cursor, timeout)
        except CursorTooOld:
            state = store().state()
            return jsonify(cursor=state["cursor"], state=state)
    response = jsonify(cursor=events[-1]["cursor"] if events else cursor, events=events)
    # The same URL answers differently each time: no cache or proxy may keep a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


def hold_until_event(subscription, cursor, timeout):
    """Wait until the listener brings events after `cursor`; [] if `timeout` seconds pass first.

    This is the whole technique. The wait is a gevent queue, woken by the one
    listener greenlet of this process: a thousand held requests are a thousand
    idle greenlets and cost Redis nothing while they wait.
    """
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        batch = subscription.next_batch(timeout=remaining)
        if batch is None:
            break
        # The listener may still be catching up on events this page already has
        # (its cursor can be newer than the listener's last read): skip those.
        newer = [event for event in batch if is_after(event["cursor"], cursor)]
        if newer:
            return newer
    return []


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

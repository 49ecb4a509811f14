"""Where a stream starts: the cursor it resumes from, and the messages that bring it up to date.

A browser reconnecting by itself sends the id of the last message it received as
`Last-Event-ID`; a page or client that opens a new stream passes `?cursor=`. The
stream then opens with exactly the events after it (totals conflated, cities never,
as docs/spec.md allows), or with a fresh board when the store no longer holds them all.
"""

from flask import abort, request

from shared.board.cost import process_cost
from shared.board.events import CursorTooOld, conflated, parse_cursor
from shared.board.eventstream import encode_events, encode_message
from shared.web.routes import store


def catch_up(subscription, cursor):
    """The stream's first bytes and the cursor they reach: the events after `cursor`, or a state."""
    if cursor is not None:
        try:
            missed = conflated(store().events_until(cursor, subscription.after))
            process_cost.messages += len(missed)  # each a message on the stream (shared/board/cost.py)
            return encode_events(missed), missed[-1]["cursor"] if missed else cursor
        except CursorTooOld:
            pass  # the events it missed are trimmed away (or Redis was wiped): a fresh board
    state = store().state_for_new_page()
    process_cost.messages += 1
    return encode_message(state, state["cursor"], event="state"), state["cursor"]


def resume_cursor():
    """Where the stream resumes: Last-Event-ID, else `cursor`, else None; 400 when malformed.

    The header wins: the browser sends it on its own reconnects, and it is newer than
    a `cursor` left in the URL by the page that opened the stream.
    """
    cursor = request.headers.get("Last-Event-ID") or request.args.get("cursor")
    if cursor is not None:
        try:
            parse_cursor(cursor)
        except ValueError as reason:
            abort(400, str(reason))
    return cursor

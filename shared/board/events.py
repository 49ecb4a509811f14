"""Events and cursors: how every change is written to, and read back from, the stream.

A cursor is a Redis Streams entry id ("1764113775123-0"): ordered, opaque to
clients, and its first part is the server's clock in milliseconds, which gives
every event its `at` without storing it twice.
"""

import logging
import re

log = logging.getLogger(__name__)

START_CURSOR = "0-0"
CITIES_SHOWN = 50  # a state holds the newest this many cities
CURSOR_PATTERN = re.compile(r"\d{1,20}-\d{1,20}")

# The stream field that holds each event type's value, and its key in the event.
EVENT_FIELDS = {"city": "city", "visits": "visits", "presence": "present"}


class CursorTooOld(Exception):
    """The events after this cursor are no longer all kept: take a fresh state."""


def parse_cursor(cursor):
    """Return the cursor as a comparable (milliseconds, sequence) pair."""
    if not isinstance(cursor, str) or not CURSOR_PATTERN.fullmatch(cursor):
        raise ValueError("cursor must look like 1764113775123-0")
    milliseconds, sequence = cursor.split("-")
    return int(milliseconds), int(sequence)


def is_after(cursor, other):
    """True if `cursor` comes after `other` (anything does when `other` is None).

    Compared as numbers, never as text: "9-0" sorts after "10-0" as a string.
    """
    return other is None or parse_cursor(cursor) > parse_cursor(other)


def cursor_time(cursor):
    """Return when the event with this cursor was recorded, in epoch seconds."""
    return parse_cursor(cursor)[0] / 1000


def city_from(entry_id, name):
    """Build the city object: its id is the cursor of the event that stored it."""
    return {"id": entry_id, "name": name, "at": cursor_time(entry_id)}


def decode_present(text):
    """Turn "polling 2 long_polling 0 …" into the spec's `present` object."""
    words = text.split()
    counts = {name: int(count) for name, count in zip(words[::2], words[1::2], strict=True)}
    return {"total": sum(counts.values()), **counts}


def decode_event(entry_id, fields):
    """Turn one stream entry into the event object that clients receive."""
    kind = fields["type"]
    raw = fields[EVENT_FIELDS[kind]]
    if kind == "city":
        value = city_from(entry_id, raw)
    elif kind == "visits":
        value = int(raw)
    else:
        value = decode_present(raw)
    return {"type": kind, EVENT_FIELDS[kind]: value, "cursor": entry_id, "at": cursor_time(entry_id)}


def decode_events(entries):
    """Decode stream entries, skipping (and logging) any this version cannot read.

    A newer sibling app sharing the Redis may write a kind of event this one does
    not know; its readers must carry on past it, not stop at it.
    """
    events = []
    for entry_id, fields in entries:
        try:
            events.append(decode_event(entry_id, fields))
        except (KeyError, ValueError):
            log.warning("skipping event %s, which this version cannot read: %s", entry_id, fields)
    return events


def apply_event(state, event):
    """Bring a state object up to date with one event, in place: what every follower of events does."""
    kind = event["type"]
    if kind == "city":
        state["cities"] = [event["city"], *state["cities"][: CITIES_SHOWN - 1]]
    else:
        state[EVENT_FIELDS[kind]] = event[EVENT_FIELDS[kind]]
    state["cursor"] = event["cursor"]


def conflated(events):
    """The events a client that is behind needs: every city, and only the newest totals of each kind.

    A visits or presence event carries the latest totals, so twenty of them in a row
    say no more than the last one (conflation, as market-data feeds do it). Cities
    are never dropped. The order stays the cursors' order, so the last event is still
    the newest: a client's cursor moves to it.
    """
    newest_totals = {event["type"]: event for event in events if event["type"] != "city"}
    kept = {id(event) for event in newest_totals.values()}
    return [event for event in events if event["type"] == "city" or id(event) in kept]


def brings_news(events):
    """True if any event is a city: totals alone can wait a little, cities never."""
    return any(event["type"] == "city" for event in events)

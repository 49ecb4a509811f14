"""The page and the HTTP API that every app serves the same way (docs/spec.md)."""

import json
import re

import redis
from flask import Blueprint, abort, current_app, jsonify, render_template, request

from shared.board import validation
from shared.board.cost import process_cost
from shared.board.techniques import TECHNIQUES
from shared.store import ratelimit

CLIENT_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")

board = Blueprint(
    "board", __name__, template_folder="templates", static_folder="static", static_url_path="/shared"
)


def store():
    """Return this app's store."""
    return current_app.extensions["board_store"]


def listener():
    """Return this app's listener: the one greenlet that follows the event stream (shared/news/)."""
    return current_app.extensions["board_listener"]


def client_id():
    """Return the page's client id (None when absent); 400 when it is malformed."""
    client = request.args.get("client")
    if client is not None and not CLIENT_ID_PATTERN.fullmatch(client):
        abort(400, "client must be 1 to 64 letters, digits, '-' or '_'")
    return client


def keep_present(held_seconds=0):
    """Count the asking page as present (a request without a client id is not counted)."""
    client = client_id()
    if client:
        store().mark_present(current_app.config["TECHNIQUE"], client, held_seconds)


@board.get("/")
def page():
    """The board, as the meetup's first version did it: count a visit, render a page."""
    try:
        visits = store().count_visit()
    except redis.RedisError:
        visits = None  # still serve the page; its status line shows the outage
    technique = current_app.config["TECHNIQUE"]
    return render_template(f"{technique}.html", technique=technique, techniques=TECHNIQUES, visits=visits)


@board.get("/api/state")
def state():
    """The whole board, or 304 with no body when it has not changed since the ETag."""
    keep_present()
    cursor = store().cursor_if_unchanged(request.if_none_match) if request.if_none_match else None
    if cursor:
        unchanged = current_app.response_class(status=304)
        unchanged.set_etag(cursor)
        return unchanged
    response = jsonify(store().state())
    response.set_etag(response.json["cursor"])
    response.headers["Cache-Control"] = "no-cache"
    process_cost.messages += 1  # a poll answered with news (a 304 is none): shared/board/cost.py
    return response


@board.post("/api/cities")
def add_city():
    """Store a city: 201 with it, or a 4xx that says what is wrong, storing nothing."""
    if not request.is_json:
        abort(415, "send the city as JSON (Content-Type: application/json)")
    if request.content_length is None:
        # A chunked body: gevent's server does not mark where it ends, so Werkzeug reads it as empty.
        abort(411, "send the city with a Content-Length header (a chunked body is not read)")
    if request.content_length > current_app.config["MAX_CONTENT_LENGTH"]:
        abort(413, "the body is over 4 KiB")
    try:
        payload = json.loads(request.get_data())
    except ValueError:
        abort(400, "the body is not valid JSON")
    try:
        name = validation.clean_city_name(payload)
    except ValueError as reason:
        abort(400, str(reason))
    keep_present()
    wait_seconds = store().seconds_until_city_allowed(client_id() or request.remote_addr)
    if wait_seconds:
        response = jsonify(error=ratelimit.refusal(wait_seconds))
        response.headers["Retry-After"] = str(wait_seconds)
        return response, 429
    return jsonify(store().add_city(name)), 201


@board.post("/api/leave")
def leave():
    """The page is closing (sent by navigator.sendBeacon): stop counting it now."""
    client = client_id()
    if client:
        store().mark_gone(current_app.config["TECHNIQUE"], client)
    return "", 204

"""The web skeleton every app is built on: one factory, safe defaults, clear errors.

Each app's `create_app()` calls `create_board_app()` with its technique, then adds
only what its technique needs. Everything else (the page, the HTTP API, the
headers, the answers while Redis is away) lives here once.
"""

import logging

import redis
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from shared.routes import board
from shared.settings import Settings
from shared.store import Store

log = logging.getLogger(__name__)

BODY_LIMIT_BYTES = 4 * 1024
# No inline script anywhere: a city named <script> stays text even if a bug slipped through.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
)
# The answers every app gives, over HTTP and over a socket alike.
REDIS_UNREACHABLE = "the board's Redis server is unreachable; try again shortly"
UNEXPECTED_ERROR = "the server hit an unexpected error"


def create_board_app(import_name, technique, title, test_config=None):
    """Build the Flask app for one technique, with the store and the shared routes."""
    app = Flask(import_name)
    app.config.from_mapping(TECHNIQUE=technique, TITLE=title, MAX_CONTENT_LENGTH=BODY_LIMIT_BYTES)
    app.config.update(test_config or {})
    app.extensions["board_store"] = Store(Settings.from_env())
    app.extensions["board_store"].start_sweeping()
    app.register_blueprint(board)
    app.after_request(add_safety_headers)
    app.register_error_handler(redis.ConnectionError, answer_redis_unreachable)
    app.register_error_handler(redis.TimeoutError, answer_redis_unreachable)
    app.register_error_handler(HTTPException, answer_http_error)
    app.register_error_handler(Exception, answer_unexpected_error)
    return app


def add_safety_headers(response):
    """Tell the browser not to guess types, and give pages a strict script policy."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html" and response.status_code != 304:
        response.headers["Content-Security-Policy"] = PAGE_POLICY
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def answer_redis_unreachable(error):
    """While Redis is away, say so in JSON: the page's backoff will try again."""
    log.warning("Redis unreachable: %s", error)
    response = jsonify(error=REDIS_UNREACHABLE)
    response.headers["Retry-After"] = "2"
    return response, 503


def answer_http_error(error):
    """API paths answer errors in JSON; an unknown page is a plain-text 404."""
    if request.path.startswith("/api/"):
        return jsonify(error=error.description), error.code
    return f"{error.code} {error.name}\n", error.code, {"Content-Type": "text/plain; charset=utf-8"}


def answer_unexpected_error(error):
    """A bug answers 500 with a short JSON message; the traceback goes to the log only."""
    log.exception("unexpected error", exc_info=error)
    return jsonify(error=UNEXPECTED_ERROR), 500

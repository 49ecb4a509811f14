"""The answers every app gives when something goes wrong, over HTTP and over a socket alike."""

import logging

import redis
from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from shared.store.pool import PoolBusy

log = logging.getLogger(__name__)

REDIS_UNREACHABLE = "the board's Redis server is unreachable; try again shortly"
SERVER_BUSY = "the board is busy with a crowd; try again in a moment"
UNEXPECTED_ERROR = "the server hit an unexpected error"


def register_error_answers(app):
    """Answer every error in JSON on the API (plain text elsewhere), never with a traceback."""
    app.register_error_handler(PoolBusy, answer_busy)
    app.register_error_handler(redis.ConnectionError, answer_redis_unreachable)
    app.register_error_handler(redis.TimeoutError, answer_redis_unreachable)
    app.register_error_handler(HTTPException, answer_http_error)
    app.register_error_handler(Exception, answer_unexpected_error)


def answer_redis_unreachable(error):
    """While Redis is away, say so in JSON: the page's backoff will try again."""
    log.warning("Redis unreachable: %s", error)
    response = jsonify(error=REDIS_UNREACHABLE)
    response.headers["Retry-After"] = "2"
    return response, 503


def answer_busy(error):
    """Every Redis connection of this process is in use: Redis is fine, so say busy, not down."""
    log.warning("busy: %s", error)
    response = jsonify(error=SERVER_BUSY)
    response.headers["Retry-After"] = "1"
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

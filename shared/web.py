"""The web skeleton every app is built on: one factory, safe defaults, clear errors.

Each app's `create_app()` calls `create_board_app()` with its technique, then adds
only what its technique needs. Everything else (the page, the HTTP API, the
headers, the answers while Redis is away) lives here once.
"""

import logging

import redis
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from shared.compare import compare, pane_origins
from shared.connection import PoolBusy
from shared.connection_cap import ConnectionCap
from shared.docs import docs
from shared.request_checks import refuse_foreign_requests
from shared.routes import board
from shared.settings import Settings
from shared.siblings import sibling_ports
from shared.store import Store

log = logging.getLogger(__name__)

BODY_LIMIT_BYTES = 4 * 1024
# No inline script anywhere: a city named <script> stays text even if a bug slipped through.
# Who may frame a page, and what the race page frames, is added per request (page_policy).
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'"
)
# Docs pages only: Mermaid (docs' diagrams) styles each SVG it draws with a <style> element and
# style attributes written at run time, for the diagram's own generated ids and measured sizes,
# so no hash or nonce can name them in advance. Inline styles are allowed there and nowhere
# else; scripts stay 'self' only, and a docs page shows nothing a visitor typed.
DOCS_STYLE_POLICY = "style-src-elem 'self' 'unsafe-inline'; style-src-attr 'unsafe-inline'"
# The answers every app gives, over HTTP and over a socket alike.
REDIS_UNREACHABLE = "the board's Redis server is unreachable; try again shortly"
SERVER_BUSY = "the board is busy with a crowd; try again in a moment"
UNEXPECTED_ERROR = "the server hit an unexpected error"


def create_board_app(import_name, technique, title, test_config=None):
    """Build the Flask app for one technique, with the store and the shared routes."""
    app = Flask(import_name)
    app.config.from_mapping(
        TECHNIQUE=technique, TITLE=title, MAX_CONTENT_LENGTH=BODY_LIMIT_BYTES, SIBLING_PORTS=sibling_ports()
    )
    app.config.update(test_config or {})
    store = app.extensions["board_store"] = Store(Settings.from_env())
    store.start_sweeping()
    # For the apps whose pages hold a connection open (sse/, websockets/).
    app.extensions["board_connection_cap"] = ConnectionCap(store.settings.max_streams_per_address)
    app.register_blueprint(board)
    app.register_blueprint(compare)
    app.register_blueprint(docs)
    app.before_request(refuse_foreign_requests)
    app.after_request(add_safety_headers)
    app.register_error_handler(PoolBusy, answer_busy)
    app.register_error_handler(redis.ConnectionError, answer_redis_unreachable)
    app.register_error_handler(redis.TimeoutError, answer_redis_unreachable)
    app.register_error_handler(HTTPException, answer_http_error)
    app.register_error_handler(Exception, answer_unexpected_error)
    return app


SAFETY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"))


def add_safety_headers(response):
    """Give pages a strict script policy (every answer's other headers: with_safety_headers)."""
    if response.mimetype == "text/html" and response.status_code != 304:
        response.headers["Content-Security-Policy"] = page_policy()
    return response


def with_safety_headers(wsgi_app):
    """Wrap the whole WSGI app: every answer says nosniff and no-referrer, socket.io's too.

    socket.io's endpoint answers before Flask sees the request, so Flask's after_request
    cannot reach it; around the whole app, one place covers both.
    """

    def app_with_headers(environ, start_response):
        """Call the app, adding the two headers to whatever it starts to answer."""

        def start_with_headers(status, headers, *exc_info):
            """Start the answer with the headers, unless the app already set them."""
            names = {name.lower() for name, _ in headers}
            for name, value in SAFETY_HEADERS:
                if name.lower() not in names:
                    headers.append((name, value))
            return start_response(status, headers, *exc_info)

        return wsgi_app(environ, start_with_headers)

    return app_with_headers


def page_policy():
    """The script policy, plus framing: only the sibling apps may frame a page (for /compare)."""
    # Each sibling serves on its own port, so it is another origin: 'self' alone would
    # block the race page's panes. Exactly these origins, and no others.
    siblings = " ".join(pane_origins().values())
    policy = f"{PAGE_POLICY}; frame-ancestors 'self' {siblings}"
    if request.blueprint == "compare":
        policy += f"; frame-src {siblings}"  # the race page frames the siblings, and nothing else
    if request.blueprint == "docs":
        policy += f"; {DOCS_STYLE_POLICY}"
    return policy


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

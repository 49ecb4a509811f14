"""The web skeleton every app is built on: one factory, safe defaults, clear errors.

Each app's `create_app()` calls `create_board_app()` with its technique, then adds
only what its technique needs. Everything else (the page, the HTTP API, the
headers, the answers while Redis is away, the process's cost) is made here once. The docs viewer and
the race page are added by shared/serve.py, not here: the skeleton needs neither.
"""

from flask import Flask

from shared.board.settings import Settings
from shared.news.listener import Listener
from shared.store.store import Store
from shared.web.address_cap import AddressCap
from shared.web.cost import cost
from shared.web.errors import register_error_answers
from shared.web.headers import add_safety_headers
from shared.web.request_checks import refuse_foreign_requests
from shared.web.routes import board
from shared.web.siblings import sibling_ports

BODY_LIMIT_BYTES = 4 * 1024


def create_board_app(import_name, technique, title, test_config=None):
    """Build the Flask app for one technique, with the store, its listener and the shared routes."""
    app = Flask(import_name)
    app.config.from_mapping(
        TECHNIQUE=technique, TITLE=title, MAX_CONTENT_LENGTH=BODY_LIMIT_BYTES, SIBLING_PORTS=sibling_ports()
    )
    app.config.update(test_config or {})
    store = app.extensions["board_store"] = Store(Settings.from_env())
    store.start_sweeping()
    # The one greenlet per process that follows the event stream, for the pages that wait for news.
    listener = app.extensions["board_listener"] = Listener(store)
    store.on_close.append(listener.stop)
    # For the apps whose pages hold a connection open (sse/, websockets/).
    app.extensions["board_address_cap"] = AddressCap(store.settings.max_streams_per_address)
    app.register_blueprint(board)
    app.register_blueprint(cost)  # GET /api/cost: what this process has cost so far
    app.before_request(refuse_foreign_requests)
    app.after_request(add_safety_headers)
    register_error_answers(app)
    return app

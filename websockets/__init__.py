"""WebSockets with socket.io: one connection stays open and the server pushes.

Last in the reading order: read polling/, long_polling/ and sse/ first. Server-Sent
Events already keep one response open and push each event down it, but one way
only: cities still go up by POST, each a request of its own. This app changes one
thing: the page opens one socket.io connection, both ways, and keeps it; the server
pushes each event down it, and the page sends its cities up the same connection.
The technique lives in handlers.py (connect, city, disconnect), relay.py (the one
greenlet per process that pushes the store's events), static/websockets.js and
client.py; shared/news/open_presence.py counts sockets as here while they are open.

This folder's name is the one the meetup story gives it, and it shadows the PyPI
library called `websockets` for anything run from the project root. Nothing in
requirements.txt may depend on that library; tests/tooling/test_layout.py fails if
anything ever does.
"""

from gevent import monkey

# Everything in this package runs on gevent, and patching must come before the
# imports below. The server (shared/serve.py) has patched already, so this is a
# no-op there; `python -m websockets.client` arrives here first, and needs it.
monkey.patch_all()

import os  # noqa: E402  (imports after patching, on purpose)

from flask_socketio import SocketIO  # noqa: E402

from shared.news.open_presence import OpenPresence  # noqa: E402
from shared.web.factory import BODY_LIMIT_BYTES, create_board_app  # noqa: E402
from websockets import handlers, vendor  # noqa: E402
from websockets.relay import Relay  # noqa: E402

# How Flask-SocketIO waits for many sockets at once. "gevent": each socket is a
# greenlet, on the same gevent server as the other apps (shared/serve.py), and
# simple-websocket speaks the WebSocket protocol under it. The other options are
# "eventlet" (not installed here) and "threading" (one thread per socket, and
# Werkzeug's development server: never for this workshop).
ASYNC_MODE = "gevent"

# The knob a workshop turns: which other origins may open a socket (SOCKETIO_CORS_ORIGINS).
# Empty means same origin only: a page served by this app, at the address the browser
# used. For a room on a LAN that reaches the board under several names, list them
# ("http://192.168.1.20:5003,http://board.local:5003"), or "*" to accept any page
# (any site a visitor has open could then talk to the board in their name).
CORS_ORIGINS = [origin for origin in os.environ.get("SOCKETIO_CORS_ORIGINS", "").split(",") if origin]

# One message from a browser may be at most this big, as for an HTTP body: a city is
# a few dozen bytes. A bigger one closes that socket; the others never notice.
MAX_MESSAGE_BYTES = BODY_LIMIT_BYTES


def create_app(test_config=None):
    """Create the websockets app: the shared board, plus a SocketIO that pushes every event."""
    app = create_board_app(__name__, "websockets", "WebSockets (socket.io)", test_config)
    socketio = SocketIO(
        app,
        async_mode=ASYNC_MODE,
        cors_allowed_origins=CORS_ORIGINS or None,  # None: same origin only
        max_http_buffer_size=MAX_MESSAGE_BYTES,
    )
    app.wsgi_app = without_compression(app.wsgi_app)
    store = app.extensions["board_store"]
    app.extensions["board_relay"] = Relay(socketio, store, app.extensions["board_listener"])
    app.extensions["board_presence"] = OpenPresence(store, "websockets")
    app.extensions["board_relay"].start()
    app.extensions["board_presence"].start(app.extensions["board_listener"])
    handlers.register(socketio)
    app.register_blueprint(vendor.blueprint)
    return app


def without_compression(wsgi_app):
    """Hide a WebSocket's offer of compression, so that every frame goes out as it is.

    Browsers and the socket.io client offer permessage-deflate, and simple-websocket
    always accepts it. It pays for large messages; ours are events of about a hundred
    bytes, sent to every socket. Compressed, each one was compressed again for every
    socket, and each socket kept a zlib context: make bench measured about 185 KiB of
    server memory per socket, against about 43 for Node's socket.io server, which
    does not compress. simple-websocket reads the offer from the WSGI environ, so
    removing it there is enough (tests/techniques/websockets/test_websockets_app.py checks it).
    """

    def app(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return app

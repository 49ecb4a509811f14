"""Server-Sent Events: one response stays open, and the server writes each change to it.

Between long polling and WebSockets in the story: read long_polling/ first. Long
polling already waits on the process's one listener and answers with events, but
each answer ends the request, and the page must ask again before the next change
can reach it. This app changes one thing: the response does not end. GET
/api/stream stays open and the server writes every event down it as a message
(`id:` its cursor, `data:` its JSON); the browser's EventSource reads them, and on
a dropped connection reconnects by itself, sending the last id it saw as
`Last-Event-ID`, so the server replays exactly what it missed. News flows one way
only: cities still go up by POST, as on the other HTTP pages. The stream lives in
stream.py; the page's side in static/sse.js and client.py.
"""

from shared.board.settings import number_from_env
from shared.news.open_presence import OpenPresence
from shared.web.factory import create_board_app
from sse.stream import stream

# The knob to turn: seconds between two keep-alive comments on a quiet stream
# (KEEPALIVE_SECONDS). Proxies and load balancers close a connection that has been
# silent for a while, often 30 to 60 s; a comment line every 15 s is what keeps an
# idle board's stream open through them. Try 2 and watch the stream in curl -N.
KEEPALIVE_SECONDS = number_from_env("KEEPALIVE_SECONDS", 15.0)


def create_app(test_config=None):
    """Create the SSE app: the shared board plus the open /api/stream."""
    config = {"KEEPALIVE_SECONDS": KEEPALIVE_SECONDS, **(test_config or {})}
    if not config["KEEPALIVE_SECONDS"] > 0:
        raise SystemExit("KEEPALIVE_SECONDS must be more than 0")
    app = create_board_app(__name__, "sse", "Server-Sent Events", config)
    app.extensions["board_presence"] = OpenPresence(app.extensions["board_store"], "sse")
    app.extensions["board_presence"].start(app.extensions["board_listener"])
    app.register_blueprint(stream)
    return app

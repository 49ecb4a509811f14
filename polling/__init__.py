"""AJAX polling: the page asks "anything new?" every few seconds. Read this app first.

First in the reading order (then long_polling/, sse/ and websockets/). Compared with
the meetup's first version, a page that only showed what was true when it was
rendered, this one changes a single thing: the browser asks again, on a timer.
The server side is the shared skeleton as it stands: /api/state answers with the
whole board and an ETag, and a board that has not changed costs a 304 with no body.
The technique itself lives in static/polling.js and in client.py.
"""

from shared.board.settings import number_from_env
from shared.web.factory import create_board_app

# The knob to turn: seconds between two polls (POLL_INTERVAL). Try 0.5 and watch
# the meter's requests climb; try 10 and watch the delay grow.
POLL_INTERVAL_SECONDS = number_from_env("POLL_INTERVAL", 2.0)


def create_app(test_config=None):
    """Create the polling app: the shared board, asked again every POLL_INTERVAL seconds."""
    config = {"POLL_INTERVAL": POLL_INTERVAL_SECONDS, **(test_config or {})}
    return create_board_app(__name__, "polling", "AJAX polling", config)

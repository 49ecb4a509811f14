"""Long polling: the page asks, and the server holds the question until there is news.

Second in the reading order: read polling/ first, then this, then sse/ and websockets/.
Compared with polling, one thing changes: where the polling app answered "nothing
new" at once and the page asked again later, this app keeps the request open (a
greenlet waiting, not a thread) until an event exists after the page's cursor, or
the hold time passes. The page then asks again at once, so a change reaches it in
about one round trip. The held request lives in updates.py; the page's loop in
static/long_polling.js and client.py.
"""

from long_polling.updates import MAX_HOLD_SECONDS, updates
from shared.board.settings import number_from_env
from shared.web.factory import create_board_app

# The knob to turn: seconds the server may hold a request with no news (HOLD_SECONDS,
# at most 60). Try 5 and watch the meter's timeouts climb; proxies often cut idle
# requests after 30 to 60 s, which is why the default stays below that.
HOLD_SECONDS = number_from_env("HOLD_SECONDS", 25.0)


def create_app(test_config=None):
    """Create the long polling app: the shared board plus the held /api/updates."""
    config = {"HOLD_SECONDS": HOLD_SECONDS, **(test_config or {})}
    if not 0 < config["HOLD_SECONDS"] <= MAX_HOLD_SECONDS:
        raise SystemExit(f"HOLD_SECONDS must be more than 0 and at most {MAX_HOLD_SECONDS:g}")
    app = create_board_app(__name__, "long_polling", "Long polling", config)
    app.register_blueprint(updates)
    return app

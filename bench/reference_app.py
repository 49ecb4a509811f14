"""The reference a tutorial writes: a minimal Flask-SocketIO broadcast app on gevent.

No Redis, no presence, no catch-up: a POSTed city is emitted to every socket, and
that is all. The bench drives it with the same pages and writer as the board's
websockets app, so the difference between the two is what the board adds.
Run by the bench as `python -m bench.reference_app` with PORT set.
"""

from gevent import monkey

monkey.patch_all()

import itertools  # noqa: E402  (imports after patching, on purpose)
import os  # noqa: E402
import time  # noqa: E402

from flask import Flask, jsonify, request  # noqa: E402
from flask_socketio import SocketIO  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent")
sequence = itertools.count()


def board_state():
    """An empty board, in the shape the pages expect."""
    return {"visits": 0, "present": {"total": 0}, "cities": [], "cursor": "0-0", "now": time.time()}


@app.get("/api/state")
def state():
    """The board (always empty here)."""
    return jsonify(board_state())


@app.post("/api/cities")
def add_city():
    """Make a city and emit it to every socket."""
    name = (request.get_json(silent=True) or {}).get("name")
    if not isinstance(name, str) or not name.strip():
        return jsonify(error="name is required"), 400
    now = time.time()
    cursor = f"{int(now * 1000)}-{next(sequence)}"
    city = {"id": cursor, "name": name.strip(), "at": now}
    socketio.emit("event", {"type": "city", "city": city, "cursor": cursor, "at": now})
    return jsonify(city), 201


@socketio.on("connect")
def connect(auth=None):
    """A socket opens: send it the board."""
    socketio.emit("state", board_state(), to=request.sid)


if __name__ == "__main__":
    socketio.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), log_output=False)

"""GET /api/cost: what this process has cost so far, for the race page and `make room` to read.

The counting is in shared/board/cost.py. The answer is no page: no client id, no
visit, no presence, no line in the access log (shared/web/http_handler.py), and it is
not counted in `requests`, so a race page asking every second changes nothing it reads.
The race page on one app reads every app's cost: the sibling apps' origins may read it.
"""

from flask import Blueprint, current_app, jsonify, request

from shared.board.cost import process_cost
from shared.web.headers import pane_origins

COST_PATH = "/api/cost"

cost = Blueprint("cost", __name__)


@cost.get(COST_PATH)
def cost_so_far():
    """This process's counters, its CPU time, and when they were read; readable by the sibling apps."""
    response = jsonify(process_cost.so_far(current_app.config["TECHNIQUE"]))
    response.headers["Cache-Control"] = "no-store"
    # Each sibling serves on its own port, another origin: the browser lets the race page
    # read this answer only if it names that page's origin. Exactly the siblings, no others.
    origin = request.headers.get("Origin")
    if origin in pane_origins().values():
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")
    return response


def asks_for_cost(path):
    """True if a request's path (its query string too, as gevent reads it) is GET /api/cost's."""
    return path is not None and path.partition("?")[0] == COST_PATH

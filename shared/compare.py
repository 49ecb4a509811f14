"""The race page, /compare: every technique's board side by side, and one button that sends a city.

Every app serves it (the shared factory registers this blueprint), so any app's
/compare works. Each pane frames one sibling app's board at that app's port; the
boards tell this page when they show a city and how late (postMessage, from
board.js), and static/compare.js writes each technique's delay above its pane.
"""

from flask import Blueprint, current_app, render_template, request

from shared.siblings import sibling_origins

compare = Blueprint("compare", __name__, template_folder="templates")

# Already in the box, so that the first race is one click.
SUGGESTED_CITY = "Pittsburgh"


def pane_origins():
    """Return each sibling app's origin, at the host name this request came to."""
    return sibling_origins(request.host_url, current_app.config["SIBLING_PORTS"])


@compare.get("/compare")
def page():
    """The race page: one pane per technique, each framing that technique's app."""
    return render_template("compare.html", origins=pane_origins(), suggestion=SUGGESTED_CITY)

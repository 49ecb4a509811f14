"""The race page, /compare: every technique's board side by side, and one button that sends a city.

Every app serves it (the shared factory registers this blueprint), so any app's
/compare works. Each pane frames one sibling app's board at that app's port; the
boards tell this page when they show a city and how late (postMessage, from
board.js), and static/compare.js writes each technique's delay above its pane.
"""

from flask import Blueprint, render_template

from shared.web.headers import is_page, page_policy, pane_origins

compare = Blueprint("compare", __name__, template_folder="templates")

# Already in the box, so that the first race is one click.
SUGGESTED_CITY = "Pittsburgh"


@compare.after_request
def frame_the_siblings(response):
    """The race page frames the sibling apps' boards, and nothing else."""
    if is_page(response):
        response.headers["Content-Security-Policy"] = page_policy(
            f"frame-src {' '.join(pane_origins().values())}"
        )
    return response


@compare.get("/compare")
def page():
    """The race page: one pane per technique, each framing that technique's app."""
    return render_template("compare.html", origins=pane_origins(), suggestion=SUGGESTED_CITY)

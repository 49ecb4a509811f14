"""The race page, /compare: every technique's board side by side, its cost, and one button that sends a city.

Every app serves it (the shared factory registers this blueprint), so any app's
/compare works. Each pane frames one sibling app's board at that app's port; the
boards tell this page when they show a city and how late, and what their wire meter
has counted (postMessage, from meter.js). static/compare.js writes each technique's
delay and its cost per minute above its pane, and reads each sibling's GET /api/cost
for its server's CPU; static/cost_chart.js draws the bytes per second of each.
"""

from flask import Blueprint, render_template

from shared.web.headers import is_page, page_policy, pane_origins

compare = Blueprint("compare", __name__, template_folder="templates")

# Already in the box, so that the first race is one click.
SUGGESTED_CITY = "Pittsburgh"
# What a technique's meter counts as a request, where it is not an HTTP request (as its board's label says).
REQUESTS_LABEL = {"websockets": "Frames"}


@compare.after_request
def frame_the_siblings(response):
    """The race page frames the sibling apps' boards and reads their cost, and nothing else."""
    if is_page(response):
        siblings = " ".join(pane_origins().values())
        response.headers["Content-Security-Policy"] = page_policy(
            f"frame-src {siblings}", connect_src=f"'self' {siblings}"
        )
    return response


@compare.get("/compare")
def page():
    """The race page: one pane per technique, each framing that technique's app."""
    return render_template(
        "compare.html", origins=pane_origins(), suggestion=SUGGESTED_CITY, requests_label=REQUESTS_LABEL
    )

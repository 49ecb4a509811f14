"""What only the polling app does: its interval, its meter, and presence kept by each poll.

The behaviours every app shares (the page, /api/state, cities, presence) are in
tests/behaviour/, run against this app and its siblings alike.
"""

import requests

from tests.api import get_state
from tests.servers import wait_until


def present(app, client=None):
    """Who is here now, by /api/state (asked as `client`, which then counts as present)."""
    return get_state(app, client).json()["present"]


def test_the_page_polls_at_the_configured_interval_and_shows_empty_polls(start_app):
    app = start_app("polling", POLL_INTERVAL=0.5)
    page = requests.get(app.url, timeout=5)
    assert page.status_code == 200
    assert 'data-poll-interval="0.5"' in page.text and "Every 0.5 s" in page.text
    assert 'id="meter-empty"' in page.text
    script = requests.get(f"{app.url}/static/polling.js", timeout=5)
    assert script.status_code == 200 and "If-None-Match" in script.text


def test_a_page_that_stops_asking_drops_out_after_the_window(start_app):
    app = start_app("polling", PRESENCE_WINDOW=1.5)
    assert present(app, client="quiet-tab")["polling"] == 1
    wait_until(lambda: present(app)["polling"] == 0, timeout=10, message="the lease to lapse")


def test_presence_changes_reach_pollers_as_a_new_etag(polling_app):
    first = get_state(polling_app, client="watcher")
    present(polling_app, client="newcomer")

    def etag_changed():
        response = requests.get(
            f"{polling_app.url}/api/state",
            params={"client": "watcher"},
            headers={"If-None-Match": first.headers["ETag"]},
            timeout=5,
        )
        return response.status_code == 200 and response.json()["present"]["total"] == 2

    wait_until(etag_changed, message="the presence event to change the ETag")

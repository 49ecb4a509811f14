"""Presence on the polling app: a poll joins, silence lapses after the window, a leave is at once."""

import requests

from tests.servers import wait_until


def present(app, client=None):
    params = {"client": client} if client else {}
    response = requests.get(f"{app.url}/api/state", params=params, timeout=5)
    assert response.status_code == 200
    return response.json()["present"]


def test_a_polling_page_counts_as_present_under_polling(polling_app):
    assert present(polling_app)["total"] == 0
    counts = present(polling_app, client="tab-one")
    assert counts["polling"] == 1 and counts["total"] == 1
    present(polling_app, client="tab-two")
    assert present(polling_app) == {"total": 2, "polling": 2, "long_polling": 0, "websockets": 0}


def test_a_request_without_a_client_id_is_served_but_not_counted(polling_app):
    present(polling_app)
    assert present(polling_app)["total"] == 0


def test_a_page_that_stops_asking_drops_out_after_the_window(start_app):
    app = start_app("polling", PRESENCE_WINDOW=1.5)
    assert present(app, client="quiet-tab")["polling"] == 1
    wait_until(lambda: present(app)["polling"] == 0, timeout=10, message="the lease to lapse")


def test_leave_drops_presence_at_once(polling_app):
    present(polling_app, client="closing-tab")
    response = requests.post(f"{polling_app.url}/api/leave", params={"client": "closing-tab"}, timeout=5)
    assert response.status_code == 204
    assert present(polling_app)["total"] == 0


def test_presence_changes_reach_pollers_as_a_new_etag(polling_app):
    first = requests.get(f"{polling_app.url}/api/state", params={"client": "watcher"}, timeout=5)
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

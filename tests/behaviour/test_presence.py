"""Here now (docs/spec.md: "Presence counts the pages open now"): client ids, /api/leave, closed sockets."""

import requests

from tests.api import get_state, state


def state_as(app, client):
    """The board, asked for as `client` (which keeps that client present, as a page's request does)."""
    return get_state(app, client).json()


def test_an_open_page_counts_as_present_under_its_technique(any_app, open_page):
    open_page(any_app)
    present = state(any_app)["present"]
    assert present["total"] == 1 and present[any_app.technique] == 1
    assert sum(count for name, count in present.items() if name != "total") == 1


def test_a_page_opening_raises_the_presence_on_every_open_page(any_app, open_page):
    watcher = open_page(any_app)
    open_page(any_app)
    board = watcher.wait_for(lambda board: board["present"]["total"] == 2, "the second page to count")
    assert board["present"][any_app.technique] == 2


def test_a_closing_page_drops_out_at_once_on_every_open_page(any_app, open_page):
    watcher, leaving = open_page(any_app), open_page(any_app)
    watcher.wait_for(lambda board: board["present"]["total"] == 2, "both pages to count")
    leaving.close()
    # Well inside the 40 s presence window: the leave (or the closed socket) counted at once.
    watcher.wait_for(lambda board: board["present"]["total"] == 1, "the closed page to drop out", timeout=10)
    assert state(any_app)["present"][any_app.technique] == 1


def test_a_request_without_a_client_id_is_served_but_not_counted(any_app):
    state(any_app)
    assert state(any_app)["present"]["total"] == 0


def test_a_leave_answers_204_and_drops_the_page_at_once(any_app):
    assert state_as(any_app, "closing-tab")["present"]["total"] == 1
    response = requests.post(f"{any_app.url}/api/leave", params={"client": "closing-tab"}, timeout=5)
    assert response.status_code == 204
    assert state(any_app)["present"]["total"] == 0

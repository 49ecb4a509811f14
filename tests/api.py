"""The HTTP API as the tests call it (each answer's status is checked), and the events the store holds."""

import requests

TIMEOUT_SECONDS = 5


def get_state(app, client=None, headers=None):
    """GET /api/state and assert a 200 (without a client id, the asker is not counted as present)."""
    params = {"client": client} if client else {}
    response = requests.get(f"{app.url}/api/state", params=params, headers=headers, timeout=TIMEOUT_SECONDS)
    assert response.status_code == 200, response.text
    return response


def state(app):
    """The board now, as /api/state gives it."""
    return get_state(app).json()


def city_names(app):
    """The cities the app shows now, newest first."""
    return [city["name"] for city in state(app)["cities"]]


def post_body(app, body, client="tester", content_type="application/json"):
    """POST a raw body to /api/cities; the caller asserts the status it expects."""
    return requests.post(
        f"{app.url}/api/cities",
        params={"client": client},
        data=body,
        headers={"Content-Type": content_type},
        timeout=TIMEOUT_SECONDS,
    )


def add_city(app, name, client="tester"):
    """POST a city as a page does and assert it was stored; return it."""
    response = requests.post(
        f"{app.url}/api/cities", params={"client": client}, json={"name": name}, timeout=TIMEOUT_SECONDS
    )
    assert response.status_code == 201, response.text
    return response.json()


def all_events_after(store, cursor):
    """Every event the store holds after `cursor`, oldest first (events_after reads 100 at a time)."""
    events = []
    while batch := store.events_after(cursor):
        events += batch
        cursor = batch[-1]["cursor"]
    return events

"""The long polling app over real HTTP: held requests, timeouts, cursors and refusals."""

import time

import gevent
import pytest
import requests

from shared.store.history import EVENTS_PER_READ
from tests.api import add_city, state
from tests.apps import PATHS
from tests.servers import established_connections, wait_until


def current_cursor(app):
    """The cursor of the board now, as a page takes it from /api/state."""
    return state(app)["cursor"]


def ask_updates(app, cursor, timeout=20, client=None):
    """One GET /api/updates; returns the response (its status is asserted by the caller)."""
    params = {"cursor": cursor, "timeout": timeout, **({"client": client} if client else {})}
    return requests.get(f"{app.url}/api/updates", params=params, timeout=timeout + 10)


def city_names(answer):
    return [event["city"]["name"] for event in answer["events"] if event["type"] == "city"]


def test_a_held_request_returns_with_a_city_posted_while_it_waits(long_polling_app):
    cursor = current_cursor(long_polling_app)
    held = gevent.spawn(ask_updates, long_polling_app, cursor)
    wait_until(lambda: established_connections(long_polling_app.port) == 1, message="the request to be held")
    city = add_city(long_polling_app, "Lisbon")
    response = held.get(timeout=15)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store", "the same URL answers differently each time"
    answer = response.json()
    assert [event["city"] for event in answer["events"]] == [city]
    assert answer["cursor"] == city["id"]


def test_with_no_news_a_held_request_answers_no_events_after_its_timeout(long_polling_app):
    cursor = current_cursor(long_polling_app)
    started = time.monotonic()
    response = ask_updates(long_polling_app, cursor, timeout=1)
    assert response.status_code == 200
    assert response.json() == {"cursor": cursor, "events": []}
    assert time.monotonic() - started >= 0.9, "the server held it for about the timeout"


def test_cities_posted_between_two_requests_all_arrive_in_order_none_twice(long_polling_app):
    cursor = current_cursor(long_polling_app)
    names = [f"City {number}" for number in range(5)]
    for name in names:
        add_city(long_polling_app, name)
    first = ask_updates(long_polling_app, cursor)
    assert first.status_code == 200
    assert city_names(first.json()) == names
    again = ask_updates(long_polling_app, first.json()["cursor"], timeout=0)
    assert again.status_code == 200 and city_names(again.json()) == []


def test_more_events_than_one_answer_holds_arrive_over_several_answers(long_polling_app, store):
    cursor = current_cursor(long_polling_app)
    names = [f"Town {number}" for number in range(250)]
    for name in names:
        store.add_city(name)
    received = []
    while len(received) < len(names):
        response = ask_updates(long_polling_app, cursor, timeout=5)
        assert response.status_code == 200
        assert response.json()["events"], "events were still missing"
        received += city_names(response.json())
        cursor = response.json()["cursor"]
    assert received == names


@pytest.mark.parametrize("textbook_or_tuned", list(PATHS))  # the fixture of that name: the app's path
def test_a_page_behind_by_a_full_answer_of_totals_misses_no_city_sent_while_it_waits(long_polling_app, store):
    cursor = current_cursor(long_polling_app)
    for _ in range(EVENTS_PER_READ + 5):  # more totals than one answer holds: the city lies beyond them
        store.totals.publish("visits")
    names = ["Behind the totals"]
    store.add_city(names[0])
    asking = gevent.spawn(ask_updates, long_polling_app, cursor, timeout=5)
    # Cities sent while it asks: one sent after the request subscribed used to answer it, with a
    # cursor past the city behind the totals, which the request had never read.
    while not asking.ready() and len(names) < 20:
        names.append(store.add_city(f"While it asks {len(names)}")["name"])
        asking.join(timeout=0.1)
    received = []
    answer = asking.get(timeout=10)
    while answer.json()["events"]:
        assert answer.status_code == 200
        received += city_names(answer.json())
        answer = ask_updates(long_polling_app, answer.json()["cursor"], timeout=0)
    assert received == names


@pytest.mark.parametrize("cursor", ["99999999999999-0", "0-0"])
def test_a_cursor_the_store_cannot_continue_from_gets_a_fresh_state(start_app, make_store, cursor):
    app = start_app("long_polling", EVENTS_KEPT=20)
    store = make_store(events_kept=20)
    for number in range(250):  # enough for the stream to be trimmed past its start
        store.add_city(f"Village {number}")
    response = ask_updates(app, cursor)
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"cursor", "state"}
    assert answer["state"]["cities"][0]["name"] == "Village 249"
    assert answer["cursor"] == answer["state"]["cursor"]


@pytest.mark.parametrize(
    ("params", "complaint"),
    [
        ({}, "cursor is required"),
        ({"cursor": "yesterday"}, "cursor must look like"),
        ({"cursor": "1-2-3"}, "cursor must look like"),
        ({"cursor": ""}, "cursor must look like"),
        ({"cursor": "0-0", "timeout": "soon"}, "timeout must be"),
        ({"cursor": "0-0", "timeout": "-1"}, "timeout must be"),
        ({"cursor": "0-0", "timeout": "61"}, "timeout must be"),
        ({"cursor": "0-0", "timeout": "nan"}, "timeout must be"),
        ({"cursor": "0-0", "timeout": "inf"}, "timeout must be"),
    ],
)
def test_a_malformed_cursor_or_timeout_answers_400_and_changes_nothing(long_polling_app, params, complaint):
    before = requests.get(f"{long_polling_app.url}/api/state", timeout=5).json()
    response = requests.get(
        f"{long_polling_app.url}/api/updates", params={**params, "client": "careless"}, timeout=5
    )
    assert response.status_code == 400
    assert complaint in response.json()["error"]
    after = requests.get(f"{long_polling_app.url}/api/state", timeout=5).json()
    assert after["present"]["total"] == 0, "a refused request does not count as present"
    assert after["cursor"] == before["cursor"], "a refused request records no event"


def test_a_page_holding_a_request_stays_present_past_the_presence_window(start_app):
    app = start_app("long_polling", PRESENCE_WINDOW=1)
    arrival = requests.get(f"{app.url}/api/state", params={"client": "patient"}, timeout=5)
    assert arrival.status_code == 200
    # Wait for the arrival's presence event, so the held request below has no news.
    cursor = wait_until(lambda: present_event_cursor(app, arrival.json()["cursor"]), message="presence event")
    response = ask_updates(app, cursor, timeout=2, client="patient")
    assert response.status_code == 200 and response.json()["events"] == []
    state = requests.get(f"{app.url}/api/state", timeout=5).json()
    assert state["present"]["long_polling"] == 1, "held for 2 s with a 1 s window, and still counted"


def present_event_cursor(app, cursor):
    """The cursor of the first presence event after `cursor`, if there is one yet."""
    answer = ask_updates(app, cursor, timeout=0).json()
    return next((event["cursor"] for event in answer["events"] if event["type"] == "presence"), None)


def test_the_page_names_its_technique_and_carries_the_long_polling_meter(long_polling_app):
    page = requests.get(long_polling_app.url, timeout=5)
    assert page.status_code == 200
    assert 'data-technique="long_polling"' in page.text and 'data-hold-seconds="25"' in page.text
    assert 'id="meter-held"' in page.text and 'id="meter-timeouts"' in page.text
    script = requests.get(f"{long_polling_app.url}/static/long_polling.js", timeout=5)
    assert script.status_code == 200 and "/api/updates" in script.text


def test_arrivals_while_a_request_is_held_come_back_as_the_newest_totals_only(long_polling_app):
    cursor = current_cursor(long_polling_app)
    held = gevent.spawn(ask_updates, long_polling_app, cursor, timeout=20)
    for number in range(20):  # twenty pages arrive, over several coalescing intervals
        url = f"{long_polling_app.url}/api/state"
        arrival = requests.get(url, params={"client": f"tab-{number}"}, timeout=5)
        assert arrival.status_code == 200
        gevent.sleep(0.05)  # spread the arrivals, so that several presence events are published
    answer = held.get(timeout=30)
    assert answer.status_code == 200
    presence = [event for event in answer.json()["events"] if event["type"] == "presence"]
    assert len(presence) == 1, "one totals event, not one per change"
    assert answer.json()["cursor"] == answer.json()["events"][-1]["cursor"]
    # Conflated, and still true: the newest totals say all twenty are here.
    wait_until(lambda: state(long_polling_app)["present"]["long_polling"] == 20, message="all twenty counted")
    # A page that was away for all of it gets the same: one presence event, the newest.
    missed = ask_updates(long_polling_app, cursor, timeout=0).json()["events"]
    assert [event["present"]["long_polling"] for event in missed if event["type"] == "presence"] == [20]

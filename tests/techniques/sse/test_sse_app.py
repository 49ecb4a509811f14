"""The event stream: its format, where it starts, and resuming exactly where a page left off."""

import gevent
import gevent.event
import requests

from shared.board.events import parse_cursor
from tests.api import all_events_after
from tests.servers import wait_until


def test_the_stream_is_an_uncached_event_stream_that_opens_with_the_board(sse_app, open_stream):
    stream = open_stream(sse_app)
    headers = stream.response.headers
    assert headers["Content-Type"].startswith("text/event-stream")
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Accel-Buffering"] == "no"
    wait_until(stream.states, message="the first message")
    retry, blank, kind, message_id, data = stream.lines[:5]
    assert 1000 <= int(retry.removeprefix("retry: ")) <= 2000 and blank == ""
    assert kind == "event: state" and data.startswith("data: {")
    assert message_id == f"id: {stream.states()[0]['cursor']}"
    assert stream.messages[0].event == "state"


def test_each_event_is_one_message_with_its_cursor_as_the_id(sse_app, open_stream):
    stream = open_stream(sse_app)
    wait_until(stream.states, message="the board")
    city = requests.post(f"{sse_app.url}/api/cities", json={"name": "Tallinn"}, timeout=5)
    assert city.status_code == 201
    wait_until(lambda: stream.city_names() == ["Tallinn"], message="the city's message")
    [message] = [message for message in stream.messages if '"Tallinn"' in message.data]
    assert message.event == "message" and message.id == city.json()["id"]
    event = stream.events("city")[0]
    assert event == {"type": "city", "city": city.json(), "cursor": message.id, "at": city.json()["at"]}


def test_a_quiet_stream_carries_keep_alive_comments(start_app, open_stream):
    app = start_app("sse", KEEPALIVE_SECONDS=0.2)
    stream = open_stream(app)
    wait_until(lambda: stream.lines.count(": keep-alive") >= 3, message="three keep-alive comments")
    assert len(stream.messages) == 1, "comments are no messages: the board is all a reader got"


def test_a_malformed_cursor_is_refused_with_a_reason(sse_app):
    for headers, params in [({"Last-Event-ID": "yesterday"}, {}), ({}, {"cursor": "1-2-3"})]:
        response = requests.get(f"{sse_app.url}/api/stream", headers=headers, params=params, timeout=5)
        assert response.status_code == 400
        assert "cursor" in response.json()["error"]


def test_resuming_by_last_event_id_misses_and_repeats_nothing_while_cities_keep_coming(
    sse_app, open_stream, store
):
    first = open_stream(sse_app, params={"client": "tab"})
    start = wait_until(first.states, message="the board")[0]["cursor"]
    names = [f"Stop {number}" for number in range(300)]

    first_closed = gevent.event.Event()

    def write():
        """Add the cities one after another, letting the streams read between them.

        The last 200 wait for the first stream to close: however fast it reads, it
        cannot have them all, and they arrive while the second one opens.
        """
        for number, name in enumerate(names):
            if number == 100:
                first_closed.wait(timeout=10)
            store.add_city(name)
            gevent.sleep(0)

    writer = gevent.spawn(write)
    wait_until(lambda: len(first.city_names()) >= 30, message="some cities on the first stream")
    first.close()  # the connection drops while cities keep coming
    first_closed.set()
    second = open_stream(sse_app, params={"client": "tab"}, headers={"Last-Event-ID": first.last_id()})
    writer.get(timeout=30)
    wait_until(lambda: second.city_names()[-1:] == names[-1:], message="the last city on the second stream")
    assert first.city_names() + second.city_names() == names, "every city once, in order"
    assert second.states() == []
    cursors = [parse_cursor(event["cursor"]) for event in first.events() + second.events()]
    assert cursors == sorted(set(cursors)), "no event twice, none out of order"
    stored_cities = [event for event in all_events_after(store, start) if event["type"] == "city"]
    assert first.events("city") + second.events("city") == stored_cities


def test_the_cursor_parameter_resumes_too_and_the_header_wins_over_it(sse_app, open_stream, store):
    cursor = store.add_city("Before")["id"]
    newer = store.add_city("Oslo")["id"]
    store.add_city("Riga")
    by_parameter = open_stream(sse_app, params={"cursor": cursor})
    wait_until(lambda: by_parameter.city_names() == ["Oslo", "Riga"], message="the cities after the cursor")
    both = open_stream(sse_app, params={"cursor": cursor}, headers={"Last-Event-ID": newer})
    wait_until(lambda: both.city_names() == ["Riga"], message="the cities after Last-Event-ID")
    assert by_parameter.states() == both.states() == []


def test_a_cursor_older_than_the_events_kept_gets_a_fresh_state(start_app, open_stream, make_store):
    app = start_app("sse", EVENTS_KEPT=5)
    store = make_store(events_kept=5)  # so that adding trims the stream, as the app's would
    old_cursor = store.add_city("Long ago")["id"]
    for number in range(150):
        store.add_city(f"Since then {number}")
    stream = open_stream(app, headers={"Last-Event-ID": old_cursor})
    state = wait_until(stream.states, message="a fresh state")[0]
    assert state["cities"][0]["name"] == "Since then 149"
    assert stream.messages[0].event == "state" and stream.messages[0].id == state["cursor"]


def test_a_cursor_from_before_a_wiped_store_gets_a_fresh_state(sse_app, open_stream):
    stream = open_stream(sse_app, params={"cursor": "99999999999999-0"})
    state = wait_until(stream.states, message="a fresh state")[0]
    assert state["cursor"] != "99999999999999-0"

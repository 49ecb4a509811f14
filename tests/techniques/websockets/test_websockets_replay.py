"""Catching up on (re)connect: the events after the page's cursor, exactly, or a fresh state."""

import gevent
import requests
from gevent.event import Event

from shared.board.events import parse_cursor
from tests.api import all_events_after
from tests.servers import wait_until


def last_cursor(socket):
    """The cursor of the newest thing the socket received (its state or its last event)."""
    kind, value = socket.received[-1]
    return value["cursor"]


def test_reconnecting_with_a_cursor_replays_exactly_the_missed_events(websockets_app, open_socket, store):
    first = open_socket(websockets_app, auth={"client": "tab"})
    wait_until(first.states, message="the first state")
    first.close()
    cursor = last_cursor(first)
    for name in ["Oslo", "Riga", "Lyon"]:
        response = requests.post(f"{websockets_app.url}/api/cities", json={"name": name}, timeout=5)
        assert response.status_code == 201
    again = open_socket(websockets_app, auth={"client": "tab", "cursor": cursor})
    wait_until(lambda: again.city_names() == ["Oslo", "Riga", "Lyon"], message="the missed cities")
    assert again.states() == []
    # Everything after the cursor, in order, once each: the replay, then whatever came live.
    wait_until(lambda: again.events() == all_events_after(store, cursor), message="every event, once")


def test_events_arriving_during_a_replay_are_neither_missed_nor_repeated(websockets_app, open_socket, store):
    cursor = store.add_city("Before them all")["id"]
    for number in range(200):  # several reads of the store: each replay takes a while
        store.add_city(f"History {number}")
    connecting = Event()

    def write_while_connecting():
        """Add cities as fast as Redis takes them until the sockets are all connected (or 2,000).

        The bound keeps the store's 10,000 kept events from overtaking `cursor` on a slow
        machine, which would turn the replay into a fresh state.
        """
        number = 0
        while connecting.is_set() and number < 2_000:
            store.add_city(f"Live {number}")
            number += 1

    connecting.set()
    writing = gevent.spawn(write_while_connecting)
    sockets = [open_socket(websockets_app, auth={"cursor": cursor}) for _ in range(4)]
    connecting.clear()
    writing.get(timeout=30)
    expected = all_events_after(store, cursor)
    for socket in sockets:
        wait_until(lambda socket=socket: len(socket.events()) >= len(expected), message="every event")
        assert socket.states() == []
        assert socket.events() == expected


def test_a_cursor_from_before_a_wiped_store_gets_a_fresh_state(websockets_app, open_socket):
    socket = open_socket(websockets_app, auth={"cursor": "99999999999999-0"})
    state = wait_until(socket.states, message="a fresh state")[0]
    assert state["cursor"] != "99999999999999-0"
    assert socket.received[0] == ("state", state)


def test_a_cursor_older_than_the_events_kept_gets_a_fresh_state(start_app, open_socket, make_store):
    app = start_app("websockets", EVENTS_KEPT=5)
    store = make_store(events_kept=5)  # so that adding trims the stream, as the app's would
    old_cursor = store.add_city("Long ago")["id"]
    for number in range(150):
        store.add_city(f"Since then {number}")
    socket = open_socket(app, auth={"cursor": old_cursor})
    state = wait_until(socket.states, message="a fresh state")[0]
    assert state["cities"][0]["name"] == "Since then 149"
    assert all(parse_cursor(event["cursor"]) > parse_cursor(state["cursor"]) for event in socket.events())


def test_after_the_state_only_newer_events_arrive(websockets_app, open_socket):
    socket = open_socket(websockets_app)
    state = wait_until(socket.states, message="the state")[0]
    assert "city" in open_socket(websockets_app).send_city("Gdańsk")
    wait_until(lambda: socket.city_names() == ["Gdańsk"], message="the city event")
    assert all(parse_cursor(event["cursor"]) > parse_cursor(state["cursor"]) for event in socket.events())

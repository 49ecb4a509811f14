"""A page that drops, or stops reading, holds up no one, and the server lets go of it.

A stream that stops reading is tests/crowds/test_sse_scale.py's; these are the other two techniques
that hold a connection open to a page: a held request whose page drops, and a socket that stops reading.
"""

import socket

import gevent
import requests

from tests.api import all_events_after, get_state, state
from tests.servers import wait_until
from tests.stuck_clients import cities_in_rounds_until, drain_until_closed, server_holds, stuck_websocket

MAX_BACKLOG = 100  # packets a socket may leave queued before the server disconnects it
HOLD_SECONDS = 60  # the longest hold a page may ask for: a dropped page must not keep one that long


def test_a_page_that_drops_mid_long_poll_is_let_go_at_once_and_the_others_keep_getting_cities(
    long_polling_app, store
):
    for client in ("stays", "drops"):
        get_state(long_polling_app, client)
    # Hold from after the presence event the two arrivals make, so that no news is due.
    cursor = wait_until(lambda: newest_presence_of_both(store), message="the arrivals' presence event")
    updates = f"{long_polling_app.url}/api/updates"
    waiting = gevent.spawn(
        requests.get,
        updates,
        params={"cursor": cursor, "timeout": HOLD_SECONDS, "client": "stays"},
        timeout=30,
    )
    dropped = socket.create_connection(("127.0.0.1", long_polling_app.port))
    request = f"GET /api/updates?cursor={cursor}&timeout={HOLD_SECONDS}&client=drops HTTP/1.1\r\n\r\n"
    dropped.sendall(request.encode())
    dropped_port = dropped.getsockname()[1]
    dropped.close()  # the laptop's lid closes: no answer will ever be read
    # No city comes meanwhile, so nothing but noticing the drop can end that hold before its 60 s.
    wait_until(
        lambda: not server_holds(long_polling_app, dropped_port), timeout=5, message="the server to let go"
    )
    assert not waiting.ready(), "the page that stayed is still held"
    store.add_city("Lagos")
    answer = waiting.get(timeout=10)
    assert answer.status_code == 200, answer.text
    cities = [event["city"]["name"] for event in answer.json()["events"] if event["type"] == "city"]
    assert cities == ["Lagos"]


def test_a_socket_that_stops_reading_is_disconnected_and_holds_up_no_other(start_app, open_socket, store):
    app = start_app("websockets", MAX_BACKLOG=MAX_BACKLOG, ACCESS_LOG=0)
    stuck = stuck_websocket(app, "stuck")
    reading = open_socket(app, auth={"client": "reading"})
    wait_until(lambda: state(app)["present"]["websockets"] == 2, message="both sockets counted")
    # The reading socket gets every round within seconds, while the stuck one, once its
    # buffers are full, piles the server's queue for it higher with every round.
    sent = cities_in_rounds_until(store, reading.city_names, lambda: state(app)["present"]["websockets"] == 1)
    assert reading.city_names() == sent
    assert drain_until_closed(stuck) > 0, "the stuck socket had some news before it was disconnected"


def newest_presence_of_both(store):
    """The cursor of the newest event if it is the presence of both long polling pages, else None."""
    newest = all_events_after(store, "0-0")[-1:]
    if newest and newest[0]["type"] == "presence" and newest[0]["present"]["long_polling"] == 2:
        return newest[0]["cursor"]
    return None

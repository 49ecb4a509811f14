"""The websockets terminal client's protocol: the board once, then events, caught up after a reconnect."""

from tests.servers import wait_until
from websockets.client import SocketFollower


def city_names(follower):
    """The cities on the follower's board, newest first."""
    return [city["name"] for city in follower.view.state["cities"]] if follower.view.state else []


def test_a_follower_catches_up_on_what_it_missed_while_the_server_restarted(websockets_app, store):
    lines = []
    follower = SocketFollower(websockets_app.url, show=lambda changes, view, wire: lines.extend(changes))
    states = []
    follower.sio.on("state", lambda state: (states.append(state), follower.take_state(state)))
    follower.connect()
    try:
        assert follower.sio.transport() == "websocket"
        assert "city" in follower.sio.call("city", {"name": "Tartu"}, timeout=5)
        wait_until(lambda: city_names(follower) == ["Tartu"], message="its own city")
        websockets_app.stop()
        store.add_city("Graz")  # while no server is up
        websockets_app.start()  # same port: python-socketio reconnects by itself, sending the cursor
        wait_until(lambda: city_names(follower) == ["Graz", "Tartu"], timeout=15, message="the missed city")
    finally:
        follower.close()
    # One board at the start, then events only: the reconnect replayed instead of resending the board.
    assert len(states) == 1 and lines[0].startswith("board:")
    assert lines.count("city 'Graz'") == 1 and lines.count("city 'Tartu'") == 1
    assert follower.wire.frames >= 3 and follower.wire.bytes > 0

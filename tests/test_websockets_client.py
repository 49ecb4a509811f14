"""The terminal client follows the board over one socket, printing what the other clients print."""

import subprocess
import sys

import requests

from tests.servers import PROJECT_ROOT, read_lines_until, wait_until
from websockets.client import SocketFollower


def city_names(follower):
    return [city["name"] for city in follower.view.state["cities"]] if follower.view.state else []


def test_a_follower_catches_up_on_what_it_missed_while_the_server_restarted(websockets_app, store):
    lines = []
    follower = SocketFollower(websockets_app.url, show=lambda changes, view, wire: lines.extend(changes))
    follower.connect()
    try:
        assert follower.sio.transport() == "websocket"
        assert "city" in follower.send_city("Tartu")
        wait_until(lambda: city_names(follower) == ["Tartu"], message="its own city")
        websockets_app.stop()
        store.add_city("Graz")  # while no server is up
        websockets_app.start()  # same port: python-socketio reconnects by itself, sending the cursor
        wait_until(lambda: city_names(follower) == ["Graz", "Tartu"], timeout=15, message="the missed city")
    finally:
        follower.close()
    # One board at the start, then events only: the reconnect replayed instead of resending the board.
    assert [line for line in lines if line.startswith("board:")] == lines[:1]
    assert lines.count("city 'Graz'") == 1 and lines.count("city 'Tartu'") == 1
    assert follower.wire.frames >= 3 and follower.wire.bytes > 0


def test_the_terminal_client_prints_each_change_with_its_delay_and_wire_count(websockets_app):
    client = subprocess.Popen(
        [sys.executable, "-m", "websockets.client", websockets_app.url, "--updates", "2"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        [first_line] = read_lines_until(client, lambda line: True)
        assert first_line.startswith("board: opened"), first_line
        response = requests.post(f"{websockets_app.url}/api/cities", json={"name": "Gent"}, timeout=5)
        assert response.status_code == 201
        city_line = read_lines_until(client, lambda line: line.startswith("city 'Gent'"))[-1]
        assert client.wait(timeout=10) == 0  # two updates: its own arrival, then Gent
    finally:
        client.kill()
        client.wait(timeout=10)
    assert "delay" in city_line and "frames" in city_line and "bytes" in city_line

"""The websockets app over real sockets (docs/spec.md: "WebSockets speak socket.io on `/socket.io/`")."""

from socket import create_connection

import pytest
import requests
import socketio
from flask import Flask

from tests.api import state
from tests.servers import wait_until
from websockets import vendor


def test_the_page_loads_the_socketio_client_from_the_app_itself(websockets_app):
    page = requests.get(websockets_app.url, timeout=5)
    assert page.status_code == 200
    assert 'data-technique="websockets"' in page.text
    assert '<script src="/vendor/socket.io.min.js">' in page.text
    assert 'id="meter-ping"' in page.text
    script = requests.get(f"{websockets_app.url}/vendor/socket.io.min.js", timeout=5)
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert "Socket.IO v4." in script.text[:200]
    assert requests.get(f"{websockets_app.url}/vendor/package.json", timeout=5).status_code == 404


def test_without_the_npm_packages_the_client_route_says_to_run_make_setup(monkeypatch, tmp_path):
    monkeypatch.setattr(vendor, "CLIENT_DIR", tmp_path)  # as on a clone where npm never ran
    app = Flask(__name__)
    app.register_blueprint(vendor.blueprint)
    response = app.test_client().get("/vendor/socket.io.min.js")
    assert response.status_code == 404
    assert "run make setup" in response.text


def test_a_socket_connects_over_a_websocket_and_first_receives_the_state(websockets_app, open_socket):
    socket = open_socket(websockets_app, auth={"client": "tab-one"})
    assert socket.sio.transport() == "websocket"
    state = wait_until(socket.states, message="the state")[0]
    assert set(state) == {"visits", "present", "cities", "cursor", "now"}
    assert socket.received[0] == ("state", state)


def test_a_city_is_acknowledged_and_broadcast_to_every_socket(websockets_app, open_socket):
    sender = open_socket(websockets_app, auth={"client": "sender"})
    watcher = open_socket(websockets_app, auth={"client": "watcher"})
    answer = sender.send_city("  Lisbon ")
    assert set(answer) == {"city"}
    assert answer["city"]["name"] == "Lisbon"
    assert set(answer["city"]) == {"id", "name", "at"}
    for socket in (watcher, sender):
        wait_until(lambda socket=socket: socket.city_names() == ["Lisbon"], message="the city event")
        [event] = socket.events("city")
        assert event["city"] == answer["city"] and event["cursor"] == answer["city"]["id"]
    assert [city["name"] for city in state(websockets_app)["cities"]] == ["Lisbon"]


def test_a_city_sent_to_one_process_reaches_the_sockets_of_another(start_app, open_socket):
    first, second = start_app("websockets"), start_app("websockets")  # two workers, one Redis
    sender = open_socket(first, auth={"client": "on-first"})
    watcher = open_socket(second, auth={"client": "on-second"})
    assert "city" in sender.send_city("Bergen")
    wait_until(lambda: watcher.city_names() == ["Bergen"], message="the city on the other process")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("Paris", "JSON object"),
        (["Paris"], "JSON object"),
        (None, "JSON object"),
        ({"city": "Paris"}, '"name"'),
        ({"name": ""}, "name is empty"),
        ({"name": "   "}, "name is empty"),
        ({"name": "x" * 65}, "longer than 64"),
        ({"name": "Paris\u0007"}, "control characters"),
        ({"name": "Line\nbreak"}, "control characters"),
        ({"name": 42}, "must be a string"),
    ],
)
def test_a_bad_city_gets_an_error_ack_stores_nothing_and_keeps_the_socket(
    websockets_app, open_socket, payload, message
):
    socket = open_socket(websockets_app, auth={"client": "careless"})
    answer = socket.call("city", payload)
    assert set(answer) == {"error"}
    assert message in answer["error"]
    assert socket.sio.connected
    assert socket.call("ping") == "pong"
    assert state(websockets_app)["cities"] == []


def test_a_socket_sending_cities_too_fast_gets_an_error_ack(websockets_app, open_socket):
    eager = open_socket(websockets_app, auth={"client": "eager"})
    for number in range(5):
        assert "city" in eager.send_city(f"City {number}")
    refused = eager.send_city("One too many")
    assert "too many cities" in refused["error"]
    assert "city" in open_socket(websockets_app, auth={"client": "patient"}).send_city("Someone else")
    names = [city["name"] for city in state(websockets_app)["cities"]]
    assert "One too many" not in names and "Someone else" in names


def test_a_message_over_the_size_limit_closes_only_that_socket(websockets_app, open_socket):
    bystander = open_socket(websockets_app)
    greedy = open_socket(websockets_app)
    greedy.sio.emit("city", {"name": "x" * 8000})
    wait_until(lambda: not greedy.sio.connected, message="the oversized socket to be closed")
    assert "city" in bystander.send_city("Still here")
    wait_until(lambda: bystander.city_names() == ["Still here"], message="the bystander's city")


@pytest.mark.parametrize(
    ("auth", "message"),
    [
        ({"client": "no spaces!"}, "client must be"),
        ({"client": 42}, "client must be"),
        ({"cursor": "yesterday"}, "cursor must look like"),
        ("just a string", "auth must be an object"),
    ],
)
def test_a_malformed_auth_refuses_the_connection_with_a_reason(websockets_app, auth, message):
    client = socketio.Client(reconnection=False)
    refusals = []
    client.on("connect_error", refusals.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(websockets_app.url, auth=auth, transports=["websocket"], wait_timeout=5)
    assert message in refusals[0]["message"]
    assert state(websockets_app)["present"]["websockets"] == 0


def open_engine_session(app, origin):
    """Start a socket.io session the way a page does (HTTP long polling first), from `origin`."""
    url = f"{app.url}/socket.io/?EIO=4&transport=polling"
    return requests.get(url, headers={"Origin": origin}, timeout=5)


def test_a_page_from_another_origin_is_refused_unless_the_setting_allows_it(start_app):
    strict = start_app("websockets")
    refused = open_engine_session(strict, "http://elsewhere.invalid")
    assert refused.status_code == 400
    assert "Not an accepted origin" in refused.text
    assert open_engine_session(strict, strict.url).status_code == 200  # the page's own origin
    relaxed = start_app("websockets", SOCKETIO_CORS_ORIGINS="http://elsewhere.invalid")
    accepted = open_engine_session(relaxed, "http://elsewhere.invalid")
    assert accepted.status_code == 200
    assert accepted.headers["Access-Control-Allow-Origin"] == "http://elsewhere.invalid"
    assert '"sid"' in accepted.text


def test_a_socket_offered_compression_by_its_client_is_answered_without_it(websockets_app):
    # As a browser asks: the offer of permessage-deflate is in every WebSocket handshake.
    handshake = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{websockets_app.port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
    )
    with create_connection(("127.0.0.1", websockets_app.port), timeout=5) as connection:
        connection.sendall(handshake.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += connection.recv(4096)
    head = answer.split(b"\r\n\r\n")[0].decode().lower()
    assert head.startswith("http/1.1 101")
    assert "sec-websocket-accept:" in head
    assert "sec-websocket-extensions" not in head

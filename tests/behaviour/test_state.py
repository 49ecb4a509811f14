"""The snapshot every app serves (docs/spec.md: "Every app serves the same routes", GET /api/state)."""

import socket

import requests

from shared.board.techniques import TECHNIQUES
from tests.api import add_city, get_state


def test_the_state_has_the_shape_the_spec_gives(any_app):
    board = get_state(any_app).json()
    assert set(board) == {"visits", "present", "cities", "cursor", "now"}
    assert set(board["present"]) == {"total", *TECHNIQUES}
    assert isinstance(board["visits"], int) and isinstance(board["now"], float)
    assert board["cities"] == []


def test_an_unchanged_state_answers_304_with_no_body(any_app):
    first = get_state(any_app)
    etag = first.headers["ETag"]
    assert etag == f'"{first.json()["cursor"]}"'
    again = requests.get(f"{any_app.url}/api/state", headers={"If-None-Match": etag}, timeout=5)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag


def test_a_304_costs_at_most_300_bytes_on_the_wire(any_app):
    etag = get_state(any_app).headers["ETag"]
    request = (
        f"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", any_app.port), timeout=5) as connection:
        connection.sendall(request.encode())
        answer = b""
        while chunk := connection.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 304")
    assert len(answer) <= 300, answer


def test_a_changed_state_gets_a_new_etag(any_app):
    etag = get_state(any_app).headers["ETag"]
    add_city(any_app, "Lisbon")
    after = requests.get(f"{any_app.url}/api/state", headers={"If-None-Match": etag}, timeout=5)
    assert after.status_code == 200
    assert after.headers["ETag"] != etag
    assert after.json()["cities"][0]["name"] == "Lisbon"


def test_a_malformed_client_id_is_refused_with_a_reason(any_app):
    response = requests.get(f"{any_app.url}/api/state", params={"client": "no spaces!"}, timeout=5)
    assert response.status_code == 400
    assert "client" in response.json()["error"]

"""Bad input, everywhere: every endpoint and socket event of every app refuses it clearly.

One table. Each row sends one kind of bad input to one app and names the answer it
must get (a 4xx, a socket's error acknowledgement or refused connection) and words
its message must hold. After every row, in the same test, that app must still serve
its open bystander page a good city, and the store must hold no city but that one:
nothing the bad input sent was stored.
"""

import itertools
import json
import secrets
import socket
from dataclasses import dataclass

import pytest
import requests
import socketio

from shared.board.settings import Settings
from shared.store.store import Store
from tests.api import TIMEOUT_SECONDS, add_city, all_events_after, state
from tests.apps import APPS, APPS_BY_TECHNIQUE
from tests.servers import AppServer, wait_until
from tests.sockets import RecordingSocket

HTTP_APPS = tuple(app.technique for app in APPS)
NOT_A_CLIENT_ID = "x" * 200
CLIENT_ID_WORDS = "client must be 1 to 64"
# A cursor that has the right shape but cannot be a stream id, and others that have none.
BAD_CURSORS = ["", "yesterday", "9" * 40 + "-0", "1-2-3", "-1-0", "0-0\x00"]
BAD_TIMEOUTS = ["-1", "nan", "inf", "1e309", "61", "soon", ""]
good_cities = itertools.count(1)


@dataclass(frozen=True)
class BadInput:
    """One row: what is sent (`send(app)` -> (answer, message)), to which apps, and what must come back."""

    name: str
    send: object
    answer: object  # an HTTP status, or "error ack", "refused", "closed"
    words: str  # the message must contain these
    techniques: tuple = HTTP_APPS


def http(method, path, **options):
    """Send one request with requests; the answer is (status, the JSON error)."""

    def send(app):
        response = requests.request(method, f"{app.url}{path}", timeout=TIMEOUT_SECONDS, **options)
        return response.status_code, response.json()["error"]

    return send


def post_city(body, content_type="application/json", **options):
    """POST a raw body to /api/cities as the client "tester"."""
    headers = {"Content-Type": content_type, **options.pop("headers", {})}
    return http("POST", "/api/cities?client=tester", data=body, headers=headers, **options)


def raw_http(request_head):
    """Send bytes no HTTP library would send over a plain socket; the answer is (status, the JSON error)."""

    def send(app):
        with socket.create_connection(("127.0.0.1", app.port), timeout=TIMEOUT_SECONDS) as connection:
            connection.sendall(request_head)
            reader = connection.makefile("rb")
            status = int(reader.readline().split()[1])
            # Read by Content-Length, not to the end: the server may wait for us to close first.
            header_lines = iter(reader.readline, b"\r\n")
            headers = dict(line.decode().rstrip("\r\n").split(": ", 1) for line in header_lines)
            body = reader.read(int(headers["Content-Length"]))
        return status, json.loads(body)["error"]

    return send


def socket_call(event, *data):
    """Send a socket event with an acknowledgement; the answer is ("error ack", its error)."""

    def send(app):
        page = RecordingSocket(app.url, auth={"client": "tester"})
        try:
            acknowledgement = page.call(event, *data)
        finally:
            page.close()
        return "error ack", acknowledgement["error"]

    return send


def socket_connect(auth):
    """Open a socket with this auth; the answer is ("refused", the refusal's message)."""

    def send(app):
        client, refusals = socketio.Client(reconnection=False), []
        client.on("connect_error", refusals.append)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(app.url, auth=auth, transports=["websocket"], wait_timeout=TIMEOUT_SECONDS)
        return "refused", refusals[0]["message"]

    return send


def oversized_socket_message(app):
    """Send a message over the 4 KiB limit: engine.io closes that socket (it has no way to answer)."""
    page = RecordingSocket(app.url, auth={"client": "tester"})
    page.sio.emit("city", {"name": "x" * 8000})
    wait_until(lambda: not page.sio.connected, message="the oversized socket to be closed")
    return "closed", ""


def city_rows():
    """POST /api/cities: bodies of every wrong kind, in every app."""
    rows = [
        (json.dumps({"name": value}), 400, "must be a string")
        for value in [42, None, True, ["Paris"], {"name": "Paris"}]
    ]
    rows += [(body, 400, "JSON object") for body in ['["Paris"]', '"Paris"', "42", "null"]]
    rows += [
        ('{"city": "Paris"}', 400, 'needs a "name"'),
        ("{not json", 400, "not valid JSON"),
        ("", 400, "not valid JSON"),
        (b'{"name": "\xff\xfe"}', 400, "not valid JSON"),
        ('{"name": "Paris\\u0000"}', 400, "control characters"),
        ('{"name": "\\u001b[31mred"}', 400, "control characters"),
        (json.dumps({"name": "x" * 1000}), 400, "longer than 64"),
        (json.dumps({"name": "x" * 10_000}), 413, "4 KiB"),
        ("{" + " " * 1_000_000 + "}", 413, "4 KiB"),
    ]
    named = [
        BadInput(f"city body {body[:24]!r}", post_city(body), status, words) for body, status, words in rows
    ]
    named += [
        BadInput(
            f"city as {kind}", post_city('{"name": "Paris"}', kind), 415, "Content-Type: application/json"
        )
        for kind in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""]
    ]
    return named + [
        BadInput("city sent chunked", post_city(iter([b'{"name": "Paris"}'])), 411, "Content-Length"),
        BadInput(
            "city from another site",
            post_city('{"name": "Paris"}', headers={"Origin": "http://evil.invalid"}),
            403,
            "own pages",
        ),
        BadInput(
            "city from a null origin",
            post_city('{"name": "Paris"}', headers={"Origin": "null"}),
            403,
            "own pages",
        ),
        BadInput(
            "city with an absurd client id",
            http("POST", f"/api/cities?client={NOT_A_CLIENT_ID}", json={"name": "Paris"}),
            400,
            CLIENT_ID_WORDS,
        ),
        BadInput(
            "city with a markup client id",
            http("POST", "/api/cities?client=<b>", json={"name": "Paris"}),
            400,
            CLIENT_ID_WORDS,
        ),
        BadInput("cities deleted", http("DELETE", "/api/cities"), 405, "not allowed"),
    ]


def request_rows():
    """The other shared endpoints, and requests too big or malformed to read, in every app."""
    thousand_parameters = "&".join(f"p{number}=1" for number in range(1000))
    return [
        BadInput(
            "state with an absurd client id",
            http("GET", f"/api/state?client={NOT_A_CLIENT_ID}"),
            400,
            CLIENT_ID_WORDS,
        ),
        BadInput(
            "state with an invalid UTF-8 client id",
            http("GET", "/api/state?client=%ff%fe"),
            400,
            CLIENT_ID_WORDS,
        ),
        BadInput(
            "state with a thousand parameters",
            http("GET", f"/api/state?{thousand_parameters}"),
            400,
            "too many query parameters",
        ),
        BadInput(
            "leave with an absurd client id",
            http("POST", f"/api/leave?client={NOT_A_CLIENT_ID}"),
            400,
            CLIENT_ID_WORDS,
        ),
        BadInput(
            "leave from another site",
            http("POST", "/api/leave?client=tester", headers={"Origin": "http://evil.invalid"}),
            403,
            "own pages",
        ),
        BadInput(
            "a 70 KiB header",
            raw_http(b"GET /api/state HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n"),
            400,
            "could not be read",
        ),
        BadInput(
            "a thousand headers",
            raw_http(
                b"GET /api/state HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(1000)) + b"\r\n"
            ),
            400,
            "could not be read",
        ),
        BadInput(
            "a 20 KiB URL",
            raw_http(b"GET /api/state?" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
            414,
            "URL carries far too much",
        ),
        BadInput(
            "not HTTP at all", raw_http(b"\x16\x03\x01\x02\x00 TLS hello\r\n\r\n"), 400, "could not be read"
        ),
    ]


def technique_rows():
    """Each technique's own endpoint or socket events."""
    rows = [
        BadInput(
            f"updates cursor {cursor!r}",
            http("GET", "/api/updates", params={"cursor": cursor}),
            400,
            "cursor must look like",
            ("long_polling",),
        )
        for cursor in BAD_CURSORS
    ]
    rows += [
        BadInput(
            "updates without a cursor",
            http("GET", "/api/updates"),
            400,
            "cursor is required",
            ("long_polling",),
        )
    ]
    rows += [
        BadInput(
            f"updates timeout {timeout!r}",
            http("GET", "/api/updates", params={"cursor": "0-0", "timeout": timeout}),
            400,
            "timeout must be",
            ("long_polling",),
        )
        for timeout in BAD_TIMEOUTS
    ]
    rows += [
        BadInput(
            f"stream Last-Event-ID {cursor!r}",
            http("GET", "/api/stream", headers={"Last-Event-ID": cursor}),
            400,
            "cursor must look like",
            ("sse",),
        )
        for cursor in BAD_CURSORS[1:]
    ]
    rows += [
        BadInput(
            "stream cursor 'yesterday'",
            http("GET", "/api/stream", params={"cursor": "yesterday"}),
            400,
            "cursor must look like",
            ("sse",),
        ),
        BadInput(
            "stream with an absurd client id",
            http("GET", "/api/stream", params={"client": NOT_A_CLIENT_ID}),
            400,
            CLIENT_ID_WORDS,
            ("sse",),
        ),
    ]
    websockets = ("websockets",)
    rows += [
        BadInput(f"socket auth {auth!r:.30}", socket_connect(auth), "refused", words, websockets)
        for auth, words in [
            ("just a string", "auth must be an object"),
            ([1, 2], "auth must be an object"),
            ({"client": NOT_A_CLIENT_ID}, CLIENT_ID_WORDS),
            ({"client": "<b>"}, CLIENT_ID_WORDS),
            ({"client": 42}, CLIENT_ID_WORDS),
            ({"cursor": "yesterday"}, "cursor must look like"),
            ({"cursor": 42}, "cursor must look like"),
        ]
    ]
    rows += [
        BadInput(f"socket city {payload!r:.30}", socket_call("city", payload), "error ack", words, websockets)
        for payload, words in [
            (None, "JSON object"),
            (["Paris"], "JSON object"),
            ("Paris", "JSON object"),
            ({"name": 42}, "must be a string"),
            ({}, 'needs a "name"'),
            ({"name": "x" * 1000}, "longer than 64"),
            ({"name": "Paris\u0000"}, "control characters"),
        ]
    ]
    return rows + [
        BadInput(
            "socket unknown event",
            socket_call("delete_everything", {"all": True}),
            "error ack",
            "unknown event",
            websockets,
        ),
        BadInput("socket message over 4 KiB", oversized_socket_message, "closed", "", websockets),
    ]


ROWS = [
    (technique, row)
    for row in city_rows() + request_rows() + technique_rows()
    for technique in row.techniques
]


@pytest.fixture(scope="module")
def board(redis_url, tmp_path_factory):
    """The four apps on one Redis under a prefix of this module's own, each with an open bystander page."""
    key_prefix, log_dir = f"test-{secrets.token_hex(4)}:", tmp_path_factory.mktemp("bad-input")
    servers = {
        app.technique: AppServer(app.technique, redis_url, key_prefix, log_dir, **app.quick_env)
        for app in APPS
    }
    store = Store(Settings(redis_url=redis_url, key_prefix=key_prefix))
    bystanders = {}
    try:
        for technique, server in servers.items():
            server.start()
            bystanders[technique] = APPS_BY_TECHNIQUE[technique].open_page(server.url)
            bystanders[technique].wait_for(lambda board: True, "the bystander's first board")
        yield servers, bystanders, store
    finally:
        for page in bystanders.values():
            page.close()
        for server in servers.values():
            server.stop()
        store.close()


@pytest.mark.parametrize(
    ("technique", "row"), ROWS, ids=[f"{technique}: {row.name}" for technique, row in ROWS]
)
def test_bad_input_is_refused_with_a_reason_stores_nothing_and_everyone_else_is_served(board, technique, row):
    servers, bystanders, store = board
    app = servers[technique]
    before = state(app)["cursor"]
    answer, message = row.send(app)
    assert (answer, row.words in message) == (row.answer, True), message
    good = f"Still serving {next(good_cities)}"
    add_city(app, good, client=f"good-{secrets.token_hex(4)}")
    bystanders[technique].wait_for_newest_city(good)
    stored = [event["city"]["name"] for event in all_events_after(store, before) if event["type"] == "city"]
    assert stored == [good], "nothing the bad input sent was stored"

"""Each app reports its own cost (docs/spec.md, GET /api/cost): counted where the work happens."""

import http.client

import requests

from shared.web.siblings import sibling_ports
from tests.api import add_city, get_state, state
from tests.servers import wait_until

TIMEOUT_SECONDS = 5
COUNTERS = ("requests", "messages", "open_connections", "redis_commands")


def cost(app, headers=None, params=None):
    """GET /api/cost, asserting a 200 in JSON; return the answer."""
    response = requests.get(f"{app.url}/api/cost", headers=headers, params=params, timeout=TIMEOUT_SECONDS)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    return response


def counters(app):
    """The cost now, as a dict."""
    return cost(app).json()


def test_the_cost_answers_every_field_of_the_contract(any_app):
    response = cost(any_app)
    assert response.headers["Cache-Control"] == "no-store"
    answer = response.json()
    assert set(answer) == {"technique", "process", "at", "cpu_seconds", *COUNTERS}
    assert answer["technique"] == any_app.technique
    host, _, pid = answer["process"].rpartition(":")
    assert host and int(pid) == any_app.process.pid
    assert isinstance(answer["at"], float) and isinstance(answer["cpu_seconds"], float)
    assert all(type(answer[name]) is int and answer[name] >= 0 for name in COUNTERS)
    assert answer["open_connections"] >= 1  # at least the one asking


def test_cpu_seconds_and_the_clock_never_go_back(any_app):
    answers = [counters(any_app) for _ in range(20)]
    assert answers[0]["cpu_seconds"] > 0
    for before, after in zip(answers, answers[1:], strict=False):
        assert after["cpu_seconds"] >= before["cpu_seconds"]
        assert after["at"] >= before["at"]


def test_requests_grow_by_the_requests_made_and_not_by_the_cost_itself(any_app):
    before = counters(any_app)["requests"]
    for _ in range(3):
        get_state(any_app)
    wait_until(lambda: counters(any_app)["requests"] >= before + 3, message="three requests counted")
    assert counters(any_app)["requests"] == before + 3
    for _ in range(20):
        cost(any_app)
    assert counters(any_app)["requests"] == before + 3


def test_messages_grow_when_a_city_reaches_an_open_page(any_app, open_page):
    page = open_page(any_app)
    before = counters(any_app)["messages"]
    add_city(any_app, "Lisbon")
    page.wait_for_newest_city("Lisbon")
    # The page has the city: this process sent it one more message at least (a poll's
    # answer, a held request's, a stream's event, a socket's message).
    assert counters(any_app)["messages"] >= before + 1


def open_connection(app, open_stream, open_socket):
    """Open the connection this technique keeps open, and return what closes it.

    A poller's kept-alive connection, a held request, a stream, a socket.
    """
    if app.technique == "sse":
        return open_stream(app).close
    if app.technique == "websockets":
        return open_socket(app).close
    connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=TIMEOUT_SECONDS)
    if app.technique == "long_polling":
        connection.request("GET", f"/api/updates?cursor={state(app)['cursor']}&timeout=30")
    else:
        connection.request("GET", "/api/state")
        assert connection.getresponse().read()
    return connection.close


def test_an_open_connection_counts_while_it_is_open(any_app, open_stream, open_socket):
    wait_until(lambda: counters(any_app)["open_connections"] == 1, message="only the asker's")
    close = open_connection(any_app, open_stream, open_socket)
    wait_until(lambda: counters(any_app)["open_connections"] == 2, message="the open one and the asker's")
    close()
    wait_until(lambda: counters(any_app)["open_connections"] == 1, message="the closed one gone")


def test_redis_commands_grow_with_a_request_that_writes_to_redis(any_app):
    before = counters(any_app)["redis_commands"]
    add_city(any_app, "Porto")  # the rate limit's commands and the script that stores it
    assert counters(any_app)["redis_commands"] >= before + 2


def test_asking_for_the_cost_is_no_visit_no_presence_and_no_access_log_line(any_app):
    board = state(any_app)
    for _ in range(30):
        cost(any_app, params={"client": "race-page"})
    after = state(any_app)
    assert (after["visits"], after["present"]) == (board["visits"], board["present"])
    log = any_app.log_path.read_text()
    assert "GET /api/state" in log and "/api/cost" not in log


def test_the_sibling_apps_may_read_the_cost_and_no_other_origin(any_app):
    siblings = [f"http://127.0.0.1:{port}" for port in sibling_ports().values()]
    for origin in siblings:
        response = cost(any_app, headers={"Origin": origin})
        assert response.headers.get("Access-Control-Allow-Origin") == origin
        assert "Origin" in response.headers.get("Vary", "")
    for foreign in ("http://evil.example", f"http://127.0.0.1:{max(sibling_ports().values()) + 1}", "null"):
        response = cost(any_app, headers={"Origin": foreign})
        assert "Access-Control-Allow-Origin" not in response.headers

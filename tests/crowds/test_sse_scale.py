"""Many streams cost one listener and a bounded pool; a stream that stops reading holds up no one."""

import socket

import redis
import requests

from tests.api import state
from tests.servers import established_connections, wait_until
from tests.stuck_clients import drain_until_closed

OPEN_STREAMS = 300
POOL_SIZE = 5
BACKLOG = 100  # unread events a stream may leave before the server hangs up on it
MAX_ROUNDS = 200


def test_300_open_streams_use_one_listener_and_a_bounded_pool_and_all_get_one_city(
    start_app, open_stream, redis_url, key_prefix
):
    app = start_app("sse", REDIS_MAX_CONNECTIONS=POOL_SIZE, ACCESS_LOG=0, MAX_STREAMS_PER_ADDRESS=0)
    streams = [open_stream(app, params={"client": f"page-{number}"}) for number in range(OPEN_STREAMS)]
    wait_until(lambda: all(stream.states() for stream in streams), timeout=30, message="every stream's board")
    assert established_connections(app.port) >= OPEN_STREAMS
    names = [client["name"] for client in redis.Redis.from_url(redis_url).client_list()]
    assert names.count(f"{key_prefix}listener") == 1
    assert 1 <= names.count(f"{key_prefix}store") <= POOL_SIZE
    assert state(app)["present"]["sse"] == OPEN_STREAMS
    city = requests.post(f"{app.url}/api/cities", json={"name": "Everywhere"}, timeout=5)
    assert city.status_code == 201
    wait_until(
        lambda: all(stream.city_names() == ["Everywhere"] for stream in streams),
        timeout=30,
        message=f"the city on all {OPEN_STREAMS} streams",
    )


def test_a_stream_that_stops_reading_is_cut_off_and_holds_up_no_other(start_app, open_stream, store):
    app = start_app("sse", MAX_BACKLOG=BACKLOG, ACCESS_LOG=0)
    stuck = socket.socket()
    stuck.setsockopt(
        socket.SOL_SOCKET, socket.SO_RCVBUF, 4096
    )  # a small window: the server's writes block soon
    stuck.connect(("127.0.0.1", app.port))
    stuck.sendall(b"GET /api/stream?client=stuck HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")  # and never reads
    reading = open_stream(app, params={"client": "reading"})
    wait_until(lambda: state(app)["present"]["sse"] == 2, message="both streams counted")
    # Cities in rounds of 50, each round read by the reading stream before the next: it never
    # falls behind, while the stuck one, once its socket's buffers are full, falls further
    # behind with every round. Bounded: the server must have cut it off long before.
    sent = []
    for round_number in range(MAX_ROUNDS):
        sent += [store.add_city(f"Rush {round_number}-{number}")["name"] for number in range(50)]
        wait_until(lambda sent=sent: reading.city_names() == sent, message=f"round {round_number}, read")
        if state(app)["present"]["sse"] == 1:
            break
    # The stuck page fell more than BACKLOG events behind: the server hung up, and it left.
    assert state(app)["present"]["sse"] == 1, f"the stuck stream still counted after {len(sent)} cities"
    assert not reading.ended
    assert drain_until_closed(stuck) > 0, "the stuck stream had some news before it was cut off"

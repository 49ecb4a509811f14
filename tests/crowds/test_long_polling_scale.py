"""Many held requests cost one listener and a bounded pool, not a Redis connection each."""

import gevent
import redis
import requests

from tests.servers import established_connections, wait_until

HELD_REQUESTS = 300
POOL_SIZE = 5


def test_300_held_requests_use_a_constant_number_of_redis_connections_and_all_wake_on_one_city(
    start_app, redis_url, key_prefix
):
    app = start_app("long_polling", REDIS_MAX_CONNECTIONS=POOL_SIZE, ACCESS_LOG=0)
    cursor = requests.get(f"{app.url}/api/state", timeout=5).json()["cursor"]
    params = {"cursor": cursor, "timeout": 30}  # no client id: arrivals would be news themselves

    def hold():
        return requests.get(f"{app.url}/api/updates", params=params, timeout=40)

    held = [gevent.spawn(hold) for _ in range(HELD_REQUESTS)]
    try:
        wait_until(
            lambda: established_connections(app.port) >= HELD_REQUESTS,
            timeout=30,
            message=f"{HELD_REQUESTS} requests to reach the app",
        )
        names = [client["name"] for client in redis.Redis.from_url(redis_url).client_list()]
        assert names.count(f"{key_prefix}listener") == 1
        assert 1 <= names.count(f"{key_prefix}store") <= POOL_SIZE
        assert not any(greenlet.ready() for greenlet in held), "with no news, every request is held"

        city = requests.post(f"{app.url}/api/cities", json={"name": "Everywhere"}, timeout=5)
        assert city.status_code == 201
        gevent.joinall(held, timeout=30, raise_error=True)
        unanswered = sum(1 for greenlet in held if not greenlet.ready())
        assert unanswered == 0, f"{unanswered} of {HELD_REQUESTS} held requests had no answer after 30 s"
        responses = [greenlet.value for greenlet in held]
        assert all(response.status_code == 200 for response in responses)
        assert all(response.json()["events"][0]["city"] == city.json() for response in responses)
    finally:
        gevent.killall(held)

"""The store and its listener against a real (throwaway) Redis-protocol server, tuned and textbook alike."""

import gevent
import pytest
import redis

from shared.board.events import CursorTooOld
from shared.store.pool import POOL_EMPTY_MESSAGE, PoolBusy
from tests.listening import collect


def test_visits_count_up_from_zero(store):
    assert store.state()["visits"] == 0
    assert [store.count_visit() for _ in range(3)] == [1, 2, 3]
    assert store.state()["visits"] == 3


def test_cities_come_back_newest_first_and_a_thousand_are_kept(store):
    for number in range(1005):
        store.add_city(f"City {number}")
    state = store.state()
    assert [city["name"] for city in state["cities"][:2]] == ["City 1004", "City 1003"]
    assert len(state["cities"]) == 50
    assert store.redis.llen(store.cities_key) == 1000


def test_a_city_is_its_own_event_and_its_id_is_the_cursor(store):
    city = store.add_city("Lisbon")
    assert set(city) == {"id", "name", "at"}
    assert store.state()["cursor"] == city["id"]
    [event] = store.events_after("0-0")
    assert event == {"type": "city", "city": city, "cursor": city["id"], "at": city["at"]}


def test_events_after_a_cursor_are_exactly_the_later_ones_in_order(store):
    cities = [store.add_city(name) for name in ["A", "B", "C", "D", "E"]]
    later = store.events_after(cities[1]["id"])
    assert [event["city"]["name"] for event in later] == ["C", "D", "E"]
    assert store.events_after(cities[-1]["id"]) == []


def test_a_cursor_older_than_the_kept_events_is_too_old(make_store):
    store = make_store(events_kept=10)
    first = store.add_city("First")
    for number in range(300):
        store.add_city(f"City {number}")
    with pytest.raises(CursorTooOld):
        store.events_after(first["id"])
    newest = store.state()["cursor"]
    assert store.events_after(newest) == []


def test_a_cursor_from_the_future_is_too_old_and_a_malformed_one_is_refused(store):
    store.add_city("Now")
    with pytest.raises(CursorTooOld):
        store.events_after("99999999999999-0")
    for malformed in ["", "abc", "1-2-3", "-1-0", "1.5-0"]:
        with pytest.raises(ValueError):
            store.events_after(malformed)


def test_presence_joins_leaves_and_publishes_one_event_per_change(store):
    with store.listener.subscribe() as subscription:
        store.mark_present("polling", "tab-1")
        store.mark_present("polling", "tab-1")  # a renewal is not an arrival
        store.mark_present("websockets", "tab-2")
        assert store.state()["present"] == {
            "total": 2,
            "polling": 1,
            "long_polling": 0,
            "sse": 0,
            "websockets": 1,
        }
        events = collect(subscription, lambda got: any(e.get("present", {}).get("total") == 2 for e in got))
        store.mark_gone("polling", "tab-1")
        assert store.state()["present"]["total"] == 1
        events += collect(subscription, lambda got: any(e.get("present", {}).get("total") == 1 for e in got))
    assert all(event["type"] == "presence" for event in events)


def test_a_lease_that_runs_out_stops_counting_and_is_announced(make_store):
    store = make_store(presence_window_seconds=0.5, sweep_seconds=0.2)
    store.start_sweeping()
    with store.listener.subscribe() as subscription:
        store.mark_present("long_polling", "sleepy-tab")
        assert store.state()["present"]["long_polling"] == 1
        collect(subscription, lambda got: any(e.get("present", {}).get("total") == 0 for e in got))
    assert store.state()["present"]["total"] == 0


def test_the_rate_limit_allows_five_cities_in_ten_seconds_then_says_how_long_to_wait(store):
    assert [store.seconds_until_city_allowed("eager") for _ in range(5)] == [0] * 5
    wait = store.seconds_until_city_allowed("eager")
    assert 1 <= wait <= 10
    assert store.seconds_until_city_allowed("someone-else") == 0


def test_a_thousand_subscribers_share_one_listener_connection(store):
    subscriptions = [store.listener.subscribe() for _ in range(1000)]
    city = store.add_city("Everyone hears this")
    for subscription in subscriptions:
        batch = subscription.next_batch(timeout=10)
        assert batch and batch[0]["city"] == city
    names = [client["name"] for client in store.redis.client_list()]
    assert names.count(f"{store.settings.key_prefix}listener") == 1
    assert names.count(f"{store.settings.key_prefix}store") <= store.settings.redis_max_connections


def test_an_event_this_version_cannot_read_is_skipped_and_the_next_still_arrives(store):
    start = store.history.newest_cursor()
    with store.listener.subscribe() as subscription:
        # As a newer sibling app sharing this Redis might write it.
        store.redis.xadd(store.events_key, {"type": "poll", "question": "Tabs or spaces?"})
        city = store.add_city("After the unknown event")
        batch = subscription.next_batch(timeout=10)
    assert [event["city"] for event in batch] == [city]
    assert [event["city"] for event in store.events_after(start)] == [city]


def test_a_pool_with_every_connection_in_use_says_busy_not_unreachable(make_store):
    store = make_store(redis_max_connections=1, redis_timeout_seconds=0.3)
    held = store.redis.connection_pool.get_connection()  # as a request in the middle of its work
    try:
        with pytest.raises(PoolBusy):
            store.count_visit()
    finally:
        store.redis.connection_pool.release(held)
    assert store.count_visit() == 1  # the same pool serves again once a connection comes back


def test_redis_py_still_says_what_the_busy_pool_relies_on(redis_url):
    # BoundedPool tells a busy pool by redis-py's own message: a new redis-py must keep it.
    pool = redis.BlockingConnectionPool.from_url(redis_url, max_connections=1, timeout=0.05)
    pool.get_connection()
    with pytest.raises(redis.ConnectionError) as raised:
        pool.get_connection()
    assert str(raised.value) == POOL_EMPTY_MESSAGE
    pool.disconnect()


def test_a_crowd_of_first_requests_starts_the_listener_once(store):
    starting_points = []  # each start reads where to follow from in Redis, and yields meanwhile
    take_starting_point = store.listener._take_starting_point
    store.listener._take_starting_point = lambda: starting_points.append(1) or take_starting_point()
    crowd = [gevent.spawn(store.listener.start) for _ in range(20)]
    gevent.joinall(crowd, timeout=10, raise_error=True)
    assert len(starting_points) == 1  # one follower: two would deliver every event twice

"""The shared store against a real (throwaway) Redis-protocol server."""

import time

import gevent
import pytest
import redis
from werkzeug.datastructures import ETags

from shared.board.events import CursorTooOld
from shared.store.pool import POOL_EMPTY_MESSAGE, PoolBusy
from shared.tuning.coalesce import Coalescer
from tests.servers import wait_until


def collect(subscription, wanted, timeout=10):
    """Gather events from a subscription until `wanted(events)` holds."""
    events = []

    def enough():
        batch = subscription.next_batch(timeout=0.2)
        events.extend(batch or [])
        return wanted(events)

    wait_until(enough, timeout=timeout, interval=0, message="events from the listener")
    return events


def test_visits_count_up_from_zero(store):
    assert store.state()["visits"] == 0
    assert [store.count_visit() for _ in range(3)] == [1, 2, 3]
    assert store.state()["visits"] == 3


def test_a_thousand_visits_are_coalesced_into_a_few_events(store):
    started = time.monotonic()
    with store.listener.subscribe() as subscription:
        for _ in range(1000):
            store.count_visit()
        events = collect(subscription, lambda got: any(e.get("visits") == 1000 for e in got))
    elapsed = time.monotonic() - started
    visits_events = [event for event in events if event["type"] == "visits"]
    # At most one event per coalescing interval, however many visits: on a fast
    # machine that is a handful; a slow one may take longer, never one per visit.
    most_allowed = elapsed / store.settings.coalesce_seconds + 2
    assert 1 <= len(visits_events) <= most_allowed, (len(visits_events), elapsed)
    assert len(visits_events) < 100


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


def test_totals_that_could_not_be_published_are_published_on_a_retry(store):
    attempts = []

    def publish_after_one_failure(kind):
        attempts.append(time.monotonic())
        if len(attempts) == 1:
            raise redis.ConnectionError("as if Redis had blinked")
        return store.totals.publish(kind)

    coalescer = Coalescer(store.redis, store.settings.key_prefix, 0.05, publish_after_one_failure)
    with store.listener.subscribe() as subscription:
        store.redis.incr(store.visits_key)
        coalescer.changed("visits")
        events = collect(subscription, lambda got: any(event["type"] == "visits" for event in got))
    assert len(attempts) == 2
    assert [event["visits"] for event in events if event["type"] == "visits"] == [1]


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


def test_a_crowd_renewing_its_leases_costs_redis_a_few_batches_not_a_call_per_request(store):
    pages = [f"tab-{number}" for number in range(200)]
    for page in pages:
        store.mark_present("polling", page)  # arrivals: told to Redis at once
    assert store.state()["present"]["polling"] == 200
    commands = store.redis.info("stats")["total_commands_processed"]
    for _poll in range(10):
        for page in pages:
            store.mark_present("polling", page)  # a poll each: the leases stay far from running out
    assert store.redis.info("stats")["total_commands_processed"] - commands < 10
    # A renewal that matters (a long hold stretches the lease) goes out in the next batch.
    store.mark_present("polling", "tab-0", held_seconds=60)
    expected_end = time.time() + 60
    wait_until(
        lambda: store.redis.zscore(store.presence.key("polling"), "tab-0") > expected_end, message="renewal"
    )


def test_a_page_a_little_behind_is_answered_from_memory_without_asking_redis(store):
    def commands_so_far():
        return store.redis.info("stats")["total_commands_processed"]

    first = store.add_city("Before the listener")
    with store.listener.subscribe() as subscription:
        cities = [store.add_city(f"City {number}") for number in range(10)]
        collect(subscription, lambda got: sum(event["type"] == "city" for event in got) == 10)
        wait_until_the_listener_waits(store)
        before = commands_so_far()
        recent = store.events_after(cities[4]["id"])
        asked = commands_so_far() - before - 1  # not counting the INFO itself
    assert [event["city"] for event in recent] == cities[5:]
    assert asked == 0
    # Further back than this process has followed: Redis answers, with the same events.
    assert [event["city"] for event in store.events_after(first["id"])] == cities


def test_a_poll_that_finds_nothing_new_costs_redis_nothing(store):
    city = store.add_city("Already shown")
    assert store.cursor_if_unchanged(ETags([city["id"]])) == city["id"]  # starts the listener
    newer = store.add_city("Not yet shown")
    wait_until(lambda: store.listener.last_id == newer["id"], message="the listener to read the city")
    before = store.redis.info("stats")["total_commands_processed"]
    assert store.cursor_if_unchanged(ETags([newer["id"]])) == newer["id"]
    assert store.redis.info("stats")["total_commands_processed"] - before - 1 == 0  # the INFO itself
    # A page behind is told so (it gets the whole board): the listener's cursor is not its ETag.
    assert store.cursor_if_unchanged(ETags([city["id"]])) is None


def test_a_crowd_arriving_at_once_is_told_to_redis_in_a_few_calls_and_every_page_counts(store):
    def round_trips():  # lease scripts and pending marks (the commands a script runs count apart)
        stats = store.redis.info("commandstats")
        return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("evalsha", "set"))

    store.mark_present("polling", "first-tab")  # the sender is up
    coalescer = store.totals_changed.__self__  # the tuned path's Coalescer
    wait_until(lambda: not coalescer.scheduled, message="its arrival to be published")
    before = round_trips()  # now a crowd, all at once
    crowd = [gevent.spawn(store.mark_present, "websockets", f"tab-{number}") for number in range(300)]
    gevent.joinall(crowd, timeout=10, raise_error=True)
    assert all(arrival.successful() for arrival in crowd)
    assert round_trips() - before < 10
    assert store.state()["present"]["websockets"] == 300


def test_the_state_from_the_listeners_memory_is_the_state_in_redis_and_costs_nothing(store):
    store.state_for_new_page()  # starts the listener, from a state read once
    store.count_visit()
    store.mark_present("polling", "tab-1")
    cities = [store.add_city(f"City {number}") for number in range(60)]

    def same_but_the_clock():
        return {**store.state_for_new_page(), "now": None} == {**store.state(), "now": None}

    wait_until(same_but_the_clock, message="the listener's board to hold every change")
    before = store.redis.info("stats")["total_commands_processed"]
    from_memory = store.state_for_new_page()
    assert store.redis.info("stats")["total_commands_processed"] - before - 1 == 0  # the INFO itself
    assert from_memory["cities"] == [*reversed(cities)][:50]
    assert (from_memory["visits"], from_memory["present"]["polling"]) == (1, 1)
    assert abs(from_memory["now"] - store.state()["now"]) < 1


def test_a_restarted_process_answers_cursors_from_before_it_from_memory(make_store):
    before_the_restart = make_store()
    cities = [before_the_restart.add_city(f"City {number}") for number in range(20)]
    restarted = make_store()
    restarted.state_for_new_page()  # starts its listener, which reads the newest events once
    wait_until_the_listener_waits(restarted)
    before = restarted.redis.info("stats")["total_commands_processed"]
    missed = restarted.events_after(cities[4]["id"])
    assert restarted.redis.info("stats")["total_commands_processed"] - before - 1 == 0  # the INFO itself
    assert [event["city"] for event in missed] == cities[5:]


def test_a_crowd_of_first_requests_starts_the_listener_once(store):
    reads_of_the_board = []
    read_state = store.state
    store.state = lambda: reads_of_the_board.append(1) or read_state()
    crowd = [gevent.spawn(store.listener.start) for _ in range(20)]
    gevent.joinall(crowd, timeout=10, raise_error=True)
    assert len(reads_of_the_board) == 1  # one follower: two would deliver every event twice


def wait_until_the_listener_waits(store):
    """Wait until the store's listener is blocked in XREAD: done with its read after a batch too."""

    name = f"{store.settings.key_prefix}listener"  # as Store names its listener's connection

    def waiting():
        return any(
            client["name"] == name and client["cmd"] == "xread" for client in store.redis.client_list()
        )

    wait_until(waiting, message="the listener to wait in XREAD")

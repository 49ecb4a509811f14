"""What the store's tunings save a crowd, counted in Redis commands: batches, coalesced totals, memory.

The store's plain behaviour, on both paths, is in tests/store/; these tests run a
tuned store and count what it asks of Redis.
"""

import time

import gevent
import pytest
import redis
from werkzeug.datastructures import ETags

from shared.tuning.coalesce import Coalescer
from tests.listening import collect, wait_until_the_listener_waits
from tests.servers import wait_until


@pytest.fixture
def store(make_store):
    """A tuned store, whatever the test run's TEXTBOOK: what these tests count is what the tunings save."""
    return make_store(tuned=True)


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
    before_the_restart = make_store(tuned=True)
    cities = [before_the_restart.add_city(f"City {number}") for number in range(20)]
    restarted = make_store(tuned=True)
    restarted.state_for_new_page()  # starts its listener, which reads the newest events once
    wait_until_the_listener_waits(restarted)
    before = restarted.redis.info("stats")["total_commands_processed"]
    missed = restarted.events_after(cities[4]["id"])
    assert restarted.redis.info("stats")["total_commands_processed"] - before - 1 == 0  # the INFO itself
    assert [event["city"] for event in missed] == cities[5:]

"""The soak's writer: cities to the apps in turn, Redis down for a spell, the refused ones posted again."""

import time

import requests

RETRY_GAP_SECONDS = 0.2
RETRIES = 50  # bounded: Redis is back by then, so a retry is answered soon


def post_city(session, app, name):
    """POST one city to `app`; its JSON on a 201, else None (a 503 while Redis is down)."""
    try:
        answer = session.post(
            f"{app.url}/api/cities", params={"client": "soak-writer"}, json={"name": name}, timeout=10
        )
    except requests.RequestException:
        return None
    return answer.json() if answer.status_code == 201 else None


def write_through_outage(options, redis, apps, on_tick):
    """A city every `gap` s to the apps in turn; Redis down from `restart_at` for `down_seconds`.

    Returns the cities answered 201 and the names refused. Redis comes back on the
    same port, with its data from the append-only file.
    """
    session, count = requests.Session(), round(options.seconds / options.gap)
    acknowledged, refused, redis_state, down_at = [], [], "up", None
    start = time.monotonic()
    for number in range(count):
        time.sleep(max(0.0, start + number * options.gap - time.monotonic()))
        elapsed = time.monotonic() - start
        if redis_state == "up" and elapsed >= options.restart_at:
            redis.valkey.stop()
            redis_state, down_at = "down", elapsed
        elif redis_state == "down" and elapsed >= down_at + options.down_seconds:
            redis.valkey.start(redis.port)
            redis_state = "restarted"  # once only
        name = f"{options.run_id} {number + 1}"
        city = post_city(session, apps[number % len(apps)], name)
        (acknowledged.append(city) if city else refused.append(name))
        on_tick(number + 1, count, redis_state)
    if redis_state == "down":  # the writing ended during the outage
        redis.valkey.start(redis.port)
    return acknowledged, refused


def post_again(names, apps):
    """POST again, to the apps in turn, the cities refused during the outage; return those answered 201."""
    session, acknowledged = requests.Session(), []
    for number, name in enumerate(names):
        for _attempt in range(RETRIES):
            city = post_city(session, apps[number % len(apps)], name)
            if city:
                acknowledged.append(city)
                break
            time.sleep(RETRY_GAP_SECONDS)
    return acknowledged

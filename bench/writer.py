"""The writer: one visitor POSTing cities at a steady rate, keeping the list of what was stored."""

import time

import requests


def post_city(session, url, name, client):
    """POST one city to the app at `url` as page `client`; the outcome ("201", "HTTP 429", ...), the city."""
    try:
        answer = session.post(f"{url}/api/cities", params={"client": client}, json={"name": name}, timeout=10)
    except requests.RequestException as error:
        return error.__class__.__name__, None
    if answer.status_code == 201:
        return "201", answer.json()
    return f"HTTP {answer.status_code}", None


def write_cities(url, rate_per_second, seconds, name_prefix, on_city=None, client="bench-writer"):
    """POST `rate_per_second` cities a second for `seconds`; return the cities answered 201 and failures.

    Each city is sent on schedule, not after the previous answer plus a gap, so a
    slow server shows as delay, not as fewer cities.
    """
    session = requests.Session()
    gap = 1 / rate_per_second
    count = max(1, round(rate_per_second * seconds))
    start = time.monotonic()
    cities, failures = [], {}
    for number in range(count):
        time.sleep(max(0.0, start + number * gap - time.monotonic()))
        outcome, city = post_city(session, url, f"{name_prefix} {number + 1}", client)
        if city:
            cities.append(city)
        else:
            failures[outcome] = failures.get(outcome, 0) + 1
        if on_city:
            on_city(number + 1, count)
    session.close()
    return cities, failures

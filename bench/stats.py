"""From what the pages received and the wire counts, the figures a run reports."""

import math

DELAY_SAMPLES_KEPT = 400  # evenly spaced quantiles of the delays, for the charts


def percentile(sorted_values, fraction):
    """The value below which `fraction` of the values lie (nearest rank); None for none."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def check_deliveries(cities, received):
    """Compare what every page received with the writer's list: deliveries, lost, duplicated, delays."""
    expected = {city["id"] for city in cities}
    delays, lost, duplicated, deliveries = [], 0, 0, 0
    for page in received:
        ids = [city_id for city_id, _delay in page if city_id in expected]
        unique = set(ids)
        deliveries += len(unique)
        lost += len(expected - unique)
        duplicated += len(ids) - len(unique)
        delays += [delay for city_id, delay in page if city_id in expected]
    delays.sort()
    return {
        "deliveries": deliveries,
        "lost": lost,
        "duplicated": duplicated,
        "delay_ms": {
            "p50": percentile(delays, 0.50),
            "p95": percentile(delays, 0.95),
            "p99": percentile(delays, 0.99),
            "max": delays[-1] if delays else None,
        },
        "delay_quantiles_ms": quantiles(delays, DELAY_SAMPLES_KEPT),
    }


def quantiles(sorted_values, count):
    """`count` evenly spaced quantiles of the values (all of them when there are fewer)."""
    if len(sorted_values) <= count:
        return sorted_values
    return [sorted_values[round(i * (len(sorted_values) - 1) / (count - 1))] for i in range(count)]


def wire_between(marks, first, last):
    """What crossed the pages' connections between two marks."""
    return {field: marks[last][field] - marks[first][field] for field in marks[first] if field != "at"}


def per(counts, divisor):
    """Each count divided by `divisor` (None when there is nothing to divide by)."""
    if not divisor:
        return dict.fromkeys(("requests", "frames", "bytes"), None)
    return {
        "requests": counts["requests"] / divisor,
        "frames": (counts["frames_in"] + counts["frames_out"]) / divisor,
        "bytes": (counts["bytes_in"] + counts["bytes_out"]) / divisor,
    }

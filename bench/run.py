"""One run: a server on a fresh Redis, N pages arriving, a quiet spell, a writer, and the check.

The phases, each between two marks of the pages' wire counts:
1. arrival: N pages, each with its own client id, arrive over `ramp_seconds`, and their
   news settles (what a page receives meanwhile is counted: a crowd arriving is news too);
2. idle: once the arrivals' news has settled, nothing is written for `idle_seconds`:
   what a page costs while nothing happens;
3. writing: the writer POSTs `rate` cities a second for `seconds`, then the pages get
   until `drain_seconds` after the last city to receive them all.
Then every page's receipts are checked against the writer's list.
"""

import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass

from bench.page_group import PageGroup
from bench.servers import FreshRedis
from bench.stats import check_deliveries, per, wire_between
from bench.writer import write_cities

CLIENT_BUSY_SHARE = 0.85  # a client process busier than this may be what limits the run
DRAIN_CHECK_SECONDS = 0.25


@dataclass(frozen=True)
class Plan:
    """The parameters of a run."""

    pages: int = 300
    rate: float = 10 / 3  # cities per second: one every 300 ms
    seconds: float = 10.0  # of writing
    settle_seconds: float = 3.0  # after the last arrival, its totals reach every page
    idle_seconds: float = 26.0  # longer than a long poll's hold and socket.io's ping interval
    ramp_seconds: float = 2.0  # the room arrives within this
    drain_seconds: float = 10.0
    ready_seconds: float = 60.0

    def expected_seconds(self, subject):
        """Roughly how long a run of `subject` takes, for the progress bar."""
        idle = 0 if subject.reference else self.settle_seconds + self.idle_seconds
        return 5 + self.ramp_seconds + idle + self.seconds + 2


@contextmanager
def served(subject):
    """A fresh Redis (for a board app) and the subject's server on it, both stopped afterwards."""
    redis = FreshRedis() if subject.uses_redis else None
    server = None
    try:
        server = subject.start_server(redis.url if redis else None)
        yield redis, server
    finally:
        if server:
            server.stop()
        if redis:
            redis.stop()


def run_once(subject, plan, progress, proxy=None):
    """Run one subject under `plan` and return its figures."""
    progress.doing(f"{subject.label}, {plan.pages:,} pages: starting the server")
    with served(subject) as (redis, server):
        url = proxy.start(server.port) if proxy else server.url
        try:
            return measure_crowd(subject, plan, progress, redis, server, url)
        finally:
            if proxy:
                proxy.stop()


def measure_crowd(subject, plan, progress, redis, server, url):
    """Bring N pages to the server at `url`, then measure the quiet spell and the writing."""
    rss_before_kib = server.rss_kib()
    run_id = f"b{secrets.token_hex(3)}"
    progress.doing(f"{subject.label}: {plan.pages:,} pages arriving")
    started = time.monotonic()
    with PageGroup(subject, url, plan.pages, plan.ramp_seconds, run_id) as group:
        ready = group.wait_ready(plan.ready_seconds)
        arrival = {"seconds": round(time.monotonic() - started, 2), "all_live": ready, **group.status()}
        phases = {}
        if plan.idle_seconds and not subject.reference:
            progress.doing(f"{subject.label}: {plan.pages:,} pages settle, then idle {plan.idle_seconds:g} s")
            time.sleep(plan.settle_seconds)  # not measured: the arrivals' own news is still travelling
            phases["idle"] = measure_phase(
                group, server, redis, "idle", lambda: time.sleep(plan.idle_seconds)
            )
        written = {}

        def write():
            progress.doing(f"{subject.label}: writing cities to {plan.pages:,} pages")
            written["cities"], written["failures"] = write_cities(
                server.url, plan.rate, plan.seconds, run_id, lambda n, count: progress.show(f"{n}/{count}")
            )
            wait_for_delivery(group, written["cities"], plan)

        phases["writing"] = measure_phase(group, server, redis, "writing", write)
        pages = group.stop()
    return summarise(subject, plan, arrival, phases, written, pages, server, rss_before_kib)


def measure_phase(group, server, redis, name, action):
    """Run `action` between two marks; return the time, server CPU, Redis commands and client CPU it took."""
    group.mark(f"{name}-start")
    started, cpu, clients = time.monotonic(), server.cpu_seconds(), group.cpu_seconds()
    commands = redis.counters()[0] if redis else 0
    action()
    group.mark(f"{name}-end")
    wall = time.monotonic() - started
    after = redis.counters() if redis else (0, 0)
    client_cpu = [end - start for start, end in zip(clients, group.cpu_seconds(), strict=True)]
    return {
        "wall_seconds": wall,
        "server_cpu_seconds": server.cpu_seconds() - cpu,
        "redis_commands": after[0] - commands,
        "redis_connections": after[1],
        "client_cpu_seconds": client_cpu,
    }


def wait_for_delivery(group, cities, plan):
    """Wait until every page has the last city, or `drain_seconds` have passed."""
    if not cities:
        return
    deadline = time.monotonic() + plan.drain_seconds
    while group.status(cities[-1]["id"])["have"] < plan.pages and time.monotonic() < deadline:
        time.sleep(DRAIN_CHECK_SECONDS)


def summarise(subject, plan, arrival, phases, written, pages, server, rss_before_kib):
    """The figures of one run, as the report and the charts read them."""
    delivery = check_deliveries(written["cities"], pages["received"])
    marks, writing = pages["marks"], phases["writing"]
    deliveries = delivery["deliveries"]
    result = {
        "subject": subject.name,
        "label": subject.label,
        "pages": plan.pages,
        "arrival": arrival,
        "cities": len(written["cities"]),
        "writer_failures": written["failures"],
        **delivery,
        "page_errors": pages["errors"],
        "per_city": per(wire_between(marks, "writing-start", "writing-end"), deliveries),
        "server": {
            "cpu_ms_per_1000_deliveries": 1e6 * writing["server_cpu_seconds"] / deliveries
            if deliveries
            else None,
            "cpu_share_writing": writing["server_cpu_seconds"] / writing["wall_seconds"],
            "rss_before_mib": rss_before_kib / 1024,
            "peak_rss_mib": server.peak_rss_kib / 1024,
            "peak_kib_per_page": (server.peak_rss_kib - rss_before_kib) / plan.pages,
        },
        "clients": client_load(phases),
        "redis": redis_load(phases) if subject.uses_redis else None,
    }
    if "idle" in phases:
        # The wire counts start at zero with each page: at the quiet spell's start, they are the arrival's.
        arriving = {field: count for field, count in marks["idle-start"].items() if field != "at"}
        result["per_page_arriving"] = per(arriving, plan.pages)
        idle, idle_wire = phases["idle"], wire_between(marks, "idle-start", "idle-end")
        result["per_idle_page_minute"] = per(idle_wire, plan.pages * idle["wall_seconds"] / 60)
        # What one quiet request costs the server: for polling, an unchanged poll answered 304.
        if idle_wire["requests"]:
            cpu_us = 1e6 * idle["server_cpu_seconds"]
            result["server"]["cpu_us_per_idle_request"] = cpu_us / idle_wire["requests"]
    return result


def client_load(phases):
    """The client processes' CPU while writing, and whether one of them may have limited the run."""
    writing = phases["writing"]
    busiest = max(writing["client_cpu_seconds"]) / writing["wall_seconds"]
    return {
        "cpu_seconds_writing": sum(writing["client_cpu_seconds"]),
        "busiest_share": busiest,
        "bottleneck": busiest > CLIENT_BUSY_SHARE,
    }


def redis_load(phases):
    """Redis commands per second in each phase, and the connections open at its end."""
    return {
        name: {
            "commands_per_second": phase["redis_commands"] / phase["wall_seconds"],
            "connections": phase["redis_connections"],
        }
        for name, phase in phases.items()
    }

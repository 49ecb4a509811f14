"""Beyond the main run: the reconnect storm (every run), and what `make bench FULL=1` adds: capacity
and a run over a slow network.

- Capacity: raise N step by step until the delay passes the limit the
  websocket-shootout benchmark used (p95 over 500 ms), or a page is lost or never
  gets live; report the last N that held. Polling's delay is its interval by
  design, so its limit is the interval plus those 500 ms.
- The reconnect storm: N pages connected, the server restarted, and one city
  posted the moment it answers again: how long until every page has it.
- Latency: the same run with every page behind a proxy that delays each direction.
"""

import secrets
import time
from dataclasses import replace

from bench.page_group import PageGroup
from bench.proxy import DelayProxy
from bench.run import run_once, served
from bench.writer import write_cities

CAPACITY_STEPS = (500, 1000, 2000, 3000, 5000, 7500, 10000)
DELAY_LIMIT_MS = 500
POLL_INTERVAL_SECONDS = 2.0
ARRIVALS_PER_SECOND = 500  # the room arrives 500 pages a second, as the first measurements did
STORM_DEADLINE_SECONDS = 60
NETWORK_DELAY_SECONDS = 0.05


def delay_limit_ms(subject):
    """The p95 delay a step may reach and still hold."""
    return DELAY_LIMIT_MS + (POLL_INTERVAL_SECONDS * 1000 if subject.technique == "polling" else 0)


def held(run, subject):
    """True if a capacity step held: every page live, nothing lost or twice, p95 within the limit."""
    p95 = run["delay_ms"]["p95"]
    everyone = run["arrival"]["live"] == run["pages"]
    return everyone and not run["lost"] and not run["duplicated"] and p95 is not None and (
        p95 <= delay_limit_ms(subject)
    )  # fmt: skip


def step_plan(plan, pages):
    """A short run at `pages` pages: no quiet spell, the room arriving 500 a second."""
    return replace(plan, pages=pages, idle_seconds=0, seconds=6, ramp_seconds=pages / ARRIVALS_PER_SECOND)


def capacity(subject, plan, progress, steps_of_n=CAPACITY_STEPS):
    """Every step tried for `subject` (the last one failed, unless the steps ran out)."""
    steps = []
    for pages in steps_of_n:
        progress.doing(f"capacity of {subject.label}: {pages:,} pages")
        try:
            run = run_once(subject, step_plan(plan, pages), progress)
        except (RuntimeError, TimeoutError) as error:
            steps.append({"pages": pages, "failed": str(error)})
            break
        steps.append({key: run[key] for key in ("pages", "arrival", "delay_ms", "lost", "duplicated")})
        steps[-1].update(held=held(run, subject), clients=run["clients"], server=run["server"])
        if not steps[-1]["held"]:
            break
    return steps


def reconnect_storm(subject, plan, progress):
    """Restart the server under N connected pages; time until all have a city posted at once."""
    progress.doing(f"reconnect storm, {subject.label}: {plan.pages:,} pages arriving")
    with (
        served(subject) as (redis, server),
        PageGroup(
            subject, server.url, plan.pages, plan.pages / ARRIVALS_PER_SECOND, f"s{secrets.token_hex(3)}"
        ) as group,
    ):
        if not group.wait_ready(plan.ready_seconds):
            return {"pages": plan.pages, "failed": "not every page got live before the restart"}
        progress.doing(f"reconnect storm, {subject.label}: restarting the server")
        commands_before = redis.counters()[0]
        server.stop()
        server.start()
        restarted = time.monotonic()
        cities, failures = write_cities(server.url, 1, 1, "after the restart")
        if not cities:
            return {"pages": plan.pages, "failed": f"the city after the restart was refused: {failures}"}
        deadline = restarted + STORM_DEADLINE_SECONDS
        while (status := group.status(cities[0]["id"]))["have"] < plan.pages and time.monotonic() < deadline:
            time.sleep(0.25)
        return {
            "pages": plan.pages,
            "seconds_until_all_have_it": round(time.monotonic() - restarted, 2),
            # What the room's return cost Redis, from the restart until every page had the city.
            "redis_commands": redis.counters()[0] - commands_before,
            "have": status["have"],
            "live": status["live"],
            "errors": status["errors"],
        }


def over_slow_network(subject, plan, progress):
    """The usual run with every page behind a proxy that delays each direction."""
    progress.doing(f"{subject.label} over a network {NETWORK_DELAY_SECONDS * 1000:.0f} ms each way")
    run = run_once(subject, plan, progress, proxy=DelayProxy(NETWORK_DELAY_SECONDS))
    run["network_delay_ms_each_way"] = NETWORK_DELAY_SECONDS * 1000
    return run
